"""Header lines: one line or chunk of a header read into the fields (byline, date line, taxonomy, source, summary).

:class:`Reader` holds the fields of the header being read; :func:`is_header_chunk` takes a chunk
made only of header lines into them, and :mod:`.header` finds the chunks to give it.
"""

from __future__ import annotations

import re

from convert.recache import compile as recompile

from ...ir.model import Subject
from .bylines import byline_text, dated_byline, line_text, names_of
from .dates import DateFound, Language, find_date, parse_date
from .draft import Fields
from .memo import unemphasised
from .titles import source_line, split_site

__all__ = [
    "ANY_LINK",
    "END_PUNCTUATION",
    "MAX_HEADER_CHUNK",
    "SCREEN_CHARS",
    "SCREEN_LINES",
    "TAXONOMY",
    "Reader",
    "is_header_chunk",
    "line_text",
    "name_like",
]

#: The first screenful, where a title is looked for past navigation.
SCREEN_LINES = 60
SCREEN_CHARS = 4096

ANY_LINK = recompile(r"\[([^\]]+)\]\(([^)]*)\)")
TAXONOMY = recompile(
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
_DESCRIPTION = recompile(r"^(?:summary|description|excerpt|teaser|dek)\s*:\s*(.+)$", re.I)
#: A dateline: "From the New York Packet Friday, February 22, 1788."; a "from" line alone names the site.
_DATELINE = recompile(
    r"^(?:from|originally published (?:in|on|by)|first published (?:in|on|by)|published in|reprinted from|"
    r"appeared in|this (?:article|post) (?:first )?appeared in)\s+(?-i:the\s+)?(?P<rest>.+)$",
    re.I,
)
_FROM_SITE = recompile(r"\s+from\s+(?-i:the\s+)?(?P<site>[^,]+?)\s*$", re.I)
_WEEKDAY_TAIL = recompile(
    r"[\s,;:–—-]*(?:\b(?:on|dated)\s+)?(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)?[\s,;:–—-]*$", re.I
)
_SEGMENT = recompile(r"\s+[|·•]\s+")
_EMAIL_LINE = recompile(r"^<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?$|^<?https?://\S+>?$")
_EMPHASIS_WRAPPER = recompile(r"^[*_]+|[*_]+$")
#: Header lines are short; longer ones are text (and are not parsed twice).
_MAX_HEADER_LINE = 600
#: A chunk of header lines or of chrome is a few lines: a longer one is text (and is not split into lines).
MAX_HEADER_CHUNK = 8 * 1024
END_PUNCTUATION = (".", ":", ";", ",", "!", "?", "。", "،")


class Reader:
    """The state of one header being read: the fields found and the article's language (asked once)."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.head = Fields()
        self._language = language or None

    def language(self) -> str:
        """The article's language: the one given, else detected from its start (only when a date needs it)."""
        if self._language is None:
            from ...lang import detect_language

            self._language = detect_language(self.text[:SCREEN_CHARS])
        return self._language

    @property
    def hint(self) -> Language:
        return self._language if self._language is not None else self.language

    # ------------------------------------------------------------------ fields

    def set_date(self, found: DateFound) -> None:
        self.head.date = found.date
        if found.precision != "day":
            self.head["date_precision"] = found.precision

    def set_site(self, site: str) -> None:
        if site and not self.head.get("site"):
            self.head["site"] = site

    def set_source(self, url: str) -> None:
        if url and not self.head.get("source_url"):
            self.head["source_url"] = url

    def set_title(self, title: str, *, link: str = "") -> None:
        headline, site = split_site(title)
        self.head.title = headline
        self.set_site(site)
        if link.startswith(("http://", "https://")):
            self.set_source(link)


def _terms(raw: str) -> tuple[str, ...]:
    """Taxonomy terms: link texts when present, else the text split on commas."""
    linked = [m.group(1) for m in ANY_LINK.finditer(raw)]
    if linked:
        terms = [line_text(t) for t in linked]
    else:
        terms = re.split(r"\s*[,;]\s*", line_text(raw))
    terms = [t.strip() for t in terms if t.strip()]
    return tuple(terms) if all(len(t) <= 80 for t in terms) else ()


def name_like(text: str, max_words: int = 8) -> bool:
    """A publication's or a site's name: short, capitalised, no sentence punctuation."""
    words = text.split()
    return 0 < len(words) <= max_words and text[:1].isupper() and not text.endswith(END_PUNCTUATION[:3])


def _publisher_date(text: str, r: Reader) -> tuple[str, DateFound] | None:
    """ "Publisher, Month D, YYYY": the publisher may itself contain commas."""
    parts = text.split(",")
    for k in range(1, len(parts)):
        found = parse_date(",".join(parts[k:]), r.hint)
        if found is not None:
            return ",".join(parts[:k]).strip(), found
    return None


def _dateline(text: str, r: Reader) -> bool:
    """ "From the Example Courier, Friday, March 14, 1788." (publisher and date) or "from The Example Review"."""
    m = _DATELINE.match(text.rstrip("."))
    if not m:
        return False
    rest = m.group("rest").strip()
    found = find_date(rest, r.hint)
    if found is not None:
        if rest[found.end :].strip(" .,"):
            return False
        publisher = _WEEKDAY_TAIL.sub("", rest[: found.start]).strip(" ,;:")
        if not name_like(publisher) or r.head.date is not None:
            return False
        r.head.publisher = r.head.publisher or publisher
        r.set_date(found)
        return True
    if name_like(rest, 6) and "," not in rest:
        r.set_site(rest)
        return True
    return False


def _split_name_publisher(words: list[str], site: str) -> tuple[str, str] | None:
    """ "Jane Doe The Example Review": the name, then the publisher (the site's first words, or from "The")."""
    for k in range(2, min(5, len(words))):
        publisher = " ".join(words[k:])
        if (site and site.casefold().startswith(publisher.casefold())) or (not site and words[k] == "The"):
            return " ".join(words[:k]), publisher
    return None


def _byline_line(raw: str, r: Reader) -> bool:
    """A byline, possibly with a date, a publisher and a site (``by X Publisher, April 18, 2007 from Site``)."""
    rest = byline_text(raw)
    if rest is None:
        return False
    site = ""
    m = _FROM_SITE.search(rest)
    if m and name_like(m.group("site"), 6):
        site, rest = m.group("site"), rest[: m.start()]
    found = None
    plain = line_text(rest)
    names_part = rest
    if r.head.date is None:
        found = find_date(plain, r.hint)
        if found is not None and not plain[found.end :].strip(" .,"):
            names_part = _WEEKDAY_TAIL.sub("", plain[: found.start]).strip(" ,;:|–—-")
        else:
            found = None
    publisher = ""
    names: tuple[str, ...] = ()
    words = names_part.split()
    if found is not None and len(words) >= 4:
        split = _split_name_publisher(words, site)
        if split:
            names, publisher = names_of(split[0]), split[1]
    if not names:
        names = names_of(names_part)
    if not names or r.head.authors:
        return False
    r.head.authors = names
    if found is not None:
        r.set_date(found)
    if publisher:
        r.head.publisher = r.head.publisher or publisher
    r.set_site(site)
    return True


def _date_then_byline(raw: str, r: Reader) -> bool:
    """A date, then a byline or linked names: ``Le 21 décembre 2020 par A, B et C``."""
    bare = _unwrapped(raw)
    if r.head.date is not None or r.head.authors:
        return False
    found = find_date(bare[:80], r.hint)
    if found is None or found.start > 12:
        return _date_in_words_then_byline(bare, r)
    if not _is_lead(bare[: found.start]):
        return False
    rest = bare[found.end :].lstrip(" ,;:|–—-")
    names: tuple[str, ...] = ()
    if byline_text(rest) is not None:
        names = names_of(byline_text(rest) or "")
    elif ANY_LINK.match(rest):
        names = names_of(rest)  # linked names with only separators between them
    if not names:
        return False
    r.set_date(found)
    r.head.authors = names
    return True


def _date_in_words_then_byline(bare: str, r: Reader) -> bool:
    """A date the reader cannot read, then a byline: ``في الثالث من مايو، 2023، كتبه A، B و C``.

    The names are taken; the date only when all of the text before the "by" word reads as one.
    """
    dated = dated_byline(bare)
    if dated is None:
        return False
    lead, names = dated
    found = find_date(lead, r.hint)
    if found is not None and _is_lead(lead[: found.start]) and not lead[found.end :].strip(" ,;:،"):
        r.set_date(found)
    r.head.authors = names
    return True


def _is_lead(text: str) -> bool:
    """What may stand before a date opening a byline line: "Le", "On", "Am", "El", nothing."""
    return bool(re.fullmatch(r"\s*(?:(?:le|on|am|el|il|the|published|posted)\s*)?", text, re.I))


def _header_item(raw: str, r: Reader) -> bool:
    """Take one header item (a line, or a segment of one between ``|``) into the reader's fields."""
    bare = _unwrapped(raw)
    # the line's text, read now only when reading it may report a refused link (it always did)
    text = line_text(raw) if _may_refuse_a_link(raw) else None
    if _byline_line(raw, r):
        return True
    m = TAXONOMY.match(bare)
    if m and len(bare) <= 400:
        terms = _terms(m.group(2))
        if terms:
            scheme = m.group(1).lower()
            scheme = _SCHEMES.get(scheme, scheme)
            r.head.add_subjects(tuple(Subject(t, scheme) for t in terms))
            return True
    source = source_line(raw, r.head.title)
    if source is not None:
        r.set_source(source.url)
        r.set_site(source.site)
        return True
    if text is None:
        text = line_text(raw)
    if _dateline(text, r):
        return True
    if r.head.date is None:
        found = parse_date(text, r.hint)
        if found is not None:
            r.set_date(found)
            return True
        pair = _publisher_date(text, r)
        if pair is not None:
            r.head.publisher = pair[0]
            r.set_date(pair[1])
            return True
    if _date_then_byline(raw, r):
        return True
    m = _DESCRIPTION.match(text)
    if m and len(text) <= 400 and not r.head.get("description"):
        r.head["description"] = m.group(1).strip()
        return True
    return False


def _unwrapped(raw: str) -> str:
    """``raw`` without the emphasis markers around it, and trimmed."""
    return unemphasised(_EMPHASIS_WRAPPER, raw).strip()


def _may_refuse_a_link(raw: str) -> bool:
    """Whether the parser may refuse a link or an image of ``raw`` (a scheme after a ``(`` or a ``<``)."""
    at = min((i for i in (raw.find("("), raw.find("<")) if i >= 0), default=-1)
    return at >= 0 and (":" in raw[at:] or "&" in raw[at:])


def _header_line(line: str, r: Reader) -> bool:
    """Take one header line into the reader's fields; False if it is none (nothing is taken then)."""
    if len(line) > _MAX_HEADER_LINE:
        return False
    if _header_item(line, r):
        return True
    segments = _SEGMENT.split(line)
    if len(segments) < 2 or source_line(line) is not None:
        return False
    scratch = Reader(r.text, "")
    scratch.head, scratch._language = r.head.copy(), r._language
    if not all(_header_item(segment, scratch) for segment in segments):
        return False
    r.head.update(scratch.head)
    r._language = scratch._language
    return True


def _signature(lines: list[str], r: Reader) -> bool:
    """A name (with its role) over an e-mail address or a web address: ``Jane Doe, for the Example team``."""
    if r.head.authors or len(lines) != 2 or not _EMAIL_LINE.match(lines[1]):
        return False
    names = names_of(lines[0])
    if len(names) != 1:
        return False
    r.head.authors = names
    return True


def is_header_chunk(chunk: str, r: Reader) -> bool:
    """Take a chunk made only of header lines into the fields (nothing is taken otherwise)."""
    if len(chunk) > MAX_HEADER_CHUNK:
        return False
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    scratch = Reader(r.text, "")
    scratch.head, scratch._language = r.head.copy(), r._language
    if not (all(_header_line(line, scratch) for line in lines) or _signature(lines, scratch)):
        r._language = scratch._language
        return False
    r.head.update(scratch.head)
    r._language = scratch._language
    return True
