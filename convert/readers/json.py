"""The ``json`` reader: artconv IR JSON back into an article."""

from __future__ import annotations

from ..ir.jsonio import article_from_json
from ..ir.model import Article
from ..registry import Options, ReaderSpec
from ._text import decode_text

__all__ = ["READER"]


def _read(data: bytes, options: Options) -> Article:
    return article_from_json(decode_text(data))


READER = ReaderSpec(
    name="json",
    description="artconv IR JSON",
    extensions=(".json",),
    read=_read,
)
