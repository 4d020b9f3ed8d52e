"""The metadata crosswalk: one row per field, from which every structured-metadata writer and reader derives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from lxml import etree

import convert
from convert.ir import crosswalk
from convert.ir.crosswalk import FIELDS, Field, Prop, Tei
from convert.ir.jsonio import article_from_json, article_to_json
from convert.ir.model import Article, Identifier, Metadata, Paragraph, Rights, Subject, Text
from convert.readers.markdown import read_markdown, split_front_matter
from convert.readers.tei import read_tei
from convert.writers.pdf import xmp_packet
from convert.writers.tei import render_tei

from .validators import assert_valid_tei

DC = "http://purl.org/dc/elements/1.1/"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
BODY = (Paragraph((Text("Text."),)),)

#: A value for every field of the crosswalk, by row name.
VALUES: dict[str, Any] = {
    "title": "A title",
    "subtitle": "A subtitle",
    "authors": ("Ann Example", "Bo Example"),
    "publisher": "Example Press",
    "date": dt.date(2020, 2, 29),
    "language": "fr",
    "source_url": "https://example.org/a",
    "subjects": (Subject("Asia", "region"), Subject("Oil", "theme"), Subject("loose")),
    "identifiers": (Identifier("10.1/x", "doi"), Identifier("urn:isbn:123")),
    "copyright": "Copyright © Ann Example, Example Press, 2020",
    "disclaimer": "A disclaimer.\n\nIn two paragraphs.",
    "fair_use": "A fair-use notice.",
    "licence": "CC BY 4.0",
    "source": "The original source of this article is Example Press",
    "contact": "press@example.org",
    "site": "Example Site",
    "description": "What the article is about.",
    "modified": dt.date(2021, 3, 4),
    "date_precision": "day",
    "image": "https://example.org/lead.jpg",
    "retrieved": dt.date(2021, 5, 6),
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "licence_id": "CC-BY-4.0",
}


def _via_md(article: Article) -> Article:
    return read_markdown(convert.render(article, "md"))


def _via_tei(article: Article) -> Article:
    return read_tei(render_tei(article))


def _via_json(article: Article) -> Article:
    return article_from_json(article_to_json(article))


ROUND_TRIPS: dict[str, Callable[[Article], Article]] = {"md": _via_md, "tei": _via_tei, "json": _via_json}


def _article(**values: Any) -> Article:
    return Article(crosswalk.make_metadata(values), BODY)


# --------------------------------------------------------------------------- the table


def test_every_model_field_has_one_row() -> None:
    metadata = [f.name for f in dataclasses.fields(Metadata) if f.name != "rights"]
    rights = [f.name for f in dataclasses.fields(Rights)]
    assert [row.name for row in FIELDS if not row.rights] == metadata
    assert [row.name for row in FIELDS if row.rights] == rights
    assert set(VALUES) == {row.name for row in FIELDS}


def test_rights_parts_are_enumerated_once_with_their_keys() -> None:
    assert [(row.name, row.md, row.label) for row in crosswalk.rights_fields()] == [
        ("copyright", "rights", "Copyright"),
        ("disclaimer", "disclaimer", "Disclaimer"),
        ("fair_use", "fair-use", "Fair use"),
        ("licence", "licence", "Licence"),
        ("source", "source", "Source"),
        ("contact", "contact", "Contact"),
        ("licence_url", "licence-url", "Licence URL"),
        ("licence_id", "licence-id", "Licence identifier"),
    ]
    assert [(row.name, n) for row, n in crosswalk.tei_licences()] == [
        ("copyright", "copyright"),
        ("disclaimer", "disclaimer"),
        ("fair_use", "fair-use"),
        ("licence", ""),
    ]
    in_dc_rights = [row.name for row in FIELDS if any(p.name == "rights" for p in row.opf)]
    assert in_dc_rights == ["copyright", "licence"]


def test_rights_page_lists_the_colophon_rows() -> None:
    from convert.html.render import rights_lines

    rights = crosswalk.make_metadata(VALUES).rights
    assert [cls for cls, _ in rights_lines(rights)] == [
        "source",
        "copyright",
        "licence",
        "licence-url",
        "disclaimer",
        "fair-use",
        "contact",
    ]
    assert "source" not in dict(rights_lines(rights, include_source=False))
    assert rights_lines(Rights(fair_use="F")) == [("fair-use", "F")]


def test_shared_helpers() -> None:
    meta = Metadata(subjects=(Subject("Asia", "region"), Subject("Oil", "theme"), Subject("Misc")))
    assert crosswalk.subjects_by_scheme(meta.subjects) == {"region": ["Asia"], "theme": ["Oil"], "": ["Misc"]}
    assert crosswalk.subject_line(meta) == "Region: Asia; Theme: Oil; Misc"
    assert crosswalk.timestamp(None, None) is None
    assert crosswalk.timestamp(None, dt.date(2012, 9, 27)) == dt.datetime(2012, 9, 27, tzinfo=dt.UTC)
    assert crosswalk.timestamp(0, dt.date(2012, 9, 27)) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- round trips of every field


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("row", FIELDS, ids=lambda row: row.name)
def test_each_field_round_trips(row: Field, fmt: str) -> None:
    article = _article(**{row.name: VALUES[row.name]})
    back = ROUND_TRIPS[fmt](article)
    assert crosswalk.field_value(row, back.metadata) == VALUES[row.name]
    assert back.metadata == article.metadata


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
def test_all_fields_round_trip_together(fmt: str) -> None:
    article = _article(**VALUES)
    assert ROUND_TRIPS[fmt](article) == article


# --------------------------------------------------------------------------- a field added through the crosswalk alone


@dataclasses.dataclass(frozen=True)
class _MoodMetadata(Metadata):
    """Metadata with one more field, as a new model line would add it."""

    mood: str = ""


MOOD = Field(
    "mood",
    md="mood",
    tei=Tei("fileDesc/notesStmt/note[@type='mood']", custom=False),
    opf=(Prop("coverage"),),
    xmp=(Prop("dc:coverage"),),
    pdf=(Prop("Mood"),),
    html=(Prop("mood"),),
)


@pytest.fixture
def mood() -> Iterator[Article]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crosswalk, "FIELDS", (*FIELDS, MOOD))
        patch.setattr(crosswalk, "METADATA", _MoodMetadata)
        yield Article(_MoodMetadata(title="T", authors=("Ann Example",), mood="Sunny, with clouds"), BODY)


def test_new_field_in_front_matter(mood: Article) -> None:
    data = convert.render(mood, "md")
    yaml_text, _ = split_front_matter(data.decode())
    assert yaml_text is not None and "mood: Sunny, with clouds" in yaml_text.splitlines()
    assert read_markdown(data).metadata == mood.metadata


def test_new_field_in_tei(mood: Article) -> None:
    data = render_tei(mood)
    root = assert_valid_tei(data)
    assert root.xpath("string(//t:fileDesc/t:notesStmt/t:note[@type='mood'])", namespaces=TEI) == "Sunny, with clouds"
    assert [etree.QName(el).localname for el in root.find("t:teiHeader/t:fileDesc", TEI)] == [
        "titleStmt",
        "publicationStmt",
        "notesStmt",
        "sourceDesc",
    ]
    assert read_tei(data).metadata == mood.metadata


def test_new_field_in_json(mood: Article) -> None:
    text = article_to_json(mood)
    assert '"mood": "Sunny, with clouds"' in text
    assert article_from_json(text) == mood


def test_new_field_in_opf(mood: Article) -> None:
    with zipfile.ZipFile(io.BytesIO(convert.render(mood, "epub"))) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    assert opf.xpath("//dc:coverage/text()", namespaces={"dc": DC}) == ["Sunny, with clouds"]


def test_new_field_in_xmp_and_html(mood: Article) -> None:
    xmp = etree.fromstring(
        xmp_packet(mood.metadata, created=None, producer="test").split(b"\n", 1)[1].rsplit(b"<?", 1)[0]
    )
    assert xmp.xpath("//dc:coverage/text()", namespaces={"dc": DC}) == ["Sunny, with clouds"]
    assert b'<meta name="mood" content="Sunny, with clouds">' in convert.render(mood, "html")


def test_new_field_absent_from_plain_metadata(mood: Article) -> None:
    plain = Article(Metadata(title="T"), BODY)
    assert b"mood" not in convert.render(plain, "md")
    assert read_markdown(convert.render(plain, "md")).metadata == _MoodMetadata(title="T")


# --------------------------------------------------------------------------- typed rights in OPF and XMP


def test_dc_rights_are_the_copyright_and_licence_rows() -> None:
    article = _article(**VALUES)
    with zipfile.ZipFile(io.BytesIO(convert.render(article, "epub"))) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    assert opf.xpath("//dc:rights/text()", namespaces={"dc": DC}) == [VALUES["copyright"], VALUES["licence"]]
    packet = xmp_packet(article.metadata, created=None, producer="test")
    assert f"{VALUES['copyright']}\n{VALUES['licence']}".encode() in packet
    assert VALUES["disclaimer"].encode() not in packet
