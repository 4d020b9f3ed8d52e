"""What licence a line names: its SPDX identifier and, for Creative Commons, its address.

One place for every reader (saved articles' rights lines, front-matter ``licence`` values, web
pages' ``rel=license`` links and JSON-LD): :func:`licence_of` and :func:`licence_name`.  The
patterns are compiled on first use, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .lazyre import LazyPattern

__all__ = ["CC_URL", "SPDX_LINE", "licence_name", "licence_of", "names_licence"]


#: ``SPDX-License-Identifier: X``, as source files and some articles carry it.
SPDX_LINE = LazyPattern(r"^SPDX-License-Identifier\s*:\s*(\S.*?)\s*$", re.I)

#: SPDX identifiers a value may be given as, by their lower-case spelling.
_SPDX_IDS: dict[str, str] = {
    spdx.lower(): spdx
    for spdx in re.findall(
        r"\S+",
        "MIT Apache-2.0 BSD-2-Clause BSD-3-Clause ISC MPL-2.0 Unlicense CC0-1.0 GPL-2.0-only GPL-2.0-or-later "
        "GPL-3.0-only GPL-3.0-or-later LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0-only LGPL-3.0-or-later "
        "AGPL-3.0-only AGPL-3.0-or-later GFDL-1.3-only GFDL-1.3-or-later WTFPL 0BSD",
    )
}

_CC_ID = LazyPattern(
    r"\bCC[ -]?(BY(?:[ -](?:NC|SA|ND)){0,2})(?:[ -]v?(\d\.\d))?(?:[ -]([A-Z]{2})\b)?|\bCC[ -]?(?:0|ZERO)\b"
)
_CC_NAME = LazyPattern(r"\bcreative\s+commons\b", re.I)
CC_URL = LazyPattern(
    r"creativecommons\.org/(?:licenses/([a-z-]+)/(\d\.\d)(?:/([a-z]{2})(?=/|$|[?#]))?|publicdomain/zero/(1\.0))", re.I
)
_CC_PARTS = (
    ("NC", LazyPattern(r"non-?commercial|nicht-?kommerziell|pas d[’']utilisation commerciale|no\s?comercial", re.I)),
    ("SA", LazyPattern(r"share-?alike|weitergabe unter gleichen|partage dans les m[êe]mes|compartir\s?igual", re.I)),
    ("ND", LazyPattern(r"no-?deriv|keine bearbeitung|pas de modification|sin\s?(?:obra\s)?derivad", re.I)),
)
_CC_ATTRIBUTION = LazyPattern(
    r"attribution|namensnennung|reconnaissance|atribuci[óo]n|reconocimiento|attribuzione|атрибуция", re.I
)
_CC_ZERO = LazyPattern(r"\b(?:zero|CC0|public domain dedication)\b", re.I)
_VERSION = LazyPattern(r"\b(\d\.\d)\b")
_OTHER_LICENCES: tuple[tuple[LazyPattern, Callable[[re.Match[str]], str]], ...] = (
    (LazyPattern(r"\bMIT\s+licen[cs]e\b|^licen[cs]e\s*:\s*MIT\b", re.I), lambda m: "MIT"),
    (LazyPattern(r"\bApache\s+(?:licen[cs]e,?\s+)?(?:version\s+|v)?2\.0\b", re.I), lambda m: "Apache-2.0"),
    (LazyPattern(r"\bBSD[ -]([23])[ -]clause\b", re.I), lambda m: f"BSD-{m.group(1)}-Clause"),
    (LazyPattern(r"\bBSD\s+licen[cs]e\b", re.I), lambda m: ""),
    (
        LazyPattern(r"\bGNU\s+Free\s+Documentation\s+Licen[cs]e(?:,?\s+(?:version\s+|v)?(1\.[123]))?", re.I),
        lambda m: f"GFDL-{m.group(1)}" if m.group(1) else "",
    ),
)


def _cc(kind: str, version: str, port: str = "") -> tuple[str, str]:
    """The SPDX id and address of a Creative Commons licence (``by-sa``, ``4.0``, ``de``)."""
    kind = kind.lower()
    if kind == "zero":
        return "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"
    if not version:
        return "", ""
    spdx = "CC-" + kind.upper() + "-" + version + (f"-{port.upper()}" if port else "")
    url = f"https://creativecommons.org/licenses/{kind}/{version}/" + (f"{port.lower()}/" if port else "")
    return spdx, url


@functools.lru_cache(maxsize=256)
def licence_of(text: str, link: str = "") -> tuple[str, str]:
    """The SPDX identifier and the address of the licence a line names (``("", "")`` if none is known).

    A Creative Commons address (``link``, or in the text) gives both; ``CC BY-SA 4.0``,
    ``Creative Commons Attribution-ShareAlike 4.0`` and ``SPDX-License-Identifier: CC-BY-4.0``
    give the id, and the address is built from it; ``MIT``, ``Apache 2.0``, ``BSD 3-Clause``
    and the GFDL give the id alone.
    """
    for where in (link, text):
        m = CC_URL.search(where)
        if m:
            spdx, _ = _cc("zero", "") if m.group(4) else _cc(m.group(1), m.group(2), m.group(3) or "")
            return spdx, (link or m.group(0) if where == link else "https://" + m.group(0).rstrip("/") + "/")
    exact = _SPDX_IDS.get(text.strip().rstrip(".").lower())
    if exact:
        return exact, (_cc("zero", "")[1] if exact == "CC0-1.0" else "")
    spdx_line = SPDX_LINE.match(text)
    if spdx_line:
        expression = spdx_line.group(1)
        m = re.fullmatch(r"CC-(BY(?:-(?:NC|SA|ND)){0,2})-(\d\.\d)(?:-([A-Z]{2}))?", expression, re.I)
        if m:
            return expression, _cc(m.group(1), m.group(2), m.group(3) or "")[1]
        if expression.upper() == "CC0-1.0":
            return expression, _cc("zero", "")[1]
        return expression, ""
    # a value that is an identifier alone may be in lower case (``cc by-sa 4.0``); prose may not
    m = _CC_ID.search(text) or (_CC_ID.fullmatch(text.strip().upper()) if len(text) <= 40 else None)
    if m:
        if m.group(1) is None:
            return _cc("zero", "")
        return _cc(re.sub(r"[ -]", "-", m.group(1)), m.group(2) or "", m.group(3) or "")
    m = _CC_NAME.search(text)
    if m:
        rest = text[m.end() : m.end() + 160]
        if _CC_ZERO.search(rest):
            return _cc("zero", "")
        if _CC_ATTRIBUTION.search(rest):
            parts = [name for name, pattern in _CC_PARTS if pattern.search(rest)]
            order = [p for p in ("NC", "SA", "ND") if p in parts and not (p == "ND" and "SA" in parts)]
            version = _VERSION.search(rest)
            return _cc("-".join(["by", *(p.lower() for p in order)]), version.group(1) if version else "")
        return "", ""
    for pattern, spdx_of in _OTHER_LICENCES:
        m = pattern.search(text)
        if m:
            return spdx_of(m), ""
    return "", ""


def names_licence(text: str, *, low: str = "") -> bool:
    """Whether ``text`` names a licence (``low``: ``text`` in lower case, when the caller has it)."""
    low = low or text.lower()
    if not ("CC" in text or any(map(low.__contains__, ("creative", "licen", "mit ", "apache", "bsd", "gnu")))):
        return False
    if _CC_ID.search(text) or _CC_NAME.search(text) or CC_URL.search(text):
        return True
    return any(p.search(text) for p, _ in _OTHER_LICENCES)


def licence_name(spdx: str) -> str:
    """A short name for a licence identifier: ``CC-BY-SA-4.0`` -> ``CC BY-SA 4.0`` (others as they are)."""
    m = re.fullmatch(r"CC-(BY(?:-(?:NC|SA|ND)){0,2})-(\d\.\d)(?:-([A-Z]{2}))?", spdx)
    if m:
        return f"CC {m.group(1)} {m.group(2)}" + (f" {m.group(3)}" if m.group(3) else "")
    return "CC0 1.0" if spdx == "CC0-1.0" else spdx
