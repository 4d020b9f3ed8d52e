"""The HTML reader's main-content step (``extract.py``) and its HTML-to-IR step (``blocks.py``).

Every page of ``tests/fixtures/html_extract/`` marks what it expects (see its README).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from convert.ir.model import (
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    ThematicBreak,
)
from convert.ir.walk import plain_text_blocks, query
from convert.readers.html import read_html
from convert.readers.html.blocks import html_blocks
from convert.readers.html.extract import main_content

from .validators import assert_valid_outputs

FIXTURES = Path(__file__).parent / "fixtures" / "html_extract"
PAGES = sorted(FIXTURES.glob("*.html"))


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_keeps_and_drops_what_it_marks(path: Path) -> None:
    data = path.read_bytes()
    text = _words(plain_text_blocks(read_html(data).body))
    marked = html.document_fromstring(data.decode("utf-8"))
    keep = [_words(el.text_content()) for el in marked.iterfind(".//*[@data-expect='keep']")]
    dropped = [_words(el.text_content()) for el in marked.iterfind(".//*[@data-expect='drop']")]
    assert keep, "a fixture marks what it keeps"
    for expected in keep:
        assert expected in text
    for unwanted in dropped:
        assert unwanted not in text


def test_fixture_pages_are_found_by_the_extractor_itself() -> None:
    """No fixture passes by way of the fallback: the extractor's own article holds what is kept."""
    for path in PAGES:
        article = main_content(html.document_fromstring(path.read_bytes().decode("utf-8")))
        assert article is not None and len(_words(article.text_content())) > 200, path.name


def test_data_table_keeps_its_head_and_caption() -> None:
    body = read_html((FIXTURES / "tables.html").read_bytes()).body
    tables = [b for b in body if isinstance(b, Table)]
    assert len(tables) == 1
    head = [Paragraph(c.content) for c in tables[0].head[0]]
    assert plain_text_blocks(head) == "Lock\n\nBuilt\n\nRise"
    assert _words(plain_text_blocks([Paragraph(tables[0].caption)])) == "Locks of the canal"


def test_a_page_without_text_gives_no_article() -> None:
    assert main_content(html.document_fromstring("<html><head><title>x</title></head></html>")) is None


# ------------------------------------------------------------------ HTML to IR


def _blocks(fragment: str, base: str = "") -> tuple[object, ...]:
    return html_blocks(html.fragment_fromstring(fragment, create_parent="div"), base)


def test_blocks_of_each_kind() -> None:
    blocks = _blocks(
        "<h1>Title</h1><h3>Part</h3><p>Text with <em>stress</em>, <b>weight</b> and "
        '<a href="/more">a link</a>.</p><hr><ol start="3"><li>three</li><li>four</li></ol>'
        '<pre><code class="language-python">print(1)\n</code></pre>'
        "<dl><dt>Lock</dt><dd>A gate in a canal.</dd></dl>",
        "https://example.org/a/",
    )
    kinds = [type(b) for b in blocks]
    assert kinds == [Heading, Heading, Paragraph, ThematicBreak, OrderedList, CodeBlock, DefinitionList]
    assert [b.level for b in blocks[:2]] == [1, 2]  # type: ignore[attr-defined]
    para = blocks[2]
    assert isinstance(para, Paragraph)
    assert any(isinstance(n, Emph) for n in para.content) and any(isinstance(n, Strong) for n in para.content)
    link = next(n for n in para.content if isinstance(n, Link))
    assert link.target == "https://example.org/more"
    assert isinstance(blocks[4], OrderedList) and blocks[4].start == 3
    assert isinstance(blocks[5], CodeBlock) and blocks[5].language == "python" and blocks[5].text == "print(1)"


def test_figure_with_caption_and_lone_image() -> None:
    blocks = _blocks(
        '<figure><img src="lock.jpg" alt="A lock"><figcaption>The lock at <i>Millbrook</i></figcaption></figure>'
        '<p><img src="gate.png" alt="A gate"></p><p>Loose <img src="javascript:x" alt="bad"> text</p>',
        "https://example.org/",
    )
    assert isinstance(blocks[0], Figure) and blocks[0].image is not None
    assert blocks[0].image.src == "https://example.org/lock.jpg"
    assert plain_text_blocks(blocks[:1]) == "The lock at Millbrook"
    assert isinstance(blocks[1], Figure) and blocks[1].image is not None and blocks[1].image.alt == "A gate"
    assert not query(lambda n: (n,) if isinstance(n, Image) and n.alt == "bad" else (), blocks[2])


def test_layout_table_gives_the_blocks_of_its_cells() -> None:
    blocks = _blocks("<table><tr><td><p>First part.</p></td><td><p>Second part.</p></td></tr></table>")
    assert [type(b) for b in blocks] == [Paragraph, Paragraph]


def test_text_beside_blocks_becomes_paragraphs() -> None:
    blocks = _blocks("Loose text<p>A paragraph</p>more <b>loose</b> text<br>")
    assert plain_text_blocks(blocks) == "Loose text\n\nA paragraph\n\nmore loose text"


# ------------------------------------------------------------------ formulas, fallback


def test_math_without_tex_keeps_its_text() -> None:
    prose = " ".join(["A formula stands in the middle of this sentence of the article about canals."] * 8)
    page = (
        f"<html><body><article><p>{prose}</p><p>The rise is <math><mi>h</mi><mo>=</mo><msup><mi>x</mi>"
        f"<mn>2</mn></msup></math> metres.</p><p>{prose}</p></article></body></html>"
    )
    text = plain_text_blocks(read_html(page.encode()).body)
    assert "The rise is h=x2 metres." in _words(text)


def test_trafilatura_reads_the_page_when_the_extractor_finds_too_little(monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.readers.html import extract

    monkeypatch.setattr(extract, "main_content", lambda root, again=None: None)
    page = (FIXTURES / "unlikely_candidates.html").read_bytes()
    text = plain_text_blocks(read_html(page).body)
    assert "The survey of the old canal began in the spring" in text


def _depth(blocks: tuple[object, ...] | list[object]) -> int:
    inner = [
        _depth(list(b.blocks)) if isinstance(b, BlockQuote) else max((_depth(list(i)) for i in b.items), default=0)
        for b in blocks
        if isinstance(b, BlockQuote | BulletList)
    ]
    return 1 + max(inner, default=0) if inner else 0


def test_deep_nesting_is_capped_and_every_writer_copes(tmp_path: Path) -> None:
    from convert import api

    prose = "A line of the article that is long enough to be read as its text, again and again. " * 8
    for opening, closing, levels in (("<blockquote>", "</blockquote>", 240), ("<ul><li>", "</li></ul>", 120)):
        nested = f"{opening * levels}<p>{prose}</p>{closing * levels}"
        article = read_html(f"<html><body><article><p>{prose}</p>{nested}</article></body></html>".encode())
        assert _depth(list(article.body)) <= 16
        assert plain_text_blocks(article.body).count("A line of the article") >= 9
        for fmt in ("epub", "tei", "markdown"):
            (tmp_path / f"{levels}.{'xml' if fmt == 'tei' else fmt}").write_bytes(api.render(article, fmt))
    assert assert_valid_outputs(tmp_path) == 4  # two EPUBs (EPUBCheck), two TEI documents (tei_all)


# ------------------------------------------------------------------ rights


def _with_footer(footer: str) -> bytes:
    prose = "The survey of the canal took three summers and measured every gate, weir and bridge of it. " * 8
    return f"<html><body><article><p>{prose}</p></article><footer><p>{footer}</p></footer></body></html>".encode()


def test_a_creative_commons_link_in_the_footer_is_the_licence() -> None:
    rights = read_html(
        _with_footer('Text available under <a href="https://creativecommons.org/licenses/by-sa/4.0/">a licence</a>.')
    ).metadata.rights
    assert rights.licence_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert rights.licence_id == "CC-BY-SA-4.0"


def test_a_licence_named_by_a_footer_link_text_is_kept() -> None:
    rights = read_html(_with_footer('Published under <a href="/terms">CC BY 4.0</a>.')).metadata.rights
    assert rights.licence_id == "CC-BY-4.0"


def test_reading_a_page_with_a_title_an_author_and_a_date_does_not_import_trafilatura() -> None:
    import subprocess
    import sys

    page = (
        "<html><head><title>The canal</title><meta name='author' content='Hilde Marsh'>"
        "<meta property='article:published_time' content='2021-03-04'></head><body><article><p>"
        + "The survey of the canal took three summers and measured every gate. " * 10
        + "</p></article></body></html>"
    )
    code = (
        "import sys; from convert.readers.html import read_html; "
        f"a = read_html({page.encode()!r}); "
        "print(a.metadata.authors, [m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'htmldate')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "('Hilde Marsh',) []"


def test_trafilatura_is_not_asked_for_an_author(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura.metadata

    def refuse(tree: object) -> str:
        raise AssertionError("asked")

    monkeypatch.setattr(trafilatura.metadata, "extract_author", refuse)
    page = "<html><head><title>The canal</title></head><body><article><p>" + "A line of the survey. " * 40
    assert read_html((page + "</p></article></body></html>").encode()).metadata.authors == ()


def test_text_straight_in_the_body_is_the_article() -> None:
    text = "A page of text set straight in its body, with no paragraph elements around it at all. " * 4
    article = main_content(html.document_fromstring(f"<html><body>{text}<br>{text}</body></html>"))
    assert article is not None and _words(text) in _words(article.text_content())


def test_a_script_only_page_gives_no_script_text(tmp_path: Path) -> None:
    from convert import api

    for page in (
        b"<html><head><title>App</title><style>p{color:red}</style></head><body><script>var app = 1;</script>",
        b"<html><body><script>var app = 1;</script><template><p>Hidden row</p></template>",
    ):
        article = read_html(page + b"</body></html>")
        text = plain_text_blocks(article.body)
        assert "var app" not in text and "color" not in text and "Hidden" not in text
        (tmp_path / f"page{len(page)}.epub").write_bytes(api.render(article, "epub"))
    assert assert_valid_outputs(tmp_path) == 2  # EPUBCheck


def test_spaces_at_the_edges_of_inline_elements_are_kept_outside_them() -> None:
    blocks = _blocks('<p>Text with<em> stress </em>and <a href="/x">a link </a>here, <b>\n bold</b>.</p>')
    assert plain_text_blocks(blocks) == "Text with stress and a link here, bold."
    para = blocks[0]
    assert isinstance(para, Paragraph)
    emph = next(n for n in para.content if isinstance(n, Emph))
    assert plain_text_blocks([Paragraph(emph.content)]) == "stress"


def test_spaces_at_the_edges_of_inline_elements_in_notes_are_kept() -> None:
    from convert.readers.html.notes import html_inlines

    note = html.fragment_fromstring('<li>See<i> The Canal </i>and <a href="https://example.org/">the map </a>.</li>')
    assert plain_text_blocks([Paragraph(html_inlines(note))]) == "See The Canal and the map ."
