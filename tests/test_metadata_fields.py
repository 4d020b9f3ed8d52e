"""The metadata fields of saved web articles: site, description, modified date, date precision,
lead image and the typed licence (its address and SPDX identifier), in every format."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import convert
from convert.errors import InputError, IRTypeError
from convert.ir import crosswalk
from convert.ir.jsonio import article_from_json, article_to_json
from convert.ir.model import Article, Metadata, Paragraph, Rights, Subject, Text
from convert.readers.markdown import read_markdown
from convert.readers.tei import read_tei
from convert.writers.tei import render_tei

from .validators import assert_valid_tei, epubcheck

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
BODY = (Paragraph((Text("Text."),)),)
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

FRONT_MATTER = f"""---
title: Tide tables of a small harbour
author: Ann Example
date: 2019-06-02
modified: 2021-03-04
publisher: Example Press
site: Harbour Notes
description: How the tides were measured.
image: https://example.org/lead.jpg
tags:
- harbours
- tides
categories:
- Science
keywords:
- measurement
licence: CC BY 4.0
licence-url: {LICENCE_URL}
licence-id: CC-BY-4.0
---

Text.
"""


def _article(**fields: Any) -> Article:
    rights = {k: fields.pop(k) for k in ("licence", "licence_url", "licence_id") if k in fields}
    return Article(Metadata(title="T", **fields, rights=Rights(**rights)), BODY)


def _full() -> Article:
    return read_markdown(FRONT_MATTER.encode())


def _opf(article: Article) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(convert.render(article, "epub"))) as book:
        return etree.fromstring(book.read("EPUB/content.opf"))


# --------------------------------------------------------------------------- the model


def test_front_matter_gives_every_new_field() -> None:
    meta = _full().metadata
    assert meta.site == "Harbour Notes"
    assert meta.publisher == "Example Press"
    assert meta.description == "How the tides were measured."
    assert meta.modified == dt.date(2021, 3, 4)
    assert meta.image == "https://example.org/lead.jpg"
    assert meta.rights.licence_url == LICENCE_URL
    assert meta.rights.licence_id == "CC-BY-4.0"
    assert meta.subjects == (
        Subject("harbours", "tag"),
        Subject("tides", "tag"),
        Subject("Science", "category"),
        Subject("measurement"),
    )


def test_fields_are_checked() -> None:
    with pytest.raises(IRTypeError, match=r"^Metadata\.date_precision must be one of 'day', 'month', 'year'"):
        Metadata(date=dt.date(2020, 1, 1), date_precision="week")  # type: ignore[arg-type]
    with pytest.raises(IRTypeError, match=r"^Metadata\.site must be a str"):
        Metadata(site=3)  # type: ignore[arg-type]
    with pytest.raises(IRTypeError, match=r"^Rights\.licence_url must be a str"):
        Rights(licence_url=None)  # type: ignore[arg-type]
    month = Metadata(date=dt.date(2021, 2, 17), date_precision="month")
    assert month.date == dt.date(2021, 2, 1)  # a month's date is its first day
    assert Metadata(date=dt.date(2021, 2, 17), date_precision="year").date == dt.date(2021, 1, 1)
    assert Metadata(date_precision="month").date_precision == "day"  # no date: nothing to qualify


def test_empty_fields_leave_repr_and_json_as_they_were() -> None:
    meta = Metadata(title="T")
    assert "site" not in repr(meta) and "licence_url" not in repr(meta.rights)
    text = article_to_json(Article(meta, BODY))
    for key in ("site", "description", "modified", "date_precision", "image", "licence_url", "licence_id"):
        assert f'"{key}"' not in text


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["md", "json", "tei"])
def test_every_new_field_round_trips(fmt: str) -> None:
    article = _full()
    data = convert.render(article, fmt)
    if fmt == "tei":
        assert_valid_tei(data)
    back = {"md": read_markdown, "json": article_from_json, "tei": read_tei}[fmt](data)
    assert back.metadata == article.metadata


@pytest.mark.parametrize("precision", ["month", "year"])
@pytest.mark.parametrize("fmt", ["md", "json", "tei"])
def test_date_precision_round_trips(fmt: str, precision: str) -> None:
    article = _article(date=dt.date(2021, 2, 1), date_precision=precision)
    data = convert.render(article, fmt)
    back = {"md": read_markdown, "json": article_from_json, "tei": read_tei}[fmt](data)
    assert (back.metadata.date, back.metadata.date_precision) == (article.metadata.date, precision)


def test_precision_is_written_as_yyyy_mm_and_yyyy_everywhere() -> None:
    for precision, text, human in (("month", "2021-02", "February 2021"), ("year", "2021", "2021")):
        article = _article(date=dt.date(2021, 2, 1), date_precision=precision)
        md = convert.render(article, "md").decode()
        assert f'date: "{text}"' in md.splitlines()
        root = assert_valid_tei(render_tei(article))
        assert root.xpath("//t:publicationStmt/t:date/@when", namespaces=TEI) == [text]
        assert root.xpath("//t:sourceDesc/t:bibl/t:date/@when", namespaces=TEI) == [text]
        html = convert.render(article, "html").decode()
        assert f'<meta name="dcterms.date" content="{text}">' in html
        assert f'<time datetime="{text}">{human}</time>' in html
        assert _opf(article).xpath("//dc:date/text()", namespaces=OPF) == [text]
        assert crosswalk.format_date(dt.date(2021, 2, 1), precision) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-17", (dt.date(2021, 2, 17), "day")),
        ("2021-02-17T10:30:00Z", (dt.date(2021, 2, 17), "day")),
        ("2021-02", (dt.date(2021, 2, 1), "month")),
        ("1999", (dt.date(1999, 1, 1), "year")),
        (2004, (dt.date(2004, 1, 1), "year")),
    ],
)
def test_parse_date(text: object, expected: tuple[dt.date, str]) -> None:
    assert crosswalk.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2021-13", "yesterday", "2021-02-30", "21-02"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(InputError, match="not a date"):
        crosswalk.parse_date(text, "date")


# --------------------------------------------------------------------------- each format's place


def test_places_in_tei() -> None:
    root = assert_valid_tei(render_tei(_full()))

    def at(path: str) -> list[str]:
        return [str(v) for v in root.xpath(path, namespaces=TEI)]

    assert at("//t:sourceDesc/t:bibl/t:title[@level='j']/text()") == ["Harbour Notes"]
    assert at("//t:profileDesc/t:abstract/t:p/text()") == ["How the tides were measured."]
    assert at("//t:revisionDesc/t:change/@when") == ["2021-03-04"]
    assert at("//t:notesStmt/t:note[@type='image']/text()") == ["https://example.org/lead.jpg"]
    assert at("//t:availability/t:licence[@target]/@target") == [LICENCE_URL]
    assert at("//t:availability/t:licence[@target]/@n") == ["CC-BY-4.0"]
    schemes = {k.get("scheme") for k in root.xpath("//t:textClass/t:keywords", namespaces=TEI)}
    assert schemes == {"#scheme-tag", "#scheme-category", None}


def test_licence_without_text_in_tei() -> None:
    article = _article(licence_url=LICENCE_URL, licence_id="CC-BY-4.0")
    data = render_tei(article)
    assert_valid_tei(data)
    assert read_tei(data).metadata == article.metadata


def test_places_in_html() -> None:
    html = convert.render(_full(), "html").decode()
    assert '<meta property="og:site_name" content="Harbour Notes">' in html
    assert '<meta name="description" content="How the tides were measured.">' in html
    assert '<meta property="article:modified_time" content="2021-03-04">' in html
    assert '<meta property="og:image" content="https://example.org/lead.jpg">' in html
    assert f'<link rel="license" href="{LICENCE_URL}">' in html
    assert '<meta name="dcterms.license" content="CC-BY-4.0">' in html
    assert '<meta name="keywords" content="harbours, tides, Science, measurement">' in html
    # the rights page: the licence, then its address as a link (the identifier only stands in for a missing text)
    assert f'<p class="licence-url"><a href="{LICENCE_URL}">{LICENCE_URL}</a></p>' in html
    assert 'class="licence-id"' not in html
    assert '<span class="site">Harbour Notes</span>' in html
    only_id = convert.render(_article(licence_id="CC-BY-4.0"), "html").decode()
    assert '<p class="licence-id">CC-BY-4.0</p>' in only_id


def test_places_in_opf() -> None:
    opf = _opf(_full())
    assert opf.xpath("//dc:description/text()", namespaces=OPF) == ["How the tides were measured."]
    props = {m.get("property"): m.text for m in opf.xpath("//opf:meta[@property]", namespaces=OPF)}
    assert props["dcterms:isPartOf"] == "Harbour Notes"
    licences = opf.xpath("//opf:meta[@property='dcterms:license']/text()", namespaces=OPF)
    assert licences == [LICENCE_URL, "CC-BY-4.0"]
    assert opf.xpath("//dc:subject/text()", namespaces=OPF) == ["harbours", "tides", "Science", "measurement"]


def test_book_with_every_field_passes_epubcheck(tmp_path: Path) -> None:
    path = tmp_path / "book.epub"
    path.write_bytes(convert.render(_full(), "epub"))
    assert epubcheck([path]) == {path: []}


def test_empty_fields_change_no_output() -> None:
    article = _article(date=dt.date(2021, 2, 17))
    for fmt in ("md", "html", "tei"):
        text = convert.render(article, fmt).decode()
        for word in ("site", "description", "modified", "og:", "license", "licence", "abstract", "revisionDesc"):
            assert word not in text, (fmt, word)


def test_places_in_xmp() -> None:
    from convert.writers.pdf import xmp_packet

    packet = xmp_packet(_full().metadata, created=None, producer="test").decode()
    assert f"<xmpRights:WebStatement>{LICENCE_URL}</xmpRights:WebStatement>" in packet
    plain = xmp_packet(
        Metadata(source_url="https://example.org/a", rights=Rights(licence="L")), created=None, producer="t"
    )
    assert b"<xmpRights:WebStatement>https://example.org/a</xmpRights:WebStatement>" in plain
