"""A text file of URLs as the articles of a batch: ``artconv batch urls.txt -t tei -o out/``.

A URL list has one ``http:``/``https:`` URL a line; blank lines and lines starting with ``#``
are passed over.  A file given by name (not one found in a folder) is a URL list when it is
named ``*.urls``, or when it is named ``*.txt`` and its first lines that are not blank or
comments (up to :data:`_SNIFF_LINES`) are each one word, the first of them an http(s) URL: an
article in a ``.txt`` file has sentences.  A line that is not an http(s) URL fails on its own,
naming the file and line; the others are converted.

Each URL is named like a web archive's page (:func:`convert.batch.warc.url_key`), so the outputs
mirror the sites: ``https://example.org/news/a-story/`` -> ``example.org/news/a-story/index``.
A URL listed twice is converted once; a ``#fragment`` is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from ..urls import WEB_SCHEMES
from .warc import url_key

__all__ = ["UrlLine", "is_url_list", "iter_urls", "web_url"]

#: How many lines a ``.txt`` file's recognition reads.
_SNIFF_LINES = 20


@dataclass(frozen=True, slots=True)
class UrlLine:
    """One URL of a list: its line number, the URL (or the line's text when it is not one), its batch key."""

    line: int
    url: str
    #: ``""`` when the line is not an http(s) URL.
    key: str


def web_url(text: str) -> str | None:
    """``text`` without its fragment if it is an absolute http(s) URL with a host; None if not."""
    if any(c.isspace() for c in text):
        return None
    url = urldefrag(text).url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of the lines that are neither blank nor comments, lazily."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, raw in enumerate(fh, 1):
            text = raw.strip().lstrip("\ufeff")
            if text and not text.startswith("#"):
                yield number, text


def is_url_list(path: Path) -> bool:
    """Whether the file ``path`` is a URL list (see the module's doc)."""
    name = path.name.lower()
    if name.endswith(".urls"):
        return True
    if not name.endswith(".txt"):
        return False
    try:
        found = 0
        for _number, text in _lines(path):
            if found == 0 and web_url(text) is None:
                return False
            if any(c.isspace() for c in text):
                return False
            found += 1
            if found >= _SNIFF_LINES:
                break
    except (OSError, UnicodeError):
        return False
    return found > 0


def iter_urls(path: Path) -> Iterator[UrlLine]:
    """The URLs of the list at ``path`` in order, each once; lines that are not URLs have no key."""
    seen: set[str] = set()
    for number, text in _lines(path):
        url = web_url(text)
        if url is None:
            yield UrlLine(number, text, "")
        elif url not in seen:
            seen.add(url)
            yield UrlLine(number, url, url_key(url))
