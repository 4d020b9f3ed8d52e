"""Turning input bytes into text: encodings, byte-order marks, line ends, what is binary.

What is binary (refused) and what is repaired (with one warning per kind of
repair) is documented in ``docs/reading.md``; keep the two in step.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata
from collections import Counter

from convert.recache import compile as recompile

from ..errors import InputError, UsageError, warn

__all__ = ["SAMPLE_CHARS", "binary_signature", "check_encoding", "decode_text"]

#: Formats recognised by their first bytes, with the name the error message gives them: each is
#: a name and checks that must all hold, a check being an offset and the byte strings one of
#: which is found there.  (Byte strings rather than regular expressions: compiling some thirty
#: patterns at start-up costs more than the whole test.)
_Check = tuple[int, tuple[bytes, ...]]
_MACH_O_OR_CLASS = (
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"
)  # fmt: skip
_SIGNATURES: tuple[tuple[str, tuple[_Check, ...]], ...] = (
    ("PDF document", ((0, (b"%PDF-",)),)),
    ("ZIP archive", ((0, (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")),)),  # EPUB, DOCX, ODT, JAR...
    ("gzip data", ((0, (b"\x1f\x8b", b"\x1f\x9d")),)),
    ("bzip2 data", ((0, tuple(b"BZh%d" % n for n in range(1, 10))), (4, (b"1AY&SY", b"\x17rE8P\x90")))),
    ("xz data", ((0, (b"\xfd7zXZ\x00",)),)),
    ("Zstandard data", ((0, (b"\x28\xb5\x2f\xfd",)),)),
    ("LZ4 data", ((0, (b"\x04\x22\x4d\x18",)),)),
    ("7-Zip archive", ((0, (b"7z\xbc\xaf\x27\x1c",)),)),
    ("RAR archive", ((0, (b"Rar!\x1a\x07",)),)),
    ("ar archive", ((0, (b"!<arch>\n",)),)),
    ("tar archive", ((257, (b"ustar\x00", b"ustar ")),)),
    ("OLE2 document", ((0, (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),)),  # DOC, XLS, PPT, MSG
    ("SQLite database", ((0, (b"SQLite format 3\x00",)),)),
    ("PNG image", ((0, (b"\x89PNG\r\n\x1a\n",)),)),
    ("JPEG image", ((0, (b"\xff\xd8\xff",)),)),
    ("GIF image", ((0, (b"GIF87a", b"GIF89a")),)),
    ("TIFF image", ((0, (b"II*\x00", b"MM\x00*")),)),
    ("RIFF media", ((0, (b"RIFF",)), (8, (b"WEBP", b"WAVE", b"AVI ")))),  # WebP, WAV, AVI
    ("ISO media", ((4, (b"ftyp",)),)),  # MP4, MOV, M4A, HEIC, AVIF
    ("Matroska media", ((0, (b"\x1a\x45\xdf\xa3",)),)),  # MKV, WebM
    ("Ogg media", ((0, (b"OggS\x00",)),)),
    ("FLAC audio", ((0, (b"fLaC",)),)),
    ("MP3 audio", ((0, (b"ID3\x02\x00", b"ID3\x03\x00", b"ID3\x04\x00")),)),
    ("font", ((0, (b"wOFF", b"wOF2", b"OTTO\x00", b"\x00\x01\x00\x00\x00")),)),
    ("ELF executable", ((0, (b"\x7fELF",)),)),
    ("Mach-O executable or Java class", ((0, _MACH_O_OR_CLASS),)),
    ("WebAssembly module", ((0, (b"\x00asm",)),)),
)

#: How much of the text the binary test looks at (characters, after decoding).
SAMPLE_CHARS = 8192
#: NUL characters in the sample above this share (and more than _MIN_COUNT of them): binary.
_NUL_SHARE = 0.01
#: NUL and other control characters in the sample above this share (and more than _MIN_COUNT): binary.
_CONTROL_SHARE = 0.08
_MIN_COUNT = 8

#: C0 controls other than tab, line feed, vertical tab, form feed and carriage return; DEL.
_CONTROLS = recompile("[\x00-\x08\x0e-\x1f\x7f]")
#: Anything the slow path repairs: C0 controls but tab and line feed, DEL, C1 controls.
_SPECIAL = recompile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bytes of UTF-8 text but the C0 controls :data:`_SPECIAL` finds (carriage returns aside: line ends by then).
_NOT_C0 = bytes(range(256)).translate(None, bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
#: A C1 control in UTF-8 (its bytes C2 80 to C2 9F).
_C1_UTF8 = recompile(b"\xc2[\x80-\x9f]")
#: What is dropped after the C1 mapping: controls, and the five C1 code points Windows-1252 leaves undefined.
_DROPPED = recompile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")


@functools.cache
def _c1_cp1252() -> dict[str, str]:
    """C1 controls (U+0080-U+009F) with a Windows-1252 meaning: the character that byte stands for there."""
    return {chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


#: Bytes that are not UTF-8, as ``surrogateescape`` gives them (U+DC80-U+DCFF).
_ESCAPED = recompile("[\udc80-\udcff]")
_NOT_ASCII = bytes(range(0x80, 0x100))
_ASCII = bytes(range(0x80))


def _has_special_utf8(data: bytes, controls: bytes) -> bool:
    """Whether the text ``data`` is in UTF-8 holds what :data:`_SPECIAL` finds once its line ends are ``\\n``.

    ``controls``: the C0 control bytes of ``data`` (``data.translate(None, _NOT_C0)``).  The C1
    controls are looked for in the bytes (their UTF-8 starts with C2), only where there is a C2.
    """
    return bool(controls) or (b"\xc2" in data and _C1_UTF8.search(data) is not None)


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes Windows-1252 leaves undefined (0x81, 0x8D, ...) as U+0081, ..."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("artconv-latin-1", _latin1_fallback)


def _cp1252(byte: int) -> str:
    return bytes([byte]).decode("cp1252", "artconv-latin-1")


@functools.cache
def _escape_cp1252() -> dict[str, str]:
    """Each ``surrogateescape`` code point (U+DC80-U+DCFF) as the Windows-1252 character of its byte."""
    return {chr(0xDC00 + b): _cp1252(b) for b in _NOT_ASCII}


def binary_signature(data: bytes) -> str | None:
    """The name of the binary format ``data`` starts with (PDF, ZIP, PNG...), or None."""
    for name, checks in _signatures_from(data[:1]):
        if all(data.startswith(prefixes, offset) for offset, prefixes in checks):
            return name
    return None


@functools.cache
def _signatures_from(first: bytes) -> tuple[tuple[str, tuple[_Check, ...]], ...]:
    """The :data:`_SIGNATURES` that data starting with ``first`` (its first byte, or none) may match, in order.

    A signature whose first check is at offset 0 needs one of its prefixes' first bytes there; a
    text starts with none of most of them, so that only a few signatures are tried on it instead of
    every one (each a generator and some calls: as long as decoding the article).
    """
    return tuple(
        (name, checks)
        for name, checks in _SIGNATURES
        if checks[0][0] != 0 or any(prefix.startswith(first) for prefix in checks[0][1])
    )


def _looks_utf16(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from the pattern of zero bytes."""
    sample = data[:4096]
    if len(sample) < 4 or 0 not in sample:  # (no zero byte: neither share below is reached; a quick scan)
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zero > 0.3 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero > 0.3 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` is text in ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _decode_8bit(data: bytes, changes: list[str], found: list[str]) -> str:
    """Bytes that are not UTF-8: UTF-8 with a few Windows-1252 bytes in it, else the encoding detected (``found``)."""
    text = data.decode("utf-8", "surrogateescape")
    bad = len(_ESCAPED.findall(text))
    ascii_chars = len(data) - len(data.translate(None, _ASCII))
    good = len(text) - ascii_chars - bad  # characters from valid multi-byte sequences
    if good <= bad:
        # another encoding: its valid UTF-8 sequences ("ß“" is DF 93 in Windows-1252) are accidents
        encoding = _detect(data)
        if encoding == "cp1252":
            return data.decode("cp1252", "artconv-latin-1")
        found.append(encoding)
        return _decode_as(data, encoding, changes)
    # UTF-8 text with a few bytes pasted from a Windows-1252 source: decode those alone
    changes.append(f"decoded {_plural(bad, 'byte')} that are not valid UTF-8 as Windows-1252")
    return _ESCAPED.sub(lambda m: _escape_cp1252()[m.group()], text)


def _detect(data: bytes) -> str:
    """The encoding of bytes that are not UTF-8, by charset-normalizer; Windows-1252 when it reads as well.

    Windows-1252 (with Latin-1, its subset) is what such bytes were taken for before detection
    existed, and the detector cannot tell it from its siblings (Windows-1250, Mac Roman, ...) on
    a few accented letters: it is kept whenever its text looks no more garbled ("chaos", the
    detector's measure) than the detector's best guess.  Cyrillic, CJK and Central European
    code pages, garbled in Windows-1252, are found.
    """
    from charset_normalizer import from_bytes  # here: only bytes that are not UTF-8 pay for its import
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data[:_DETECT_BYTES]).best()
    if best is None:
        return "cp1252"
    as_cp1252 = data[:_MESS_BYTES].decode("cp1252", "ignore")  # its five undefined bytes aside
    if mess_ratio(as_cp1252, maximum_threshold=1.0) <= best.percent_chaos / 100 + _MESS_MARGIN:
        return "cp1252"
    return str(best.encoding)


#: How much of the input the detector reads (it samples within that), and the chaos measure.
_DETECT_BYTES = 1 << 20
_MESS_BYTES = 1 << 16
#: How much more garbled than the best guess Windows-1252 may look and still be kept.
_MESS_MARGIN = 0.01


def _decode_as(data: bytes, encoding: str, changes: list[str]) -> str:
    """``data`` in ``encoding``, what it cannot decode as U+FFFD (one change said)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        pass
    text = data.decode(encoding, "replace")
    bad = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")  # less those in the text
    if bad > 0:
        changes.append(f"replaced {_plural(bad, 'byte')} that are not valid {_display(encoding)} by U+FFFD")
    return text


def _display(encoding: str) -> str:
    """The usual name of an encoding: KOI8-R, CP1251, SHIFT_JIS, UTF-8."""
    return codecs.lookup(encoding).name.upper()


def check_encoding(name: str) -> str:
    """``name`` if Python knows a text encoding of that name; :class:`UsageError` otherwise."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"option encoding must be an encoding name such as cp1251, got {name!r}"[:300])
    return name


def _check_binary(text: str, unit: str) -> None:
    """Raise :class:`InputError` when ``text`` is binary data rather than a text (see docs/reading.md)."""
    end = len(text.rstrip("\x00"))  # a zero-filled tail (a crash) does not make a text binary
    if end == 0:
        if text:
            raise InputError(f"binary data (NUL {unit}s only), not a text article")
        return
    sample = text[: min(end, SAMPLE_CHARS)]
    nuls = sample.count("\x00")
    if nuls > _MIN_COUNT and nuls > _NUL_SHARE * len(sample):
        raise InputError(f"binary data ({nuls / len(sample):.0%} NUL {unit}s), not a text article")
    controls = len(_CONTROLS.findall(sample))
    if controls > _MIN_COUNT and controls > _CONTROL_SHARE * len(sample):
        raise InputError(f"binary data ({controls / len(sample):.0%} control characters), not a text article")


def _code_points(chars: Counter[str], limit: int = 5) -> str:
    codes = [f"U+{ord(c):04X}" for c in sorted(chars)]
    return ", ".join(codes[:limit] + (["..."] if len(codes) > limit else []))


def _repair(text: str, unit: str, changes: list[str]) -> str:
    """Map C1 controls through Windows-1252; drop NUL and other controls; VT and FF become line ends."""
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    c1: Counter[str] = Counter()
    for char, replacement in _c1_cp1252().items():  # one fast scan per character: linear even at 20% C1
        if char in text:
            c1[char] = text.count(char)
            text = text.replace(char, replacement)
    if c1:
        n = c1.total()
        first, last = min(c1), max(c1)
        where = f"U+{ord(first):04X}" if first == last else f"U+{ord(first):04X}\u2013U+{ord(last):04X}"
        by = "its Windows-1252 character" if n == 1 else "their Windows-1252 characters"
        changes.append(f"replaced {_plural(n, 'C1 control character')} ({where}) by {by}")
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        changes.append(f"dropped {_plural(nuls, f'NUL {unit}')}")
    dropped = Counter(_DROPPED.findall(text))
    if dropped:
        text = _DROPPED.sub("", text)
        changes.append(f"dropped {_plural(dropped.total(), 'control character')} ({_code_points(dropped)})")
    return text


def decode_text(data: bytes, *, quiet: bool = False, encoding: str = "") -> str:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), else the encoding detected.

    Line ends (CRLF, CR, VT, FF, U+2028) become ``\\n``, the text is
    NFC-normalised.  The same article in any of these encodings gives the same
    text.  C1 controls in UTF-8 or UTF-16 text (Windows-1252 punctuation
    decoded as Latin-1) become the Windows-1252 characters; NUL and other
    control characters are dropped; a UTF-8 text with a few bytes that are not
    UTF-8 has those decoded as Windows-1252.  Each kind of repair gives one
    warning, ``text.repaired`` (none when ``quiet``).  Bytes that are not UTF-8
    are decoded in the encoding charset-normalizer finds, with a warning
    ``text.encoding`` (none for Windows-1252, read so before detection existed).
    ``encoding`` names the encoding instead (no detection; what it cannot decode
    becomes U+FFFD, with a warning).  Raises :class:`~convert.errors.InputError`
    for binary data, :class:`~convert.errors.UsageError` for an unknown encoding.
    """
    if encoding:
        check_encoding(encoding)
    kind = binary_signature(data)
    if kind:
        raise InputError(f"binary data ({kind}), not a text article")
    changes: list[str] = []
    found: list[str] = []
    clean_utf8 = False  # ``data`` is the text in UTF-8
    if encoding:
        text = _decode_as(data, encoding, changes)
        unit = "character" if codecs.lookup(encoding).name.startswith("utf-16") else "byte"
    else:
        if data.startswith(codecs.BOM_UTF8):
            encoding, data = "utf-8", data[len(codecs.BOM_UTF8) :]
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = _looks_utf16(data) or "utf-8"
            if encoding != "utf-8" and not _decodes(data, encoding):
                encoding = "utf-8"  # the zero bytes' pattern was only a guess: text it cannot be is UTF-8's
        if encoding == "utf-8":
            try:
                text, clean_utf8 = data.decode("utf-8"), True
            except UnicodeDecodeError:
                text = _decode_8bit(data, changes, found)
            unit = "byte"
        else:
            try:
                text, unit = data.decode(encoding), "character"
            except UnicodeDecodeError:
                raise InputError(f"not valid {encoding.upper()} text") from None
    # UTF-8 that decoded as it is holds a control character where its bytes hold a C0 control byte: most
    # hold none, and the binary test (which counts NULs and controls, in a regular expression's scan) is
    # passed at once; its bytes are a quicker scan than the text, and tell the repairs below too
    controls = data.translate(None, _NOT_C0) if clean_utf8 else None
    if controls != b"":
        _check_binary(text, unit)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n")
    if "\u2029" in text:
        text = text.replace("\u2029", "\n\n")
    # (UTF-8 that decoded as it is: the controls are looked for in its bytes, a quicker scan than the text's)
    if _has_special_utf8(data, controls) if controls is not None else _SPECIAL.search(text) is not None:
        text = _repair(text, unit, changes)
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    if not quiet:
        for name in found:
            warn(
                "text.encoding",
                f"not UTF-8: decoded as {_display(name)} (detected; --encoding chooses another)",
                logger=__name__,
            )
        for change in changes:
            warn("text.repaired", change, logger=__name__)
    return unicodedata.normalize("NFC", text)
