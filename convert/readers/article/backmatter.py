"""The back matter: the notes (:mod:`.notes` reads their sections; :mod:`.rights` takes the rights furniture).

Every note is kept, referenced or not, under its own label (a repeated label
gets a suffix).  What is not a note stays in the text.
"""

from __future__ import annotations

from ...ir.model import Note
from .draft import Draft
from .notes import take_notes

__all__ = ["collect_notes", "take_back_matter"]


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


def take_back_matter(draft: Draft) -> None:
    """Transform: take the notes out of the back matter (the rights are :func:`.rights.take_rights`'s)."""
    take_notes(draft)


def collect_notes(draft: Draft) -> None:
    """Transform: add the Markdown footnotes to the notes, and make every label distinct."""
    draft.notes.extend(Note(f.label, f.blocks) for f in draft.footnotes)
    draft.notes = _unique_labels(draft.notes)
