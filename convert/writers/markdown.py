"""The ``md`` writer: clean Markdown with YAML front matter.

Pandoc-flavoured by default (footnotes ``[^label]``, fenced ``::: figure``
divs, ``\\``-newline hard breaks), which pandoc reads back as real notes and
metadata.  ``gfm`` keeps footnotes and writes figures as an image and an
emphasised caption; ``commonmark`` has no notes, so references are written
as ``[label]`` links to a closing *Notes* list.

Reading the pandoc-flavoured output back with the ``md`` reader and writing it
again gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import assert_never

from ..ir.crosswalk import front_matter_items
from ..ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ..ir.walk import normalize_inlines, plain_text
from ..registry import Options, WriterSpec

__all__ = ["WRITER", "front_matter", "render"]

_YAML_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~", ""}
_PLAIN_OK = re.compile(r"[A-Za-z\u00c0-\U0010ffff(][^\n\t\"#:{}\[\]|>&*!%@`\\]*")


def _yaml_str(value: str) -> str:
    """A YAML scalar for ``value``: plain when unambiguous, else double-quoted."""
    if (
        _PLAIN_OK.fullmatch(value)
        and value.lower() not in _YAML_RESERVED
        and value == value.strip()
        and not value.endswith(("?", "-", ","))
        and not re.fullmatch(r"[-+.\d_eE:]+", value)
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml_scalar(value: object) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return _yaml_str(str(value))


def _yaml(key: str, value: object, indent: str = "") -> list[str]:
    """``key: value`` as block YAML: a scalar, a list (of scalars or mappings) or a mapping."""
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for sub, item in value.items():
            lines.extend(_yaml(_yaml_str(str(sub)), item, indent + "  "))
        return lines
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, dict):
                lines.extend(
                    f"{indent}{'- ' if k == 0 else '  '}{_yaml_str(str(sub))}: {_yaml_scalar(v)}"
                    for k, (sub, v) in enumerate(item.items())
                )
            else:
                lines.append(f"{indent}- {_yaml_scalar(item)}")
        return lines
    return [f"{indent}{key}: {_yaml_scalar(value)}"]


def front_matter(meta: Metadata) -> str:
    """The YAML front matter block (with its ``---`` fences) for ``meta`` (keys from the crosswalk)."""
    lines: list[str] = ["---"]
    for key, value in front_matter_items(meta):
        lines.extend(_yaml(key, value))
    lines.append("---")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- inlines


_SPECIAL = {
    "pandoc": re.compile(r"[\\*`\[\]_<^~$@&]"),
    "gfm": re.compile(r"[\\*`\[\]_<~&]"),
    "commonmark": re.compile(r"[\\*`\[\]_<&]"),
}
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _escape(text: str, flavor: str) -> str:
    """Backslash-escape exactly the characters that would be read as markup in ``flavor``."""
    special = _SPECIAL.get(flavor, _SPECIAL["pandoc"])
    if special.search(text) is None:
        return text  # the common case: nothing to escape
    n = len(text)
    several_dollars = text.count("$") > 1

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


_BLOCK_START = re.compile(r"^(?:#|>|[-+*][ \t]|[-+*]$|\d+[.)](?:[ \t]|$)|:::|=+$|[-*_](?:[ \t]*[-*_]){2,}[ \t]*$|\|)")


def _dest(url: str) -> str:
    """A link destination, in angle brackets when it has spaces or brackets."""
    if re.search(r"[\s()<>]", url) or not url:
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _protect_start(line: str) -> str:
    """Escape what would start a block at the beginning of a paragraph line."""
    m = re.match(r"^\[\^[^\]\s]+\]:", line)
    if m:
        return line[: m.end() - 1] + "\\:" + line[m.end() :]  # not a note definition
    if _BLOCK_START.match(line):
        m = re.match(r"^(\d+)([.)])", line)
        if m:
            return m.group(1) + "\\" + line[len(m.group(1)) :]
        return "\\" + line
    return line


def _unescaped_end(out: str) -> bool:
    """Whether the last character of ``out`` stands for itself: no odd run of backslashes before it."""
    body = out[:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 0


class _Inlines:
    def __init__(self, flavor: str, note_targets: dict[str, str]) -> None:
        self.flavor = flavor
        self.note_targets = note_targets

    def render(self, inlines: Iterable[Inline], outer: tuple[type, ...] = ()) -> str:
        nodes = list(inlines)
        if len(nodes) == 1 and isinstance(nodes[0], Emph) and outer and outer[-1] is Strong:
            # "***a***" reads as emphasis around strong text: strong around emphasis is "**_a_**"
            return self._wrap("_", nodes[0].content, outer, Emph)
        out = ""
        for node in nodes:
            part = self.one(node, outer)
            if part.startswith("[") and out.endswith("!") and _unescaped_end(out):
                out = out[:-1] + "\\!"  # "![" would start an image
            out += part
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

    def one(self, node: Inline, outer: tuple[type, ...]) -> str:
        match node:
            case Text(text=t):
                return _escape(t, self.flavor)
            case Emph(content=c):
                return self._wrap("*", c, outer, Emph)
            case Strong(content=c):
                return self._wrap("**", c, outer, Strong)
            case Code(text=t):
                longest = max((len(m) for m in re.findall(r"`+", t)), default=0)
                fence = "`" * (longest + 1)
                pad = " " if t.startswith("`") or t.endswith("`") or (t.startswith(" ") and t.endswith(" ")) else ""
                return f"{fence}{pad}{t}{pad}{fence}"
            case Link(content=c, target=target, title=title):
                label = plain_text(c)
                if not title and label == target and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*", target):
                    return f"<{target}>"
                if Link in outer:
                    return self.render(c, outer)
                dest = _dest(target)
                text = self.render(c, (*outer, Link))
                if title:
                    dest += " " + json.dumps(title, ensure_ascii=False)
                return f"[{text}]({dest})"
            case NoteRef(label=label):
                if self.flavor == "commonmark":
                    return f"[\\[{_escape(label, self.flavor)}\\]](#{self.note_targets.get(label, 'note-' + label)})"
                return f"[^{label}]"
            case LineBreak():
                return "\\\n"
        assert_never(node)


# --------------------------------------------------------------------------- blocks


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        [first + lines[0], *((rest + ln) if ln.strip() else "" for ln in lines[1:])]
    )


class _Blocks:
    def __init__(self, inl: _Inlines, flavor: str) -> None:
        self.inl = inl
        self.flavor = flavor

    def paragraph(self, content: tuple[Inline, ...]) -> str:
        text = self.inl.render(normalize_inlines(content))
        return "\n".join(_protect_start(line) for line in text.split("\n"))

    def blocks(self, blocks: Sequence[Block]) -> str:
        parts: list[str] = []
        for i, block in enumerate(blocks):
            if i and type(blocks[i - 1]) is type(block) and isinstance(block, BulletList | OrderedList | BlockQuote):
                parts.append("<!-- -->")  # keep two lists or quotes apart, as pandoc does
            parts.append(self.block(block))
        return "\n\n".join(p for p in parts if p)

    def block(self, block: Block) -> str:
        match block:
            case Paragraph(content=c):
                return self.paragraph(c)
            case Heading(level=level, content=c):
                text = self.inl.render(normalize_inlines(c)).replace("\\\n", " ").replace("\n", " ")
                if text.endswith("#"):
                    text = text[:-1] + "\\#"  # not a closing sequence
                return "#" * max(1, min(level, 6)) + " " + text
            case BlockQuote(blocks=bs):
                inner = self.blocks(bs)
                return "\n".join(("> " + ln) if ln else ">" for ln in inner.split("\n")) if inner else ""
            case BulletList(items=items):
                return self._list(["- "] * len(items), items)
            case OrderedList(items=items, start=start):
                return self._list([f"{start + k}. " for k in range(len(items))], items)
            case Figure(caption=caption, image=image):
                return self.figure(caption, image.src if image else "", image.alt if image else "")
            case ThematicBreak():
                return "* * *"
            case CodeBlock(text=t, language=lang):
                longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", t, re.M)), default=2)
                fence = "`" * max(3, longest + 1)
                return f"{fence}{lang}\n{t}\n{fence}"
        assert_never(block)

    def _list(self, markers: list[str], items: tuple[tuple[Block, ...], ...]) -> str:
        loose = any(len(item) > 1 for item in items)
        rendered = []
        for marker, item in zip(markers, items, strict=True):
            body = self.blocks(item) or ""
            rendered.append(_indent(body, marker, " " * len(marker)))
        return ("\n\n" if loose else "\n").join(rendered)

    def figure(self, caption: tuple[Inline, ...], src: str, alt: str) -> str:
        cap = self.paragraph(caption) if caption else ""
        if self.flavor == "pandoc":
            parts = ["::: figure"]
            if src:
                parts += [f"![{_escape(alt, self.flavor)}]({_dest(src)})", ""]
            if cap:
                parts.append(cap)
            elif parts[-1] == "":
                parts.pop()
            parts.append(":::")
            return "\n".join(parts)
        out = []
        if src:
            out.append(f"![{_escape(alt, self.flavor)}]({_dest(src)})")
        if caption:
            out.append(self.paragraph((Emph(caption),)))
        return "\n\n".join(out)


def _notes(notes: Sequence[Note], blocks: _Blocks, flavor: str) -> str:
    if not notes:
        return ""
    if flavor == "commonmark":
        items = []
        for note in notes:
            body = blocks.blocks(note.blocks)
            items.append(
                _indent(f'<a id="note-{note.label}"></a>\\[{_escape(note.label, flavor)}\\] ' + body, "- ", "  ")
            )
        return "## Notes\n\n" + "\n".join(items)
    out = []
    for note in notes:
        body = blocks.blocks(note.blocks)
        out.append(_indent(body, f"[^{note.label}]: ", "    "))
    return "\n\n".join(out)


def render_markdown(article: Article, flavor: str = "pandoc") -> str:
    """The article as Markdown text in ``flavor``."""
    targets = {note.label: f"note-{note.label}" for note in article.notes}
    inl = _Inlines(flavor, targets)
    blocks = _Blocks(inl, flavor)
    parts = [front_matter(article.metadata).rstrip("\n")]
    body = blocks.blocks(article.body)
    if body:
        parts.append(body)
    notes = _notes(article.notes, blocks, flavor)
    if notes:
        parts.append(notes)
    # readers normalise text to NFC, so the writer does too (reading back must not change it)
    return unicodedata.normalize("NFC", "\n\n".join(parts) + "\n")


def render(article: Article, options: Options) -> bytes:
    """Writer entry: Markdown in ``options.md_flavor`` as UTF-8 bytes."""
    return render_markdown(article, options.md_flavor).encode("utf-8")


WRITER = WriterSpec(
    name="md",
    extension=".md",
    media_type="text/markdown",
    description="clean Markdown with YAML front matter (pandoc, gfm or commonmark flavour)",
    render=render,
    aliases=(".markdown",),
)

