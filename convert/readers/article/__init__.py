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
:mod:`.backmatter`, :mod:`.rights`, :mod:`.repairs`).  What they learn of the metadata and
the rights goes in the draft's :class:`~.draft.Fields`, by the name of its
crosswalk row, and :func:`~convert.ir.crosswalk.make_metadata` makes the
article's :class:`~convert.ir.model.Metadata` of it: a new field needs no
change to the draft.
"""

from __future__ import annotations

from ..._collector import collection_paused
from ...errors import InputError
from ...ir.model import Article
from ...registry import ReaderSpec
from .._mdparse import parse_blocks
from .._text import decode_text
from .backmatter import collect_notes, take_back_matter
from .bibliography import bibliography
from .bylines import trailing_byline
from .chrome import strip_chrome
from .draft import Draft, Fields, Transform
from .header import read_header
from .markers import mark_notes
from .mdx import drop_mdx_comments
from .memo import scope
from .repairs import figures, repair, shift_headings, tidy_rules
from .rights import comment_rights, take_rights
from .unwrap import unwrap

__all__ = ["READER", "TRANSFORMS", "read_article"]

#: The reader's transforms, in the order they run on the parsed text.
TRANSFORMS: tuple[Transform, ...] = (
    drop_mdx_comments,
    take_rights,
    bibliography,
    take_back_matter,
    collect_notes,
    strip_chrome,
    trailing_byline,
    tidy_rules,
    figures,
    shift_headings,
    mark_notes,
    repair,
)


def read_article(data: bytes, *, detect_language: bool = True, encoding: str = "") -> Article:
    """Read a saved web article (bytes in any supported encoding) into the IR.

    Its language is detected from its prose (:func:`convert.lang.language_of_blocks`)
    unless ``detect_language`` is false (the ``lang`` option gives it).
    Raises :class:`~convert.errors.InputError` for empty or binary input.
    """
    # what the steps ask of a block is answered once; the cycle collector waits (a reader's objects
    # form no cycles, and the collector, triggered by their number alone, would walk them again and again)
    with scope(), collection_paused():
        return _read(data, detect_language=detect_language, encoding=encoding)


def _read(data: bytes, *, detect_language: bool, encoding: str) -> Article:
    text = decode_text(data, encoding=encoding)
    if not text.strip():
        raise InputError("empty input")
    from ...ir.crosswalk import make_metadata  # here: importing the reader stays cheap at start-up
    from ..frontmatter import same_people

    known, text = front_matter(text)  # before unwrapping, which would join the block's lines
    text = unwrap(text)
    head, start = read_header(text, language=known.get("language", ""), has_title=bool(known.title))
    if same_people(known.authors, head.authors):
        known.authors = head.authors  # the same credit as the page shows it (accents, script)
    head.update({k: v for k, v in known.items() if k != "subjects"})  # the front matter's values win
    head["subjects"] = tuple(dict.fromkeys((*known.subjects, *head.subjects)))
    doc = parse_blocks(text[start:], scraper=True)
    draft = Draft(head, doc.blocks, doc.footnotes)
    comment_rights(text, draft.fields)  # the parser drops HTML comments, and the rights some hold
    for transform in TRANSFORMS:
        transform(draft)
    if detect_language and not draft.fields.get("language"):
        from ...lang import language_of_blocks

        draft.fields["language"] = language_of_blocks(draft.blocks)
    return Article(make_metadata(draft.fields), tuple(draft.blocks), tuple(draft.notes))


def front_matter(text: str) -> tuple[Fields, str]:
    """The fields the front matter at the top of ``text`` gives (any dialect), and the text after it.

    The body's first heading is dropped when it repeats the front matter's title.
    """
    from ..frontmatter import drop_title_heading, read_front_matter

    found = read_front_matter(text)
    if found is None:
        return Fields(), text
    known = Fields(found.fields)
    if known.date is not None:
        known.setdefault("date_precision", "day")  # the front matter's date comes with its precision
    return known, drop_title_heading(found.body, known.title) if known.title else found.body


READER = ReaderSpec(
    name="article",
    description="web article saved as a Markdown-ish page dump (.md, .txt)",
    extensions=(".txt", ".md", ".markdown"),
    read=lambda data, options: read_article(data, detect_language=not options.lang, encoding=options.encoding),
)
