"""Footnotes and endnotes of a page as the article's notes.

Pages mark a note reference as a short link to an element of the same page: ``<sup><a
href="#fn1">1</a></sup>``, ``<a role="doc-noteref">``, ``<a class="footnote-ref">``,
Wikipedia's ``<sup class="reference"><a href="#cite_note-1">[1]</a></sup>``.  Its target is an
entry of a notes list (``<ol class="footnotes">``, ``<section role="doc-endnotes">``, ``<aside
role="doc-footnote">``, ``<ol class="references">``...).  Before the main content is looked for:

1. every such reference becomes a placeholder in the text (``⟦`` a token unique to the page, the
   label, ``⟧``: characters an extractor keeps), so it stays where it was;
2. each entry it points to becomes a :class:`~convert.ir.model.Note` (its back links ``↩``
   removed), and the notes lists leave the page, so they are not read again as body text.

After the body is read, :func:`place_refs` turns the placeholders into
:class:`~convert.ir.model.NoteRef`.  An entry no reference points to is still kept when it sits
in a notes list with others that are (nothing of the article silently lost).
"""

from __future__ import annotations

import re
from typing import Any

from convert.recache import compile as recompile

from ...ir.model import (
    Block,
    Code,
    Emph,
    Inline,
    LineBreak,
    Link,
    Note,
    NoteRef,
    Paragraph,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Text,
)
from ...ir.walk import normalize_inlines, walk_inlines
from ...urls import link_url

__all__ = ["NoteSet", "drop", "place_refs", "take_notes"]

_OPEN, _CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧
_NOTES_MARK = recompile(r"foot-?notes?|end-?notes?|fn|references?|cite_note|notes?\b|doc-(?:foot|end)note", re.I)
_REF_TEXT = recompile(r"^\[?\s*(?:\d{1,3}|[ivxlc]{1,6}|[a-z]|[*†‡§])\s*\]?$", re.IGNORECASE)
_BACKLINK = recompile(r"^(?:↩|↑|\^|⏎|back|return)", re.IGNORECASE)


class NoteSet:
    """The notes found, in order, the label of each target id, and the page's placeholder token."""

    def __init__(self, token: str) -> None:
        self.notes: list[Note] = []
        self.labels: dict[str, str] = {}
        self.token = token
        self.pattern = re.compile(f"{_OPEN}{token}:([^{_CLOSE}]{{1,40}}){_CLOSE}")


def _marks(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"


def _is_ref(a: Any, target: Any) -> bool:
    if "noteref" in (a.get("role") or "") or "footnote-ref" in (a.get("class") or ""):
        return True
    text = (a.text_content() or "").strip()
    if not _REF_TEXT.match(text):
        return False
    parent = a.getparent()
    in_sup = a.find("sup") is not None or (parent is not None and parent.tag == "sup")
    container = target
    for _ in range(4):
        if container is None:
            break
        if _NOTES_MARK.search(_marks(container)):
            return True
        container = container.getparent()
    return in_sup and target.tag in ("li", "p", "div", "aside", "dd")


def _notes_container(target: Any) -> Any:
    """The notes list ``target`` belongs to (its ``ol``/``section``/``aside``/``div``), or itself."""
    node = target
    for _ in range(5):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "article", "main"):
            break
        node = parent
        if node.tag in ("ol", "ul", "section", "aside", "div", "footer") and _NOTES_MARK.search(_marks(node)):
            return node
    return target


def take_notes(tree: Any, text: str) -> NoteSet:
    """Mark the references and take the notes out of ``tree``, parsed from ``text`` (see the module's doc).

    The placeholders' token is a hash of the page's text (the same for the same text in one
    process): no page holds it by accident.
    """
    token = f"{hash(text) & 0xFFFFFFFF:08x}"
    found = NoteSet(token)
    links = [(a, (a.get("href") or "").strip()) for a in tree.xpath("//a[contains(@href, '#')]")]
    links = [(a, href) for a, href in links if href.startswith("#") and len(href) > 1]
    if not links:
        return found
    wanted = {href[1:] for _, href in links}
    ids = {str(value): value.getparent() for value in tree.xpath("//@id") if value in wanted}
    refs: list[tuple[Any, str]] = []
    for a, href in links:
        target = ids.get(href[1:])
        if target is None or target is a or _is_ref_inside(a, target) or not _is_ref(a, target):
            continue
        refs.append((a, href[1:]))
    # a link inside a note that points back into the text is a back link, not a reference
    targets = {id(ids[t]) for _, t in refs}
    refs = [(a, t) for a, t in refs if not any(id(up) in targets for up in a.iterancestors())]
    if not refs:
        return found
    containers: list[Any] = []
    for a, target_id in refs:
        label = found.labels.get(target_id)
        if label is None:
            label = _label(a, len(found.labels) + 1)
            while label in found.labels.values():
                label = f"{label}-{len(found.labels) + 1}"
            found.labels[target_id] = label
            target = ids[target_id]
            container = _notes_container(target)
            if not any(container is c for c in containers):
                containers.append(container)
        _replace_with_placeholder(a, f"{_OPEN}{token}:{label}{_CLOSE}")
    for container in containers:
        entries = [container] if container.get("id") in found.labels else _entries(container)
        for entry in entries:
            entry_id = entry.get("id") or ""
            label = found.labels.get(entry_id) or f"n{len(found.notes) + 1}"
            found.labels.setdefault(entry_id or label, label)
            blocks = note_blocks(entry)
            if blocks:
                found.notes.append(Note(label, blocks))
        parent = container.getparent()
        if parent is not None:
            drop(container)
    return found


def _is_ref_inside(a: Any, target: Any) -> bool:
    """A link inside its own target (a back link, a table of contents entry pointing at itself)."""
    node = a
    while node is not None:
        if node is target:
            return True
        node = node.getparent()
    return False


def _entries(container: Any) -> list[Any]:
    items = list(container.iter("li"))
    if items:
        return items
    return [el for el in container if isinstance(el.tag, str) and el.get("id")]


def _label(a: Any, n: int) -> str:
    text = re.sub(r"[\[\]\s]", "", a.text_content() or "")
    return text if text and len(text) <= 12 else str(n)


def _replace_with_placeholder(a: Any, placeholder: str) -> None:
    """Put the placeholder where the reference is (its ``<sup>`` wrapper too)."""
    node = a
    parent = a.getparent()
    if parent is not None and parent.tag == "sup" and len(parent) == 1 and not (parent.text or "").strip():
        node = parent
    drop(node, replacement=placeholder)


def drop(el: Any, replacement: str = "") -> None:
    """Remove ``el`` keeping its tail (after ``replacement``)."""
    parent = el.getparent()
    if parent is None:
        return
    text = replacement + (el.tail or "")
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(el)


# --------------------------------------------------------------------------- note content

_Wrapper = type[Emph | Strong | Superscript | Subscript | Strikeout]
_INLINE_MAP: dict[str, _Wrapper] = {
    "em": Emph, "i": Emph, "cite": Emph, "strong": Strong, "b": Strong,
    "sup": Superscript, "sub": Subscript, "del": Strikeout, "s": Strikeout,
}  # fmt: skip
_BLOCK_TAGS = ("p", "div", "blockquote", "ul", "ol", "li", "table", "pre", "h1", "h2", "h3", "h4", "h5", "h6")


def _spaced(el: Any, nodes: list[Inline]) -> list[Inline]:
    """``nodes`` (``el``'s content, trimmed) with the white space at ``el``'s edges put back around them."""
    if not nodes:
        return [Text(" ")] if (el.text or "").isspace() else []
    last = el[-1].tail if len(el) else el.text
    before = [Text(" ")] if (el.text or "")[:1].isspace() else []
    after = [Text(" ")] if (last or "")[-1:].isspace() else []
    return [*before, *nodes, *after]


def html_inlines(el: Any) -> tuple[Inline, ...]:
    """The inlines of an HTML element (links, emphasis, code, line breaks; back links left out)."""
    out: list[Inline] = []
    if el.text:
        out.append(Text(el.text))
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        back = tag == "a" and _BACKLINK.match((child.text_content() or "").strip())
        if back or "backlink" in _marks(child) or tag in ("script", "style"):
            pass
        elif tag == "br":
            out.append(LineBreak())
        elif tag == "code":
            out.append(Code(child.text_content() or ""))
        elif tag == "a" or tag in _INLINE_MAP:
            content = html_inlines(child)
            href = link_url(child.get("href") or "") if tag == "a" else ""
            node = (
                (Link(content, href) if href else _INLINE_MAP[tag](content))
                if content and (href or tag != "a")
                else None
            )
            out.extend(_spaced(child, [node] if node else list(content)))
        elif tag:
            out.extend(html_inlines(child))
        if child.tail:
            out.append(Text(child.tail))
    return normalize_inlines(out)


def note_blocks(entry: Any) -> tuple[Block, ...]:
    """The blocks of one note entry: its paragraphs, or its text as one paragraph."""
    paragraphs = [p for p in entry if isinstance(p.tag, str) and p.tag in ("p", "div")]
    if paragraphs and len(paragraphs) == len([c for c in entry if isinstance(c.tag, str) and c.tag in _BLOCK_TAGS]):
        blocks = tuple(Paragraph(c) for c in (html_inlines(p) for p in paragraphs) if c)
        if blocks:
            return blocks
    content = html_inlines(entry)
    return (Paragraph(content),) if content else ()


def _split(text: str, pattern: re.Pattern[str], labels: set[str]) -> list[Inline]:
    out: list[Inline] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            out.append(Text(text[last : match.start()]))
        label = match.group(1)
        out.append(NoteRef(label) if label in labels else Text(f"[{label}]"))
        last = match.end()
    if last < len(text):
        out.append(Text(text[last:]))
    return out


def place_refs(blocks: tuple[Block, ...], found: NoteSet) -> tuple[Block, ...]:
    """The placeholders in ``blocks`` turned into references to the notes found (others: text)."""
    if not found.labels:
        return blocks  # no reference was marked: no placeholder to look for
    labels = {note.label for note in found.notes}
    pattern = found.pattern

    def inlines(seq: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(n, Text) and _OPEN in n.text for n in seq):
            return seq
        out: list[Inline] = []
        for node in seq:
            out.extend(_split(node.text, pattern, labels) if isinstance(node, Text) and _OPEN in node.text else (node,))
        return tuple(out)

    return walk_inlines(inlines, blocks)


def strip_placeholders(text: str, found: NoteSet) -> str:
    """``text`` without the placeholders (text read after the references were marked)."""
    return found.pattern.sub("", text)
