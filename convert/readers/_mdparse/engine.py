"""The markdown-it parser artconv reads Markdown with, and the few rules it adds to CommonMark.

markdown-it-py parses CommonMark; mdit-py-plugins add footnote definitions,
definition lists and dollar math, and spans with attributes; GFM tables and
strikethrough are markdown-it's own.  Added here, each small:

* ``[^label]`` is a note reference whether or not a definition follows (a page
  dump's notes are found later, by the article reader);
* ``^sup^`` and ``~sub~`` (pandoc's: no unescaped space inside, markup allowed);
* fenced divs ``::: kind`` (a ``::: figure`` is a figure, any other is transparent);
* pandoc's grid tables (:mod:`.grid`), whose cells may span rows and columns;
* bounds: a container (quote, list, note, definition, div) deeper than
  :data:`~.document.MAX_NESTING` is not opened, its lines stay text (a quote's
  ``>`` markers are dropped), so nothing is lost and no stack is exhausted;
* an unclosed ``<script>``, ``<style>`` or comment block ends at the next blank line
  instead of swallowing the rest of the document;
* in a page dump (``env["scraper"]``): every backslash before punctuation is a
  stray escape, an unclosed code fence ends at the next blank line, and an
  indented line is text, not code.

The parser is built once, on first use (importing markdown-it costs tens of
milliseconds that a run that reads no Markdown should not pay).  For speed, it
tries at each line and at each character only the rules that can start there
(markdown-it tries them all in turn), its text runs stop only at characters a
rule in use starts at, and the nesting bound is kept by one check a container
(see :mod:`.dispatch`), its tokens are made without the dataclass's calls (:mod:`.states`), and
a few of markdown-it's steps and rules are skipped where they can change nothing (``normalize``
without ``\\r`` or NUL, ``text_join`` on a lone text, the paragraph rule's loop after a one-line
paragraph, the list rule's work on a list of one-line items, the inline tokenizer on a text of plain
runs, simple links and emphases) or do their scanning in one search (autolinks, simple links);
``tests/test_mdparse_shortcuts.py``
checks that none of this changes a token.  markdown-it's imports compile their regular expressions
from :mod:`convert.recache`'s cache (:func:`~convert.recache.serving_imports`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convert.recache import compile as recompile
from convert.recache import serving_imports

from .dispatch import (
    _BLOCK_STARTS,
    BlockRule,
    _bounded,
    _by_first_character,
    _delimiters_where_marked,
    _inline_by_character,
)
from .document import MAX_NESTING
from .grid import grid_table
from .inline_shortcuts import linked_text, simple_link
from .plain import RULE_STARTS, is_plain
from .shortcuts import (
    autolink_rule,
    join_where_needed,
    normalize_when_needed,
    one_line_paragraph,
    simple_list,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline

__all__ = ["markdown_it"]

InlineRule = Callable[["StateInline", bool], bool]

#: markdown-it's own bound; the container guard below keeps block nesting well under it.
MAX_LEVEL = 2 * MAX_NESTING + 8

_PUNCT = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_STRAY_ESCAPES = recompile(r"\\+(?=[" + _PUNCT + "])")
_QUOTE_MARKERS = recompile(r"^(?:[ \t]*>)+[ \t]?", re.M)
_ESCAPED = recompile(r"\\.", re.S)
_UNESCAPED_SPACE = recompile(r"\s")
_NOTE_REF = recompile(r"\[\^([^\]\s]+)\]")
#: One attribute of a fenced div: ``#id``, ``.class`` or ``key=value``.
_ATTR = r"(?:[#.]?[A-Za-z_][\w:.-]*(?:=(?:\"[^\"\n]*\"|[^\s\"{}]*))?)"
_DIV_OPEN = recompile(
    r" {0,3}(:{3,})[ \t]*(?:\{?[ \t]*\.?([A-Za-z][\w-]*)[ \t]*\}?"
    r"|\{[ \t]*(" + _ATTR + r"(?:[ \t]+" + _ATTR + r")*)[ \t]*\})[ \t]*(?::{3,}[ \t]*)?$"
)
_DIV_CLOSE = recompile(r" {0,3}:{3,}[ \t]*$")
_FENCE_CLOSE = recompile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$", re.M)
_FENCE_OPEN = recompile(r"(`{3,}|~{3,})")
#: Where the inline ``text`` rule stops: the characters some inline rule in use starts with, and ``]``
#: (a link's label ends there).  markdown-it's default set also holds characters kept for rules of
#: other plugins (``# % + - : = @ > }``): every one of those stopped the text, had each rule tried in
#: turn and refused, and went on one character at a time.
_TERMINATORS = recompile("[" + re.escape(RULE_STARTS) + "]")
#: HTML blocks that run to an end marker (CommonMark's kinds 1 to 5) and that marker.
_HTML_RUNS = (
    (
        recompile(r"<(script|pre|style|textarea)(?=[\s>]|$)", re.I),
        recompile(r"</(?:script|pre|style|textarea)>", re.I),
    ),
    (recompile(r"<!--"), recompile(r"-->")),
    (recompile(r"<\?"), recompile(r"\?>")),
    (recompile(r"<![A-Za-z]"), recompile(r">")),
    (recompile(r"<!\[CDATA\["), recompile(r"\]\]>")),
)


class _NoteFirstLine:
    """The parser as a note definition sees it: its first line starts at the note's indent, as in pandoc.

    markdown-it's footnote rule counts the space after ``[^x]:`` as indentation, so a list item
    opened there would have its blocks one column further right than the lines that follow.
    """

    def __init__(self, md: Any) -> None:
        self.md = md
        self.block = self  # the footnote rule calls ``state.md.block.tokenize``

    def tokenize(self, state: StateBlock, line: int, end: int) -> None:
        state.md = self.md
        start = state.bMarks[line]
        spaces = len(state.src[start : start + state.tShift[line]].expandtabs(4))
        state.sCount[line] = state.blkIndent + max(0, spaces - 1)
        self.md.block.tokenize(state, line, end)


def _note_first_line(rule: BlockRule) -> BlockRule:
    def fixed(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent:
            return rule(state, start, end, silent)
        md = state.md
        state.md = _NoteFirstLine(md)  # type: ignore[assignment]
        try:
            return rule(state, start, end, silent)
        finally:
            state.md = md

    return fixed


def _last_match(state: StateBlock, key: str, pattern: re.Pattern[str]) -> int:
    """Where the last match of ``pattern`` in the source starts (-1: none); computed once a parse."""
    cache: dict[str, int] = state.env.setdefault("last", {})
    if key not in cache:
        cache[key] = max((m.start() for m in pattern.finditer(state.src)), default=-1)
    return cache[key]


def _blank_line_after(state: StateBlock, start: int, end: int) -> int:
    line = start + 1
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        line += 1
    return line


def _html_block(rule: BlockRule) -> BlockRule:
    """CommonMark's HTML blocks, but one whose end marker never comes ends at a blank line."""

    def html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or state.is_code_block(start):
            return rule(state, start, end, silent)
        pos = state.bMarks[start] + state.tShift[start]
        for kind, (opener, closer) in enumerate(_HTML_RUNS):
            if opener.match(state.src, pos, state.eMarks[start]):
                if _last_match(state, f"html{kind}", closer) > pos:
                    break
                stop = _blank_line_after(state, start, end)
                token = state.push("html_block", "", 0)
                token.map = [start, stop]
                token.content = state.getLines(start, stop, state.blkIndent, True)
                state.line = stop
                return True
        return rule(state, start, end, silent)

    return html_block


def _fence(rule: BlockRule) -> BlockRule:
    """Code fences; in a page dump an unclosed one ends at the next blank line (the saving cut it short)."""

    def fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent or not state.env.get("scraper") or state.is_code_block(start):
            return rule(state, start, end, silent)
        pos = state.bMarks[start] + state.tShift[start]
        m = _FENCE_OPEN.match(state.src, pos, state.eMarks[start])
        if m is None or (m.group(1)[0] == "`" and "`" in state.src[m.end() : state.eMarks[start]]):
            return rule(state, start, end, silent)
        if _fence_closed_after(state, m.group(1), state.eMarks[start]):
            return rule(state, start, end, silent)
        stop = _blank_line_after(state, start, end)
        token = state.push("fence", "code", 0)
        token.info = state.src[m.end() : state.eMarks[start]].strip()
        token.content = state.getLines(start + 1, stop, state.sCount[start], True)
        token.markup = m.group(1)
        token.map = [start, stop]
        state.line = stop
        return True

    return fence


def _fence_closed_after(state: StateBlock, fence: str, pos: int) -> bool:
    """Whether a line that could close ``fence`` comes after ``pos`` (one scan of the source a parse)."""
    index: dict[str, tuple[list[int], list[int]]] | None = state.env.get("fences")
    if index is None:
        index = {"`": ([], []), "~": ([], [])}
        for m in _FENCE_CLOSE.finditer(state.src):
            starts, lengths = index[m.group(1)[0]]
            starts.append(m.start())
            lengths.append(len(m.group(1)))
        for _, lengths in index.values():  # lengths become suffix maxima
            for k in range(len(lengths) - 2, -1, -1):
                lengths[k] = max(lengths[k], lengths[k + 1])
        state.env["fences"] = index
    starts, longest = index[fence[0]]
    k = bisect.bisect_right(starts, pos)
    return k < len(starts) and longest[k] >= len(fence)


def _indented_code(rule: BlockRule) -> BlockRule:
    """Indented code blocks, except in a page dump (indented lines there are text)."""

    def code(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        # markdown-it's rule refuses a line that is not indented enough at once: so does this, before the call
        if state.sCount[start] - state.blkIndent < 4 or state.env.get("scraper"):
            return False
        return rule(state, start, end, silent)

    return code


def _div_attrs(text: str) -> dict[str, object]:
    """``kind`` (the first class), ``id`` and ``classes`` of a div's ``{#id .class key=value}``."""
    ident, classes = "", []
    for part in re.findall(_ATTR, text):
        if part.startswith("#"):
            ident = part[1:]
        elif part.startswith("."):
            classes.append(part[1:])
    return {"kind": classes[0].lower() if classes else "", "id": ident, "classes": classes}


def _div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A fenced div ``::: kind`` ... ``:::`` (nested ones counted); unclosed, it runs to the end."""
    if state.is_code_block(start):
        return False
    pos, line_end = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    if not state.src.startswith(":::", pos):
        return False
    line = state.src[pos:line_end]
    m = _DIV_OPEN.match(line)
    if m is None:
        if _DIV_CLOSE.match(line) and not silent:  # a stray closing fence
            state.line = start + 1
            return True
        return bool(_DIV_CLOSE.match(line))
    if silent:
        return True
    depth, close = 1, start + 1
    while close < end:
        if state.sCount[close] < state.blkIndent and not state.isEmpty(close):
            break  # the container the div is in ends: so does the div
        text = state.src[state.bMarks[close] + state.tShift[close] : state.eMarks[close]]
        if text.startswith(":::") and state.sCount[close] - state.blkIndent < 4:
            if _DIV_OPEN.match(text):
                depth += 1
            elif _DIV_CLOSE.match(text):
                depth -= 1
                if depth == 0:
                    break
        close += 1
    token = state.push("div_open", "div", 1)
    token.meta = {"kind": m.group(2).lower()} if m.group(2) else _div_attrs(m.group(3))
    token.map = [start, close]
    old_max = state.lineMax
    state.lineMax = close
    state.md.block.tokenize(state, start + 1, close)
    state.lineMax = old_max
    state.push("div_close", "div", -1)
    last = state.src[state.bMarks[close] + state.tShift[close] : state.eMarks[close]] if close < end else ""
    state.line = close + 1 if _DIV_CLOSE.match(last) else close
    return True


def _note_ref(state: StateInline, silent: bool) -> bool:
    """``[^label]``: a note reference (not a definition's ``[^label]:`` at the start of a line)."""
    src, pos = state.src, state.pos
    if not src.startswith("[^", pos):
        return False
    m = _NOTE_REF.match(src, pos, state.posMax)
    if m is None or (src.startswith(":", m.end()) and (pos == 0 or src[pos - 1] == "\n")):
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"label": m.group(1)}
    state.pos = m.end()
    return True


def _script_rule(marker: str, name: str) -> Callable[[StateInline, bool], bool]:
    """``^sup^`` or ``~sub~``: no unescaped whitespace inside; its content is parsed as inlines."""

    def script(state: StateInline, silent: bool) -> bool:
        src, start, maximum = state.src, state.pos, state.posMax
        if src[start] != marker or start + 2 > maximum or src[start + 1] in (marker, " ", "\t", "\n"):
            return False
        if silent:
            return False
        state.pos = start + 1
        while state.pos < maximum and src[state.pos] != marker:
            state.md.inline.skipToken(state)
        end = state.pos
        state.pos = start
        if end >= maximum or end == start + 1 or _UNESCAPED_SPACE.search(_ESCAPED.sub("", src[start + 1 : end])):
            return False
        state.pos, state.posMax = start + 1, end
        state.push(f"{name}_open", name, 1).markup = marker
        state.md.inline.tokenize(state)
        state.push(f"{name}_close", name, -1).markup = marker
        state.pos, state.posMax = end + 1, maximum
        return True

    return script


def _pandoc_tildes(rule: InlineRule) -> InlineRule:
    """``~~strike~~`` as pandoc reads it: a run opens unless a space follows it, closes unless one precedes it.

    (GFM also asks a run next to punctuation to have a space or punctuation on its
    other side; pandoc does not, and reads ``a~~`code`~~b`` as struck-out code.)
    """

    def strikethrough(state: StateInline, silent: bool) -> bool:
        start, first = state.pos, len(state.delimiters)
        if not rule(state, silent):
            return False
        src = state.src
        before = src[start - 1] if start > 0 else " "
        after = src[state.pos] if state.pos < state.posMax else " "
        for delim in state.delimiters[first:]:
            delim.open, delim.close = not after.isspace(), not before.isspace()
        return True

    return strikethrough


def _pandoc_dollars(rule: InlineRule) -> InlineRule:
    """``$tex$`` as pandoc reads it: the closing ``$`` is not followed by a digit (``$5 and $10`` is text).

    ``$$tex$$`` has no such rule: ``$$x$$2`` is display math and a ``2``.
    """

    def math_inline(state: StateInline, silent: bool) -> bool:
        start, count, pending = state.pos, len(state.tokens), state.pending
        if not rule(state, silent):
            return False
        double = state.src.startswith("$$", start)
        if not double and state.pos < state.posMax and state.src[state.pos].isdigit():
            del state.tokens[count:]
            state.pos, state.pending = start, pending
            return False
        return True

    return math_inline


def _stray_escapes(state: StateCore) -> None:
    """In a page dump every backslash before punctuation is a stray escape: the character is literal."""
    if not state.env.get("scraper"):
        return
    for token in state.tokens:
        if token.type == "inline" and "\\" in token.content:
            token.content = _STRAY_ESCAPES.sub(r"\\", token.content)


_CONTAINERS = frozenset({"blockquote_open", "list_item_open", "footnote_reference_open", "dd_open", "div_open"})


def _deep_quote_markers(state: StateCore) -> None:
    """A line past the nesting bound that would open a quote keeps its text, not its ``>`` markers."""
    if not state.env.get("too_deep"):
        return
    depth = 0
    for token in state.tokens:
        if token.nesting == 1 and token.type in _CONTAINERS:
            depth += 1
        elif token.nesting == -1 and token.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1
        elif token.type == "inline" and depth >= MAX_NESTING and token.content.lstrip().startswith(">"):
            token.content = _QUOTE_MARKERS.sub("", token.content)


def _bracket_guard(rule: InlineRule, closer: str) -> InlineRule:
    """``rule`` (one that scans a ``[label]``) tried only where ``closer`` follows somewhere.

    markdown-it scans to the end of the text for each unclosed bracket; a text of
    thousands of them and no closing one costs nothing this way.
    """

    def guarded(state: StateInline, silent: bool) -> bool:
        src = state.src
        if src[state.pos] not in "![":
            return False
        cached: tuple[str, dict[str, int]] | None = state.env.get("closers")
        if cached is None or cached[0] is not src:  # one inline text at a time
            cached = (src, {})
            state.env["closers"] = cached
        found = cached[1]
        last = found.get(closer)
        if last is None:
            last = found[closer] = src.rfind(closer)
        if last <= state.pos or (silent and closer == "]{"):
            # a span is never skipped whole while a link's text is scanned: a link may hold one
            return False
        if not rule(state, silent):
            return False
        if not silent and closer == "]" and state.tokens and state.tokens[-1].type == "image":
            del state.tokens[-1].attrs["alt"]  # an ``alt`` attribute is then one that ``{alt="..."}`` gave
        return True

    return guarded


def _guarded(rule: InlineRule, closer: str) -> InlineRule:
    return _bracket_guard(rule, closer)


def _replace(ruler: Any, name: str, wrap: Callable[[Any], Any]) -> None:
    """Wrap the function of rule ``name`` of ``ruler``, keeping its place and its ``alt`` chains."""
    rule = ruler.__rules__[ruler.__find__(name)]
    rule.fn = wrap(rule.fn)
    ruler.__cache__ = None


def _plain_first(replaced: Callable[[Any], None]) -> Callable[[Any], None]:
    """markdown-it's core ``inline`` step (``replaced``); plain text (:func:`.plain.is_plain`) is its token at once,
    and a text of plain runs and simple links (:func:`.inline_shortcuts.linked_text`) its tokens."""
    from .states import text_token

    linked: list[Callable[[str, bool], list[Any] | None]] = []  # made with the parser (it reads its link policy)

    def inline(state: StateCore) -> None:
        references = state.env.get("references")
        parse = state.md.inline.parse
        if not linked:
            linked.append(linked_text(state.md, RULE_STARTS))
        for token in state.tokens:
            if token.type != "inline":
                continue
            if token.children is None:
                token.children = []
            if is_plain(token.content, references):
                if token.content:
                    token.children.append(text_token(token.content))
            elif (children := linked[0](token.content, bool(references))) is not None:
                token.children += children
            else:
                parse(token.content, state.md, state.env, token.children)

    return inline


def _identity(url: str) -> str:
    return url


def _always(url: str) -> bool:
    return True


@functools.cache
def markdown_it() -> MarkdownIt:
    """The parser (built on first use)."""
    with serving_imports():  # the patterns they compile as they are imported: from the cache
        from markdown_it import MarkdownIt
        from mdit_py_plugins.attrs import attrs_plugin
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.footnote.index import footnote_def

        from .states import parse_block, parse_inline

    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_LEVEL})
    md.enable(["table", "strikethrough"])
    # links are kept as written: artconv's own policy (urls.clean_url) refuses what must go
    md.normalizeLink = _identity  # type: ignore[method-assign]
    md.normalizeLinkText = _identity  # type: ignore[method-assign,assignment]
    md.validateLink = _always  # type: ignore[method-assign]
    md.block.ruler.before("reference", "footnote_def", footnote_def, {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("table", "grid_table", grid_table)
    md.block.ruler.before("fence", "div", _div, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    deflist_plugin(md)
    dollarmath_plugin(md, allow_space=False, allow_digits=True, double_inline=True)
    attrs_plugin(md, spans=True, after=("image",))  # a span's attributes, and an image's (its ``alt``)
    md.inline.ruler.before("link", "note_ref", _note_ref)
    md.inline.ruler.after("emphasis", "sup", _script_rule("^", "sup"))
    md.inline.ruler.before("strikethrough", "sub", _script_rule("~", "sub"))
    _replace(md.block.ruler, "footnote_def", _note_first_line)
    _replace(md.inline.ruler, "strikethrough", _pandoc_tildes)
    _replace(md.inline.ruler, "math_inline", _pandoc_dollars)
    _replace(md.block.ruler, "html_block", _html_block)
    _replace(md.block.ruler, "fence", _fence)
    _replace(md.block.ruler, "code", _indented_code)
    _replace(md.inline.ruler, "autolink", autolink_rule)
    _replace(md.block.ruler, "paragraph", one_line_paragraph)
    starts = "".join(sorted({c for chars in _BLOCK_STARTS.values() for c in chars}))
    _replace(md.block.ruler, "list", functools.partial(simple_list, block_starts=starts))
    _replace(md.core.ruler, "normalize", normalize_when_needed)
    _replace(md.inline.ruler, "link", functools.partial(simple_link, terminators=RULE_STARTS))
    for name, closer in (("link", "]"), ("image", "]"), ("span", "]{")):
        _replace(md.inline.ruler, name, functools.partial(_guarded, closer=closer))
    md.inline.terminator_re = _TERMINATORS
    md.block.parse = parse_block  # type: ignore[method-assign,assignment]  # markdown-it's, with faster token pushes
    md.inline.parse = parse_inline  # type: ignore[method-assign,assignment]
    md.block.tokenize = _bounded(md)  # type: ignore[method-assign,assignment]
    _by_first_character(md.block.ruler)  # last: a change to the rules after it would undo these two
    _inline_by_character(md.inline.ruler)
    _delimiters_where_marked(md.inline.ruler2)
    _replace(md.core.ruler, "inline", _plain_first)
    md.core.ruler.after("block", "stray_escapes", _stray_escapes)
    md.core.ruler.after("stray_escapes", "deep_quotes", _deep_quote_markers)
    _replace(md.core.ruler, "text_join", join_where_needed)
    return md
