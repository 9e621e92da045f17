"""ipywidgets apps, one per workshop step, and the workshop page that holds them all. Builders return widgets;
they never display on their own. In a page's kernel, importing them sends the toolkit's log lines to the server's
terminal rather than to the page (:mod:`dol_toolkit.apps._console`)."""

from dol_toolkit.apps._console import to_server_console
from dol_toolkit.apps.landing import LandingApp, landing_app
from dol_toolkit.apps.results import ResultsApp, results_app
from dol_toolkit.apps.workshop_page import WorkshopApp, workshop_app

to_server_console()

__all__ = ["LandingApp", "ResultsApp", "WorkshopApp", "landing_app", "results_app", "workshop_app"]
