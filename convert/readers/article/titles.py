"""Titles and what stands around them at the top of a saved page: site names, navigation, source lines.

- :func:`split_site` takes a site name off a title (``Headline | Example Weekly``,
  ``Headline - Vox``, ``Headline – The Example Blog``, ``Frontiers | Headline``) when the part is
  short and looks like a name; a dash that belongs to the sentence stays
  (``Ports - and why they matter``, ``The Year Everything Changed - Again``).
- :func:`is_navigation_line` tells the lines a page's navigation leaves above the title: ``Skip to
  content``, a row or list of links, a table of contents, a rule.
- :func:`source_line` reads the lines a clipper or an archive writes about where the page came from:
  ``URL: https://...``, ``Source: https://...``, ``**Source:** <https://...>``, ``Clipped: ...``,
  ``[Headline | Site](https://...)``.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from convert.recache import compile as recompile

from ...ir.walk import plain_text
from .._mdparse import parse_inlines
from .memo import unemphasised

__all__ = ["Source", "is_navigation_line", "source_line", "split_site"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string."""
    return frozenset(text.split())


#: Separators between a headline and a site name, the site after them (suffix) or before (prefix).
_SUFFIX_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " • ")
_PREFIX_SEPARATORS = (" | ", " :: ")
#: Short words that end titles after a dash and are no site names.
_NOT_SITES = _words(
    "again part revisited explained updated reloaded redux continued now today finally too forever review "
    "interview analysis opinion edition update recap reconsidered remastered live video podcast "
    "transcript abstract summary introduction conclusion epilogue prologue"
)
_SITE_PARTICLES = _words("of the and for on in at de du des la le el y & der die das von")


def _looks_like_site(part: str, *, max_words: int) -> bool:
    words = part.split()
    if not (0 < len(words) <= max_words and 2 <= len(part) <= 40):
        return False
    if any(ch.isdigit() for ch in part) or part[-1] in ".!?:;,":
        return False
    if len(words) == 1 and part.casefold() in _NOT_SITES:
        return False
    cased = [w for w in words if any(ch.isupper() or ch.islower() for ch in w)]
    if not cased or not cased[0][0].isupper():
        return not cased and len(part) <= 20  # a name in a script without case
    return all(w[0].isupper() or w.casefold() in _SITE_PARTICLES or not w[0].isalpha() for w in cased)


def _looks_like_headline(part: str) -> bool:
    words = part.split()
    return len(words) >= 2 and not part[0].islower()


def split_site(title: str) -> tuple[str, str]:
    """``(headline, site)`` of a title that names its site, else ``(title, "")``."""
    for sep in _SUFFIX_SEPARATORS:
        head, found, site = title.rpartition(sep)
        max_words = 5 if sep == " | " else 4
        if found and _looks_like_site(site.strip(), max_words=max_words) and _looks_like_headline(head.strip()):
            return head.strip(), site.strip()
    for sep in _PREFIX_SEPARATORS:
        site, found, head = title.partition(sep)
        if found and _looks_like_site(site.strip(), max_words=4) and _looks_like_headline(head.strip()):
            return head.strip(), site.strip()
    return title, ""


_LINK = recompile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_LIST_MARKER = recompile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


@functools.cache
def _skip_phrases() -> re.Pattern[str]:
    return recompile(
        r"(?:skip|jump) to (?:the )?(?:main )?(?:content|navigation|search|main|article)|"
        r"toggle (?:navigation|menu|search)|(?:main |open |close )?menu|navigation|search|home|"
        r"table of contents|contents|on this page|in this (?:article|post|page)|sign in|log ?in|back to top",
        re.IGNORECASE,
    )


def _plain(raw: str) -> str:
    return plain_text(parse_inlines(raw, scraper=True)).strip()


def is_navigation_line(raw: str) -> bool:
    """A line a page's navigation leaves: skip links, a row or list of links, a rule or a lone symbol."""
    line = raw.strip()
    if not line or len(line) > 2000:
        return False
    if not any(ch.isalnum() for ch in line):
        return True  # a rule, "▽", "|"
    item = _LIST_MARKER.sub("", line)
    if _LINK.search(item):
        residue = _LINK.sub(" ", item)
        words = re.findall(r"[^\W_]+", residue)
        return len(words) <= 2 and len(residue.strip()) <= 20
    return bool(_skip_phrases().fullmatch(_plain(line).strip(" :*_")))


class Source(NamedTuple):
    """What a source line says: the page's address and the site's name (either may be empty)."""

    url: str
    site: str


_SOURCE_LABEL = recompile(
    r"^(?:url|source|source url|original(?: url| article)?|link|permalink|canonical(?: url)?|"
    r"clipped from|saved from|archived from)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_CLIP_LABEL = recompile(
    r"^(?:clipped|saved|retrieved|accessed|captured|archived|downloaded|clipped on|saved on)\s*[:：]\s*.+$",
    re.IGNORECASE,
)
_EMPHASIS = recompile(r"(?<![\w\]])[*_]+|[*_]+(?![\w(])")
_BARE_URL = recompile(r"^<?(https?://[^\s<>]+)>?$")


def _url_of(value: str) -> str:
    value = value.strip()
    m = _BARE_URL.match(value)
    if m:
        return m.group(1)
    m = _LINK.fullmatch(value)
    if m and m.group(2).startswith(("http://", "https://")):
        return m.group(2)
    return ""


def source_line(raw: str, title: str = "") -> Source | None:
    """What a clipper's or archive's line about the page's origin says, or None when it is none.

    ``[Headline | Site](https://...)`` counts when its text names a site, or is the ``title``.
    A ``Clipped:`` line says when the page was saved, not when it was published: it gives nothing.
    """
    line = unemphasised(_EMPHASIS, raw.strip()).strip()
    if len(line) > 1000:
        return None
    m = _SOURCE_LABEL.match(line)
    if m:
        url = _url_of(m.group("value"))
        return Source(url, "") if url else None
    if _CLIP_LABEL.match(line):
        return Source("", "")
    m = _LINK.fullmatch(line)
    if m and not line.startswith("!") and m.group(2).startswith(("http://", "https://")):
        text = _plain(m.group(1))
        _headline, site = split_site(text)
        if site or (title and " ".join(text.split()) == title):
            return Source(m.group(2), site)
    return None
