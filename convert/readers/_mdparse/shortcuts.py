"""markdown-it's own rules and steps, made cheaper where they can change nothing.

Each function here takes markdown-it's rule or core step and gives one that makes the same tokens
with less work on the inputs most articles are made of: the paragraph rule without its loop after
a one-line paragraph, ``normalize`` only on text with a ``\\r`` or NUL, the autolink scan in one
search, ``text_join`` only on the inline tokens it can change.  ``tests/test_mdparse_shortcuts.py``
checks token for token that none of them changes what markdown-it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convert.recache import compile as recompile

from .dispatch import BlockRule

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

__all__ = ["autolink_rule", "join_where_needed", "normalize_when_needed", "one_line_paragraph"]

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
