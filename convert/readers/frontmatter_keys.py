"""Front matter keys to fields: the crosswalk rows a front matter's mapping gives, its author names and dates."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from convert.recache import compile as recompile

from ..errors import warn
from ..ir.model import Subject
from ..licences import licence_of

__all__ = ["author_names", "fields_from_mapping", "norm_key", "parse_date", "same_people"]


# --------------------------------------------------------------------------- keys to fields


def norm_key(key: str) -> str:
    return re.sub(r"[\s-]+", "_", str(key).strip().lower())


#: Key -> field, in order of precedence within a field (the first key a mapping has wins).
_TITLE_KEYS = ("title",)
_SUBTITLE_KEYS = ("subtitle",)
_AUTHOR_KEYS = ("author", "authors", "by")
_DATE_KEYS = ("date", "published", "pub_date", "publish_date", "publishdate", "date_published", "created", "pubdate")
_PATH_KEYS = ("permalink", "path", "url", "slug", "name")
_MODIFIED_KEYS = ("modified", "lastmod", "last_modified", "updated", "date_modified")
_LANGUAGE_KEYS = ("lang", "language", "pagelang", "locale")
_DESCRIPTION_KEYS = ("description", "excerpt", "summary")
_URL_KEYS = ("url", "origin_url", "canonical", "canonical_url", "source", "source_url", "original_url", "permalink")
_SITE_KEYS = ("site", "site_name", "sitename")
_PUBLISHER_KEYS = ("publisher",)
_IMAGE_KEYS = ("image", "cover", "cover_image", "featured_image")
_LICENCE_KEYS = ("licence", "license")
_COPYRIGHT_KEYS = ("copyright", "rights")
_SUBJECT_KEYS = {
    "tags": "tag",
    "tag": "tag",
    "categories": "category",
    "category": "category",
    "keywords": "keyword",
    "topics": "topic",
}
#: Language codes people write that are not the language's code.
_LANGUAGE_FIXES = {"jp": "ja", "cn": "zh", "kr": "ko", "cz": "cs", "dk": "da", "gr": "el", "ua": "uk", "vn": "vi"}


def fields_from_mapping(data: Mapping[str, Any], skip: Iterable[str] = ()) -> dict[str, Any]:
    """The metadata a front matter's mapping gives, by crosswalk row name (only what it gives).

    ``skip``: keys (normalised: lower case, ``_`` for spaces and hyphens) left to another reader.
    """
    norm = _normalised(data, set(skip))
    out: dict[str, Any] = {}
    for name, keys in (
        ("title", _TITLE_KEYS),
        ("subtitle", _SUBTITLE_KEYS),
        ("publisher", _PUBLISHER_KEYS),
        ("site", _SITE_KEYS),
        ("description", _DESCRIPTION_KEYS),
        ("image", _IMAGE_KEYS),
        ("copyright", _COPYRIGHT_KEYS),
    ):
        text = _text(_first(norm, keys)[1])
        if text:
            out[name] = text
    _, value = _first(norm, _AUTHOR_KEYS)
    authors = author_names(value)
    if authors:
        out["authors"] = authors
    _add_dates(norm, out)
    key, value = _first(norm, _LANGUAGE_KEYS)
    language = _language(_text(value), key)
    if language:
        out["language"] = language
    _add_source(norm, out)
    subjects: list[Subject] = []
    for key, value in norm.items():
        scheme = _SUBJECT_KEYS.get(key)
        if scheme:
            subjects.extend(Subject(term, scheme) for term in _terms(value))
    if subjects:
        out["subjects"] = tuple(dict.fromkeys(subjects))
    _add_licence(_text(_first(norm, _LICENCE_KEYS)[1]), out)
    return out


def _normalised(data: Mapping[str, Any], skipped: set[str]) -> dict[str, Any]:
    """The mapping by normalised key (the first key wins), without skipped keys and empty values."""
    norm: dict[str, Any] = {}
    for key, value in data.items():
        k = norm_key(key)
        if k not in skipped and k not in norm and value not in (None, "", [], {}):
            norm[k] = value
    return norm


def _first(norm: Mapping[str, Any], keys: Iterable[str]) -> tuple[str, Any]:
    """The first of ``keys`` the mapping has and its value; ("", None) when it has none."""
    for key in keys:
        if key in norm:
            return key, norm[key]
    return "", None


#: A date closing the last segment of a path or slug, after a separator (and before a suffix or ``/``).
_DATED_END = recompile(r"[-_](\d{4})-(\d{2})-(\d{2})(?:\.[A-Za-z]{1,5})?/?$")


def _add_dates(norm: Mapping[str, Any], out: dict[str, Any]) -> None:
    """The date (from a date key, else from a dated path) and the date modified."""
    for key in _DATE_KEYS:
        if key in norm:
            read = parse_date(norm[key], warn_key=key)
            if read is not None:
                out["date"], precision = read
                if precision != "day":
                    out["date_precision"] = precision
                break
    else:
        for key in _PATH_KEYS:
            m = re.search(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})(?:/|\.|$)", _text(norm.get(key)))
            m = m or (re.match(r"(\d{4})-(\d{2})-(\d{2})-", _text(norm.get(key))) if key in ("slug", "name") else None)
            # a daily post's slug closed by its date (``notes-of-today-2023-04-06``, ``.../notes_2023-04-06.html``)
            m = m or _DATED_END.search(_text(norm.get(key)))
            if m:
                try:
                    out["date"] = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    break
                except ValueError:
                    continue
    for key in _MODIFIED_KEYS:
        if key in norm:
            read = parse_date(norm[key], warn_key=key)
            if read is not None:
                out["modified"] = read[0]
                break


def _add_source(norm: Mapping[str, Any], out: dict[str, Any]) -> None:
    """The source's web address, else a source named in words."""
    for key in _URL_KEYS:
        url = _text(norm.get(key))
        if re.match(r"https?://\S+$", url):
            out["source_url"] = url
            break
    source = _text(norm.get("source"))
    if source and "source_url" not in out and not re.match(r"\w+:", source):
        out["source"] = source


def _add_licence(licence: str, out: dict[str, Any]) -> None:
    """The licence as written, its SPDX identifier and its address (when it is one)."""
    if licence:
        out["licence"] = licence
        spdx = licence_of(licence)[0]
        if spdx:
            out["licence_id"] = spdx
        if re.match(r"https?://\S+$", licence):
            out["licence_url"] = licence


def _text(value: Any) -> str:
    """A scalar as text ("" for what is not one); the first item of a list of texts."""
    if isinstance(value, list) and value and not isinstance(value[0], dict | list):
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name", "")
    if value is None or isinstance(value, bool | dict | list):
        return ""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _terms(value: Any) -> list[str]:
    """Taxonomy terms: a list, or a text split at commas, semicolons and line ends."""
    items = value if isinstance(value, list) else re.split(r"\s*[,;\n]\s*", str(value)) if value else []
    return [t for t in (_text(item) for item in items if not isinstance(item, dict | list)) if t and len(t) <= 200]


def _language(value: str, key: str) -> str:
    if not value:
        return ""
    from ..lang import normalize_tag

    primary, _, rest = value.replace("_", "-").partition("-")
    value = _LANGUAGE_FIXES.get(primary.lower(), primary) + ("-" + rest if rest else "")
    try:
        return normalize_tag(value)
    except ValueError:
        warn("frontmatter.unreadable", f"front matter: {key} {value!r} is not a language tag; left out")
        return ""


# --------------------------------------------------------------------------- authors

#: Words of a role or position given after a name (``Jane Doe, Managing Editor``).
_ROLE_WORDS: frozenset[str] = frozenset(
    re.findall(
        r"\S+",
        "director editor manager engineer professor reporter correspondent staff contributor lead founder "
        "co-founder ceo cto president member fellow researcher student chair maintainer team intern designer "
        "developer scientist analyst officer head advisor adviser columnist translator",
    )
)
_PUNCT_SEPARATORS = recompile(r"\s*(?:[,;،、]|\n|与)\s*")
_WORD_SEPARATORS = recompile(r"\s+(?:and|&|et|und|y|e|و)\s+", re.I)


def author_names(value: Any) -> tuple[str, ...]:
    """The people a front matter's author value names: a list (one person an item) or a text to split."""
    names: list[str] = []
    if isinstance(value, list):
        for item in value:
            one = item.get("name", "") if isinstance(item, dict) else item
            if isinstance(one, str | int | float) and not isinstance(one, bool):
                name = _clean_name(str(one).split(",")[0])
                if name:
                    names.append(name)
    elif isinstance(value, dict):
        names.extend(author_names([value]))
    elif isinstance(value, str):
        text = re.sub(r"\([^()]*\)|<[^<>]*>", " ", value)
        text = re.sub(r"^\s*by\s+", "", text, flags=re.I)
        parts = [p for p in _PUNCT_SEPARATORS.split(text) if p.strip()]
        for k, raw in enumerate(parts):
            part = re.sub(r"^(?:and|&|et|und|y|e)\s+", "", raw.strip(), flags=re.I)
            if k and _is_role(part):
                continue
            names.extend(n for n in map(_clean_name, _split_words(part)) if n)
    return tuple(dict.fromkeys(names))


def _fold(name: str) -> str:
    import unicodedata

    bare = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-_.]+", " ", bare).casefold().split())


def _latin(name: str) -> bool:
    return any(ch.isascii() and ch.isalpha() for ch in name)


def same_people(front: tuple[str, ...], visible: tuple[str, ...]) -> bool:
    """Whether a visible byline names the front matter's authors, as the page writes them.

    Name by name, in order: equal but for case, accents and the hyphens of a slug (``Sebastian
    Markbage`` and ``Sebastian Markbåge``, ``jane-doe`` and ``Jane Doe``), or written in another
    script (a transliteration cannot be compared: as many names in the same order is taken as
    the same credit).
    """
    if not front or len(front) != len(visible):
        return False
    return all(_fold(a) == _fold(b) or _latin(a) != _latin(b) for a, b in zip(front, visible, strict=True))


def _split_words(part: str) -> list[str]:
    """``A and B`` as two names; ``José Ortega y Gasset`` stays one (a one-word side is no name of its own)."""
    pieces = _WORD_SEPARATORS.split(part)
    if len(pieces) == 1:
        return pieces
    out = [pieces[0]]
    for sep, piece in zip(_WORD_SEPARATORS.findall(part), pieces[1:], strict=True):
        weak = sep.strip().lower() in ("y", "e")
        if weak and (len(out[-1].split()) < 2 or len(piece.split()) < 2):
            out[-1] = f"{out[-1]}{sep}{piece}"
        else:
            out.append(piece)
    return out


def _is_role(part: str) -> bool:
    """Whether a part after a name is the person's role (``Senior Editor``, ``author of Owls``)."""
    words = part.split()
    return bool(re.search(r"\s(?:of|for|at)\s", part)) or any(word.strip(".").lower() in _ROLE_WORDS for word in words)


def _clean_name(name: str) -> str:
    name = re.sub(r"\([^()]*\)|<[^<>]*>|\S+@\S+\.\w+", " ", name)
    name = re.sub(r"^\s*by\s+", "", name, flags=re.I)
    return " ".join(name.split()).strip(" ,;:")


# --------------------------------------------------------------------------- dates


@functools.cache
def _date_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    month = r"(?P<month>[A-Za-z]{3,9})\.?"
    return (
        (recompile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?:$|[T ]\d|Z)"), "ymd"),
        (recompile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})$"), "ymd"),
        (recompile(r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})$"), "ym"),
        (recompile(r"^(?P<year>\d{4})$"), "y"),
        (recompile(rf"(?:^|\s|,)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[ -]{month},?[ -](?P<year>\d{{4}})\b"), "ymd"),
        (recompile(rf"(?:^|\s|,){month} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})\b"), "ymd"),
        (recompile(rf"^{month},? (?P<year>\d{{4}})$"), "ym"),
    )


def parse_date(value: Any, *, warn_key: str = "date") -> tuple[_dt.date, str] | None:
    """A front-matter date and its precision (``day``, ``month``, ``year``), or None.

    Read: YAML dates, ``2020-12-21``, ``2020/12/21``, ``2013-09-17 13:46:18 -0400``, ``21.12.2020``,
    ``2020-12``, ``2020``, English month names (``14 February 2012``, ``Feb 14, 2012``,
    ``01-Apr-2003``), and other languages' dates through ``dateparser``.  One that cannot be read
    is None, with a warning naming ``warn_key`` (none when it is "").
    """
    if isinstance(value, _dt.datetime):
        return value.date(), "day"
    if isinstance(value, _dt.date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return _dt.date(value, 1, 1), "year"
    text = " ".join(str(value).split()) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
    if not text or re.fullmatch(r"\$\w*\$|\$\w+: *\$", text) or len(text) > 100:
        return None  # an empty value, or a version-control keyword never expanded ($Date$)
    read = _read_date(text)
    if read is None and warn_key:
        warn("frontmatter.unreadable", f"front matter: {warn_key} {text!r} is not a date artconv can read; left out")
    return read


def _read_date(text: str) -> tuple[_dt.date, str] | None:
    from .article.dates import MONTHS  # the one table of English month names (here: no import cycle)

    for pattern, parts in _date_patterns():
        m = pattern.search(text)
        if not m:
            continue
        month = m.group("month") if "m" in parts else "1"
        number = int(month) if month.isdigit() else MONTHS.get(month.lower(), 0)
        if not number:
            continue
        try:
            date = _dt.date(int(m.group("year")), number, int(m.group("day")) if "d" in parts else 1)
        except ValueError:
            continue
        return date, {"ymd": "day", "ym": "month", "y": "year"}[parts]
    if not re.search(r"\d{4}", text) or re.fullmatch(r"[\d\s/.-]+", text):
        return None  # no year, or numbers alone that the patterns did not read (01/02/2003 is ambiguous)
    import importlib

    dateparser = importlib.import_module("dateparser")  # other languages: only here, on the path that needs it
    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]})
    return (parsed.date(), "day") if parsed is not None else None
