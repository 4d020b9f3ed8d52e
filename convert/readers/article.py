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
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import InputError
from ..ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from ..ir.walk import normalize_inlines, plain_text, walk_inlines
from ..registry import ReaderSpec
from ._mdparse import parse_blocks, parse_inlines
from ._text import decode_text

__all__ = ["READER", "read_article"]

# --------------------------------------------------------------------------- header patterns

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
#: Dates in the common English forms; parsed by hand (strptime's month names follow the locale).
_DATE_PATTERNS = (
    re.compile(rf"^(?P<month>{_MONTHS})\.? (?P<day>\d{{1,2}}), (?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<day>\d{{1,2}}) (?P<month>{_MONTHS})\.? (?P<year>\d{{4}})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"),
)
_DATE_NOISE = re.compile(
    r"^(?:(?:Published|Posted)(?: on)?\s*:?\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?", re.I
)
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_ANY_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_TAXONOMY = re.compile(
    r"^(Region|Regions|Theme|Themes|Topic|Topics|Tags?|Categor(?:y|ies)|Section|Subjects?|Keywords?)\s*:\s*(.+)$",
    re.I,
)
_SCHEMES = {
    "regions": "region",
    "themes": "theme",
    "topics": "topic",
    "tags": "tag",
    "subjects": "subject",
    "keywords": "keyword",
    "categories": "category",
}
_BYLINE = re.compile(r"^(?:[Bb]y|Authors?:)\s+(.+)$")
_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+|\s*&\s*")
_EMPHASIS_WRAPPER = re.compile(r"^[*_]+|[*_]+$")
#: Header lines and chrome lines are short; longer ones are text (and are not parsed twice).
_MAX_HEADER_LINE = 600
_MAX_CHROME_LINE = 1500
_ATX_TITLE = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$")
_ATX_SUBTITLE = re.compile(r"^#{2,3}[ \t]+(.+?)[ \t#]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}=+[ \t]*$")
#: A first line that is Markdown block syntax, not a title.
_NOT_TITLE = re.compile(r"^(?:[-*+>|]\s|\d{1,9}[.)]\s|!\[|```|~~~|:::|[-*_](?:\s*[-*_]){2,}\s*$)")

# --------------------------------------------------------------------------- body patterns

_NOTE_HEADINGS = frozenset(
    {"notes", "endnotes", "footnotes", "references", "sources", "note", "reference", "end notes"}
)
_NOTE_LABEL = re.compile(r"^\s*\[\s*([^\]\s][^\]]*?)\s*\]\s*[:.]?\s*")
#: A note marker in running text; it is a reference only when a note has that label.
_MARKER = re.compile(r"\s*\[\s*([^\[\]\s]{1,12})\s*\]")
#: Labels that start a new note inside a paragraph of notes (``[1] ... [2] ...``).
_NOTE_SPLIT = re.compile(r"(?<=\s)\[\s*(\d{1,4}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})\s*\]\s*[:.]?\s*")

_CHROME_SENTENCES = (
    r".*\bcan be read in \d+ languages\b.*",
    r"to receive .*\bnewsletter\b.*",
    r".*\b(?:newsletter|subscribe|sign up|donate|donation|membership)\b.*\bclick here\b.*",
    r"(?:note to readers:\s*)?(?:please\s+)?click the share buttons?\b.*",
    r"(?:visit and\s+)?follow us on\b.*",
    r"(?:and\s+)?subscribe to (?:our|the)\b.*\b(?:channel|newsletter|feed|podcast|list|page)\b.*",
    r"feel free to re-?post\b.*",
    r"forward this article to\b.*",
    r"crosspost on\b.*",
    r"share this (?:article|page|story)\b.*",
    r"become a member of\b.*",
    r"comment on\b.*\b(?:facebook|twitter|articles|page)\b.*",
    r"articles by:.*",
    r"support (?:us|independent (?:media|journalism)|global research)\b.*",
    r"(?:please\s+)?(?:donate|make a donation)\b.*",
    r"print this (?:article|page)\b.*",
    r"related articles?:?",
    r"read more:?",
)
_CHROME_SENTENCE = re.compile("(?:" + "|".join(_CHROME_SENTENCES) + ")", re.I | re.S)
_SENTENCE_END = re.compile("(?<=[.!?])\\s+(?=[A-Z\"\u201c\u2018'(\\[])")
_SHARE_WORDS = re.compile(
    r"^(?:share(?: on \w+)?|tweet|e-?mail|print|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|pinterest)$",
    re.I,
)
_SHARE_TARGET = re.compile(
    r"sharer|/share\b|[?&]share=|intent/tweet|/submit\?|sharearticle|^mailto:\?|^whatsapp:|t\.me/share|/print/", re.I
)
_LINK_SEPARATORS = re.compile("^[\\s|\u00b7\u2022/,\\-\u2013\u2014]*$")

_SOURCE = re.compile(r"^The original source of this article is\b", re.I)
_COPYRIGHT = re.compile(r"^(?:Copyright\b\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}\b|[A-Z\[])")
_DISCLAIMER = re.compile(r"^Disclaimer\s*:\s*", re.I)
_CONTACT = re.compile(r"^(?:For media inquiries|Media inquiries|Media contact|Contact(?: us)?)\s*:", re.I)
_FAIR_USE = re.compile(r"\bfair use\b", re.I)
_CAPTION = re.compile(
    r"^(?:Featured |Top |Main |Cover )?(?:image|photo|picture|illustration)"
    r"(?:\s+(?:credit|source))?\s*(?:[:.\u2013\u2014-]|\bis from\b|\bis by\b|\bcourtesy\b|\bsource\b)",
    re.I,
)
#: An italic paragraph at the top that is an editor's note, not a caption.
_EDITORIAL = re.compile(
    r"^(?:this (?:article|piece|essay|interview|text) (?:was|is|has)\b|originally published|first published|"
    r"editor'?s note|note\b|update\b|updated\b)",
    re.I,
)

#: Common English words: a text where they are frequent is in English.
_EN_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "they", "you",
        "were", "her", "she", "there", "been", "has", "their", "one", "its", "will", "would", "also", "more",
        "can", "than",
    }
)
#: Characters after which a paragraph is complete (a following paragraph is not its continuation).
_OPEN_END = ",-\u2013\u2014("
_CONTINUATION_START = "(\u201c\"\u2018'"


# --------------------------------------------------------------------------- header


@dataclass
class _Header:
    """What the top of the page says about the article."""

    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    date: _dt.date | None = None
    subjects: list[Subject] = field(default_factory=list)


@dataclass(frozen=True)
class _Chunk:
    """A run of non-blank lines and where it starts in the text."""

    text: str
    start: int


def _chunks(text: str) -> list[_Chunk]:
    """The blank-line separated chunks of ``text``, with their offsets."""
    chunks: list[_Chunk] = []
    pos = 0
    for sep in re.finditer(r"\n[ \t]*(?=\n)", text + "\n"):
        _add_chunk(chunks, text, pos, sep.start())
        pos = sep.end()
    _add_chunk(chunks, text, pos, len(text))
    return chunks


def _add_chunk(chunks: list[_Chunk], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    if raw.strip():
        lead = len(raw) - len(raw.lstrip("\n"))
        chunks.append(_Chunk(raw.strip("\n"), start + lead))


def _line_text(raw: str) -> str:
    """The plain text of one line of Markdown."""
    return plain_text(parse_inlines(raw, scraper=True)).strip()


def _parse_date(text: str) -> _dt.date | None:
    """A date written the ways article pages write it, or None."""
    text = _DATE_NOISE.sub("", text.strip().rstrip("."), count=1)
    text = _ORDINAL.sub(r"\1", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        month = m.group("month")
        number = int(month) if month.isdigit() else _MONTH_NUMBERS[month.lower()]
        try:
            return _dt.date(int(m.group("year")), number, int(m.group("day")))
        except ValueError:
            return None
    return None


def _plausible_name(name: str) -> bool:
    """Whether ``name`` can be a person's or an organisation's name (not the start of a sentence)."""
    words = name.split()
    return (
        0 < len(words) <= 8
        and len(name) <= 80
        and any(ch.isupper() for ch in name)
        and not any(ch.isdigit() for ch in name)
        and not any(ch in "!?;:\"“”" for ch in name)
    )


def _names(raw: str) -> tuple[str, ...]:
    """Names from a byline: the link texts when only separators lie between them, else the text split."""
    linked = [name for name in _ANY_LINK.findall(raw) if name.strip()]
    residue = re.sub(r"[\s,;&*_]+|\band\b", "", _ANY_LINK.sub(" ", raw))
    if linked and not residue:
        names = [_line_text(name) for name in linked]
    else:
        names = _NAME_SEPARATORS.split(_line_text(raw))
    names = [" ".join(name.split()) for name in names if name.strip()]
    return tuple(dict.fromkeys(names)) if names and all(map(_plausible_name, names)) else ()


def _terms(raw: str) -> tuple[str, ...]:
    """Taxonomy terms: link texts when present, else the text split on commas."""
    linked = _ANY_LINK.findall(raw)
    if linked:
        terms = [_line_text(t) for t in linked]
    else:
        terms = re.split(r"\s*[,;]\s*", _line_text(raw))
    terms = [t.strip() for t in terms if t.strip()]
    return tuple(terms) if all(len(t) <= 80 for t in terms) else ()


def _header_line(line: str, head: _Header) -> bool:
    """Take one header line (byline, date line, taxonomy) into ``head``; False if it is none of these."""
    if len(line) > _MAX_HEADER_LINE:
        return False
    bare = _EMPHASIS_WRAPPER.sub("", line).strip()
    m = _BYLINE.match(bare)
    if m and not head.authors:
        names = _names(m.group(1))
        if names:
            head.authors = names
            return True
    m = _TAXONOMY.match(bare)
    if m and len(bare) <= 400:
        terms = _terms(m.group(2))
        if terms:
            scheme = m.group(1).lower()
            scheme = _SCHEMES.get(scheme, scheme)
            head.subjects.extend(Subject(t, scheme) for t in terms)
            return True
    if head.date is None:
        text = _line_text(line)
        date = _parse_date(text)
        if date is not None:
            head.date = date
            return True
        # "Publisher, Month D, YYYY": the publisher may itself contain commas
        parts = text.split(",")
        for k in range(1, len(parts)):
            date = _parse_date(",".join(parts[k:]))
            if date is not None:
                head.date = date
                head.publisher = ",".join(parts[:k]).strip()
                return True
    return False


def _is_header_chunk(chunk: str, head: _Header) -> bool:
    """Take a chunk made only of header lines into ``head`` (nothing is taken otherwise)."""
    scratch = _Header(head.title, head.subtitle, head.authors, head.publisher, head.date, list(head.subjects))
    if not all(_header_line(line.strip(), scratch) for line in chunk.split("\n") if line.strip()):
        return False
    head.authors, head.publisher, head.date, head.subjects = (
        scratch.authors,
        scratch.publisher,
        scratch.date,
        scratch.subjects,
    )
    return True


def _is_chrome_chunk(chunk: str) -> bool:
    """A chunk that is only site chrome (promotion lines, a rule)."""
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    if any(len(line) > _MAX_CHROME_LINE for line in lines):
        return False
    if all(re.fullmatch(r"[-*_](?:\s*[-*_]){2,}", line) for line in lines):
        return True
    return all(_is_chrome_text(_line_text(line)) for line in lines)


def _title_line(line: str) -> str:
    """The title a plain first line gives, or "" when the line does not look like a title."""
    line = line.strip()
    if not line or len(line) > 150 or line.endswith((".", ":", ";", ",")) or _NOT_TITLE.match(line):
        return ""
    if _TAXONOMY.match(line) or _BYLINE.match(line) or _parse_date(line) is not None:
        return ""
    return _line_text(line.lstrip("#").strip())


def _read_title(chunks: list[_Chunk], head: _Header) -> tuple[int, int]:
    """Take the title (and a subtitle) from the first chunks.

    Returns how many chunks were used and, when the title shares its chunk
    with the first lines of the text, the offset where that text starts (else -1).
    """
    if not chunks:
        return 0, -1
    chunk = chunks[0]
    lines = chunk.text.split("\n")
    first = lines[0].strip()
    rest = "\n".join(lines[1:])
    if len(lines) == 2 and first and _SETEXT_UNDERLINE.match(lines[1]):
        head.title = _line_text(first)
    elif m := _ATX_TITLE.match(first):
        head.title = _line_text(m.group(1))
        if rest.strip() and not _is_header_chunk(rest, head):
            return 1, chunk.start + len(lines[0]) + 1  # "# Title" and the text right under it
    else:
        title = _title_line(first)
        if not title or (rest.strip() and not _is_header_chunk(rest, head)):
            return 0, -1
        head.title = title
    if not head.title:
        return 0, -1
    used = 1
    if used < len(chunks):
        m = _ATX_SUBTITLE.match(chunks[used].text)
        if m and "\n" not in chunks[used].text:
            head.subtitle = _line_text(m.group(1))
            used += 1
    return used, -1


def _read_header(text: str) -> tuple[_Header, int]:
    """Consume the header furniture at the top; return it and the offset where the text starts."""
    head = _Header()
    chunks = _chunks(text)
    i, offset = _read_title(chunks, head)
    if offset >= 0:
        return head, offset
    while i < len(chunks):
        chunk = chunks[i].text
        if not (_is_header_chunk(chunk, head) or _is_chrome_chunk(chunk)):
            break
        i += 1
    return head, chunks[i].start if i < len(chunks) else len(text)


# --------------------------------------------------------------------------- chrome


def _is_chrome_text(text: str) -> bool:
    """Whether a line of text is made only of chrome sentences ("Follow us on ...", ...)."""
    text = " ".join(text.split())
    if not text or len(text) > 1000:  # chrome is a line or two, never a long paragraph
        return False
    return all(_CHROME_SENTENCE.fullmatch(s.strip(" *_")) for s in _SENTENCE_END.split(text))


def _split_lines(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """The lines of a paragraph (split at hard breaks), each normalised, empty ones left out."""
    lines: list[list[Inline]] = [[]]
    for node in content:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [line for line in (normalize_inlines(raw) for raw in lines) if line]


def _unwrap(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Content inside any emphasis that wraps all of it."""
    while len(content) == 1 and isinstance(content[0], Strong | Emph):
        content = content[0].content
    return content


def _is_share_links(content: tuple[Inline, ...]) -> bool:
    """A line of share links ("Share | Tweet | Email", links to sharer pages)."""
    links = 0
    for node in _unwrap(content):
        node_content = _unwrap((node,))
        if len(node_content) == 1 and isinstance(node_content[0], Link):
            link = node_content[0]
            if not (_SHARE_TARGET.search(link.target) or _SHARE_WORDS.match(plain_text(link.content).strip())):
                return False
            links += 1
        elif not (isinstance(node, Text) and _LINK_SEPARATORS.match(node.text)):
            return False
    return links > 0


def _is_chrome_line(line: tuple[Inline, ...]) -> bool:
    if _is_chrome_text(plain_text(line)) or _is_share_links(line):
        return True
    # a line that is only a (bold) link to nowhere outside, e.g. "Comment on ... page", "Become a Member"
    inner = _unwrap(line)
    return len(inner) == 1 and isinstance(inner[0], Link) and not inner[0].target.startswith(("http", "mailto"))


def _strip_chrome(block: Block) -> Block | None:
    """The block without its chrome lines; None when nothing else is left."""
    if not isinstance(block, Paragraph):
        return block
    lines = _split_lines(block.content)
    kept = [line for line in lines if not _is_chrome_line(line)]
    if not kept:
        return None
    if len(kept) == len(lines):
        return block
    content: list[Inline] = []
    for line in kept:
        if content:
            content.append(LineBreak())
        content.extend(line)
    return Paragraph(normalize_inlines(content))


# --------------------------------------------------------------------------- notes and rights


def _is_note_heading(block: Block) -> bool:
    """A ``Notes`` heading, or a paragraph that is only the word (``**Notes:**``)."""
    if isinstance(block, Heading) or (isinstance(block, Paragraph) and len(plain_text(block.content)) <= 20):
        content = block.content
    else:
        return False
    return plain_text(content).strip().rstrip(":").strip().lower() in _NOTE_HEADINGS


def _rights_line(text: str, rights: dict[str, str], *, strong_only: bool = False) -> bool:
    """Take one line of rights furniture into ``rights``; False if it is not one.

    ``strong_only``: only what surely starts the back matter (source, copyright, disclaimer).
    """
    if _SOURCE.match(text):
        rights["source"] = _join(rights.get("source"), text)
    elif _COPYRIGHT.match(text) and len(text) <= 400:
        rights["copyright"] = _join(rights.get("copyright"), text)
    elif _DISCLAIMER.match(text):
        rights["disclaimer"] = _join(rights.get("disclaimer"), _DISCLAIMER.sub("", text, count=1))
    elif strong_only:
        return False
    elif _CONTACT.match(text):
        rights["contact"] = _join(rights.get("contact"), text)
    elif _FAIR_USE.search(text) and "copyright" in text.lower():
        rights["fair_use"] = _join(rights.get("fair_use"), text)
    else:
        return False
    return True


def _join(old: str | None, new: str) -> str:
    return f"{old}\n\n{new}" if old else new


def _rights_from_block(block: Block, rights: dict[str, str], *, strong_only: bool = False) -> bool:
    """Take a paragraph into ``rights`` if every line of it is rights furniture."""
    if not isinstance(block, Paragraph):
        return False
    texts = [" ".join(plain_text(line).split()) for line in _split_lines(block.content)]
    scratch = dict(rights)
    if texts and all(_rights_line(t, scratch, strong_only=strong_only) for t in texts):
        rights.clear()
        rights.update(scratch)
        return True
    return False


def _label_and_rest(content: tuple[Inline, ...]) -> tuple[str, tuple[Inline, ...]]:
    """The note label that starts ``content`` (``[1]``, ``[ iv ]:``), if any, and the rest."""
    if content and isinstance(content[0], Text):
        m = _NOTE_LABEL.match(content[0].text)
        if m:
            rest = content[0].text[m.end() :]
            return m.group(1), normalize_inlines(((Text(rest),) if rest else ()) + content[1:])
    if content and isinstance(content[0], NoteRef):
        return content[0].label, normalize_inlines(content[1:])
    return "", content


def _notes_from_list(block: BulletList | OrderedList) -> list[Note]:
    """Notes from a list: each item's leading label, else its number."""
    notes: list[Note] = []
    for index, item in enumerate(block.items):
        label = ""
        blocks = list(item)
        if blocks and isinstance(blocks[0], Paragraph):
            label, rest = _label_and_rest(blocks[0].content)
            if label:
                blocks[0] = Paragraph(rest)
        if not label:
            label = str(block.start + index) if isinstance(block, OrderedList) else str(index + 1)
        notes.append(Note(label, tuple(b for b in blocks if not (isinstance(b, Paragraph) and not b.content))))
    return notes


def _split_notes(content: tuple[Inline, ...]) -> list[tuple[str, tuple[Inline, ...]]] | None:
    """A paragraph of notes (``[1] text [2] text``, on one line or several) as (label, content) pairs.

    A note starts at a label at the start of a line (any label), or at a
    number or roman numeral in brackets after a space.
    """
    notes: list[tuple[str, list[Inline]]] = []
    line_start = True
    for node in content:
        if isinstance(node, LineBreak):
            line_start = True
            continue
        if isinstance(node, Text):
            text = node.text
            if line_start and (m := _NOTE_LABEL.match(text)):
                notes.append((m.group(1), []))
                text = text[m.end() :]
            elif not notes:
                return None
            pos = 0
            for m in _NOTE_SPLIT.finditer(text):
                notes[-1][1].append(Text(text[pos : m.start()]))
                notes.append((m.group(1), []))
                pos = m.end()
            notes[-1][1].append(Text(text[pos:]))
        elif line_start and isinstance(node, NoteRef):
            notes.append((node.label, []))
        elif not notes:
            return None
        else:
            notes[-1][1].append(node)
        line_start = False
    return [(label, normalize_inlines(body)) for label, body in notes] or None


def _notes_from_paragraphs(blocks: list[Block]) -> list[Note] | None:
    """Notes written as ``[1] text`` paragraphs (one per paragraph or line, or run together)."""
    notes: list[Note] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            return None
        found = _split_notes(block.content)
        if found is None:
            return None
        notes.extend(Note(label, (Paragraph(body),) if body else ()) for label, body in found)
    return notes


def _read_back(back: list[Block], notes: list[Note], rights: dict[str, str]) -> list[Block]:
    """Take notes and rights out of the back matter; return the blocks that stay in the text."""
    extra: list[Block] = []
    i = 0
    while i < len(back):
        block = back[i]
        if _is_note_heading(block):
            j = i + 1
            while j < len(back) and isinstance(back[j], BulletList | OrderedList):
                lst = back[j]
                assert isinstance(lst, BulletList | OrderedList)
                notes.extend(_notes_from_list(lst))
                j += 1
            if j == i + 1:
                k = j
                while k < len(back) and _notes_from_paragraphs([back[k]]):
                    k += 1
                found = _notes_from_paragraphs(back[j:k]) if k > j else None
                if found:
                    notes.extend(found)
                    j = k
            if j == i + 1:
                extra.append(block)  # a heading called "Notes" with no notes after it: keep it
            i = j
            continue
        if not _rights_from_block(block, rights):
            extra.append(block)
        i += 1
    return extra


def _unique_labels(notes: list[Note]) -> list[Note]:
    """Notes with distinct labels: a repeated label gets a suffix (``3-2``)."""
    seen: dict[str, int] = {}
    unique: list[Note] = []
    for note in notes:
        count = seen.get(note.label, 0)
        seen[note.label] = count + 1
        unique.append(note if count == 0 else Note(f"{note.label}-{count + 1}", note.blocks))
    return unique


# --------------------------------------------------------------------------- body repairs


def _mark_notes(body: tuple[Block, ...], labels: dict[str, str]) -> tuple[Block, ...]:
    """``body`` with note markers (``[iv]``, ``[ 3 ]``) of known labels as NoteRef nodes.

    A link whose text is a marker and whose target is a fragment (the page's own
    note) is a reference too.  No space is left before a reference.
    """

    def linked_markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(node, Link) for node in content):
            return content
        return tuple(linked_marker(node) if isinstance(node, Link) else node for node in content)

    def linked_marker(node: Link) -> Inline:
        marker = _MARKER.fullmatch(plain_text(node.content)) if "#" in node.target else None
        if marker and marker.group(1).lower() in labels:
            return NoteRef(labels[marker.group(1).lower()])
        return node

    def markers(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(node, NoteRef) or (isinstance(node, Text) and "[" in node.text) for node in content):
            return content  # read and normalised already: nothing to do
        out: list[Inline] = []
        for node in content:
            if not isinstance(node, Text):
                out.append(node)
                continue
            t, pos = node.text, 0
            for m in _MARKER.finditer(t):
                key = m.group(1).lower()
                if key in labels:
                    out.append(Text(t[pos : m.start()]))
                    out.append(NoteRef(labels[key]))
                    pos = m.end()
            out.append(Text(t[pos:]))
        cleaned = [
            Text(node.text.rstrip(" ")) if isinstance(node, Text) and isinstance(nxt, NoteRef) else node
            for node, nxt in zip(out, [*out[1:], None], strict=True)
        ]
        return normalize_inlines(cleaned)

    return walk_inlines(markers, walk_inlines(linked_markers, body))


def _ends_open(content: tuple[Inline, ...]) -> bool:
    """True when a paragraph stops mid-sentence (no terminal punctuation)."""
    if content and isinstance(content[-1], NoteRef):
        return False
    text = plain_text(content).rstrip()
    if len(text) < 60:
        return False
    return text[-1].isalnum() or text[-1] in _OPEN_END


def _starts_continuation(content: tuple[Inline, ...]) -> bool:
    text = plain_text(content).lstrip()
    return bool(text) and (text[0].isalnum() or text[0] in _CONTINUATION_START)


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
    if not first.startswith(("\"", "\u201c")) or not last.endswith(("\"", "\u201d")):
        return None
    inner_text = plain_text(body)[1:-1]
    if any(q in inner_text for q in "\"\u201c\u201d"):
        return None  # several quotations, not one
    if len(body) == 1:
        body = [Text(first[1:].rstrip()[:-1])]
    else:
        body[0] = Text(first[1:])
        body[-1] = Text(last[:-1])
    return normalize_inlines([*body, Text(trailing), *refs])


def _repair(blocks: list[Block]) -> list[Block]:
    """Join split paragraphs and quotes, and lift introduced quotations into block quotes."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if isinstance(block, Paragraph) and isinstance(prev, Paragraph):
            if _ends_open(prev.content) and _starts_continuation(block.content):
                out[-1] = Paragraph(normalize_inlines((*prev.content, Text(" "), *block.content)))
                continue
            if plain_text(prev.content).rstrip().endswith(":"):
                inner = _quoted(block.content)
                if inner is not None:
                    out.append(BlockQuote((Paragraph(inner),)))
                    continue
        if isinstance(block, BlockQuote) and isinstance(prev, BlockQuote):
            # a page dump writes a quote of several paragraphs as quotes separated by blank lines
            out[-1] = BlockQuote((*prev.blocks, *block.blocks))
            continue
        out.append(block)
    return out


def _caption(block: Block, first: bool) -> Figure | None:
    """The figure a caption paragraph stands for ("Featured image: ...", an italic line at the top)."""
    if not isinstance(block, Paragraph):
        return None
    text = plain_text(block.content).strip()
    if _CAPTION.match(text) and len(text) <= 400:
        return Figure(block.content)
    content = block.content
    if first and len(content) == 1 and isinstance(content[0], Emph) and len(text) <= 400 and not _EDITORIAL.match(text):
        return Figure(content[0].content)
    return None


def _figures(blocks: list[Block]) -> list[Block]:
    """Captions become figures; an image followed by its caption becomes one figure."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        prev = out[-1] if out else None
        is_image = isinstance(prev, Figure) and prev.src and plain_text(prev.caption) == prev.alt
        if is_image and isinstance(prev, Figure) and isinstance(block, Paragraph):
            caption = _caption(block, first=True)  # the caption under an image
            if caption is not None:
                out[-1] = Figure(caption.caption, prev.src, prev.alt)
                continue
        out.append(_caption(block, first=index == 0) or block)
    return out


def _tidy_rules(blocks: list[Block]) -> list[Block]:
    """No thematic break at the start or the end, none twice in a row."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ThematicBreak) and (not out or isinstance(out[-1], ThematicBreak)):
            continue
        out.append(block)
    while out and isinstance(out[-1], ThematicBreak):
        out.pop()
    return out


def _shift_headings(blocks: list[Block]) -> list[Block]:
    """Body headings renumbered so that the highest is level 1."""
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    shift = min(levels) - 1 if levels else 0
    if shift <= 0:
        return blocks
    return [Heading(max(1, b.level - shift), b.content) if isinstance(b, Heading) else b for b in blocks]


def _body(blocks: list[Block]) -> list[Block]:
    """The text blocks cleaned of chrome, with figures, rules and headings put right."""
    cleaned = [_strip_chrome(block) for block in blocks]
    kept: list[Block] = []
    for index, block in enumerate(cleaned):
        if block is None:
            continue
        if isinstance(block, ThematicBreak):
            # the rule that sets chrome off from the text goes with it
            before = cleaned[index - 1] if index else ThematicBreak()
            after = cleaned[index + 1] if index + 1 < len(cleaned) else ThematicBreak()
            if before is None or after is None:
                continue
        kept.append(block)
    return _shift_headings(_figures(_tidy_rules(kept)))


def _language(blocks: Iterable[Block]) -> str:
    """``"en"`` when the text is clearly English, else ``""`` (nothing is guessed)."""
    words: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            words.extend(re.findall(r"[a-z]+", plain_text(block.content).lower()))
        if len(words) > 2000:
            break
    if len(words) < 20:
        return ""
    hits = sum(1 for w in words if w in _EN_WORDS)
    return "en" if hits / len(words) > 0.2 else ""


def _body_end(blocks: list[Block]) -> int:
    """Where the text ends: at the notes heading, or at the first rights paragraph."""
    for index, block in enumerate(blocks):
        if _is_note_heading(block) or _rights_from_block(block, {}, strong_only=True):
            return index
    return len(blocks)


# --------------------------------------------------------------------------- the reader


def read_article(data: bytes) -> Article:
    """Read a saved web article (bytes in any supported encoding) into the IR.

    Raises :class:`~convert.errors.InputError` for empty or binary input.
    """
    text = decode_text(data)
    if not text.strip():
        raise InputError("empty input")
    head, start = _read_header(text)
    doc = parse_blocks(text[start:], scraper=True)

    end = _body_end(doc.blocks)
    notes: list[Note] = []
    rights: dict[str, str] = {}
    extra = _read_back(doc.blocks[end:], notes, rights)
    notes.extend(Note(f.label, f.blocks) for f in doc.footnotes)
    notes = _unique_labels(notes)

    body = _body([*doc.blocks[:end], *extra])
    labels = {n.label.lower(): n.label for n in notes}
    if labels:
        body = list(_mark_notes(tuple(body), labels))
    body = _repair(body)

    metadata = Metadata(
        title=head.title,
        subtitle=head.subtitle,
        authors=head.authors,
        publisher=head.publisher,
        date=head.date,
        language=_language(body),
        subjects=tuple(dict.fromkeys(head.subjects)),
        rights=Rights(
            copyright=rights.get("copyright", ""),
            disclaimer=rights.get("disclaimer", ""),
            fair_use=rights.get("fair_use", ""),
            source=rights.get("source", ""),
            contact=rights.get("contact", ""),
        ),
    )
    return Article(metadata, tuple(body), tuple(notes))


READER = ReaderSpec(
    name="article",
    description="web article saved as a Markdown-ish page dump (.md, .txt)",
    extensions=(".txt", ".md", ".markdown"),
    read=lambda data, options: read_article(data),
)
