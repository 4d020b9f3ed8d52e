"""The header furniture at the top of a saved page: title, subtitle, site, byline, date line, taxonomy.

:func:`read_header` consumes it (and the site chrome between its chunks) and says where the text
starts; nothing is invented when the page has none.  It looks for the title in the first screenful
(:data:`SCREEN_LINES` lines, :data:`SCREEN_CHARS` characters), past what a page's navigation and a
clipper leave above it (:mod:`.titles`); bylines are read by :mod:`.bylines` and dates by
:mod:`.dates`.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from convert.recache import compile as recompile

from .bylines import byline_text, is_role, names_of
from .chrome import is_chrome_text
from .dates import find_date, parse_date
from .draft import Fields
from .header_lines import (
    ANY_LINK,
    END_PUNCTUATION,
    MAX_HEADER_CHUNK,
    SCREEN_CHARS,
    SCREEN_LINES,
    TAXONOMY,
    Reader,
    is_header_chunk,
    line_text,
    name_like,
)
from .titles import is_navigation_line, source_line, split_site

__all__ = ["SCREEN_CHARS", "SCREEN_LINES", "line_text", "read_header"]

#: A field block at the top: "Title: ...", "Author: ...", "Created: ...", one a line.
_FIELD_LINE = recompile(r"^(?P<key>[A-Z][A-Za-z]*(?:[ -][A-Za-z]+){0,2})\s*:(?:\s+(?P<value>.*))?$")
_FIELD_TITLE = frozenset(("title", "subject"))
_FIELD_AUTHOR = frozenset(("author", "authors", "from", "by"))
_FIELD_DATE = frozenset(("date", "created", "published", "publication date", "posted"))
#: Chrome lines are short; longer ones are text (and are not parsed twice).
_MAX_CHROME_LINE = 1500
#: The header and the chrome around it end in the first 32 KiB (a text of chrome lines is not read to its end).
_MAX_HEADER_END = 32 * 1024
_ATX = recompile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
_ATX_TITLE = recompile(r"^#{1,2}[ \t]+(.+?)[ \t#]*$")
_ATX_SUBTITLE = recompile(r"^#{2,3}[ \t]+(.+?)[ \t#]*$")
_SETEXT_UNDERLINE = recompile(r"^ {0,3}=+[ \t]*$")
#: What separates two chunks: a line of white space at most (the one before the text's end too).
_CHUNK_SEPARATOR = recompile(r"\n[ \t]*(?=\n)")
#: A thematic break (``---``, ``* * *``).
_RULE = recompile(r"[-*_](?:\s*[-*_]){2,}")


#: A first line that is Markdown block syntax, not a title.
@functools.cache
def _not_title() -> re.Pattern[str]:
    return recompile(r"^(?:[-*+>|]\s|\d{1,9}[.)]\s|!\[|```|~~~|:::|[-*_](?:\s*[-*_]){2,}\s*$)")


class _Chunk(NamedTuple):
    """A run of non-blank lines and where it starts in the text."""

    text: str
    start: int


class _Chunks:
    """The blank-line separated chunks of a text, with their offsets, found as far as they are asked for.

    The header is read off the first few: a long text is not cut into chunks beyond them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._items: list[_Chunk] = []
        self._separators = _CHUNK_SEPARATOR.finditer(text + "\n")
        self._pos = 0
        self._done = False

    def has(self, i: int) -> bool:
        """Whether the text has an ``i``-th chunk."""
        while len(self._items) <= i and not self._done:
            sep = next(self._separators, None)
            if sep is None:
                _add_chunk(self._items, self.text, self._pos, len(self.text))
                self._done = True
            else:
                _add_chunk(self._items, self.text, self._pos, sep.start())
                self._pos = sep.end()
        return i < len(self._items)

    def __getitem__(self, i: int) -> _Chunk:
        if not self.has(i):
            raise IndexError(i)
        return self._items[i]


def _add_chunk(chunks: list[_Chunk], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    if raw.strip():
        lead = len(raw) - len(raw.lstrip("\n"))
        chunks.append(_Chunk(raw.strip("\n"), start + lead))


def _is_chrome_chunk(chunk: str) -> bool:
    """A chunk that is only site chrome (promotion lines, a rule)."""
    if len(chunk) > MAX_HEADER_CHUNK:
        return False
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    if any(len(line) > _MAX_CHROME_LINE for line in lines):
        return False
    if all(_RULE.fullmatch(line) for line in lines):
        return True
    return all(is_chrome_text(line_text(line)) for line in lines)


def _is_navigation_chunk(chunk: str) -> bool:
    lines = [line for line in chunk.split("\n") if line.strip()]
    return all(is_navigation_line(line) for line in lines)


def _is_source_chunk(chunk: str, r: Reader) -> bool:
    lines = [line for line in chunk.split("\n") if line.strip()]
    found = [source_line(line) for line in lines]
    if not all(found):
        return False
    for source in found:
        if source is not None:
            r.set_source(source.url)
            r.set_site(source.site)
    return True


def _title_line(line: str) -> str:
    """The title a plain first line gives, or "" when the line does not look like a title."""
    line = line.strip()
    if not line or len(line) > 150 or line.endswith(END_PUNCTUATION) or _not_title().match(line):
        return ""
    if TAXONOMY.match(line) or byline_text(line) is not None or parse_date(line, "en") is not None:
        return ""
    if is_navigation_line(line) or source_line(line) is not None:
        return ""
    return line_text(line.lstrip("#").strip())


def _subtitle_line(line: str) -> str:
    """A plain line under a title that can be its subtitle (short, not a sentence's end)."""
    line = line.strip()
    if not line or len(line) > 150 or line.endswith(END_PUNCTUATION) or _not_title().match(line):
        return ""
    if line.startswith("#") or byline_text(line) is not None or is_navigation_line(line):
        return ""
    return line_text(line)


def _is_short_caseless_name(line: str) -> bool:
    """A name of 2-6 letters of a script without case and no space (山田太郎), as plain texts put under a title."""
    return 2 <= len(line) <= 6 and all(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in line)


def _read_title(chunks: _Chunks, base: int, r: Reader) -> tuple[int, int]:
    """Take the title (and a subtitle) from the chunks from ``base`` on.

    Returns how many chunks were used and, when the title shares its chunk
    with the first lines of the text, the offset where that text starts (else -1).
    """
    if not chunks.has(base):
        return 0, -1
    head = r.head
    chunk = chunks[base]
    lines = chunk.text.split("\n")
    first = lines[0].strip()
    rest = "\n".join(lines[1:])
    if len(lines) == 2 and first and _SETEXT_UNDERLINE.match(lines[1]):
        r.set_title(line_text(first))
    elif m := _ATX_TITLE.match(first):
        link = ANY_LINK.fullmatch(m.group(1).strip())
        r.set_title(line_text(m.group(1)), link=link.group(2) if link else "")
        if rest.strip() and not is_header_chunk(rest, r):
            return 1, chunk.start + len(lines[0]) + 1  # "# Title" and the text right under it
    else:
        title = _title_line(first)
        if not title:
            return 0, -1
        subtitle = _subtitle_line(lines[1]) if len(lines) == 2 and chunks.has(base + 1) else ""
        if subtitle and _is_short_caseless_name(subtitle):
            head.authors = (subtitle,)  # title, then its author: 2-6 characters of a script without case
        elif subtitle and len(first) <= 100:
            head.subtitle = subtitle
        elif rest.strip() and not is_header_chunk(rest, r):
            return 0, -1
        r.set_title(title)
    if not head.title:
        return 0, -1
    used = 1
    if chunks.has(base + used):
        text = chunks[base + used].text
        m = _ATX_SUBTITLE.match(text)
        if m and "\n" not in text:
            head.subtitle = line_text(m.group(1))
            used += 1
        elif (
            not head.subtitle
            and "\n" not in text
            and chunks.has(base + used + 1)
            and _subtitle_line(text)
            and not _is_chrome_chunk(text)
            and not is_header_chunk(text, Reader(r.text, r._language or ""))
            and is_header_chunk(chunks[base + used + 1].text, Reader(r.text, r._language or ""))
        ):
            head.subtitle = _subtitle_line(text)  # a plain subtitle, known by the header lines under it
            used += 1
    return used, -1


def _on_screen(text: str, chunk: _Chunk) -> bool:
    return chunk.start < SCREEN_CHARS and text.count("\n", 0, chunk.start) < SCREEN_LINES


def _heading_text(chunk: str) -> tuple[str, str] | None:
    """The text of a one-line ATX heading of any level and the address it links to, else None."""
    if "\n" in chunk:
        return None
    m = _ATX.match(chunk.strip())
    if not m:
        return None
    link = ANY_LINK.fullmatch(m.group("text").strip())
    return line_text(m.group("text")), link.group(2) if link else ""


def _is_prose(chunk: str) -> bool:
    """Whether a chunk holds a sentence of text (what navigation never does)."""
    for line in chunk.split("\n"):
        text = line_text(line)
        if len(text) > 100 or (len(text.split()) >= 8 and text.endswith(END_PUNCTUATION)):
            return True
    return False


def _page_title_line(text: str, chunks: _Chunks, r: Reader) -> int:
    """A page title line (``Headline - Site``) over navigation and the ``Headline`` heading: the heading's chunk.

    The title and the site are taken; -1 when the first line is not such a line.
    """
    if not chunks.has(0):
        return -1
    first = chunks[0].text
    if "\n" in first or first.startswith("#") or not _title_line(first):
        return -1
    line = line_text(first)
    headline, site = split_site(line)
    j = 0
    while chunks.has(j := j + 1):
        if not _on_screen(text, chunks[j]) or _is_prose(chunks[j].text):
            return -1
        heading = _heading_text(chunks[j].text)
        if heading is None:
            continue
        if heading[0] in (line, headline):
            r.set_title(heading[0], link=heading[1])
            r.set_site(site)
            return j
    return -1


def _skip_to_title(text: str, chunks: _Chunks, r: Reader) -> int:
    """The chunk where the title stands, past navigation and source lines above it; 0 when none is skipped."""
    i = 0
    while chunks.has(i) and _on_screen(text, chunks[i]):
        chunk = chunks[i].text
        if _is_source_chunk(chunk, r) or _is_navigation_chunk(chunk):
            i += 1
            continue
        break
    if not chunks.has(i) or not _on_screen(text, chunks[i]):
        return 0
    # a plain line over an h1 with only navigation between: the h1 is the title
    if not chunks[i].text.startswith("#") and "\n" not in chunks[i].text:
        j = i
        while chunks.has(j := j + 1):
            chunk = chunks[j].text
            if not _on_screen(text, chunks[j]) or _is_prose(chunk):
                break
            if _ATX.match(chunk) and chunk.startswith("# ") and "\n" not in chunk:
                return j
            if not (_is_navigation_chunk(chunk) or _is_chrome_chunk(chunk)):
                break
    return i


def _field_block(chunk: str, r: Reader) -> bool:
    """A block of ``Key: value`` lines at the top (``Title:``, ``Author:``, ``Created:``), as a PEP or a mail has."""
    lines = [line for line in chunk.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    fields: dict[str, str] = {}
    for line in lines:
        m = _FIELD_LINE.match(line.strip())
        if not m:
            return False
        fields.setdefault(m.group("key").lower(), (m.group("value") or "").strip())
    title = next((fields[key] for key in _FIELD_TITLE if fields.get(key)), "")
    if not title:
        return False
    r.set_title(line_text(title))
    for key in _FIELD_AUTHOR:
        if fields.get(key) and not r.head.authors:
            r.head.authors = names_of(fields[key])
    for key in _FIELD_DATE:
        found = find_date(fields.get(key, ""), r.hint)
        if found is not None and r.head.date is None:
            r.set_date(found)
    for key in ("url", "source", "link"):
        source = source_line(f"{key}: {fields[key]}") if fields.get(key) else None
        if source is not None:
            r.set_source(source.url)
    return True


_COLUMNS = recompile(r"^(?P<left>\S.*?)?(?:^|\s{3,})(?P<right>\S(?:(?!\s{3}).)*?)\s*$")


def _memo_header(chunks: _Chunks, r: Reader) -> int:
    """A two-column memo header (an RFC's): the group over the left column, authors and date on the right.

    The centred line under it is the title.  Returns the chunks used, 0 when the text has no such header.
    """
    lines = chunks[0].text.split("\n") if chunks.has(0) else []
    if not 2 <= len(lines) <= 12 or any(len(line) > 100 for line in lines):
        return 0
    cells = [_COLUMNS.match(line) for line in lines]
    if not all(cells) or sum(1 for m in cells if m and m.group("left")) < 2:
        return 0
    right = [m.group("right").strip() for m in cells if m and m.group("left")]
    left = [(m.group("left") or "").strip() for m in cells if m]
    date = next((found for cell in right if (found := parse_date(cell, "en")) is not None), None)
    if date is None:
        return 0
    if name_like(left[0], 6) and ":" not in left[0]:
        r.set_site(left[0])
    names = [name for cell in right if parse_date(cell, "en") is None and not is_role(cell) for name in names_of(cell)]
    if names:
        r.head.authors = tuple(dict.fromkeys(names))
    r.set_date(date)
    if chunks.has(1):
        title = chunks[1].text.split("\n")
        if len(title) <= 2 and all(line.startswith("    ") for line in title):
            r.set_title(" ".join(line_text(line) for line in title))
            return 2
    return 1


def read_header(text: str, *, language: str = "", has_title: bool = False) -> tuple[Fields, int]:
    """Consume the header furniture at the top; return it and the offset where the text starts.

    ``language`` (the article's, when known) is the hint for dates in other languages than English.
    ``has_title``: the title is known already (front matter), so no line of the text is taken for it.
    """
    r = Reader(text, language)
    chunks = _Chunks(text)
    if has_title:
        i = 0
    elif chunks.has(0) and _field_block(chunks[0].text, r):
        i = 1
    elif used := _memo_header(chunks, r):
        i = used
    else:
        i = _page_title_line(text, chunks, r)
        if i >= 0:
            i += 1
        else:
            skip = _skip_to_title(text, chunks, r)
            used, offset = _read_title(chunks, skip, r)
            if offset >= 0:
                return r.head, offset
            if not r.head.title:
                r = Reader(text, r._language or "")  # no title: nothing above the text is skipped
                skip = 0
            i = skip + used
    while chunks.has(i) and chunks[i].start < _MAX_HEADER_END:
        chunk = chunks[i].text
        if not (is_header_chunk(chunk, r) or _is_chrome_chunk(chunk)):
            break
        i += 1
    return r.head, chunks[i].start if chunks.has(i) else len(text)
