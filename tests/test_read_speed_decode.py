"""The quick tests of the decoding of input bytes agree with the general ones they stand for.

UTF-8 input that decodes as it is skips the binary test when its bytes hold no C0 control byte,
and looks for C1 controls in its bytes; the general path (an encoding named, here UTF-8) runs
the binary test and searches the decoded text: both must give the same text, the same warnings
and the same errors.  The binary signatures are tried by the data's first byte, and the UTF-16
guess returns at once without a zero byte: both compared with a loop over everything.
"""

from __future__ import annotations

import codecs
import random

import pytest

from convert.errors import InputError, collect_warnings
from convert.readers import _text
from convert.readers._text import _SIGNATURES, binary_signature, decode_text

from .conftest import ROOT

#: Characters that matter to the binary test and the repairs, and some that do not.
_PIECES = [
    "a", "word ", "\n", "\r\n", "\t", "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85",
    "\x91", "\x9d", "\x9f", "\xa0", "\xc2", "é", "’", "\u2028", "\u2029", "\ufeff", "e\u0301", "中",
]  # fmt: skip


def _outcome(data: bytes, **kwargs: str) -> tuple[str, list[tuple[str, str]]]:
    with collect_warnings() as found:
        try:
            text = decode_text(data, **kwargs)
        except InputError as exc:
            text = f"error: {exc}"
    return text, [(w.code, w.message) for w in found]


def _general(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """:func:`_outcome` of UTF-8 ``data`` by the general path (without the byte-order mark the default path drops)."""
    return _outcome(data.removeprefix(codecs.BOM_UTF8), encoding="utf-8")


def _random_text(rng: random.Random) -> str:
    size = rng.choice([1, 3, 10, 40, 300])
    weights = [rng.random() ** 3 for _ in _PIECES]
    return "".join(rng.choices(_PIECES, weights, k=size))


def test_utf8_as_the_general_path_on_random_texts() -> None:
    rng = random.Random(19)
    compared = 0
    for _ in range(3000):
        data = _random_text(rng).encode("utf-8")
        if _utf16_everywhere(data):
            continue  # (read as UTF-16 when no encoding is named)
        compared += 1
        assert _outcome(data) == _general(data), data
    assert compared > 2000


def test_utf8_as_the_general_path_on_the_fixtures() -> None:
    files = [p for p in sorted((ROOT / "tests").rglob("*")) if p.suffix in (".md", ".txt") and p.is_file()]
    files += sorted((ROOT / "samples").rglob("*.md"))
    seen = 0
    for path in files:
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _utf16_everywhere(data):
            continue
        seen += 1
        assert _outcome(data) == _general(data), path
    assert seen > 20


def _signature_everywhere(data: bytes) -> str | None:
    for name, checks in _SIGNATURES:
        if all(data.startswith(prefixes, offset) for offset, prefixes in checks):
            return name
    return None


def test_signatures_as_every_signature_tried() -> None:
    rng = random.Random(20)
    prefixes = [prefix for _, checks in _SIGNATURES for _, options in checks for prefix in options]
    for _ in range(4000):
        head = rng.choice(prefixes)[: rng.randint(0, 8)] if rng.random() < 0.8 else bytes([rng.randrange(256)])
        data = head + rng.randbytes(rng.choice([0, 3, 300]))
        if rng.random() < 0.3:
            data = data[:4].ljust(4, b"\x00") + b"ftyp" + data[8:]
        if rng.random() < 0.3:
            data = data.ljust(257, b" ")[:257] + rng.choice([b"ustar\x00", b"ustar ", b"ustax"]) + data[257:]
        assert binary_signature(data) == _signature_everywhere(data), data
    for name, checks in _SIGNATURES:
        data = bytearray(300)
        for offset, options in checks:
            data[offset : offset + len(options[0])] = options[0]
        assert binary_signature(bytes(data)) == name


def _utf16_everywhere(data: bytes) -> str | None:
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


@pytest.mark.parametrize("seed", range(3))
def test_utf16_guess_as_the_counts(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2000):
        text = _random_text(rng)
        data = text.encode(rng.choice(["utf-8", "utf-16-le", "utf-16-be", "latin-1", "utf-32-le"]), "replace")
        if rng.random() < 0.2:
            data = data[rng.randrange(2) :]
        assert _text._looks_utf16(data) == _utf16_everywhere(data), data


def test_fixture_signatures() -> None:
    for path in sorted((ROOT / "tests").rglob("*")):
        if path.is_file() and path.stat().st_size < 2_000_000:
            data = path.read_bytes()
            assert binary_signature(data) == _signature_everywhere(data), path
            assert _text._looks_utf16(data) == _utf16_everywhere(data), path
