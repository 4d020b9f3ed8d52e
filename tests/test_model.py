"""The IR's constructors: type checks and unambiguous coercions; the copyright statement as the one
source of the copyright holders and year."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import warnings
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import convert
from convert.errors import ArtconvError, IRTypeError, UsageError, collect_warnings
from convert.ir.jsonio import article_from_json, article_to_dict, article_to_json
from convert.ir.model import (
    Article,
    Asset,
    BlockQuote,
    BulletList,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Identifier,
    Image,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Span,
    Strong,
    Subject,
    Table,
    TableCell,
    Text,
)
from convert.ir.rights import copyright_statement, parse_copyright
from convert.readers.markdown import metadata_from_yaml


def _article(rights: Rights) -> Article:
    return Article(Metadata(title="T", rights=rights), (Paragraph((Text("x"),)),))


# --------------------------------------------------------------------------- type checks


def test_error_is_a_usage_error_and_a_type_error() -> None:
    with pytest.raises(IRTypeError) as info:
        Metadata(date=12)  # type: ignore[arg-type]
    assert isinstance(info.value, ArtconvError)
    assert isinstance(info.value, UsageError)
    assert isinstance(info.value, TypeError)
    assert str(info.value) == "Metadata.date must be a datetime.date, got int 12"


def test_bare_str_author_is_refused() -> None:
    with pytest.raises(IRTypeError, match=r"^Metadata\.authors must be a tuple of str, got str 'Jane Doe'"):
        Metadata(authors="Jane Doe")  # type: ignore[arg-type]


def test_list_becomes_tuple() -> None:
    meta = Metadata(authors=["Jane Doe", "John Roe"])  # type: ignore[arg-type]
    assert meta.authors == ("Jane Doe", "John Roe")
    assert type(meta.authors) is tuple
    assert hash(meta) == hash(Metadata(authors=("Jane Doe", "John Roe")))
    para = Paragraph([Text("a"), Emph([Text("b")])])  # type: ignore[arg-type]
    assert para == Paragraph((Text("a"), Emph((Text("b"),))))
    assert BulletList([[Paragraph((Text("a"),))]]).items == ((Paragraph((Text("a"),)),),)  # type: ignore[arg-type]


def test_iso_str_date_is_coerced() -> None:
    assert Metadata(date="2021-01-01").date == dt.date(2021, 1, 1)  # type: ignore[arg-type]
    assert Metadata(date=dt.datetime(2021, 1, 1, 12, 30)).date == dt.date(2021, 1, 1)
    assert type(Metadata(date=dt.datetime(2021, 1, 1, 12, 30)).date) is dt.date


@pytest.mark.parametrize("value", ["01/02/2021", "2021-1-1", "2021-02-30", "yesterday", "2021-01-01T00:00"])
def test_other_str_dates_are_refused(value: str) -> None:
    with pytest.raises(IRTypeError, match=r"^Metadata\.date must be a datetime\.date"):
        Metadata(date=value)  # type: ignore[arg-type]


def test_str_inside_content_is_named() -> None:
    with pytest.raises(IRTypeError) as info:
        Paragraph((Text("a"), "b"))  # type: ignore[arg-type]
    assert str(info.value).startswith("Paragraph.content[1] must be an Inline node")
    assert "got str 'b'" in str(info.value)
    with pytest.raises(IRTypeError, match=r"^Paragraph\.content must be a tuple of Inline nodes, got str"):
        Paragraph("hello")  # type: ignore[arg-type]
    with pytest.raises(IRTypeError, match=r"^Article\.body\[0\] must be a Block node, got Text"):
        Article(Metadata(), (Text("x"),))  # type: ignore[arg-type]


P = (Paragraph(()),)


@pytest.mark.parametrize(
    ("cls", "args", "kwargs", "message"),
    [
        (Text, (3,), {}, r"^Text\.text must be a str, got int 3$"),
        (Link, ((Text("a"),), None), {}, r"^Link\.target must be a str, got None$"),
        (Heading, ("1", (Text("a"),)), {}, r"^Heading\.level must be an int, got str '1'$"),
        (Heading, (True, (Text("a"),)), {}, r"^Heading\.level must be an int, got bool True$"),
        (OrderedList, ((P,),), {"start": 1.5}, r"^OrderedList\.start must be an int, got float 1\.5$"),
        (BlockQuote, ((Text("a"),),), {}, r"^BlockQuote\.blocks\[0\] must be a Block node, got Text$"),
        (BulletList, (P,), {}, r"^BulletList\.items\[0\] must be a tuple of Block nodes, got Paragraph$"),
        (BulletList, (((Text("a"),),),), {}, r"^BulletList\.items\[0\]\[0\] must be a Block node, got Text$"),
        (Figure, ((),), {"image": "x.png"}, r"^Figure\.image must be an Image or None, got str 'x.png'$"),
        (Image, (None,), {}, r"^Image\.src must be a str, got None$"),
        (Span, ((),), {"dir": "up"}, r"^Span\.dir must be one of '', 'ltr', 'rtl', got str 'up'$"),
        (Math, ("x",), {"display": 1}, r"^Math\.display must be a bool, got int 1$"),
        (TableCell, ((),), {"colspan": 0}, r"^TableCell\.colspan must be at least 1, got int 0$"),
        (Table, ((), ((TableCell(()),),)), {"aligns": ("middle",)}, r"^Table\.aligns\[0\] must be one of"),
        (Table, ((), (("cell",),)), {}, r"^Table\.rows\[0\]\[0\] must be a TableCell, got str 'cell'$"),
        (DefinitionList, (("term",),), {}, r"^DefinitionList\.items\[0\] must be a DefinitionItem, got str"),
        (Asset, ("a.png", "image/png", "text"), {}, r"^Asset\.data must be bytes, got str 'text'$"),
        (Asset, ("a.png", "image/png", b"x", "0" * 64), {}, r"^Asset\.sha256 must be the SHA-256 of data"),
        (Note, (1, ()), {}, r"^Note\.label must be a str, got int 1$"),
        (NoteRef, (None,), {}, r"^NoteRef\.label must be a str, got None$"),
        (Strong, (None,), {}, r"^Strong\.content must be a tuple of Inline nodes, got None$"),
        (Metadata, (), {"subjects": ("Asia",)}, r"^Metadata\.subjects\[0\] must be a Subject, got str 'Asia'$"),
        (Metadata, (), {"identifiers": (Subject("x"),)}, r"^Metadata\.identifiers\[0\] must be an Identifier"),
        (Metadata, (), {"authors": ("A", 2)}, r"^Metadata\.authors\[1\] must be a str, got int 2$"),
        (Metadata, (), {"rights": None}, r"^Metadata\.rights must be a Rights, got None$"),
        (Rights, (), {"copyright": ("Copyright 2020 A",)}, r"^Rights\.copyright must be a str, got tuple$"),
        (Article, (None, ()), {}, r"^Article\.metadata must be a Metadata, got None$"),
        (Article, (Metadata(), ()), {"notes": P}, r"^Article\.notes\[0\] must be a Note, got Paragraph$"),
        (Subject, ("t", None), {}, r"^Subject\.scheme must be a str, got None$"),
        (Identifier, (7,), {}, r"^Identifier\.value must be a str, got int 7$"),
    ],
)
def test_wrong_types_are_refused(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(IRTypeError, match=message):
        cls(*args, **kwargs)


def test_message_is_one_short_line() -> None:
    with pytest.raises(IRTypeError) as info:
        Metadata(title=["line\n" * 500])  # type: ignore[arg-type]
    text = str(info.value)
    assert "\n" not in text and len(text) < 200


def test_replace_is_checked_too() -> None:
    meta = Metadata(title="t")
    with pytest.raises(IRTypeError, match=r"^Metadata\.title must be a str"):
        dataclasses.replace(meta, title=None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- rights


def test_holders_and_year_are_derived_from_the_statement() -> None:
    rights = Rights(copyright="Copyright © Ann Author, The Publisher, 2021")
    assert rights.copyright_holders == ("Ann Author", "The Publisher")
    assert rights.copyright_year == 2021
    assert Rights().copyright_holders == () and Rights().copyright_year is None
    assert Rights().is_empty()
    assert not Rights(copyright="Copyright 2020 X").is_empty()


def test_statement_that_is_not_a_copyright_line_yields_nothing() -> None:
    assert parse_copyright("All rights reserved.") == ((), None)
    assert Rights(copyright="Reuse with attribution").copyright_holders == ()


def test_synthesized_statement_parses_back() -> None:
    text = copyright_statement(("Ann Example", "Example Press"), 2020)
    assert text == "Copyright © 2020 Ann Example, Example Press"
    assert parse_copyright(text) == (("Ann Example", "Example Press"), 2020)
    assert copyright_statement((), 2020) == "Copyright © 2020"
    assert copyright_statement(("Ann",), None) == "Copyright © Ann"
    assert copyright_statement((), None) == ""
    assert parse_copyright("Copyright © 1850 Old Press") == (("Old Press",), 1850)


def test_no_derived_field_can_be_set() -> None:
    with pytest.raises(TypeError):
        Rights(copyright_holders=("A",))  # type: ignore[call-arg]
    rights = Rights(copyright="Copyright 2020 A")
    with pytest.raises(AttributeError):
        rights.copyright_year = 1999  # type: ignore[misc]


OLD = Rights(copyright="Copyright © Ann Author, Old Press, 2021", disclaimer="Views are the author's.")


def test_repr_spells_out_the_derived_values() -> None:
    # the EPUB identifier of an article without a source URL hashes the repr: it must not move
    assert repr(OLD).startswith(
        "Rights(copyright='Copyright © Ann Author, Old Press, 2021', "
        "copyright_holders=('Ann Author', 'Old Press'), copyright_year=2021, disclaimer="
    )


def test_replacing_the_statement_changes_the_tei_header() -> None:
    new = dataclasses.replace(OLD, copyright="Copyright 1999 New Holder")
    tei = convert.render(_article(new), "tei").decode()
    assert '<date type="copyright" when="1999">1999</date>' in tei
    assert "<name>New Holder</name>" in tei
    assert "Copyright 1999 New Holder" in tei
    for old in ("2021", "Ann Author", "Old Press"):
        assert old not in tei
    back = convert.parse(tei.encode(), format="tei").metadata.rights
    assert back == new
    assert (back.copyright_holders, back.copyright_year) == (("New Holder",), 1999)


def test_replacing_the_statement_changes_the_front_matter() -> None:
    new = dataclasses.replace(OLD, copyright="Copyright 1999 New Holder")
    md = convert.render(_article(new), "md").decode()
    front = md.split("\n---\n", 1)[0]
    assert "year: 1999" in front
    assert "New Holder" in front
    for old in ("2021", "Ann Author", "Old Press"):
        assert old not in front
    assert convert.parse(md.encode(), format="md").metadata.rights == new


def test_front_matter_with_holder_and_year_only() -> None:
    meta = metadata_from_yaml("title: T\ncopyright:\n  holder: [Ann Example, Example Press]\n  year: 2020\n")
    assert meta.rights.copyright == "Copyright © 2020 Ann Example, Example Press"
    assert (meta.rights.copyright_holders, meta.rights.copyright_year) == (("Ann Example", "Example Press"), 2020)


def test_front_matter_consistent_statement_is_kept_verbatim() -> None:
    yaml_text = "rights: Copyright © Ann, Press, 2021\ncopyright:\n  holder: [Ann, Press]\n  year: 2021\n"
    with warnings.catch_warnings(), collect_warnings() as found:
        warnings.simplefilter("error")
        meta = metadata_from_yaml(yaml_text)
    assert found == []
    assert meta.rights.copyright == "Copyright © Ann, Press, 2021"


def test_front_matter_conflicting_holders_are_kept_and_reported() -> None:
    yaml_text = "rights: Copyright © Ann, Press, 2021\ncopyright:\n  holder: Someone Else\n  year: 2019\n"
    with collect_warnings() as found:
        meta = metadata_from_yaml(yaml_text)
    assert [w.code for w in found] == ["rights.copyright-conflict"]
    assert meta.rights.copyright == "Copyright © 2019 Someone Else\n\nCopyright © Ann, Press, 2021"
    assert (meta.rights.copyright_holders, meta.rights.copyright_year) == (("Someone Else",), 2019)


TEI_HOLDERS_ONLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>T</title><respStmt><resp>copyright holder</resp><name>Ann Example</name></respStmt></titleStmt>
<publicationStmt><publisher>P</publisher><date type="copyright" when="2020">2020</date></publicationStmt>
<sourceDesc><p>born digital</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>x</p></body></text></TEI>
"""


def test_tei_with_holders_and_year_only() -> None:
    rights = convert.parse(TEI_HOLDERS_ONLY, format="tei").metadata.rights
    assert rights.copyright == "Copyright © 2020 Ann Example"
    assert (rights.copyright_holders, rights.copyright_year) == (("Ann Example",), 2020)


# --------------------------------------------------------------------------- JSON


def test_json_no_longer_writes_the_derived_keys() -> None:
    data = article_to_dict(_article(OLD))
    assert "copyright_holders" not in data["metadata"]["rights"]
    assert "copyright_year" not in data["metadata"]["rights"]


def test_json_still_reads_the_derived_keys() -> None:
    data = json.loads(article_to_json(_article(OLD)))
    data["metadata"]["rights"].update(copyright_holders=["Ann Author", "Old Press"], copyright_year=2021)
    assert article_from_json(json.dumps(data)).metadata.rights == OLD
    data["metadata"]["rights"].update(copyright="", copyright_holders=["Ann Example"], copyright_year=2020)
    rights = article_from_json(json.dumps(data)).metadata.rights
    assert rights.copyright == "Copyright © 2020 Ann Example"
    data["metadata"]["rights"].update(copyright_year="2020")
    with pytest.raises(convert.InputError, match="copyright_year"):
        article_from_json(json.dumps(data))


@given(st.text(max_size=80))
def test_derived_values_are_those_of_the_parser(statement: str) -> None:
    rights = Rights(copyright=statement)
    assert (rights.copyright_holders, rights.copyright_year) == parse_copyright(statement)
