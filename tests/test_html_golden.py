"""Golden output of the html writer (the rendering EPUB and PDF share) for the sample."""

from __future__ import annotations

import convert
from convert.ir.model import Article

from .conftest import check_golden


def test_sample_html_golden(sample_article: Article) -> None:
    check_golden("russia-pakistan-relationship.html", convert.render(sample_article, "html"))
