"""The images an article uses, read once into its asset store (:attr:`Article.assets`).

Whatever the reader, :func:`load_assets` runs after it (:func:`convert.api.parse`) and
looks at every :class:`~convert.ir.model.Image`, inline or in a figure.  For each
distinct ``src``:

* a relative path, an absolute path or a ``file:`` URL is read from the *roots*: the
  folder of the input file (none for standard input) and the asset folder
  (``asset_dir``, an extra root, not a prefix).  A relative reference is looked for in
  each root in turn; whatever it names, with ``..`` and symbolic links resolved, must be
  a regular file inside one of the roots;
* a ``data:`` URI is decoded; the image keeps it as its ``src`` (the asset's ``ref``), so
  the formats that reference images (Markdown, TEI) stay self-contained;
* ``http:`` and ``https:`` are fetched only with ``allow_remote``: a timeout for every
  network operation and for the whole image, :data:`MAX_REDIRECTS` redirects (to
  ``http:``/``https:`` only), :data:`MAX_ASSET_BYTES`, and never an address that is not
  public (loopback, private, link-local, multicast, reserved ranges) unless ``allow_private``:
  the host's addresses are checked and the connection goes to the address that was checked
  (:mod:`convert.fetch`);
* every other scheme is refused.

The media type comes from the bytes (PNG, JPEG, GIF, WebP, SVG), never from the name
or a server.  An image that is missing, refused, too large or not an image gives one
warning naming it (``asset.*``, see ``docs/warnings.md``) and is left as it is, so the
writers keep its alt text.  An image whose ``src`` is already the ``ref`` of one of the
article's assets (an IR read from JSON) is not looked for again.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from typing import TYPE_CHECKING, Literal, assert_never

from .errors import UsageError, inform, warn
from .ir.model import Article, Asset, Figure, Image
from .ir.walk import Node, query
from .urls import WEB_SCHEMES, scheme

if TYPE_CHECKING:
    from .options import Options

__all__ = [
    "MAX_ASSET_BYTES",
    "MAX_REDIRECTS",
    "MAX_TOTAL_BYTES",
    "check_asset_dir",
    "load_assets",
    "sniff",
]

#: Largest image read (from a file, a ``data:`` URI or the network).
MAX_ASSET_BYTES = 25 * 1024 * 1024
#: Largest total of the images one article reads.
MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: Redirects followed for one remote image.
MAX_REDIRECTS = 5
#: Seconds each network operation (connect, each read) may take.
TIMEOUT = 10.0
#: Seconds one remote image may take in all.
DEADLINE = 30.0

#: Tests only: let the fetcher reach loopback addresses (a local test server).
_loopback_allowed = False

_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}
#: What a request's path keeps as it is (the rest, spaces and non-ASCII, is percent-encoded).
_SVG_NS = b"http://www.w3.org/2000/svg"
# An SVG document: an XML prolog (declaration, comments, processing instructions, a doctype),
# then a root element named svg (with any prefix), whose start tag declares the SVG namespace.
# (Compiled on the first image that is none of the formats recognised by their first bytes, not at
# start-up: a bytes pattern is not kept between runs by convert.recache.)
_SVG_ROOT = (
    rb"\A\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)\s*)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?svg(?=[\s/>])([^>]*)>"
)


#: Why an image was not read: the last part of its warning's code.
_Kind = Literal["missing", "refused", "not-image", "too-large", "unreadable"]


class _NotRead(Exception):
    """Why an image was not read: ``kind`` is the warning's last part, ``reason`` says why."""

    def __init__(self, kind: _Kind, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def check_asset_dir(asset_dir: str) -> None:
    """Raise :class:`UsageError` naming ``asset_dir`` when it is given and is not a folder."""
    if not asset_dir:
        return
    if not os.path.exists(asset_dir):
        raise UsageError(f"the asset folder {asset_dir} does not exist")
    if not os.path.isdir(asset_dir):
        raise UsageError(f"the asset folder {asset_dir} is not a folder")


def sniff(data: bytes) -> str | None:
    """The media type of an image from its first bytes (PNG, JPEG, GIF, WebP, SVG), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:8192].removeprefix(b"\xef\xbb\xbf")
    match = re.match(_SVG_ROOT, head, re.S)  # re's own cache keeps it compiled once used
    if match is not None and _SVG_NS in match.group(1):
        return "image/svg+xml"
    return None


def _sources(node: Node) -> tuple[str, ...]:
    if isinstance(node, Image):
        return (node.src,)
    if isinstance(node, Figure) and node.image is not None:
        return (node.image.src,)
    return ()


def load_assets(article: Article, *, base: str | None, options: Options) -> Article:
    """``article`` holding the images it shows (see the module's documentation).

    ``base`` is the folder of the input file (``None`` for standard input or bytes);
    ``options`` gives ``asset_dir`` and ``allow_remote``.  Raises :class:`UsageError`
    when the asset folder does not exist; everything else is a warning.
    """
    check_asset_dir(options.asset_dir)
    sources = list(dict.fromkeys(query(_sources, article)))
    held = {asset.ref for asset in article.assets}
    wanted = [src for src in sources if src not in held and src.strip()]
    if not wanted:
        return article
    roots = _roots(base, options.asset_dir)
    total = sum(len(asset.data) for asset in article.assets)
    added: list[Asset] = []
    for src in wanted:
        try:
            data = _read(src, roots, options.allow_remote, options.allow_private)
            if len(data) > MAX_ASSET_BYTES:
                raise _NotRead("too-large", f"larger than {_size(MAX_ASSET_BYTES)}")
            media_type = sniff(data)
            if media_type is None:
                raise _NotRead("not-image", "not a PNG, JPEG, GIF, WebP or SVG image")
            if total + len(data) > MAX_TOTAL_BYTES:
                raise _NotRead("too-large", f"the article's images would take more than {_size(MAX_TOTAL_BYTES)}")
        except _NotRead as why:
            _report(src, why)
            continue
        held.add(src)
        total += len(data)
        added.append(Asset(src, media_type, data))
        if _scheme(src) != "data":
            inform("asset.read", f"read image {_shown(src)} ({media_type}, {len(data):,} bytes)")
    if not added:
        return article
    return dataclasses.replace(article, assets=(*article.assets, *added))


def _report(src: str, why: _NotRead) -> None:
    """The warning of an image not read (each code written out: the documentation test finds them)."""
    message = f"image {_shown(src)} not read: {why.reason}; its alt text is kept"
    match why.kind:
        case "missing":
            return warn("asset.missing", message, logger=__name__, subject=src.strip())
        case "refused":
            return warn("asset.refused", message, logger=__name__, subject=src.strip())
        case "not-image":
            return warn("asset.not-image", message, logger=__name__, subject=src.strip())
        case "too-large":
            return warn("asset.too-large", message, logger=__name__, subject=src.strip())
        case "unreadable":
            return warn("asset.unreadable", message, logger=__name__, subject=src.strip())
    assert_never(why.kind)


def _shown(src: str) -> str:
    return repr(src if len(src) <= 80 else src[:77] + "...")


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _scheme(src: str) -> str:
    found = scheme(src)
    return "" if len(found) == 1 else found  # C:\... is a (Windows) path


def _read(src: str, roots: list[str], allow_remote: bool, allow_private: bool = False) -> bytes:
    """The bytes ``src`` names, or :class:`_NotRead`."""
    kind = _scheme(src)
    if kind == "data":
        return _data(src.strip())
    if kind in ("", "file"):
        return _local(src, roots)
    if kind in WEB_SCHEMES:
        if not allow_remote:
            raise _NotRead("refused", "remote images are fetched only with --allow-remote")
        return _remote(src.strip(), allow_private)
    raise _NotRead("refused", f"the {kind}: scheme is never read")


# --------------------------------------------------------------------------- data: URIs


def _data(url: str) -> bytes:
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    head, comma, payload = url[5:].partition(",")
    if not comma:
        raise _NotRead("unreadable", "a data: URI without a comma")
    raw = unquote_to_bytes(payload)
    if not head.lower().rstrip().endswith(";base64"):
        return raw
    packed = re.sub(rb"\s+", b"", raw)
    try:
        return base64.b64decode(packed + b"=" * (-len(packed) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise _NotRead("unreadable", "its base64 data is not valid") from None


# --------------------------------------------------------------------------- local files


def _roots(base: str | None, asset_dir: str) -> list[str]:
    found = [os.path.realpath(folder) for folder in (base, asset_dir) if folder]
    return list(dict.fromkeys(found))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _local(src: str, roots: list[str]) -> bytes:
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    if _scheme(src) == "file":
        parts = urlsplit(src.strip())
        if parts.netloc not in ("", "localhost"):
            raise _NotRead("refused", "a file: URL naming another host is never read")
        paths = [url2pathname(unquote(parts.path))]
    else:  # as written, then as a URL reference (%20 for a space, no ?query or #fragment)
        paths = list(dict.fromkeys(p for p in (src, unquote(urlsplit(src).path)) if p))
    if any("\0" in p for p in paths):
        raise _NotRead("missing", "a file name cannot hold a NUL character")
    if not roots:
        raise _NotRead(
            "refused", "the input has no folder (standard input): local images are read only from --asset-dir"
        )
    candidates = [p if os.path.isabs(p) else os.path.join(root, p) for p in paths for root in roots]
    outside = not_regular = False
    for candidate in dict.fromkeys(candidates):
        real = os.path.realpath(candidate)
        if not any(_inside(real, root) for root in roots):
            outside = True
            continue
        try:
            info = os.stat(real)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            not_regular = True
            continue
        if info.st_size > MAX_ASSET_BYTES:
            raise _NotRead("too-large", f"larger than {_size(MAX_ASSET_BYTES)}")
        try:
            with open(real, "rb") as fh:
                return fh.read(MAX_ASSET_BYTES + 1)
        except OSError as exc:
            raise _NotRead("unreadable", exc.strerror or str(exc)) from None
    where = " or ".join(roots)
    if outside:
        raise _NotRead("refused", f"outside the folders images are read from ({where})")
    if not_regular:
        raise _NotRead("refused", "not a regular file")
    raise _NotRead("missing", f"no such file in {where}")


# --------------------------------------------------------------------------- remote images


def _remote(url: str, allow_private: bool = False) -> bytes:
    """The body of ``url`` (see the module's documentation for the limits; ``allow_private``: any address)."""
    from .fetch import FetchError, fetch

    try:
        return fetch(
            url,
            accept="image/*",
            max_bytes=MAX_ASSET_BYTES,
            allow_private=allow_private or _loopback_allowed,
            timeout=TIMEOUT,
            deadline=DEADLINE,
            max_redirects=MAX_REDIRECTS,
        ).body
    except FetchError as exc:
        raise _NotRead(exc.kind, exc.reason) from None
