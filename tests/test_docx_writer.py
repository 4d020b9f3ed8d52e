"""The ``docx`` writer (artconv's own): what Word, python-docx and pandoc's DOCX reader find in it."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings

from convert.api import read, render
from convert.errors import OutputError, collect_warnings
from convert.ir.model import (
    Article,
    Asset,
    BibEntry,
    Bibliography,
    BlockQuote,
    BulletList,
    CodeBlock,
    Figure,
    Heading,
    Image,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from convert.ir.walk import plain_text_blocks, query

from .conftest import ROOT, SAMPLE, check_golden
from .strategies import articles

RICH = ROOT / "tests" / "fixtures" / "rich"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FIXTURES = sorted(p.name for p in RICH.glob("*.md"))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def xml(data: bytes, name: str) -> ET.Element:
    return ET.fromstring(parts(data)[name])


def texts(root: ET.Element) -> list[str]:
    """The text of each paragraph (its ``w:t``, in order)."""
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def styles_of(root: ET.Element) -> list[tuple[str, str]]:
    """(style id, text) of each paragraph."""
    found = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        found.append(
            ("" if style is None else style.get(f"{W}val", ""), "".join(t.text or "" for t in p.iter(f"{W}t")))
        )
    return found


@pytest.fixture(scope="module")
def sample() -> Article:
    return read(SAMPLE)


@pytest.fixture(scope="module")
def sample_docx(sample: Article) -> bytes:
    return render(sample, "docx", source_date_epoch=1_600_000_000)


def test_the_sample_reads_as_an_article(sample: Article, sample_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(sample_docx))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[:3] == [("Title", sample.metadata.title), ("Author", "Farooq Yousaf"), ("Date", "2012-09-27")]
    body = plain_text_blocks(sample.body)
    assert all(" ".join(text.split()) in " ".join(body.split()) for style, text in paragraphs[3:12])
    assert ("Heading 1", "Rights") in paragraphs
    core = document.core_properties
    assert (core.title, core.author, core.language) == (sample.metadata.title, "Farooq Yousaf", "en")
    assert core.keywords == "Asia, Russia and FSU, Oil and Energy"
    assert core.created == dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=dt.UTC)


def test_the_sample_golden(sample_docx: bytes) -> None:
    check_golden("russia-pakistan-relationship.docx.xml", parts(sample_docx)["word/document.xml"])


def test_every_part_is_well_formed_and_declared(sample_docx: bytes) -> None:
    found = parts(sample_docx)
    for name, data in found.items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(data)
    types = found["[Content_Types].xml"].decode()
    for name in found:
        if name.endswith(".xml") and name != "[Content_Types].xml":
            assert f'PartName="/{name}"' in types, name
    assert next(iter(found)) == "[Content_Types].xml"


def test_notes_are_footnotes_with_their_text(sample: Article, sample_docx: bytes) -> None:
    document = xml(sample_docx, "word/document.xml")
    references = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert references == [str(i) for i in range(1, len(sample.notes) + 1)]
    notes = xml(sample_docx, "word/footnotes.xml")
    bodies = {n.get(f"{W}id"): " ".join(texts(n)).strip() for n in notes.iter(f"{W}footnote")}
    for number, note in enumerate(sample.notes, 1):
        assert bodies[str(number)] == " ".join(plain_text_blocks(note.blocks).split())
    # the notes' links are hyperlinks of the footnotes part, to the web
    rels = parts(sample_docx)["word/_rels/footnotes.xml.rels"].decode()
    assert 'Target="http://tribune.com.pk/story/434697/' in rels and 'TargetMode="External"' in rels
    links = [h.get(f"{R}id") for h in notes.iter(f"{W}hyperlink")]
    assert links and all(f'Id="{rid}"' in rels for rid in links)


def test_properties_keep_the_rights(sample: Article, sample_docx: bytes) -> None:
    custom = parts(sample_docx)["docProps/custom.xml"].decode()
    rights = sample.metadata.rights
    values = {p.get("name"): "".join(p.itertext()) for p in ET.fromstring(custom)}
    for name, value in (("copyright", rights.copyright), ("disclaimer", rights.disclaimer),
                        ("source", rights.source), ("contact", rights.contact)):  # fmt: skip
        assert values[f"artconv-rights-{name}"] == value
    assert values["artconv-rights-fair-use"] == " ".join(rights.fair_use.split())
    assert values["publisher"] == "Global Research"
    app = parts(sample_docx)["docProps/app.xml"].decode()
    assert "<Application>artconv</Application>" in app


def test_the_rights_section_has_a_bold_label_per_field(sample_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(sample_docx))
    paragraphs = document.paragraphs
    start = [p.text for p in paragraphs].index("Rights")
    closing = paragraphs[start + 1 :]
    assert [p.runs[0].text for p in closing] == ["Source:", "Copyright:", "Disclaimer:", "Fair use:", "Contact:"]
    assert all(p.runs[0].bold for p in closing)
    assert closing[1].text == "Copyright: Copyright © Farooq Yousaf, Global Research, 2012"


def test_the_rights_section_is_the_pandoc_writers(sample: Article) -> None:
    """Both DOCX writers close with the same rights paragraphs (one function makes them)."""
    ours = docx.Document(io.BytesIO(render(sample, "docx"))).paragraphs
    theirs = docx.Document(io.BytesIO(render(sample, "pandoc:docx"))).paragraphs

    def rights(paragraphs: list[object]) -> list[str]:
        found = [p.text for p in paragraphs]  # type: ignore[attr-defined]
        return found[found.index("Rights") :]

    assert rights(ours) == rights(theirs)


@pytest.mark.parametrize("name", FIXTURES)
def test_rich_fixtures_open_and_are_well_formed(name: str) -> None:
    with collect_warnings():
        data = render(read(RICH / name), "docx")
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].style.name == "Title"
    for part, content in parts(data).items():
        if part.endswith((".xml", ".rels")):
            ET.fromstring(content)


def test_headings_lists_and_numbering() -> None:
    data = render(read(RICH / "lists.md"), "docx")
    document = xml(data, "word/document.xml")
    numbered = [p for p in document.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    assert [texts(p)[0] for p in numbered] == [
        "First step", "a detail of the first step", "another detail", "nested deeper", "and again",
        "Second step", "Third step", "A bullet", "Another bullet",
    ]  # fmt: skip
    levels = [int(p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val")) for p in numbered]  # type: ignore[union-attr]
    assert levels == [0, 1, 1, 2, 2, 0, 0, 0, 0]
    ids = [p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in numbered]  # type: ignore[union-attr]
    assert len(set(ids)) == 4  # one numbering instance per list
    numbering = xml(data, "word/numbering.xml")
    formats = {
        n.get(f"{W}abstractNumId"): n.find(f"{W}lvl/{W}numFmt").get(f"{W}val")  # type: ignore[union-attr]
        for n in numbering.iter(f"{W}abstractNum")
    }
    assert sorted(formats.values()) == ["bullet", "bullet", "decimal", "decimal"]
    # the second paragraph of an item is indented under it, not numbered; the quotation in a bullet is Block Text
    styled = styles_of(document)
    assert ("Compact", "With a second paragraph in the item.") in styled
    assert ("BlockText", "with a quotation inside") in styled


def test_an_ordered_list_starts_where_the_ir_says_and_each_list_restarts() -> None:
    item = ((Paragraph((Text("x"),)),),)
    article = Article(
        Metadata(title="L"), (OrderedList(item, start=4), Paragraph((Text("between"),)), OrderedList(item))
    )
    numbering = xml(render(article, "docx"), "word/numbering.xml")
    starts = [n.find(f"{W}lvl/{W}start").get(f"{W}val") for n in numbering.iter(f"{W}abstractNum")]  # type: ignore[union-attr]
    nums = [n.get(f"{W}numId") for n in numbering.iter(f"{W}num")]
    assert starts == ["4", "1"] and nums == ["1", "2"]


def test_tables() -> None:
    data = render(read(RICH / "tables.md"), "docx")
    document = docx.Document(io.BytesIO(data))
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Quarter", "Revenue", "Change", "Note"]
    assert [c.text for c in first.rows[2].cells] == ["Q2", "1,310", "+9 %", "see the report"]
    assert len(document.tables) == 3 and len(document.tables[1].columns) == 10
    body = xml(data, "word/document.xml")
    tables = list(body.iter(f"{W}tbl"))
    assert tables[0].find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    assert tables[2].find(f"{W}tr/{W}trPr/{W}tblHeader") is None  # no header row
    aligns = [p.find(f"{W}pPr/{W}jc") for p in tables[0].find(f"{W}tr").iter(f"{W}p")]  # type: ignore[union-attr]
    assert [a.get(f"{W}val") if a is not None else "" for a in aligns] == ["left", "right", "center", ""]
    assert ("TableCaption", "Revenue by quarter, in thousands") in styles_of(body)


def test_table_spans() -> None:
    cell = TableCell
    table = Table(
        head=((cell((Text("wide"),), colspan=2), cell((Text("c"),))),),
        rows=(
            (cell((Text("tall"),), rowspan=2), cell((Text("b1"),)), cell((Text("c1"),))),
            (cell((Text("b2"),)), cell((Text("c2"),))),
        ),
    )
    data = render(Article(Metadata(title="T"), (table,)), "docx")
    rows = list(xml(data, "word/document.xml").iter(f"{W}tr"))
    assert rows[0].find(f"{W}tc/{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"  # type: ignore[union-attr]
    assert rows[1].find(f"{W}tc/{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"  # type: ignore[union-attr]
    continued = rows[2].find(f"{W}tc/{W}tcPr/{W}vMerge")
    assert continued is not None and continued.get(f"{W}val") is None
    document = docx.Document(io.BytesIO(data))
    grid = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert grid == [["wide", "wide", "c"], ["tall", "b1", "c1"], ["tall", "b2", "c2"]]


def test_images_are_embedded_and_the_others_keep_their_alt_text() -> None:
    with collect_warnings():
        article = read(RICH / "images.md")  # (its warnings about the same images would stand for the writer's)
    with collect_warnings() as seen:
        data = render(article, "docx")
    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes  # (python-docx counts those outside hyperlinks: not the linked chart)
    assert len(shapes) == 2
    inline = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"
    assert len(list(xml(data, "word/document.xml").iter(inline))) == 3  # the photo, the linked chart, the data: URI
    assert all(s.width <= 6 * 914400 and s.height > 0 for s in shapes)
    assert shapes[0].width == 48 * 9525 and shapes[0].height == 32 * 9525  # from the PNG header, 96 dpi
    media = sorted(n for n in parts(data) if n.startswith("word/media/"))
    assert media == ["word/media/image1.png", "word/media/image2.jpeg", "word/media/image3.png"]
    left_out = [w.subject for w in seen if w.code == "docx.image-left-out"]
    assert left_out == ["https://example.org/picture.png", "img/missing.png"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The missing drawing" in text and "A remote picture" in text
    rels = parts(data)["word/_rels/document.xml.rels"].decode()
    assert 'Target="https://example.org/picture.png" TargetMode="External"' in rels  # a link stands for it
    styled = styles_of(xml(data, "word/document.xml"))
    assert ("ImageCaption", "The photo's caption") in styled


def test_a_large_image_is_shown_at_the_text_width_its_ratio_kept() -> None:
    import struct
    import zlib

    def png(width: int, height: int) -> bytes:
        ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        chunk = b"IHDR" + ihdr
        return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))

    article = Article(
        Metadata(title="Big"),
        (Figure((Text("Wide"),), Image("big.png", "wide")),),
        assets=(Asset("big.png", "image/png", png(3000, 1500)),),
    )
    shape = docx.Document(io.BytesIO(render(article, "docx"))).inline_shapes[0]
    assert shape.width == 6 * 914400 and shape.height == 3 * 914400


def test_an_svg_is_left_out_with_its_alt_text() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    article = Article(
        Metadata(title="Svg"),
        (Figure((), Image("d.svg", "a drawing")),),
        assets=(Asset("d.svg", "image/svg+xml", svg),),
    )
    with collect_warnings() as seen:
        data = render(article, "docx")
    assert [w.code for w in seen] == ["docx.image-left-out"] and "image/svg+xml" in seen[0].message
    assert ("ImageCaption", "a drawing") in styles_of(xml(data, "word/document.xml"))


def test_inline_formatting_languages_and_code() -> None:
    data = render(read(RICH / "inline.md"), "docx")
    body = parts(data)["word/document.xml"].decode()
    for mark in ("<w:strike/>", '<w:vertAlign w:val="subscript"/>', '<w:vertAlign w:val="superscript"/>',
                 "<w:smallCaps/>", '<w:lang w:val="fr" w:eastAsia="fr"/>', "<w:rtl/>"):  # fmt: skip
        assert mark in body, mark
    assert re.search(r'<w:rtl/><w:lang w:val="ar" w:bidi="ar"[^>]*/></w:rPr><w:t xml:space="preserve">مرحبا', body)
    defs = render(read(RICH / "definitions.md"), "docx")
    styled = styles_of(xml(defs, "word/document.xml"))
    assert ("DefinitionTerm", "Term one") in styled and ("Definition", "The second paragraph of it.") in styled
    assert '<w:rStyle w:val="VerbatimChar"/></w:rPr><w:t xml:space="preserve">e^{i\\pi} + 1 = 0' in (
        parts(defs)["word/document.xml"].decode()
    )


def test_code_blocks_keep_their_lines_and_spaces() -> None:
    article = Article(Metadata(title="C"), (CodeBlock("def f():\n    return 1 < 2\n\tdone", "python"),))
    body = parts(render(article, "docx"))["word/document.xml"].decode()
    line = next(line for line in body.splitlines() if "SourceCode" in line)
    assert '<w:t xml:space="preserve">    return 1 &lt; 2</w:t>' in line
    assert line.count("<w:br/>") == 2 and "<w:tab/>" in line


def test_a_right_to_left_article() -> None:
    data = render(read(RICH / "arabic.md"), "docx")
    document = xml(data, "word/document.xml")
    paragraphs = list(document.iter(f"{W}p"))
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    runs = [r for r in document.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    styles = parts(data)["word/styles.xml"].decode()
    assert '<w:lang w:val="ar" w:bidi="ar" w:eastAsia="ar"/>' in styles
    assert [s for s, _ in styles_of(document) if s.startswith("Heading")] == ["Heading1", "Heading1"] or all(
        s.startswith("Heading") for s, t in styles_of(document) if t.startswith("المادة")
    )
    assert docx.Document(io.BytesIO(data)).core_properties.language == "ar"


def test_language_in_the_styles_and_properties(sample_docx: bytes) -> None:
    styles = parts(sample_docx)["word/styles.xml"].decode()
    assert '<w:lang w:val="en" w:eastAsia="en"/>' in styles
    assert "<w:bidi/>" not in parts(sample_docx)["word/document.xml"].decode()


def test_headings_have_bookmarks_that_internal_links_reach() -> None:
    article = Article(
        Metadata(title="Links"),
        (
            Heading(1, (Text("The Start"),)),
            Paragraph((Link((Text("back"),), "#the-start"), Text(" and "), Link((Text("cited"),), "#ref-smith2019"))),
            Paragraph((Link((Text("nowhere"),), "#no-such-place"), Link((Text(" bad"),), "javascript:alert(1)"))),
            Heading(2, (Text("The Start"),)),
            Bibliography((BibEntry((Text("Smith 2019."),), "smith2019"),), (Text("References"),)),
        ),
    )
    with collect_warnings() as seen:
        body = xml(render(article, "docx"), "word/document.xml")
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert names == ["the-start", "the-start-1", "ref-smith2019"]
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")]
    assert anchors == ["the-start", "ref-smith2019"]
    assert [w.code for w in seen] == ["docx.link-left-out"]
    assert "nowhere bad" in texts(body)[3]
    assert ("Bibliography", "Smith 2019.") in styles_of(body)


def test_every_note_is_kept() -> None:
    article = Article(
        Metadata(title="Notes"),
        (
            Paragraph(
                (Text("Twice"), NoteRef("a"), Text(" and again"), NoteRef("a"), Text(" and a ghost"), NoteRef("z"))
            ),
            BlockQuote((Paragraph((Text("Quoted."),)),)),
            ThematicBreak(),
            BulletList(((CodeBlock("x = 1"),),)),
        ),
        (Note("a", (Paragraph((Text("Note a."),)),)), Note("b", (Paragraph((Text("Never referenced."),)),))),
    )
    with collect_warnings() as seen:
        data = render(article, "docx")
    assert [w.code for w in seen] == ["docx.note-missing"]
    notes = xml(data, "word/footnotes.xml")
    bodies = [" ".join(texts(n)).strip() for n in notes.iter(f"{W}footnote") if int(n.get(f"{W}id", "0")) > 0]
    assert bodies == ["Note a.", "Note a."]
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    assert "Notes" in text and "b Never referenced." in text
    assert any(p.style.name == "Heading 1" and p.text == "Notes" for p in document.paragraphs)


def test_front_matter_and_abstract() -> None:
    meta = Metadata(
        title="A Title",
        subtitle="Its subtitle",
        authors=("Ann Writer", "Ben Second"),
        date=dt.date(2021, 2, 1),
        date_precision="month",
        description="First paragraph of the abstract.\n\nSecond one.",
    )
    data = render(Article(meta, (Paragraph((Text("Body."),)),)), "docx")
    styled = styles_of(xml(data, "word/document.xml"))
    assert styled[:6] == [
        ("Title", "A Title"), ("Subtitle", "Its subtitle"), ("Author", "Ann Writer"), ("Author", "Ben Second"),
        ("Date", "2021-02"), ("Abstract", "First paragraph of the abstract."),
    ]  # fmt: skip
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.author == "Ann Writer; Ben Second" and core.comments.startswith("First paragraph")


def test_deterministic_with_timestamps_from_the_epoch(sample: Article) -> None:
    one = render(sample, "docx")
    assert one == render(sample, "docx")
    with zipfile.ZipFile(io.BytesIO(one)) as package:
        assert package.testzip() is None  # every entry's CRC checks (the zip is written by the writer)
        assert {info.date_time for info in package.infolist()} == {(2012, 9, 27, 0, 0, 0)}
    epoch = render(sample, "docx", source_date_epoch=1_700_000_000)
    with zipfile.ZipFile(io.BytesIO(epoch)) as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2023, 11, 14)}
        assert b"2023-11-14T22:13:20Z" in package.read("docProps/core.xml")
    undated = render(Article(Metadata(title="x"), (Paragraph((Text("x"),)),)), "docx")
    assert b"dcterms:created" not in parts(undated)["docProps/core.xml"]


def test_reference_doc(tmp_path: Path, sample: Article) -> None:
    reference = tmp_path / "ref.docx"
    own = render(sample, "pandoc:docx")  # pandoc's reference styles, theme and font table
    reference.write_bytes(own)
    data = render(sample, "docx", reference_doc=str(reference))
    found = parts(data)
    assert found["word/theme/theme1.xml"] == parts(own)["word/theme/theme1.xml"]
    assert "AbstractTitle" in found["word/styles.xml"].decode()
    assert 'Target="theme/theme1.xml"' in found["word/_rels/document.xml.rels"].decode()
    docx.Document(io.BytesIO(data))
    # a reference without some of the writer's styles gets them added
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as package:
        package.writestr("word/styles.xml", f'<w:styles xmlns:w="{W[1:-1]}"><w:style w:styleId="Normal"/></w:styles>')
    reference.write_bytes(plain.getvalue())
    styles = parts(render(sample, "docx", reference_doc=str(reference)))["word/styles.xml"].decode()
    assert styles.count('w:styleId="Normal"') == 1 and 'w:styleId="FootnoteText"' in styles
    with pytest.raises(OutputError, match="--reference-doc: no such file: "):
        render(sample, "docx", reference_doc=str(tmp_path / "missing.docx"))
    (tmp_path / "not.docx").write_text("plain text", encoding="utf-8")
    with pytest.raises(OutputError, match=r"--reference-doc: .*not\.docx is not a DOCX file") as caught:
        render(sample, "docx", reference_doc=str(tmp_path / "not.docx"))
    assert "\n" not in str(caught.value)


def test_characters_xml_cannot_carry_are_removed_and_reported() -> None:
    article = Article(Metadata(title="bad\x01title"), (Paragraph((Text("a\x0bb"),)),))
    with collect_warnings() as seen:
        data = render(article, "docx")
    assert [w.code for w in seen] == ["docx.invalid-characters"]
    assert "ab" in texts(xml(data, "word/document.xml"))


# --------------------------------------------------------------------------- pandoc reads it back


def test_pandoc_reads_the_sample_back(sample: Article, sample_docx: bytes) -> None:
    from convert.readers.pandoc import read_with_pandoc

    back = read_with_pandoc(sample_docx, "docx")
    meta, want = back.metadata, sample.metadata
    assert (meta.title, meta.authors, meta.date) == (want.title, want.authors, want.date)
    assert [plain_text_blocks(n.blocks) for n in back.notes] == [plain_text_blocks(n.blocks) for n in sample.notes]
    assert (meta.rights.copyright, meta.rights.disclaimer) == (want.rights.copyright, want.rights.disclaimer)
    assert (meta.rights.fair_use, meta.rights.source) == (want.rights.fair_use, want.rights.source)
    assert "Rights" not in plain_text_blocks(back.body)  # the section became the rights again
    assert " ".join(plain_text_blocks(back.body).split()) == " ".join(plain_text_blocks(sample.body).split())


def test_pandoc_reads_tables_back_as_tables() -> None:
    from convert.readers.pandoc import read_with_pandoc

    back = read_with_pandoc(render(read(RICH / "tables.md"), "docx"), "docx")
    tables = [b for b in back.body if isinstance(b, Table)]
    assert len(tables) == 3
    assert plain_text_blocks(((Paragraph(tables[0].caption)),)) == "Revenue by quarter, in thousands"
    assert [plain_text_blocks((Paragraph(c.content),)) for c in tables[0].head[0]] == [
        "Quarter", "Revenue", "Change", "Note",
    ]  # fmt: skip


@pytest.mark.parametrize("name", FIXTURES)
def test_pandoc_reads_the_rich_fixtures_back(name: str) -> None:
    """The text, the kinds of blocks, title and language come back (a list item's second paragraph,
    an indented paragraph, becomes a quotation between two lists: pandoc's reader)."""
    from convert.readers.pandoc import read_with_pandoc

    with collect_warnings():
        article = read(RICH / name)
        back = read_with_pandoc(render(article, "docx"), "docx")

    def words(text: str) -> str:
        return " ".join(re.sub(r"[\"'“”‘’]", "", text).split())

    assert words(plain_text_blocks(back.body)) == words(plain_text_blocks(article.body))
    assert (back.metadata.title, back.metadata.language) == (article.metadata.title, article.metadata.language)
    if name != "lists.md":
        assert [type(b) for b in back.body] == [type(b) for b in article.body]


# --------------------------------------------------------------------------- properties and imports


def _all_text(data: bytes) -> set[str]:
    found = parts(data)
    out: set[str] = set()
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name in found:
            out.update(t.text or "" for t in ET.fromstring(found[name]).iter(f"{W}t"))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(assets=True))
def test_every_article_renders_and_keeps_its_text(article: Article) -> None:
    with collect_warnings():
        data = render(article, "docx")
    for name, content in parts(data).items():
        if name.endswith((".xml", ".rels")):
            ET.fromstring(content)
    docx.Document(io.BytesIO(data))
    runs = _all_text(data)
    for value in query(lambda n: (n.text,) if isinstance(n, Text) else (), article):
        assert value.replace("\n", " ") in runs, value


def test_the_writer_imports_no_pandoc_lxml_or_weasyprint() -> None:
    script = (
        "import sys, convert\n"
        f"convert.render(convert.read({str(SAMPLE)!r}), 'docx')\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env).stdout
    modules = set(out.split())
    assert "convert.writers.docx" in modules
    for heavy in ("lxml", "weasyprint", "ebooklib", "pypandoc", "convert.pandoc.runner", "convert.writers.pandoc",
                  "zipfile", "docx"):  # fmt: skip
        assert heavy not in modules, heavy


def test_registered_as_artconvs_own() -> None:
    from convert.registry import PANDOC_WRITERS, get_writer, writer_facts

    assert "docx" not in PANDOC_WRITERS
    assert get_writer("docx").render.__module__ == "convert.writers.docx"
    assert writer_facts("docx").binary and writer_facts("pandoc:docx").extension == ".docx"
    assert "reference_doc" in writer_facts("docx").options


def test_pandoc_docx_is_still_reachable() -> None:
    article = Article(Metadata(title="Through pandoc", rights=Rights(copyright="© 2020 A")), (Paragraph((Text("x"),)),))
    data = render(article, "pandoc:docx")
    assert "artconv-rights-copyright" in parts(data)["docProps/custom.xml"].decode()
    assert "webSettings.xml" in " ".join(parts(data))  # pandoc's package, not ours


@pytest.mark.filterwarnings("ignore::convert.errors.ArtconvWarning")
@pytest.mark.parametrize("name", ["long_token", "long_url", "nested_emphasis", "c1_quotes", "nul", "control_chars"])
def test_hostile_inputs_make_well_formed_documents(name: str) -> None:
    import convert

    from .hostile import HOSTILE

    with collect_warnings():
        data = render(convert.parse(HOSTILE[name](), f"{name}.md"), "docx")
    for part, content in parts(data).items():
        if part.endswith((".xml", ".rels")):
            ET.fromstring(content)
    docx.Document(io.BytesIO(data))


def test_an_article_nested_too_deeply_is_an_output_error() -> None:
    block: object = Paragraph((Text("deep"),))
    for _ in range(sys.getrecursionlimit()):
        block = BlockQuote((block,))  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="nested too deeply"):
        render(Article(Metadata(title="Deep"), (block,)), "docx")  # type: ignore[arg-type]
