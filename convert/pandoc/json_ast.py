"""What the two directions of the pandoc bridge share: the JSON AST's constants and node makers.

:mod:`.to_pandoc` writes the JSON AST, :mod:`.from_pandoc` reads it; :mod:`.bridge`
documents the mapping and is where both are imported from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir.crosswalk import rights_fields
from ..ir.model import Rights

__all__ = ["API_VERSION", "EXACT_KEY", "JSON", "RIGHTS_FIELDS", "RIGHTS_KEY", "rights_properties"]


#: The pandoc-types API version of the JSON the bridge writes (pandoc 3.x reads and writes it).
API_VERSION = (1, 23, 1)
#: The metadata key holding every field of :class:`Rights`.
RIGHTS_KEY = "artconv-rights"
#: The metadata key holding what pandoc has no place for (written with ``exact=True``).
EXACT_KEY = "artconv"
#: The fields of :class:`Rights` and their names under :data:`RIGHTS_KEY`: the crosswalk's
#: rights rows, named as on the rights page (``fair_use``: ``fair-use``).
RIGHTS_FIELDS: Mapping[str, str] = {row.name: row.colophon or row.name for row in rights_fields()}


def rights_properties(rights: Rights) -> list[tuple[str, str]]:
    """One document property per rights field that has a value, as DOCX and ODT keep them: the name
    ``artconv-rights-KEY`` (``artconv-rights-fair-use``), the value with its whitespace collapsed."""
    return [
        (f"{RIGHTS_KEY}-{key}", " ".join(str(getattr(rights, name)).split()))
        for name, key in RIGHTS_FIELDS.items()
        if getattr(rights, name)
    ]


JSON = Any
_ALIGN_TO = {"": "AlignDefault", "left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight"}
_ALIGN_FROM = {v: k for k, v in _ALIGN_TO.items()}
_NO_ATTR: JSON = ["", [], []]


def _node(t: str, c: JSON = None) -> JSON:
    return {"t": t} if c is None else {"t": t, "c": c}


def _ms(text: str) -> JSON:
    return _node("MetaString", text)
