"""The back matter: the ``Notes`` list and the rights furniture.

Every note is kept, referenced or not, under its own label (a repeated label
gets a suffix); the rights lines (source, copyright, disclaimer, fair-use
notice, contact) are kept verbatim.  What is neither stays in the text.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ...ir.model import Block, BulletList, Heading, Inline, LineBreak, Note, NoteRef, OrderedList, Paragraph, Text
from ...ir.walk import normalize_inlines, plain_text
from .chrome import split_lines
from .draft import Draft

__all__ = ["collect_notes", "take_back_matter"]

_NOTE_HEADINGS = frozenset(
    {"notes", "endnotes", "footnotes", "references", "sources", "note", "reference", "end notes"}
)
_NOTE_LABEL = re.compile(r"^\s*\[\s*([^\]\s][^\]]*?)\s*\]\s*[:.]?\s*")


#: Labels that start a new note inside a paragraph of notes (``[1] ... [2] ...``).
@functools.cache
def _note_split() -> re.Pattern[str]:
    return re.compile(r"(?<=\s)\[\s*(\d{1,4}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})\s*\]\s*[:.]?\s*")


_SOURCE = re.compile(r"^The original source of this article is\b", re.I)
_COPYRIGHT = re.compile(r"^(?:Copyright\b\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}\b|[A-Z\[])")
_DISCLAIMER = re.compile(r"^Disclaimer\s*:\s*", re.I)
_CONTACT = re.compile(r"^(?:For media inquiries|Media inquiries|Media contact|Contact(?: us)?)\s*:", re.I)
_FAIR_USE = re.compile(r"\bfair use\b", re.I)


def _is_note_heading(block: Block) -> bool:
    """A ``Notes`` heading, or a paragraph that is only the word (``**Notes:**``)."""
    if isinstance(block, Heading) or (isinstance(block, Paragraph) and len(plain_text(block.content)) <= 20):
        content = block.content
    else:
        return False
    return plain_text(content).strip().rstrip(":").strip().lower() in _NOTE_HEADINGS


def _rights_line(text: str, rights: dict[str, Any], *, strong_only: bool = False) -> bool:
    """Take one line of rights furniture into ``rights`` (by crosswalk row name); False if it is not one.

    ``strong_only``: only what surely starts the back matter (source, copyright, disclaimer).
    """
    if _SOURCE.match(text):
        rights["source"] = _join(rights.get("source"), text)
    elif _COPYRIGHT.match(text) and len(text) <= 400:
        rights["copyright"] = _join(rights.get("copyright"), text)
    elif _DISCLAIMER.match(text):
        rights["disclaimer"] = _join(rights.get("disclaimer"), _DISCLAIMER.sub("", text, count=1))
    elif strong_only:
        return False
    elif _CONTACT.match(text):
        rights["contact"] = _join(rights.get("contact"), text)
    elif _FAIR_USE.search(text) and "copyright" in text.lower():
        rights["fair_use"] = _join(rights.get("fair_use"), text)
    else:
        return False
    return True


def _join(old: str | None, new: str) -> str:
    return f"{old}\n\n{new}" if old else new


def _rights_from_block(block: Block, rights: dict[str, Any], *, strong_only: bool = False) -> bool:
    """Take a paragraph into ``rights`` if every line of it is rights furniture."""
    if not isinstance(block, Paragraph):
        return False
    texts = [" ".join(plain_text(line).split()) for line in split_lines(block.content)]
    scratch = dict(rights)
    if texts and all(_rights_line(t, scratch, strong_only=strong_only) for t in texts):
        rights.update(scratch)
        return True
    return False


def _label_and_rest(content: tuple[Inline, ...]) -> tuple[str, tuple[Inline, ...]]:
    """The note label that starts ``content`` (``[1]``, ``[ iv ]:``), if any, and the rest."""
    if content and isinstance(content[0], Text):
        m = _NOTE_LABEL.match(content[0].text)
        if m:
            rest = content[0].text[m.end() :]
            return m.group(1), normalize_inlines(((Text(rest),) if rest else ()) + content[1:])
    if content and isinstance(content[0], NoteRef):
        return content[0].label, normalize_inlines(content[1:])
    return "", content


def _notes_from_list(block: BulletList | OrderedList) -> list[Note]:
    """Notes from a list: each item's leading label, else its number."""
    notes: list[Note] = []
    for index, item in enumerate(block.items):
        label = ""
        blocks = list(item)
        if blocks and isinstance(blocks[0], Paragraph):
            label, rest = _label_and_rest(blocks[0].content)
            if label:
                blocks[0] = Paragraph(rest)
        if not label:
            label = str(block.start + index) if isinstance(block, OrderedList) else str(index + 1)
        notes.append(Note(label, tuple(b for b in blocks if not (isinstance(b, Paragraph) and not b.content))))
    return notes


def _split_notes(content: tuple[Inline, ...]) -> list[tuple[str, tuple[Inline, ...]]] | None:
    """A paragraph of notes (``[1] text [2] text``, on one line or several) as (label, content) pairs.

    A note starts at a label at the start of a line (any label), or at a
    number or roman numeral in brackets after a space.
    """
    notes: list[tuple[str, list[Inline]]] = []
    line_start = True
    for node in content:
        if isinstance(node, LineBreak):
            line_start = True
            continue
        if isinstance(node, Text):
            text = node.text
            if line_start and (m := _NOTE_LABEL.match(text)):
                notes.append((m.group(1), []))
                text = text[m.end() :]
            elif not notes:
                return None
            pos = 0
            for m in _note_split().finditer(text):
                notes[-1][1].append(Text(text[pos : m.start()]))
                notes.append((m.group(1), []))
                pos = m.end()
            notes[-1][1].append(Text(text[pos:]))
        elif line_start and isinstance(node, NoteRef):
            notes.append((node.label, []))
        elif not notes:
            return None
        else:
            notes[-1][1].append(node)
        line_start = False
    return [(label, normalize_inlines(body)) for label, body in notes] or None


def _notes_from_paragraphs(blocks: list[Block]) -> list[Note] | None:
    """Notes written as ``[1] text`` paragraphs (one per paragraph or line, or run together)."""
    notes: list[Note] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            return None
        found = _split_notes(block.content)
        if found is None:
            return None
        notes.extend(Note(label, (Paragraph(body),) if body else ()) for label, body in found)
    return notes


def _read_back(back: list[Block], notes: list[Note], rights: dict[str, Any]) -> list[Block]:
    """Take notes and rights out of the back matter; return the blocks that stay in the text."""
    extra: list[Block] = []
    i = 0
    while i < len(back):
        block = back[i]
        if _is_note_heading(block):
            j = i + 1
            while j < len(back) and isinstance(back[j], BulletList | OrderedList):
                lst = back[j]
                assert isinstance(lst, BulletList | OrderedList)
                notes.extend(_notes_from_list(lst))
                j += 1
            if j == i + 1:
                k = j
                while k < len(back) and _notes_from_paragraphs([back[k]]):
                    k += 1
                found = _notes_from_paragraphs(back[j:k]) if k > j else None
                if found:
                    notes.extend(found)
                    j = k
            if j == i + 1:
                extra.append(block)  # a heading called "Notes" with no notes after it: keep it
            i = j
            continue
        if not _rights_from_block(block, rights):
            extra.append(block)
        i += 1
    return extra


def _unique_labels(notes: list[Note]) -> list[Note]:
    """Notes with distinct labels: a repeated label gets a suffix (``3-2``)."""
    own = {note.label for note in notes}
    seen: set[str] = set()
    unique: list[Note] = []
    for note in notes:
        label, count = note.label, 1
        # a suffixed label is neither one given before nor any note's own label (3, 3-2, 3 -> 3, 3-2, 3-3)
        while label in seen or (label != note.label and label in own):
            count += 1
            label = f"{note.label}-{count}"
        seen.add(label)
        unique.append(note if label == note.label else Note(label, note.blocks))
    return unique


def _body_end(blocks: list[Block]) -> int:
    """Where the text ends: at the notes heading, or at the first rights paragraph."""
    for index, block in enumerate(blocks):
        if _is_note_heading(block) or _rights_from_block(block, {}, strong_only=True):
            return index
    return len(blocks)


def take_back_matter(draft: Draft) -> None:
    """Transform: take the notes and the rights out of the back matter; what is neither stays in the text."""
    end = _body_end(draft.blocks)
    extra = _read_back(draft.blocks[end:], draft.notes, draft.fields)
    draft.blocks = [*draft.blocks[:end], *extra]


def collect_notes(draft: Draft) -> None:
    """Transform: add the Markdown footnotes to the notes, and make every label distinct."""
    draft.notes.extend(Note(f.label, f.blocks) for f in draft.footnotes)
    draft.notes = _unique_labels(draft.notes)
