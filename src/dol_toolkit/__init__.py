"""dol_toolkit: workshop apps for the leadership evaluation theme "Ledelse af digital omstilling"."""

__version__ = "0.1.0"
