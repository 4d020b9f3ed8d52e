"""The epub writer: EPUBCheck on every book, metadata, linked notes, rights page, goldens, reproducibility.

Every EPUB built here (the module-scoped ``books`` fixture; other tests only
compare their output with these bytes) goes through EPUBCheck once, all in one
parallel batch, and any message fails the test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import string
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import convert
from convert.ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Identifier,
    Image,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Rights,
    Strong,
    Text,
)
from convert.registry import Options, get_writer
from convert.writers import epub as writer

from .conftest import ROOT, SAMPLE
from .conftest import check_golden as check_shared_golden
from .validators import epubcheck

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
SDE = 1_700_000_000  # 2023-11-14T22:13:20Z

# --------------------------------------------------------------------------- the test books

BARE = b"""---
title: A bare article
lang: und
---

A first paragraph with nothing around it.

A second paragraph, and that is all.
"""

AUTHORS = b"""---
title: Three authors and their notes
subtitle: With a subtitle
author: [Jane Q. Doe, John Smith Jr., Ludwig van Beethoven]
date: 2021-03-04
lang: en-GB
publisher: Example Press
source-url: https://example.org/articles/three-authors
subject:
  region: [Europe]
  theme: [Music, Notes]
rights: Copyright \xc2\xa9 Jane Q. Doe, Example Press, 2021
disclaimer: The views expressed are the authors' own.
contact: For permissions write to rights@example.org
---

A claim[^a] and the same source again[^a], then another[^b].

[^a]: Referenced twice: <https://example.org/a>
[^b]: Referenced once.
[^c]: Never referenced, still listed.
"""

STRUCTURE = b"""---
title: Headings, lists, quotes and figures
author: A. Writer
date: 2019-12-31
lang: en
---

An opening paragraph with *emphasis*, **strength** and `code`.

# First part

- one bullet
- another bullet

3. third
4. fourth

> A quotation that spans
> two lines.

![A photo of a harbour](https://example.org/images/harbour.jpg "Harbour")

## A subsection

![](images/local-only.png)

```python
print("hello")
```

---

# Second part

Closing words with a [web link](https://example.org/page?a=1&b=2).
"""

HOSTILE = b"""---
title: "<script>alert('title')</script> & friends"
author: "<b>Mallory</b>"
lang: en
---

Text with <script>alert(1)</script> inline and a [bad link](javascript:alert(2)) and a
[data link](data:text/html;base64,PHNjcmlwdD4=) and `<script>alert(3)</script>` as code.

<script>alert(4)</script>

<iframe src="https://evil.example/"></iframe>

[fragment of the original page](#comments) and <img src="https://evil.example/x.png" onerror="alert(5)">.
"""

EDGE = Article(
    Metadata(
        title="Edge cases <with> & “quotes”",
        authors=("Plato",),
        language="de-CH",
        source_url="https://example.org/edge page?x=1&y=2",
        identifiers=(Identifier("10.1000/xyz", "doi"), Identifier("https://example.org/edge", "url")),
        rights=Rights(
            copyright="Copyright © 2020 Ann Example",
            licence="CC BY 4.0",
            disclaimer="Terms: https://example.org/terms{2020}",
        ),
    ),
    (
        Paragraph(
            (
                Text("<script>alert(1)</script> & friends "),
                Link((Text("js"),), "javascript:alert(1)"),
                Text(" "),
                Link((Text("fragment"),), "#top"),
                Text(" "),
                NoteRef("missing"),
                Text(" "),
                Link(
                    (Text("outer "), Link((Text("inner"),), "https://example.org/in"), NoteRef("n1")),
                    "https://example.org/out",
                ),
            )
        ),
        Figure((), Image("https://example.org/pic.png", "An alt text")),
        Figure((), Image("data:image/png;base64,AAAA")),
        Figure((Text("A local image"),), Image("images/local.png")),
        Heading(2, (Text("A deeper heading first"),)),
        Heading(1, (Text("Then a top heading"), NoteRef("n1"))),
        Paragraph(
            (
                Link((Text("spaced"),), "https://example.org/a b?q=[1]&r=100%"),
                Text(" and "),
                Link((Text("broken host"),), "http://exa mple.org/"),
                Text(". The end."),
            )
        ),
    ),
    (
        Note("n1", (Paragraph((Text("See also "), NoteRef("n 2"), Text("."))),)),
        Note("n 2", (Paragraph((Text("Second note."),)), CodeBlock("x = 1"))),
    ),
)


@dataclass
class Book:
    """One produced EPUB and its files."""

    name: str
    article: Article
    data: bytes
    path: Path

    def file(self, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            return zf.read(name)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.file(f"EPUB/{name}"))

    @property
    def names(self) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            return zf.namelist()


VARIANTS = ["sample", "bare", "authors", "structure", "hostile", "edge"]


def _variant(name: str) -> tuple[Article, Options]:
    """The article of a test book and the options it is written with."""
    sources: dict[str, Path | bytes] = {
        "sample": SAMPLE,
        "bare": BARE,
        "authors": AUTHORS,
        "structure": STRUCTURE,
        "hostile": HOSTILE,
    }
    article = EDGE if name == "edge" else convert.read(sources[name])
    return article, Options(source_date_epoch=SDE) if name == "authors" else Options()


def check_golden(name: str, data: bytes) -> None:
    """Compare ``data`` with ``tests/golden/epub/<name>``."""
    check_shared_golden(f"epub/{name}", data)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    """Every test book, written once (the only EPUBs this module makes)."""
    folder = tmp_path_factory.mktemp("epub")
    made: dict[str, Book] = {}
    for name in VARIANTS:
        article, options = _variant(name)
        data = writer.render(article, options)
        path = folder / f"{name}.epub"
        path.write_bytes(data)
        made[name] = Book(name, article, data, path)
    return made


@pytest.fixture(scope="module")
def epubcheck_messages(books: dict[str, Book]) -> dict[str, list[str]]:
    """What EPUBCheck says about each book, all checked in one batch."""
    results = epubcheck([book.path for book in books.values()])
    return {name: results[book.path] for name, book in books.items()}


# --------------------------------------------------------------------------- validity


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_epubcheck_says_nothing(epubcheck_messages: dict[str, list[str]], name: str) -> None:
    assert epubcheck_messages[name] == []


@pytest.mark.parametrize("name", VARIANTS)
def test_container(books: dict[str, Book], name: str) -> None:
    data = books[name].data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert data[30:38] == b"mimetype" and data[38:58] == b"application/epub+zip"  # no extra field
    assert infos[1].filename == "META-INF/container.xml"
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos[1:])
    assert len({i.date_time for i in infos}) == 1


def _docs(book: Book) -> dict[str, etree._Element]:
    """The XHTML documents of ``book`` by file name."""
    return {n[5:]: book.xml(n[5:]) for n in book.names if n.endswith(".xhtml")}


def _check_links(docs: dict[str, etree._Element]) -> None:
    """Every link inside the book resolves; nothing but the web, mail and in-book targets is linked."""
    ids = {name: set(root.xpath("//@id")) for name, root in docs.items()}
    for name, root in docs.items():
        for href in root.xpath("//x:a/@href", namespaces=NS):
            if href.startswith(("http://", "https://", "ftp://", "mailto:", "tel:")):
                assert writer.epub_href(href) == href, f"{name}: not a valid URL {href!r}"
                continue
            file, _, frag = href.partition("#")
            target = file or name
            assert target in ids, f"{name}: link to a missing document {href!r}"
            assert not frag or frag in ids[target], f"{name}: link to a missing id {href!r}"
        assert not root.xpath("//x:img | //x:script | //x:iframe | //x:object | //x:embed", namespaces=NS)
        assert not root.xpath("//@*[starts-with(name(), 'on')]")


@pytest.mark.parametrize("name", VARIANTS)
def test_links_resolve(books: dict[str, Book], name: str) -> None:
    _check_links(_docs(books[name]))


WORDS = st.text(alphabet=string.ascii_letters + " <>&\"'#%", min_size=1, max_size=12)
TARGETS = st.sampled_from(
    [
        "https://example.org/p?a=1&b=2",
        "https://example.org/a b?c=[d]",
        "https://example.org/100%",
        "http://exa mple.org/",
        "#fragment",
        "notes.xhtml#note-x",
        "mailto:someone@example.org",
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://example.org/file",
        "tel:+1 555 0100",
    ]
)
IMAGES = st.sampled_from(["", "https://example.org/i.png", "images/local.png", "data:image/png;base64,AAAA"])
LABELS = ("1", "ii", "n 2", "x")


def _inlines(labels: tuple[str, ...]) -> st.SearchStrategy[tuple[Inline, ...]]:
    leaf: st.SearchStrategy[Inline] = st.one_of(
        WORDS.map(Text), WORDS.map(Code), st.just(LineBreak()), st.sampled_from((*labels, "missing")).map(NoteRef)
    )

    def containers(inner: st.SearchStrategy[Inline]) -> st.SearchStrategy[Inline]:
        content = st.lists(inner, max_size=3).map(tuple)
        return st.one_of(content.map(Emph), content.map(Strong), st.builds(Link, content, TARGETS))

    return st.lists(st.recursive(leaf, containers, max_leaves=8), min_size=1, max_size=6).map(tuple)


def _blocks(labels: tuple[str, ...]) -> st.SearchStrategy[tuple[Block, ...]]:
    text = _inlines(labels)
    para = text.map(Paragraph)
    block: st.SearchStrategy[Block] = st.one_of(
        para,
        st.builds(Heading, st.integers(1, 4), text),
        st.builds(Figure, st.one_of(st.just(()), text), st.builds(Image, IMAGES, st.one_of(st.just(""), WORDS))),
        st.lists(para, min_size=1, max_size=2).map(lambda ps: BlockQuote(tuple(ps))),
        st.lists(para.map(lambda p: (p,)), min_size=1, max_size=3).map(lambda items: BulletList(tuple(items))),
        WORDS.map(CodeBlock),
    )
    return st.lists(block, min_size=1, max_size=6).map(tuple)


@st.composite
def epub_articles(draw: st.DrawFn) -> Article:
    """Articles full of what a book cannot link as is: odd addresses, missing or nested notes, images."""
    labels = tuple(draw(st.lists(st.sampled_from(LABELS), max_size=4, unique=True)))
    notes = tuple(Note(label, draw(_blocks(labels))) for label in labels)
    meta = Metadata(title=draw(WORDS), source_url=draw(st.one_of(st.just(""), TARGETS)))
    return Article(meta, draw(_blocks(labels)), notes)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(epub_articles())
def test_links_resolve_for_any_article(article: Article) -> None:
    docs, _ = writer.content_documents(writer.prepare(article))
    parsed = {name: etree.fromstring(data) for name, data in docs.items()}
    _check_links(parsed)
    noterefs = [a for root in parsed.values() for a in root.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    assert all(a.get("href", "").startswith(f"{writer.NOTES_FILE}#") for a in noterefs)


# --------------------------------------------------------------------------- package metadata


def _opf(book: Book) -> etree._Element:
    return book.xml("content.opf")


def _dc(opf: etree._Element, name: str) -> list[str]:
    return [el.text or "" for el in opf.iterfind(f"opf:metadata/dc:{name}", NS)]


def _props(opf: etree._Element, prop: str) -> list[str]:
    return [el.text or "" for el in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def test_sample_metadata(books: dict[str, Book]) -> None:
    book = books["sample"]
    opf = _opf(book)
    assert opf.get("version") == "3.0"
    unique = opf.get("unique-identifier")
    (ident,) = opf.xpath("opf:metadata/dc:identifier[@id=$i]", namespaces=NS, i=unique)
    expected = uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "urn:artconv:ir"), repr(book.article))
    assert ident.text == f"urn:uuid:{expected}"
    assert _dc(opf, "title") == ["Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"]
    assert _dc(opf, "creator") == ["Farooq Yousaf"]
    assert _props(opf, "role") == ["aut"]
    assert _props(opf, "file-as") == ["Yousaf, Farooq"]
    assert _dc(opf, "publisher") == ["Global Research"]
    assert _dc(opf, "date") == ["2012-09-27"]
    assert _dc(opf, "language") == ["en"]
    assert _dc(opf, "subject") == ["Asia", "Russia and FSU", "Oil and Energy"]
    assert _dc(opf, "rights") == ["Copyright © Farooq Yousaf, Global Research, 2012"]
    assert _dc(opf, "source") == []  # the saved article does not give its address
    assert _props(opf, "dcterms:modified") == ["2012-09-27T00:00:00Z"]
    assert _props(opf, "schema:accessMode") == ["textual"]
    assert _props(opf, "schema:accessModeSufficient") == ["textual"]
    features = set(_props(opf, "schema:accessibilityFeature"))
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= features
    assert _props(opf, "schema:accessibilityHazard") == ["none"]
    (summary,) = _props(opf, "schema:accessibilitySummary")
    assert "endnotes" in summary
    assert b"Ebook-lib" not in book.file("EPUB/content.opf")


def test_bare_metadata(books: dict[str, Book]) -> None:
    book = books["bare"]
    opf = _opf(book)
    assert _dc(opf, "title") == ["A bare article"]
    assert _dc(opf, "language") == ["und"]
    for absent in ("creator", "date", "publisher", "subject", "rights", "source"):
        assert _dc(opf, absent) == [], absent
    assert _props(opf, "dcterms:modified") == ["1970-01-01T00:00:00Z"]
    assert _dc(opf, "identifier")[0].startswith("urn:uuid:")
    assert sorted(n for n in book.names if n.endswith(".xhtml")) == ["EPUB/nav.xhtml", "EPUB/text.xhtml"]
    (landmark,) = book.xml("nav.xhtml").xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert landmark.get(EPUB_TYPE) == "bodymatter"


def test_authors_metadata(books: dict[str, Book]) -> None:
    opf = _opf(books["authors"])
    creators = opf.findall("opf:metadata/dc:creator", NS)
    assert [c.text for c in creators] == ["Jane Q. Doe", "John Smith Jr.", "Ludwig van Beethoven"]
    file_as = {}
    for creator in creators:
        refines = {
            m.get("property"): m for m in opf.xpath("//opf:meta[@refines=$r]", namespaces=NS, r="#" + creator.get("id"))
        }
        assert refines["role"].text == "aut" and refines["role"].get("scheme") == "marc:relators"
        file_as[creator.text] = refines["file-as"].text
    assert file_as == {
        "Jane Q. Doe": "Doe, Jane Q.",
        "John Smith Jr.": "Smith, John, Jr.",
        "Ludwig van Beethoven": "Beethoven, Ludwig van",
    }
    assert _dc(opf, "title") == ["Three authors and their notes", "With a subtitle"]
    assert _props(opf, "title-type") == ["main", "subtitle"]
    assert _dc(opf, "source") == ["https://example.org/articles/three-authors"]
    ident = _dc(opf, "identifier")[0]
    assert ident == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'https://example.org/articles/three-authors')}"
    assert _dc(opf, "language") == ["en-GB"]
    assert _dc(opf, "subject") == ["Europe", "Music", "Notes"]
    # SOURCE_DATE_EPOCH wins over the article's date, in the package and in the zip
    assert _props(opf, "dcterms:modified") == ["2023-11-14T22:13:20Z"]
    with zipfile.ZipFile(io.BytesIO(books["authors"].data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_edge_metadata(books: dict[str, Book]) -> None:
    opf = _opf(books["edge"])
    assert _dc(opf, "title") == ["Edge cases <with> & “quotes”"]
    assert _dc(opf, "rights") == ["Copyright © 2020 Ann Example", "CC BY 4.0"]
    assert _dc(opf, "identifier")[1:] == ["doi:10.1000/xyz", "https://example.org/edge"]
    assert _dc(opf, "language") == ["de-CH"]


def test_identifier_is_stable_and_content_bound(books: dict[str, Book]) -> None:
    sample = books["sample"].article
    assert writer.book_identifier(sample) == writer.book_identifier(convert.read(SAMPLE))
    changed = Article(sample.metadata, sample.body[1:], sample.notes)
    assert writer.book_identifier(changed) != writer.book_identifier(sample)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Farooq Yousaf", "Yousaf, Farooq"),
        ("Plato", "Plato"),
        ("Doe, Jane", "Doe, Jane"),
        ("Martin Luther King Jr.", "King, Martin Luther, Jr."),
        ("  Jane   Doe ", "Doe, Jane"),
    ],
)
def test_file_as(name: str, expected: str) -> None:
    assert writer.file_as(name) == expected


# --------------------------------------------------------------------------- navigation


def test_navigation(books: dict[str, Book]) -> None:
    book = books["sample"]
    nav = book.xml("nav.xhtml")
    toc = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li/x:a/@href", namespaces=NS)
    assert toc == ["text.xhtml", "notes.xhtml", "rights.xhtml"]
    landmarks = {
        a.get(EPUB_TYPE): a.get("href") for a in nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    }
    assert landmarks == {"bodymatter": "text.xhtml", "copyright-page": "rights.xhtml"}
    ncx = book.xml("toc.ncx")
    assert ncx.xpath("ncx:head/ncx:meta[@name='dtb:uid']/@content", namespaces=NS) == _dc(_opf(book), "identifier")
    assert ncx.xpath("//ncx:navPoint/ncx:content/@src", namespaces=NS) == toc
    spine = _opf(book).xpath("opf:spine/opf:itemref/@idref", namespaces=NS)
    assert spine == ["text", "notes", "rights"]


def test_headings_nest_in_the_table_of_contents(books: dict[str, Book]) -> None:
    nav = books["structure"].xml("nav.xhtml")
    (top,) = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li[1]", namespaces=NS)
    parts = top.xpath("x:ol/x:li", namespaces=NS)
    assert [p.xpath("string(x:a)", namespaces=NS) for p in parts] == ["First part", "Second part"]
    assert parts[0].xpath("x:ol/x:li/x:a/@href", namespaces=NS) == ["text.xhtml#sec-2"]
    ncx = books["structure"].xml("toc.ncx")
    assert ncx.xpath("//ncx:content/@src", namespaces=NS) == [
        "text.xhtml",
        "text.xhtml#sec-1",
        "text.xhtml#sec-2",
        "text.xhtml#sec-3",
    ]
    text = books["structure"].xml("text.xhtml")
    assert text.xpath("//*[@id='sec-2']/text()", namespaces=NS) == ["A subsection"]


# --------------------------------------------------------------------------- notes and rights


def test_sample_notes_link_both_ways(books: dict[str, Book]) -> None:
    text, notes = books["sample"].xml("text.xhtml"), books["sample"].xml("notes.xhtml")
    refs = text.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert len(refs) == 10
    labels = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    assert [r.text for r in refs] == labels
    (section,) = notes.xpath("//x:section[@epub:type='endnotes']", namespaces=NS)
    assert section.get("role") == "doc-endnotes"
    for ref, label in zip(refs, labels, strict=True):
        assert ref.get("role") == "doc-noteref"
        assert ref.get("href") == f"notes.xhtml#note-{label}"
        (note,) = notes.xpath("//x:li[@id=$i]", namespaces=NS, i=f"note-{label}")
        assert note.get(EPUB_TYPE) == "endnote"
        assert note.xpath("x:p/x:a[@role='doc-backlink']/@href", namespaces=NS) == [f"text.xhtml#{ref.get('id')}"]
        urls = note.xpath("x:p/x:a[starts-with(@href, 'http')]", namespaces=NS)
        assert len(urls) == 1 and urls[0].text == urls[0].get("href")


def test_note_referenced_twice_and_unreferenced_note(books: dict[str, Book]) -> None:
    text, notes = books["authors"].xml("text.xhtml"), books["authors"].xml("notes.xhtml")
    assert text.xpath("//x:a[@epub:type='noteref']/@id", namespaces=NS) == ["ref-a-1", "ref-a-2", "ref-b-1"]
    back = {
        li.get("id"): li.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
        for li in notes.xpath("//x:li[@epub:type='endnote']", namespaces=NS)
    }
    assert back == {
        "note-a": ["text.xhtml#ref-a-1", "text.xhtml#ref-a-2"],
        "note-b": ["text.xhtml#ref-b-1"],
        "note-c": [],
    }


def test_sample_rights_page(books: dict[str, Book]) -> None:
    book = books["sample"]
    rights = book.xml("rights.xhtml")
    (page,) = rights.xpath("//x:section[@epub:type='copyright-page']", namespaces=NS)
    text = " ".join(page.xpath("string(.)").split())
    r = book.article.metadata.rights
    for statement in (r.copyright, r.disclaimer, r.fair_use, r.source, r.contact):
        assert statement and " ".join(statement.split()) in text
    assert page.xpath(".//x:a/@href", namespaces=NS) == ["mailto:publications@globalresearch.ca"] * 2


def test_source_address_on_rights_page(books: dict[str, Book]) -> None:
    page = books["authors"].xml("rights.xhtml")
    assert page.xpath("//x:p[@class='source-url']/x:a/@href", namespaces=NS) == [
        "https://example.org/articles/three-authors"
    ]
    assert "The views expressed are the authors' own." in page.xpath("string(.)")


# --------------------------------------------------------------------------- hostile input, figures, edge cases


@pytest.mark.parametrize("name", ["hostile", "edge"])
def test_no_active_content(books: dict[str, Book], name: str) -> None:
    book = books[name]
    for member in book.names:
        data = book.file(member)
        assert b"<script" not in data and b"<iframe" not in data, member
        assert b"javascript:" not in data and b"data:text" not in data, member
    opf = _opf(book)
    assert not opf.xpath(
        "//opf:item[contains(@properties, 'scripted') or contains(@properties, 'remote')]", namespaces=NS
    )


def test_hostile_text_is_kept_as_text(books: dict[str, Book]) -> None:
    book = books["hostile"]
    assert _dc(_opf(book), "title") == ["<script>alert('title')</script> & friends"]
    text = book.xml("text.xhtml")
    assert text.xpath("string(//x:h1)", namespaces=NS) == "<script>alert('title')</script> & friends"
    assert "<script>alert(3)</script>" in text.xpath("string(//x:code)", namespaces=NS)
    assert text.xpath("//x:a/@href", namespaces=NS) == []  # javascript:, data: and #fragment links are text now
    assert "bad link" in text.xpath("string(.)")


def test_figures_without_remote_images(books: dict[str, Book]) -> None:
    text = books["structure"].xml("text.xhtml")
    # the local image without a caption has nothing to show: no figure, no dead link
    (figure,) = text.xpath("//x:figure", namespaces=NS)
    caption = figure.find("x:figcaption", NS)
    assert caption is not None
    assert caption.xpath("string(.)") == "A photo of a harbour (view the image online)"
    assert caption.xpath("x:a/@href", namespaces=NS) == ["https://example.org/images/harbour.jpg"]
    manifest = _opf(books["structure"]).xpath("//opf:item/@href", namespaces=NS)
    assert not [h for h in manifest if ":" in h]


def test_edge_cases(books: dict[str, Book]) -> None:
    text, notes = books["edge"].xml("text.xhtml"), books["edge"].xml("notes.xhtml")
    para = text.xpath("//x:article/x:p[1]", namespaces=NS)[0]
    assert para.xpath("string(.)").startswith("<script>alert(1)</script> & friends js fragment [missing] outer inner")
    # the note reference that sat inside a link follows it; the inner link became text
    (outer,) = para.xpath("x:a[@href='https://example.org/out']", namespaces=NS)
    assert outer.xpath("string(.)") == "outer inner"
    assert outer.getnext() is not None and outer.getnext().xpath("x:a/@epub:type", namespaces=NS) == ["noteref"]
    # a note referring to another note links inside the notes document
    assert notes.xpath("//x:li[@id='note-n1']//x:a[not(@role)]/@href", namespaces=NS) == ["#note-n_202"]
    # addresses are made valid URLs, or the link keeps only its text
    (last,) = text.xpath("//x:article/x:p[last()]", namespaces=NS)
    assert [(a.text, a.get("href")) for a in last.iter(f"{{{NS['x']}}}a")] == [
        ("spaced", "https://example.org/a%20b?q=%5B1%5D&r=100%25"),
        ("broken host", None),
    ]
    rights = books["edge"].xml("rights.xhtml")
    assert rights.xpath("//x:a/@href", namespaces=NS) == [
        "https://example.org/terms%7B2020%7D",
        "https://example.org/edge%20page?x=1&y=2",
    ]
    captions = [f.xpath("string(x:figcaption)", namespaces=NS) for f in text.xpath("//x:figure", namespaces=NS)]
    assert captions == ["An alt text (view the image online)", "A local image"]


def test_prepare_keeps_plain_articles(books: dict[str, Book]) -> None:
    sample = books["sample"].article
    assert writer.prepare(sample) == sample


# --------------------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("name", VARIANTS)
def test_same_input_same_bytes(books: dict[str, Book], name: str) -> None:
    article, options = _variant(name)
    assert writer.render(article, options) == books[name].data


def test_cli_conversions_are_identical(books: dict[str, Book], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outputs = []
    for k, tz in enumerate(("UTC", "Asia/Karachi")):
        out = tmp_path / f"run{k}.epub"
        subprocess.run(
            [sys.executable, "-m", "convert", str(SAMPLE), "-t", "epub", "-o", str(out), "-q"],
            check=True,
            cwd=ROOT,
            env={**env, "TZ": tz},
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == books["sample"].data


def test_registered() -> None:
    spec = get_writer("epub")
    assert (spec.name, spec.extension, spec.media_type) == ("epub", ".epub", "application/epub+zip")
    assert spec.render is writer.render


def test_modified_time() -> None:
    bare = Article(Metadata(title="t"), ())
    dated = Article(Metadata(title="t", date=dt.date(2012, 9, 27)), ())
    assert writer.modified_time(bare, Options()) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert writer.modified_time(dated, Options()) == dt.datetime(2012, 9, 27, tzinfo=dt.UTC)
    assert writer.modified_time(dated, Options(source_date_epoch=0)) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- golden files


def _golden_members(book: Book) -> Iterator[tuple[str, bytes]]:
    for member in book.names:
        if member.startswith("EPUB/") and member.endswith((".opf", ".xhtml", ".ncx")):
            yield member[5:], book.file(member)


@pytest.mark.parametrize("name", ["sample", "bare", "structure"])
def test_golden(books: dict[str, Book], name: str) -> None:
    members = dict(_golden_members(books[name]))
    assert "content.opf" in members and "text.xhtml" in members
    for member, data in members.items():
        check_golden(f"{name}/{member}", data)


# --------------------------------------------------------------------------- other readers


def _pandoc_meta(book: Book) -> dict[str, str | list[str]]:
    """The metadata pandoc's EPUB reader finds in ``book``, as text (lists sorted)."""
    import pypandoc

    def text(value: Any) -> str | list[str]:
        if value["t"] == "MetaList":
            return sorted(str(text(v)) for v in value["c"])
        return "".join(i.get("c", " ") if i["t"] == "Str" else " " for i in value["c"])

    meta = json.loads(pypandoc.convert_file(str(book.path), "json"))["meta"]
    return {key: text(value) for key, value in meta.items()}


def test_pandoc_reads_the_metadata_back(books: dict[str, Book]) -> None:
    meta = _pandoc_meta(books["sample"])
    assert meta["title"] == "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"
    assert meta["author"] == "Farooq Yousaf"
    assert meta["publisher"] == "Global Research"
    assert meta["date"] == "2012-09-27"
    assert meta["subject"] == ["Asia", "Oil and Energy", "Russia and FSU"]
    assert meta["rights"] == "Copyright © Farooq Yousaf, Global Research, 2012"
    assert meta["language"] == "en"
    assert meta["identifier"] == _dc(_opf(books["sample"]), "identifier")[0]
    meta = _pandoc_meta(books["authors"])
    assert meta["author"] == ["Jane Q. Doe", "John Smith Jr.", "Ludwig van Beethoven"]
    assert meta["source"] == "https://example.org/articles/three-authors"


def _ebook_meta(book: Book) -> dict[str, str]:
    """What calibre's ``ebook-meta`` prints about ``book``, as field -> value."""
    out = subprocess.run(["ebook-meta", str(book.path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, sep, v in (line.partition(":") for line in out.splitlines()) if sep}


@pytest.mark.skipif(shutil.which("ebook-meta") is None, reason="calibre ebook-meta not installed (Debian: calibre)")
def test_calibre_reads_the_metadata_back(books: dict[str, Book]) -> None:
    assert _ebook_meta(books["sample"]) == {
        "Title": "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington",
        "Author(s)": "Farooq Yousaf [Yousaf, Farooq]",
        "Publisher": "Global Research",
        "Tags": "Asia, Russia and FSU, Oil and Energy",
        "Languages": "eng",
        "Published": "2012-09-27T00:00:00+00:00",
    }
    fields = _ebook_meta(books["authors"])
    assert fields["Title"].startswith("Three authors and their notes")
    assert fields["Author(s)"] == (
        "Jane Q. Doe & John Smith Jr. & Ludwig van Beethoven [Doe, Jane Q. & Smith, John, Jr. & Beethoven, Ludwig van]"
    )


# --------------------------------------------------------------------------- styles


def test_stylesheet_reflows() -> None:
    css = (ROOT / "styles" / "epub.css").read_text(encoding="utf-8")
    assert not re.search(r"\d(px|pt|pc|cm|mm|in|q)\b", css, re.I), "absolute lengths break reflow"
    assert not re.search(r"(?<![-\w])(width|height|position)\s*:", css), "fixed boxes break reflow"
    assert not re.search(r"(?<![-\w])(color|background)\s*:", css), "colours fight reader themes and e-ink"
    assert not re.search(r"font-family\s*:\s*(?![^;]*\b(serif|sans-serif|monospace)\b)", css)
