"""Stylesheets for artconv's HTML-based outputs (installed as ``convert.styles``)."""
