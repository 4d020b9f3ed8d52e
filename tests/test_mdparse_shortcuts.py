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
from pathlib import Path

import pytest

from convert.readers._mdparse import engine, parse_blocks, parse_inlines
from convert.readers._mdparse.tokens import Builder

SPEC = Path(__file__).resolve().parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
_DEFAULT_TERMINATORS = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")


def _plain_parser() -> object:
    """The parser with markdown-it's own rule chains, text runs and inline step (the nesting bound kept)."""
    from markdown_it.rules_core.inline import inline

    md = engine.markdown_it.__wrapped__()  # a new one, not the shared parser
    md.core.ruler.__rules__[md.core.ruler.__find__("inline")].fn = inline  # every inline through the parser
    md.core.ruler.__cache__ = None
    md.block.ruler.__cache__ = None  # compiled again from the rules, in their order
    md.inline.ruler.__cache__ = None
    md.inline.terminator_re = _DEFAULT_TERMINATORS
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
