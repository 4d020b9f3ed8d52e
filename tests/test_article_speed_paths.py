"""The article reader's short cuts give what the general path gives.

Each short cut (a block the walks would leave alone, a line known to be no row of links, a
sequence that is normal already, a tree of words instead of a list) is compared with the
general path it stands for, on random inputs made of the nodes and characters that matter
and on the transform fixtures.  A gate that let through one case too many or too few would
give a different answer on some of them.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import get_args

import pytest

from convert.ir import text as ir_text
from convert.ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    Emph,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
)
from convert.ir.walk import normalize_inlines, walk_inlines
from convert.readers._mdparse import parse_blocks
from convert.readers.article import bylines, chrome, markers, memo, notes, rights

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# --------------------------------------------------------------------------- random inlines

_WORDS = ["a", " ", "  ", "\n", "\t", "b.", "[1]", " [ ii ]", "[x", "]", "word^2", "^", "|", " | ", "Share", "\u00b7"]


def _text(rng: random.Random) -> Text:
    return Text("".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 3))))


def _inlines(rng: random.Random, depth: int = 0) -> tuple[Inline, ...]:
    nodes: list[Inline] = []
    for _ in range(rng.randint(0, 4)):
        pick = rng.randrange(10 if depth < 2 else 5)
        if pick < 3:
            nodes.append(_text(rng))
        elif pick == 3:
            nodes.append(
                rng.choice([LineBreak(), NoteRef("1"), NoteRef("ii"), Code(rng.choice(["", "x", "[1]"])), Math("")])
            )
        elif pick == 4:
            nodes.append(Image("a.png", rng.choice(["", "alt", "[ii]"])))
        else:
            inner = _inlines(rng, depth + 1)
            target = rng.choice(["#fn1", "#", "https://example.org/share", "https://example.org/p#ii", "mailto:x"])
            kind = rng.choice([Emph, Strong, Superscript, Subscript])
            nodes.append(rng.choice([kind(inner), Link(inner, target), Span(inner, "en")]))
    return tuple(nodes)


def _blocks(rng: random.Random, count: int) -> list[Block]:
    out: list[Block] = []
    for _ in range(count):
        content = normalize_inlines(_inlines(rng)) if rng.random() < 0.7 else _inlines(rng)
        pick = rng.randrange(6)
        if pick < 3:
            out.append(Paragraph(content))
        elif pick == 3:
            out.append(Heading(2, content))
        elif pick == 4:
            out.append(BlockQuote((Paragraph(content),)))
        else:
            out.append(BulletList(((Paragraph(content),), (Heading(3, normalize_inlines(_inlines(rng))),))))
    return out


def _fixture_blocks() -> Iterator[list[Block]]:
    """The blocks of every transform fixture and saved article of the tests, as the parser gives them."""
    for path in sorted((FIXTURES / "transforms").rglob("*.md")):
        yield parse_blocks(path.read_text(encoding="utf-8"), scraper=True).blocks


# --------------------------------------------------------------------------- note markers


def _walk_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make :func:`markers._mark` walk every block (its general path)."""
    monkeypatch.setattr(markers, "_work", lambda block: markers._WALK)


@pytest.mark.parametrize("labels", [{"1": "1", "ii": "ii"}, {"1": "1"}, {"x": "X"}])
def test_marking_skips_only_what_the_walks_leave_alone(labels: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    cases = [_blocks(rng, rng.randint(1, 6)) for _ in range(3000)] + list(_fixture_blocks())
    quick = [markers._mark(blocks, labels) for blocks in cases]
    kinds = {markers._work(block) for blocks in cases for block in blocks}
    assert kinds == {markers._NONE, markers._FLAT, markers._WALK}
    _walk_everything(monkeypatch)
    for blocks, got in zip(cases, quick, strict=True):
        expected = markers._mark(blocks, labels)
        assert got == expected, blocks
        # a block left alone is the very block (what the walks give when nothing changes)
        assert [a is b for a, b in zip(got, blocks, strict=True)] == [
            a is b for a, b in zip(expected, blocks, strict=True)
        ]


def test_a_block_said_to_need_nothing_is_left_alone_by_both_walks() -> None:
    rng = random.Random(12)
    labels = {"1": "1", "ii": "ii", "2": "2"}
    for block in _blocks(rng, 20000):
        if markers._work(block) == markers._NONE:
            assert walk_inlines(lambda c: c, block) is block
            both = markers._mark([block], labels)[0]
            assert both is block, block


# --------------------------------------------------------------------------- chrome


def test_a_line_that_starts_with_words_is_chrome_only_by_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(13)
    lines = [_inlines(rng) for _ in range(6000)]
    lines += [
        (Text(" | "), Link((Text("Share"),), "https://example.org/sharer?u=1")),
        (Text("Share: "), Link((Text("Tweet"),), "https://twitter.com/intent/tweet")),
        (Link((Text("Comment on this page"),), "#"),),
        (Text("Follow us on "), Link((Text("Twitter"),), "https://twitter.com/x")),
        (Text("Subscribe to our newsletter"),),
        (Text("PubMed Abstract | CrossRef Full Text | Google Scholar"),),
    ]
    said = 0
    for line in lines:
        if chrome._starts_with_words(line):
            said += 1
            general = chrome._is_chrome_line(line, nav_row=False)
            assert general == (
                chrome.is_chrome_flat(" ".join(ir_text.plain_text(line).split()))
                or chrome._is_scholarly_row(ir_text.plain_text(line))
            ), line
    assert said > 500
    # and the whole block, with the short cut and without it
    blocks = [Paragraph(normalize_inlines(line)) for line in lines if normalize_inlines(line)]
    for fixture in _fixture_blocks():
        blocks.extend(fixture)
    quick = [chrome._strip_chrome_block(block) for block in blocks]
    monkeypatch.setattr(chrome, "_starts_with_words", lambda line: False)
    assert [chrome._strip_chrome_block(block) for block in blocks] == quick


def test_a_line_that_starts_with_words_is_no_row_of_links() -> None:
    rng = random.Random(16)
    for _ in range(20000):
        line = _inlines(rng)
        if chrome._starts_with_words(line):
            assert not chrome._is_nav_row(line) and not chrome._is_share_links(line), line


def test_a_template_starts_with_one_of_its_first_characters() -> None:
    rng = random.Random(17)
    pieces = ["{% include x %}", "{{ page.title }}", "{{< ref a >}}", "\\toc", "[TOC]", "[[_TOC_]]", "{:toc}"]
    pieces += ["[a]: https://example.org", " ", "\n", "\xa0", "\u3000", "\t", "x", "{", "[", "%}", "a.png"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        if chrome._is_template(text):
            found += 1
            assert text.lstrip()[:1] in chrome._TEMPLATE_FIRST, repr(text)
    assert found > 1000


# --------------------------------------------------------------------------- normalising


def _normalized(content: Iterable[Inline]) -> tuple[Inline, ...]:
    """:func:`normalize_inlines` as it reads without its short cut: every sequence and container made anew."""
    out: list[Inline] = []
    merged: dict[int, list[Inline]] = {}
    texts: list[Text] = []
    for node in content:
        if type(node) is Text:
            texts.append(node)
            continue
        if texts:
            ir_text._end_text_run(texts, out)
        if isinstance(node, Emph | Strong | Superscript | Subscript | Strikeout | SmallCaps):
            inner = _normalized(node.content)
            if inner and type(out[-1] if out else None) is type(node):
                merged.setdefault(len(out) - 1, list(out[-1].content)).extend(inner)  # type: ignore[union-attr]
            elif inner:
                out.append(type(node)(inner))
        elif isinstance(node, Span):
            inner = _normalized(node.content)
            if inner:
                out.append(Span(inner, node.lang, node.dir))
        elif isinstance(node, Link):
            out.append(Link(_normalized(node.content) or (Text(node.target),), node.target, node.title))
        elif not (isinstance(node, Code) and not node.text):
            out.append(node)
    if texts:
        ir_text._end_text_run(texts, out)
    for k, inner_content in merged.items():
        out[k] = type(out[k])(_normalized(inner_content))  # type: ignore[call-arg]
    while out and (isinstance(out[0], LineBreak) or (isinstance(out[0], Text) and not out[0].text.strip(" "))):
        out.pop(0)
    while out and (isinstance(out[-1], LineBreak) or (isinstance(out[-1], Text) and not out[-1].text.strip(" "))):
        out.pop()
    if out and isinstance(out[0], Text) and out[0].text.startswith(" "):
        out[0] = Text(out[0].text.lstrip(" "))
    if out and isinstance(out[-1], Text) and out[-1].text.endswith(" "):
        out[-1] = Text(out[-1].text.rstrip(" "))
    return tuple(out)


def test_a_normal_sequence_is_returned_as_it_is_and_only_then() -> None:
    rng = random.Random(14)
    same = 0
    for _ in range(20000):
        content = _inlines(rng)
        if rng.random() < 0.5:
            content = _normalized(content)  # normal, and so are its containers
        got = normalize_inlines(content)
        assert got == _normalized(content), content
        assert normalize_inlines(got) is got  # what normalising gives is normal
        if got is content:
            same += 1
    assert same > 5000


def test_inline_leaves_are_the_kinds_without_content() -> None:
    kinds = set(get_args(Inline))
    assert {k for k in kinds if "content" not in {f.name for f in dataclasses.fields(k)}} == ir_text.INLINE_LEAVES


# --------------------------------------------------------------------------- notes headings


def test_the_tree_of_heading_words_finds_what_the_list_of_them_finds() -> None:
    words = notes._HEADING_FIRST_WORDS
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
    tree = re.compile(notes._FIRST_WORDS)
    rng = random.Random(15)
    pieces = [*words, *(w[: len(w) // 2] for w in words), " ", ".", "x", "\u00df"]
    texts = [w[:k] + tail for w in words for k in range(len(w) + 1) for tail in ("", "x", " ")]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(20000)]
    for text in texts:
        for pos in range(min(len(text), 12) + 1):
            assert bool(plain.match(text, pos)) == bool(tree.match(text, pos)), (text, pos)


# --------------------------------------------------------------------------- credit lines


def _credit_like(rng: random.Random) -> str:
    """A sentence like a cross-post credit, or one of its near misses (a part left out, in capitals, spelled oddly)."""
    parts = [
        rng.choice(["This ", "the ", "THE ", "Th\u0130s ", ""]),
        rng.choice(["post ", "article ", "STORY ", "text ", "page "]),
        rng.choice(["was ", "has been ", ""]),
        rng.choice(["originally ", "first ", ""]),
        rng.choice(["published ", "posted ", "appeared ", "po\u017fted ", "PUBLI\u017fHED ", "reposted ", "seen "]),
        rng.choice(["on ", "in ", "by ", "at ", "for "]),
        rng.choice(["[Example](https://example.org) ", "Example Review ", ""]),
        rng.choice(["by ", "BY ", "by", "\u0432y ", ""]),
        rng.choice(["Jane Doe", "J", ".", ""]),
    ]
    if rng.random() < 0.3:
        del parts[rng.randrange(len(parts))]
    return "".join(parts)


def test_a_credit_sentence_has_the_words_of_the_quick_test() -> None:
    rng = random.Random(18)
    found = 0
    for _ in range(30000):
        text = _credit_like(rng)
        if bylines._credit_sentence().search(text):
            found += 1
            assert bylines._may_credit(text), text
    assert found > 300


# --------------------------------------------------------------------------- rights lines


def test_a_flat_line_is_classified_as_the_line_is() -> None:
    rng = random.Random(19)
    pieces = ["Copyright ", "\u00a9 ", "2019", " ", "  ", "\n", "\t", "\xa0", "*", "_", "Jane Doe", "CC BY 4.0", ". "]
    pieces += ["Disclaimer: ", "The views expressed are the author's own", "licensed under ", "fair use", "x"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        flat = memo.collapse(text)
        assert " ".join(flat.split()) == flat  # nothing left for classify_line to collapse
        assert rights._classify_flat(flat) == rights.classify_line(flat), repr(text)


def test_wide_characters_are_counted_as_one_by_one() -> None:
    rng = random.Random(20)
    edges = "a\u00e9\u2019\u201c\u2e7f\u2e80\u2fff\u3000\u6f22\uac00\uffff\U00010000\U0010ffff\ud800\udfff\x00"
    for _ in range(20000):
        text = "".join(rng.choice(edges) for _ in range(rng.randint(0, 8)))
        assert memo.wide_count(text) == sum(1 for ch in text if ch >= "\u2e80"), repr(text)


def test_emphasis_markers_are_dropped_as_their_patterns_drop_them() -> None:
    """A text without ``*`` or ``_`` skips the search of an emphasis pattern: the same text."""
    from convert.readers.article import header_lines, titles

    patterns = (bylines._EMPHASIS, titles._EMPHASIS, header_lines._EMPHASIS_WRAPPER)
    rng = random.Random(21)
    for _ in range(20000):
        text = "".join(rng.choice("ab *_\n]([") for _ in range(rng.randint(0, 8)))
        for pattern in patterns:
            assert memo.unemphasised(pattern, text) == pattern.sub("", text), repr(text)


def _fixture_lines() -> Iterator[str]:
    """The flat text of every paragraph of the transform fixtures."""
    for blocks in _fixture_blocks():
        for block in blocks:
            if isinstance(block, Paragraph):
                yield memo.flat_text(block.content)


def _rights_like(rng: random.Random, pieces: list[str]) -> str:
    """Phrases of rights lines and their parts, in any case, with letters a case-insensitive match folds."""
    parts = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
    text = "".join(part.upper() if rng.random() < 0.2 else part for part in parts)
    if text and rng.random() < 0.2:  # a letter only a case-insensitive match takes for another one
        i = rng.randrange(len(text))
        text = text[:i] + {"s": "\u017f", "i": "\u0131", "k": "\u212a"}.get(text[i].lower(), text[i]) + text[i + 1 :]
    return text


_DISCLAIMER_PIECES = [
    "The views expressed ", "Views and opinions expressed", "are my own", "do not necessarily reflect the views",
    "does not represent the official", "does not imply endorsement", "neither endorses nor guarantees",
    'provided "as is"', "disclaims all warranties", "for informational purposes only", "is not legal advice",
    "not responsible for the content of external", "мнение автора не совпадает", "opinions ", "views ", ": ",
    " ", "x", "own", "Note: ", "is ", "expressed", "\u2019s", "Views are my", "opinions are mine",
]  # fmt: skip


def test_a_disclaimer_phrase_is_found_where_every_phrase_searched_finds_it() -> None:
    """Each phrase searched where its word is (its other words, looked for first, skip none the patterns find)."""
    patterns = [(word, re.compile(pattern, re.I)) for word, pattern in rights._DISCLAIMER_PHRASES]

    def general(text: str) -> int:
        fold = memo.folded(text)
        return min((m.start() for word, p in patterns if word in fold and (m := p.search(text))), default=-1)

    rng = random.Random(22)
    found = 0
    for text in [*(_rights_like(rng, _DISCLAIMER_PIECES) for _ in range(20000)), *_fixture_lines()]:
        expected = general(text)
        found += expected >= 0
        assert rights._disclaimer_at(text) == expected, repr(text)
        assert rights._disclaimer_at(text, text.lower()) == expected, repr(text)
    assert found > 2000


_PUBLIC_DOMAIN_PIECES = [
    "placed in the public domain", "is in the ", "PUBLIC ", "public", " domain", "domaine public", "Gemeinfrei",
    "dominio público", "dominio publico", "общественное достояние", "has been dedicated to the public domain",
    "released into the public domain", " ", "x", "domain",
]  # fmt: skip


def test_a_public_domain_line_is_found_where_the_pattern_finds_it() -> None:
    rng = random.Random(23)
    found = 0
    for text in [*(_rights_like(rng, _PUBLIC_DOMAIN_PIECES) for _ in range(20000)), *_fixture_lines()]:
        expected = bool(rights._PUBLIC_DOMAIN.search(text))
        found += expected
        assert rights._public_domain(text, text.lower()) == expected, repr(text)
    assert found > 2000


# --------------------------------------------------------------------------- MDX comments

_MDX_PIECES = [
    "{/* a comment */}", "{/*id*/}", "{/", "/}", "{/* open", "*/}", "word", " ", "*em*", "[link {/*x*/}](#a)",
    "\n\n", "\n", "- ", "1. ", "> ", "## ", "---", "```\n{/* code */}\n```", "| a |\n|---|\n| {/*c*/} |",
    "    ", "<sup>{/*s*/}</sup>",
]  # fmt: skip


def _mdx_like(rng: random.Random) -> str:
    return "".join(rng.choice(_MDX_PIECES) for _ in range(rng.randint(1, 14)))


def test_mdx_comments_are_dropped_as_the_walks_of_the_whole_text_drop_them() -> None:
    """A block said to be left alone (no ``{/`` in its texts, no empty paragraph inside) is left alone by the walks."""
    from convert.ir.walk import walk_blocks
    from convert.readers.article import mdx
    from convert.readers.article.draft import Draft

    def general(blocks: list[Block]) -> list[Block]:
        return list(walk_blocks(mdx._not_empty, walk_inlines(mdx._without_comments, tuple(blocks))))

    rng = random.Random(24)
    cases = [parse_blocks(_mdx_like(rng), scraper=True).blocks for _ in range(3000)]
    for _ in range(3000):  # random trees, with empty paragraphs and comments inside
        blocks = _blocks(rng, rng.randint(0, 4))
        if rng.random() < 0.5:
            inner = (Paragraph(()), Paragraph((Text(rng.choice(["{/* c */}", "a {/*b*/}", "x"])),)))
            blocks.append(rng.choice([BlockQuote(inner), BulletList((inner,)), BulletList(((), inner))]))
        if rng.random() < 0.3:
            blocks.append(Paragraph((Emph((Strong((Text("a {/* b */}"),)),)),)))
        cases.append(blocks)
    changed = 0
    for blocks in [*cases, *_fixture_blocks()]:
        draft = Draft(None, list(blocks))
        mdx.drop_mdx_comments(draft)
        expected = general(blocks)
        assert draft.blocks == expected, blocks
        changed += expected != list(blocks)
    assert changed > 1000


# --------------------------------------------------------------------------- note markers in a text


def test_note_markers_are_matched_where_the_search_of_their_pattern_finds_them() -> None:
    """The pattern tried at each bracket and caret finds the matches its search finds (the caret's lookbehind too)."""
    rng = random.Random(25)
    alphabet = [*"ab .,)[]^1 2\n\t\u2019\u00e9", "iv", " [", "] ", "^12", "[1]", "[ ii ]", "word^3", "[[2]", "x^^1"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(30000)]
    texts += [node.text for blocks in _fixture_blocks() for b in blocks for node in _texts_of(b)]
    found = 0
    for text in texts:
        expected = [(m.start(), m.end(), m.groups()) for m in markers._MARKER.finditer(text)]
        found += len(expected)
        assert [(m.start(), m.end(), m.groups()) for m in markers._matches(text)] == expected, repr(text)
    assert found > 20000


def _texts_of(block: Block) -> Iterator[Text]:
    from convert.ir.text import block_inlines, iter_inlines

    for content in block_inlines(block):
        yield from (node for node in iter_inlines(content) if isinstance(node, Text))
