"""ipywidgets apps, one per workshop step. Builders return widgets; they never display on their own."""

from dol_toolkit.apps.landing import LandingApp, landing_app

__all__ = ["LandingApp", "landing_app"]
