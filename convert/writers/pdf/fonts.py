"""Font bytes made reproducible: the time stamp of each subset font is reset to the font's own date."""

from __future__ import annotations

import struct


def _sfnt_checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    total: int = sum(struct.unpack(f">{len(padded) // 4}I", padded))
    return total & 0xFFFFFFFF


def stable_font(data: bytes) -> bytes:
    """An OpenType/TrueType font with its ``head.modified`` set to ``head.created`` (checksums redone).

    The font subsetter stamps each subset with the current time; the stamp is
    the only thing that makes two renderings of the same article differ.
    """
    if len(data) < 12 or data[:4] not in (b"OTTO", b"\x00\x01\x00\x00", b"true"):
        return data
    (count,) = struct.unpack(">H", data[4:6])
    for k in range(count):
        record = 12 + 16 * k
        if data[record : record + 4] != b"head":
            continue
        _, offset, length = struct.unpack(">III", data[record + 4 : record + 16])
        if length < 36 or offset + length > len(data):
            return data
        font = bytearray(data)
        font[offset + 28 : offset + 36] = font[offset + 20 : offset + 28]  # modified := created
        font[offset + 8 : offset + 12] = b"\0\0\0\0"  # checkSumAdjustment
        struct.pack_into(">I", font, record + 4, _sfnt_checksum(font[offset : offset + length]))
        struct.pack_into(">I", font, offset + 8, (0xB1B0AFBA - _sfnt_checksum(font)) & 0xFFFFFFFF)
        return bytes(font)
    return data
