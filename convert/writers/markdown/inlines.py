"""Inline content of the ``md`` writer: escapes, and each inline kind in each flavour."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable
from typing import assert_never

from convert.recache import compile as recompile

from ...errors import warn
from ...ir.model import (
    Code,
    Emph,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
)
from ...ir.walk import iter_inlines, plain_text

__all__ = ["Inlines", "dest", "escape", "html_inlines", "protect_start"]

_SPECIAL = {
    "pandoc": recompile(r"[\\*`\[\]_<^~$@&]"),
    "gfm": recompile(r"[\\*`\[\]_<~$&]"),
    "commonmark": recompile(r"[\\*`\[\]_<&]"),
}
_ENTITY = recompile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def escape(text: str, flavor: str, *, dollars: bool = False) -> str:
    """Backslash-escape exactly the characters that would be read as markup in ``flavor``.

    ``dollars``: every ``$`` is escaped (the text around holds math, or more than one ``$``).
    """
    if flavor == "gfm" and ":" in text:
        return _EMOJI.sub(r"\\:", _escape(text, flavor, dollars))  # not a ":shortcode:" (GitHub's emoji)
    return _escape(text, flavor, dollars)


_EMOJI = recompile(r":(?=[A-Za-z0-9_+-]+:)")


def _escape(text: str, flavor: str, dollars: bool) -> str:
    special = _SPECIAL.get(flavor, _SPECIAL["pandoc"])
    if special.search(text) is None:
        return text  # the common case: nothing to escape
    n = len(text)
    several_dollars = dollars or text.count("$") > 1

    def one(m: re.Match[str]) -> str:
        c = m.group()
        i = m.start()
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "_":
            return "_" if prev.isalnum() and nxt.isalnum() else "\\_"
        if c == "<":
            return "\\<" if nxt.isalpha() or nxt in "/!?" else c
        if c == "$":
            return "\\$" if several_dollars else c
        if c == "@":
            return "\\@" if not prev.isalnum() and (nxt.isalnum() or nxt in "{_") else c
        if c == "&":
            return "\\&" if _ENTITY.match(text, i) else c
        return "\\" + c  # \ * ` [ ] always; ^ ~ where the flavour has them

    return special.sub(one, text)


_BLOCK_START = recompile(
    r"^(?:#|>|[-+*][ \t]|[-+*]$|\d+[.)](?:[ \t]|$)|:::|~~~|=+$|[-*_](?:[ \t]*[-*_]){2,}[ \t]*$|\|)"
)
#: What starts a block in pandoc's Markdown alone: a definition, a table caption, a grid table.
_PANDOC_START = recompile(r"^(?::[ \t]|:$|[Tt]able:|\+[-=:]|(?=[-:| \t]*\|)[-:| \t]+$)")
#: pandoc's fancy list markers: ``a.``, ``iv)``, ``(b)``, ``B.`` followed by two spaces.
_FANCY_LIST = recompile(
    r"^(?:(?:[a-z]|[ivxlcdm]+)[.)](?=[ \t]|$)|(?:[A-Z]|[IVXLCDM]+)\)(?=[ \t]|$)|(?:[A-Z]|[IVXLCDM]+)\.(?=  |\t|$)"
    r"|\((?:[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+|\d+)\)(?=[ \t]|$))"
)
#: Patterns used once a node or line, compiled once (not looked up in re's cache at each call).
_DEST_SPECIAL = recompile(r"[\s()<>]")
_NOTE_DEFINITION = recompile(r"^\[\^[^\]\s]+\]:")
_DEL_INS = recompile(r"<(?:del|ins)\b")
_NUMBERED = recompile(r"^(\d+)([.)])")
_TABLE = recompile(r"^[Tt]able")
_ATTR_SPECIAL = recompile(r'([\\"{}])')
_ESCAPED = recompile(r"\\.")
_WHITE = recompile(r"\s")
_LINE_BREAK = recompile(r"\s*\n\s*")
_BLANK_LINE = recompile(r"\n\s*\n")
_BACKTICKS = recompile(r"`+")
_AUTOLINK = recompile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*")


def dest(url: str) -> str:
    """A link destination, in angle brackets when it has spaces or brackets."""
    if not url or _DEST_SPECIAL.search(url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def protect_start(line: str, flavor: str = "pandoc") -> str:
    """Escape what would start a block at the beginning of a paragraph line."""
    m = _NOTE_DEFINITION.match(line)
    if m:
        return line[: m.end() - 1] + "\\:" + line[m.end() :]  # not a note definition
    if flavor == "pandoc" and _DEL_INS.match(line):
        return "[]{}" + line  # pandoc reads a line opening with these tags as an HTML block: an empty span first
    if flavor == "pandoc" and (m := _FANCY_LIST.match(line)):
        if line.startswith("("):
            return "\\" + line
        return line[: m.end() - 1] + "\\" + line[m.end() - 1 :]  # "a\." is no list marker
    if _BLOCK_START.match(line) or (flavor == "pandoc" and _PANDOC_START.match(line)):
        m = _NUMBERED.match(line)
        if m:
            return m.group(1) + "\\" + line[len(m.group(1)) :]
        m = _TABLE.match(line)
        if m:
            return line[:5] + "\\" + line[5:]
        return "\\" + line
    return line


def _unescaped_end(out: str) -> bool:
    """Whether the last character of ``out`` stands for itself: no odd run of backslashes before it."""
    body = out[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _space(ch: str) -> bool:
    return ch in " \t\n\r\f\v" or unicodedata.category(ch) == "Zs"


def _punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _flanking(before: str, part: str, after: str) -> bool:
    """Whether the ``~~`` at both ends of ``part`` open and close it, as CommonMark's delimiter runs do.

    ``before`` and ``after``: the characters around ``part`` (its own outer spaces count).
    """
    core = part.strip(" ")
    if part.startswith(" "):
        before = " "
    if part.endswith(" "):
        after = " "
    first, last = core[2:3] or " ", core[-3:-2] or " "
    opens = not _space(first) and (not _punct(first) or _space(before) or _punct(before))
    closes = not _space(last) and (not _punct(last) or _space(after) or _punct(after))
    return opens and closes


def _flanks(last: str, nxt: str) -> tuple[bool, bool]:
    """Whether a delimiter run between ``last`` and ``nxt`` is left-flanking, and right-flanking."""
    left = not _space(nxt) and (not _punct(nxt) or _space(last) or _punct(last))
    right = not _space(last) and (not _punct(last) or _space(nxt) or _punct(nxt))
    return left, right


def _delimited(before: str, part: str, after: str, delim: str) -> bool:
    """Whether the ``delim`` (``*``, ``**``) at both ends of ``part`` open and close it under CommonMark's rules.

    The opening run must be left-flanking, the closing one right-flanking: the character past each
    run, inside, decides (``before`` and ``after``: the characters around ``part``). Neither may be
    both (inside a word), or the rule of three may pair it with another run (``***0**0**0***``).
    """
    mark = delim[0]
    core = part.strip(" ")
    if part.startswith(" "):
        before = " "
    if part.endswith(" "):
        after = " "
    i = len(core) - len(core.lstrip(mark))
    j = len(core.rstrip(mark))
    left, right = _flanks(before, core[i : i + 1] or " ")
    opens = left and not right
    left, right = _flanks(core[j - 1 : j] or " ", after)
    closes = right and not left
    return opens and closes


def _attr(value: str) -> str:
    """A double-quoted attribute value of pandoc's ``{...}`` syntax (``{`` and ``}`` escaped too)."""
    return '"' + _ATTR_SPECIAL.sub(r"\\\1", value) + '"'


def _html_attrs(**attrs: str) -> str:
    return "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items() if v)


#: Inline kinds after which pandoc (and markdown-it's attributes) read ``{...}`` as attributes.
_ATTRIBUTED = (Link, Image, Span, SmallCaps, Code)
#: Inline kinds written in brackets (``[...](url)``, ``[...]{...}``).
_BRACKETED = (Link, Span, SmallCaps)
#: What each flavour writes as raw HTML, and the tag.
_TAGS: dict[type, str] = {Strikeout: "del", Superscript: "sup", Subscript: "sub"}


class Inlines:
    """Renders inline sequences in one flavour (``note_targets``: anchors of the notes in ``commonmark``)."""

    def __init__(self, flavor: str, note_targets: dict[str, str]) -> None:
        self.flavor = flavor
        self.note_targets = note_targets
        self.dollars = False  # escape every "$" of the sequence being written
        self.nbsp = False  # spaces written "\ " (inside pandoc's ^sup^ and ~sub~)

    def line(self, inlines: Iterable[Inline], *, dollars: bool | None = None) -> str:
        """A whole inline sequence (a paragraph, heading, caption, cell or term).

        ``dollars``: whether to escape every ``$`` (by default: when the sequence holds math,
        or more than one ``$``, that could pair up).
        """
        nodes = tuple(inlines)
        self.dollars = self.has_dollars(nodes) if dollars is None else dollars
        try:
            return self.render(nodes)
        finally:
            self.dollars = False

    def has_dollars(self, *sequences: Iterable[Inline]) -> bool:
        """Whether the ``$`` of ``sequences`` could pair up, between them or with math, and be read as math."""
        if self.flavor == "commonmark":
            return False
        count = 0
        math = False
        for seq in sequences:
            for node in iter_inlines(seq):
                if isinstance(node, Text | Code):  # a "$" in code pairs with one outside as well
                    count += node.text.count("$")
                elif isinstance(node, Math):
                    math = True
                elif isinstance(node, Link):
                    count += node.target.count("$") + node.title.count("$")
                elif isinstance(node, Image):
                    count += node.src.count("$") + node.title.count("$") + node.alt.count("$")
        return count > 1 or (count > 0 and math)

    def render(self, inlines: Iterable[Inline], outer: tuple[type, ...] = ()) -> str:
        nodes = list(inlines)
        if len(nodes) == 1 and isinstance(nodes[0], Emph) and outer and outer[-1] is Strong:
            # "***a***" reads as emphasis around strong text: strong around emphasis is "**_a_**"
            return self._wrap("_", nodes[0].content, outer, Emph)
        out = ""
        prev: Inline | None = None
        parts = [self.one(node, outer) for node in nodes]
        edge = "." if outer else " "  # around the sequence: a container's delimiter, or the line's ends
        for k, node in enumerate(nodes):
            part = parts[k]
            if isinstance(node, Emph | Strong) and part.strip(" ").startswith("*"):
                after = parts[k + 1][:1] if k + 1 < len(parts) else edge
                if not _delimited(out[-1:] or edge, part, after, "*" if isinstance(node, Emph) else "**"):
                    # "*" against punctuation with a letter outside neither opens nor closes
                    tag = "em" if isinstance(node, Emph) else "strong"
                    inner = self.render(node.content, (*outer, type(node)))
                    lead, trail = part[: len(part) - len(part.lstrip(" "))], part[len(part.rstrip(" ")) :]
                    part = f"{lead}<{tag}>{inner.strip(' ')}</{tag}>{trail}"
            if isinstance(node, Strikeout) and part.strip(" ").startswith("~~"):
                after = parts[k + 1][:1] if k + 1 < len(parts) else edge
                if not _flanking(out[-1:] or edge, part, after):
                    part = self._raw("del", node.content, outer, Strikeout)  # "~~" would not open or close
            if k == 0 and isinstance(node, Superscript) and part.startswith("^") and outer and outer[-1] in _BRACKETED:
                part = self._raw("sup", node.content, outer, Superscript)  # "[^" would start a note reference
            if isinstance(node, Math) and self.flavor == "pandoc" and part.startswith("$") and k + 1 < len(nodes):
                following = nodes[k + 1]
                if isinstance(following, Text) and following.text[:1].isdigit():
                    part = f"[{part}]{{}}"  # "$x$2" is no math in pandoc's Markdown: a bare span ends it
            if part.startswith("[") and out.endswith("!") and _unescaped_end(out):
                out = out[:-1] + "\\!"  # "![" would start an image
            if part.startswith("{") and self.flavor == "pandoc" and isinstance(prev, _ATTRIBUTED):
                part = "\\" + part  # not attributes of what precedes
            out += part
            prev = node
        return out

    def _wrap(self, delim: str, content: tuple[Inline, ...], outer: tuple[type, ...], kind: type) -> str:
        inner = self.render(content, (*outer, kind))
        if kind in outer:
            return inner  # same emphasis nested: already emphasised
        stripped = inner.strip(" ")
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")) :]
        return f"{lead}{delim}{stripped}{delim}{trail}"

    def _raw(self, tag: str, content: tuple[Inline, ...], outer: tuple[type, ...], kind: type, attrs: str = "") -> str:
        """Content between raw HTML tags (Markdown inside them is still read)."""
        inner = self.render(content, (*outer, kind))
        return f"<{tag}{attrs}>{inner}</{tag}>"

    def _script(self, node: Superscript | Subscript, outer: tuple[type, ...]) -> str:
        kind = type(node)
        if self.flavor != "pandoc":
            return self._raw(_TAGS[kind], node.content, outer, kind)
        delim = "^" if kind is Superscript else "~"
        saved, self.nbsp = self.nbsp, True
        try:
            inner = self.render(node.content, (*outer, kind))
        finally:
            self.nbsp = saved
        bare = _ESCAPED.sub("", inner)
        if not inner or _WHITE.search(bare) or delim in bare or "\\^" in inner or "\\~" in inner:
            # a space pandoc's ^...^ cannot hold (in code, a title), its delimiter (in code, math),
            # or an escaped "^" or "~", which pandoc reads as a delimiter there
            return self._raw(_TAGS[kind], node.content, outer, kind)
        return f"{delim}{inner}{delim}"

    def _strikeout(self, node: Strikeout, outer: tuple[type, ...]) -> str:
        if self.flavor == "commonmark":
            return self._raw("del", node.content, outer, Strikeout)
        out = self._wrap("~~", node.content, outer, Strikeout)
        inner = out.strip(" ")
        if Strikeout not in outer and "~~" in _ESCAPED.sub("", inner[2:-2]):
            return self._raw("del", node.content, outer, Strikeout)  # "~~" inside (code, math) would close it
        if Strikeout not in outer and (inner.startswith("~~~") or inner.endswith("~~~")):
            return self._raw("del", node.content, outer, Strikeout)  # a subscript at an edge
        return out

    def _text(self, t: str) -> str:
        out = escape(t, self.flavor, dollars=self.dollars)
        return out.replace(" ", "\\ ") if self.nbsp else out

    def _math(self, tex: str, display: bool) -> str:
        tex = tex.strip()
        if not display:
            tex = _LINE_BREAK.sub(" ", tex)
        else:
            tex = _BLANK_LINE.sub("\n", tex)
        if self.flavor == "pandoc" and tex and "$" not in tex.replace("\\$", ""):
            return f"$${tex}$$" if display else f"${tex}$"
        if self.flavor == "gfm" and tex and "`" not in tex:
            return f"$${tex}$$" if display else f"$`{tex}`$"
        warn("md.math-as-code", f"formula '{tex}' written as code: {self.flavor} Markdown cannot hold it as math",
             logger=__name__)  # fmt: skip
        return self.one(Code(tex), ())

    def one(self, node: Inline, outer: tuple[type, ...]) -> str:
        match node:
            case Text(text=t):
                return self._text(t)
            case Emph(content=c):
                return self._wrap("*", c, outer, Emph)
            case Strong(content=c):
                return self._wrap("**", c, outer, Strong)
            case Code(text=t):
                longest = max((len(m) for m in _BACKTICKS.findall(t)), default=0)
                fence = "`" * (longest + 1)
                pad = " " if t.startswith("`") or t.endswith("`") or (t.startswith(" ") and t.endswith(" ")) else ""
                return f"{fence}{pad}{t}{pad}{fence}"
            case Link(content=c, target=target, title=title):
                label = plain_text(c)
                if not title and label == target and _AUTOLINK.fullmatch(target):
                    return f"<{target}>"
                if Link in outer:
                    return self.render(c, outer)
                text = self.render(c, (*outer, Link))
                return f"[{text}]({self._where(target, title)})"
            case NoteRef(label=label):
                if self.flavor == "commonmark":
                    return f"[\\[{escape(label, self.flavor)}\\]](#{self.note_targets.get(label, 'note-' + label)})"
                return f"[^{label}]"
            case LineBreak():
                return "\\\n"
            case Strikeout():
                return self._strikeout(node, outer)
            case Superscript() | Subscript():
                return self._script(node, outer)
            case SmallCaps(content=c):
                if self.flavor != "pandoc":
                    return self._raw("span", c, outer, SmallCaps, ' class="smallcaps"')
                return f"[{self.render(c, (*outer, SmallCaps))}]{{.smallcaps}}"
            case Span(content=c, lang=lang, dir=direction):
                if self.flavor != "pandoc":
                    attrs = _html_attrs(lang=lang, dir=direction)
                    return self._raw("span", c, outer, Span, attrs) if attrs else self.render(c, outer)
                attrs = " ".join(f"{k}={_attr(v)}" for k, v in (("lang", lang), ("dir", direction)) if v)
                if not attrs:
                    return self.render(c, outer)  # a span with neither is its content
                return f"[{self.render(c, (*outer, Span))}]{{{attrs}}}"
            case Image(src=src, alt=alt, title=title):
                return self.image(src, alt, title)
            case Math(tex=tex, display=display):
                return self._math(tex, display)
        assert_never(node)

    def image(self, src: str, alt: str, title: str, attrs: str = "", *, description: str | None = None) -> str:
        """``![alt](src "title")``; ``description``: Markdown written instead of the alt text (a caption)."""
        text = escape(alt, self.flavor, dollars=self.dollars) if description is None else description
        return f"![{text}]({self._where(src, title)}){attrs}"

    def _where(self, url: str, title: str) -> str:
        """A link's or image's destination and title (a ``$`` escaped where one could pair with another).

        A backtick of the title is escaped: pandoc cuts a pipe table's rows into cells at ``|``
        outside code, and one in a title of a row's last cell would open code that a backtick of
        the next row closes (both rows then run together).
        """
        where = dest(url)
        if title:
            where += " " + json.dumps(title, ensure_ascii=False).replace("`", "\\`")
        return where.replace("$", "\\$") if self.dollars else where


# --------------------------------------------------------------------------- raw HTML (tables of gfm, commonmark)


def html_inlines(inlines: Iterable[Inline], flavor: str, note_targets: dict[str, str]) -> str:
    """``inlines`` as HTML, for a table that only raw HTML can hold."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text(text=t):
                out.append(html.escape(t, quote=False))
                continue
            case Emph(content=c):
                out.append(f"<em>{html_inlines(c, flavor, note_targets)}</em>")
                continue
            case Strong(content=c):
                out.append(f"<strong>{html_inlines(c, flavor, note_targets)}</strong>")
                continue
            case Strikeout(content=c) | Superscript(content=c) | Subscript(content=c):
                tag = _TAGS[type(node)]
                out.append(f"<{tag}>{html_inlines(c, flavor, note_targets)}</{tag}>")
                continue
            case SmallCaps(content=c):
                out.append(f'<span class="smallcaps">{html_inlines(c, flavor, note_targets)}</span>')
                continue
            case Span(content=c, lang=lang, dir=direction):
                attrs = _html_attrs(lang=lang, dir=direction)
                out.append(f"<span{attrs}>{html_inlines(c, flavor, note_targets)}</span>")
                continue
            case Code(text=t):
                out.append(f"<code>{html.escape(t, quote=False)}</code>")
                continue
            case Link(content=c, target=target, title=title):
                attrs = _html_attrs(href=target or "#", title=title)
                out.append(f"<a{attrs}>{html_inlines(c, flavor, note_targets)}</a>")
                continue
            case Image(src=src, alt=alt, title=title):
                out.append(f'<img src="{html.escape(src)}" alt="{html.escape(alt)}"{_html_attrs(title=title)} />')
                continue
            case LineBreak():
                out.append("<br />")
                continue
            case NoteRef(label=label):
                if flavor == "commonmark":
                    target = note_targets.get(label, "note-" + label)
                    out.append(f'<a href="#{html.escape(target)}">[{html.escape(label)}]</a>')
                else:
                    warn("md.note-in-html", f"reference to note '{label}' in an HTML table written as the text "
                         f"'[{label}]'", logger=__name__)  # fmt: skip
                    out.append(f"[{html.escape(label)}]")
                continue
            case Math(tex=tex):
                warn("md.math-as-code", f"formula '{tex}' written as code: a {flavor} HTML table cannot hold math",
                     logger=__name__)  # fmt: skip
                out.append(f"<code>{html.escape(tex, quote=False)}</code>")
                continue
        assert_never(node)
    return "".join(out)
