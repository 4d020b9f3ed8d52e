"""The bytes of a saved page to text: gzip, byte-order marks, the declared charset, and what it really is.

Real pages declare one charset and are stored in another (a page saved as UTF-8 whose ``<meta
charset>`` still says ISO-8859-1, or the reverse).  The order, as browsers and trafilatura's
``decode_file`` do it, but strict where they guess:

1. gzip-compressed bytes (a ``.html.gz``, or a server's body saved as it came) are uncompressed
   (at most :data:`MAX_HTML_BYTES` of output: a compression bomb is refused);
2. a byte-order mark decides (UTF-8, UTF-16);
3. the charset given by the caller (an HTTP ``Content-Type``, ``--encoding``), then the one the page
   declares (``<meta charset>`` or ``http-equiv``) in its first 4 KB, each tried **strictly**: the
   first that decodes the whole page without an error is used;
4. otherwise the text is decoded as the saved-article reader decodes text (UTF-8 with repairs of
   stray Windows-1252 bytes, or the encoding charset-normalizer detects), with a warning naming the
   declared charset that did not fit.

A declared Latin-1 (ISO-8859-1) is read as Windows-1252, as every browser does (the WHATWG
encoding standard): the bytes 0x80-0x9F are curly quotes and dashes, not control characters.
"""

from __future__ import annotations

import codecs
import re
import zlib

from ...errors import InputError, warn
from .._text import decode_text

__all__ = ["MAX_HTML_BYTES", "decode_html", "declared_charset"]

#: The largest page (after gzip) the reader accepts.
MAX_HTML_BYTES = 64 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
#: Labels the WHATWG encoding standard maps to another codec than Python's of the same name.
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_HTML_BYTES + 1)
    except zlib.error as exc:
        raise InputError(f"not valid gzip data ({exc})") from None
    if len(out) > MAX_HTML_BYTES:
        raise InputError(f"the page is over {MAX_HTML_BYTES // (1024 * 1024)} MB uncompressed")
    return out


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB (``<meta charset>`` or ``http-equiv``), if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _WHATWG.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 with at least one non-ASCII character."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The text of a saved page (see the module's doc for the order); line ends normalised."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data)
    declared = declared_charset(data)
    for label in (charset, declared):
        if not label:
            continue
        codec = _codec(label)
        if codec is None:
            continue
        if codec.startswith("utf-16"):
            codec = "utf-8"  # a page that says UTF-16 without a BOM is ASCII-compatible: its label lies
        if codec != "utf-8" and _is_utf8(data):
            # A single-byte charset decodes any bytes without an error, so "strictly" proves nothing
            # there; text that is valid UTF-8 and not ASCII is UTF-8 whatever the page says.
            warn("html.charset", f"the page declares {label} but is stored as UTF-8: read as UTF-8", logger=__name__)
            codec = "utf-8"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    text = decode_text(data)
    if declared and _codec(declared) is not None:
        warn("html.charset", f"the page declares {declared} but is not stored in it: read as detected", logger=__name__)
    return text
