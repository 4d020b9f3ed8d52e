"""The validators themselves: EPUBCheck, run book after book in one JVM, still finds what is wrong."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import convert
from convert.ir.model import Article

from .validators import epubcheck


def _spoil(book: bytes, folder: Path) -> Path:
    """The book with an element XHTML does not have and a duplicate id in its text."""
    path = folder / "spoilt.epub"
    (folder / "good.epub").write_bytes(book)
    with zipfile.ZipFile(folder / "good.epub") as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("text.xhtml"):
                data = re.sub(rb"<body[^>]*>", rb'\g<0><blink id="same">x</blink><p id="same">y</p>', data, count=1)
            out.writestr(info, data)
    return path


def test_epubcheck_reports_a_spoilt_book_and_passes_a_good_one(sample_article: Article, tmp_path: Path) -> None:
    book = convert.render(sample_article, "epub")
    spoilt = _spoil(book, tmp_path)
    good = tmp_path / "good.epub"
    missing = tmp_path / "missing.epub"
    results = epubcheck([spoilt, good, missing, spoilt])
    assert results[good] == []
    said = "\n".join(results[spoilt])
    assert "RSC-005" in said and "blink" in said, said  # the schema error
    assert "errors" in results[spoilt][-1]  # and EPUBCheck's totals
    assert results[missing]  # a book that is not there is no success
