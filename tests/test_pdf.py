"""The pdf writer, read back with pypdf and poppler: page, footnotes, metadata, variants, speed guard, safety.

Each PDF is rendered once per module (module-scoped fixtures) and many things
are asserted on it.  Poppler's tools (pdftotext, pdffonts, pdfinfo) come from
``scripts/setup-system.sh``; the tests that need them are skipped without them.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import http.server
import io
import re
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from convert import api
from convert.errors import UsageError
from convert.html.fetch import FetchPolicy, FetchRefusedError
from convert.ir.model import (
    Article,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
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
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from convert.ir.walk import block_inlines, iter_inlines, plain_text
from convert.registry import Options, get_writer
from convert.writers import pdf as pdf_writer

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
TEI_NS = "http://www.tei-c.org/ns/1.0"
MM = 72 / 25.4  # PDF points per millimetre

SAMPLE_URLS = [
    "http://tribune.com.pk/story/434697/bold-move-russia-shows-interest-in-iran-gas-pipeline-project/",
    "http://orientalreview.org/2011/05/25/warming-ties-with-russia/",
    "http://www.pakistanchristianpost.com/headlinenewsd.php?hnewsid=3138",
    "http://usa.chinadaily.com.cn/epaper/2011-05/25/content_12576227.htm",
    "http://www.isn.ethz.ch/isn/Security-Watch/Articles/Detail/?lng=en&id=143969",
    "http://www.telegraph.co.uk/news/worldnews/asia/afghanistan/9341684/"
    "Afghanistan-blames-Pakistans-intelligence-agency-for-Kabul-suicide-attack.html",
    "http://tribune.com.pk/story/425065/kabul-blames-foreign-spy-agencies-for-insider-attacks/",
    "http://tribune.com.pk/story/411902/kabul-blames-pakistan-for-cross-border-shelling/",
    "http://tribune.com.pk/story/430434/shift-in-policy-army-chief-to-make-historic-moscow-trip/",
    "http://www.lisauk.com/view.php?i=92",
]


# --------------------------------------------------------------------------- helpers


def poppler(tool: str, *args: str) -> str:
    """Output of a poppler tool (the test is skipped when the tool is missing)."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed; scripts/setup-system.sh installs it")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@dataclass
class Rendered:
    """A rendered PDF, on disk for poppler and parsed by pypdf."""

    data: bytes
    path: Path
    reader: PdfReader

    def page_text(self, number: int, *, layout: bool = False) -> str:
        """pdftotext of one page (1-based)."""
        extra = ["-layout"] if layout else []
        return poppler("pdftotext", *extra, "-f", str(number), "-l", str(number), str(self.path), "-")

    def text(self) -> str:
        return poppler("pdftotext", str(self.path), "-")

    def uris(self) -> dict[str, int]:
        """External link targets -> first page (1-based) they are on."""
        found: dict[str, int] = {}
        for number, page in enumerate(self.reader.pages, 1):
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                if action.get("/S") == "/URI":
                    found.setdefault(str(action["/URI"]), number)
        return found

    def xmp(self) -> etree._Element:
        stream = self.reader.trailer["/Root"]["/Metadata"].get_object()
        root: etree._Element = etree.fromstring(stream.get_data())
        return root


def render_pdf(tmp: Path, name: str, article: Article, options: Options) -> Rendered:
    data = pdf_writer.render(article, options)
    path = tmp / f"{name}.pdf"
    path.write_bytes(data)
    return Rendered(data, path, PdfReader(io.BytesIO(data)))


def squash(text: str) -> str:
    """Text without whitespace and without the hyphens added by hyphenation (for URL checks)."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", "").replace("\u00ad", ""))


def flat(text: str) -> str:
    """Text on one line: hyphenated words joined, whitespace runs collapsed."""
    text = re.sub("\u2010\\s*\n", "", text)
    return " ".join(text.split())


def page_of_ref(article: Article) -> dict[str, str]:
    """For each referenced note label, the three words of text just before its first reference."""
    before: dict[str, str] = {}
    for block in article.body:
        for seq in block_inlines(block):
            text = ""
            for node in seq:
                if isinstance(node, NoteRef):
                    words = text.split()
                    if words and node.label not in before:
                        before[node.label] = " ".join(words[-3:])
                else:
                    text += plain_text([node])
    return before


def all_stream_data(reader: PdfReader) -> bytes:
    """Every stream of the file, decoded, concatenated (to look for leaked content)."""
    chunks: list[bytes] = []
    for number in range(1, len(reader.xref_objStm) + 2000):
        try:
            obj = reader.get_object(IndirectObject(number, 0, reader))
        except Exception:  # objects past the end, free entries
            continue
        if hasattr(obj, "get_data"):
            with contextlib.suppress(Exception):
                chunks.append(obj.get_data())
    return b"\n".join(chunks)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def sample(tmp: Path, sample_article: Article) -> Rendered:
    """The sample with default options: A4, footnotes, dates from the article."""
    return render_pdf(tmp, "sample", sample_article, Options())


@pytest.fixture(scope="module")
def sample_endnotes_letter(tmp: Path, sample_article: Article) -> Rendered:
    return render_pdf(tmp, "endnotes", sample_article, Options(notes="endnotes", paper="letter"))


@pytest.fixture(scope="module")
def sample_pdfa(tmp: Path, sample_article: Article) -> Rendered:
    return render_pdf(tmp, "pdfa", sample_article, Options(pdf_variant="pdf/a-3b", source_date_epoch=1700000000))


@pytest.fixture(scope="module")
def sample_pdfua(tmp: Path, sample_article: Article) -> Rendered:
    return render_pdf(tmp, "pdfua", sample_article, Options(pdf_variant="pdf/ua-1"))


LONG_URL = "https://example.org/" + "/".join(f"segment{k:02d}withoutanyspace" for k in range(8)) + "/index.html"


@pytest.fixture(scope="module")
def assets(tmp: Path) -> Path:
    from PIL import Image

    folder = tmp / "assets"
    folder.mkdir()
    Image.new("RGB", (120, 60), (30, 60, 120)).save(folder / "figure.png")
    return folder


def kitchen_article() -> Article:
    """Every kind of block, a note referenced twice, one never, a long URL, a local image."""
    p = Paragraph
    return Article(
        Metadata(
            title="A Kitchen Sink: Every Block of the Print Stylesheet",
            authors=("Ada Lovelace", "Charles Babbage"),
            publisher="Example Press",
            date=dt.date(2021, 3, 3),
            language="en",
            subjects=(Subject("Europe", "region"),),
            rights=Rights(copyright="Copyright © Ada Lovelace, Example Press, 2021"),
        ),
        (
            p(
                (
                    Text("An opening paragraph with "),
                    Emph((Text("emphasis"),)),
                    Text(", "),
                    Strong((Text("strong text"),)),
                    Text(", "),
                    Code("inline code"),
                    Text(" and a long link "),
                    Link((Text(LONG_URL),), LONG_URL),
                    Text(" in running text."),
                    NoteRef("1"),
                )
            ),
            Figure((Text("A local figure"),), Image("figure.png", "A blue rectangle")),
            Heading(1, (Text("A Section Heading"),)),
            p((Text("The same note again."), NoteRef("1"), Text(" And another note."), NoteRef("2"))),
            Heading(2, (Text("A Subsection"),)),
            BulletList(((p((Text("First item"),)),), (p((Text("Second item"),)),))),
            OrderedList(((p((Text("One"),)),), (p((Text("Two"),)),)), start=3),
            BlockQuote((p((Text("A quotation set off from the text."),)),)),
            CodeBlock("def code():\n    return 'verbatim'\n", "python"),
            ThematicBreak(),
            p((Text("A paragraph after a break."),)),
        ),
        (
            Note("1", (p((Link((Text("https://example.org/note-one"),), "https://example.org/note-one"),)),)),
            Note("2", (p((Text("A note with words."),)),)),
            Note("3", (p((Text("An unreferenced note."),)),)),
        ),
    )


@pytest.fixture(scope="module")
def kitchen(tmp: Path, assets: Path) -> Rendered:
    from convert.assets import load_assets  # the image is read with the article, not by the PDF writer

    options = Options(asset_dir=str(assets))
    return render_pdf(tmp, "kitchen", load_assets(kitchen_article(), base=None, options=options), options)


# --------------------------------------------------------------------------- the sample: text and links


def test_sample_text_holds_title_block_and_colophon(sample: Rendered, sample_article: Article) -> None:
    text = flat(sample.text())
    assert "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington" in text
    assert "By Farooq Yousaf" in text
    assert "Global Research, 27 September 2012" in text
    assert "Asia, Russia and FSU" in text and "Oil and Energy" in text
    assert "Presidents Asif Ali Zardari and Dmitry Medvedev meeting in Moscow in May 2011" in text
    rights = sample_article.metadata.rights
    for statement in (rights.source, rights.copyright, rights.disclaimer, rights.fair_use, rights.contact):
        assert statement
        assert " ".join(statement.split()) in text.replace("Disclaimer: ", ""), statement[:40]
    # the colophon closes the article
    assert text.rindex("For media inquiries") > text.rindex("Asian continent as a whole")


def test_sample_note_urls_are_clickable_links(sample: Rendered) -> None:
    uris = sample.uris()
    for url in SAMPLE_URLS:
        assert url in uris, url
    assert "mailto:publications@globalresearch.ca" in uris
    text = squash(sample.text())
    for url in SAMPLE_URLS:
        assert url in text, url


def test_sample_footnotes_sit_on_the_page_of_their_reference(sample: Rendered, sample_article: Article) -> None:
    uris = sample.uris()
    before = page_of_ref(sample_article)
    assert len(before) == 10
    pages = [flat(sample.page_text(n)) for n in range(1, len(sample.reader.pages) + 1)]
    for note in sample_article.notes:
        url = next(
            node.target
            for b in note.blocks
            for s in block_inlines(b)
            for node in iter_inlines(s)
            if isinstance(node, Link)
        )
        page = uris[url]
        assert before[note.label] in pages[page - 1], f"note {note.label}: reference not on page {page}"


def test_sample_footnotes_carry_the_original_labels(sample: Rendered, sample_article: Article) -> None:
    uris = sample.uris()
    for note, url in zip(sample_article.notes, SAMPLE_URLS, strict=True):
        layout = sample.page_text(uris[url], layout=True)
        assert re.search(rf"^\s*{note.label}\s+{re.escape(url[:30])}", layout, re.M), note.label
    # adjacent references are separated, not run together
    assert "vi,vii,viii" in flat(sample.text())


def test_sample_page_furniture_outline_and_size(sample: Rendered) -> None:
    count = len(sample.reader.pages)
    assert 2 <= count <= 5
    for number in range(1, count + 1):
        text = flat(sample.page_text(number))
        assert f"{number} of {count}" in text
        if number > 1:  # running head with the short title
            assert text.startswith("Towards A Russia-Pakistan “Relationship”?")
            assert "In Defiance of Washington" not in text[:80]
    box = sample.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    outline = sample.reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"
    nested = [item.title for sub in outline if isinstance(sub, list) for item in sub]
    assert "Rights and source" in nested
    assert sample.reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_sample_text_stays_inside_the_text_block(sample: Rendered) -> None:
    """Nothing (long URLs included) runs into the right margin."""
    bbox = poppler("pdftotext", "-bbox", str(sample.path), "-")
    width = float(sample.reader.pages[0].mediabox.width)
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox))
    assert right <= width - 40 * MM + 1.5


# --------------------------------------------------------------------------- the sample: inside the file


def test_sample_fonts_are_embedded_and_subset(sample: Rendered) -> None:
    rows = [line.split() for line in poppler("pdffonts", str(sample.path)).splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        emb, sub, uni = row[-5], row[-4], row[-3]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
    names = " ".join(row[0] for row in rows)
    fc_list = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    if "Linux Libertine O" in fc_list:
        assert "Linux-Libertine-O" in names


def test_sample_document_info(sample: Rendered) -> None:
    info = poppler("pdfinfo", str(sample.path))
    assert re.search(r"^Title:\s+Towards A Russia-Pakistan “Relationship”\? In Defiance of Washington$", info, re.M)
    assert re.search(r"^Author:\s+Farooq Yousaf$", info, re.M)
    assert re.search(r"^Subject:\s+Region: Asia, Russia and FSU; Theme: Oil and Energy$", info, re.M)
    assert re.search(r"^Keywords:\s+Asia, Russia and FSU, Oil and Energy$", info, re.M)
    assert re.search(r"^Creator:\s+artconv", info, re.M)
    assert re.search(r"^CreationDate:\s+Thu Sep 27 00:00:00 2012", info, re.M)
    meta = sample.reader.metadata
    assert meta is not None and meta["/CreationDate"] == "D:20120927000000+00'00'"
    assert sample.reader.trailer["/Root"]["/Lang"] == "en"


def test_sample_xmp_metadata(sample: Rendered) -> None:
    xmp = sample.xmp()
    assert xmp.xpath("string(//dc:rights/rdf:Alt/rdf:li)", namespaces=NS) == (
        "Copyright © Farooq Yousaf, Global Research, 2012"
    )
    assert xmp.xpath("string(//dc:title/rdf:Alt/rdf:li)", namespaces=NS).startswith("Towards A Russia-Pakistan")
    assert xmp.xpath("//dc:creator/rdf:Seq/rdf:li/text()", namespaces=NS) == ["Farooq Yousaf"]
    subjects = xmp.xpath("//dc:subject/rdf:Bag/rdf:li/text()", namespaces=NS)
    assert subjects == ["Asia", "Russia and FSU", "Oil and Energy"]
    assert xmp.xpath("//dc:language/rdf:Bag/rdf:li/text()", namespaces=NS) == ["en"]
    assert xmp.xpath("//dc:publisher/rdf:Bag/rdf:li/text()", namespaces=NS) == ["Global Research"]
    assert xmp.xpath("string(//xmp:CreateDate)", namespaces=NS) == "2012-09-27T00:00:00+00:00"
    assert xmp.xpath("string(//xmpRights:Marked)", namespaces=NS) == "True"
    assert xmp.xpath("//xmpRights:Owner/rdf:Bag/rdf:li/text()", namespaces=NS) == ["Farooq Yousaf", "Global Research"]
    assert xmp.xpath("string(//pdf:Producer)", namespaces=NS).startswith("WeasyPrint")


def test_same_input_same_bytes(sample: Rendered, sample_article: Article) -> None:
    again = pdf_writer.render(sample_article, Options())
    assert again == sample.data


# --------------------------------------------------------------------------- variants and options


def test_pdfa3_carries_the_tei_as_source(sample_pdfa: Rendered, sample_article: Article) -> None:
    root = sample_pdfa.reader.trailer["/Root"]
    af = [ref.get_object() for ref in root["/AF"]]
    assert len(af) == 1
    spec = af[0]
    assert spec["/AFRelationship"] == "/Source"
    assert spec["/UF"] == pdf_writer.TEI_ATTACHMENT_NAME
    embedded = spec["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/tei+xml"
    assert embedded["/Params"]["/ModDate"] == "D:20231114221320Z"
    tei = embedded.get_data()
    options = Options(pdf_variant="pdf/a-3b", source_date_epoch=1700000000)
    assert tei == get_writer("tei").render(sample_article, options)
    assert etree.fromstring(tei).tag == f"{{{TEI_NS}}}TEI"
    assert list(sample_pdfa.reader.attachments) == [pdf_writer.TEI_ATTACHMENT_NAME]
    # archival metadata: PDF/A id, output intent, dates from SOURCE_DATE_EPOCH
    xmp = sample_pdfa.xmp()
    assert xmp.xpath("string(//pdfaid:part)", namespaces=NS) == "3"
    assert xmp.xpath("string(//pdfaid:conformance)", namespaces=NS) == "B"
    assert xmp.xpath("string(//xmp:CreateDate)", namespaces=NS) == "2023-11-14T22:13:20+00:00"
    assert xmp.xpath("string(//dc:rights/rdf:Alt/rdf:li)", namespaces=NS).startswith("Copyright ©")
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert sample_pdfa.reader.metadata is not None
    assert sample_pdfa.reader.metadata["/CreationDate"] == "D:20231114221320+00'00'"
    assert sample_pdfa.data.startswith(b"%PDF-1.7")
    assert pdf_writer.render(sample_article, options) == sample_pdfa.data  # attachment dates included


def test_pdfua_is_tagged(sample_pdfua: Rendered) -> None:
    root = sample_pdfua.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert re.search(r"^Tagged:\s+yes$", poppler("pdfinfo", str(sample_pdfua.path)), re.M)
    assert sample_pdfua.xmp().xpath("string(//pdfuaid:part)", namespaces=NS) == "1"
    assert "/AF" not in root  # the TEI goes only into PDF/A-3


def test_endnotes_on_letter_paper(sample_endnotes_letter: Rendered) -> None:
    pdf = sample_endnotes_letter
    box = pdf.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = flat(pdf.text())
    notes_at = text.index("NOTES")
    assert notes_at > text.index("Asian continent as a whole")
    for url in SAMPLE_URLS:
        assert url in squash(text[notes_at:]), url
    assert set(SAMPLE_URLS) <= set(pdf.uris())
    # each reference links to its endnote, and each endnote back
    internal = 0
    for page in pdf.reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if "/Dest" in annot or (annot.get("/A") or {}).get("/S") == "/GoTo":
                internal += 1
    assert internal >= 20


def test_unknown_variant_and_paper_are_usage_errors(sample_article: Article) -> None:
    with pytest.raises(UsageError, match="pdf/a-3b"):
        pdf_writer.render(sample_article, Options(pdf_variant="pdf/x-4"))
    with pytest.raises(UsageError, match="letter"):
        pdf_writer.render(sample_article, replace(Options(), paper="a5"))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- every block


def test_kitchen_sink_outline_links_image_and_notes(kitchen: Rendered) -> None:
    reader = kitchen.reader
    flat_outline: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                flat_outline.append(item.title)  # type: ignore[attr-defined]

    walk(reader.outline)
    assert flat_outline[:3] == [
        "A Kitchen Sink: Every Block of the Print Stylesheet",
        "A Section Heading",
        "A Subsection",
    ]
    assert "Notes" in flat_outline and "Rights and source" in flat_outline
    # the local figure is embedded as an image
    images = [img for page in reader.pages for img in page.images]
    assert images
    text = flat(kitchen.text())
    assert "By Ada Lovelace and Charles Babbage" in text
    assert "An unreferenced note." in text[text.index("NOTES") :]
    assert "A note with words." in text
    assert squash(LONG_URL) in squash(text)
    # the second reference to note 1 is an internal link to the footnote's page
    dests = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if "/Dest" in annot:
                dests.append(annot["/Dest"])
    assert dests, "no internal link"
    uris = kitchen.uris()
    assert LONG_URL in uris and "https://example.org/note-one" in uris
    bbox = poppler("pdftotext", "-bbox", str(kitchen.path), "-")
    width = float(reader.pages[0].mediabox.width)
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) <= width - 40 * MM + 1.5


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Patch WeasyPrint's document layout to count its calls (one item per layout)."""
    import weasyprint.document

    original = weasyprint.document.layout_document
    calls: list[int] = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "layout_document", counting)
    return calls


def test_footnote_guard_lays_the_sample_out_once(
    sample_article: Article, sample: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the layout guard (WeasyPrint 70.x), the first layout already keeps every footnote in place."""
    import weasyprint

    from convert.writers.pdf import footnotes

    if not footnotes.guard_applies(weasyprint.__version__):
        pytest.skip(f"the layout guard is not written for WeasyPrint {weasyprint.__version__}")
    layouts = _count_layouts(monkeypatch)
    assert pdf_writer.render(sample_article, Options()) == sample.data
    assert len(layouts) == 1


def test_footnote_fallback_without_the_layout_guard(
    sample_article: Article, sample: Rendered, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the layout guard (another WeasyPrint), a second layout gives the very same PDF."""
    from convert.writers.pdf import footnotes

    monkeypatch.setattr(footnotes, "GUARDED_WEASYPRINT", range(0))
    layouts = _count_layouts(monkeypatch)
    fallback = render_pdf(tmp, "fallback", sample_article, Options())
    assert len(layouts) == 2  # the sample has one paragraph that would carry a footnote away
    assert fallback.data == sample.data
    before = page_of_ref(sample_article)
    for label, url in zip((n.label for n in sample_article.notes), SAMPLE_URLS, strict=True):
        assert before[label] in flat(fallback.page_text(fallback.uris()[url]))


def test_footnote_guard_leaves_weasyprint_classes_alone(sample: Rendered) -> None:
    """The guard is a subclass used for the writer's own layout: WeasyPrint's classes are never changed."""
    import inspect

    from weasyprint.document import Document
    from weasyprint.layout import LayoutContext
    from weasyprint.layout import block as layout_block

    assert inspect.getattr_static(LayoutContext, "in_column", None) is None  # an instance attribute only
    assert layout_block._linebox_layout.__module__ == "weasyprint.layout.block"
    assert Document._build_layout_context.__qualname__ == "Document._build_layout_context"


def test_footnote_guard_version_range() -> None:
    from convert.writers.pdf import footnotes

    assert footnotes.guard_applies("70.0") and footnotes.guard_applies("70.2")
    assert not footnotes.guard_applies("69.0") and not footnotes.guard_applies("71.0")
    assert not footnotes.guard_applies("unknown")


def pdf_writer_sources() -> list[Path]:
    """The modules of the PDF writer package."""
    paths = sorted((ROOT / "convert" / "writers" / "pdf").glob("*.py"))
    assert paths, "convert/writers/pdf/ is a package"
    return paths


def test_weasyprint_boxes_are_told_apart_by_class_not_by_name() -> None:
    """No class-name strings, no frame inspection, no registry look-up for the TEI in the PDF writer."""
    found = []
    for path in pdf_writer_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("_getframe", "f_code", "f_back"):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.Compare):  # type(box).__name__ == "LineBox", ... in ("MarginBox", ...)
                for side in (node.left, *node.comparators):
                    if isinstance(side, ast.Attribute) and side.attr in ("__name__", "__qualname__"):
                        found.append(f"{path.name}:{node.lineno}: compares .{side.attr}")
            if (isinstance(node, ast.Name) and node.id == "get_writer") or (
                isinstance(node, ast.alias) and node.name == "get_writer"
            ):
                found.append(f"{path.name}:{node.lineno}: get_writer")
    assert not found


def test_pdf_writer_modules_and_functions_are_small() -> None:
    for path in pdf_writer_sources():
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 600, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                assert node.end_lineno - node.lineno + 1 <= 80, f"{path.name}: {node.name}"


def test_short_title_and_subject_line() -> None:
    assert pdf_writer.short_title("Towards A Russia-Pakistan “Relationship”? In Defiance") == (
        "Towards A Russia-Pakistan “Relationship”?"
    )
    # a colon too early is no place to cut
    assert pdf_writer.short_title("Energy: A Primer for Everyone") == "Energy: A Primer for Everyone"
    assert pdf_writer.short_title("The Long Road to Energy Security: A Primer") == "The Long Road to Energy Security"
    long = pdf_writer.short_title("word " * 40)
    assert len(long) <= 60 and long.endswith("…")
    assert pdf_writer.short_title("") == "Untitled"
    meta = Metadata(subjects=(Subject("Asia", "region"), Subject("Oil", "theme"), Subject("Misc")))
    assert pdf_writer.subject_line(meta) == "Region: Asia; Theme: Oil; Misc"


def test_stable_font_fixes_the_subset_time_stamp(sample: Rendered) -> None:
    fonts = []
    for page in sample.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            for key in ("/FontFile3", "/FontFile2"):
                if key in descriptor:
                    fonts.append(descriptor[key].get_object().get_data())
    assert fonts
    for data in fonts:
        assert pdf_writer.stable_font(data) == data  # already stable
        count = struct.unpack(">H", data[4:6])[0]
        records = {
            data[12 + 16 * k : 16 + 16 * k]: struct.unpack(">I", data[20 + 16 * k : 24 + 16 * k])[0]
            for k in range(count)
        }
        head = records[b"head"]
        assert data[head + 20 : head + 28] == data[head + 28 : head + 36]  # modified == created
        padded = data + b"\0" * (-len(data) % 4)
        assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA


# --------------------------------------------------------------------------- speed: WeasyPrint only for PDF


def test_weasyprint_is_imported_only_for_pdf() -> None:
    code = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from convert import api
from convert.registry import available_writers, get_writer
import convert.writers.pdf
article = api.read({str(SAMPLE)!r})
for name in ("md", "json", "html", "tei", "epub"):
    try:
        get_writer(name)
    except Exception:
        continue
    api.render(article, name)
get_writer("pdf")
assert "weasyprint" not in sys.modules, "weasyprint imported"
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


# --------------------------------------------------------------------------- safety


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that records every request it gets."""

    class Handler(_Recorder):
        requests: ClassVar[list[str]] = []

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


SECRET = "artconv-secret-7f3a9c"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\nroot:x:0:0:root:/root:/bin/bash\n")
    return path


HOSTILE_MD = """\
# Hostile <script>alert(1)</script> article

By Mallory

Intro <script>alert('x')</script> text <iframe src="{srv}/iframe"></iframe> and
<object data="file://{secret}"></object> <embed src="file://{secret}">.

<link rel="attachment" href="file://{secret}">
<link rel="stylesheet" href="{srv}/style.css">

<img src="file:///etc/passwd" onerror="alert(1)"> <img src="{srv}/tracker.png">

![passwd](file:///etc/passwd)

![remote image]({srv}/remote.png)

![escape](../outside/secret.txt)

[click](javascript:alert(1)) and [local](file://{secret}) and <a href="#" onclick="evil()">x</a>
<a rel="attachment" href="file://{secret}">attach</a>

<div style="background: url(file://{secret})">styled</div>

<style>@import url({srv}/import.css); body {{ background: url({srv}/bg.png) }}</style>

A note.[1]

#### Notes

- [ 1 ] <{srv}/note>
"""


def test_hostile_markdown_leaks_nothing(server: tuple[str, list[str]], secret: Path, tmp_path: Path) -> None:
    srv, requests = server
    assets = tmp_path / "assets"
    assets.mkdir()
    source = HOSTILE_MD.format(srv=srv, secret=secret)
    article = api.read(source.encode())
    options = Options(asset_dir=str(assets))
    html = pdf_writer.build_html(article, options)
    lowered = html.lower()
    for bad in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<link",
        "onerror",
        "onclick",
        "javascript:",
        "file:",
        "secret.txt",
        'rel="attachment"',
        "style=",
        "@import",
    ):
        assert bad not in lowered, bad
    assert lowered.count("<style>") == 1  # the print stylesheet, nothing else
    data = pdf_writer.render(article, options)
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert not [img for page in reader.pages for img in page.images]
    streams = all_stream_data(reader) + data
    assert SECRET.encode() not in streams and b"root:x:0:0" not in streams
    assert requests == [], requests  # the remote image was not fetched
    # the link to the note stays a link: it is not fetched, only pointed to
    assert any(
        str(a.get_object().get("/A", {}).get("/URI", "")).endswith("/note")
        for page in reader.pages
        for a in page.get("/Annots") or []
    )


HOSTILE_HTML = """\
<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="{srv}/link.css">
<link rel="attachment" href="file://{secret}">
<link rel="attachment" href="{srv}/attachment.bin">
<style>
@import url("{srv}/import.css");
@font-face {{ font-family: Evil; src: url({srv}/font.woff); }}
@font-face {{ font-family: Local; src: url(file://{secret}); }}
body {{ background: url(file:///etc/passwd); }}
p {{ background-image: url("file://{secret}"); font-family: Evil, Local; }}
</style></head><body>
<p>hostile page</p>
<img src="file:///etc/passwd"><img src="file://{secret}"><img src="{srv}/img.png">
<img src="file://{assets}/../outside/secret.txt">
<a rel="attachment" href="file://{secret}">a</a><a rel="attachment" href="{srv}/att.bin">b</a>
<object data="file://{secret}"></object><embed src="file://{secret}"><iframe src="{srv}/frame"></iframe>
<svg xmlns="http://www.w3.org/2000/svg"><image href="file://{secret}" width="10" height="10"/></svg>
<img src="ftp://127.0.0.1/x.png"><img src="data:text/plain,{secret_word}">
</body></html>
"""


def test_fetcher_refuses_hostile_html(server: tuple[str, list[str]], secret: Path, tmp_path: Path) -> None:
    """HTML straight to the renderer (past the sanitiser): the fetcher alone keeps files and network out."""
    srv, requests = server
    assets = tmp_path / "assets"
    assets.mkdir()
    html = HOSTILE_HTML.format(srv=srv, secret=secret, assets=assets, secret_word="x")
    data = pdf_writer.html_to_pdf(html, Options(asset_dir=str(assets)))
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    assert not [img for page in reader.pages for img in page.images]
    streams = all_stream_data(reader) + data
    assert SECRET.encode() not in streams and b"root:x:0:0" not in streams
    assert requests == [], requests
    # the same page with --allow-remote does reach the server: the test would see a fetch
    pdf_writer.html_to_pdf(html, Options(asset_dir=str(assets), allow_remote=True))
    assert "/img.png" in requests and "/link.css" in requests
    assert not any(SECRET in r for r in requests)


def test_asset_folder_is_readable_and_nothing_else(tmp_path: Path, secret: Path) -> None:
    from PIL import Image as PilImage

    assets = tmp_path / "assets"
    assets.mkdir()
    PilImage.new("RGB", (40, 20), (200, 30, 30)).save(assets / "ok.png")
    (assets / "link.png").symlink_to(secret)
    policy = FetchPolicy(asset_dir=str(assets))
    base = policy.base_url()
    assert base is not None and base.startswith("file://") and base.endswith("/")
    assert policy.check(base + "ok.png") == "file"
    for url in (
        base + "../outside/secret.txt",
        base + "link.png",  # a symbolic link out of the folder
        f"file://{secret}",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        base + "missing.png",
        "http://127.0.0.1/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "javascript:alert(1)",
        "relative.png",
    ):
        with pytest.raises(FetchRefusedError):
            policy.check(url)
    assert policy.check("data:image/png;base64,AAAA") == "data"
    assert FetchPolicy(allow_remote=True).check("https://example.org/x.png") == "https"
    with pytest.raises(FetchRefusedError):
        FetchPolicy().check("file:///etc/passwd")  # no asset folder: no local file at all
    assert FetchPolicy(asset_dir=str(assets)).resolve("ok.png") == base + "ok.png"
    assert FetchPolicy().resolve("ok.png") is None
    # through the writer: the image inside the folder is embedded, the escaping one is not
    article = Article(
        Metadata(title="Images"),
        (Figure((Text("inside"),), Image("ok.png")), Figure((Text("outside"),), Image("../outside/secret.txt"))),
    )
    from convert.assets import load_assets  # images are read with the article, not by the PDF writer

    article = load_assets(article, base=None, options=Options(asset_dir=str(assets)))
    reader = PdfReader(io.BytesIO(pdf_writer.render(article, Options(asset_dir=str(assets)))))
    assert len([img for page in reader.pages for img in page.images]) == 1
    assert SECRET.encode() not in all_stream_data(reader)


def test_fetcher_for_older_weasyprint(tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint before 68 takes a function: it asks the same policy."""
    import types

    from convert.html.fetch import weasyprint_fetcher

    fetched: list[str] = []
    old_urls = types.ModuleType("weasyprint.urls")
    old_urls.default_url_fetcher = lambda url, timeout=10: fetched.append(url) or {"string": b""}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "weasyprint.urls", old_urls)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("p {}")
    fetch = weasyprint_fetcher(FetchPolicy(asset_dir=str(assets)))
    assert fetch((assets / "a.css").as_uri()) == {
        "string": b"p {}",
        "mime_type": "text/css",
        "redirected_url": (assets / "a.css").as_uri(),
    }
    for url in (secret.as_uri(), "http://127.0.0.1:9/x.png", "ftp://example.org/x"):
        with pytest.raises(FetchRefusedError):
            fetch(url)
    assert fetch("data:text/plain,x") == {"string": b""}
    assert fetched == ["data:text/plain,x"]


def test_bare_article_renders_without_dates(tmp_path: Path) -> None:
    """No metadata, no notes, no rights: still a PDF, and no invented date."""
    article = Article(Metadata(), (Paragraph((Text("Only text."),)),))
    rendered = render_pdf(tmp_path, "bare", article, Options())
    assert len(rendered.reader.pages) == 1
    meta = rendered.reader.metadata
    assert meta is not None and meta["/Title"] == "Untitled"
    assert "/CreationDate" not in meta and "/Author" not in meta
    xmp = rendered.xmp()
    assert not xmp.xpath("//xmp:CreateDate", namespaces=NS) and not xmp.xpath("//dc:rights", namespaces=NS)
    assert "Only text." in flat(rendered.text())
