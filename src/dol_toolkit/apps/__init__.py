"""ipywidgets apps, one per workshop step, and the workshop page that holds them all. Builders return widgets;
they never display on their own."""

from dol_toolkit.apps.landing import LandingApp, landing_app
from dol_toolkit.apps.results import ResultsApp, results_app
from dol_toolkit.apps.workshop_page import WorkshopApp, workshop_app

__all__ = ["LandingApp", "ResultsApp", "WorkshopApp", "landing_app", "results_app", "workshop_app"]
