"""Where bytes that are not a file came from: :class:`Origin`, and fetching a URL input (:func:`_fetch`)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .errors import InputError
from .ir._record import record
from .ir.model import Article
from .options import Options

#: What a URL input may be answered with (HTML first; Markdown, text and the IR too).
_ACCEPT = "text/html, application/xhtml+xml, text/markdown;q=0.9, text/plain;q=0.8, application/json;q=0.5, */*;q=0.1"
#: Readers for the media types a server may declare.
_MEDIA_READERS = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json"}


@record  # a frozen dataclass (see convert.ir._record: cheaper at start-up)
class Origin:
    """Where bytes came from when they are not a file: a URL, and what its server or archive said.

    ``url`` is the address (after redirects); relative links and images of a web page are resolved
    against it, and it is the article's source URL unless the page names a canonical one.
    ``media_type`` and ``charset`` are the server's ``Content-Type``; ``retrieved`` is when the
    page was fetched, or captured by a web archive.
    """

    url: str
    media_type: str = ""
    charset: str | None = None
    retrieved: _dt.date | None = None


def _is_url(src: object) -> bool:
    return isinstance(src, str) and src[:8].lower().startswith(("http://", "https://"))


def _fetch(url: str, options: Options, max_bytes: int) -> tuple[bytes, Origin]:
    """The body of ``url`` (at most ``max_bytes``) and where it came from (:mod:`convert.fetch`'s limits).

    :class:`InputError` if it cannot be fetched.
    """
    from .fetch import FetchError, fetch

    try:
        got = fetch(url, accept=_ACCEPT, max_bytes=max_bytes, allow_private=options.allow_private)
    except FetchError as exc:
        raise InputError(exc.reason, path=url) from None
    when = options.source_date_epoch  # reproducible builds: the fetch date too
    today = (_dt.datetime.now(_dt.UTC) if when is None else _dt.datetime.fromtimestamp(when, _dt.UTC)).date()
    return got.body, Origin(got.url, got.media_type, got.charset, today)


def _with_origin(article: Article, origin: Origin) -> Article:
    """``article`` with the origin's URL as its source URL (unless it has one) and its retrieval date."""
    meta = article.metadata
    changes: dict[str, Any] = {}
    if origin.url and not meta.source_url:
        changes["source_url"] = origin.url
    if origin.retrieved and not meta.retrieved:
        changes["retrieved"] = origin.retrieved
    return article.with_metadata(**changes) if changes else article
