"""Raw HTML in Markdown, read for its text: an HTML block's text, an inline tag's name, an inline element's node.

Tags are dropped (``<br>`` is a line break); ``script``, ``style`` and the like
(:data:`DROP_CONTENT`) lose their content too; the inline elements of
:data:`HTML_INLINES` (``<em>``, ``<sup>``, ``<span lang dir>``...) are IR nodes.
"""

from __future__ import annotations

import re
from html import unescape as html_unescape

from convert.recache import compile as recompile

from ...ir.model import Emph, Inline, SmallCaps, Span, Strikeout, Strong, Subscript, Superscript

__all__ = ["DROP_CONTENT", "HTML_INLINES", "html_container", "html_tag", "html_text"]

#: HTML elements whose content is never text (dropped with their tags).
DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"})
_TAG = recompile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>|<[!?][^<>]*>")


def _drop_comments(html: str) -> str:
    """``html`` without its comments (an unclosed one runs to the end)."""
    out: list[str] = []
    pos = 0
    while (start := html.find("<!--", pos)) != -1:
        out.append(html[pos:start])
        end = html.find("-->", start + 4)
        if end == -1:
            return "".join(out)
        pos = end + 3
    out.append(html[pos:])
    return "".join(out)


def html_text(html: str) -> str:
    """The text of an HTML fragment: tags and comments dropped, and script-like elements with their content."""
    html = _drop_comments(html) if "<!--" in html else html
    out: list[str] = []
    pos = 0
    skip_to: re.Pattern[str] | None = None
    for m in _TAG.finditer(html):
        if skip_to is not None:
            if skip_to.fullmatch(m.group(0)):
                skip_to = None
                pos = m.end()
            continue
        out.append(html[pos : m.start()])
        pos = m.end()
        name = (m.group(2) or "").lower()
        if name == "br":
            out.append("\n")
        elif name in DROP_CONTENT and not m.group(1) and not m.group(3):
            skip_to = re.compile(rf"</{name}\s*>", re.I)
    if skip_to is None:
        out.append(html[pos:])
    return "".join(out)


def html_tag(html: str) -> tuple[str, bool, bool]:
    """(name, closing, self-closing) of one inline HTML tag ("" for a comment and the like)."""
    m = _TAG.fullmatch(html.strip())
    if m is None or not m.group(2):
        return "", False, False
    return m.group(2).lower(), bool(m.group(1)), bool(m.group(3))


#: Inline HTML elements read as IR nodes (the Markdown writer's flavours without pandoc syntax write them).
HTML_INLINES: dict[str, type[Emph] | type[Strong] | type[Strikeout] | type[Superscript] | type[Subscript] | None] = {
    "em": Emph,
    "i": Emph,
    "strong": Strong,
    "b": Strong,
    "del": Strikeout,
    "s": Strikeout,
    "sup": Superscript,
    "sub": Subscript,
    "span": None,
}
_HTML_ATTR = recompile(r"""([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def html_container(tag: str, html: str, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The node of an inline HTML element: ``<sup>``, ``<del>``, ``<span class="smallcaps" lang dir>``..."""
    kind = HTML_INLINES.get(tag)
    if kind is not None:
        return (kind(content),)
    attrs = {m.group(1).lower(): html_unescape(m.group(2) or m.group(3) or m.group(4) or "")
             for m in _HTML_ATTR.finditer(html)}  # fmt: skip
    if "smallcaps" in attrs.get("class", "").split():
        content = (SmallCaps(content),)
    direction = attrs.get("dir", "").strip().lower()
    lang = attrs.get("lang", "").strip()
    if direction not in ("ltr", "rtl"):
        direction = ""
    return (Span(content, lang, direction),) if lang or direction else content
