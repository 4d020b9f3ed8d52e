"""The EPUB writer's shortcuts agree with the general paths they stand beside.

* the book's zip is written once, from the book's files: it is byte for byte
  the zip ebooklib writes, rewritten as the writer did before (``mimetype``
  first and stored, fixed timestamps, attributes, level 6);
* facts of blocks are collected by a walk of the blocks alone
  (:func:`~convert.writers.epub.prepare.query_blocks`): it meets every block
  that :func:`~convert.ir.walk.query` meets;
* link addresses are repaired through a cache of :func:`epub_href`;
* the zip is written record by record (:mod:`convert.writers.zipfiles`, which
  the DOCX writer uses too): the bytes :mod:`zipfile` writes for the same files.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ebooklib import epub
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convert
from convert.ir.model import (
    Article,
    BibEntry,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Figure,
    Heading,
    Image,
    Metadata,
    Note,
    OrderedList,
    Paragraph,
    Text,
)
from convert.ir.walk import Node, query
from convert.registry import Options
from convert.writers import epub as writer
from convert.writers.epub.content import _repaired_href, epub_href
from convert.writers.epub.package import zip_entries
from convert.writers.epub.prepare import query_blocks
from convert.writers.zipfiles import _by_zipfile, _plain, _written, zip_files

from . import strategies as S
from .conftest import ROOT, SAMPLE
from .epub_oracle import ebooklib_book

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rich").glob("*.md"))


@functools.cache
def _fixture_articles() -> list[Article]:
    return [convert.parse(path.read_bytes(), str(path)) for path in [SAMPLE, *FIXTURES]]


# --------------------------------------------------------------------------- the zip


def _ebooklib_zip_rewritten(article: Article, options: Options) -> bytes:
    """The book as the writer made it before: ebooklib's own zip, read back and rewritten."""
    book = writer.prepare(article)
    docs, toc = writer.content_documents(book)
    built, ebooklib_options = ebooklib_book(article, book, options, docs, toc)
    raw = io.BytesIO()
    epub.write_epub(raw, built, {**ebooklib_options, "compresslevel": 0})
    when = writer.modified_time(article, options)
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        for name in ["mimetype", *(n for n in names if n != "mimetype")]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


@pytest.mark.parametrize("index", range(1 + len(FIXTURES)))
def test_the_book_is_ebooklibs_zip_rewritten_for_the_fixtures(index: int) -> None:
    article = _fixture_articles()[index]
    for options in (Options(), Options(source_date_epoch=1_700_000_000)):
        assert writer.render(article, options) == _ebooklib_zip_rewritten(article, options)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.articles(rich=True, assets=True))
def test_the_book_is_ebooklibs_zip_rewritten(article: Article) -> None:
    assert writer.render(article, Options()) == _ebooklib_zip_rewritten(article, Options())


# --------------------------------------------------------------------------- blocks


def _every_block(node: Node) -> tuple[Any, ...]:
    return (node,) if isinstance(node, Block) else ()


def _ids(found: list[Any]) -> Counter[int]:
    return Counter(id(node) for node in found)


def _same_blocks(article: Article) -> None:
    assert _ids(query_blocks(_every_block, article)) == _ids(query(_every_block, article))
    assert _ids(query_blocks(_every_block, article.body)) == _ids(query(_every_block, article.body))


def test_query_blocks_meets_every_block_of_the_fixtures() -> None:
    for article in _fixture_articles():
        _same_blocks(article)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.articles(rich=True))
def test_query_blocks_meets_every_block(article: Article) -> None:
    _same_blocks(article)


def test_query_blocks_reaches_nested_blocks_and_notes() -> None:
    figure = Figure((Text("caption"),))
    bib = Bibliography((BibEntry((Text("Smith 2019"),), "smith2019"),))
    nested = BlockQuote((BulletList(((OrderedList(((figure,),)),),)),))
    notes = (Note("1", (bib, Paragraph((Image("x.png"),)))),)
    article = Article(Metadata(), (Heading(1, (Text("t"),)), nested), notes)
    found = query_blocks(_every_block, article)
    assert any(node is figure for node in found) and any(node is bib for node in found)
    assert not any(node is bib for node in query_blocks(_every_block, article.body))
    _same_blocks(article)


# --------------------------------------------------------------------------- links


@settings(max_examples=300, deadline=None)
@given(st.one_of(S.urls(), S.image_sources(), st.text(max_size=40)))
def test_repaired_addresses_are_epub_href(url: str) -> None:
    assert _repaired_href(url) == epub_href(url)
    assert _repaired_href(url) == epub_href(url)  # from the cache too


def test_repaired_addresses_of_the_fixtures() -> None:
    for path in [SAMPLE, *FIXTURES, Path("notes.xhtml#fn-1")]:
        for url in (str(path), f"https://example.org/{path.name} x", f"#{path.stem}%zz"):
            assert _repaired_href(url) == epub_href(url)


# --------------------------------------------------------------------------- zip records

_names = st.one_of(
    st.sampled_from(["META-INF/container.xml", "EPUB/style/epub.css", "EPUB/text.xhtml", "EPUB/images/a.png"]),
    st.text(min_size=1, max_size=12).filter(lambda n: "\0" not in n and not n.endswith("/")),
)
_stamps = st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2107, 12, 31)).map(
    lambda d: d.replace(tzinfo=dt.UTC)
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_names, st.binary(max_size=3000) | st.text(max_size=500).map(str.encode), max_size=6), _stamps)
def test_the_zip_written_here_is_zipfiles(files: dict[str, bytes], when: dt.datetime) -> None:
    files = {"mimetype": b"application/epub+zip", **files}
    names = list(files)
    order = ["mimetype", *(n for n in names if n != "mimetype")]
    entries = [(name, files[name]) for name in order]
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)
    stored = frozenset({"mimetype"})
    common = frozenset({"META-INF/container.xml", "EPUB/style/epub.css"})
    assert _plain(entries)
    expected = _by_zipfile(entries, date_time, stored)
    assert _written(entries, date_time, stored, common) == expected
    assert zip_files(entries, date_time, stored=stored, common=common) == expected
    assert zip_entries(names, files, when) == expected == zip_entries(names, files, when)
    with zipfile.ZipFile(io.BytesIO(expected)) as z:
        assert z.testzip() is None and z.namelist() == order
    # as the DOCX writer zips: every entry deflated, some compressed once
    assert _written(entries, date_time, common=common) == _by_zipfile(entries, date_time)


def test_names_the_zip_written_here_does_not_take_go_to_zipfile() -> None:
    files = {"mimetype": b"application/epub+zip", "a/": b"", "b\0c": b"x"}
    for name in ("a/", "b\0c"):
        assert not _plain([("mimetype", files["mimetype"]), (name, files[name])])
    assert not _plain([("mimetype", b""), ("x", b"1"), ("x", b"1")])
    when = dt.datetime(2020, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    entries = [("mimetype", files["mimetype"]), ("x", b"1"), ("x", b"1")]
    with pytest.warns(UserWarning, match="Duplicate name"):
        expected = _by_zipfile(entries, (2020, 5, 6, 7, 8, 8), frozenset({"mimetype"}))
    with pytest.warns(UserWarning, match="Duplicate name"):
        assert zip_entries(["mimetype", "x", "x"], {**files, "x": b"1"}, when) == expected


def test_the_zip_entries_time() -> None:
    from convert.writers.zipfiles import stamp_of

    assert stamp_of(None) == stamp_of(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) == (1980, 1, 1, 0, 0, 0)
    assert stamp_of(dt.datetime(2012, 9, 27, 13, 4, 59, tzinfo=dt.UTC)) == (2012, 9, 27, 13, 4, 58)
