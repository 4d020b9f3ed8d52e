"""What the Markdown parser returns, and the bound it keeps on nesting."""

from __future__ import annotations

from typing import NamedTuple

from ...ir.model import Block

__all__ = ["MAX_NESTING", "Document", "FootnoteDef"]

#: Deepest nesting of block containers, and of inline containers, that the parser builds.
MAX_NESTING = 32


class FootnoteDef(NamedTuple):
    """A ``[^label]: ...`` definition found while parsing."""

    label: str
    blocks: tuple[Block, ...]


class Document:
    """Parsed blocks plus the footnote definitions that were lifted out of them.

    (Plain classes and named tuples here rather than dataclasses: a fraction of the cost at start-up.)
    """

    __slots__ = ("blocks", "footnotes")

    def __init__(self, blocks: list[Block] | None = None, footnotes: list[FootnoteDef] | None = None) -> None:
        self.blocks: list[Block] = [] if blocks is None else blocks
        self.footnotes: list[FootnoteDef] = [] if footnotes is None else footnotes

    def __repr__(self) -> str:
        return f"Document(blocks={self.blocks!r}, footnotes={self.footnotes!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.blocks, self.footnotes) == (other.blocks, other.footnotes)

    __hash__ = None  # type: ignore[assignment]
