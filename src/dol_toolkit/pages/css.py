"""The style of the workshop's pages: the apps' widgets and the shared content's HTML alike."""

# Projector first: large type, high contrast, readable line length.
CSS = """
<style>
.dol-page { font-size: 18px; line-height: 1.5; color: #1a1a1a; max-width: 60em; }
.dol-page h1 { font-size: 2.1em; margin: 0.2em 0 0.4em; color: #0b3d62; }
.dol-page h2 { font-size: 1.4em; margin: 1.2em 0 0.4em; color: #0b3d62; }
.dol-page h3 { font-size: 1.1em; margin: 0.8em 0 0.2em; }
.dol-page p, .dol-page li { font-size: 1em; }
.dol-page .dol-kicker { text-transform: uppercase; letter-spacing: 0.08em; color: #4a4a4a; font-size: 0.85em; }
.dol-page .dol-intro { font-style: italic; color: #333; }
.dol-page .dol-note { color: #333; font-size: 0.95em; }
.dol-page ol.dol-items li { margin-bottom: 0.4em; }
.dol-lang .widget-toggle-button { font-size: 16px; min-height: 44px; min-width: 44px; }
.dol-lang .widget-label { font-size: 16px; }
.dol-page ol.dol-steps { padding-left: 0; list-style: none; }
.dol-page ol.dol-steps li { font-size: 1.15em; margin: 0.35em 0; padding: 0.45em 0.8em; border-left: 6px solid #0b3d62;
  background: #f1f5f9; }
.dol-page ol.dol-steps li.dol-current { background: #dbe7f3; }
.dol-page ol.dol-steps a, .dol-page .dol-next a { color: #0b3d62; font-weight: bold; }
.dol-page .dol-hint { color: #333; }
.dol-page .dol-next { font-size: 1.15em; margin-top: 1.5em; }
.dol-page .dol-read { font-size: 16px; color: #222; margin: 0.3em 0 1.2em; }
.dol-page .dol-loading { font-size: 18px; color: #0b3d62; padding: 0.6em 0; }
.dol-page .dol-notice { font-size: 18px; background: #fff7e0; border-left: 6px solid #8a6d00; padding: 0.6em 1em; }
.dol-page figure.dol-chart { margin: 0.5em 0; }
.dol-page table.dol-table { border-collapse: collapse; font-size: 17px; }
.dol-page table.dol-table th, .dol-page table.dol-table td { padding: 0.3em 0.9em; border-bottom: 1px solid #bbb;
  text-align: right; }
.dol-page table.dol-table th[scope="row"], .dol-page table.dol-table thead th:first-child { text-align: left; }
.dol-page .dol-questions { background: #f1f5f9; padding: 0.5em 1em; border-left: 6px solid #0b3d62; }
.dol-page .dol-questions li { font-size: 1.05em; margin: 0.5em 0; }
.dol-page .dol-columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(16em, 100%), 1fr));
  gap: 0 1.5em; }
.dol-page figure.dol-chart img { display: block; max-width: 100%; height: auto; }
.dol-page .dol-muted { color: #555; font-style: italic; }
.dol-page table.dol-table thead th { background: #dbe7f3; color: #0b3d62; }
.dol-page section[data-section="my_gaps"] { display: grid;
  grid-template-columns: repeat(auto-fit, minmax(min(16em, 100%), 1fr)); gap: 0 1.5em; }
.dol-page section[data-section="my_gaps"] > h2, .dol-page section[data-section="my_gaps"] > p { grid-column: 1 / -1; }
/* Below a laptop's width the questions go under the results, so that the charts keep their size. */
@media (max-width: 1100px) { .dol-results-grid { grid-template-columns: minmax(0, 1fr) !important; } }
.widget-label, .widget-toggle-button, .widget-dropdown select, .widget-password input, .widget-button
  { font-size: 16px !important; }
/* Phones first: nothing is wider than the screen (360 px and up), no text is cut, every control is 44 px to touch.
   The widgets' own style gives text boxes, dropdowns and checkboxes a fixed 300 px (--jp-widgets-inline-width),
   a label of one line cut with an ellipsis, and controls 28 px high; within the apps these give way. */
.dol-app, .dol-app .dol-page { overflow-wrap: anywhere; hyphens: auto; }
/* A table's columns are sized by its longest words ("anywhere" would let a heading break mid-word on a laptop). */
.dol-page table.dol-table th, .dol-page table.dol-table td { overflow-wrap: break-word; }
.dol-app .widget-box, .dol-app .widget-html, .dol-app .widget-html-content, .dol-app .widget-inline-hbox,
.dol-app .widget-inline-vbox { max-width: 100%; min-width: 0; }
.dol-app .widget-inline-hbox { flex-wrap: wrap; }
.dol-app .widget-text, .dol-app .widget-password, .dol-app .widget-dropdown, .dol-app .widget-checkbox
  { max-width: 100%; height: auto; }
.dol-app .widget-inline-hbox .widget-label { white-space: normal; overflow: visible; text-overflow: clip;
  height: auto; min-height: 28px; max-width: 100%; }
.dol-app .widget-button, .dol-app .widget-toggle-button { min-height: 44px; min-width: 44px; height: auto;
  max-width: 100%; white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.25;
  padding-top: 0.3em; padding-bottom: 0.3em; }
.dol-app .widget-toggle-buttons { flex-wrap: wrap; max-width: 100%; }
.dol-app .widget-toggle-buttons .widget-toggle-button { flex: 0 1 auto; }
.dol-app .widget-dropdown select, .dol-app .widget-text input, .dol-app .widget-password input
  { min-height: 44px; box-sizing: border-box; min-width: 0; }
.dol-app .widget-checkbox label { display: flex; align-items: center; justify-content: flex-start; min-height: 44px;
  width: 100%; white-space: normal; text-align: left; }
.dol-app .widget-checkbox input[type="checkbox"] { flex: 0 0 auto; width: 22px; height: 22px; margin: 0 0.6em 0 0; }
.dol-page ol.dol-steps a, .dol-page .dol-next a, .dol-page a.dol-download { display: inline-flex; align-items: center;
  min-height: 44px; min-width: 44px; }
.dol-page figure.dol-chart { max-width: 100%; }
/* the widgets' 2 px side margin made the results grid scroll sideways */
.dol-results-grid > * { min-width: 0; margin-left: 0 !important; margin-right: 0 !important; }
/* Between a phone and a laptop a table keeps its columns with less room around its figures. */
@media (max-width: 900px) {
  .dol-page table.dol-table th, .dol-page table.dol-table td { padding-left: 0.45em; padding-right: 0.45em; }
}
@media (max-width: 600px) {
  .dol-page h1 { font-size: 1.7em; }
  .dol-page h2 { font-size: 1.3em; }
  /* Tables become a card per row: the row's heading on top, each value beside its column's heading. */
  .dol-page table.dol-table, .dol-page table.dol-table tbody, .dol-page table.dol-table tr,
  .dol-page table.dol-table th, .dol-page table.dol-table td { display: block; width: 100%; box-sizing: border-box; }
  .dol-page table.dol-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .dol-page table.dol-table tr { border: 1px solid #bbb; border-left: 4px solid #0b3d62; margin: 0 0 0.6em;
    padding: 0.2em 0.6em; }
  .dol-page table.dol-table th[scope="row"] { padding: 0.2em 0; text-align: left; border-bottom: 1px solid #bbb; }
  .dol-page table.dol-table td { display: flex; justify-content: space-between; gap: 1em; padding: 0.2em 0;
    border-bottom: none; text-align: right; }
  .dol-page table.dol-table td::before { content: attr(data-label); text-align: left; font-weight: bold;
    color: #0b3d62; }
}
.dol-note-editor textarea { font-size: 17px !important; line-height: 1.4; font-family: inherit !important;
  box-sizing: border-box; }
.dol-focus .widget-label-basic, .dol-focus label { font-size: 17px !important; }
.dol-focus { margin: 0.15em 0; }
.dol-action input, .dol-action select { font-size: 16px !important; }
.widget-button, .widget-toggle-button { font-family: inherit !important; }
.dol-code input { min-width: 11em; font-size: 17px !important; letter-spacing: 0.08em; }
/* A focus ring that can be seen (WCAG 2.4.7 and 1.4.11): 3 px of the page's dark blue, 2 px off the element,
   whatever the widgets' own style sets (a faint 1 px light blue, or none).
   The widgets' inputs say "outline: none !important" at (0,2,1): the rule here is more specific. */
:focus-visible, body .jupyter-widgets input:focus-visible, body .jupyter-widgets textarea:focus-visible,
body .jupyter-widgets select:focus-visible, body .jupyter-widgets button:focus-visible
  { outline: 3px solid #0b3d62 !important; outline-offset: 2px !important; }
/* The code box and its button: side by side where they fit, the button under the box on a phone; both big
   enough to touch (44 px). */
.dol-code-row { flex-wrap: wrap; gap: 0.4em; max-width: 100%; }
.dol-code-row .dol-code { flex: 1 1 16em; max-width: 100%; min-width: 0; }
.dol-code-row .dol-code input { min-width: 0; min-height: 44px; box-sizing: border-box; }
.dol-code-row .dol-open { flex: 0 0 auto; min-height: 44px; max-width: 100%; white-space: normal; height: auto; }
.dol-action { border-left: 4px solid #0b3d62; background: #f8fafc; padding: 0.3em 0.5em; margin: 0.3em 0;
  gap: 0.3em; }
.dol-note-status { font-size: 15px; color: #1d5c2e; min-height: 1.4em; }
/* A download looks like a button (it is a link, so that the browser saves the file): filled, 44 px to touch. */
.dol-page a.dol-download { display: inline-block; min-height: 44px; box-sizing: border-box; padding: 0.55em 1em;
  line-height: 1.4; color: #fff; background: #0b3d62; border-radius: 4px; font-weight: bold;
  text-decoration: underline; overflow-wrap: anywhere; }
.dol-page a.dol-download:hover { background: #082c47; }
/* Whose a note is, said above its box at all times (not only by the placeholder of an empty box): the group's
   shared with everyone in the group, a private one in a box of its own colour. */
.dol-note-editor .widget-textarea { flex-direction: column; align-items: stretch; width: 100%; max-width: 100%;
  box-sizing: border-box; }
.dol-note-editor .widget-textarea .widget-label { position: static; width: auto !important; height: auto;
  overflow: visible; clip: auto; white-space: normal; max-width: 100%; font-weight: bold; color: #0b3d62;
  margin: 0.3em 0 0.2em; line-height: 1.3; text-align: left; }
.dol-note-editor .widget-textarea textarea { width: 100%; max-width: 100%; box-sizing: border-box; }
.dol-note-editor.dol-note-private textarea { background: #fffbea; border: 2px solid #8a6d00 !important; }
.dol-note-editor.dol-note-private .widget-label { color: #5c4900; }
.dol-note-status .dol-save-pending { color: #555; }
.dol-note-status .dol-save-warning { color: #8a1c1c; font-weight: bold; }
.dol-card { border-left: 6px solid #0b3d62; background: #f8fafc; padding: 0.2em 1em 0.8em; margin: 0.8em 0; }
.dol-error { font-size: 18px; color: #8a1c1c; background: #fdecea; padding: 0.6em 1em; border-left: 5px solid #8a1c1c; }
</style>
"""
