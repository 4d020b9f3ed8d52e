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

from convert.readers._mdparse import engine, parse_blocks, parse_inlines
from convert.readers._mdparse.states import TOKEN_FIELDS
from convert.readers._mdparse.tokens import Builder

SPEC = Path(__file__).resolve().parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
_DEFAULT_TERMINATORS = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")


def _plain_parser() -> Any:
    """The parser with markdown-it's own rule chains, text runs, steps, rules and states (the nesting bound kept)."""
    from markdown_it.rules_block.paragraph import paragraph
    from markdown_it.rules_core.inline import inline
    from markdown_it.rules_core.normalize import normalize
    from markdown_it.rules_core.text_join import text_join
    from markdown_it.rules_inline.autolink import autolink

    md = engine.markdown_it.__wrapped__()  # a new one, not the shared parser
    md.core.ruler.__rules__[md.core.ruler.__find__("inline")].fn = inline  # every inline through the parser
    md.core.ruler.__rules__[md.core.ruler.__find__("normalize")].fn = normalize  # every text normalised
    md.core.ruler.__rules__[md.core.ruler.__find__("text_join")].fn = text_join  # on every inline token
    md.inline.ruler.__rules__[md.inline.ruler.__find__("autolink")].fn = autolink
    md.block.ruler.__rules__[md.block.ruler.__find__("paragraph")].fn = paragraph
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
