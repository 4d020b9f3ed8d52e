"""markdown-it's inline reading, made cheaper where it can change nothing: links, and texts of them.

:func:`simple_link` is markdown-it's ``link`` rule with one match for a ``[text](address)`` link;
:func:`linked_text` makes at once the children the inline parser makes of a text of plain runs,
simple links, autolinks, line ends and simple emphases (lists of links: share rows, bylines,
sources, notes).  ``tests/test_mdparse_shortcuts.py`` checks token for token that neither changes
what markdown-it makes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from convert.recache import compile as recompile

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = ["linked_text", "simple_link"]

InlineRule = Callable[["StateInline", bool], bool]


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
    return _LinkedText(md, terminators).children


def _pieces(plain: str) -> re.Pattern[str]:
    """The pattern of :func:`linked_text`'s pieces, of runs without the characters of ``plain``."""
    # (groups: a link's label and address; an autolink's address; a line end; an emphasis's ``*`` or
    # ``**`` and text, twice: a text that ends with a letter or digit, or with a punctuation mark)
    return recompile(
        rf"[^{plain}]+|\[([^{plain}]*)\]\(([^\x00-\x20\x7f()<\\&]+)\)|<([^<>]*)>|(\n)[ \t]*|\[[^{plain}]*\](?!\()"
        rf"|(?<![^ ])(\*\*?)([^\W_](?:[^{plain}]*[^\W_])?)\5(?=[ .,;:!?)'\"]|\Z)"
        rf"|(?<![^ ])(\*\*?)([^\W_][^{plain}]*[.,;:!?)'\"])\7(?= |\Z)"
    )


def _link(out: list[Token], href: str, label: str, markup: str, make_token: Callable[..., Token]) -> None:
    """Add a link's tokens to ``out``: an autolink's if ``markup``."""
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


class _LinkedText:
    """:func:`linked_text`'s reader for one parser: its patterns, and markdown-it's functions it calls.

    (A class rather than closures, to keep each function short; :meth:`children` reads what it
    uses often into locals, which are as fast as a closure's cells.)
    """

    __slots__ = ("autolink", "email", "make_token", "md", "with_entities", "without_entities")

    def __init__(self, md: Any, terminators: str) -> None:
        from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE

        from .states import make_token

        self.md = md
        self.autolink: re.Pattern[str] = AUTOLINK_RE
        self.email: re.Pattern[str] = EMAIL_RE
        self.make_token: Callable[..., Token] = make_token
        # a ``&`` is text where no ``;`` follows (every entity ends with one): in runs and labels of such a text
        self.with_entities = _pieces(re.escape(terminators))
        self.without_entities = _pieces(re.escape(terminators.replace("&", "")))

    def children(self, text: str, references: bool) -> list[Token] | None:
        """The children markdown-it makes of ``text`` (see :func:`linked_text`), or None."""
        md, make_token = self.md, self.make_token
        out: list[Token] = []
        pending = ""  # the text not made a token yet (markdown-it's)
        empty = False  # whether a text token is made even of no text (what strong emphasis leaves)
        pos, end = 0, len(text)
        piece = self.with_entities if ";" in text else self.without_entities
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
                if self.autolink.search(url) is not None:
                    href = md.normalizeLink(url)
                elif self.email.search(url) is not None:
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
                _link(out, href, label, "", make_token)
            else:
                _link(out, href, md.normalizeLinkText(url), "autolink", make_token)
        if pending or empty:
            out.append(make_token("text", "", 0, content=pending, block=False, level=0))
        return out
