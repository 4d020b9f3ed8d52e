"""Renderings shared by several writers (the HTML of the IR used by EPUB and PDF)."""
