"""The md writer and reader: golden output, front matter, idempotence, flavours, pandoc."""

from __future__ import annotations

import json
import string
import unicodedata
from dataclasses import fields, is_dataclass, replace
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import convert
from convert.ir.crosswalk import subjects_by_scheme
from convert.ir.model import (
    Article,
    Bibliography,
    Block,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strikeout,
    Strong,
    Subject,
    Table,
    TableCell,
    Text,
)
from convert.ir.walk import normalize_inlines, walk_block, walk_inline, walk_inlines
from convert.readers.markdown import read_markdown, split_front_matter
from convert.writers.markdown import render_markdown

from .conftest import check_golden
from .strategies import articles

#: Characters of the generated texts: letters, digits, spaces and the punctuation Markdown treats specially.
_SAFE = frozenset(string.ascii_letters + string.digits + " .,;:!?'\"()-–—’“”é©&<>*_[]#\\/@$%^~|{}+=`")


def _safe(text: str) -> str:
    return "".join(c if c in _SAFE else "x" for c in text)


def _sanitize(node: Inline) -> Inline:
    """``node`` with every character outside ``_SAFE`` replaced by ``x`` (its content is done already)."""
    match node:
        case Text(text=t):
            return Text(_safe(t))
        case Code(text=t):
            return Code(_safe(t))
        case Image(src=src, alt=alt, title=title):
            return Image(src, _safe(alt), _safe(title))
        case Link(content=content, target=target, title=title):
            return Link(content, target, _safe(title))
        case Math(tex=tex, display=display):
            return Math(_safe(tex), display)
        case _:
            return node


def _grouped(subjects: tuple[Subject, ...]) -> tuple[Subject, ...]:
    """The subjects as the front matter holds them: by scheme, the schemes in order of appearance,
    those without one (``keywords``) first or last."""
    from convert.ir.crosswalk import SUBJECT_KEYS

    groups = list(subjects_by_scheme(subjects).items())
    if groups and groups[0][0] != "":
        groups.sort(key=lambda group: group[0] == "")
    # the schemes with a key of their own (``tags``, ``categories``) are one group each, the others
    # share ``subject``: the groups keep the order of their first scheme
    order = list(dict.fromkeys(SUBJECT_KEYS.get(scheme, "subject") for scheme, _ in groups))
    groups.sort(key=lambda group: order.index(SUBJECT_KEYS.get(group[0], "subject")))
    return tuple(Subject(t, scheme) for scheme, terms in groups for t in terms)


def _block(block: Block) -> Block:
    """``block`` as it reads back: columns all of the default alignment are no alignment (``()``);
    an image alone in its paragraph is a figure (as pandoc reads it), its alt text the caption; a
    figure whose caption is an image alone is a figure of that image."""
    match block:
        case Table(aligns=aligns) if not any(aligns):
            return replace(block, aligns=())
        case Paragraph(content=(Image(alt=alt) as image,)):
            return Figure((Text(alt),) if alt else (), image)
        case Figure(caption=(Image() as image,), image=None):
            return Figure((), _sanitize(image))  # type: ignore[arg-type]
        case Figure(caption=caption, image=Image() as image):
            return Figure(caption, _sanitize(image))  # type: ignore[arg-type]
        case Heading(level=level, content=content) if LineBreak() in content:
            # an ATX heading is one line: a line break in it is written as a space
            spaced = (Text(" ") if isinstance(node, LineBreak) else node for node in content)
            return Heading(level, normalize_inlines(spaced))
        case Bibliography(title=title) if LineBreak() in title:
            # its title is a heading too
            spaced = (Text(" ") if isinstance(node, LineBreak) else node for node in title)
            return replace(block, title=normalize_inlines(spaced))
        case _:
            return block


def _nfc(value: Any) -> Any:
    """``value`` with its texts in NFC, as the writer writes them."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        return tuple(map(_nfc, value))
    if is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: _nfc(getattr(value, f.name)) for f in fields(value) if f.init})
    return value


def expressible(article: Article) -> Article:
    """The article as Markdown can carry it: the generated texts' characters, metadata in NFC, subjects
    grouped by scheme, an image alone in its paragraph a figure, a heading on one line.

    Every inline and block kind is carried (emphasis that ``*`` cannot delimit is written as HTML).
    """
    article = _nfc(walk_block(_block, walk_inlines(normalize_inlines, walk_inline(_sanitize, article))))
    metadata = replace(article.metadata, subjects=_grouped(article.metadata.subjects))
    return replace(article, metadata=metadata)


def md(article: Article, flavor: str = "pandoc") -> str:
    return render_markdown(article, flavor)


def test_sample_golden(sample_article: Article) -> None:
    check_golden("russia-pakistan-relationship.md", md(sample_article).encode())


@pytest.mark.parametrize("flavor", ["gfm", "commonmark"])
def test_sample_golden_flavors(sample_article: Article, flavor: str) -> None:
    check_golden(f"russia-pakistan-relationship.{flavor}.md", md(sample_article, flavor).encode())


def test_sample_front_matter(sample_article: Article) -> None:
    yaml_text, _ = split_front_matter(md(sample_article))
    assert yaml_text is not None
    meta = yaml.safe_load(yaml_text)
    assert meta["title"] == "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"
    assert meta["author"] == ["Farooq Yousaf"]
    assert str(meta["date"]) == "2012-09-27"
    assert meta["publisher"] == "Global Research"
    assert meta["subject"] == {"region": ["Asia", "Russia and FSU"], "theme": ["Oil and Energy"]}
    assert meta["rights"] == "Copyright © Farooq Yousaf, Global Research, 2012"
    assert meta["copyright"] == {"holder": ["Farooq Yousaf", "Global Research"], "year": 2012}
    assert meta["disclaimer"].startswith("The contents of this article are of sole responsibility")
    assert meta["fair-use"].startswith("www.globalresearch.ca contains copyrighted material")
    assert meta["source"] == "The original source of this article is Global Research"
    assert meta["contact"] == "For media inquiries: publications@globalresearch.ca"


def test_sample_body_is_clean(sample_article: Article) -> None:
    text = md(sample_article)
    _, body = split_front_matter(text)
    for chrome in ("Articles by", "Become a Member", "Facebook", "](#)", "\\\\", "Notes\n"):
        assert chrome not in body
    assert "content_12576227" in body and "content\\_" not in body
    # the two paragraphs the scraper split are whole again
    assert "political and economic issues in Pakistan." in body
    assert "in the form of the SCO, and an axis" in body
    assert "> We have turned a new page in our relationship with Russia. It is a major shift[^ix]" in body
    assert body.count("]: <http") == 10


def test_markdown_roundtrip_of_sample(sample_article: Article) -> None:
    first = md(sample_article)
    again = read_markdown(first.encode())
    assert again == sample_article
    assert md(again) == first


def test_pandoc_reads_real_footnotes_and_metadata(sample_article: Article) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    ast = json.loads(pypandoc.convert_text(md(sample_article), "json", format="markdown"))
    notes: list[object] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Note":
                notes.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(ast["blocks"])
    assert len(notes) == 10
    meta = ast["meta"]
    assert meta["title"]["t"] == "MetaInlines"
    assert meta["author"]["t"] == "MetaList"
    assert "rights" in meta and "disclaimer" in meta


def test_front_matter_errors_are_one_line() -> None:
    with pytest.raises(convert.InputError) as info:
        convert.read(b"---\ntitle: x\ndate: not-a-date\n---\n\nText.\n", format="md")
    assert "\n" not in str(info.value) and "date" in str(info.value)
    with pytest.raises(convert.InputError):
        convert.read(b"---\ntitle: [unclosed\n---\n\nText.\n", format="md")


def test_gfm_keeps_footnotes_commonmark_links_them() -> None:
    art = Article(
        Metadata(title="T"),
        (Paragraph((Text("Claim"), NoteRef("1"))),),
        (Note("1", (Paragraph((Text("Source."),)),)),),
    )
    assert "Claim[^1]" in md(art, "gfm") and "[^1]: Source." in md(art, "gfm")
    cm = md(art, "commonmark")
    assert "[^" not in cm and "(#note-1)" in cm and 'id="note-1"' in cm


def test_escapes_are_minimal() -> None:
    art = Article(Metadata(title="T"), (Paragraph((Text("snake_case and 5 * 3 and a_b_c, [x] <b> 1. no"),)),))
    _, body = split_front_matter(md(art))
    assert "snake_case" in body and "a_b_c" in body
    assert "5 \\* 3" in body and "\\[x\\]" in body and "\\<b>" in body
    assert read_markdown(md(art).encode()) == art


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(spaced=True).map(expressible))
def test_markdown_is_idempotent(article: Article) -> None:
    first = md(article)
    again = md(read_markdown(first.encode()))
    assert again == first


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(spaced=True).map(expressible))
def test_markdown_round_trip(article: Article) -> None:
    """What the writer writes, the reader reads back as the same article."""
    assert read_markdown(md(article).encode()) == article


@pytest.mark.parametrize("text", ["see \\!", "see \\\\\\!", "see !", "see \\\\!"])
def test_bang_before_a_link_never_makes_an_image(text: str) -> None:
    """A '!' ending the text before a link is escaped unless a backslash already escapes it."""
    body = (Paragraph((Text(text), Link((Text("xx"),), "http://a.example/"), Text(" end"))),)
    article = Article(Metadata(title="T"), body)
    again = read_markdown(md(article).encode())
    assert again.body == article.body


@pytest.mark.parametrize(
    "content",
    [
        (Text("0"), Emph((Code("0"),))),
        (Text("0"), Strong((Image("y", "x", ""),))),
        (Emph((Text("a."),)), Text("b")),
        (Text("a"), Strong((Emph((Text("b"),)), Text(" c"))), Text("d")),
        (Text("a"), Strong((Emph((Text("b"),)),)), Text("c")),
        (Text("a "), Emph((Text("(b)"),)), Text(" c")),
    ],
)
def test_emphasis_against_punctuation_reads_back(content: tuple[Inline, ...]) -> None:
    """``*`` where CommonMark's flanking rules would not open or close it is written as ``<em>``/``<strong>``."""
    article = Article(Metadata(title="T"), (Paragraph(content),))
    text = md(article)
    assert read_markdown(text.encode()).body == article.body
    assert md(read_markdown(text.encode())) == text


def test_a_list_on_a_notes_first_line_keeps_its_items_blocks() -> None:
    """The first line of a note starts at the note's indent: its list item's blocks are indented past the marker."""
    code = Note("x", (OrderedList(((CodeBlock("abc"),),), 13),))
    two = Note("y", (BulletList(((Paragraph((Text("a"),)), Paragraph((Text("b"),))),)),))
    article = Article(Metadata(title="T"), (Paragraph((Text("see"), NoteRef("x"), NoteRef("y"))),), (code, two))
    text = md(article)
    assert "[^x]: 13. ```\n        abc\n" in text and "[^y]: - a\n\n      b\n" in text
    assert read_markdown(text.encode()).notes == article.notes


def test_display_math_before_a_digit_is_math_as_in_pandoc() -> None:
    """Only a single ``$`` closing before a digit is no math (``$5 and $10``); ``$$x$$2`` is display math."""
    body = read_markdown(b"a $$x$$2 b and $5 and $10\n").body
    assert body == (Paragraph((Text("a "), Math("x", True), Text("2 b and $5 and $10"))),)


def test_subjects_without_a_scheme_keep_their_place_among_the_groups() -> None:
    """The front matter groups subjects by scheme (``subject:`` and ``keywords:``), groups in order of appearance."""
    subjects = (Subject("a"), Subject("b", "region"), Subject("c"))
    article = Article(Metadata(title="T", subjects=subjects), (Paragraph((Text("x"),)),))
    assert read_markdown(md(article).encode()).metadata.subjects == (Subject("a"), Subject("c"), Subject("b", "region"))
    again = Article(Metadata(title="T", subjects=subjects[1:]), article.body)
    assert read_markdown(md(again).encode()).metadata.subjects == subjects[1:]


@pytest.mark.parametrize("alt", ["{", "a}b", "x\\y", 'say "q"'])
def test_a_figures_alt_text_with_braces_backslashes_and_quotes_reads_back(alt: str) -> None:
    article = Article(Metadata(title="T"), (Figure((Text("0"),), Image("a.png", alt)),))
    assert read_markdown(md(article).encode()).body == article.body


def test_a_grid_table_on_a_notes_first_line_in_a_list() -> None:
    source = b"x[^0]\n\n[^0]: - +---+---+\n      | 0 | 1 |\n      +---+---+\n"
    table = Table((), ((TableCell((Text("0"),)), TableCell((Text("1"),))),))
    assert read_markdown(source).notes == (Note("0", (BulletList(((table,),)),)),)


def test_a_line_opening_with_a_del_tag_is_no_html_block_for_pandoc() -> None:
    term = (Strikeout((Emph((Text("0"),)),)), Text("0"))
    article = Article(
        Metadata(title="T"), (Paragraph(term), DefinitionList((DefinitionItem(term, ((Paragraph((Text("d"),)),),)),)))
    )
    text = md(article)
    assert read_markdown(text.encode()).body == article.body
    pypandoc = pytest.importorskip("pypandoc")
    assert "RawBlock" not in pypandoc.convert_text(text, "native", format="markdown")


def test_a_dollar_in_text_and_one_in_code_make_no_math() -> None:
    article = Article(Metadata(title="T"), (Paragraph((Text("$"), Emph((Code("0"), Text("0"), Code("$"))))),))
    assert read_markdown(md(article).encode()).body == article.body


def test_a_list_after_a_definition_list_stays_a_list() -> None:
    """A definition ending in an indented list would take the next list in: ``<!-- -->`` keeps them apart."""
    inner = BulletList(((Heading(2, (Text("inner"),)),),))
    definitions = DefinitionList((DefinitionItem((Text("Term"),), ((inner,),)),))
    step = DefinitionList((DefinitionItem((Text("Step"),), ((Paragraph((Text("first"),)),),)),))
    following = OrderedList(((step,), (Paragraph((Text("second step"),)),)))
    article = Article(Metadata(title="T"), (definitions, following))
    assert read_markdown(md(article).encode()) == article


def test_a_note_after_a_definition_list_stays_a_note() -> None:
    """A note whose text is a definition list, right after the body's definition list, stays a note."""
    body = DefinitionList((DefinitionItem((Text("Term"),), ((Paragraph((Text("Def"),)),),)),))
    cited = Paragraph((Text("see"), NoteRef("j")))
    inner = DefinitionList((DefinitionItem((Text("Note term"),), ((Paragraph((Text("0"),)),),)),))
    article = Article(Metadata(title="T"), (cited, body), notes=(Note("j", (inner,)),))
    assert read_markdown(md(article).encode()) == article


def test_the_readers_pause_the_cycle_collector_while_they_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Their objects form no cycles: the collector waits, and runs again after (only if it ran before)."""
    import gc

    import convert.readers._mdparse as mdparse
    from convert.readers import article, markdown

    seen: list[bool] = []
    parse = mdparse.parse_blocks

    def parse_blocks(text: str, *, scraper: bool = False) -> mdparse.Document:
        seen.append(gc.isenabled())
        return parse(text, scraper=scraper)

    monkeypatch.setattr(markdown, "parse_blocks", parse_blocks)
    monkeypatch.setattr(article, "parse_blocks", parse_blocks)
    running = gc.isenabled()
    gc.enable()
    try:
        markdown.read_markdown(b"# T\n\nText.\n")
        article.read_article(b"Title\n\nText of the article.\n")
        assert seen == [False, False]
        assert gc.isenabled()
        gc.disable()
        markdown.read_markdown(b"Text.\n")
        article.read_article(b"Title\n\nText.\n")
        assert not gc.isenabled()
    finally:
        if running:
            gc.enable()
        else:
            gc.disable()
