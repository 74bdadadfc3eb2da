"""Report templates, styles and fonts (installed as ``scoring.reports``)."""
