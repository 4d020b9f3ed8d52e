"""Names and dates as web pages' metadata write them (the helpers of :mod:`.meta`).

* :func:`names` turns an author value (``By Jane Doe and Kai Moreno``, ``Doe, Jane``) into names,
  leaving out what is not a usable name: a URL, an e-mail address, a ``@handle``, a user name (one
  word with digits, or one lower-case word: ``jdoe42``, ``mcupdate``), a degree (``MA``, ``PhD``).
  Parentheses inside a name are left out (``Bruno (Henrique) Rodrigues`` -> ``Bruno Rodrigues``),
  as are a URL or an address in parentheses after it; ``(with Kai Moreno)``, ``(avec ...)`` gives
  more names.
* :func:`stamp` reads an ISO date or date-time (``2019-03-04T10:00:00-08:00``) with its offset;
  :func:`day_of` a date in any shape a ``<meta>`` tag gives it (``2018/05/02``, ``20180502``,
  ``Wed, 02 May 2018 10:00:00 GMT``), by the article reader's date patterns for words.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from convert.recache import compile as recompile

__all__ = [
    "clean",
    "day_of",
    "is_address",
    "names",
    "parse_date",
    "person_names",
    "split_names",
    "stamp",
    "unescape",
    "uninvert",
    "usable_name",
]

_ISO = recompile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
    re.IGNORECASE,
)
_COMPACT = recompile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T\d|\s*$)")
_ISO_MONTH = recompile(r"^\s*(\d{4})-(\d{2})(?!\d)")
_HANDLE = recompile(r"^@\w+$")
_URLISH = recompile(r"^(?:https?:)?//|^www\.|^https?:|^mailto:", re.IGNORECASE)
_EMAIL = recompile(r"^\S+@\S+\.\w+$")
_BY = recompile(r"^(?:(?:written|posted|reported)\s+)?(?:by|von|par|por|di|door|av|af)\b\s*:?\s*", re.IGNORECASE)
_ONE_LINE = recompile(r"\s+[•·|]\s+")
_SPLIT = recompile(r"\s*(?:;|,\s*(?:and|&)\s+|,|\s+and\s+|\s+&\s+|\s+et\s+|\s+und\s+)\s*")
#: ``(with ...)`` after a name: more authors.
_WITH = recompile(r"\s*\(\s*(?:with|avec|mit|con|com|met)\s+([^()]+)\)\s*$", re.IGNORECASE)
_PARENS = recompile(r"\s*\([^()]*\)")
_LAST_PARENS = recompile(r"\s*\(([^()]*)\)$")
_LETTER = recompile(r"[^\W\d_]")
#: Degrees and post-nominals written after a name (compared without dots, case-folded).
_DEGREES = frozenset((
    "ma", "ms", "msc", "mba", "md", "phd", "dphil", "rn", "mph", "bsc", "ba", "bs", "do", "dds", "dmd", "jd", "llb",
    "llm", "mfa", "edd", "pharmd", "dvm", "rd", "ld", "cpa", "esq", "frcp", "mrcp", "facp", "np", "pa-c", "lcsw",
    "ccc-slp", "psyd", "aprn", "crnp",
))  # fmt: skip


def clean(text: str | None) -> str:
    """White space collapsed, ends stripped."""
    return " ".join(text.split()) if text else ""


def unescape(text: str) -> str:
    """HTML character references undone (JSON-LD is raw text in the page, and some sites escape it as HTML)."""
    if "&" not in text:
        return text
    import html

    return clean(html.unescape(text))


def uninvert(name: str) -> str:
    """``Surname, Given`` -> ``Given Surname`` (one comma, no more than four words a side)."""
    parts = [clean(p) for p in name.split(",")]
    if len(parts) == 2 and all(parts) and all(len(p.split()) <= 4 for p in parts):
        return f"{parts[1]} {parts[0]}"
    return clean(name)


def _is_degree(part: str) -> bool:
    return part.replace(".", "").casefold() in _DEGREES


def is_address(value: str) -> bool:
    """Whether ``value`` is a web or mail address rather than a name (``https://``, ``//``, ``www.``, ``mailto:``)."""
    return _URLISH.match(value) is not None


def usable_name(name: str) -> bool:
    """Whether ``name`` can be an author's name (not a URL, an address, a handle, a user name, a degree)."""
    if not name or len(name) > 100 or is_address(name) or _HANDLE.match(name) or _EMAIL.match(name):
        return False
    if _is_degree(name) or not _LETTER.search(name):
        return False
    if " " not in name:
        # one word: a user name when it has digits, an underscore, or letters of one case that are all lower
        if any(ch.isdigit() for ch in name) or ("_" in name and name.isascii()):
            return False
        if name.isascii() and name.islower():
            return False
    return True


def _without_parentheses(name: str) -> str:
    """Parenthesised parts dropped: a middle one (``Bruno (Henrique) Rodrigues``), a URL or address after it.

    A last part in parentheses that is no address (an alias, an agency) is kept.
    """
    name = clean(name)
    kept = ""
    last = _LAST_PARENS.search(name)
    if last:
        inside = last.group(1).strip()
        if not (_URLISH.match(inside) or "@" in inside or "/" in inside):
            kept = f" ({inside})"
        name = name[: last.start()]
    return clean(_PARENS.sub("", name) + kept) or clean(name)


def split_names(text: str) -> list[str]:
    """The names of one author value (``By A, B and C``), unchecked."""
    text = clean(_BY.sub("", clean(unescape(text))))
    text = clean(_ONE_LINE.split(text, maxsplit=1)[0])
    if not text:
        return []
    more: list[str] = []
    found = _WITH.search(text)
    if found:
        more = split_names(found.group(1))
        text = text[: found.start()]
    text = _without_parentheses(text)
    parts = _SPLIT.split(text)
    # "Surname, Given" (two parts, one word each) is one name, not two
    if len(parts) == 2 and "," in text and all(len(p.split()) == 1 for p in parts) and " and " not in text:
        return [text, *more]
    return [p for p in (clean(p) for p in parts) if p and not _is_degree(p)] + more


def names(value: str, *, one: bool = False) -> list[str]:
    """The usable names of an author value; ``one``: the value is one name (``Surname, Given`` turned round)."""
    found = [uninvert(_without_parentheses(clean(value)))] if one else split_names(value)
    return [n for n in found if usable_name(n)]


def person_names(value: Any, ids: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Names from a JSON-LD author value: a string, a Person/Organization (or a reference to one), a list."""
    out: list[str] = []
    for given in value if isinstance(value, list) else [value]:
        item = given
        if isinstance(item, dict) and "name" not in item and ids and isinstance(item.get("@id"), str):
            item = ids.get(item["@id"], item)
        if isinstance(item, str):
            out.extend(split_names(item))
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
            if isinstance(name, str):
                out.extend(split_names(name))
    return [n for n in out if usable_name(n)]


def stamp(value: Any) -> tuple[_dt.date, _dt.datetime | None] | None:
    """The day an ISO date or date-time names, and the instant when it has an offset; None if none."""
    if not isinstance(value, str):
        return None
    match = _ISO.search(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        date = _dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None or zone is None:
        return date, None
    if zone.upper() == "Z":
        offset = _dt.timedelta(0)
    else:
        digits = zone[1:].replace(":", "")
        offset = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        offset = -offset if zone[0] == "-" else offset
    try:
        when = _dt.datetime(date.year, date.month, date.day, int(hour), int(minute), int(second or 0))
        return date, when.replace(tzinfo=_dt.timezone(offset))
    except ValueError:
        return date, None


def parse_date(value: Any) -> _dt.date | None:
    """The day an ISO-like date-time string names (``2019-03-04T10:00:00Z`` -> 2019-03-04); None if none."""
    found = stamp(value)
    return found[0] if found else None


def day_of(text: str) -> _dt.date | None:
    """The day a ``<meta>`` tag's date names, in the shapes pages write (ISO, compact, words); None if none."""
    found = parse_date(text)
    if found:
        return found
    compact = _COMPACT.match(text)
    if compact:
        try:
            return _dt.date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
        except ValueError:
            return None
    month = _ISO_MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return _dt.date(int(month.group(1)), int(month.group(2)), 1)
    if not _LETTER.search(text):
        return None
    from ..article.dates import find_date

    words = find_date(text)
    return words.date if words else None
