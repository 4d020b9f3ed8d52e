"""Dates as article pages write them: in a date line, a byline or a dateline.

ISO dates, CJK dates (``2021 年 7 月 8 日``) and dates with English month names are read by
hand-written patterns (strptime's month names follow the locale).  A date whose month is a
word of another language (``12 mars 2019``, ``4. Mai 2020``, ``27 сентября 2012``) is given to
:mod:`dateparser`, imported on the first such date only, with the article's language as a hint:
an English article never imports it.  A date that is clearly not a publication date (more than
a year ahead, or before 1000) is no date.
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib
import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from convert.recache import compile as recompile

__all__ = ["MONTHS", "DateFound", "Language", "Precision", "find_date", "parse_date"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string."""
    return frozenset(text.split())


Precision = Literal["day", "month", "year"]

_MONTH_NAMES = (
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
)
MONTHS: dict[str, int] = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_EN = "|".join(sorted(MONTHS, key=len, reverse=True))
#: A month written as a word of any language (letters only; dateparser decides).
_WORD = r"[^\W\d_]{3,12}"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>\d{4})"

#: Date shapes, tried in order at each position; ``month`` is a number, an English name or another word.
_SHAPES = (
    # 2020-03-03, 2020/12/21, 2020.03.03 (a time after it is left out)
    rf"{_YEAR}(?P<sep>[-/.])(?P<month>\d{{1,2}})(?P=sep){_DAY}(?![\d/.-])"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?)?",
    # 2021 年 7 月 8 日, 1933年5月1日, 2021年7月
    rf"{_YEAR}\s*年\s*(?P<month>\d{{1,2}})\s*月(?:\s*{_DAY}\s*日)?",
    # March 3, 2020; Mar. 3rd 2020; mars 3, 2020
    rf"(?P<month>{_WORD})\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}",
    # 3 March 2020, 3rd March, 2020, 01-Apr-2003, 4. Mai 2020, 3.April 2023, 21 de agosto de 2009
    rf"{_DAY}(?:st|nd|rd|th|er|º|\.)?(?:\s*|-)(?:de\s+)?(?P<month>{_WORD})\.?,?(?:\s+|-)(?:de\s+|del\s+)?{_YEAR}",
    # February 2021, février 2021
    rf"(?P<month>{_WORD})\.?,?\s+{_YEAR}",
)


@functools.cache
def _finder() -> re.Pattern[str]:
    return recompile("|".join(f"(?:{shape})" for shape in _numbered_shapes()), re.IGNORECASE)


def _numbered_shapes() -> list[str]:
    """The shapes with their group names made unique (``day1``, ``month1``, ...), for one alternation."""
    # Replaced by functions, not templates (``\\g<1>``): a template is parsed anew for each shape.
    group, reference = recompile(r"\(\?P<(\w+)>"), recompile(r"\(\?P=(\w+)\)")
    shapes = []
    for i, shape in enumerate(_SHAPES):
        referenced = reference.sub(lambda match: f"(?P={match[1]}{i})", shape)  # noqa: B023 - used at once
        shapes.append(group.sub(lambda match: f"(?P<{match[1]}{i}>", referenced))  # noqa: B023 - used at once
    return shapes


#: What may stand around a date in a date line: a label, a weekday, "on", punctuation.
_NOISE_WORDS = _words(
    "published posted updated date dated on at le am el il de del the publié publiée publicado publicada "
    "veröffentlicht pubblicato опубликовано gepubliceerd monday tuesday wednesday thursday friday "
    "saturday sunday mon tue tues wed thu thur thurs fri sat sun montag dienstag mittwoch donnerstag "
    "freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles "
    "jueves viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "понедельник вторник среда четверг пятница суббота воскресенье"
)
_WORDS = recompile(r"[^\W\d_]+|\d+")
_YEAR_DIGITS = recompile(r"\d{4}")
_FAR_PAST = 1000


class DateFound(NamedTuple):
    """A date found in a text, how precise it is, and where it stands."""

    date: _dt.date
    precision: Precision
    start: int
    end: int


def _latest_year() -> int:
    return _dt.date.today().year + 1


def _dateparser(word: str, day: str, year: str, language: str) -> int | None:
    """The month number of a month ``word`` of another language, by dateparser; None when it is none."""
    text = f"{day} {word} {year}" if day else f"{word} {year}"
    return _parse_foreign(text, language)


#: Languages dateparser tries when the article's is not known (common ones; a failure costs little).
_COMMON_LANGUAGES = ("fr", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "sv", "da", "nb", "tr", "cs")


@functools.lru_cache(maxsize=512)
def _parse_foreign(text: str, language: str) -> int | None:
    primary = language.split("-", maxsplit=1)[0].lower()
    languages = [primary] if primary in _dateparser_languages() and primary != "en" else list(_COMMON_LANGUAGES)
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}
    try:
        found = _dateparser_module().parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None
    return int(found.month) if found is not None else None


@functools.cache
def _dateparser_module() -> Any:
    """dateparser (untyped), imported on the first date in another language only."""
    return importlib.import_module("dateparser")


@functools.cache
def _dateparser_languages() -> frozenset[str]:
    loader = importlib.import_module("dateparser.languages.loader").LocaleDataLoader()
    return frozenset(str(name).split("-")[0] for name in loader.get_locale_map())


#: The article's language, or a function that says it (called only when a date needs it).
Language = str | Callable[[], str]


def _month(word: str, day: str, year: str, language: Language) -> int | None:
    if word.isdigit():
        return int(word)
    number = MONTHS.get(word.lower())
    if number is not None:
        return number
    if word.isascii() and word.lower() not in _ASCII_MONTHS:
        # an ASCII word that is no month of the common languages: ask dateparser only for an
        # article known to be in another language than English
        lang = language if isinstance(language, str) else language()
        if lang.split("-")[0].lower() in ("", "en"):
            return None
        return _dateparser(word, day, year, lang)
    return _dateparser(word, day, year, language if isinstance(language, str) else language())


#: Month names of other languages written in ASCII that an English article may still carry.
_ASCII_MONTHS = _words(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre januar februar "
    "maerz juni juli oktober dezember enero febrero marzo abril mayo junio julio agosto septiembre "
    "setiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio settembre ottobre "
    "dicembre janeiro fevereiro marco maio junho julho outubro novembro dezembro januari februari maart "
    "mei augustus"
)


def _group(m: re.Match[str], name: str) -> str:
    for key, value in m.groupdict().items():
        if value is not None and key.rstrip("0123456789") == name:
            return value
    return ""


def _make(m: re.Match[str], language: Language) -> DateFound | None:
    year, month_text, day = _group(m, "year"), _group(m, "month"), _group(m, "day")
    month = _month(month_text, day, year, language)
    if month is None:
        return None
    try:
        date = _dt.date(int(year), month, int(day) if day else 1)
    except ValueError:
        return None
    if not _FAR_PAST <= date.year <= _latest_year():
        return None
    return DateFound(date, "day" if day else "month", m.start(), m.end())


def find_date(text: str, language: Language = "") -> DateFound | None:
    """The first date in ``text`` (a short line: header lines are never long), or None."""
    if not _YEAR_DIGITS.search(text):
        return None  # every shape has a four-digit year
    for m in _finder().finditer(text):
        found = _make(m, language)
        if found is not None:
            return found
    return None


def _is_noise(text: str) -> bool:
    """Whether what stands around a date is only labels, weekdays and punctuation.

    Any other word is not: ``Reuters, March 3, 2020`` is a publisher's date line, not a date.
    """
    return all(w.lower() in _NOISE_WORDS for w in _WORDS.findall(text))


def parse_date(text: str, language: Language = "") -> DateFound | None:
    """The date a date line gives (``Posted on Friday, 3rd March 2020``), or None when it says more."""
    text = text.strip().rstrip(".")
    if len(text) > 120:
        return None
    found = find_date(text, language)
    if found is None or not (_is_noise(text[: found.start]) and _is_noise(text[found.end :])):
        return None
    return found
