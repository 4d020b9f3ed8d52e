"""The package files the EPUB writer writes as text are ebooklib's, byte for byte.

The container, package document (``content.opf``), navigation document and NCX are written as
strings (:mod:`convert.writers.epub.opf`); ebooklib's writer, which made them before, is the
oracle (:mod:`tests.epub_oracle`).  Every file of the book, its name and place, the errors raised
for strings XML cannot hold and what is logged are compared: for the fixtures, for generated
articles (right-to-left ones, covers and images, several titles and creators, empty metadata),
and for metadata and tables of contents of any characters.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convert
from convert.ir.model import (
    Article,
    Asset,
    Figure,
    Heading,
    Identifier,
    Image,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Rights,
    Subject,
    Text,
)
from convert.registry import Options
from convert.writers import epub as writer
from convert.writers.epub.content import NOTES_FILE, RIGHTS_FILE, TEXT_FILE, TocEntry
from convert.writers.epub.package import package

from . import strategies as S
from .conftest import ROOT, SAMPLE
from .epub_oracle import ebooklib_package

FIXTURES = sorted(
    path
    for folder in ("corpus", "articles", "rich")
    for path in (ROOT / "tests" / "fixtures" / folder).iterdir()
    if path.suffix in {".md", ".txt"} and path.stem != "README"
)

Build = Callable[[Article, Article, Options, dict[str, bytes], Sequence[TocEntry]], tuple[list[str], dict[str, bytes]]]


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name} {record.levelname} {record.getMessage()}")


@contextmanager
def _logged() -> Iterator[list[str]]:
    """What is logged (any logger, any level) and warned meanwhile."""
    root = logging.getLogger()
    kept, level = _Kept(), root.level
    root.addHandler(kept)
    root.setLevel(logging.DEBUG)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield kept.messages
        kept.messages += [f"warning {w.category.__name__} {w.message}" for w in caught]
    finally:
        root.removeHandler(kept)
        root.setLevel(level)


def _outcome(build: Build, article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]) -> Any:
    """The files ``build`` makes (or the error it raises), and what it logs and warns."""
    with _logged() as messages:
        try:
            result: Any = build(article, article, options, docs, toc)
        except ValueError as exc:  # (UnicodeEncodeError too)
            result = (type(exc).__name__, str(exc))
    return result, messages


def _same(article: Article, options: Options, docs: dict[str, bytes], toc: Sequence[TocEntry]) -> Any:
    ours, oracle = (
        _outcome(package, article, options, docs, toc),
        _outcome(ebooklib_package, article, options, docs, toc),
    )
    files, expected_files = ours[0], oracle[0]
    if isinstance(expected_files, tuple) and isinstance(expected_files[1], dict):
        assert files[0] == expected_files[0]  # the names, in order
        for name, data in expected_files[1].items():  # (file by file: a difference is shown where it is)
            assert files[1].get(name, b"").decode(errors="replace") == data.decode(errors="replace"), name
    assert ours == oracle
    return files


def _same_book(article: Article, options: Options) -> None:
    book = writer.prepare(article)
    docs, toc = writer.content_documents(book)
    ours = _outcome(lambda _o, a, o, d, t: package(article, a, o, d, t), book, options, docs, toc)
    oracle = _outcome(lambda _o, a, o, d, t: ebooklib_package(article, a, o, d, t), book, options, docs, toc)
    assert ours == oracle


# --------------------------------------------------------------------------- fixtures


@functools.cache
def _fixture_articles() -> list[Article]:
    return [convert.parse(path.read_bytes(), str(path)) for path in [SAMPLE, *FIXTURES]]


@pytest.mark.parametrize("index", range(1 + len(FIXTURES)))
def test_the_fixtures_package_files_are_ebooklibs(index: int) -> None:
    article = _fixture_articles()[index]
    for options in (Options(), Options(source_date_epoch=1_700_000_000), Options(cover="img/photo.png")):
        _same_book(article, options)


def test_the_fixtures_hold_what_the_comparison_is_for() -> None:
    """Among the fixtures: right to left, nested headings, images and a cover, notes, a rights page."""
    files = []
    for article in _fixture_articles():
        book = writer.prepare(article)
        files.append(package(article, book, Options(), *writer.content_documents(book))[1])
    opf = [f["EPUB/content.opf"] for f in files]
    assert any(b'dir="rtl"' in o and b'page-progression-direction="rtl"' in o for o in opf)
    assert any(b'properties="cover-image"' in o for o in opf)
    assert any(b'id="sep_1"' in f["EPUB/toc.ncx"] for f in files)
    assert any("EPUB/notes.xhtml" in f for f in files) and any("EPUB/rights.xhtml" in f for f in files)


# --------------------------------------------------------------------------- generated articles

_options = st.builds(
    Options,
    source_date_epoch=st.one_of(st.none(), st.integers(0, 4_000_000_000)),
    cover=st.sampled_from(["", "img-0.png", "missing.png"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.articles(rich=True, assets=True), _options)
def test_generated_articles_package_files_are_ebooklibs(article: Article, options: Options) -> None:
    _same_book(article, options)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.articles(rich=True, assets=True), st.sampled_from(["ar", "he", "fa", "ur", "ar-EG", "az-Arab"]), _options)
def test_right_to_left_articles_package_files_are_ebooklibs(article: Article, language: str, options: Options) -> None:
    meta = Metadata(**{**{f: getattr(article.metadata, f) for f in _FIELDS}, "language": language})
    _same_book(Article(meta, article.body, article.notes, article.assets), options)


_FIELDS = tuple(f for f in Metadata.__dataclass_fields__ if not f.startswith("_"))


def _images(count: int, media_type: str = "image/png") -> tuple[tuple[Figure, ...], tuple[Asset, ...]]:
    figures = tuple(Figure((Text(f"figure {i}"),), Image(f"img-{i}.png", f"alt {i}")) for i in range(count))
    return figures, tuple(Asset(f"img-{i}.png", media_type, S.PNG + bytes([i])) for i in range(count))


@pytest.mark.parametrize(
    "meta",
    [
        Metadata(),
        Metadata(title="  "),
        Metadata(title="T", subtitle="S", authors=("Ann Lee", "Bo Chen Jr.", "Yousaf, Farooq", "Plato")),
        Metadata(title="A & B <c> \"d\" 'e'", authors=("Ö & Ü",), subjects=(Subject("x < y"), Subject("x < y"))),
        Metadata(identifiers=(Identifier("10.1/x", "doi"), Identifier("urn:isbn:1", "isbn")), language="ur"),
        Metadata(rights=Rights(copyright="© 2020 A", licence_url="https://l.example/?a=1&b=2", licence_id="MIT")),
        Metadata(title="\U0001f600 \U00020000", source_url='https://x.example/a?b=1&c="2"', site="S\tite"),
        Metadata(image="img-1.png", language="he", date=dt.date(2001, 2, 3), description="line\nbreak"),
    ],
)
def test_metadata_package_files_are_ebooklibs(meta: Metadata) -> None:
    figures, assets = _images(3)
    heading = Heading(1, (Text("H"),))
    body = (heading, Paragraph((Text("p"), NoteRef("1"))), *figures, Heading(2, (Text("h2"),)), heading)
    article = Article(meta, body, (Note("1", (Paragraph((Text("n"),)),)),), assets)
    for options in (Options(), Options(cover="img-2.png"), Options(cover="nope.png")):
        _same_book(article, options)
        _same_book(Article(meta, (Paragraph((Text("p"),)),)), options)


@pytest.mark.parametrize("media_type", ["image/png", " IMAGE/JPEG ; q=1", "image/svg+xml", "image/webp", "text/plain"])
def test_image_media_types_package_files_are_ebooklibs(media_type: str) -> None:
    figures, assets = _images(2, media_type)
    _same_book(Article(Metadata(title="t"), figures, (), assets), Options(cover="img-1.png"))


# --------------------------------------------------------------------------- any characters

#: Characters lxml escapes or refuses, and others of note (line separators, non-BMP, a lone surrogate).
_ODD = st.sampled_from(
    [
        *("&", "<", ">", '"', "'", "\r", "\n", "\t", " ", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85"),
        *("\u2028", "\ufffe", "\uffff", "\ud800", "\udfff", "\U0001f600", "\U0010ffff", "é", "/", ".", "#", "%"),
    ]
)
_odd_text = st.lists(st.one_of(_ODD, st.characters()), max_size=8).map("".join)
#: Mostly texts XML can hold, so that most books are made (and some refused).
_text = st.one_of(_odd_text.filter(lambda t: not any(c in t for c in "\x00\x01\x0b\x1f\ufffe\uffff\ud800\udfff")),
                  _odd_text, st.sampled_from(["", "a", " a b "]))  # fmt: skip
_href = st.one_of(
    st.sampled_from(["text.xhtml", "text.xhtml#sec-1", "notes.xhtml", "a/b.xhtml", "./x.xhtml", "a//b/../c#d", ""]),
    _text,
)
_toc: st.SearchStrategy[tuple[TocEntry, ...]] = st.recursive(
    st.just(()),
    lambda children: st.lists(st.builds(TocEntry, _text, _href, children), min_size=1, max_size=3).map(tuple),
    max_leaves=12,
)


@st.composite
def _odd_metadata(draw: st.DrawFn) -> Metadata:
    texts = st.lists(_text, max_size=3).map(tuple)
    return Metadata(
        title=draw(_text),
        subtitle=draw(_text),
        authors=draw(texts),
        publisher=draw(_text),
        date=draw(st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))),
        language=draw(st.one_of(st.sampled_from(["", "en", "ar", "he-IL", "und"]), _text)),
        source_url=draw(st.one_of(_text, st.just("https://example.org/a?b=1&c=2"))),
        subjects=tuple(Subject(t) for t in draw(texts)),
        identifiers=tuple(Identifier(t, "doi") for t in draw(texts)),
        rights=Rights(copyright=draw(_text), licence=draw(_text), licence_url=draw(_text), licence_id=draw(_text)),
        site=draw(_text),
        description=draw(_text),
        image=draw(st.sampled_from(["", "img-0.png", "img-1.png"])),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _odd_metadata(),
    _toc,
    st.lists(st.sampled_from([TEXT_FILE, NOTES_FILE, RIGHTS_FILE, "x.y.xhtml", "images/img.xhtml"]), unique=True),
    st.integers(0, 3),
    _options,
)
def test_any_metadata_and_contents_package_files_are_ebooklibs(
    meta: Metadata, toc: tuple[TocEntry, ...], names: list[str], count: int, options: Options
) -> None:
    figures, assets = _images(count)
    article = Article(meta, (Paragraph((Text("p"),)), *figures), (), assets)
    docs = {name: f"<{name}/>".encode() for name in names}
    _same(article, options, docs, toc)


@pytest.mark.parametrize(
    "href", ["./x.xhtml", "a//b/../c#d", "../up.xhtml", "/abs.xhtml", "a\tb", 'x"&<>\n\r', "text.xhtml#sec-1", "é"]
)
def test_contents_addresses_and_titles_are_ebooklibs(href: str) -> None:
    article = Article(Metadata(title="t"), (Paragraph((Text("p"),)),))
    nested = (TocEntry('c\t"', href), TocEntry("d", TEXT_FILE, (TocEntry("e", href), TocEntry("f", href, ()))))
    toc = [TocEntry("t & <u>\r", href, nested), TocEntry("g", href), TocEntry("h", TEXT_FILE, nested)]
    files = _same(article, Options(), {TEXT_FILE: b"", RIGHTS_FILE: b""}, toc)
    assert isinstance(files, tuple) and isinstance(files[1], dict)  # (a book, not an error)


def test_strings_xml_cannot_hold_are_refused_or_left_out_as_by_ebooklib() -> None:
    article = Article(Metadata(title="t"), (Paragraph((Text("p"),)),))
    toc = [TocEntry("t", TEXT_FILE)]
    files = _same(article, Options(), {TEXT_FILE: b""}, toc)
    assert isinstance(files, tuple) and isinstance(files[1], dict)
    refused = Article(Metadata(title="t", identifiers=(Identifier("a\x01"), Identifier("b\ud800"))), article.body)
    files = _same(refused, Options(), {TEXT_FILE: b""}, toc)
    assert b'<dc:identifier id="id-1"/>' in files[1]["EPUB/content.opf"]  # (the text left out)
    for bad, error in (("a\x0b", "ValueError"), ("\ud800", "UnicodeEncodeError")):
        assert _same(article, Options(), {TEXT_FILE: b""}, [TocEntry(bad, TEXT_FILE)])[0] == error


# --------------------------------------------------------------------------- imports


def test_writing_a_book_imports_no_ebooklib(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from convert.cli import main\n"
        f"status = main(['-q', {str(SAMPLE)!r}, '-t', 'epub', '-o', {str(tmp_path / 'x.epub')!r}])\n"
        "print(status, *sorted(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    status, *modules = out.stdout.split()
    assert status == "0" and (tmp_path / "x.epub").stat().st_size > 0
    assert "convert.writers.epub.opf" in modules
    for heavy in ("ebooklib", "six"):
        assert heavy not in modules, heavy
