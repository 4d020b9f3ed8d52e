"""Link destinations: escapes undone, and script-bearing schemes refused however they are disguised."""

from __future__ import annotations

import html
import re

from convert.recache import compile as recompile

from ...errors import warn
from ...urls import LOCAL_FETCH_SCHEMES, REFUSED_LINK_SCHEMES, image_allowed

__all__ = ["ASCII_PUNCT", "clean_url", "refused_image", "refused_url", "unescape"]

#: The parser's warnings are reported under its documented logger.
_LOGGER = "convert.readers._mdparse"

ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ESCAPED = recompile(r"\\+(.?)", re.S)
#: What browsers ignore inside a scheme: whitespace and control characters.
_IGNORED = recompile(r"[\x00-\x20\x7f]+")
_UNSAFE_SCHEMES = tuple(f"{scheme}:" for scheme in REFUSED_LINK_SCHEMES)
#: The refused schemes that run code (an image may be a ``data:`` or ``file:`` one).
_SCRIPT_SCHEMES = tuple(f"{scheme}:" for scheme in REFUSED_LINK_SCHEMES if scheme not in LOCAL_FETCH_SCHEMES)


def _unescape_run(m: re.Match[str], scraper: bool) -> str:
    run = len(m.group(0)) - len(m.group(1))
    nxt = m.group(1)
    if nxt and nxt in ASCII_PUNCT:
        return nxt if scraper else "\\" * (run // 2) + nxt
    return "\\" * (run // 2 + run % 2) + nxt


def unescape(text: str, scraper: bool) -> str:
    """Undo backslash escapes: ``\\x`` is ``x`` for ASCII punctuation, ``\\\\`` is ``\\``.

    In scraper mode every backslash before punctuation is a stray escape and goes.
    """
    return _ESCAPED.sub(lambda m: _unescape_run(m, scraper), text) if "\\" in text else text


def _is_unsafe_url(url: str, schemes: tuple[str, ...] = _UNSAFE_SCHEMES) -> bool:
    """Whether ``url`` has a script-bearing scheme, however it is disguised.

    Browsers ignore whitespace and control characters inside a scheme and
    decode character references in attributes, so both are undone first.
    """
    if url[:8].lower().startswith(("https://", "http://", "#")):  # the scheme is plain to see: a safe one
        return False
    for candidate in (url, html.unescape(url)) if "&" in url else (url,):
        squeezed = _IGNORED.sub("", candidate[:64]).lower()
        if squeezed.startswith(schemes):
            return True
    return False


def _shown(url: str) -> str:
    return repr(url if len(url) <= 200 else url[:200] + "...")


def refused_url(url: str) -> bool:
    """Whether a link to ``url`` (escapes already undone) is refused; a refusal is reported."""
    if not _is_unsafe_url(url):
        return False
    message = f"link to {_shown(url)} kept as text: links that run code or read local files are never kept"
    warn("markdown.link-refused", message, logger=_LOGGER)
    return True


def refused_image(src: str) -> bool:
    """Whether an image at ``src`` is refused (a script, a ``data:`` URI of no image); a refusal is reported."""
    if image_allowed(src) and not _is_unsafe_url(src, _SCRIPT_SCHEMES):
        return False
    warn("markdown.image-refused", f"image {_shown(src)} kept as its alt text: its address is refused", logger=_LOGGER)
    return True


def clean_url(url: str, scraper: bool = False) -> str:
    """Undo escapes in a link destination; refuse script-bearing schemes (returns "")."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    url = unescape(url, scraper).strip()
    return "" if refused_url(url) else url
