"""The Markdown parser's shortcuts read every text as markdown-it's own rule order does.

The parser tries, at each line and at each character, only the rules that can
start there, stops its text runs at fewer characters, and reads a text with no
markup character without markdown-it: each is checked against the parser
without it, on CommonMark's examples and on random text made of markup.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token

from convert.readers._mdparse import MAX_NESTING, engine, parse_blocks, parse_inlines
from convert.readers._mdparse.states import TOKEN_FIELDS
from convert.readers._mdparse.tokens import Builder

SPEC = Path(__file__).resolve().parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
_DEFAULT_TERMINATORS = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")


def _plain_parser() -> Any:
    """The parser with markdown-it's own rule chains, text runs, steps, rules and states (the nesting bound kept)."""
    from markdown_it.rules_block.list import list_block
    from markdown_it.rules_block.paragraph import paragraph
    from markdown_it.rules_core.inline import inline
    from markdown_it.rules_core.normalize import normalize
    from markdown_it.rules_core.text_join import text_join
    from markdown_it.rules_inline.autolink import autolink

    shortcut = engine.simple_link
    engine.simple_link = lambda rule, terminators: rule  # type: ignore[assignment]  # markdown-it's link rule
    try:
        md = engine.markdown_it.__wrapped__()  # a new one, not the shared parser
    finally:
        engine.simple_link = shortcut
    md.core.ruler.__rules__[md.core.ruler.__find__("inline")].fn = inline  # every inline through the parser
    md.core.ruler.__rules__[md.core.ruler.__find__("normalize")].fn = normalize  # every text normalised
    md.core.ruler.__rules__[md.core.ruler.__find__("text_join")].fn = text_join  # on every inline token
    md.inline.ruler.__rules__[md.inline.ruler.__find__("autolink")].fn = autolink
    md.block.ruler.__rules__[md.block.ruler.__find__("paragraph")].fn = paragraph
    md.block.ruler.__rules__[md.block.ruler.__find__("list")].fn = list_block
    md.core.ruler.__cache__ = None
    md.block.ruler.__cache__ = None  # compiled again from the rules, in their order
    md.inline.ruler.__cache__ = None
    md.inline.ruler2.__cache__ = None  # every post-processing rule on every text
    md.inline.terminator_re = _DEFAULT_TERMINATORS
    del md.block.parse, md.inline.parse  # markdown-it's own states and tokens
    return md


def _texts() -> list[str]:
    rnd = random.Random(11)
    alphabet = "ab c-:@#%+=}{>*_[]!()<&~^$`\\\n\t|.'\"/1+"
    texts = [example["markdown"] for example in json.loads(SPEC.read_text(encoding="utf-8"))]
    for _ in range(400):
        texts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 60))))
    for _ in range(100):
        lines = ("".join(rnd.choice(alphabet + "   >>--**::") for _ in range(rnd.randint(0, 24))) for _ in range(8))
        texts.append("\n".join(lines))
    texts += [
        "[a]: http://a.example/\n\nsee [a] and [b], [a][] and [a][b]",
        "text [1] more[2] and [iv].\n\nA [ii] b (c) [3]: d",
        "[x]{.c} and [y] [^1] z\n\n[^1]: note [i]",
        "[[i]] ][ [] [ ] a]b[c",
        "[t](u) [i]",
    ]
    for _ in range(300):  # brackets among plain text: note markers, or links after all
        texts.append("".join(rnd.choice("ab c[]():^{.1") for _ in range(rnd.randint(1, 40))))
    texts += ["> " * 40 + "deep", "\n".join("  " * i + "- x" for i in range(40)), "::: a\n" * 40 + "text"]
    pool = ["Term", "Term *b*", "", "", ": def", "~ def", "  : def", "    : code"]
    pool += [":no", "- item", "  more", "> q", "a | b"]
    for _ in range(300):  # definition lists (a blank line may come between a term and its definition)
        texts.append("\n".join(rnd.choice(pool) for _ in range(rnd.randint(1, 8))))
    texts += ["[<http://a.b](c)>", "^<http://a^>b", "[a <b:c> d](e)"]
    labels = ("", "a", "a b", "*a*", "a]b", "[a]", "a\\]", "a\\", "`a]`", "<b>", "a&amp;", "ä", "a\n", "^1")
    addresses = ("", "#", "u", "a b", "(u)", "u(v)", "<u>", "u\\)", "&amp;", "a\u00a0b", "u\x7f", "u\n", "u 't'")
    for _ in range(600):  # links: the short cut's and the rule's own
        link = "[" + rnd.choice(labels) + "](" + rnd.choice(addresses) + rnd.choice(("", ")", " )", "\n)"))
        texts.append(rnd.choice(("", "x ", "*", "[", "![")) + link + rnd.choice(("", " y", "{.c}", "*", "]", "(v)")))
    pieces = ("a b", " ", ".", "é", "(", ")", "&", "{", "*", "]", "[", "<", ">", "\n", "x_y")
    pieces += ("[a](u)", "[](u)", "[a b](http://x.y/_z~*)", "[a](<u>)", "[a](u 't')", "[*a*](u)", "[a](u){.c}")
    pieces += ("<http://a.b/c>", "<a@b.co>", "<x:y>", "<a b>", "<http://a<b>", "<>", "<b>", "<1:a>", "<mailto:a@b.co>")
    pieces += ("[ i ]", "[a]", "[a] (u)", "[a][b]", "[a][]", "  \n", " \n", "\n  ", "\t", "[a]: u\n")
    pieces += ("*a*", "**a**", "*a b*", "**a:**", "*a.*", "*é*", "*1*", "*a_*", "***a***", "*a", "a*", "**")
    pieces += (":", "?", "-")
    pieces += ("*a *", "* a*", "**a*", "*a**", "__a__", "*a!*", "*(a)*", "*a)*", "'", "\u00a0", "\u3000", "*a\u00a0*")
    for _ in range(600):  # texts of links among plain runs: the short cut's, and near misses
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8)))
        texts.append(rnd.choice(("", "", "[a]: http://r.example\n\n")) + text)  # a definition: ``[a]`` is a link
    items = ["- a", "- b c", "* a", "+ a", "1. a", "2. b", "1) a", "07. a", "1234567890. a", " - a", "   - a"]
    items += ["    - a"]
    items += ["-  a", "- ", "-", "- - -", "- *a*", "- [x] a", "- # h", "- > q", "- 1. a", "-\ta", "\t- a", "- a  "]
    items += ["* * *", "- \u00a0", "- a\u00a0", "2) b", "- ~a", "- :a", "- |a|", "- a | b", "- <b>", "- `a`"]
    items += ["- a\x1c", "- a\u3000", "- a\u2028", "- \u2003a", "- \ta", "- \t\ta", "-  \t a"]
    items += ["- *a*: b", "- **a**", "- *a", "- * a", "- *", "- **", "- ***", "- -a", "- --", "- _a_", "- __"]
    items += ["- #a", "- #"]
    items += ["- 1990 a", "- 1. a", "- 1) a", "- 12.a", "- 1", "- 123456789) a", "- [a](u)", "- [a]: u", "- [^1]: x"]
    items += ["- [a] b", "- [a]:b", "- [a] [b]: c", "- [", "- +a", "- ##a b", "- #\u00e9", "- *\u00e9*", "- 1\u0661."]
    items += ["- ___", "- _1", "- **_", "- *_*", "- -_-", "- ---", "- #_"]
    for depth in range(MAX_NESTING - 2, MAX_NESTING + 2):  # a list where its items' blocks are read flat
        texts.append("::: d\n" * depth + "- a\n- b\n\n| > x | y |\n|---|---|\n| > z | w |\n")
    markers = ("-", "*", "+", "1.", "2)", " -", "   1.")
    for marker in markers:  # a list, a blank line, then what may go on with it or not
        for follow in (*markers, "", "x", " x", "  x", "   x", "    x", "\tx", "- - -", ": x", "> x"):
            texts.append(f"{marker} a\n{marker} b\n\n{follow} c")
            texts.append(f"{marker} a\n\n\n{follow} c\n")
    others = ["", "", "", "  more", "   more", "text", ": d", "~ d", "> q", "::: d", ":::", "---", "===", "a | b"]
    others += ["[^1]: n"]
    for _ in range(800):  # lists: one line an item (the short cut's), and near misses
        lines = [rnd.choice(items if rnd.random() < 0.7 else others) for _ in range(rnd.randint(1, 9))]
        prefix = rnd.choice(("", "", "", "text\n", "text\n\n", "> ", "::: d\n", "[^1]: ", "- x\n  "))
        prefix += "::: d\n" * rnd.choice((0, 0, 0, MAX_NESTING - 2, MAX_NESTING - 1, MAX_NESTING))  # near the bound
        texts.append(prefix + "\n".join(lines))
    for _ in range(300):  # autolinks, line ends, NULs, delimiters
        parts = ("<http://a.b/c>", "<a@b.co>", "<x:y", "<<", ">", "<a b>", "\r\n", "\r", "\0", "_", "*", "~~", " ", "w")
        texts.append("".join(rnd.choice(parts) for _ in range(rnd.randint(1, 16))))
    return texts


def _blocks(md: object, text: str, scraper: bool) -> object:
    builder = Builder(scraper)
    blocks, _ = builder.blocks(md.parse(text, {"scraper": scraper}))  # type: ignore[attr-defined]
    return blocks, builder.footnotes


@pytest.mark.parametrize("scraper", [False, True])
def test_rule_shortcuts_change_nothing(scraper: bool) -> None:
    plain = _plain_parser()
    for text in _texts():
        assert parse_blocks(text, scraper=scraper).blocks == _blocks(plain, text, scraper)[0], text


def test_plain_text_is_read_without_the_parser() -> None:
    md = _plain_parser()
    rnd = random.Random(5)
    plain = "ab  c\tdé-:@#%+=}>()|.'\"/1😀\u00a0"
    for k in range(3000):
        alphabet = plain if k % 2 else "ab c" + rnd.choice("_*`[]<&\\~^$!{\r\n\0") * 3  # one markup character
        if k % 3 == 0:
            alphabet = plain + "[]" * 4  # brackets: plain unless they make a link, span or note
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        tokens = md.parseInline(text, {"scraper": False})
        expected = Builder(False).inlines(tokens[0].children or []) if tokens else ()
        assert parse_inlines(text) == expected, text
    pieces = ("a", " ", ";", "&", "&amp;", "&#38;", "&#x26;", "&amp", "&ampx;", "&#;", "&nbsp;", "&copy;", "#", "x")
    for _ in range(3000):  # ampersands: plain unless they make an entity
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        tokens = md.parseInline(text, {"scraper": False})
        expected = Builder(False).inlines(tokens[0].children or []) if tokens else ()
        assert parse_inlines(text) == expected, text


@pytest.mark.parametrize("scraper", [False, True])
def test_the_same_tokens(scraper: bool) -> None:
    """Token by token, field by field (``==`` on markdown-it's dataclass, children included)."""
    plain = _plain_parser()
    fast = engine.markdown_it()
    for text in _texts():
        assert fast.parse(text, {"scraper": scraper}) == plain.parse(text, {"scraper": scraper}), text
        assert fast.parseInline(text, {"scraper": scraper}) == plain.parseInline(text, {"scraper": scraper}), text


def test_every_token_field_is_set() -> None:
    assert tuple(field.name for field in fields(Token)) == TOKEN_FIELDS


@pytest.mark.parametrize("chain", ["", "paragraph"])
def test_the_same_state_after_each_line(chain: str) -> None:
    """At every line, a rule chain matches or not as markdown-it's does, and leaves the same state behind."""
    from markdown_it.rules_block import StateBlock

    plain, fast = _plain_parser(), engine.markdown_it()
    for text in _texts()[::3]:
        for silent in (False, True):
            line = 0
            while True:
                after = []
                for md in (plain, fast):
                    state = StateBlock(text, md, {"scraper": False}, [])
                    if line >= state.lineMax:
                        break
                    matched = any(rule(state, line, state.lineMax, silent) for rule in md.block.ruler.getRules(chain))
                    after.append((matched, state.line, state.parentType, state.level, state.tokens))
                if not after:
                    break
                assert after[0] == after[1], (text, line, silent)
                line += 1


def test_a_paragraph_of_one_text_is_read_as_the_general_path_reads_it() -> None:
    """A paragraph whose only child is a text skips the look for a lone image or formula: the same block."""
    from convert.readers._mdparse.states import text_token

    rnd = random.Random(7)
    texts = ["", " ", "\t", "  \n ", "a", " a ", "a  b", "a\nb"]
    texts += ["".join(rnd.choice("ab \t\n.") for _ in range(rnd.randint(0, 12))) for _ in range(500)]
    for text in texts:
        alone = Builder(False).paragraph([text_token(text)])
        # an empty text after it changes nothing but the path taken: the general one
        general = Builder(False).paragraph([text_token(text), text_token("")])
        assert alone == general, text


@pytest.mark.parametrize("scraper", [False, True])
def test_texts_and_links_are_built_as_the_general_path_builds_them(scraper: bool) -> None:
    """Children of texts, line breaks and links are read without the stack of open containers: the same nodes."""
    fast = engine.markdown_it()
    read = 0
    for text in _texts():
        for token in fast.parse(text, {"scraper": scraper}):
            children = token.children or []
            if token.type != "inline" or len(children) < 2:
                continue
            builder = Builder(scraper)
            read += builder.linked(children) is not None
            assert builder.inlines(children) == builder.marked(children, 0), text
    assert read > 300  # (the short cut is taken)
