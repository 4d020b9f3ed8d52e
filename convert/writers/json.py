"""The ``json`` writer: the IR itself, as deterministic JSON."""

from __future__ import annotations

from ..ir.jsonio import article_to_json
from ..ir.model import Article
from ..registry import Options, WriterSpec

__all__ = ["WRITER", "render"]


def render(article: Article, options: Options) -> bytes:
    """The article's IR as indented UTF-8 JSON."""
    return article_to_json(article).encode("utf-8")


WRITER = WriterSpec(
    name="json",
    extension=".json",
    media_type="application/json",
    description="artconv's intermediate representation as JSON (lossless; schema: artconv schema)",
    render=render,
)
