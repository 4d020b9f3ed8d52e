"""Note markers: the markers in running text that cite the notes, and the step that makes them references.

A marker is ``[iv]``, ``[ 3 ]``, ``[RFC2068]``, ``word^3``, a superscript ``<sup>3</sup>``, or a
link to the page's own note (``[[3]](https://example.org/page#fn3)``, ``[<sup>3</sup>](#fn3)``).
:mod:`.notes` reads the note sections, and uses these readers to tell entries' labels and to
scope the markers of each part of an article with several note sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from convert.recache import compile as recompile

from ...errors import warn
from ...ir.model import (
    Block,
    Heading,
    Inline,
    Link,
    NoteRef,
    Paragraph,
    Superscript,
    Text,
)
from ...ir.text import INLINE_LEAVES, is_normal
from ...ir.walk import block_inlines, iter_inlines, normalize_inlines, plain_text, walk_inlines
from .draft import Draft

__all__ = ["mark_notes"]


#: A label that looks like a reference tag (``RFC2068``, ``COKE``, ``ISO-8601``).
_TAG = recompile(r"[A-Z][A-Z0-9]*(?:[.+-][A-Z0-9]+)*\Z")
#: A note marker in running text: ``[iv]``, ``[ 3 ]``, ``[RFC2068]`` (group 1), or ``word^3`` (group 2);
#: the white space before a bracket is the marker's too (:func:`_markers` adds it).
_MARKER = recompile(
    r"\[\s*([^\[\]\s]{1,12})\s*\]"
    r"|\^(?:(?<=[^\W\d_]{2}\^)|(?<=[.,;:!?)\"\u201d\u2019]\^))(\d{1,4})(?![\w^])"
)


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``_MARKER.finditer(text)``, the pattern tried only at a bracket or a caret, where every match starts.

    (``str.find`` goes to the next one at the speed of ``memchr``; the search of the pattern tests
    every character against its first ones, some nanoseconds each, in paragraphs of thousands.
    A match at a position sees the text before it, as the search's does: the caret's lookbehind.)
    """
    bracket, caret = text.find("["), text.find("^")
    while bracket >= 0 or caret >= 0:
        at = bracket if caret < 0 or 0 <= bracket < caret else caret
        m = _MARKER.match(text, at)
        pos = at + 1
        if m is not None:
            yield m
            pos = m.end()
        if 0 <= bracket < pos:
            bracket = text.find("[", pos)
        if 0 <= caret < pos:
            caret = text.find("^", pos)


def _markers(text: str) -> Iterator[tuple[int, int, str]]:
    """The note markers of ``text``: (start, end, label), in order, a bracket's marker with the white space before it.

    (The pattern starts at the bracket or the caret, where :func:`_matches` tries it; the white
    space before a bracket, back to the end of the marker before, is added here.)
    """
    floor = 0
    for m in _matches(text):
        start = m.start()
        label = m.group(1)
        if label is None:
            label = m.group(2)
        else:
            while start > floor and text[start - 1].isspace():  # (as ``text[floor:start].rstrip()``, without a copy)
                start -= 1
        yield start, m.end(), label
        floor = m.end()


def _label_text(content: Sequence[Inline]) -> str:
    """A marker's label from its text: ``1``, ``[1]``, `` iv `` -> ``1``, ``1``, ``iv`` ("" if it is no label)."""
    text = plain_text(content).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1].strip()
    return text if 0 < len(text) <= 12 and not any(c.isspace() for c in text) else ""


def _link_marker(link: Link) -> str:
    """The label of a link that is a note marker (``[[1]](#fn1)``, ``[<sup>1</sup>](...#fn1)``), or ""."""
    if "#" not in link.target or not link.content:
        return ""
    only = link.content[0] if len(link.content) == 1 else None
    if isinstance(only, Superscript):
        return _label_text(only.content)
    text = plain_text(link.content).strip()
    return _label_text(link.content) if text.startswith("[") and text.endswith("]") else ""


def _may_mark(node: Inline) -> bool:
    """Whether a node is, or may hold, a marker (or is a reference: a sequence left to normalise)."""
    if isinstance(node, Text):
        return "[" in node.text or "^" in node.text
    return isinstance(node, NoteRef | Superscript)


#: Deeper than any inline content: :func:`_is_normal` reads every level.
_ALL_LEVELS = 1 << 30


def _is_normal(content: tuple[Inline, ...]) -> bool:
    """Whether ``normalize_inlines(content) == content`` holds, read without building anything (False: not sure).

    (:func:`convert.ir.text.is_normal`, into every container.)
    """
    return is_normal(content, _ALL_LEVELS)


def _cited(blocks: Sequence[Block]) -> set[str]:
    """The (lower-case) labels of the markers in ``blocks``: ``[1]``, ``word^1``, superscripts."""
    found: set[str] = set()
    for block in blocks:
        for content in block_inlines(block):
            for node in iter_inlines(content):
                if isinstance(node, Superscript):
                    found.add(_label_text(node.content).lower())
                elif isinstance(node, NoteRef):
                    found.add(node.label.lower())
                elif isinstance(node, Text) and _may_mark(node):
                    found.update(label.lower() for _, _, label in _markers(node.text))
    return found


def _mark(blocks: Sequence[Block], labels: dict[str, str]) -> list[Block]:
    """``blocks`` with the markers of the notes in ``labels`` (lower-case label -> label) made references."""

    def known(label: str) -> str:
        return labels.get(label.lower(), "") if label else ""

    def linked_markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if Link not in map(type, content):  # (the IR's node classes have no subclasses)
            return content
        out = tuple(
            NoteRef(lab) if isinstance(node, Link) and (lab := known(_link_marker(node))) else node for node in content
        )
        return content if all(a is b for a, b in zip(out, content, strict=True)) else out

    def changes(content: tuple[Inline, ...]) -> bool:
        """Whether a marker of ``content`` names a note (or a text before a reference ends with a space)."""
        for node, nxt in zip(content, (*content[1:], None), strict=True):
            if isinstance(node, Superscript):
                if known(_label_text(node.content)):
                    return True
            elif isinstance(node, Text):
                if isinstance(nxt, NoteRef) and node.text.endswith(" "):
                    return True
                if _may_mark(node) and any(known(label) for _, _, label in _markers(node.text)):
                    return True
        return False

    def markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(map(_may_mark, content)):
            return content  # read and normalised already: nothing to do
        if not changes(content) and _is_normal(content):
            return content  # (what the rest gives: the same nodes, normalised already)
        out: list[Inline] = []
        for node in content:
            if isinstance(node, Superscript) and (lab := known(_label_text(node.content))):
                out.append(NoteRef(lab))
                continue
            if not isinstance(node, Text):
                out.append(node)
                continue
            t, pos = node.text, 0
            for start, end, label in _markers(t):
                lab = known(label)
                if lab:
                    out.append(Text(t[pos:start]))
                    out.append(NoteRef(lab))
                    pos = end
            out.append(Text(t[pos:]))
        cleaned = [
            Text(node.text.rstrip(" ")) if isinstance(node, Text) and isinstance(nxt, NoteRef) else node
            for node, nxt in zip(out, [*out[1:], None], strict=True)
        ]
        result = normalize_inlines(cleaned)
        return content if result == content else result  # (the same: the block is kept, not copied)

    # a marker in a link's text is the link's (``[[2]](https://...)`` cites the page, not a note)
    out = list(blocks)
    todo: list[int] = []  # the blocks to walk
    for i, block in enumerate(out):
        work = _work(block)
        if work is _FLAT:  # what the walks come to for a paragraph or heading of leaves: its markers read
            content = block.content  # type: ignore[union-attr]
            new = markers(content)
            if new is not content:
                out[i] = Paragraph(new) if type(block) is Paragraph else Heading(block.level, new)  # type: ignore[union-attr]
        elif work is _WALK:
            todo.append(i)
    walked = walk_inlines(markers, walk_inlines(linked_markers, tuple(out[i] for i in todo)), opaque=(Link,))
    for i, block in zip(todo, walked, strict=True):
        out[i] = block
    return out


#: What :func:`_mark` does with a block (:func:`_work`): nothing, read the markers of its one sequence, or walk it.
_NONE, _FLAT, _WALK = "none", "flat", "walk"


def _work(block: Block) -> str:
    """What :func:`_mark` must do with ``block``; its walks would leave it as it is when this says ``_NONE``.

    They change only a block with a node of :func:`_may_mark` (a text with ``[`` or ``^``, a
    reference, a superscript) or a link to an anchor (``#``: its text may be a marker held by no
    text node, an image's ``[1]``), at any depth.  A paragraph or a heading of leaves only (no
    link, no emphasis) is ``_FLAT``: the walks come to the markers of its content, read at once.
    """
    if type(block) is Paragraph or type(block) is Heading:  # (most blocks: their nodes read at once)
        content = block.content
        for node in content:
            kind = type(node)
            if kind is Text:
                if "[" in node.text or "^" in node.text:  # type: ignore[union-attr]
                    break
            elif kind is NoteRef or kind not in INLINE_LEAVES:
                break
        else:
            return _NONE  # texts without a marker, and other leaves that are none
        if all(type(node) in INLINE_LEAVES for node in content):
            return _FLAT
        sequences: Iterable[tuple[Inline, ...]] = (content,)
    else:
        sequences = block_inlines(block)
    for content in sequences:
        for node in iter_inlines(content):
            kind = type(node)
            if kind is Text:
                if "[" in node.text or "^" in node.text:  # type: ignore[union-attr]
                    return _WALK
            elif kind is NoteRef or kind is Superscript or (kind is Link and "#" in node.target):  # type: ignore[union-attr]
                return _WALK
    return _NONE


def mark_notes(draft: Draft) -> None:
    """Transform: note markers of known labels become note references.

    Markers: ``[iv]``, ``[ 3 ]``, ``[RFC2068]``, ``word^3``, a superscript ``<sup>3</sup>``, and a
    link to the page's own note (``[[3]](https://example.org/page#fn3)``, ``[<sup>3</sup>](#fn3)``).
    No space is left before a reference.  A marker that looks like one of the notes' but names
    none stays text, with a warning.
    """
    labels = {n.label.lower(): n.label for n in draft.notes}
    if not labels:
        return
    draft.blocks = _mark(draft.blocks, labels)
    _warn_missing(draft.blocks, labels)


def _warn_missing(blocks: Sequence[Block], labels: dict[str, str]) -> None:
    """Warn once for each marker left in the text that is like the notes' labels but names none of them.

    Like: a number up to five past the highest numbered note, or a tag (``[WEBDAV]``) when notes have tags.
    """
    numbers = [int(label) for label in labels if label.isdigit()]
    highest = max(numbers, default=0)
    tags = any(_TAG.match(label) for label in labels.values() if not label.isdigit())
    if not highest and not tags:
        return
    missing: dict[str, None] = {}
    for block in blocks:
        for content in block_inlines(block):
            for node in iter_inlines(content):
                if not isinstance(node, Text) or "[" not in node.text:
                    continue
                for m in _matches(node.text):
                    label = m.group(1)
                    if not label or label.lower() in labels:
                        continue
                    if (label.isdigit() and 0 < int(label) <= highest + 5) or (tags and _TAG.match(label)):
                        missing.setdefault(label)
    for label in missing:
        warn("notes.missing", f"note marker '[{label}]' names no note: kept as text", logger=__name__)
