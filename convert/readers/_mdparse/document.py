"""What the Markdown parser returns, and the bound it keeps on nesting."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...ir.model import Block

__all__ = ["MAX_NESTING", "Document", "FootnoteDef"]

#: Deepest nesting of block containers, and of inline containers, that the parser builds.
MAX_NESTING = 32


@dataclass(frozen=True)
class FootnoteDef:
    """A ``[^label]: ...`` definition found while parsing."""

    label: str
    blocks: tuple[Block, ...]


@dataclass
class Document:
    """Parsed blocks plus the footnote definitions that were lifted out of them."""

    blocks: list[Block] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)
