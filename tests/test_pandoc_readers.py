"""Readers through pandoc: documents pandoc itself makes from the sample read back equal to it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from convert.api import read, render
from convert.ir.model import Article, Heading, Metadata, Paragraph, Rights, Strong, Text
from convert.ir.walk import plain_text_blocks
from convert.readers.pandoc import package_properties, read_with_pandoc, rights_from_text

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "russia-pakistan-relationship.md"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[\"'“”‘’]", "", text).split())


@pytest.fixture(scope="module")
def sample() -> Article:
    return read(SAMPLE)


@pytest.fixture(scope="module")
def made(sample: Article, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample as our Markdown, then by pandoc (not artconv) into each format."""
    from convert.pandoc.runner import run

    markdown = render(sample, "md")
    out: dict[str, bytes] = {}
    for fmt in ("docx", "odt", "rst", "latex", "epub"):
        out[fmt] = run(markdown, ["-f", "markdown", "-t", fmt, "-s", "-o", "-"], epoch=0)
    return out


@pytest.mark.parametrize("fmt", ["docx", "odt", "rst", "latex", "epub"])
def test_pandoc_made_documents_read_back(fmt: str, sample: Article, made: dict[str, bytes]) -> None:
    article = read_with_pandoc(made[fmt], fmt)
    assert _words(plain_text_blocks(article.body)) == _words(plain_text_blocks(sample.body))
    assert [_words(plain_text_blocks(n.blocks)) for n in article.notes] == [
        _words(plain_text_blocks(n.blocks)) for n in sample.notes
    ]
    meta, want = article.metadata, sample.metadata
    assert meta.title == want.title
    assert meta.authors == want.authors
    if fmt != "rst":  # pandoc's rst writer keeps no date field
        assert meta.date == want.date
    if fmt in ("docx", "odt"):  # the front matter's rights became custom document properties
        for name in ("copyright", "disclaimer", "fair_use", "contact"):  # pandoc's Markdown reader curls quotes
            assert _words(getattr(meta.rights, name)) == _words(getattr(want.rights, name))


@pytest.mark.parametrize("fmt", ["docx", "odt", "latex", "rst", "org", "mediawiki"])
def test_our_writers_read_back_with_rights(fmt: str, sample: Article) -> None:
    article = read_with_pandoc(render(sample, fmt), fmt)
    if fmt != "mediawiki":  # MediaWiki markup has no metadata
        assert article.metadata.title == sample.metadata.title
    rights, want = article.metadata.rights, sample.metadata.rights
    assert rights.copyright == want.copyright and rights.disclaimer == want.disclaimer
    assert rights.fair_use == want.fair_use and rights.source == want.source
    assert _words(plain_text_blocks(article.body)) == _words(plain_text_blocks(sample.body))


def test_docx_core_properties_become_metadata() -> None:
    article = Article(
        Metadata(title="Props", authors=("A One",), date=dt.date(2001, 2, 3), description="About it."), ()
    )
    data = render(article, "docx")
    props = package_properties(data, "docx")
    assert props["title"]["c"] == "Props" and props["date"]["c"] == "2001-02-03"
    back = read_with_pandoc(data, "docx")
    assert (back.metadata.title, back.metadata.authors, back.metadata.description) == ("Props", ("A One",), "About it.")


def test_a_document_without_date_reads_back_without_one() -> None:
    back = read_with_pandoc(render(Article(Metadata(title="Undated"), (Paragraph((Text("x"),)),)), "docx"), "docx")
    assert back.metadata.date is None and back.metadata.modified is None


def test_list_formats_marks_pandoc_formats() -> None:
    import contextlib

    from convert.cli import _list_formats

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _list_formats()
    lines = out.getvalue().splitlines()
    assert any(line.split()[:2] == ["docx", "[pandoc]"] for line in lines)  # the reader
    assert any(line.split()[:3] == ["typst", ".typ", "[pandoc]"] for line in lines)
    assert not any("[pandoc]" in line for line in lines if line.split()[:1] == ["tei"])


def test_copyright_line_in_text_becomes_rights() -> None:
    body = (Paragraph((Text("Body text."),)), Paragraph((Text("© 2004 Some Holder. All rights reserved."),)))
    article = rights_from_text(Article(Metadata(title="x"), body))
    assert article.metadata.rights.copyright == "© 2004 Some Holder. All rights reserved."
    assert article.body == body[:1]
    kept = rights_from_text(Article(Metadata(rights=Rights(copyright="Given")), body))
    assert kept.metadata.rights.copyright == "Given"


def test_rights_section_leaves_the_body() -> None:
    body = (
        Paragraph((Text("Text."),)),
        Heading(1, (Text("Colophon"),)),
        Paragraph((Strong((Text("Disclaimer:"),)), Text(" Not advice."))),
        Paragraph((Text("Second paragraph of it."),)),
        Paragraph((Strong((Text("Licence:"),)), Text(" CC BY"))),
    )
    article = rights_from_text(Article(Metadata(), body))
    assert article.body == body[:1]
    assert article.metadata.rights.disclaimer == "Not advice.\n\nSecond paragraph of it."
    assert article.metadata.rights.licence == "CC BY"


def test_a_section_that_is_not_rights_stays() -> None:
    body = (Heading(1, (Text("Rights"),)), Paragraph((Text("Human rights are a topic here."),)))
    assert rights_from_text(Article(Metadata(), body)).body == body


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("org", b"#+TITLE: Org title\n\nSome /org/ text.\n"),
        ("mediawiki", b"Some '''wiki''' text.<ref>A note.</ref>\n"),
        ("textile", b"Some _textile_ text.\n"),
        ("jats", b"<article><front><article-meta><title-group><article-title>J</article-title></title-group>"
                 b"</article-meta></front><body><p>Some text.</p></body></article>"),
        ("pandoc:commonmark", b"Some *text*.\n"),
    ],
)  # fmt: skip
def test_text_readers(fmt: str, source: bytes) -> None:
    from convert.registry import get_reader

    article = get_reader(fmt).read(source, __import__("convert.options").options.Options())
    assert "text" in plain_text_blocks(article.body)


def test_odt_keywords(sample: Article) -> None:
    data = render(sample, "odt")
    assert "Asia" in str(zipfile.ZipFile(io.BytesIO(data)).read("meta.xml"), "utf-8")


def test_images_travel_through_docx_as_assets() -> None:
    from convert.ir.model import Asset, Figure, Image
    from tests.strategies import PNG

    article = Article(
        Metadata(title="Pictured"),
        (Paragraph((Text("Text."),)), Figure((Text("A dot"),), Image("img/dot.png", "a dot"))),
        assets=(Asset("img/dot.png", "image/png", PNG),),
    )
    back = read_with_pandoc(render(article, "docx"), "docx")
    figures = [b for b in back.body if isinstance(b, Figure)]
    assert figures and figures[0].image is not None
    asset = back.asset(figures[0].image.src)
    assert asset is not None and asset.data == PNG and asset.media_type == "image/png"


@pytest.mark.parametrize(
    ("fmt", "source"),
    [("latex", b"Before \\input{%s} after.\n"), ("rst", b"Before.\n\n.. include:: %s\n\nAfter.\n")],
)
def test_readers_do_not_include_local_files(fmt: str, source: bytes, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    article = read_with_pandoc(source % str(secret).encode(), fmt)  # pandoc runs with --sandbox
    assert "TOP-SECRET" not in plain_text_blocks(article.body) and "after" in plain_text_blocks(article.body).lower()
