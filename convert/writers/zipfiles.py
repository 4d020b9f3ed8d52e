"""Reproducible zip files (the EPUB and DOCX packages): the same entries give the same bytes.

Entries are written in the order given, every one with the same timestamp, Unix attributes 0644,
made by and needing zip 2.0; deflated at level 6 but those named ``stored`` (EPUB's ``mimetype``).
The bytes are those :mod:`zipfile` writes for the same entries (:func:`_by_zipfile`, which a test
compares with :func:`_written`), but :func:`_written` writes them itself, with :mod:`zlib` and
:mod:`struct`, because:

* :mod:`zipfile` imports ``bz2``, ``lzma`` and ``shutil`` at start, which costs more than rendering
  a whole article (a process writing one document pays it);
* it keeps per-entry bookkeeping (seeks, data descriptors checks) that a package of a few files
  written at once does not need;
* entries that are the same in many packages (a style sheet, a container) are compressed once per
  process (``common``: kept by their bytes in a small cache).

:mod:`zipfile` itself writes what :func:`_written` does not handle (:func:`_plain` says which): a
name given twice, a directory or a name with a NUL, sizes near ZIP64's, a system whose path
separator is not ``/``.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import struct
import zlib
from collections.abc import Sequence, Set
from functools import lru_cache

__all__ = ["Stamp", "stamp_of", "zip_files"]

#: A zip entry's time: year (1980 to 2107), month, day, hour, minute, second (even).
Stamp = tuple[int, int, int, int, int, int]

#: Packages up to this size (all entries, uncompressed) are written by :func:`_written`: far from the
#: sizes at which :mod:`zipfile` writes ZIP64 records.
_PLAIN_BYTES = 1 << 30
_STORED = 0
_DEFLATED = 8
#: The zip records (APPNOTE 4.3.7, 4.3.12, 4.3.16): local file header, central directory header, end of
#: central directory.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


def stamp_of(when: _dt.datetime | None) -> Stamp:
    """The entries' time for a package made ``when`` (UTC): 1980-01-01 for none or anything earlier,
    the first time zip can say; seconds rounded down to even, as zip keeps them."""
    if when is None or when.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second // 2 * 2)


def zip_files(
    entries: Sequence[tuple[str, bytes]],
    stamp: Stamp,
    *,
    stored: Set[str] = frozenset(),
    common: Set[str] = frozenset(),
) -> bytes:
    """A zip of ``entries`` (name, bytes) in that order, each stamped ``stamp``; the names in
    ``stored`` are stored, the others deflated; those in ``common`` are the same in many packages
    (their compressed form is kept for the next)."""
    if _plain(entries):
        return _written(entries, stamp, stored, common)
    return _by_zipfile(entries, stamp, stored)


def _plain(entries: Sequence[tuple[str, bytes]]) -> bool:
    """Whether :func:`_written` writes these entries as :mod:`zipfile` would: distinct plain names,
    a size well below ZIP64's, ``/`` as the system's separator."""
    names = [name for name, _ in entries]
    return (
        os.sep == "/"
        and len(set(names)) == len(names)
        and not any("\0" in name or name.endswith("/") for name in names)
        and sum(len(data) for _, data in entries) < _PLAIN_BYTES
    )


def _by_zipfile(entries: Sequence[tuple[str, bytes]], stamp: Stamp, stored: Set[str] = frozenset()) -> bytes:
    """The zip, written by :mod:`zipfile` (the general path: any names, sizes and duplicates)."""
    import zipfile  # (only here: a costly import, see the module's documentation)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            dst.writestr(info, data, compresslevel=6)
    return out.getvalue()


def _deflate(raw: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream at level 6) of ``raw``, as :mod:`zipfile` compresses an entry."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(raw), compressor.compress(raw) + compressor.flush()


#: Entries many packages share (an EPUB's style sheet, a DOCX's styles of one language): compressed once.
_deflate_common = lru_cache(maxsize=32)(_deflate)


def _written(
    entries: Sequence[tuple[str, bytes]], stamp: Stamp, stored: Set[str] = frozenset(), common: Set[str] = frozenset()
) -> bytes:
    """The bytes :func:`_by_zipfile` gives for entries :func:`_plain` accepts, written here.

    (The records are those ``zipfile.ZipFile.writestr`` writes into a seekable file.)
    """
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    dostime = stamp[3] << 11 | stamp[4] << 5 | (stamp[5] // 2)
    out = bytearray()
    central: list[bytes] = []
    for name, raw in entries:
        try:
            filename, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            filename, flags = name.encode("utf-8"), 0x800  # zipfile's flag for UTF-8 names
        if name in stored:
            method, crc, body = _STORED, zlib.crc32(raw), raw
        else:
            method = _DEFLATED
            crc, body = _deflate_common(raw) if name in common else _deflate(raw)
        # version 2.0 needed and made by, Unix (3), no extra field, comment, disk or internal attributes
        fields = (flags, method, dostime, dosdate, crc, len(body), len(raw), len(filename), 0)
        central.append(_CENTRAL.pack(b"PK\001\002", 20, 3, 20, 0, *fields, 0, 0, 0, 0o100644 << 16, len(out)))
        central.append(filename)
        out += _LOCAL.pack(b"PK\003\004", 20, 0, *fields)
        out += filename
        out += body
    start = len(out)
    out += b"".join(central)
    out += _END.pack(b"PK\005\006", 0, 0, len(entries), len(entries), len(out) - start, start, 0)
    return bytes(out)
