"""Real saved web pages read by artconv: title, authors, date and main text against their gold.

The pages, their expected main content and their gold fields are in ``tests/fixtures/html_pages/``
(see its README for their source and licence).  The fields are compared as the HTML scorer of
``docs/performance.md`` compares them: titles after Unicode, quote and space normalisation,
authors as whole words, dates as days, main text as the F1 of word tokens.
"""

from __future__ import annotations

import html.parser
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import convert
from convert.ir.model import Article, Image
from convert.ir.walk import plain_text_blocks, walk_inlines

PAGES = Path(__file__).parent / "fixtures" / "html_pages"
GOLD = [json.loads(line) for line in (PAGES / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
#: The least body F1 accepted on each page (artconv scores 0.98 to 1.0 on them).
F1_FLOOR = 0.95

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u200b": "", "\u200e": "", "\u200f": "", "\ufeff": "", "\u00ad": "",
})  # fmt: skip
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
          "blockquote", "pre", "section", "article", "figure", "figcaption", "dd", "dt", "dl", "hr", "header",
          "footer", "aside", "nav", "main", "caption", "address", "details", "summary"}  # fmt: skip
_HIDDEN = ("script", "style", "noscript", "template")


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _title(text: str) -> str:
    return _ws(unicodedata.normalize("NFKC", text).translate(_QUOTES))


def _name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).translate(_QUOTES).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _ws(unicodedata.normalize("NFC", re.sub(r"[^\w]+|_", " ", text)))


def _f1(found: str, expected: str) -> float:
    def tokens(text: str) -> Counter[str]:
        return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))

    got, want = tokens(found), tokens(expected)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


class _Text(html.parser.HTMLParser):
    """The text of an expected-content page, a line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.skip += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def _expected_text(page: str) -> str:
    parser = _Text()
    parser.feed((PAGES / f"{page}.expected.html").read_text(encoding="utf-8"))
    parser.close()
    return "\n".join(_ws(line) for line in "".join(parser.out).split("\n") if line.strip())


def _article_text(article: Article) -> str:
    """The text of the body and the notes, as a reader sees the page (images are not text)."""

    def no_images(seq: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(node for node in seq if not isinstance(node, Image))

    parts = [walk_inlines(no_images, article.body), *(walk_inlines(no_images, n.blocks) for n in article.notes)]
    return "\n\n".join(text for text in map(plain_text_blocks, parts) if text)


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    return {row["id"]: convert.read(PAGES / f"{row['id']}.html") for row in GOLD}


@pytest.mark.parametrize("row", GOLD, ids=[row["id"] for row in GOLD])
def test_a_real_page_gives_its_fields_and_text(row: dict[str, Any], articles: dict[str, Article]) -> None:
    article, gold = articles[row["id"]], row["gold"]
    meta = article.metadata
    assert _title(meta.title) == _title(gold["title"])
    joined = f" {_name('; '.join(meta.authors))} "
    for author in gold.get("authors") or ():
        assert f" {_name(author)} " in joined, (author, meta.authors)
    if gold.get("date_accept"):
        assert meta.date is not None and meta.date.isoformat() in gold["date_accept"]
    if gold.get("lang"):
        assert meta.language.lower().split("-")[0] == gold["lang"].lower().split("-")[0]
    f1 = _f1(_article_text(article), _expected_text(row["id"]))
    assert f1 >= F1_FLOOR, f"{row['id']}: body F1 {f1:.3f}"


def test_the_pages_cover_what_they_are_chosen_for(articles: dict[str, Article]) -> None:
    langs = {article.metadata.language.split("-")[0] for article in articles.values()}
    assert {"en", "fr", "de"} <= langs  # pages in three languages
    assert any(len(article.metadata.authors) > 2 for article in articles.values())  # a page with three authors
    assert sum(article.metadata.date is not None for article in articles.values()) >= 3
    assert any(article.notes for article in articles.values())  # a page's footnotes read as notes
