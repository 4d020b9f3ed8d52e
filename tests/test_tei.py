"""The tei writer and reader: tei_all validity, the header, notes, lossless round trips, hostile XML."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import convert
from convert._version import __version__
from convert.cli import main
from convert.errors import InputError, OutputError, collect_warnings
from convert.ir.model import (
    Article,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Identifier,
    Image,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from convert.readers.tei import read_tei
from convert.writers.markdown import render_markdown
from convert.writers.tei import render_tei

from .conftest import ROOT, SAMPLE, check_golden
from .strategies import articles
from .validators import tei_schema as shared_tei_schema

NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="session")
def tei_schema() -> etree.RelaxNG:
    """The TEI P5 tei_all RELAX NG schema (loaded once for the whole run)."""
    return shared_tei_schema()


def valid(schema: etree.RelaxNG, data: bytes) -> etree._Element:
    """The parsed document; fails the test on any schema error."""
    root = etree.fromstring(data)
    if not schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        pytest.fail(f"not valid against tei_all:\n{errors}")
    return root


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


# --------------------------------------------------------------------------- articles


def _features() -> Article:
    """Every node kind, every metadata field, notes out of order, referenced twice and never."""
    meta = Metadata(
        title="Les “relations” & <l'avenir>",
        subtitle="A subtitle",
        authors=("Ann Author", "Bob Writer"),
        publisher="The Publisher",
        date=dt.date(2021, 3, 4),
        language="fr",
        source_url="https://news.example/2021/03/relations?id=7&x=1",
        subjects=(
            Subject("Asia", "region"),
            Subject("Europe", "region"),
            Subject("Energy", "theme"),
            Subject("Africa", "region"),
            Subject("untyped"),
            Subject("Foreign relations", "Library of Congress"),
        ),
        identifiers=(Identifier("10.1234/abc", "doi"), Identifier("local-17")),
        rights=Rights(
            copyright="Copyright © Ann Author, The Publisher, 2021",
            disclaimer="The views are the author's own.",
            fair_use="Quoted under fair use.",
            licence="Reuse allowed with attribution.\n\nCommercial reuse needs permission.",
            source="The original source of this article is The Publisher",
            contact="Press office\npress@news.example",
        ),
    )
    body = (
        Figure((Text("A caption with "), Emph((Text("style"),))), Image("https://img.example/a.png", "Two people")),
        Paragraph(
            (
                Text("Plain "),
                Emph((Text("italic "), Strong((Text("bold inside"),)))),
                Text(", "),
                Link((Text("a link"),), "https://example.org/x?a=1&b=2", "Link title"),
                Text(" and "),
                Code("x  <y> & z"),
                LineBreak(),
                Text("after a break"),
                NoteRef("a"),
                Text("."),
            )
        ),
        Heading(1, (Text("First section"),)),
        Paragraph((Text("Refers to b"), NoteRef("b"), Text(" and a again"), NoteRef("a"), Text("."))),
        Heading(3, (Text("A level-three heading"), NoteRef("e"))),
        BlockQuote((Paragraph((Text("Quoted words."),)), Heading(2, (Text("Heading in a quote"),)))),
        BulletList(
            (
                (Paragraph((Text("one item"),)),),
                (Paragraph((Text("two paragraphs"),)), Paragraph((Text("in one item"),))),
                (OrderedList(((Paragraph((Text("nested"),)),), (Paragraph((Text("numbered"),)),)), 3),),
            )
        ),
        ThematicBreak(),
        CodeBlock("def f():\n    return 1 < 2\n", "python"),
        CodeBlock("  plain preformatted\ntext"),
        Heading(2, (Text("Second"),)),
        Paragraph((Text("a < b & c > d ]]> e\u00a0f "), Link((Text("see"),), "#note-1"), Text(" end"))),
        Figure((), Image("https://img.example/b.png")),
    )
    notes = (
        Note("b", (Paragraph((Link((Text("https://b.example/"),), "https://b.example/"),)),)),
        Note("a", (Paragraph((Text("First paragraph of a."),)), Paragraph((Text("Second."),)))),
        Note("c", (Paragraph((Text("Never referenced."),)),)),
        Note("d", (BulletList(((Paragraph((Text("listed"),)),),)),)),
        Note("e", (Paragraph((Text("In a heading."),)),)),
    )
    return Article(meta, body, notes)


VARIANTS: dict[str, Article] = {
    "bare": Article(
        Metadata(title="Only a title"),
        (Paragraph((Text("First paragraph."),)), Paragraph((Text("Second paragraph."),))),
    ),
    "empty": Article(Metadata(), ()),
    "figure-only": Article(Metadata(title="Pictures"), (Figure((Text("Just a figure"),)), ThematicBreak())),
    "features": _features(),
}


# --------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_tei(sample_article: Article) -> bytes:
    return tei(sample_article)


@pytest.fixture(scope="module")
def sample_root(sample_tei: bytes, tei_schema: etree.RelaxNG) -> etree._Element:
    return valid(tei_schema, sample_tei)


def test_sample_golden(sample_tei: bytes) -> None:
    check_golden("russia-pakistan-relationship.tei.xml", sample_tei)


def test_sample_title_stmt(sample_root: etree._Element) -> None:
    stmt = "/t:TEI/t:teiHeader/t:fileDesc/t:titleStmt"
    assert xp(sample_root, f"{stmt}/t:title[@type='main']") == [
        "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"
    ]
    assert xp(sample_root, f"{stmt}/t:author/t:persName") == ["Farooq Yousaf"]
    assert xp(sample_root, f"{stmt}/t:respStmt/t:name") == ["Farooq Yousaf", "Global Research"]
    assert xp(sample_root, "/t:TEI/@xml:lang") == ["en"]


def test_sample_publication_stmt(sample_root: etree._Element, sample_article: Article) -> None:
    stmt = "/t:TEI/t:teiHeader/t:fileDesc/t:publicationStmt"
    rights = sample_article.metadata.rights
    assert xp(sample_root, f"{stmt}/t:publisher") == ["Global Research"]
    assert xp(sample_root, f"{stmt}/t:date[not(@type)]/@when") == ["2012-09-27"]
    assert xp(sample_root, f"{stmt}/t:date[@type='copyright']/@when") == ["2012"]
    availability = f"{stmt}/t:availability"
    assert xp(sample_root, f"{availability}/t:licence[@n='copyright']/t:p") == [rights.copyright]
    assert xp(sample_root, f"{availability}/t:licence[@n='disclaimer']/t:p") == [rights.disclaimer]
    assert xp(sample_root, f"{availability}/t:licence[@n='fair-use']/t:p") == [rights.fair_use]
    assert rights.disclaimer.startswith("The contents of this article") and "cross-post" in rights.disclaimer
    assert xp(sample_root, f"{stmt}/t:address/t:addrLine") == ["For media inquiries: publications@globalresearch.ca"]


def test_sample_source_and_profile(sample_root: etree._Element) -> None:
    bibl = "/t:TEI/t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl"
    assert xp(sample_root, f"{bibl}/t:title") == ["Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"]
    assert xp(sample_root, f"{bibl}/t:author") == ["Farooq Yousaf"]
    assert xp(sample_root, f"{bibl}/t:publisher") == ["Global Research"]
    assert xp(sample_root, f"{bibl}/t:date/@when") == ["2012-09-27"]
    source = "The original source of this article is Global Research"
    assert xp(sample_root, f"{bibl}/t:note[@type='source']") == [source]
    profile = "/t:TEI/t:teiHeader/t:profileDesc"
    assert xp(sample_root, f"{profile}/t:langUsage/t:language/@ident") == ["en"]
    keywords = f"{profile}/t:textClass/t:keywords"
    assert xp(sample_root, f"{keywords}[@scheme='#scheme-region']/t:term") == ["Asia", "Russia and FSU"]
    assert xp(sample_root, f"{keywords}[@scheme='#scheme-theme']/t:term") == ["Oil and Energy"]
    assert xp(sample_root, "//t:taxonomy[@xml:id='scheme-region']/t:desc") == ["region"]
    app = "/t:TEI/t:teiHeader/t:encodingDesc/t:appInfo/t:application"
    assert xp(sample_root, f"{app}/@ident") == ["artconv"]
    assert xp(sample_root, f"{app}/@version") == [__version__]


def test_sample_notes_in_place_with_urls(sample_root: etree._Element, sample_article: Article) -> None:
    notes = sample_root.findall(".//t:text/t:body//t:note", NS)
    assert len(notes) == 10 == len(sample_article.notes)
    for el, note in zip(notes, sample_article.notes, strict=True):
        assert el.get("place") == "end"
        assert el.get("n") == note.label
        assert el.getparent().tag == f"{{{NS['t']}}}p"  # at the reference, inside the paragraph
        (link,) = el.findall("t:ref", NS)
        assert link.get("target", "").startswith("http://")
        assert link.get("target") == note.blocks[0].content[0].target  # type: ignore[attr-defined]
    assert sample_root.find(".//t:back", NS) is None  # every note is referenced


def test_sample_round_trip(sample_tei: bytes, sample_article: Article) -> None:
    again = read_tei(sample_tei)
    assert again == sample_article
    assert tei(again) == sample_tei


def test_cli_sample_to_tei_and_back(tmp_path: Path, sample_tei: bytes, sample_article: Article) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "convert", str(SAMPLE), "-t", "tei"],
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert out.stdout == sample_tei  # deterministic across processes
    path = tmp_path / "article.xml"
    path.write_bytes(sample_tei)
    assert convert.read(path) == sample_article  # the format is recognised
    md = tmp_path / "article.md"
    assert main([str(path), "-t", "md", "-o", str(md), "-q"]) == 0
    assert md.read_text(encoding="utf-8") == render_markdown(sample_article)


# --------------------------------------------------------------------------- variants


@pytest.fixture(scope="module")
def variant_tei() -> dict[str, bytes]:
    return {name: tei(article) for name, article in VARIANTS.items()}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_valid_golden_lossless(name: str, variant_tei: dict[str, bytes], tei_schema: etree.RelaxNG) -> None:
    data = variant_tei[name]
    valid(tei_schema, data)
    check_golden(f"tei-{name}.xml", data)
    again = read_tei(data)
    assert again == VARIANTS[name]
    assert tei(again) == data


def test_bare_article_invents_nothing(variant_tei: dict[str, bytes]) -> None:
    root = etree.fromstring(variant_tei["bare"])
    file_desc = "/t:TEI/t:teiHeader/t:fileDesc"
    assert xp(root, f"{file_desc}/t:titleStmt/t:title") == ["Only a title"]
    assert xp(root, "//t:author | //t:date | //t:publisher | //t:availability | //t:idno") == []
    assert xp(root, f"{file_desc}/t:publicationStmt/t:p") == ["No publication details recorded."]
    assert xp(root, f"{file_desc}/t:sourceDesc/t:p") == ["No source recorded."]
    assert xp(root, "/t:TEI/@xml:lang") == ["und"]
    assert root.find(".//t:profileDesc", NS) is None


def test_features_notes(variant_tei: dict[str, bytes]) -> None:
    root = etree.fromstring(variant_tei["features"])
    body_notes = root.findall(".//t:body//t:note", NS)
    assert [n.get("n") for n in body_notes] == ["a", "b", "e"]  # in order of first reference
    a = body_notes[0]
    assert a.get(XML_ID) == "note-2"  # the second note of the article
    assert root.findall(".//t:body//t:ptr[@target='#note-2']", NS)  # referenced again: pointed to
    back = root.findall(".//t:back/t:div[@type='notes']/t:note", NS)
    assert [n.get("n") for n in back] == ["c", "d"]  # never referenced: kept
    assert xp(root, "//t:body//t:ref[@target='#note-1']") == ["see"]  # a link to #note-1 stays a link
    assert [n.label for n in read_tei(variant_tei["features"]).notes] == ["b", "a", "c", "d", "e"]


def test_features_header(variant_tei: dict[str, bytes]) -> None:
    root = etree.fromstring(variant_tei["features"])
    stmt = "/t:TEI/t:teiHeader/t:fileDesc/t:publicationStmt"
    assert xp(root, f"{stmt}/t:idno[@subtype='source']") == ["https://news.example/2021/03/relations?id=7&x=1"]
    assert xp(root, f"{stmt}/t:idno[not(@subtype)]") == ["10.1234/abc", "local-17"]
    assert xp(root, f"{stmt}/t:availability/t:licence[not(@n)]/t:p") == [
        "Reuse allowed with attribution.",
        "Commercial reuse needs permission.",
    ]
    assert len(root.findall(".//t:publicationStmt/t:address/t:addrLine/t:lb", NS)) == 1
    keywords = root.findall(".//t:textClass/t:keywords", NS)
    assert [k.get("scheme") for k in keywords] == [
        "#scheme-region", "#scheme-theme", "#scheme-region", None, "#scheme-3"
    ]  # fmt: skip
    assert xp(root, "//t:taxonomy[@xml:id='scheme-3']/t:desc") == ["Library of Congress"]


def test_nested_and_skipped_heading_levels(variant_tei: dict[str, bytes]) -> None:
    root = etree.fromstring(variant_tei["features"])
    (first,) = root.findall("t:text/t:body/t:div", NS)
    assert xp(first, "t:head") == ["First section"]
    # level 3 right after level 1: an untitled level-2 div keeps the depth
    assert xp(first, "t:div[1]/t:div/t:head") == ["A level-three headingIn a heading."]
    assert xp(first, "t:div[1]/t:head") == []
    assert xp(first, "t:div[2]/t:head") == ["Second"]
    assert xp(root, "//t:quote/t:ab[@type='heading']/@n") == ["2"]


def test_output_is_deterministic() -> None:
    article = VARIANTS["features"]
    code = (
        "import sys, warnings; from tests.test_tei import VARIANTS; from convert.writers.tei import render_tei;"
        "sys.stdout.buffer.write(render_tei(VARIANTS['features']))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "7", "SOURCE_DATE_EPOCH": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, cwd=ROOT, env=env)
    assert out.stdout == tei(article) == tei(article)


# --------------------------------------------------------------------------- what the writer must change


def test_characters_xml_forbids_are_removed_and_reported(tei_schema: etree.RelaxNG) -> None:
    article = Article(
        Metadata(title="Ti\x01tle\ufffe", authors=("A\x0bB",)),
        (Paragraph((Text("te\x00xt\x1f"), Link((Text("l\ud800ink"),), "https://x.example/\x07"))),),
        (),
    )
    codes = r"U\+0000, U\+0001, U\+0007, U\+000B, U\+001F, U\+D800, U\+FFFE"
    expected = rf"removed characters that XML 1\.0 does not allow \({codes}\)"
    with collect_warnings() as found:
        data = render_tei(article)
    assert [w.code for w in found] == ["tei.invalid-characters"]
    assert re.fullmatch(expected, found[0].message)
    valid(tei_schema, data)
    again = read_tei(data)
    assert again.metadata.title == "Title"
    assert again.metadata.authors == ("AB",)
    assert again.body == (Paragraph((Text("text"), Link((Text("link"),), "https://x.example/"))),)


def test_what_cannot_be_written_as_is_is_reported(tei_schema: etree.RelaxNG) -> None:
    body = (Paragraph((Text("x"), NoteRef("gone"))), BulletList(()), Heading(0, (Text("h"),)))
    with collect_warnings() as found:
        data = render_tei(Article(Metadata(title="t"), body, ()))
    assert [w.code for w in found] == ["tei.missing-note", "tei.empty-list", "tei.heading-level"]
    message = " ".join(w.message for w in found)
    assert "missing note 'gone'" in message and "empty list" in message and "heading level 0" in message
    valid(tei_schema, data)
    assert read_tei(data).body == (Paragraph((Text("x"), NoteRef("gone"))), Heading(1, (Text("h"),)))


# --------------------------------------------------------------------------- properties


_PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@_PROPERTY
@given(articles())
def test_round_trip_property(tei_schema: etree.RelaxNG, article: Article) -> None:
    data = tei(article)
    valid(tei_schema, data)
    again = read_tei(data)
    assert again == article
    assert tei(again) == data


@_PROPERTY
@given(articles(spaced=True))
def test_round_trip_property_with_spaces_around_markup(tei_schema: etree.RelaxNG, article: Article) -> None:
    data = tei(article)
    valid(tei_schema, data)
    assert read_tei(data) == article


_NAMES = (
    "p", "ab", "head", "div", "div2", "quote", "list", "item", "figure", "graphic", "figDesc", "eg", "code",
    "milestone", "lg", "l", "pb", "hi", "emph", "ref", "ptr", "note", "lb", "q", "choice", "sic", "corr", "title",
    "table", "row", "cell", "label", "unknown", "seg", "formula", "desc", "del",
)  # fmt: skip
_ATTRIBUTES = st.dictionaries(
    st.sampled_from(
        ["n", "type", "rend", "target", "url", "lang", XML_ID, "place", "subtype", "role", "cols", "rows", "style",
         "notation", "{http://www.w3.org/XML/1998/namespace}lang"]
    ),
    st.sampled_from(
        ["", "1", "x", "#n1", "#note-1", "heading", "numbered", "bold", "noteref", "\u00b2", "-3", "label", "gloss",
         "definitions", "2", "text-align: center", "direction: rtl", "TeX", "display", "sup", "strikethrough", "fr"]
    ),
    max_size=3,
)  # fmt: skip
_TEXTS = st.sampled_from(["", " ", "a", " b ", "\n  c\n", "x y", "\u00a0"])


@st.composite
def _tei_trees(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    """Random trees of TEI elements, attributes and text: what hand-written TEI may hold."""
    el = etree.Element(f"{{{NS['t']}}}{draw(st.sampled_from(_NAMES))}")
    for key, value in draw(_ATTRIBUTES).items():
        el.set(key, value)
    el.text = draw(_TEXTS)
    if depth < 4:
        for _ in range(draw(st.integers(0, 3))):
            child = draw(_tei_trees(depth + 1))
            child.tail = draw(_TEXTS)
            el.append(child)
    return el


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tei_trees(), _tei_trees())
def test_any_tei_tree_reads_and_round_trips(body: etree._Element, back: etree._Element) -> None:
    root = etree.fromstring(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body/><back/></text></TEI>')
    root[0][0].append(body)
    root[0][1].append(back)
    try:
        article = read_tei(etree.tostring(root))
    except InputError:  # (e.g. an xml:id that is not a name): refused, and that is all
        return
    with collect_warnings():  # (dangling pointers are reported)
        data = render_tei(article)
    assert read_tei(data) == article


# --------------------------------------------------------------------------- hand-written TEI


HAND_WRITTEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>A   hand-made
          edition</title>
        <author><persName><forename>Jane</forename> <surname>Doe</surname></persName></author>
      </titleStmt>
      <publicationStmt>
        <publisher>Digital Library</publisher>
        <availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability>
        <idno type="DOI">10.5555/demo</idno>
      </publicationStmt>
      <sourceDesc>
        <bibl><title>Original</title><publisher>Old Press</publisher><date when="1999-12-31">New Year's Eve</date>
          <ref target="https://old.example/story">online</ref></bibl>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <langUsage><language ident="de">German</language></langUsage>
      <textClass><keywords scheme="#lcsh"><term>History</term></keywords></textClass>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="chapter">
        <head>Chapter <hi rend="italic">one</hi></head>
        <p>Some <emph>emphasised</emph> and <hi rend="bold">bold</hi> text,
           a <ref target="https://x.example/">link</ref> and a note<note place="foot">An
           inline note.</note>; another<ptr target="#n2"/>.</p>
        <quote><p>A quotation.</p></quote>
        <list type="ordered">
          <item n="2">second</item>
          <item n="3"><p>third</p></item>
        </list>
        <p>Line one<lb/>
           line two.</p>
        <div><head>Sub</head><p>Deeper.</p></div>
      </div>
    </body>
    <back>
      <div type="notes">
        <head>Notes</head>
        <note xml:id="n2">A note at the back.</note>
      </div>
    </back>
  </text>
</TEI>
"""


def test_hand_written_tei() -> None:
    article = read_tei(HAND_WRITTEN)
    meta = article.metadata
    assert meta.title == "A hand-made edition"
    assert meta.authors == ("Jane Doe",)
    assert meta.publisher == "Old Press"  # the original's, from the source description
    assert meta.date == dt.date(1999, 12, 31)
    assert meta.language == "de"
    assert meta.source_url == "https://old.example/story"
    assert meta.subjects == (Subject("History", "lcsh"),)
    assert meta.identifiers == (Identifier("10.5555/demo", "DOI"),)
    assert meta.rights == Rights(licence="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/")
    assert article.body == (
        Heading(1, (Text("Chapter "), Emph((Text("one"),)))),
        Paragraph(
            (
                Text("Some "),
                Emph((Text("emphasised"),)),
                Text(" and "),
                Strong((Text("bold"),)),
                Text(" text, a "),
                Link((Text("link"),), "https://x.example/"),
                Text(" and a note"),
                NoteRef("1"),
                Text("; another"),
                NoteRef("2"),
                Text("."),
            )
        ),
        BlockQuote((Paragraph((Text("A quotation."),)),)),
        OrderedList(((Paragraph((Text("second"),)),), (Paragraph((Text("third"),)),)), 2),
        Paragraph((Text("Line one"), LineBreak(), Text("line two."))),
        Heading(2, (Text("Sub"),)),
        Paragraph((Text("Deeper."),)),
    )
    assert article.notes == (
        Note("1", (Paragraph((Text("An inline note."),)),)),
        Note("2", (Paragraph((Text("A note at the back."),)),)),
    )


def test_tei_corpus_reads_its_first_text() -> None:
    data = b"""<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>
    <TEI><teiHeader><fileDesc><titleStmt><title>first</title></titleStmt></fileDesc></teiHeader></TEI>
    <TEI><teiHeader><fileDesc><titleStmt><title>second</title></titleStmt></fileDesc></teiHeader></TEI></teiCorpus>"""
    assert read_tei(data).metadata.title == "first"


def test_namespace_less_tei_and_code() -> None:
    data = b"""<TEI><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>
    <text><body><p>Run <code>ls -l</code>:</p><eg>
      for x in y:
          pass
    </eg></body></text></TEI>"""
    article = read_tei(data)
    assert article.metadata.title == "t"
    assert article.body == (
        Paragraph((Text("Run "), Code("ls -l"), Text(":"))),
        CodeBlock("for x in y:\n    pass"),
    )


# --------------------------------------------------------------------------- hostile and broken input


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol9;</p></body></text></TEI>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&xxe;</p></body></text></TEI>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>
"""


def _error(data: bytes) -> str:
    with pytest.raises(InputError) as info:
        read_tei(data)
    message = str(info.value)
    assert "\n" not in message and message
    return message


XXE_UTF32 = XXE.replace(b'version="1.0"', b'version="1.0" encoding="UTF-32"').decode().encode("utf-32")


@pytest.mark.parametrize(
    "data",
    [LAUGHS, XXE, PARAMETER_ENTITY, XXE.decode().encode("utf-16"), XXE_UTF32],
    ids=["billion-laughs", "xxe", "parameter-entity", "xxe-utf-16", "xxe-utf-32"],
)
def test_entity_declarations_are_refused(data: bytes) -> None:
    assert "declares entities" in _error(data)


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "from the DTD">', encoding="utf-8")
    uses = f"""<?xml version="1.0"?><!DOCTYPE TEI SYSTEM "{dtd.as_uri()}">
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&secret;</p></body></text></TEI>""".encode()
    message = _error(uses)
    assert "not well-formed" in message or "cannot be resolved" in message
    assert "from the DTD" not in message
    ignores = f"""<?xml version="1.0"?><!DOCTYPE TEI SYSTEM "{dtd.as_uri()}">
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>fine</p></body></text></TEI>""".encode()
    assert read_tei(ignores).body == (Paragraph((Text("fine"),)),)


def test_external_entity_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = XXE.replace(b"file:///etc/passwd", secret.as_uri().encode())
    assert "TOP SECRET" not in _error(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<TEI><text><body><p>x</TEI>", "not well-formed XML"),
        (b"<html><body><p>x</p></body></html>", "not a TEI document: the root element is <html>"),
        (b'<TEI xmlns="urn:other"><text/></TEI>', "in namespace urn:other"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not well-formed XML"),
        (b"<TEI>" + b"<div>" * 5000 + b"</div>" * 5000 + b"</TEI>", "not well-formed XML"),
        (b"<TEI><p>" + b"x" * 11_000_000 + b"</p></TEI>", "not well-formed XML"),
    ],
    ids=["malformed", "html", "other-namespace", "binary", "too-deep", "huge-text-node"],
)
def test_bad_input_gets_one_line_error(data: bytes, expected: str) -> None:
    assert expected in _error(data)


def test_deep_nesting_is_an_error_never_a_crash() -> None:
    deep_notes = b"<TEI><text><body>" + b"<note>" * 250 + b"x" + b"</note>" * 250 + b"</body></text></TEI>"
    article = convert.read(deep_notes, "tei")  # within libxml2's depth limit: read
    assert len(article.notes) == 250
    deep = Paragraph((Text("x"),))
    for _ in range(2000):
        deep = BlockQuote((deep,))  # type: ignore[assignment]
    with pytest.raises(OutputError, match="nested too deeply"):
        render_tei(Article(Metadata(), (deep,)))


def test_cli_reports_hostile_file_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(LAUGHS)
    assert main([str(path), "-t", "md"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"artconv: {path}: ") and "declares entities" in err
