"""markdown-it's own rules and steps, made cheaper where they can change nothing.

Each function here takes markdown-it's rule or core step and gives one that makes the same tokens
with less work on the inputs most articles are made of: the paragraph rule without its loop after
a one-line paragraph, a list of one-line items at once, ``normalize`` only on text with a ``\\r``
or NUL, the autolink scan in one search, ``text_join`` only on the inline tokens it can change.
(Links, and the tokens of a text of plain runs, simple links and emphases made without the inline
tokenizer: :mod:`.inline_shortcuts`.)  ``tests/test_mdparse_shortcuts.py`` checks token for token
that none of them changes what markdown-it makes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convert.recache import compile as recompile

from .dispatch import BlockRule

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

__all__ = [
    "autolink_rule",
    "join_where_needed",
    "normalize_when_needed",
    "one_line_paragraph",
    "simple_list",
]

InlineRule = Callable[["StateInline", bool], bool]

_ANGLE = recompile("[<>]")


def one_line_paragraph(rule: BlockRule) -> BlockRule:
    """markdown-it's paragraph rule (``rule``), made short for a line before a blank one (or the last).

    Most paragraphs are such a line; for them this is the rule's own code less its loop over the
    lines that follow (there are none): the same tokens, ``state.parentType`` left as it was.
    """
    from markdown_it.common.utils import mdTrim

    def paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        after = start + 1  # markdown-it's paragraph runs to a blank line or to ``lineMax`` (not ``end``)
        if after < state.lineMax and state.bMarks[after] + state.tShift[after] < state.eMarks[after]:
            return rule(state, start, end, silent)
        content = mdTrim(state.getLines(start, after, state.blkIndent, False))
        state.line = after
        token = state.push("paragraph_open", "p", 1)
        token.map = [start, after]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start, after]
        token.children = []
        state.push("paragraph_close", "p", -1)
        return True

    return paragraph


def simple_list(rule: BlockRule, block_starts: str) -> BlockRule:
    """markdown-it's ``list`` rule (``rule``), made short for the commonest list: one line an item, then a blank line.

    That is, at the top level (no list or quote open, lines read from their start): lines one after the
    other, each a marker (the same ``-``, ``*`` or ``+``, or a number and the same ``.`` or ``)``)
    then one space and a text that starts no block (a first character none of ``block_starts``,
    or one of them that what follows makes text), all indented alike (under four spaces, no tab);
    after the last, a blank line
    (or the end), and the next line not indented to the items' text and starting with no list
    marker.  markdown-it reads each item as a paragraph that the next item's
    marker ends (the last one: the blank line), the list as tight, and ends the list at the next
    line that is not blank; this makes those tokens, each field as the rule sets it, without the
    rule's calls of the block tokenizer and the paragraph rule for every item.  (Past the nesting
    bound the items' text would be read without the container rules: the same paragraphs, as no
    block starts there.)  Any other list is the rule's own.
    """
    starts = re.escape(block_starts)
    # the item's text: a first character that starts no block; or one that starts a block only with what
    # follows it, and not so here (``*word*``, ``#tag``, ``1990 was``, ``[link](address)``)
    text = rf"[^ \t{starts}]|[-*_#][^\W_]|[0-9](?![0-9]*[.)])|\[(?![^\n]*\]:)"
    item = recompile(rf"( {{0,3}})(?:([-*+])|([0-9]{{1,9}})([.)])) (?={text})")

    def list_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if (
            silent
            or state.parentType not in ("root", "paragraph")  # ("paragraph": what a refused setext heading leaves)
            or state.blkIndent
            or state.listIndent >= 0
            or state.md.options.get("tasklists", False)
        ):
            return rule(state, start, end, silent)
        src, marks, ends = state.src, state.bMarks, state.eMarks
        first = item.match(src, marks[start], ends[start])
        if first is None:
            return rule(state, start, end, silent)
        indent, bullet, _, delimiter = first.groups()
        rows: list[tuple[int, str, int]] = []  # each item's line, number and where its text starts
        line = start
        while line < end:
            m = item.match(src, marks[line], ends[line])
            if m is None or m.group(1) != indent or m.group(2) != bullet or m.group(4) != delimiter:
                break
            if marks[line] and src[marks[line] - 1] != "\n":
                return rule(state, start, end, silent)  # (a line a quote's marker starts: its own)
            rows.append((line, m.group(3) or "", m.end()))
            line += 1
        if line < end and not state.isEmpty(line):
            return rule(state, start, end, silent)  # (a line that continues an item, or ends the list)
        after = state.skipEmptyLines(line)
        if after < end:
            text_at = len(first.group())  # the items' text starts at this column
            head = src[marks[after] + state.tShift[after] : marks[after] + state.tShift[after] + 1]
            if state.sCount[after] >= text_at or head in ("-", "*", "+") or head.isdigit():
                return rule(state, start, end, silent)
        _push_list(state, start, after, rows, first)
        return True

    return list_block


def _push_list(
    state: StateBlock, start: int, after: int, rows: list[tuple[int, str, int]], first: re.Match[str]
) -> None:
    """The tokens of the list :func:`simple_list` found on lines ``start`` to ``after``, each field as the rule sets it.

    ``rows``: each item's line, number and where its text starts; ``first``: the first item's marker.
    """
    from markdown_it.common.utils import mdTrim

    src, ends = state.src, state.eMarks
    _, bullet, number, delimiter = first.groups()
    marker = bullet or delimiter
    opener = state.push("bullet_list_open" if bullet else "ordered_list_open", "ul" if bullet else "ol", 1)
    if number and int(number) != 1:
        opener.attrs = {"start": int(number)}
    opener.map = [start, after]
    opener.markup = marker
    for k, (line, digits, text_start) in enumerate(rows):
        nxt = rows[k + 1][0] if k + 1 < len(rows) else after
        token = state.push("list_item_open", "li", 1)
        token.markup = marker
        token.map = [line, nxt]
        token.info = digits
        token = state.push("paragraph_open", "p", 1)
        token.map = [line, line + 1]
        token.hidden = True  # (a tight list's)
        token = state.push("inline", "", 0)
        token.content = mdTrim(src[text_start : ends[line]])
        token.map = [line, line + 1]
        token.children = []
        state.push("paragraph_close", "p", -1).hidden = True
        state.push("list_item_close", "li", -1).markup = marker
    closer = state.push("bullet_list_close" if bullet else "ordered_list_close", "ul" if bullet else "ol", -1)
    closer.markup = marker
    state.line = after


def normalize_when_needed(rule: Callable[[Any], None]) -> Callable[[Any], None]:
    """markdown-it's core ``normalize`` step, run only on a text with a ``\\r`` or a NUL in it.

    The step turns ``\\r\\n`` and ``\\r`` into ``\\n`` and NUL into U+FFFD: on any other text it
    changes nothing, after two passes of a regular expression over all of it (tens of milliseconds
    on a 5 MB one).
    """

    def normalize(state: StateCore) -> None:
        src = state.src
        if "\r" in src or "\0" in src:
            rule(state)

    return normalize


def autolink_rule(rule: InlineRule) -> InlineRule:
    """markdown-it's ``autolink`` rule (``rule``), its scan for the closing ``>`` made one search.

    markdown-it looks for it character by character in Python; the rest is its own code, as it
    is (the same addresses accepted, the same tokens).
    """
    from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE

    def autolink(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if src[start] != "<":
            return False
        end = _ANGLE.search(src, start + 1, state.posMax)
        if end is None or src[end.start()] == "<":  # markdown-it: no ``>`` before the end or a ``<``
            return False
        url = src[start + 1 : end.start()]
        if AUTOLINK_RE.search(url) is not None:
            href = state.md.normalizeLink(url)
        elif EMAIL_RE.search(url) is not None:
            href = state.md.normalizeLink("mailto:" + url)
        else:
            return False
        if not state.md.validateLink(href):
            return False
        if not silent:
            token = state.push("link_open", "a", 1)
            token.attrs = {"href": href}
            token.markup = "autolink"
            token.info = "auto"
            token = state.push("text", "", 0)
            token.content = state.md.normalizeLinkText(url)
            token = state.push("link_close", "a", -1)
            token.markup = "autolink"
            token.info = "auto"
        state.pos += len(url) + 2
        return True

    autolink.__wrapped__ = rule  # type: ignore[attr-defined]  # markdown-it's own, for the tests
    return autolink


def join_where_needed(rule: Callable[[Any], None]) -> Callable[[Any], None]:
    """markdown-it's core ``text_join`` step (``rule``), given only the inline tokens it can change.

    The step makes escapes and entities (``text_special``) text and joins adjacent texts; an
    inline token whose children are one text (every plain paragraph: see :func:`.engine._plain_first`)
    or none comes out of it as it went in.
    """

    def text_join(state: StateCore) -> None:
        tokens = state.tokens
        joinable = [token for token in tokens if token.type == "inline" and not _joined(token.children)]
        if joinable:
            state.tokens = joinable  # the step changes each inline token in place, nothing else
            try:
                rule(state)
            finally:
                state.tokens = tokens

    return text_join


def _joined(children: list[Any] | None) -> bool:
    """Whether ``text_join`` leaves these children as they are: none, or one text with no children."""
    if children is None:
        return False  # the step makes them an empty list
    return not children or (len(children) == 1 and children[0].type == "text" and not children[0].children)
