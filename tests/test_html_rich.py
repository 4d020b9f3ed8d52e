"""The shared HTML rendering of every node kind, images from the article's assets, direction; the html writer.

The rich article is built here as IR (with its images as assets), so these tests
do not depend on any reader.  Its HTML is kept as a golden copy
(``tests/golden/rich-article.html``).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree, html

import convert
from convert.cli import main
from convert.errors import collect_warnings
from convert.html.media import image_refs, media_files, media_name
from convert.html.render import HtmlContext, body_elements, sanitize_tree
from convert.ir.model import (
    Article,
    Asset,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
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
    column_starts,
)
from convert.registry import Options
from convert.writers import html as html_writer

from .conftest import ROOT, check_golden
from .strategies import PNG, articles

XHTML = "http://www.w3.org/1999/xhtml"
GIF = bytes.fromhex("47494638376102000200810000c81e1e0000000000000000002c0000000002000200000806000108041010003b")
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" viewBox="0 0 4 4">'
    b'<rect width="4" height="4" fill="#c81e1e"/></svg>'
)


def cell(text: str, **spans: int) -> TableCell:
    return TableCell((Text(text),), **spans)


def rich_article(language: str = "en", title: str = "A rich article") -> Article:
    """Every node kind, images held as assets (PNG, GIF, SVG), one on the web, one missing."""
    return Article(
        Metadata(title=title, language=language, authors=("Ada Writer",)),
        (
            Paragraph(
                (
                    Text("Struck "),
                    Strikeout((Text("out"),)),
                    Text(", x"),
                    Superscript((Text("2"),)),
                    Text(", H"),
                    Subscript((Text("2"),)),
                    Text("O, "),
                    SmallCaps((Text("Small Caps"),)),
                    Text(", "),
                    Span((Text("bonjour"),), lang="fr"),
                    Text(" and "),
                    Span((Text("مرحبا"),), lang="ar", dir="rtl"),
                    Text(", "),
                    Span((Text("plain span"),)),
                    Text("; inline math "),
                    Math("e^{i\\pi} + 1 = 0"),
                    Text("."),
                    NoteRef("1"),
                )
            ),
            Paragraph((Math("\\int_0^1 x\\,dx = \\tfrac{1}{2}", display=True),)),
            Paragraph(
                (
                    Text("An inline image "),
                    Image("img/dot.png", "a red dot", "The dot"),
                    Text(", a linked one "),
                    Link((Image("img/mark.gif", "a mark"),), "https://example.org/mark"),
                    Text(", one on the web "),
                    Image("https://example.org/remote.png", "a remote image"),
                    Text(" and a missing one "),
                    Image("img/missing.png", "missing alt"),
                    Text("."),
                )
            ),
            Figure((Text("A figure with "), Emph((Text("its caption"),))), Image("img/dot.png", "A red dot")),
            Figure((), Image("img/shape.svg", "A red square")),
            Figure((), Image("img/gone.png", "Alt of a gone image")),
            Heading(1, (Text("Tables and terms"),)),
            Table(
                ((cell("Quarter"), cell("Revenue"), cell("Notes")),),
                (
                    (cell("Q1"), cell("1,000"), TableCell((Strong((Text("good"),)),), rowspan=2)),
                    (cell("Q2"), cell("2,000")),
                    (cell("Total", colspan=2), cell("3,000")),
                ),
                ("left", "right", "center"),
                (Text("Revenue by quarter"),),
            ),
            Table((), ((cell("no"), cell("header")),)),
            DefinitionList(
                (
                    DefinitionItem(
                        (Text("Term"),),
                        ((Paragraph((Text("Its definition."),)),), (Paragraph((Text("Another one."),)),)),
                    ),
                    DefinitionItem((Emph((Text("Second"),)),), ((Paragraph((Text("Defined."),)),),)),
                )
            ),
        ),
        (Note("1", (Paragraph((Text("A note with "), Superscript((Text("sup"),)), Text("."))),)),),
        (
            Asset("img/dot.png", "image/png", PNG),
            Asset("img/mark.gif", "image/gif", GIF),
            Asset("img/shape.svg", "image/svg+xml", SVG),
        ),
    )


@pytest.fixture(scope="module")
def page() -> bytes:
    with collect_warnings():
        return html_writer.render(rich_article(), Options())


@pytest.fixture(scope="module")
def tree(page: bytes) -> html.HtmlElement:
    root: html.HtmlElement = html.document_fromstring(page)
    return root


def _article(tree: html.HtmlElement) -> html.HtmlElement:
    found = tree.find(".//article")
    assert found is not None
    return found


# --------------------------------------------------------------------------- every node kind


def test_inline_kinds(tree: html.HtmlElement) -> None:
    first = _article(tree).find("p")
    assert first is not None
    assert first.findtext("del") == "out"
    assert [s.text for s in first.findall("sup")][:1] == ["2"]
    assert first.findtext("sub") == "2"
    assert first.find("span[@class='smallcaps']").text == "Small Caps"
    assert first.find("span[@lang='fr']").text == "bonjour"
    rtl = first.find("span[@lang='ar']")
    assert rtl.get("dir") == "rtl" and rtl.text == "مرحبا"
    assert "plain span" in first.text_content() and first.find("span[.='plain span']") is None
    assert first.find("code[@class='math']").text == "e^{i\\pi} + 1 = 0"
    display = _article(tree).findall("p")[1].find("code")
    assert display.get("class") == "math display" and display.text == "\\int_0^1 x\\,dx = \\tfrac{1}{2}"


def test_images_from_assets_are_data_uris(tree: html.HtmlElement) -> None:
    para = _article(tree).findall("p")[2]
    imgs = para.findall(".//img")
    assert [(i.get("alt"), i.get("title")) for i in imgs] == [
        ("a red dot", "The dot"),
        ("a mark", None),
        ("a remote image", None),
    ]
    assert imgs[0].get("src") == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert imgs[1].get("src").startswith("data:image/gif;base64,") and imgs[1].getparent().tag == "a"
    assert imgs[2].get("src") == "https://example.org/remote.png"  # not held: referenced on the web
    assert "and a missing one missing alt." in para.text_content()  # left out, its alt text kept


def test_figures(tree: html.HtmlElement) -> None:
    figures = _article(tree).findall("figure")
    assert len(figures) == 3
    img = figures[0].find("img")
    assert img.get("src").startswith("data:image/png;base64,") and img.get("alt") == "A red dot"
    assert figures[0].find("figcaption").text_content() == "A figure with its caption"
    assert figures[0].find("figcaption/em") is not None
    svg = figures[1].find("img")
    assert svg.get("src") == "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    assert svg.get("alt") == "A red square" and figures[1].find("figcaption") is None
    # the image is missing: its alt text is the caption
    assert figures[2].find("img") is None and figures[2].findtext("figcaption") == "Alt of a gone image"


def test_table(tree: html.HtmlElement) -> None:
    table, bare = _article(tree).findall("table")
    assert table.findtext("caption") == "Revenue by quarter"
    heads = table.findall("thead/tr/th")
    assert [(th.text, th.get("scope"), th.get("class")) for th in heads] == [
        ("Quarter", "col", "align-left"),
        ("Revenue", "col", "align-right"),
        ("Notes", "col", "align-center"),
    ]
    rows = table.findall("tbody/tr")
    assert [[td.text_content() for td in tr] for tr in rows] == [["Q1", "1,000", "good"], ["Q2", "2,000"],
                                                                  ["Total", "3,000"]]  # fmt: skip
    assert rows[0][2].get("rowspan") == "2" and rows[0][2].get("class") == "align-center"
    assert rows[2][0].get("colspan") == "2" and rows[2][1].get("class") == "align-center"
    assert rows[1][1].get("class") == "align-right"  # the cell after the one spanning down from above
    assert bare.find("thead") is None and bare.find("caption") is None
    assert [td.get("class") for td in bare.iter("td")] == [None, None]


def test_column_starts_count_spans() -> None:
    rows = [
        (cell("a", rowspan=3), cell("b", colspan=2)),
        (cell("c"), cell("d", rowspan=2)),
        (cell("e"),),
        (cell("f"), cell("g"), cell("h")),
    ]
    assert column_starts(rows) == [[0, 1], [1, 2], [1], [0, 1, 2]]


def test_definition_list(tree: html.HtmlElement) -> None:
    dl = _article(tree).find("dl")
    assert [(el.tag, el.text_content()) for el in dl] == [
        ("dt", "Term"),
        ("dd", "Its definition."),
        ("dd", "Another one."),
        ("dt", "Second"),
        ("dd", "Defined."),
    ]
    assert dl[1].find("p") is not None and dl[3].find("em") is not None


def test_notes_hold_rich_inlines(tree: html.HtmlElement) -> None:
    note = tree.find(".//section[@class='notes']//li")
    assert note is not None and note.findtext(".//sup") == "sup"


def test_missing_images_are_reported_by_name() -> None:
    with collect_warnings() as found:
        html_writer.render(rich_article(), Options())
    dropped = [w.message for w in found if w.code == "html.image-dropped"]
    assert len(dropped) == 2
    assert "'img/missing.png'" in dropped[0] and "alt text is kept" in dropped[0]
    assert "'img/gone.png'" in dropped[1]


def test_stylesheets_style_the_new_kinds() -> None:
    for name in ("html.css", "epub.css", "print.css"):
        css = (ROOT / "styles" / name).read_text(encoding="utf-8")
        assert re.search(r"\.smallcaps\s*\{[^}]*font-variant:\s*small-caps", css), name
        for selector in (".align-left", ".align-center", ".align-right", "code.math.display", "caption"):
            assert selector in css, (name, selector)


def test_golden(page: bytes) -> None:
    check_golden("rich-article.html", page)


# --------------------------------------------------------------------------- self-contained, language, direction


def test_page_is_self_contained() -> None:
    article = rich_article()
    local = Article(
        article.metadata,
        tuple(b for b in article.body if not isinstance(b, Paragraph) or not any(
            isinstance(i, Image) and "://" in i.src for i in b.content)),
        article.notes,
        article.assets,
    )  # fmt: skip
    with collect_warnings():
        root = html.document_fromstring(html_writer.render(local, Options()))
    sources = [el.get("src") for el in root.iter() if el.get("src") is not None]
    assert sources and all(s.startswith("data:image/") for s in sources)
    assert not root.findall(".//link") and not root.findall(".//script")
    assert not [el for el in root.iter() if (el.get("href") or "").startswith(("file:", "img/"))]


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fa-IR", "rtl"), ("en", None), ("", None)])
def test_root_language_and_direction(language: str, direction: str | None) -> None:
    article = Article(Metadata(title="t", language=language), (Paragraph((Text("نص"),)),))
    root = html.document_fromstring(convert.render(article, "html"))
    assert root.get("lang") == (language or "und")
    assert root.get("dir") == direction


@pytest.mark.parametrize(
    ("language", "shown", "direction"),
    [("ar", "3 مايو 2023", None), ("he", "3 במאי 2023", None), ("ur", "3 May 2023", "ltr"), ("en", "3 May 2023", None)],
)
def test_the_date_line_keeps_its_order_in_a_right_to_left_article(
    language: str, shown: str, direction: str | None
) -> None:
    # a date written in English ("3 May 2023": Urdu is not among the interface words' languages) in a
    # right-to-left line, without a direction of its own, the bidi algorithm shows as "May 2023 3"; one
    # in the article's own script needs none
    article = Article(Metadata(title="t", language=language, date=dt.date(2023, 5, 3)), (Paragraph((Text("نص"),)),))
    root = html.document_fromstring(convert.render(article, "html"))
    (time,) = root.iter("time")
    assert time.text == shown
    assert time.get("dir") == direction


def test_xhtml_spans_carry_xml_lang() -> None:
    article = Article(Metadata(title="t"), (Paragraph((Span((Text("salut"),), lang="fr"),)),))
    (para,) = body_elements(HtmlContext(article, xhtml=True))
    span = para.find(f"{{{XHTML}}}span")
    assert span is not None
    assert span.get("lang") == "fr" and span.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_sanitizer_keeps_the_new_markup(tree: html.HtmlElement) -> None:
    ctx = HtmlContext(rich_article())
    with collect_warnings():
        elements = body_elements(ctx)
    for el in elements:
        before = etree.tostring(el)
        assert etree.tostring(sanitize_tree(el)) == before


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(assets=True))
def test_any_rich_article_renders(article: Article) -> None:
    with collect_warnings():
        page = html_writer.render(article, Options())
    root = html.document_fromstring(page)
    sources = [img.get("src", "") for img in root.iter("img")]
    assert all(s.startswith(("data:image/png;base64,", "http://", "https://")) for s in sources), sources
    if any(article.asset(ref) for ref in image_refs(article)):
        assert any(s.startswith("data:") for s in sources)


# --------------------------------------------------------------------------- --extract-media


def _input(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "dot.png").write_bytes(PNG)
    src = folder / "article.md"
    src.write_text("---\ntitle: Media\nlang: en\n---\n\nA dot: ![a dot](img/dot.png)\n\n![A figure](img/dot.png)\n")
    return src


def test_extract_media_through_the_cli(tmp_path: Path) -> None:
    src = _input(tmp_path)
    out = tmp_path / "out"
    argv = [str(src), "-t", "html", "-o", str(out / "page.html"), "--extract-media", str(out / "media"), "-q"]
    assert main(argv) == 0
    name = media_name(Asset("x", "image/png", PNG))
    assert (out / "media" / name).read_bytes() == PNG
    assert list((out / "media").iterdir()) == [out / "media" / name]  # one file for the image used twice
    root = html.document_fromstring((out / "page.html").read_bytes())
    assert [img.get("src") for img in root.iter("img")] == [f"media/{name}"] * 2  # relative to the page
    assert b"data:image" not in (out / "page.html").read_bytes()
    assert (src.parent / "img" / "dot.png").read_bytes() == PNG  # the input's image untouched
    # a second run finds the file in place and leaves it alone
    before = (out / "media" / name).stat().st_mtime_ns
    assert main(argv) == 0
    assert (out / "media" / name).stat().st_mtime_ns == before


def test_extract_media_from_the_api_and_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsysbinary: pytest.CaptureFixture[bytes]) -> None:  # fmt: skip
    article = convert.read(_input(tmp_path))
    monkeypatch.chdir(tmp_path)
    convert.write(article, "-", "html", extract_media="shown")
    page = capsysbinary.readouterr().out
    name = media_name(article.assets[0])
    assert f'src="shown/{name}"'.encode() in page
    assert (tmp_path / "shown" / name).read_bytes() == PNG
    assert media_files(article, "x/") == {f"x/{name}": PNG}
    # render() touches no file: the page names the files, nothing is written
    data = convert.render(article, "html", extract_media="elsewhere")
    assert f'src="elsewhere/{name}"'.encode() in data and not (tmp_path / "elsewhere").exists()


def test_extract_media_is_an_html_option_only(tmp_path: Path) -> None:
    article = convert.read(_input(tmp_path))
    convert.write(article, tmp_path / "a.md", extract_media=str(tmp_path / "media"))
    assert not (tmp_path / "media").exists()


# --------------------------------------------------------------------------- PDF


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages not installed (Debian: poppler-utils)")
def test_pdf_embeds_the_article_images(tmp_path: Path) -> None:
    src = _input(tmp_path)
    out = tmp_path / "article.pdf"
    # the PDF reads no file itself: the image comes from the article's assets
    assert main([str(src), "-t", "pdf", "-o", str(out), "-q"]) == 0
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    images = [row for line in listing.splitlines()[2:] if (row := line.split())[2] == "image"]
    assert len(images) == 2 and all(row[3:5] == ["1", "1"] for row in images), listing  # inline and figure
    with collect_warnings() as found:
        data = convert.render(rich_article(), "pdf")
    out.write_bytes(data)
    listing = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    sizes = sorted(tuple(row[3:5]) for line in listing.splitlines()[2:] if (row := line.split())[2] == "image")
    assert sizes == [("1", "1"), ("1", "1"), ("2", "2")], listing  # the dot twice, the mark (the SVG is drawn)
    assert [w.message for w in found if w.code == "pdf.image-relative"] == [
        "image 'img/missing.png' left out (its alt text is kept): the article does not hold it"
        " (local images are read with the article, from its folder and --asset-dir)",
        "image 'img/gone.png' left out (its alt text is kept): the article does not hold it"
        " (local images are read with the article, from its folder and --asset-dir)",
    ]
