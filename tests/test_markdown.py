"""The md writer and reader: golden output, front matter, idempotence, flavours, pandoc."""

from __future__ import annotations

import json
import string
import unicodedata

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

import convert
from convert.ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    Emph,
    Figure,
    Heading,
    Inline,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
)
from convert.ir.walk import normalize_inlines
from convert.readers.markdown import read_markdown, split_front_matter
from convert.writers.markdown import render_markdown

from .conftest import check_golden
from .strategies import articles

#: Characters of the generated texts: letters, digits, spaces and the punctuation Markdown treats specially.
_SAFE = frozenset(string.ascii_letters + string.digits + " .,;:!?'\"()-–—’“”é©&<>*_[]#\\/@$%^~|{}+=`")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PSZ"


def _edge(nodes: tuple[Inline, ...], last: bool) -> str:
    """The character Markdown will have at one edge of ``nodes``."""
    if not nodes:
        return " "
    node = nodes[-1] if last else nodes[0]
    if isinstance(node, Text):
        return node.text[-1] if last else node.text[0]
    if isinstance(node, Emph | Strong):
        return "*"
    return "]" if last else "["  # code spans, links, note references, breaks: punctuation


def _sanitize(seq: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``seq`` with every character outside ``_SAFE`` replaced by ``x``."""
    out: list[Inline] = []
    for node in seq:
        if isinstance(node, Text):
            out.append(Text("".join(c if c in _SAFE else "x" for c in node.text)))
        elif isinstance(node, Code):
            out.append(Code("".join(c if c in _SAFE and c != "`" else "x" for c in node.text)))
        elif isinstance(node, Emph | Strong):
            out.append(type(node)(_sanitize(node.content)))
        elif isinstance(node, Link):
            out.append(Link(_sanitize(node.content), node.target, node.title))
        else:
            out.append(node)
    return tuple(out)


def _expressible_inlines(seq: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``seq`` without the emphasis Markdown cannot express (``a*:*b``: punctuation inside, a letter outside)."""
    seq = _sanitize(seq)
    out: list[Inline] = []
    for k, node in enumerate(seq):
        if isinstance(node, Emph | Strong):
            first, final = _edge(node.content, False), _edge(node.content, True)
            before = _edge(seq[:k], True) if k else " "
            after = _edge(seq[k + 1 :], False) if k + 1 < len(seq) else " "
            inner = _expressible_inlines(node.content)
            if (_punct(first) and before.isalnum()) or (_punct(final) and after.isalnum()):
                out.extend(inner)
            else:
                out.append(type(node)(inner))
        elif isinstance(node, Link):
            out.append(Link(_expressible_inlines(node.content), node.target, node.title))
        else:
            out.append(node)
    result = normalize_inlines(out)
    return result if result == tuple(out) else _expressible_inlines(result)


def _expressible_block(block: Block) -> Block:
    match block:
        case Paragraph(content=c):
            return Paragraph(_expressible_inlines(c))
        case Heading(level=level, content=c):
            return Heading(level, _expressible_inlines(c))
        case Figure(caption=c, image=image):
            return Figure(_expressible_inlines(c), image)
        case BlockQuote(blocks=bs):
            return BlockQuote(tuple(map(_expressible_block, bs)))
        case BulletList(items=items):
            return BulletList(tuple(tuple(map(_expressible_block, it)) for it in items))
        case OrderedList(items=items, start=start):
            return OrderedList(tuple(tuple(map(_expressible_block, it)) for it in items), start)
        case _:
            return block


def expressible(article: Article) -> Article:
    """The article with only the emphasis that Markdown can express at all (a fixpoint)."""
    fixed = _expressible_once(article)
    return fixed if fixed == article else expressible(fixed)


def _expressible_once(article: Article) -> Article:
    return Article(
        article.metadata,
        tuple(map(_expressible_block, article.body)),
        tuple(Note(n.label, tuple(map(_expressible_block, n.blocks))) for n in article.notes),
    )


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


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(spaced=True).map(expressible))
def test_markdown_is_idempotent(article: Article) -> None:
    first = md(article)
    again = md(read_markdown(first.encode()))
    assert again == first


@pytest.mark.parametrize("text", ["see \\!", "see \\\\\\!", "see !", "see \\\\!"])
def test_bang_before_a_link_never_makes_an_image(text: str) -> None:
    """A '!' ending the text before a link is escaped unless a backslash already escapes it."""
    body = (Paragraph((Text(text), Link((Text("xx"),), "http://a.example/"), Text(" end"))),)
    article = Article(Metadata(title="T"), body)
    again = read_markdown(md(article).encode())
    assert again.body == article.body
