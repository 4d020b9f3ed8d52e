"""normalize_inlines' quick look (is a sequence normal already?) against its general path.

:func:`convert.ir.text.normalize_inlines` first looks at each node of a sequence to tell whether
building it anew would give back the very same nodes; only when it cannot tell does it build.
The look must say "normal" only when the general path (:func:`convert.ir.text._normalize`)
gives back the very nodes, and the two must agree on every sequence: random ones made of
what normalising changes, and every sequence of the fixtures.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from convert.ir import text as ir_text
from convert.ir.model import (
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
)
from convert.ir.text import block_inlines, iter_inlines, normalize_inlines
from convert.readers._mdparse import parse_blocks

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: Texts with every case normalising looks for: empty, blank, runs of blanks, newlines, tabs, spaces at the ends.
_TEXTS = ["", " ", "  ", "a", "a b", " a", "a ", "a  b", "a\nb", "\n", "\t", "x\ty", "[1]", "\u00e9", "a\u00a0"]
_CONTAINERS = (Emph, Strong, Strikeout, Superscript, Subscript, SmallCaps)


def _inlines(rng: random.Random, depth: int = 0) -> list[Inline]:
    nodes: list[Inline] = []
    for _ in range(rng.randint(0, 4)):
        pick = rng.random()
        if pick < 0.45 or depth > 3:
            nodes.append(Text(rng.choice(_TEXTS) if rng.random() < 0.5 else "w"))
        elif pick < 0.6:
            nodes.append(rng.choice([LineBreak(), NoteRef("1"), Code(""), Code("c"), Math("x"), Image("a.png", "")]))
        else:
            inner = tuple(_inlines(rng, depth + 1))
            kind = rng.choice([*_CONTAINERS, Link, Span])
            if kind is Link:
                nodes.append(Link(inner, "https://example.org/", ""))
            elif kind is Span:
                nodes.append(Span(inner, "en", ""))
            else:
                nodes.append(kind(inner))  # type: ignore[abstract]
    if nodes and rng.random() < 0.4:  # a run of one container kind: adjacent ones merge
        nodes.append(type(nodes[-1])(*_fields(nodes[-1])))
    return nodes


def _fields(node: Inline) -> tuple[object, ...]:
    return tuple(getattr(node, name) for name in node.__dataclass_fields__)  # type: ignore[attr-defined]


def _positions(out: tuple[Inline, ...], given: tuple[Inline, ...] | list[Inline]) -> list[int | None]:
    """For each node of ``out``, the index of the very node of ``given`` it is (None: a node made anew)."""
    where = {id(node): i for i, node in enumerate(given)}
    return [where.get(id(node)) for node in out]


def _agree(given: tuple[Inline, ...] | list[Inline]) -> bool:
    """Whether the quick look and the general path give the same sequence, keeping the same given nodes."""
    quick = normalize_inlines(given)
    general = ir_text._normalize(given)
    return (
        type(quick) is tuple
        and quick == general
        and (quick is given) == (general is given)
        and _positions(quick, given) == _positions(general, given)
    )


def test_the_quick_look_agrees_with_the_general_path_on_random_sequences() -> None:
    rng = random.Random(2026)
    normal = changed = 0
    for _ in range(15000):
        nodes = _inlines(rng)
        for given in (tuple(nodes), nodes):
            assert _agree(given), given
        if ir_text.is_normal(tuple(nodes)):
            normal += 1
            # said to be normal: the general path gives back the very nodes
            assert _positions(ir_text._normalize(tuple(nodes)), nodes) == list(range(len(nodes))), nodes
        elif ir_text._normalize(tuple(nodes)) != tuple(nodes):
            changed += 1
    assert normal > 1500 and changed > 1500  # both paths taken often


def test_the_quick_look_says_normal_only_when_the_general_path_keeps_every_node() -> None:
    rng = random.Random(12)
    for _ in range(15000):
        nodes = tuple(_inlines(rng))
        kept = ir_text._normalize(nodes) is nodes
        assert not ir_text.is_normal(nodes) or kept, nodes
        if kept and all(type(node) in ir_text.INLINE_LEAVES for node in nodes):
            assert ir_text.is_normal(nodes), nodes  # a normal sequence of leaves is always seen to be one


def _fixture_sequences() -> Iterator[tuple[Inline, ...]]:
    for path in sorted(FIXTURES.rglob("*.md")):
        for block in parse_blocks(path.read_text(encoding="utf-8", errors="replace"), scraper=True).blocks:
            for content in block_inlines(block):
                yield content
                for node in iter_inlines(content):
                    inner = getattr(node, "content", None)
                    if inner is not None:
                        yield inner


def test_the_quick_look_agrees_with_the_general_path_on_the_fixtures() -> None:
    seen = 0
    for content in _fixture_sequences():
        seen += 1
        assert _agree(content), content
        assert _agree(list(content)), content
        words = [Text(" "), *content, Text(" ")]  # the same with blanks to trim at its ends
        assert _agree(words), content
    assert seen > 500


def test_a_deep_nest_is_looked_at_once_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    """The look goes one level into a container, no deeper: a deep nest costs it one look per level."""
    looks = 0
    look = ir_text.is_normal

    def counted(inlines: tuple[Inline, ...] | list[Inline], levels: int = 1) -> bool:
        nonlocal looks
        looks += 1
        return look(inlines, levels)

    monkeypatch.setattr(ir_text, "is_normal", counted)
    depth = 150
    nest: tuple[Inline, ...] = (Text("a  b"),)  # not normal: every level is built anew
    for level in range(depth):
        nest = ((Emph if level % 2 else Strong)(nest),)
    assert normalize_inlines(nest) != nest
    assert looks <= 3 * depth


def test_what_is_no_inline_is_refused_as_before() -> None:
    with pytest.raises(AssertionError):
        normalize_inlines((object(),))  # type: ignore[arg-type]
