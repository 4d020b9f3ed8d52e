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

from convert.recache import compile as recompile

__all__ = ["copyright_statement", "parse_copyright", "reconcile_copyright"]

_PREFIX = recompile(r"^(?:copyright\b\s*:?\s*(?:©|\(c\))?|©\s*(?:copyright\b)?|\(c\)\s*(?:copyright\b)?)\s*", re.I)
_YEAR = r"(?:1[5-9]|20)\d{2}"
#: A trailing year (``, 2019``, ``(1998)``, ``2019-2023``); the first year of a range counts.
_TRAILING_YEAR = recompile(
    rf"(?:,\s*)?\(?\b({_YEAR})(?:\s*[-\u2013\u2014]\s*(?:(?:1[5-9]|20)?\d{{2}}|{_YEAR}))?\)?\.?\s*$"
)
_LEADING_YEAR = recompile(rf"^({_YEAR})(?:\s*[-\u2013\u2014]\s*(?:{_YEAR}|\d{{2}}))?\b,?\s*")
#: Between holders: a comma (Latin, CJK), a semicolon, "and" in a few languages.  Not "&" (``Smith & Sons``).
_SEPARATOR = recompile(r"\s*[,\uff0c\u3001;]\s*|\s+(?:and|und|et|и)\s+")
#: "All rights reserved" and its common translations, which end a statement but name no holder.
_RESERVED = recompile(
    r"[.,;]?\s*(?:all rights reserved|alle rechte vorbehalten|tous droits r[ée]serv[ée]s|"
    r"todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados|"
    r"все права защищены|wszelkie prawa zastrzeżone|alle rechten voorbehouden|"
    r"版权所有|版權所有|保留所有权利|無断転載を禁じます|著作権所有|all right reserved)\.?\s*$",
    re.I,
)


@functools.lru_cache(maxsize=512)
def parse_copyright(statement: str) -> tuple[tuple[str, ...], int | None]:
    """Holders and year of a copyright statement (``"Copyright © A, Publisher, 2012"``).

    Only the first paragraph counts, and only when it starts as a copyright line does
    (``Copyright``, ``©``, ``(c)``); anything else yields ``((), None)``.  The holders are
    names in any script (``Copyright © Иван Петров, 2019``, ``© 東京新聞 2019``); the year is
    the first of a range (``© 2019–2023 A``) or the one in brackets (``(1998)``); "All rights
    reserved", in English or a few other languages, is not a holder.
    """
    first = " ".join(statement.split("\n\n", maxsplit=1)[0].split())
    prefix = _PREFIX.match(first)
    if prefix is None:
        return (), None
    body = _RESERVED.sub("", first[prefix.end() :]).strip()
    year: int | None = None
    m = _LEADING_YEAR.match(body)
    if m:
        year = int(m.group(1))
        body = body[m.end() :]
    else:
        m = _TRAILING_YEAR.search(body)
        if m:
            year = int(m.group(1))
            body = body[: m.start()].strip()
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
