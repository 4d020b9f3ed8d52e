"""The IR traversal: ``walk_*`` rewrite bottom-up without copying what is unchanged; ``query`` collects."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from convert.ir.jsonio import article_from_json, article_to_json
from convert.ir.model import (
    Article,
    Asset,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from convert.ir.walk import Node, query, walk_block, walk_blocks, walk_inline, walk_inlines

from .strategies import articles

CONVERT = Path(__file__).resolve().parent.parent / "convert"


def _article() -> Article:
    """Text in every place an inline sequence can be."""
    return Article(
        Metadata(title="T"),
        (
            Heading(1, (Text("head"),)),
            Paragraph((Text("para "), Emph((Text("emph"), Strong((Text("strong"),)))), NoteRef("1"))),
            BlockQuote((Paragraph((Text("quoted"),)), BulletList(((Paragraph((Text("deep"),)),),)))),
            OrderedList(((Paragraph((Link((Text("link"),), "https://x.example/"),)),), (ThematicBreak(),)), 3),
            Figure((Text("caption"),), Image("img.png", "alt")),
            CodeBlock("code text"),
            Paragraph((Code("code"), LineBreak(), Text("after"))),
        ),
        (Note("1", (Paragraph((Text("note"),)),)), Note("2", ())),
    )


def _texts(x: Article | Block | tuple[Block, ...]) -> list[str]:
    return query(lambda n: (n.text,) if isinstance(n, Text) else (), x)


def _upper(node: Inline) -> Inline:
    return Text(node.text.upper()) if isinstance(node, Text) else node


def _same_inlines(seq: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return seq


def _same_blocks(seq: tuple[Block, ...]) -> tuple[Block, ...]:
    return seq


def _same_block(block: Block) -> Block:
    return block


def _same_inline(node: Inline) -> Inline:
    return node


IDENTITIES = [
    pytest.param(lambda x: walk_inline(_same_inline, x), id="walk_inline"),
    pytest.param(lambda x: walk_inlines(_same_inlines, x), id="walk_inlines"),
    pytest.param(lambda x: walk_block(_same_block, x), id="walk_block"),
    pytest.param(lambda x: walk_blocks(_same_blocks, x), id="walk_blocks"),
]


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize("walk", IDENTITIES)
def test_identity_walk_returns_the_same_object(walk) -> None:
    article = _article()
    assert walk(article) is article
    assert walk(article.body) is article.body
    assert walk(article.notes[0]) is article.notes[0]
    for block in article.body:
        assert walk(block) is block
    seq = article.body[1].content
    assert walk(seq) is seq
    assert walk(seq[1]) is seq[1]
    assert walk(()) == ()


def test_unchanged_subtrees_are_shared() -> None:
    article = _article()
    out = walk_inline(lambda n: Text("HEAD") if n == Text("head") else n, article)
    assert out.body[0] == Heading(1, (Text("HEAD"),))
    assert out.metadata is article.metadata
    assert all(a is b for a, b in zip(out.body[1:], article.body[1:], strict=True))
    assert out.notes[0] is article.notes[0]


# --------------------------------------------------------------------------- rewriting


def test_a_rewrite_reaches_every_inline() -> None:
    article = _article()
    out = walk_inline(_upper, article)
    assert _texts(out) == [t.upper() for t in _texts(article)]
    assert "NOTE" in _texts(out)  # notes
    assert "DEEP" in _texts(out)  # a list in a quote
    assert "QUOTED" in _texts(out)
    assert "CAPTION" in _texts(out)  # figure captions
    assert "LINK" in _texts(out)  # link content
    assert "STRONG" in _texts(out)  # emphasis in emphasis
    figure = out.body[4]
    assert figure == Figure((Text("CAPTION"),), Image("img.png", "alt"))  # the rest of the node kept
    assert out.body[3] == OrderedList(
        ((Paragraph((Link((Text("LINK"),), "https://x.example/"),)),), (ThematicBreak(),)), 3
    )
    assert out.body[5] is article.body[5]  # code is not text
    assert out.body[6].content[0] is article.body[6].content[0]


def test_a_rewrite_of_one_block_or_sequence_returns_its_kind() -> None:
    para = Paragraph((Emph((Text("a"),)),))
    assert walk_inline(_upper, para) == Paragraph((Emph((Text("A"),)),))
    assert walk_inline(_upper, para.content) == (Emph((Text("A"),)),)
    assert walk_inline(_upper, Text("a")) == Text("A")


def test_walk_is_bottom_up() -> None:
    seen: list[Inline] = []

    def record(node: Inline) -> Inline:
        seen.append(node)
        return _upper(node)

    walk_inline(record, (Emph((Text("a"), Strong((Text("b"),)))),))
    assert seen == [Text("a"), Text("b"), Strong((Text("B"),)), Emph((Text("A"), Strong((Text("B"),))))]


def test_walk_inlines_replaces_a_node_by_several_or_none() -> None:
    def split(seq: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in seq:
            if isinstance(node, Text) and "|" in node.text:
                left, right = node.text.split("|")
                out += [Text(left), LineBreak(), Text(right)]
            elif not isinstance(node, Code):
                out.append(node)
        return tuple(out) if out != list(seq) else seq

    article = Article(
        Metadata(),
        (Paragraph((Link((Text("a|b"), Code("x")), "https://x.example/"),)),),
        (Note("n", (BlockQuote((Paragraph((Text("c|d"),)),)),)),),
    )
    out = walk_inlines(split, article)
    assert out.body == (Paragraph((Link((Text("a"), LineBreak(), Text("b")), "https://x.example/"),)),)
    assert out.notes[0].blocks == (BlockQuote((Paragraph((Text("c"), LineBreak(), Text("d"))),)),)
    # the content of an opaque kind is left alone, the rest is walked
    kept = walk_inlines(split, article, opaque=(Link,))
    assert kept.body is article.body
    assert kept.notes == out.notes


def test_walk_blocks_drops_blocks_at_every_level() -> None:
    def no_rules(seq: tuple[Block, ...]) -> tuple[Block, ...]:
        kept = tuple(b for b in seq if not isinstance(b, ThematicBreak))
        return seq if len(kept) == len(seq) else kept

    article = Article(
        Metadata(),
        (ThematicBreak(), BlockQuote((ThematicBreak(), Paragraph((Text("q"),)))), BulletList(((ThematicBreak(),),))),
        (Note("n", (ThematicBreak(),)),),
    )
    out = walk_blocks(no_rules, article)
    assert out.body == (BlockQuote((Paragraph((Text("q"),)),)), BulletList(((),)))
    assert out.notes == (Note("n", ()),)
    empty: tuple[Block, ...] = ()
    assert walk_blocks(no_rules, empty) is empty  # blocks or inlines: nothing to walk
    assert walk_inlines(lambda s: (*s, Text("x")), ()) == ()
    assert walk_inlines(lambda s: (*s, Text("x")), Article(Metadata(), ())) == Article(Metadata(), ())


def test_walk_block_rewrites_nested_blocks_without_visiting_inlines() -> None:
    def retitle(block: Block) -> Block:
        return Heading(block.level + 1, block.content) if isinstance(block, Heading) else block

    inner = Heading(1, (Text("h"),))
    out = walk_block(retitle, (BlockQuote((inner,)), OrderedList(((inner,),), 2)))
    assert out == (BlockQuote((Heading(2, (Text("h"),)),)), OrderedList(((Heading(2, (Text("h"),)),),), 2))


def test_a_foreign_node_is_refused() -> None:
    with pytest.raises(AssertionError):
        walk_inline(_same_inline, object())  # type: ignore[type-var]
    with pytest.raises(AssertionError):
        query(lambda n: (), object())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- query


def test_query_order_is_document_order() -> None:
    article = _article()

    def name(node: Node) -> tuple[str, ...]:
        return (type(node).__name__ + (f":{node.text}" if isinstance(node, Text) else ""),)

    assert query(name, article) == [
        "Heading", "Text:head",
        "Paragraph", "Text:para ", "Emph", "Text:emph", "Strong", "Text:strong", "NoteRef",
        "BlockQuote", "Paragraph", "Text:quoted", "BulletList", "Paragraph", "Text:deep",
        "OrderedList", "Paragraph", "Link", "Text:link", "ThematicBreak",
        "Figure", "Text:caption",
        "CodeBlock",
        "Paragraph", "Code", "LineBreak", "Text:after",
        "Paragraph", "Text:note",
    ]  # fmt: skip
    assert query(lambda n: [n] if isinstance(n, NoteRef) else [], article.body[1]) == [NoteRef("1")]
    assert query(name, ()) == []


# --------------------------------------------------------------------------- properties


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_identity_walks_keep_every_article(article: Article) -> None:
    for walk in (walk_inline, walk_block):
        assert walk(lambda n: n, article) is article
    for walk_seq in (walk_inlines, walk_blocks):
        assert walk_seq(lambda s: s, article) is article
    # a walk that rebuilds every node gives an equal article, and JSON reads it back unchanged
    copied = walk_inline(lambda n: Text(n.text) if isinstance(n, Text) else n, article)
    copied = walk_blocks(lambda s: (*s,), copied)
    assert copied == article
    assert article_from_json(article_to_json(copied)) == article
    assert article_to_json(copied) == article_to_json(article)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_query_sees_every_text_once(article: Article) -> None:
    texts = _texts(article)
    upper = walk_inline(_upper, article)
    assert _texts(upper) == [t.upper() for t in texts]


# --------------------------------------------------------------------------- no catch-alls


def test_no_catch_all_case_in_convert() -> None:
    """Matches over the closed unions are exhaustive: no ``case _:`` nor a bare capture as the last case."""
    found: list[str] = []
    for path in sorted(CONVERT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pattern = node.pattern if isinstance(node, ast.match_case) else None
            if isinstance(pattern, ast.MatchAs) and pattern.pattern is None:
                found.append(f"{path.relative_to(CONVERT.parent)}:{pattern.lineno} case {pattern.name or '_'}:")
    assert not found, "catch-all cases: " + ", ".join(sorted(set(found)))


def test_a_walk_of_an_article_keeps_its_assets() -> None:
    article = Article(Metadata(), (Paragraph((Text("a"),)),), (), (Asset("a.png", "image/png", b"x"),))
    out = walk_inline(lambda node: Text("b") if node == Text("a") else node, article)
    assert out.body == (Paragraph((Text("b"),)),)
    assert out.assets == article.assets
