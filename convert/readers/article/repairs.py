"""Repairs of the text: what the scraper broke, put right.

Captions become figures, stray rules go, sub-headings start at level 1,
paragraphs split mid-sentence are joined, and a quotation introduced by
``said:`` becomes a block quote.
"""

from __future__ import annotations

import re

from convert.recache import compile as recompile

from ...ir.model import Block, BlockQuote, Emph, Figure, Heading, Inline, Link, NoteRef, Paragraph, Text, ThematicBreak
from ...ir.walk import normalize_inlines, plain_text
from .draft import Draft
from .memo import text_of

__all__ = ["figures", "repair", "shift_headings", "tidy_rules"]

_CAPTION = recompile(
    r"^(?:Featured |Top |Main |Cover )?(?:image|photo|picture|illustration)"
    r"(?:\s+(?:credit|source))?\s*(?:[:.\u2013\u2014-]|\bis from\b|\bis by\b|\bcourtesy\b|\bsource\b)",
    re.I,
)
#: An italic paragraph at the top that is an editor's note, not a caption.
_EDITORIAL = recompile(
    r"^(?:this (?:article|piece|essay|interview|text) (?:was|is|has)\b|originally published|first published|"
    r"editor'?s note|note\b|update\b|updated\b)",
    re.I,
)
#: Characters after which a paragraph is complete (a following paragraph is not its continuation).
_OPEN_END = ",-\u2013\u2014("
_CONTINUATION_START = "(\u201c\"\u2018'"
#: What a paragraph that continues a sentence may start with besides a lower-case letter.
_CONTINUATION_PUNCTUATION = ",;:)]\u2013\u2014\u2026"
#: Words no sentence ends on (articles, prepositions, conjunctions): a paragraph ending on one is cut.
_CUT_WORDS_TEXT = (
    "a an the of to in on at by for from with into onto upon over under about than as and or nor but "
    "that which who whom whose whether if because while when where his her its their our your my "
    "der die das den dem des ein eine einer und oder mit von zu im auf für "
    "le la les un une des du de et ou à au aux "
    "el los las una y o en con por del al"
)
_CUT_WORDS = frozenset(_CUT_WORDS_TEXT.split())
#: An entry of a list or of references: a marker, a numbered reference, or "Surname, I." with a year.
_ENTRY = recompile(
    r"(?:[-\u2013\u2014\u2022*]\s|\(?\d{1,3}[.)]\s|\[\d{1,3}\]|\(?[a-z][.)]\s|"
    r"[A-Z][\w'\u2019-]+,\s+(?:[A-Z]\.|[A-Z][a-z]+\b).{0,80}?\b(?:1[5-9]|20)\d\d\b)"
)
#: The longest paragraph that may be a title (most long words capitalised, no sentence inside).
_TITLE_MAX = 120


def _ends_open(content: tuple[Inline, ...]) -> bool:
    """True when a paragraph stops mid-sentence (no terminal punctuation)."""
    if content and isinstance(content[-1], NoteRef):
        return False
    text = text_of(content).rstrip()
    if len(text) < 60:
        return False
    return text[-1].isalnum() or text[-1] in _OPEN_END


def _link_only(content: tuple[Inline, ...]) -> bool:
    """A paragraph that is a link, or a label and a link ("Source: [title](url)")."""
    if not content or not isinstance(content[-1], Link):
        return False
    before = plain_text(content[:-1]).strip()
    return not before or (before.endswith(":") and len(before) <= 30)


def _title_like(text: str) -> bool:
    """A short line most of whose long words are capitalised: a heading or a title, not a sentence cut short."""
    if len(text) > _TITLE_MAX or any(stop in text for stop in (". ", "? ", "! ")):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", text) if len(w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _continues(prev: tuple[Inline, ...], block: tuple[Inline, ...]) -> bool:
    """Whether ``block`` goes on with the sentence ``prev`` (which ends open) left unfinished.

    ``prev`` is no link line, list or reference entry, or title; ``block`` starts in lower case or
    with punctuation that continues a sentence, or ``prev`` ends on a comma, a dash or a word no
    sentence ends on (``the``, ``of``, ``and``) and ``block`` starts with a word or a quotation.
    """
    text = text_of(prev).rstrip()
    start = text_of(block).lstrip()
    if not start or _link_only(prev) or _ENTRY.match(text) or _title_like(text):
        return False
    if start[0].islower() or start[0] in _CONTINUATION_PUNCTUATION:
        return True
    if not (start[0].isalnum() or start[0] in _CONTINUATION_START):
        return False
    return text[-1] in _OPEN_END or text.rsplit(None, 1)[-1].lower() in _CUT_WORDS


def _quoted(content: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
    """Content without its enclosing quotation marks, if it is one quotation."""
    refs: list[Inline] = []
    body = list(content)
    while body and isinstance(body[-1], NoteRef):
        refs.insert(0, body.pop())
    trailing = ""
    if body and isinstance(body[-1], Text) and body[-1].text.rstrip()[-1:] in ".,":
        trailing = body[-1].text.rstrip()[-1]
        body[-1] = Text(body[-1].text.rstrip()[:-1])
    if not (body and isinstance(body[0], Text) and isinstance(body[-1], Text)):
        return None
    first, last = body[0].text, body[-1].text.rstrip()
    if not first.startswith(('"', "\u201c")) or not last.endswith(('"', "\u201d")):
        return None
    inner_text = plain_text(body)[1:-1]
    if any(q in inner_text for q in '"\u201c\u201d'):
        return None  # several quotations, not one
    if len(body) == 1:
        body = [Text(first[1:].rstrip()[:-1])]
    else:
        body[0] = Text(first[1:])
        body[-1] = Text(last[:-1])
    return normalize_inlines([*body, Text(trailing), *refs])


def repair(draft: Draft) -> None:
    """Transform: join split paragraphs and quotes, and lift introduced quotations into block quotes."""
    out: list[Block] = []
    for block in draft.blocks:
        prev = out[-1] if out else None
        if isinstance(block, Paragraph) and isinstance(prev, Paragraph):
            if _ends_open(prev.content) and _continues(prev.content, block.content):
                out[-1] = Paragraph(normalize_inlines((*prev.content, Text(" "), *block.content)))
                continue
            if text_of(prev.content).rstrip().endswith(":"):
                inner = _quoted(block.content)
                if inner is not None:
                    out.append(BlockQuote((Paragraph(inner),)))
                    continue
        if isinstance(block, BlockQuote) and isinstance(prev, BlockQuote):
            # a page dump writes a quote of several paragraphs as quotes separated by blank lines
            out[-1] = BlockQuote((*prev.blocks, *block.blocks))
            continue
        out.append(block)
    draft.blocks = out


def _caption(block: Block, first: bool) -> Figure | None:
    """The figure a caption paragraph stands for ("Featured image: ...", an italic line at the top)."""
    if not isinstance(block, Paragraph):
        return None
    text = text_of(block.content).strip()
    if _CAPTION.match(text) and len(text) <= 400:
        return Figure(block.content)
    content = block.content
    if first and len(content) == 1 and isinstance(content[0], Emph) and len(text) <= 400 and not _EDITORIAL.match(text):
        return Figure(content[0].content)
    return None


def figures(draft: Draft) -> None:
    """Transform: captions become figures; an image followed by its caption becomes one figure."""
    out: list[Block] = []
    for index, block in enumerate(draft.blocks):
        prev = out[-1] if out else None
        is_image = isinstance(prev, Figure) and prev.image and plain_text(prev.caption) == prev.image.alt
        if is_image and isinstance(prev, Figure) and isinstance(block, Paragraph):
            caption = _caption(block, first=True)  # the caption under an image
            if caption is not None:
                out[-1] = Figure(caption.caption, prev.image)
                continue
        out.append(_caption(block, first=index == 0) or block)
    draft.blocks = out


def tidy_rules(draft: Draft) -> None:
    """Transform: no thematic break at the start or the end, none twice in a row."""
    out: list[Block] = []
    for block in draft.blocks:
        if isinstance(block, ThematicBreak) and (not out or isinstance(out[-1], ThematicBreak)):
            continue
        out.append(block)
    while out and isinstance(out[-1], ThematicBreak):
        out.pop()
    draft.blocks = out


def shift_headings(draft: Draft) -> None:
    """Transform: the text's headings renumbered so that the highest is level 1."""
    levels = [b.level for b in draft.blocks if isinstance(b, Heading)]
    shift = min(levels) - 1 if levels else 0
    if shift > 0:
        draft.blocks = [
            Heading(max(1, b.level - shift), b.content) if isinstance(b, Heading) else b for b in draft.blocks
        ]
