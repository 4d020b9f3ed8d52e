"""Which rules markdown-it tries where: by the character they can start at, and under the nesting bound.

markdown-it tries every rule of a chain in turn; :mod:`.engine` has its block and
inline rulers try only the rules that can start at a line's first character or at
a character of the text (:func:`_by_first_character`, :func:`_inline_by_character`),
and its block tokenizer open no container past :data:`~.document.MAX_NESTING`
(:func:`_bounded`).  ``tests/test_mdparse_shortcuts.py`` checks that none of this
changes what is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .document import MAX_NESTING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

__all__ = ["BlockRule"]

BlockRule = Callable[["StateBlock", int, int, bool], bool]

#: The first character (after indentation) of a line each block rule can start at; the rules not
#: named here (tables, indented code, setext headings, definition lists, paragraphs) start at any.
_BLOCK_STARTS = {
    "grid_table": "+",
    "fence": "`~",
    "div": ":",
    "math_block": "$",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}

#: The character each inline rule can start at (``text`` starts at any other, and so would a rule not named here).
_INLINE_STARTS = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "sub": "~",
    "emphasis": "*_",
    "sup": "^",
    "math_inline": "$",
    "note_ref": "[",
    "link": "[",
    "span": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
    "attr": "{",
}

#: The block rules that open a container (their content is tokenized again, one level deeper).
_CONTAINER_RULES = ("blockquote", "list", "footnote_def", "deflist", "div")


class _Chain:
    """A ruler as markdown-it's block tokenizer asks one: the same rule chain for every name."""

    def __init__(self, rules: list[BlockRule]) -> None:
        self.rules = rules

    def getRules(self, chain_name: str) -> list[BlockRule]:  # markdown-it's name
        return self.rules


class _Flat:
    """A block tokenizer without the container rules: what the lines past the nesting bound are read by."""

    def __init__(self, rules: list[BlockRule]) -> None:
        self.ruler = _Chain(rules)


def _by_first_character(ruler: Any) -> None:
    """Have each chain of block rules try only the rules a line's first character can start.

    markdown-it tries every rule of a chain in turn at the start of each block and,
    for the chain of rules that end a paragraph, at each of its lines: a dozen calls
    a line, nearly all refused at once.  Each chain becomes one rule that picks, by
    the first character of the line, the rules of the chain (in their order) that
    can start there (:data:`_BLOCK_STARTS`): the same rule matches, after fewer tries.
    """
    chains: dict[str, list[Any]] = {}
    for rule in ruler.__rules__:
        if rule.enabled:
            for name in ("", *rule.alt):
                chains.setdefault(name, []).append(rule)
    characters = sorted({c for starts in _BLOCK_STARTS.values() for c in starts})
    cache: dict[str, list[BlockRule]] = {}
    for name, rules in chains.items():
        anywhere = [r.fn for r in rules if r.name not in _BLOCK_STARTS]
        every = [r.fn for r in rules]
        pick = {
            c: [r.fn for r in rules if r.name not in _BLOCK_STARTS or c in _BLOCK_STARTS[r.name]] for c in characters
        }
        cache[name] = [_first_character_rule(pick, anywhere, every)]
    ruler.__cache__ = cache


def _first_character_rule(
    pick: dict[str, list[BlockRule]], anywhere: list[BlockRule], every: list[BlockRule]
) -> BlockRule:
    def rules_for_line(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        rules = pick.get(state.src[pos], anywhere) if pos < state.eMarks[line] else every
        for rule in rules:  # noqa: SIM110 (a loop: any() over a generator costs more, here on every line)
            if rule(state, line, end, silent):
                return True
        return False

    return rules_for_line


def _inline_by_character(ruler: Any) -> None:
    """The same for the inline rules: at a character, only the rules that can start there are tried."""
    rules = [rule for rule in ruler.__rules__ if rule.enabled]
    anywhere = [r.fn for r in rules if r.name not in _INLINE_STARTS]
    characters = {c for starts in _INLINE_STARTS.values() for c in starts}
    pick = {c: [r.fn for r in rules if r.name not in _INLINE_STARTS or c in _INLINE_STARTS[r.name]] for c in characters}

    def rules_at(state: StateInline, silent: bool) -> bool:
        for rule in pick.get(state.src[state.pos], anywhere):  # noqa: SIM110 (as above)
            if rule(state, silent):
                return True
        return False

    ruler.__cache__ = {"": [rules_at]}


def _bounded(md: MarkdownIt) -> Callable[[StateBlock, int, int], None]:
    """``md.block.tokenize`` with the nesting bound: no container opens past it.

    Containers tokenize their content by calling this again, so the calls on the
    stack count the containers open; where there are :data:`~.document.MAX_NESTING`
    of them already, the lines are read with the container rules left out (a line
    that would open one stays text).  One check a container, where a guard on
    each container rule would run for every line each of them is tried on.
    """
    from markdown_it.parser_block import ParserBlock

    tokenize = md.block.tokenize
    ruler = md.block.ruler
    flat = _Flat([r.fn for r in ruler.__rules__ if r.enabled and r.name not in _CONTAINER_RULES])

    def bounded(state: StateBlock, start: int, end: int) -> None:
        env = state.env
        depth = env.get("depth", 0)  # the containers the lines are in
        env["depth"] = depth + 1
        try:
            if depth < MAX_NESTING:
                tokenize(state, start, end)
                return
            env["too_deep"] = True
            ParserBlock.tokenize(flat, state, start, end)  # type: ignore[arg-type]
        finally:
            env["depth"] = depth

    return bounded
