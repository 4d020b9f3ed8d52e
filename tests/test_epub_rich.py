"""The epub writer on rich articles: every node kind, embedded images and cover, right-to-left books.

Every book built here (the module-scoped ``books`` fixture) goes through
EPUBCheck once, all in one parallel batch, and any message fails the test.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import convert
from convert.errors import WarningRecord, collect_warnings
from convert.html.media import media_name
from convert.ir.model import Article, Asset, Figure, Image, Metadata, Paragraph, Span, Text
from convert.registry import Options
from convert.writers import epub as writer

from .strategies import PNG, articles
from .test_html_rich import GIF, SVG, rich_article
from .validators import epubcheck

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WEBP = bytes.fromhex(
    "524946463a00000057454250565038202e000000b001009d012a0200020001402625a00274ba0004300000fef1dc8ff80dd7c5b4cbffbd82"
    "ffdd82ffdd82ff5b0000"
)
BMP = bytes.fromhex(
    "424d460000000000000036000000280000000200000002000000010018000000000010000000c40e0000c40e00000000000000000000"
    "1e1ec81e1ec800001e1ec81e1ec80000"
)


def arabic_article() -> Article:
    """A right-to-left article: Arabic title and text, a figure, an English phrase in a span."""
    article = rich_article("ar", "مقالة تجريبية")
    english = Span((Text("an English phrase"),), lang="en", dir="ltr")
    body = (Paragraph((Text("هذه فقرة باللغة العربية، وفيها "), english, Text(" في وسطها."))), *article.body)
    return replace(article, body=body)


def types_article() -> Article:
    """Images of every kind EPUB reading systems show, and one they do not (BMP)."""
    return Article(
        Metadata(title="Image types", language="en"),
        (
            Figure((Text("WebP"),), Image("a.webp", "a WebP image")),
            Figure((Text("BMP"),), Image("b.bmp", "a BMP image")),
            Paragraph(
                (Text("Inline BMP: "), Image("b.bmp", "bitmap alt"), Text(".")),
            ),
        ),
        (),
        (Asset("a.webp", "image/webp", WEBP), Asset("b.bmp", "image/bmp", BMP)),
    )


@dataclass
class Book:
    name: str
    data: bytes
    path: Path
    warnings: list[WarningRecord]

    def file(self, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            return zf.read(name)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.file(f"EPUB/{name}"))

    @property
    def names(self) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            return zf.namelist()

    def manifest(self) -> dict[str, tuple[str, str]]:
        """href -> (media type, properties) of every manifest item."""
        return {
            item.get("href"): (item.get("media-type"), item.get("properties", ""))
            for item in self.xml("content.opf").iterfind("opf:manifest/opf:item", NS)
        }


def _variants() -> dict[str, tuple[Article, Options]]:
    return {
        "rich": (rich_article(), Options()),
        "cover": (rich_article(), Options(cover="img/mark.gif")),
        "arabic": (arabic_article(), Options()),
        "types": (types_article(), Options()),
    }


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    folder = tmp_path_factory.mktemp("epub-rich")
    made = {}
    for name, (article, options) in _variants().items():
        with collect_warnings() as found:
            data = writer.render(article, options)
        path = folder / f"{name}.epub"
        path.write_bytes(data)
        made[name] = Book(name, data, path, found)
    # a cover from a file the article does not hold, read by convert.write
    cover = folder / "cover.png"
    cover.write_bytes(PNG)
    path = folder / "file-cover.epub"
    with collect_warnings() as found:
        convert.write(Article(Metadata(title="A cover from a file", language="en"), (Paragraph((Text("x"),)),)),
                      path, cover=str(cover))  # fmt: skip
    made["file-cover"] = Book("file-cover", path.read_bytes(), path, found)
    return made


@pytest.mark.slow
def test_epubcheck_says_nothing(books: dict[str, Book]) -> None:
    results = epubcheck([book.path for book in books.values()])
    said = {path.name: messages for path, messages in results.items() if messages}
    assert not said, said


# --------------------------------------------------------------------------- images


def _name(data: bytes, media_type: str) -> str:
    return "images/" + media_name(Asset("x", media_type, data))


def test_images_are_in_the_manifest(books: dict[str, Book]) -> None:
    manifest = books["rich"].manifest()
    images = {href: value for href, value in manifest.items() if href.startswith("images/")}
    assert images == {
        _name(PNG, "image/png"): ("image/png", "cover-image"),  # the first figure's image is the cover
        _name(GIF, "image/gif"): ("image/gif", ""),
        _name(SVG, "image/svg+xml"): ("image/svg+xml", ""),
    }
    assert books["rich"].file("EPUB/" + _name(PNG, "image/png")) == PNG
    opf = books["rich"].xml("content.opf")
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == ["img-" + _name(PNG, "")[7:27]]
    assert not opf.xpath("//opf:item[contains(@properties, 'remote-resources')]", namespaces=NS)


def test_text_shows_the_images(books: dict[str, Book]) -> None:
    text = books["rich"].xml("text.xhtml")
    sources = text.xpath("//x:img/@src", namespaces=NS)
    assert sources == [_name(PNG, "image/png"), _name(GIF, "image/gif"), _name(PNG, "image/png"),
                       _name(SVG, "image/svg+xml")]  # fmt: skip
    assert text.xpath("(//x:img)[1]/@alt", namespaces=NS) == ["a red dot"]
    # the image on the web is a link to it (EPUB allows no remote image); the missing one is its alt text
    para = text.xpath("//x:article/x:p[3]", namespaces=NS)[0]
    assert para.xpath("x:a[@href='https://example.org/remote.png']/text()", namespaces=NS) == ["a remote image"]
    assert "and a missing one missing alt." in para.xpath("string(.)")
    figures = text.xpath("//x:figure", namespaces=NS)
    assert figures[-1].xpath("string(x:figcaption)", namespaces=NS) == "Alt of a gone image"
    codes = [w.code for w in books["rich"].warnings]
    assert codes.count("epub.image-left-out") == 2


def test_cover_option_names_an_image_of_the_article(books: dict[str, Book]) -> None:
    manifest = books["cover"].manifest()
    assert manifest[_name(GIF, "image/gif")] == ("image/gif", "cover-image")
    assert manifest[_name(PNG, "image/png")] == ("image/png", "")


def test_cover_from_a_file(books: dict[str, Book]) -> None:
    manifest = books["file-cover"].manifest()
    assert manifest[_name(PNG, "image/png")] == ("image/png", "cover-image")
    assert not books["file-cover"].warnings


def test_cover_that_is_not_there_is_reported() -> None:
    article = rich_article()
    with collect_warnings() as found:
        data = writer.render(article, Options(cover="nowhere.png"))
    assert [w.code for w in found if w.code.startswith("epub.cover")] == ["epub.cover-missing"]
    assert writer.cover_image(writer.prepare(article), Options(cover="nowhere.png")) == article.assets[0]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("EPUB/content.opf").count(b'properties="cover-image"') == 1


def test_no_figure_no_cover() -> None:
    article = Article(Metadata(title="t"), (Paragraph((Image("img/dot.png", "dot"),)),), (),
                      (Asset("img/dot.png", "image/png", PNG),))  # fmt: skip
    assert writer.cover_image(article, Options()) is None
    with zipfile.ZipFile(io.BytesIO(writer.render(article, Options()))) as zf:
        assert b"cover-image" not in zf.read("EPUB/content.opf")


def test_core_media_types_only(books: dict[str, Book]) -> None:
    book = books["types"]
    manifest = book.manifest()
    assert manifest[_name(WEBP, "image/webp")] == ("image/webp", "cover-image")
    assert not [href for href in manifest if href.endswith(".bmp")]
    text = book.xml("text.xhtml")
    assert text.xpath("//x:img/@src", namespaces=NS) == [_name(WEBP, "image/webp")]
    assert text.xpath("string(//x:figure[2]/x:figcaption)", namespaces=NS) == "BMP"
    assert "Inline BMP: bitmap alt." in text.xpath("string(//x:article/x:p)", namespaces=NS)
    unsupported = [w.message for w in book.warnings if w.code == "epub.image-unsupported"]
    assert len(unsupported) == 1 and "'b.bmp'" in unsupported[0] and "image/bmp" in unsupported[0]


def test_svg_that_scripts_or_reaches_out_is_left_out() -> None:
    bad = [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://e.example/x)"/></svg>',
        b"<svg",
    ]
    for data in bad:
        article = Article(Metadata(title="t"), (Figure((Text("c"),), Image("x.svg", "alt")),), (),
                          (Asset("x.svg", "image/svg+xml", data),))  # fmt: skip
        with collect_warnings() as found:
            book = writer.render(article, Options())
        assert [w.code for w in found] == ["epub.image-unsupported"], data
        assert b"image/svg+xml" not in book


# --------------------------------------------------------------------------- every node kind


def test_every_node_kind(books: dict[str, Book]) -> None:
    text = books["rich"].xml("text.xhtml")

    def count(path: str) -> int:
        return len(text.xpath(path, namespaces=NS))

    assert count("//x:del") == 1 and count("//x:sub") == 1
    assert count("//x:span[@class='smallcaps']") == 1
    assert count("//x:code[@class='math']") == 1 and count("//x:code[@class='math display']") == 1
    assert count("//x:table/x:caption") == 1 and count("//x:thead/x:tr/x:th[@scope='col']") == 3
    assert count("//x:td[@rowspan='2']") == 1 and count("//x:td[@colspan='2']") == 1
    assert count("//x:td[@class='align-right']") == 2
    assert count("//x:dl/x:dt") == 2 and count("//x:dl/x:dd/x:p") == 3
    (french,) = text.xpath("//x:span[@lang='fr']", namespaces=NS)
    assert french.get(XML_LANG) == "fr"
    (arabic,) = text.xpath("//x:span[@lang='ar']", namespaces=NS)
    assert (arabic.get(XML_LANG), arabic.get("dir")) == ("ar", "rtl")
    assert books["rich"].xml("notes.xhtml").xpath("string(//x:li//x:sup)", namespaces=NS) == "sup"


# --------------------------------------------------------------------------- direction and language


def test_right_to_left_book(books: dict[str, Book]) -> None:
    book = books["arabic"]
    opf = book.xml("content.opf")
    assert opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == ["rtl"]
    assert opf.get("dir") == "rtl"
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["ar"]
    for name in ("text.xhtml", "notes.xhtml"):
        root = book.xml(name)
        assert (root.get("dir"), root.get("lang"), root.get(XML_LANG)) == ("rtl", "ar", "ar"), name
    nav = book.xml("nav.xhtml")
    assert nav.get("lang") == "ar" and nav.find("x:body", NS).get("dir") == "rtl"
    (english,) = book.xml("text.xhtml").xpath("//x:span[@lang='en']", namespaces=NS)
    assert (english.get("dir"), english.get(XML_LANG)) == ("ltr", "en")


def test_left_to_right_book_says_no_direction(books: dict[str, Book]) -> None:
    book = books["rich"]
    opf = book.xml("content.opf")
    assert not opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) and opf.get("dir") is None
    assert book.xml("text.xhtml").get("dir") is None


def test_prepare_keeps_the_assets() -> None:
    article = rich_article()
    assert writer.prepare(article).assets == article.assets


def test_same_input_same_bytes(books: dict[str, Book]) -> None:
    article, options = _variants()["arabic"]
    with collect_warnings():
        assert writer.render(article, options) == books["arabic"].data


def test_identifier_follows_the_images() -> None:
    article = rich_article()
    other = replace(article, assets=(Asset("img/dot.png", "image/png", GIF), *article.assets[1:]))
    assert writer.book_identifier(article) != writer.book_identifier(other)
    assert writer.book_identifier(article) == writer.book_identifier(rich_article())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(assets=True))
def test_any_rich_article_makes_well_formed_documents(article: Article) -> None:
    with collect_warnings():
        book = writer.prepare(article)
        docs, _ = writer.content_documents(book)
        cover = writer.cover_image(book, Options())
    held = {"images/" + media_name(asset) for asset in article.assets}
    for data in docs.values():
        root = etree.fromstring(data)
        sources = root.xpath("//x:img/@src", namespaces=NS)
        assert set(sources) <= held, sources  # only the book's own images, never a remote one
        assert root.get("lang") == root.get(XML_LANG) == (article.metadata.language or "und")
    assert cover is None or cover in article.assets


def test_cover_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from convert.cli import main

    (tmp_path / "a.md").write_text("---\ntitle: Covered\nlang: en\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "front.gif").write_bytes(GIF)
    out = tmp_path / "a.epub"
    assert main([str(tmp_path / "a.md"), "-o", str(out), "--cover", str(tmp_path / "front.gif"), "-q"]) == 0
    with zipfile.ZipFile(out) as zf:
        opf = etree.fromstring(zf.read("EPUB/content.opf"))
    assert opf.xpath("//opf:item[@properties='cover-image']/@media-type", namespaces=NS) == ["image/gif"]
    capsys.readouterr()
    assert main([str(tmp_path / "a.md"), "-o", str(out), "--cover", str(tmp_path / "none.png"), "-q"]) == 1
    assert "none.png: cover image: no such file" in capsys.readouterr().err
    assert main([str(tmp_path / "a.md"), "-o", str(out), "--cover", str(tmp_path / "a.md"), "-q"]) == 1
    assert "cover image: not an image" in capsys.readouterr().err
