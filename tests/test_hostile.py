"""Hostile inputs (tests/hostile.py) through every built-in writer, the PDF size limit, runs without breaks.

Every writer must turn every hostile input into a valid file; how fast is
measured by the benchmarks (``benchmarks/pdf_bench.py``), not here.  The
huge article goes through the PDF writer only as far as its size limit.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import convert
from convert.cli import main
from convert.errors import OutputError, UsageError
from convert.ir.model import Article, Code, Emph, Inline, Link, Metadata, Note, NoteRef, Paragraph, Strong, Text
from convert.ir.walk import iter_inlines, normalize_inlines, plain_text, plain_text_blocks
from convert.registry import Options, get_writer
from convert.writers import pdf as pdf_writer

from .hostile import HOSTILE
from .validators import assert_valid_pdf

FAST_WRITERS = ("md", "json", "tei", "html", "epub")
#: Inputs a scraper's text can carry; whether they are repaired is the reader's business, here they must convert.
DIRTY = ("c1_quotes", "nul", "control_chars")
SMALL = ("long_token", "long_url", "nested_emphasis", *DIRTY)

# reading the dirty inputs warns about what was repaired (the reader's tests check that)
pytestmark = pytest.mark.filterwarnings("ignore::convert.errors.ArtconvWarning")


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    """Each small hostile input, read once."""
    return {name: convert.parse(HOSTILE[name](), f"{name}.md") for name in SMALL}


@pytest.fixture(scope="module")
def huge() -> Article:
    """The 5.5 MB article, read once."""
    return convert.parse(HOSTILE["huge_article"](), "huge.md")


def _check_md(article: Article, data: bytes) -> None:
    again = convert.parse(data, "out.md", format="md")
    assert plain_text_blocks(again.body) == plain_text_blocks(article.body)


def _check_json(article: Article, data: bytes) -> None:
    json.loads(data)
    assert convert.parse(data, "out.json", format="json") == article


def _check_tei(article: Article, data: bytes) -> None:
    root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"


def _check_html(article: Article, data: bytes) -> None:
    assert data.startswith(b"<!DOCTYPE html>")
    root = etree.fromstring(data, etree.HTMLParser(huge_tree=True))
    assert root.find(".//article") is not None


def _check_epub(article: Article, data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.namelist()[0] == "mimetype"
        assert book.read("mimetype") == b"application/epub+zip"
        pages = [n for n in book.namelist() if n.endswith(".xhtml")]
        assert pages
        for name in pages:
            etree.fromstring(book.read(name), etree.XMLParser(huge_tree=True))


CHECKS: dict[str, Callable[[Article, bytes], None]] = {
    "md": _check_md,
    "json": _check_json,
    "tei": _check_tei,
    "html": _check_html,
    "epub": _check_epub,
}


# --------------------------------------------------------------------------- every writer


@pytest.mark.parametrize("fmt", FAST_WRITERS)
@pytest.mark.parametrize("name", SMALL)
def test_every_writer_takes_hostile_input(articles: dict[str, Article], name: str, fmt: str) -> None:
    article = articles[name]
    CHECKS[fmt](article, convert.render(article, fmt, source_date_epoch=0))


@pytest.mark.slow
@pytest.mark.parametrize("name", SMALL)
def test_pdf_takes_hostile_input(articles: dict[str, Article], name: str) -> None:
    assert_valid_pdf(convert.render(articles[name], "pdf", source_date_epoch=0), name)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FAST_WRITERS)
def test_huge_article_through_every_writer(huge: Article, fmt: str) -> None:
    CHECKS[fmt](huge, convert.render(huge, fmt, source_date_epoch=0))


@pytest.mark.parametrize("name", DIRTY)
def test_dirty_text_is_read(name: str) -> None:
    assert convert.parse(HOSTILE[name](), f"{name}.md").body


# --------------------------------------------------------------------------- the PDF size limit


def test_huge_article_is_refused_before_layout(huge: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_layout(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("laid out an article over the limit")

    monkeypatch.setattr(pdf_writer, "html_to_pdf", no_layout)
    monkeypatch.setattr(pdf_writer, "build_html", no_layout)
    with pytest.raises(OutputError) as caught:
        convert.render(huge, "pdf")
    message = str(caught.value)
    assert "\n" not in message
    assert f"{Options().pdf_max_chars:,}" in message
    assert "--pdf-max-chars" in message and "pdf_max_chars" in message


def _article(chars: int) -> Article:
    return Article(metadata=Metadata(), body=(Paragraph((Text("a" * (chars - 10)), Emph((Text("b" * 10),)))),))


def test_pdf_limit_counts_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_writer, "html_to_pdf", lambda *args, **kwargs: b"%PDF-")
    render = get_writer("pdf").render
    assert render(_article(100), Options(pdf_max_chars=100)) == b"%PDF-"
    with pytest.raises(OutputError, match=r"101 characters of text, over the PDF limit of 100"):
        render(_article(101), Options(pdf_max_chars=100))
    assert render(_article(10_000), Options(pdf_max_chars=0)) == b"%PDF-"  # 0: no limit


def test_pdf_limit_counts_the_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_writer, "html_to_pdf", lambda *args, **kwargs: b"%PDF-")
    body = (Paragraph((Text("a"), NoteRef("1"))),)
    article = Article(Metadata(), body, notes=(Note("1", (Paragraph((Text("n" * 200),)),)),))
    with pytest.raises(OutputError):
        get_writer("pdf").render(article, Options(pdf_max_chars=100))


def test_pdf_limit_must_not_be_negative() -> None:
    with pytest.raises(UsageError, match="pdf_max_chars"):
        get_writer("pdf").render(_article(20), Options(pdf_max_chars=-1))


def test_pdf_limit_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.md"
    src.write_bytes(HOSTILE["long_token"]())
    out = tmp_path / "a.pdf"
    assert main([str(src), "-o", str(out), "--pdf-max-chars", "1000", "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "over the PDF limit of 1,000" in err and "--pdf-max-chars" in err
    assert not out.exists()


# --------------------------------------------------------------------------- runs without a break


def test_nested_emphasis_reads_as_few_nodes(articles: dict[str, Article]) -> None:
    (para,) = articles["nested_emphasis"].body
    assert isinstance(para, Paragraph)
    assert sum(1 for _ in iter_inlines(para.content)) < 20
    assert plain_text(para.content).count("x") == 1


def test_adjacent_emphases_merge() -> None:
    a, b = Text("a"), Text("b")
    assert normalize_inlines((Emph((a,)), Emph((b,)))) == (Emph((Text("ab"),)),)
    assert normalize_inlines((Strong((a,)), Strong((b,)), Text("c"))) == (Strong((Text("ab"),)), Text("c"))
    assert normalize_inlines((Emph((a,)), Text(" "), Emph((b,)))) == (Emph((a,)), Text(" "), Emph((b,)))
    assert normalize_inlines((Emph((a,)), Strong((b,)))) == (Emph((a,)), Strong((b,)))
    # merged all the way down, and the result is stable
    nested = (Emph((Strong((a,)),)), Emph((Strong((b,)),)))
    assert normalize_inlines(nested) == (Emph((Strong((Text("ab"),)),)),)
    assert normalize_inlines(normalize_inlines(nested)) == normalize_inlines(nested)
    # links are not merged: each has its own target
    links = (Link((a,), "http://a/"), Link((b,), "http://a/"))
    assert normalize_inlines(links) == links


def _longest_run(el: etree._Element) -> int:
    """The most element children in a row with no break opportunity (space in a tail, or ``<wbr>``)."""
    longest = 0
    for parent in el.iter():
        run = 0
        for child in parent:
            if child.tag == "wbr" or child.tag == "br":
                run = 0
                continue
            run += 1
            longest = max(longest, run)
            if child.tail and any(ch.isspace() for ch in child.tail):
                run = 0
    return longest


def _alternating(count: int) -> tuple[Inline, ...]:
    kinds: tuple[Callable[[str], Inline], ...] = (
        lambda t: Emph((Text(t),)),
        lambda t: Strong((Text(t),)),
        Code,
    )
    return tuple(kinds[k % 3](chr(ord("a") + k % 26)) for k in range(count))


def test_pdf_html_bounds_runs_without_break() -> None:
    article = Article(metadata=Metadata(), body=(Paragraph((Text("Start"), *_alternating(5000), Text("end."))),))
    html = pdf_writer.build_html(article, Options())
    root = etree.fromstring(html.encode(), etree.HTMLParser(huge_tree=True))
    assert 0 < _longest_run(root) <= pdf_writer.MAX_INLINE_RUN
    para = root.find(".//article/p")
    assert para is not None
    assert "".join(para.itertext()) == plain_text(article.body[0].content)  # type: ignore[union-attr]


def test_pdf_html_of_the_sample_has_no_added_breaks(sample_article: Article) -> None:
    html = pdf_writer.build_html(sample_article, Options())
    assert "<wbr" not in html


def test_pdf_html_breaks_long_unbreakable_text() -> None:
    url = "https://example.org/" + "a" * 5000
    article = Article(metadata=Metadata(), body=(Paragraph((Text("See "), Link((Text(url),), url), Text("."))),))
    html = pdf_writer.build_html(article, Options())
    root = etree.fromstring(html.encode(), etree.HTMLParser(huge_tree=True))
    link = root.find(".//article/p/a")
    assert link is not None and link.get("href") == url
    assert "".join(link.itertext()) == url
    pieces = [link.text or "", *((child.tail or "") for child in link)]
    assert max(map(len, pieces)) <= pdf_writer.MAX_UNBROKEN_TEXT


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", ["long_token", "long_url"])
def test_pdf_long_words_stay_inside_the_page(articles: dict[str, Article], name: str, tmp_path: Path) -> None:
    """A word wider than the column breaks; nothing runs past the right margin."""
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(convert.render(articles[name], "pdf"))
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', html))
    assert right < width - 30, f"text reaches {right:.0f} pt of a {width:.0f} pt page"
