"""The tei writer and reader on the richer kinds: tables, images, math, scripts, spans, definition lists."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from convert.errors import collect_warnings
from convert.ir.model import (
    Article,
    BlockQuote,
    BulletList,
    Code,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
)
from convert.readers.tei import read_tei
from convert.writers.tei import render_tei

from .conftest import check_golden
from .strategies import articles
from .validators import assert_valid_tei

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tei(article: Article) -> bytes:
    """TEI of ``article``; any writer warning fails the test."""
    with collect_warnings() as found:
        data = render_tei(article)
    assert found == []
    return data


def xp(root: etree._Element, path: str) -> list[str]:
    """Text results of an XPath (strings, or the full text of elements)."""
    out = []
    for item in root.xpath(path, namespaces=NS):  # type: ignore[union-attr]
        out.append(item if isinstance(item, str) else "".join(item.itertext()))
    return out


def _cells(*texts: str) -> tuple[TableCell, ...]:
    return tuple(TableCell((Text(t),)) for t in texts)


def _rich() -> Article:
    """Every node kind the richer IR added, in every place it may stand."""
    meta = Metadata(title="العلاقات Relations", authors=("Ann Author",), date=dt.date(2024, 5, 6), language="ar")
    table = Table(
        head=(
            (TableCell((Text("Quarter"),), rowspan=2), TableCell((Text("Revenue"),), colspan=2)),
            _cells("2023", "2024"),
        ),
        rows=(
            (TableCell((Strong((Text("Q1"),)),)), *_cells("1.5", "2.5")),
            (TableCell((Text("Q2"), LineBreak(), Text("(est.)"))), TableCell((Math("x^2"),)), TableCell(())),
        ),
        aligns=("left", "center", "right"),
        caption=(Text("Revenue by "), Emph((Text("quarter"),))),
    )
    body = (
        Heading(1, (Text("Scripts and "), Superscript((Text("styles"),)))),
        Paragraph(
            (
                Strikeout((Text("struck "), Emph((Text("and italic"),)))),
                Text(" E = mc"),
                Superscript((Text("2"),)),
                Text(", H"),
                Subscript((Text("2"),)),
                Text("O, "),
                SmallCaps((Text("Small Caps"),)),
                Text(", "),
                Span((Text("مرحبا"),), "ar", "rtl"),
                Text(" and "),
                Span((Text("bonjour"),), "fr"),
                Text(" and "),
                Span((Text("ltr"),), dir="ltr"),
                Text(" and "),
                Span((Text("bare"),)),
                Text(": "),
                Image("img/photo.png", "A photo", "Its title"),
                Text(" "),
                Image("https://img.example/x.png"),
                Text(" inline "),
                Math("e^{i\\pi} + 1 = 0"),
                NoteRef("n1"),
                Text("."),
            )
        ),
        Paragraph((Math("\\int_0^1  f(x)\\,dx", display=True),)),
        table,
        Table((), (_cells("a", "b"), _cells("c", "d")), caption=()),
        Table((_cells("h1", "h2"),), (_cells("x", "y"),), aligns=("", "")),
        DefinitionList(
            (
                DefinitionItem((Text("Term"),), ((Paragraph((Text("One definition."),)),),)),
                DefinitionItem(
                    (Emph((Text("Styled"),)), Text(" term")),
                    (
                        (Paragraph((Text("First definition."),)),),
                        (Paragraph((Text("Second,"),)), Paragraph((Text("in two paragraphs."),))),
                    ),
                ),
                DefinitionItem((Text("Undefined"),), ()),
                DefinitionItem((Text("A list"),), ((BulletList(((Paragraph((Text("item"),)),),)),),)),
                DefinitionItem((Text("Empty definition"),), ((),)),
            )
        ),
        Figure((Text("A caption"),), Image("img/chart.png", "A chart of revenue", "Chart")),
        Figure((), Image("data:image/png;base64,iVBORw0KGgo=", "Inline data")),
        Figure((Text("Caption only"),)),
        BlockQuote((Table((), (_cells("quoted"),)), Paragraph((Code("x"),)))),
        BulletList(
            (
                (Paragraph((Image("a.png", "only an image"),)),),
                (DefinitionList((DefinitionItem((Text("t"),), ((Paragraph((Text("d"),)),),)),)),),
                (Paragraph((Math("y", display=True),)),),
            )
        ),
        Paragraph((Link((Image("b.png", "linked"),), "https://example.org/"),)),
    )
    notes = (
        Note(
            "n1",
            (
                Table((), (_cells("in", "note"),), aligns=("right", "")),
                DefinitionList((DefinitionItem((Text("nt"),), ((Paragraph((Text("nd"),)),),)),)),
            ),
        ),
    )
    return Article(meta, body, notes)


RICH = _rich()


@pytest.fixture(scope="module")
def rich_tei() -> bytes:
    return tei(RICH)


def test_rich_valid_golden_lossless(rich_tei: bytes) -> None:
    assert_valid_tei(rich_tei)
    check_golden("tei-rich.xml", rich_tei)
    again = read_tei(rich_tei)
    assert again == RICH
    assert tei(again) == rich_tei


def test_rich_table_mapping(rich_tei: bytes) -> None:
    root = etree.fromstring(rich_tei)
    table = root.findall("t:text/t:body/t:div/t:table", NS)[0]
    assert (table.get("rows"), table.get("cols")) == ("4", "3")
    assert xp(table, "t:head") == ["Revenue by quarter"]
    assert [row.get("role") for row in table.findall("t:row", NS)] == ["label", "label", None, None]
    assert xp(table, "t:row[@role='label']/t:cell[@role='label']") == ["Quarter", "Revenue", "2023", "2024"]
    assert xp(table, "t:row[1]/t:cell[1]/@rows") == ["2"]
    assert xp(table, "t:row[1]/t:cell[2]/@cols") == ["2"]
    # each cell carries the alignment of the column it starts in (the second header row starts in column 2)
    assert xp(table, "t:row[2]/t:cell/@style") == ["text-align: center", "text-align: right"]
    assert xp(table, "t:row[3]/t:cell/@style") == ["text-align: left", "text-align: center", "text-align: right"]
    assert xp(table, "t:row[4]/t:cell[2]/t:formula[@notation='TeX']") == ["x^2"]
    assert len(table.findall("t:row[4]/t:cell[1]/t:lb", NS)) == 1
    untouched, explicit = root.findall("t:text/t:body/t:div/t:table", NS)[1:3]
    assert untouched.xpath(".//@style") == [] and untouched.find("t:head", NS) is None
    assert explicit.xpath(".//t:cell/@style", namespaces=NS) == ["text-align: start"] * 4
    assert xp(root, "//t:encodingDesc/t:styleDefDecl/@scheme") == ["css"]


def test_rich_inline_mapping(rich_tei: bytes) -> None:
    root = etree.fromstring(rich_tei)
    p = root.xpath("//t:body/t:div/t:p[1]", namespaces=NS)[0]  # type: ignore[index]
    assert xp(p, "t:hi/@rend") == ["strikethrough", "superscript", "subscript", "small-caps"]
    assert xp(p, "t:hi[@rend='strikethrough']/t:hi[@rend='italic']") == ["and italic"]
    assert [(s.get(XML_LANG), s.get("style")) for s in p.findall("t:seg", NS)] == [
        ("ar", "direction: rtl"), ("fr", None), (None, "direction: ltr"), (None, None)
    ]  # fmt: skip
    graphics = p.findall("t:graphic", NS)
    assert [(g.get("url"), g.get("n"), xp(g, "t:desc")) for g in graphics] == [
        ("img/photo.png", "Its title", ["A photo"]),
        ("https://img.example/x.png", None, []),
    ]
    assert xp(p, "t:formula[@notation='TeX'][not(@rend)]") == ["e^{i\\pi} + 1 = 0"]
    assert xp(root, "//t:body//t:formula[@rend='display']") == ["\\int_0^1  f(x)\\,dx", "y"]
    assert xp(root, "/t:TEI/@xml:lang") == ["ar"]  # inherited by text


def test_rich_figures_and_definition_lists(rich_tei: bytes) -> None:
    root = etree.fromstring(rich_tei)
    figures = root.findall(".//t:body//t:figure", NS)
    assert [(xp(f, "t:graphic/@url"), xp(f, "t:graphic/@n"), xp(f, "t:head"), xp(f, "t:figDesc")) for f in figures] == [
        (["img/chart.png"], ["Chart"], ["A caption"], ["A chart of revenue"]),
        (["data:image/png;base64,iVBORw0KGgo="], [], [], ["Inline data"]),
        ([], [], ["Caption only"], []),
    ]
    gloss = root.findall("t:text/t:body/t:div/t:list[@type='gloss']", NS)[0]
    assert [local(child) for child in gloss] == ["label", "item"] * 5
    assert xp(gloss, "t:label") == ["Term", "Styled term", "Undefined", "A list", "Empty definition"]
    assert xp(gloss, "t:item[1]") == ["One definition."]
    assert len(gloss.findall("t:item[2]/t:list[@type='definitions']/t:item", NS)) == 2
    assert len(gloss.findall("t:item[2]/t:list/t:item[2]/t:p", NS)) == 2
    assert len(gloss.findall("t:item[3]/*", NS)) == 0 and not xp(gloss, "t:item[3]")[0].strip()
    assert len(gloss.findall("t:item[5]/t:list[@type='definitions']/t:item", NS)) == 1


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


# --------------------------------------------------------------------------- what the writer must change


def test_empty_tables_and_bad_span_languages_are_reported() -> None:
    body = (
        Table((), ()),
        Table(((),), (_cells("kept"),)),
        Paragraph((Span((Text("x"),), "not a tag!", "rtl"),)),
    )
    with collect_warnings() as found:
        data = render_tei(Article(Metadata(title="t"), body))
    assert [w.code for w in found] == ["tei.empty-table", "tei.empty-table", "tei.span-language"]
    assert "not a tag!" in found[2].message
    assert_valid_tei(data)
    assert read_tei(data).body == (
        Table((), (_cells("kept"),)),
        Paragraph((Span((Text("x"),), "", "rtl"),)),
    )


# --------------------------------------------------------------------------- properties


_RICH_PROPERTY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_RICH_PROPERTY
@given(articles(rich=True))
def test_rich_round_trip_property(article: Article) -> None:
    data = tei(article)
    assert_valid_tei(data)
    again = read_tei(data)
    assert again == article
    assert tei(again) == data


@_RICH_PROPERTY
@given(articles(rich=True, spaced=True, assets=True))
def test_assets_are_referenced_not_embedded(article: Article) -> None:
    data = tei(article)  # (no warning: TEI references its images by URL by design)
    assert_valid_tei(data)
    assert read_tei(data) == dataclasses.replace(article, assets=())


# --------------------------------------------------------------------------- hand-written TEI


HAND_WRITTEN = """<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>
  <text xml:lang="he"><body>
    <p>A <del>deleted</del> word, x<hi rend="sup">2</hi>, x<hi rend="vertical-align: sub">i</hi>,
       <hi rend="smallcaps">caps</hi>, <hi rend="line-through">gone</hi>,
       <seg xml:lang="he" style="direction:rtl">שלום</seg>, <formula>a+b</formula>,
       <formula notation="MathML">m</formula>,
       <graphic url="pic.png"><desc>a picture</desc></graphic>.</p>
    <table>
      <row><cell role="label">Name</cell><cell role="label" rend="align(right)">Value</cell></row>
      <row><cell><p>first</p><p>second</p></cell><cell cols="x">1</cell></row>
      <row/>
    </table>
    <list type="gloss">
      <label>one</label><item>first</item><item>second</item>
      <label>two</label>
    </list>
    <figure><graphic url="f.png"><desc>described</desc></graphic></figure>
  </body></text>
</TEI>
""".encode()


def test_hand_written_rich_tei() -> None:
    article = read_tei(HAND_WRITTEN)
    assert article.metadata.language == "he"
    assert article.body == (
        Paragraph(
            (
                Text("A "),
                Strikeout((Text("deleted"),)),
                Text(" word, x"),
                Superscript((Text("2"),)),
                Text(", x"),
                Subscript((Text("i"),)),
                Text(", "),
                SmallCaps((Text("caps"),)),
                Text(", "),
                Strikeout((Text("gone"),)),
                Text(", "),
                Span((Text("שלום"),), "he", "rtl"),
                Text(", "),
                Math("a+b"),
                Text(", m, "),
                Image("pic.png", "a picture"),
                Text("."),
            )
        ),
        Table(
            (_cells("Name", "Value"),),
            ((TableCell((Text("first"), LineBreak(), Text("second"))), TableCell((Text("1"),))),),
            aligns=("", "right"),
        ),
        DefinitionList(
            (
                DefinitionItem((Text("one"),), ((Paragraph((Text("first"),)),), (Paragraph((Text("second"),)),))),
                DefinitionItem((Text("two"),), ()),
            )
        ),
        Figure((), Image("f.png", "described")),
    )
    assert_valid_tei(tei(article))
    assert read_tei(tei(article)) == article
