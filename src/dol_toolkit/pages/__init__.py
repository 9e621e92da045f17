"""What the workshop's pages show that is not a widget: the shared content computed once per workshop
(:mod:`~dol_toolkit.pages.content`), its cache on disk (:mod:`~dol_toolkit.pages.cache`) and the page style
(:mod:`~dol_toolkit.pages.css`). Below the apps and the server, which both use it; imports neither."""
