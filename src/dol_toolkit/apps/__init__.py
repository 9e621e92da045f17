"""ipywidgets apps, one per workshop step. Builders return widgets; they never display on their own."""

from dol_toolkit.apps.landing import LandingApp, landing_app
from dol_toolkit.apps.results import ResultsApp, results_app

__all__ = ["LandingApp", "ResultsApp", "landing_app", "results_app"]
