"""Which rules markdown-it tries where: by the character they can start at, and under the nesting bound.

markdown-it tries every rule of a chain in turn; :mod:`.engine` has its block and
inline rulers try only the rules that can start at a line's first character or at
a character of the text (:func:`_by_first_character`, :func:`_inline_by_character`),
and its block tokenizer open no container past :data:`~.document.MAX_NESTING`
(:func:`_bounded`).  A line before a blank one is not offered to the rules that
need the next line (tables, setext headings, definition lists without their
marker), and the inline post-processing pairs delimiters only in a text that can
have some (:func:`_delimiters_where_marked`).  ``tests/test_mdparse_shortcuts.py``
checks that none of this changes what is read.
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
        # the same before a blank line (or none): a table and a setext heading need a second line;
        # and without a definition list when no ``:`` or ``~`` marker follows (see ``rules_for_line``)
        before_blank = [
            _lheading_refused if r.name == "lheading" else r.fn
            for r in rules
            if r.name not in _BLOCK_STARTS and r.name != "table"
        ]
        definitions = next((r.fn for r in rules if r.name == "deflist"), None)
        no_definition = [rule for rule in before_blank if rule is not definitions]
        every = [r.fn for r in rules]
        pick = {
            c: [r.fn for r in rules if r.name not in _BLOCK_STARTS or c in _BLOCK_STARTS[r.name]] for c in characters
        }
        cache[name] = [_first_character_rule(pick, anywhere, (before_blank, no_definition), every)]
    ruler.__cache__ = cache


_DEFINITION_MARKERS = (":", "~")


def _lheading_refused(state: StateBlock, line: int, end: int, silent: bool) -> bool:
    """What markdown-it's ``lheading`` rule does at a line before a blank one (or the end): refuse.

    It first sets ``state.parentType`` to ``"paragraph"`` (unless the line is indented code),
    and leaves it so; done here too, so that the state is the same after as with the rule itself.
    """
    if not state.is_code_block(line):
        state.parentType = "paragraph"
    return False


def _first_character_rule(
    pick: dict[str, list[BlockRule]],
    anywhere: list[BlockRule],
    before_blank: tuple[list[BlockRule], list[BlockRule]],
    every: list[BlockRule],
) -> BlockRule:
    with_definition, no_definition = before_blank

    def rules_for_line(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        if pos >= state.eMarks[line]:
            rules = every
        else:
            rules = pick.get(state.src[pos])  # type: ignore[assignment]
            if rules is None:
                after = line + 1  # most paragraphs are one line before a blank one: see ``before_blank``
                if after < end and state.bMarks[after] + state.tShift[after] < state.eMarks[after]:
                    rules = anywhere
                else:
                    # a definition list's term has its ``:`` or ``~`` marker after one blank line; asked
                    # silently (may this line end a paragraph?), the rule wants the marker on this very line,
                    # whose first character is none of those ``pick`` holds, ``:`` and ``~`` among them
                    marker = after + 1
                    definition = (
                        not silent
                        and marker < end
                        and state.src.startswith(_DEFINITION_MARKERS, state.bMarks[marker] + state.tShift[marker])
                    )
                    rules = with_definition if definition else no_definition
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


#: The post-processing rules that pair delimiters and read them (delimiters: the ``*``, ``_`` and ``~``
#: runs the ``emphasis`` and ``strikethrough`` rules find; no other rule in use makes any).
_DELIMITER_RULES = ("balance_pairs", "strikethrough", "emphasis")


def _delimiters_where_marked(ruler2: Any) -> None:
    """markdown-it's inline post-processing, its delimiter rules run on a text that can have delimiters only.

    Every inline text runs the whole chain (pairing delimiters, then emphasis and strikethrough
    made of the pairs, then adjacent texts joined); delimiters are made only at ``*``, ``_``
    and ``~``, so a text without any has the joining step alone.
    """
    rules = ruler2.getRules("")
    joining = [r.fn for r in ruler2.__rules__ if r.enabled and r.name not in _DELIMITER_RULES]

    def post_process(state: StateInline) -> None:
        src = state.src
        marked = "*" in src or "_" in src or "~" in src
        for rule in rules if marked else joining:
            rule(state)

    ruler2.__cache__ = {"": [post_process]}


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
