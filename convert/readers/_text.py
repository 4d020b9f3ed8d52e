"""Turning input bytes into text: encodings, byte-order marks, line ends."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

__all__ = ["decode_text"]

#: C0 controls other than tab and newline, DEL and the C1 controls never belong in an article.
_STRIPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _looks_utf16(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from the pattern of zero bytes."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zero > 0.3 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero > 0.3 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


#: Control characters other than tab, line feed, form feed and carriage return (C0, DEL and C1).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """NUL characters, or more than a few control characters: not a text a person saved."""
    if "\x00" in text:
        return True
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample))
    return controls > 4 and controls > len(sample) // 100


def decode_text(data: bytes) -> str:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 (BOM or not) or Windows-1252.

    Line ends become ``\\n``, the text is NFC-normalised, stray control
    characters are removed.  The same article in any of these encodings gives
    the same text.  Raises :class:`~convert.errors.InputError` for binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _looks_utf16(data) or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise InputError(f"not valid {encoding.upper()} text") from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            # bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252: fall back to Latin-1
            text = data.decode("latin-1")
    if _looks_binary(text):
        raise InputError("binary data, not a text article")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if _STRIPPED.search(text):
        text = _STRIPPED.sub("", text)
    text = text.replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)
