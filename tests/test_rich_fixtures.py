"""Rich Markdown articles through every writer: setext headings, tables, images, nested and
definition lists, math, inline formatting, and articles in Arabic, Chinese, Japanese, Hindi and
Russian (tests/fixtures/rich/).

Each is read as a user reads it (``convert.read(path)``: images resolved beside the file) and
written in every format: the text formats against goldens (tests/golden/rich/), TEI against
tei_all, EPUB through EPUBCheck, PDF read back (text, fonts, embedded images).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import convert
from convert.errors import collect_warnings
from convert.ir.model import Article, DefinitionList, Figure, Heading, Image, Math, Table, Text
from convert.ir.walk import query

from .conftest import ROOT, check_golden
from .validators import assert_valid_tei, epubcheck

FIXTURES = ROOT / "tests" / "fixtures" / "rich"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.md"))
#: Format -> suffix of its golden file.
TEXT_FORMATS = {"md": "md", "json": "json", "tei": "tei.xml", "html": "html"}
#: Language each script's article is detected as, and its writing direction.
LANGUAGES = {"arabic": ("ar", "rtl"), "chinese": ("zh", "ltr"), "japanese": ("ja", "ltr"),
             "hindi": ("hi", "ltr"), "russian": ("ru", "ltr")}  # fmt: skip

_read: dict[str, tuple[Article, list[str]]] = {}


def read(name: str) -> tuple[Article, list[str]]:
    """The fixture's article and the warnings reading it gave (read once)."""
    if name not in _read:
        with collect_warnings() as found:
            article = convert.read(FIXTURES / f"{name}.md")
        _read[name] = (article, [str(w) for w in found])
    return _read[name]


def kinds(article: Article) -> set[str]:
    return set(query(lambda node: (type(node).__name__,), article))


def test_every_fixture_is_named() -> None:
    assert set(NAMES) == {"setext", "tables", "images", "lists", "definitions", "inline", *LANGUAGES}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", sorted(TEXT_FORMATS))
def test_goldens(name: str, fmt: str) -> None:
    article, _ = read(name)
    check_golden(f"rich/{name}.{TEXT_FORMATS[fmt]}", convert.render(article, fmt))


def test_what_each_fixture_holds() -> None:
    setext, _ = read("setext")
    assert [b.level for b in setext.body if isinstance(b, Heading)] == [1, 2]
    tables, _ = read("tables")
    found = [b for b in tables.body if isinstance(b, Table)]
    assert len(found) == 3
    assert found[0].aligns == ("left", "right", "center", "")
    assert found[0].caption and not found[2].head
    assert "DefinitionList" in kinds(read("definitions")[0]) and "Math" in kinds(read("definitions")[0])
    displayed = query(lambda n: (n,) if isinstance(n, Math) and n.display else (), read("definitions")[0])
    assert displayed == [Math("a^2 + b^2 = c^2", display=True)]
    assert {"Strikeout", "Subscript", "Superscript", "SmallCaps", "Span"} <= kinds(read("inline")[0])
    (terms,) = [b for b in read("definitions")[0].body if isinstance(b, DefinitionList)]
    assert [len(item.definitions) for item in terms.items] == [1, 2]


def test_images_are_assets_and_the_missing_one_is_named() -> None:
    article, warnings = read("images")
    refs = {asset.ref for asset in article.assets}
    assert "img/photo.png" in refs and "img/chart.jpg" in refs
    assert any(asset.media_type == "image/png" and asset.ref != "img/photo.png" for asset in article.assets)  # data:
    assert all("://" not in ref for ref in refs)  # a remote image is referenced, not fetched
    assert any("img/missing.png" in w for w in warnings), warnings
    images = query(lambda n: (n,) if isinstance(n, Image) else (), article)
    images += query(lambda n: (n.image,) if isinstance(n, Figure) and n.image else (), article)
    assert any(i.alt == "The missing drawing" for i in images)


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_language_and_direction(name: str) -> None:
    article, _ = read(name)
    lang, direction = LANGUAGES[name]
    assert article.metadata.language.split("-")[0] == lang
    html = convert.render(article, "html").decode()
    assert f'lang="{article.metadata.language}"' in html
    assert ('dir="rtl"' in html) == (direction == "rtl")


@pytest.mark.parametrize("name", NAMES)
def test_tei_is_valid(name: str) -> None:
    assert_valid_tei(convert.render(read(name)[0], "tei"), name)


@pytest.mark.slow
def test_epubcheck_finds_nothing(tmp_path: Path) -> None:
    paths = []
    for name in NAMES:
        path = tmp_path / f"{name}.epub"
        path.write_bytes(convert.render(read(name)[0], "epub"))
        paths.append(path)
    messages = epubcheck(paths)
    assert messages == {p: [] for p in paths}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils not installed")
def test_pdf_embeds_the_images(tmp_path: Path) -> None:
    pdf = tmp_path / "images.pdf"
    pdf.write_bytes(convert.render(read("images")[0], "pdf"))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    sizes = {(int(row[3]), int(row[4])) for row in rows}
    assert {(48, 32), (32, 32), (4, 4)} <= sizes, listing


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_pdf_text_of_every_script(name: str, tmp_path: Path) -> None:
    article, _ = read(name)
    pdf = tmp_path / f"{name}.pdf"
    with collect_warnings() as found:
        pdf.write_bytes(convert.render(article, "pdf"))
    assert not [w for w in found if "font" in str(w)], [str(w) for w in found]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(query(lambda n: (n.text,) if isinstance(n, Text) else (), article.body)).split()
    # WeasyPrint maps a glyph to the text of its first use, so some ligatures of Arabic and
    # Devanagari extract wrongly: most words, not all, must come back
    found = [w for w in words if w in text]
    assert len(found) >= 0.75 * len(words), (len(found), len(words), text[:300])


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "tei", "pdf"])
def test_an_image_not_read_is_reported_once(fmt: str, tmp_path: Path) -> None:
    """The reader names a missing or refused image; the writer that then leaves it out does not name it again."""
    with collect_warnings() as found:
        article = convert.read(FIXTURES / "images.md")
        convert.write(article, tmp_path / f"out.{fmt}", fmt)
    for src in ("img/missing.png", "https://example.org/picture.png"):
        about = [str(w) for w in found if src in w.message]
        assert len(about) == 1, about
