"""What the PDF writer accepts: its variants and paper sizes, and the size limit on the article."""

from __future__ import annotations

from typing import get_args

from ...errors import OutputError, UsageError
from ...ir.model import Article
from ...ir.walk import plain_text_blocks
from ...registry import Options, PdfVariant

#: The PDF variants the writer makes ("" is a plain PDF).
VARIANTS: tuple[str, ...] = get_args(PdfVariant)

#: The CSS each paper size adds to the print stylesheet (A4 is its default).
PAPER_CSS = {"a4": "", "letter": "\n@page { size: letter; }\n"}


def check_options(options: Options) -> None:
    """Refuse (:class:`~convert.errors.UsageError`) a variant, paper size or size limit the writer does not know."""
    if options.pdf_variant not in VARIANTS:
        known = ", ".join(v for v in VARIANTS if v)
        raise UsageError(f"unknown PDF variant {options.pdf_variant!r} (known: {known})")
    if options.paper not in PAPER_CSS:
        from ...options import get_option

        declared = get_option("paper")
        known = ", ".join(map(str, declared.choices if declared else PAPER_CSS))
        raise UsageError(f"unknown paper size {options.paper!r} (known: {known})")
    limit = options.pdf_max_chars
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise UsageError(f"option pdf_max_chars must be a number of characters, or 0 for no limit, got {limit!r}")


def text_size(article: Article) -> int:
    """Characters of text in the article's body and notes (what :attr:`Options.pdf_max_chars` limits)."""
    return len(plain_text_blocks(article.body)) + sum(len(plain_text_blocks(note.blocks)) for note in article.notes)


def check_size(article: Article, options: Options) -> None:
    """Refuse, before any layout, an article whose PDF would take minutes and gigabytes."""
    limit = options.pdf_max_chars
    if limit:
        size = text_size(article)
        if size > limit:
            raise OutputError(
                f"the article has {size:,} characters of text, over the PDF limit of {limit:,} "
                "(raise it with --pdf-max-chars N or the option pdf_max_chars; 0: no limit)"
            )
