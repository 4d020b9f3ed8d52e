"""markdown-it's own rules and steps, made cheaper where they can change nothing.

Each function here takes markdown-it's rule or core step and gives one that makes the same tokens
with less work on the inputs most articles are made of: the paragraph rule without its loop after
a one-line paragraph, a list of one-line items at once, ``normalize`` only on text with a ``\\r``
or NUL, the autolink scan in one search, a ``[text](address)`` link found by one match, the tokens
of a text of plain runs, simple links and emphases without the inline tokenizer, ``text_join`` only
on the inline tokens it can change.  ``tests/test_mdparse_shortcuts.py`` checks token for token
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
    from markdown_it.token import Token

__all__ = [
    "autolink_rule",
    "join_where_needed",
    "linked_text",
    "normalize_when_needed",
    "one_line_paragraph",
    "simple_link",
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
    from markdown_it.common.utils import mdTrim

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
        indent, bullet, number, delimiter = first.groups()
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
        return True

    return list_block


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


def simple_link(rule: InlineRule, terminators: str) -> InlineRule:
    """markdown-it's ``link`` rule (``rule``), made short for the commonest link: ``[text](address)``.

    That is a text without a character the ``text`` rule stops at (``terminators``: no markup, no
    bracket), right after it ``(``, an address without white space, control character, parenthesis,
    ``<``, backslash or ``&`` (what ``unescapeAll`` would change), and ``)`` right after it.  For
    such a link markdown-it finds the label's end at its first ``]`` (one skip over a text), the
    address is its characters as they are (no escape or entity to read), and there is no title;
    this finds the same by one match instead of scanning the label token by token and the address
    character by character, then makes the tokens as the rule does.  Any other link, or a scan
    without tokens (``silent``), is the rule's own.
    """
    simple = recompile(r"\[[^" + re.escape(terminators) + r"]*\]\(([^\x00-\x20\x7f()<\\&]+)\)")

    def link(state: StateInline, silent: bool) -> bool:
        m = None if silent else simple.match(state.src, state.pos, state.posMax)
        if m is None:
            return rule(state, silent)
        end, maximum = m.end(), state.posMax
        href = state.md.normalizeLink(m.group(1))
        if not state.md.validateLink(href):
            return rule(state, silent)
        state.pos, state.posMax = state.pos + 1, m.start(1) - 2  # the label: between the brackets
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        state.linkLevel += 1
        state.md.inline.tokenize(state)
        state.linkLevel -= 1
        state.push("link_close", "a", -1)
        state.pos, state.posMax = end, maximum
        return True

    link.__wrapped__ = rule  # type: ignore[attr-defined]  # markdown-it's own, for the tests
    return link


def linked_text(md: Any, terminators: str) -> Callable[[str, bool], list[Token] | None]:
    """The children markdown-it's inline parser makes of a text of plain runs, line ends and simple links.

    Lists of links (share rows, bylines, sources, notes) are such texts: plain runs without a
    character the ``text`` rule stops at (``terminators``), links of the form :func:`simple_link`
    reads, ``<scheme:...>`` or ``<address@example.org>`` autolinks, line ends, ``&`` in a text
    without ``;`` (no entity: the ``&`` is text), and (in a document
    without reference definitions: ``references`` false) a bracketed plain text that no ``(``
    follows, which is text there (``[ iv ]``).  On them the parser's rules and steps
    come to these tokens: the text of the runs between the others as one text token (markdown-it's
    ``pending`` text); ``link_open``, the label's text (if any) one level in, ``link_close`` for
    each link, and for an autolink the same with its markup; a line end is a soft break, or a hard
    one after two spaces (the spaces before it dropped, and those after it).  The parser's
    post-processing changes none of them (no delimiter, no two texts side by side).  Any other
    text gives None (the parser reads it).
    """
    from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE

    from .states import make_token

    def pieces(plain: str) -> re.Pattern[str]:
        # (groups: a link's label and address; an autolink's address; a line end; an emphasis's ``*`` or
        # ``**`` and text, twice: a text that ends with a letter or digit, or with a punctuation mark)
        return recompile(
            rf"[^{plain}]+|\[([^{plain}]*)\]\(([^\x00-\x20\x7f()<\\&]+)\)|<([^<>]*)>|(\n)[ \t]*|\[[^{plain}]*\](?!\()"
            rf"|(?<![^ ])(\*\*?)([^\W_](?:[^{plain}]*[^\W_])?)\5(?=[ .,;:!?)'\"]|\Z)"
            rf"|(?<![^ ])(\*\*?)([^\W_][^{plain}]*[.,;:!?)'\"])\7(?= |\Z)"
        )

    # a ``&`` is text where no ``;`` follows (every entity ends with one): in runs and labels of such a text
    with_entities, without_entities = pieces(re.escape(terminators)), pieces(re.escape(terminators.replace("&", "")))

    def link(out: list[Token], href: str, label: str, markup: str) -> None:
        opener = make_token("link_open", "a", 1, content="", block=False, level=0)
        opener.attrs = {"href": href}
        closer = make_token("link_close", "a", -1, content="", block=False, level=0)
        out.append(opener)
        if label or markup:  # (an empty label makes no text; an autolink's text is always pushed)
            out.append(make_token("text", "", 0, content=label, block=False, level=1))
        out.append(closer)
        if markup:
            opener.markup = closer.markup = markup
            opener.info = closer.info = "auto"

    def children(text: str, references: bool) -> list[Token] | None:
        out: list[Token] = []
        pending = ""  # the text not made a token yet (markdown-it's)
        empty = False  # whether a text token is made even of no text (what strong emphasis leaves)
        pos, end = 0, len(text)
        piece = with_entities if ";" in text else without_entities
        while pos < end:
            m = piece.match(text, pos)
            if m is None:
                return None
            pos = m.end()
            label, address, url, line_end, stars, inner, stars2, inner2 = m.groups()
            stars, inner = stars or stars2, inner or inner2
            if stars:  # *text* or **text**: markdown-it's ``emphasis`` rule and its pairing of the runs
                # the opening run (after a space, before a letter) can only open, the closing one (after
                # a letter, before a space or a mark; or after a mark, before a space) only close: they
                # pair.  For ``**`` the pairing leaves an empty text token in place of each outer ``*``,
                # joined to the text beside it if any.
                strong = len(stars) == 2
                if pending or empty or strong:
                    out.append(make_token("text", "", 0, content=pending, block=False, level=0))
                pending, empty = "", strong
                tag = "strong" if strong else "em"
                out.append(make_token(f"{tag}_open", tag, 1, content="", block=False, level=0))
                out.append(make_token("text", "", 0, content=inner, block=False, level=1))
                out.append(make_token(f"{tag}_close", tag, -1, content="", block=False, level=0))
                out[-3].markup = out[-1].markup = stars
                continue
            if address is not None:  # [label](address)
                href = md.normalizeLink(address)
                if not md.validateLink(href):
                    return None
            elif url is not None:  # <url>: markdown-it's ``autolink`` rule
                if AUTOLINK_RE.search(url) is not None:
                    href = md.normalizeLink(url)
                elif EMAIL_RE.search(url) is not None:
                    href = md.normalizeLink("mailto:" + url)
                else:
                    return None  # (HTML, or text)
                if not md.validateLink(href):
                    return None
            elif line_end is not None:  # markdown-it's ``newline`` rule
                kind = "softbreak"
                if pending.endswith("  "):
                    kind, pending = "hardbreak", pending.rstrip(" ")
                elif pending.endswith(" "):
                    pending = pending[:-1]
            elif text[m.start()] == "[":
                if references:
                    return None  # (a reference link, maybe)
                pending += m.group()
                continue
            else:
                pending += m.group()
                continue
            if pending or empty:
                out.append(make_token("text", "", 0, content=pending, block=False, level=0))
                pending, empty = "", False
            if line_end is not None:
                out.append(make_token(kind, "br", 0, content="", block=False, level=0))
            elif address is not None:
                link(out, href, label, "")
            else:
                link(out, href, md.normalizeLinkText(url), "autolink")
        if pending or empty:
            out.append(make_token("text", "", 0, content=pending, block=False, level=0))
        return out

    return children


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
