"""The article as the reader's transforms see it: the header read so far and the blocks being rewritten."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ...ir.model import Block, Note, Subject
from .._mdparse import FootnoteDef

__all__ = ["Draft", "Header", "Transform"]


@dataclass
class Header:
    """What the top of the page says about the article."""

    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    date: _dt.date | None = None
    subjects: list[Subject] = field(default_factory=list)


@dataclass
class Draft:
    """The article between parsing and the IR; each transform rewrites it in place, in pipeline order."""

    head: Header
    #: The blocks of the text (the back matter too, until the notes and rights are taken out).
    blocks: list[Block]
    #: The Markdown footnotes (``[^x]: ...``) the parser found.
    footnotes: list[FootnoteDef] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: Rights furniture by field name (``copyright``, ``fair_use``, ...), verbatim.
    rights: dict[str, str] = field(default_factory=dict)


#: One named step of the reader: it reads and rewrites the draft.
Transform = Callable[[Draft], None]
