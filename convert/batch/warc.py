"""The pages of a web archive (WARC, ISO 28500) as the articles of a batch.

A WARC holds the HTTP exchanges of a crawl.  Every ``response`` record whose status is 200 and
whose payload is HTML (by ``Content-Type``, or by its first bytes when the server sent none)
is one article; requests, metadata, revisits, redirects, images and scripts are passed over.
Records are read with warcio (the Webrecorder project's reader: WARC 1.0/1.1 and ARC, gzip
per record or not, chunked and compressed HTTP bodies decoded).

Each article is named by its URL so that the outputs mirror the site:
``https://example.org/news/a-story/`` -> ``example.org/news/a-story/index``, with ``.html``
added for the batch's naming (the output stem drops it); a query string becomes a short hash
(``page-3f2a91c4``).  A URL archived twice is converted once, from its first capture.  The
record's own date (``WARC-Date``) is the article's archive date, and its URL the source URL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from convert.recache import compile as recompile

from ..errors import InputError
from ..fetch import content_type

__all__ = ["WarcPage", "is_warc", "iter_pages", "read_page"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNSAFE = recompile(r"[^\w.\-~]+")


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML response of a WARC: where its record starts, its URL and capture date, its batch key."""

    offset: int
    url: str
    date: str
    key: str


def is_warc(path: Path) -> bool:
    """Whether ``path`` is named as a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``)."""
    name = path.name.lower()
    return name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))


def url_key(url: str) -> str:
    """The batch key of a page's URL (see the module's doc)."""
    parts = urlsplit(url)
    host = _UNSAFE.sub("_", (parts.hostname or "unknown-host").lower())
    segments = [_UNSAFE.sub("_", unquote(s)) for s in parts.path.split("/") if s not in ("", ".", "..")]
    segments = [s.strip("._") or "_" for s in segments]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    last = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.IGNORECASE) or "index"
    if parts.query:
        last += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    segments[-1] = last
    return "/".join([host, *segments]) + ".html"


def _is_html(header: str, head: bytes) -> bool:
    media, _ = content_type(header)
    if media:
        return media in _HTML_TYPES
    probe = head.lstrip()[:512].lower()
    return probe.startswith((b"<!doctype html", b"<html"))


def _check_magic(path: Path) -> None:
    """:class:`InputError` unless the file starts as a WARC or ARC record does (gzip or not)."""
    import zlib

    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=str(path)) from None
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            head = b""
    if not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        raise InputError("not a readable web archive (no WARC or ARC record at its start)", path=str(path))


def iter_pages(path: Path) -> Iterator[WarcPage]:
    """The HTML pages of the archive at ``path``, first capture of each URL, in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_magic(path)
    seen: set[str] = set()
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if not url or url in seen or record.http_headers.get_statuscode() != "200":
                    continue
                header = record.http_headers.get_header("Content-Type") or ""
                head = record.content_stream().read(512)
                if not _is_html(header, head):
                    continue
                seen.add(url)
                date = record.rec_headers.get_header("WARC-Date") or ""
                yield WarcPage(records.get_record_offset(), url, date, url_key(url))
    except ArchiveLoadFailed as exc:
        raise InputError(f"not a readable web archive ({exc})", path=str(path)) from None


def read_page(path: Path, offset: int, max_bytes: int) -> tuple[bytes, str | None]:
    """The HTTP payload of the record at ``offset`` (decoded: chunked, gzip) and its charset, if declared."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)), None)
        if record is None or record.http_headers is None:
            raise InputError(f"no record at offset {offset}", path=str(path))
        data = record.content_stream().read(max_bytes + 1)
        _, charset = content_type(record.http_headers.get_header("Content-Type") or "")
    return data, charset
