"""query's shortcut for leaves against its general path.

:func:`convert.ir.walk.query` gives a leaf met in a sequence (a text, a rule, ...) to its
function at once, without the recursive call and the match the general path makes; it must
visit the same nodes in the same order: on every fixture article and on random inline trees.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from convert import parse
from convert.ir import walk
from convert.ir.model import (
    Article,
    BlockQuote,
    BulletList,
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Span,
    Strong,
    Text,
    ThematicBreak,
)
from convert.ir.walk import Node

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _visit(node: Node) -> tuple[tuple[str, int], ...]:
    return ((type(node).__name__, id(node)),)


def _both(x: Article, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    quick = walk.query(_visit, x)
    with monkeypatch.context() as m:
        m.setattr(walk, "_QUERY_LEAVES", frozenset())  # every node by the general path
        general = walk.query(_visit, x)
    return quick, general


def _inlines(rng: random.Random, depth: int = 0) -> tuple[Inline, ...]:
    nodes: list[Inline] = []
    for _ in range(rng.randint(0, 4)):
        pick = rng.random()
        if pick < 0.5 or depth > 3:
            nodes.append(rng.choice([Text("a"), LineBreak(), NoteRef("1"), Code("c"), Math("x"), Image("a.png", "")]))
        else:
            inner = _inlines(rng, depth + 1)
            nodes.append(
                rng.choice([Emph(inner), Strong(inner), Link(inner, "https://example.org/"), Span(inner, "en")])
            )
    return tuple(nodes)


def test_random_trees_are_visited_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    for _ in range(2000):
        body = (
            Paragraph(_inlines(rng)),
            ThematicBreak(),
            BlockQuote((Paragraph(_inlines(rng)),)),
            BulletList(((Paragraph(_inlines(rng)),),)),
        )
        article = Article(Metadata(), body, (Note("1", (Paragraph(_inlines(rng)),)),))
        quick, general = _both(article, monkeypatch)
        assert quick == general
        assert len(general) > len(body)


def test_fixture_articles_are_visited_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted((FIXTURES / "transforms").rglob("*.md"))[:60]
    assert paths
    for path in paths:
        article = parse(path.read_bytes(), name=path.name)
        quick, general = _both(article, monkeypatch)
        assert quick == general, path
