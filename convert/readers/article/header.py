"""The header furniture at the top of a saved page: title, subtitle, byline, date line, taxonomy.

:func:`read_header` consumes it (and the site chrome between its chunks) and
says where the text starts; nothing is invented when the page has none.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import NamedTuple

from ...ir.model import Subject
from ...ir.walk import plain_text
from .._mdparse import parse_inlines
from .chrome import is_chrome_text
from .draft import Fields

__all__ = ["line_text", "read_header"]

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
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


@functools.cache
def _name_separators() -> re.Pattern[str]:
    return re.compile(r"\s*,\s*(?:and\s+)?|\s*;\s*|\s+and\s+|\s*&\s*")


_EMPHASIS_WRAPPER = re.compile(r"^[*_]+|[*_]+$")
#: Header lines and chrome lines are short; longer ones are text (and are not parsed twice).
_MAX_HEADER_LINE = 600
_MAX_CHROME_LINE = 1500
_ATX_TITLE = re.compile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$")
_ATX_SUBTITLE = re.compile(r"^#{2,3}[ \t]+(.+?)[ \t#]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}=+[ \t]*$")


#: A first line that is Markdown block syntax, not a title.
@functools.cache
def _not_title() -> re.Pattern[str]:
    return re.compile(r"^(?:[-*+>|]\s|\d{1,9}[.)]\s|!\[|```|~~~|:::|[-*_](?:\s*[-*_]){2,}\s*$)")


class _Chunk(NamedTuple):
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


def line_text(raw: str) -> str:
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
        and not any(ch in '!?;:"“”' for ch in name)
    )


def _names(raw: str) -> tuple[str, ...]:
    """Names from a byline: the link texts when only separators lie between them, else the text split."""
    linked = [name for name in _ANY_LINK.findall(raw) if name.strip()]
    residue = re.sub(r"[\s,;&*_]+|\band\b", "", _ANY_LINK.sub(" ", raw))
    if linked and not residue:
        names = [line_text(name) for name in linked]
    else:
        names = _name_separators().split(line_text(raw))
    names = [" ".join(name.split()) for name in names if name.strip()]
    return tuple(dict.fromkeys(names)) if names and all(map(_plausible_name, names)) else ()


def _terms(raw: str) -> tuple[str, ...]:
    """Taxonomy terms: link texts when present, else the text split on commas."""
    linked = _ANY_LINK.findall(raw)
    if linked:
        terms = [line_text(t) for t in linked]
    else:
        terms = re.split(r"\s*[,;]\s*", line_text(raw))
    terms = [t.strip() for t in terms if t.strip()]
    return tuple(terms) if all(len(t) <= 80 for t in terms) else ()


def _header_line(line: str, head: Fields) -> bool:
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
            head.add_subjects(tuple(Subject(t, scheme) for t in terms))
            return True
    if head.date is None:
        text = line_text(line)
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


def _is_header_chunk(chunk: str, head: Fields) -> bool:
    """Take a chunk made only of header lines into ``head`` (nothing is taken otherwise)."""
    scratch = head.copy()
    if not all(_header_line(line.strip(), scratch) for line in chunk.split("\n") if line.strip()):
        return False
    head.update(scratch)
    return True


def _is_chrome_chunk(chunk: str) -> bool:
    """A chunk that is only site chrome (promotion lines, a rule)."""
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    if any(len(line) > _MAX_CHROME_LINE for line in lines):
        return False
    if all(re.fullmatch(r"[-*_](?:\s*[-*_]){2,}", line) for line in lines):
        return True
    return all(is_chrome_text(line_text(line)) for line in lines)


def _title_line(line: str) -> str:
    """The title a plain first line gives, or "" when the line does not look like a title."""
    line = line.strip()
    if not line or len(line) > 150 or line.endswith((".", ":", ";", ",")) or _not_title().match(line):
        return ""
    if _TAXONOMY.match(line) or _BYLINE.match(line) or _parse_date(line) is not None:
        return ""
    return line_text(line.lstrip("#").strip())


def _read_title(chunks: list[_Chunk], head: Fields) -> tuple[int, int]:
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
        head.title = line_text(first)
    elif m := _ATX_TITLE.match(first):
        head.title = line_text(m.group(1))
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
            head.subtitle = line_text(m.group(1))
            used += 1
    return used, -1


def read_header(text: str) -> tuple[Fields, int]:
    """Consume the header furniture at the top; return it and the offset where the text starts."""
    head = Fields()
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
