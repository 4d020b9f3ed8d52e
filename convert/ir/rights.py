"""The copyright statement of a rights record, and the holders and year read from it.

The statement (``Rights.copyright``) is the one source of truth: ``Rights.copyright_holders``
and ``Rights.copyright_year`` are parsed from it by :func:`parse_copyright`, so replacing the
statement replaces them too.  A reader that finds only holders and a year (a TEI header without
a statement, front matter with ``copyright: {holder, year}``) builds the statement with
:func:`copyright_statement`; one that finds both reconciles them with :func:`reconcile_copyright`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

__all__ = ["copyright_statement", "parse_copyright", "reconcile_copyright"]

_PREFIX = re.compile(r"^(?:copyright\b\s*(?:©|\(c\))?|©|\(c\))\s*", re.I)
_TRAILING_YEAR = re.compile(r"(?:,\s*)?\b((?:19|20)\d{2})(?:\s*[-\u2013]\s*(?:19|20)?\d{2,4})?\.?\s*$")
_LEADING_YEAR = re.compile(r"^((?:1[5-9]|20)\d{2})\b,?\s*")
_SEPARATOR = re.compile(r"\s*,\s*|\s+and\s+")


@functools.lru_cache(maxsize=512)
def parse_copyright(statement: str) -> tuple[tuple[str, ...], int | None]:
    """Holders and year of a copyright statement (``"Copyright © A, Publisher, 2012"``).

    Only the first paragraph counts, and only when it starts as a copyright line does
    (``Copyright``, ``©``, ``(c)``); anything else yields ``((), None)``.
    """
    first = statement.split("\n\n", maxsplit=1)[0].strip()
    prefix = _PREFIX.match(first)
    if prefix is None:
        return (), None
    body = first[prefix.end() :].strip()
    year: int | None = None
    m = _TRAILING_YEAR.search(body)
    if m:
        year = int(m.group(1))
        body = body[: m.start()].strip()
    else:
        m = _LEADING_YEAR.match(body)
        if m:
            year = int(m.group(1))
            body = body[m.end() :]
    holders = [h.strip(" .") for h in _SEPARATOR.split(body) if h.strip(" .")]
    return tuple(dict.fromkeys(holders)), year


def copyright_statement(holders: Sequence[str], year: int | None) -> str:
    """The statement ``"Copyright © YEAR HOLDER, HOLDER"`` (empty when both are missing)."""
    names = ", ".join(" ".join(h.split()) for h in holders if h.strip())
    if not names and year is None:
        return ""
    return " ".join(part for part in ("Copyright ©", "" if year is None else str(year), names) if part)


def _same(holders: Sequence[str], others: Sequence[str]) -> bool:
    return [" ".join(h.split()) for h in holders] == [" ".join(h.split()) for h in others]


def reconcile_copyright(statement: str, holders: Sequence[str], year: int | None) -> str:
    """The statement to keep when a reader found ``holders`` and ``year`` beside ``statement``.

    The statement stays as it is when they agree with it (or are missing).  Otherwise nothing is
    dropped: a statement built from them comes first, as its own paragraph, and a warning says so.
    A built statement whose holders or year cannot be read back as given is reported too.
    """
    holders = [h for h in holders if h.strip()]
    if not holders and year is None:
        return statement
    from ..errors import warn

    if not statement.strip():
        built = copyright_statement(holders, year)
        if not (_same(parse_copyright(built)[0], holders) and parse_copyright(built)[1] == year):
            warn(
                "rights.copyright-unreadable",
                f"copyright holders and year are kept as the statement {built!r}, which does not read back as given",
                logger=__name__,
            )
        return built
    found_holders, found_year = parse_copyright(statement)
    if (not holders or _same(holders, found_holders)) and (year is None or year == found_year):
        return statement
    built = copyright_statement(holders or found_holders, found_year if year is None else year)
    warn(
        "rights.copyright-conflict",
        f"copyright holders or year differ from the copyright statement; both kept, {built!r} first",
        logger=__name__,
    )
    return f"{built}\n\n{statement}"
