"""What the DOCX writer's parts share: namespaces, escaping, and the reproducible zip.

The parts are built as strings (no XML library is imported: building them is most of the
writer's work, and lxml's import alone would cost more than the whole rendering); every text
and attribute value goes through :func:`text` or :func:`attr`.  Characters XML 1.0 does not
allow are removed from the finished parts (:func:`remove_not_xml`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence, Set
from functools import lru_cache

from convert.recache import compile as recompile

__all__ = [
    "A_NS",
    "PIC_NS",
    "R_NS",
    "W_NS",
    "WP_NS",
    "attr",
    "remove_not_xml",
    "text",
    "zip_parts",
]

#: WordprocessingML, relationships in a part, DrawingML (main, picture, in a document).
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

#: Characters outside the XML 1.0 ``Char`` production.
_NOT_XML = recompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """``value`` as character data."""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return value


def attr(value: str) -> str:
    """``value`` as an attribute value between double quotes."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def remove_not_xml(part: str, removed: set[str]) -> str:
    """``part`` without the characters XML 1.0 does not allow (added to ``removed``)."""
    if _NOT_XML.search(part) is None:
        return part
    removed.update(_NOT_XML.findall(part))
    return _NOT_XML.sub("", part)


# --------------------------------------------------------------------------- zip

#: The zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16): local file header, central directory header, end of
#: central directory.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DEFLATED = 8


def _deflate(raw: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream at level 6) of ``raw``."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(raw), compressor.compress(raw) + compressor.flush()


#: Parts most documents share (the styles of one language, the settings): compressed once per process.
_deflate_common = lru_cache(maxsize=16)(_deflate)


def zip_parts(
    parts: Sequence[tuple[str, bytes]], stamp: tuple[int, int, int, int, int, int], common: Set[str] = frozenset()
) -> bytes:
    """A zip of ``parts`` (name, bytes) in that order, every entry deflated and stamped ``stamp``
    (year from 1980, month, day, hour, minute, second), Unix attributes 0644: the same bytes for the
    same parts.  The parts named in ``common`` are the same in many documents: their compressed form
    is kept for the next.

    (Written here with :mod:`zlib` and :mod:`struct`: :mod:`zipfile` imports ``bz2``, ``lzma`` and
    ``shutil`` at start, more than the whole rendering of an article costs.  The parts of a document
    are far below the sizes that need ZIP64; the names are ASCII.)
    """
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    dostime = stamp[3] << 11 | stamp[4] << 5 | (stamp[5] // 2)
    out = bytearray()
    central: list[bytes] = []
    for name, raw in parts:
        filename = name.encode("ascii")
        crc, body = _deflate_common(raw) if name in common else _deflate(raw)
        fields = (0, _DEFLATED, dostime, dosdate, crc, len(body), len(raw), len(filename), 0)
        central.append(_CENTRAL.pack(b"PK\001\002", 20, 3, 20, 0, *fields, 0, 0, 0, 0o100644 << 16, len(out)))
        central.append(filename)
        out += _LOCAL.pack(b"PK\003\004", 20, 0, *fields)
        out += filename
        out += body
    start = len(out)
    out += b"".join(central)
    out += _END.pack(b"PK\005\006", 0, 0, len(parts), len(parts), len(out) - start, start, 0)
    return bytes(out)
