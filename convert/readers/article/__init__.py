"""Reader for articles as people save them from the web (Markdown-ish page dumps).

It separates what a saved page mixes together:

* the header furniture: title, byline (one author or several), publisher and
  date line, taxonomy (``Region:``, ``Theme:``, ...), an image caption;
* the body, repairing what the scraper broke: paragraphs split mid-sentence
  are joined, a quotation introduced by ``said:`` becomes a block quote, note
  markers (``[i]``, ``[ ii ]``, ``[3]``) become note references, stray
  backslash escapes are undone, sub-headings start at level 1;
* the ``Notes`` list, which becomes the article's notes (every note is kept,
  referenced or not, under its own label);
* the rights furniture (source line, copyright, disclaimer, fair-use notice,
  contact), which becomes :class:`~convert.ir.model.Rights`, verbatim;
* site chrome (promotion lines such as "Click the share button above...",
  share and membership links, ``Articles by:``, dead links, the rules around
  them), which is dropped.

An article with none of this furniture (a title and paragraphs, or a plain
text whose first line is the title) converts too, and no metadata is invented
for it.  Raw HTML never reaches the IR, and neither do script URLs.

The reader is a pipeline: the header is read off the top of the text, the
rest is parsed as Markdown, and :data:`TRANSFORMS` rewrite it in order, each
a small named step in its own module (:mod:`.header`, :mod:`.chrome`,
:mod:`.backmatter`, :mod:`.repairs`).  What they learn of the metadata and
the rights goes in the draft's :class:`~.draft.Fields`, by the name of its
crosswalk row, and :func:`~convert.ir.crosswalk.make_metadata` makes the
article's :class:`~convert.ir.model.Metadata` of it: a new field needs no
change to the draft.
"""

from __future__ import annotations

from ...errors import InputError
from ...ir.model import Article
from ...registry import ReaderSpec
from .._mdparse import parse_blocks
from .._text import decode_text
from .backmatter import collect_notes, take_back_matter
from .chrome import strip_chrome
from .draft import Draft, Transform
from .header import read_header
from .repairs import figures, mark_notes, repair, shift_headings, tidy_rules

__all__ = ["READER", "TRANSFORMS", "read_article"]

#: The reader's transforms, in the order they run on the parsed text.
TRANSFORMS: tuple[Transform, ...] = (
    take_back_matter,
    collect_notes,
    strip_chrome,
    tidy_rules,
    figures,
    shift_headings,
    mark_notes,
    repair,
)


def read_article(data: bytes, *, detect_language: bool = True) -> Article:
    """Read a saved web article (bytes in any supported encoding) into the IR.

    Its language is detected from its prose (:func:`convert.lang.language_of_blocks`)
    unless ``detect_language`` is false (the ``lang`` option gives it).
    Raises :class:`~convert.errors.InputError` for empty or binary input.
    """
    text = decode_text(data)
    if not text.strip():
        raise InputError("empty input")
    from ...ir.crosswalk import make_metadata  # here: importing the reader stays cheap at start-up

    head, start = read_header(text)
    doc = parse_blocks(text[start:], scraper=True)
    draft = Draft(head, doc.blocks, doc.footnotes)
    for transform in TRANSFORMS:
        transform(draft)
    if detect_language:
        from ...lang import language_of_blocks

        draft.fields["language"] = language_of_blocks(draft.blocks)
    return Article(make_metadata(draft.fields), tuple(draft.blocks), tuple(draft.notes))


READER = ReaderSpec(
    name="article",
    description="web article saved as a Markdown-ish page dump (.md, .txt)",
    extensions=(".txt", ".md", ".markdown"),
    read=lambda data, options: read_article(data, detect_language=not options.lang),
)
