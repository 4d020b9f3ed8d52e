"""Decoding input bytes: encodings, text recovery (C1 quotes, NUL, control characters) and what is binary."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import convert
from convert.errors import InputError, collect_warnings
from convert.ir.walk import plain_text_blocks
from convert.readers._text import decode_text
from convert.readers.detect import detect_format

from .conftest import ROOT, SAMPLE

WORDS = "The committee met on Tuesday and agreed on a plan for the harbour. "  # 67 characters, ASCII

#: Windows-1252 bytes 0x91-0x97 seen as C1 controls, and what they should have been.
C1 = "\x91\x92\x93\x94\x95\x96\x97"
CP1252 = "\u2018\u2019\u201c\u201d\u2022\u2013\u2014"  # ‘ ’ “ ” • – —


def decode(data: bytes) -> tuple[str, list[str]]:
    """The decoded text and the messages of the warnings given on the way."""
    with collect_warnings() as found:
        text = decode_text(data)
    assert all(w.code == "text.repaired" for w in found), found
    return text, [w.message for w in found]


def with_c1(share: float, length: int = 20_000) -> tuple[str, str]:
    """An ASCII text of ``length`` characters of which ``share`` are C1 quotes, and the repaired text."""
    every = max(1, round(1 / share))
    text = [WORDS[i % len(WORDS)] for i in range(length)]
    repaired = list(text)
    for n, i in enumerate(range(every - 1, length, every)):
        text[i], repaired[i] = C1[n % len(C1)], CP1252[n % len(C1)]
    return "".join(text), "".join(repaired)


# --------------------------------------------------------------------------- C1 characters


@pytest.mark.parametrize("share", [0.005, 0.02, 0.2], ids=["0.5%", "2%", "20%"])
def test_c1_quotes_in_utf8_become_windows_1252_punctuation(share: float) -> None:
    text, expected = with_c1(share)
    count = sum(text.count(c) for c in C1)
    assert count >= 0.9 * share * len(text)
    result, messages = decode(text.encode("utf-8"))
    assert result == expected
    assert set(CP1252) <= set(result)
    assert messages == [f"replaced {count} C1 control characters (U+0091\u2013U+0097) by their Windows-1252 characters"]


def test_every_defined_c1_character_maps_through_windows_1252() -> None:
    defined = [b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
    text = "a" + "".join(chr(b) for b in defined) + "b"
    result, messages = decode(text.encode("utf-8"))
    assert result == "a" + bytes(defined).decode("cp1252") + "b"
    assert messages == ["replaced 27 C1 control characters (U+0080\u2013U+009F) by their Windows-1252 characters"]


def test_c1_characters_without_a_windows_1252_meaning_are_dropped() -> None:
    result, messages = decode("one\x81two\x93three\x9d".encode())
    assert result == "onetwo\u201cthree"
    assert messages == [
        "replaced 1 C1 control character (U+0093) by its Windows-1252 character",
        "dropped 2 control characters (U+0081, U+009D)",
    ]


def test_c1_quotes_in_utf16_are_mapped_too() -> None:
    result, messages = decode(codecs.BOM_UTF16_LE + "\x93quoted\x94".encode("utf-16-le"))
    assert result == "\u201cquoted\u201d"
    assert len(messages) == 1


# --------------------------------------------------------------------------- NUL and control characters


def test_a_nul_in_ordinary_text_is_dropped_with_a_warning() -> None:
    result, messages = decode((WORDS * 5 + "Here\x00 is a NUL. " + WORDS).encode())
    assert result == WORDS * 5 + "Here is a NUL. " + WORDS
    assert messages == ["dropped 1 NUL byte"]


def test_a_few_nuls_in_a_short_text_are_dropped() -> None:
    assert decode(b"Hello\x00\x00\x00 world") == ("Hello world", ["dropped 3 NUL bytes"])


def test_a_zero_filled_tail_is_dropped_not_taken_for_binary() -> None:
    result, messages = decode((WORDS * 10).encode() + bytes(4096))
    assert result == WORDS * 10
    assert messages == ["dropped 4096 NUL bytes"]


def test_nul_characters_in_utf16_are_named_as_characters() -> None:
    data = ("A\x00B" + WORDS * 3).encode("utf-16-le")
    assert decode(data) == ("AB" + WORDS * 3, ["dropped 1 NUL character"])


def test_esc_and_bel_are_dropped_with_a_warning() -> None:
    result, messages = decode((WORDS * 3 + "Bell\x07 and \x1b[1mbold\x1b[0m. " + WORDS).encode())
    assert result == WORDS * 3 + "Bell and [1mbold[0m. " + WORDS
    assert messages == ["dropped 3 control characters (U+0007, U+001B)"]


def test_many_kinds_of_control_characters_are_listed_briefly() -> None:
    controls = "".join(chr(c) for c in (*range(1, 9), *range(0x0E, 0x20), 0x7F))
    result, messages = decode((WORDS * 10 + controls + WORDS).encode())
    assert result == WORDS * 11
    assert messages == ["dropped 27 control characters (U+0001, U+0002, U+0003, U+0004, U+0005, ...)"]


def test_vertical_tab_and_form_feed_are_line_ends() -> None:
    assert decode(b"one\x0btwo\x0cthree\r\nfour\x0c") == ("one\ntwo\nthree\nfour\n", [])


def test_one_warning_per_kind_of_change() -> None:
    data = ("\x93Hi\x94\x00 there\x07" + WORDS * 5 + "\x00\x96\x1b").encode()
    _, messages = decode(data)
    assert messages == [
        "replaced 3 C1 control characters (U+0093\u2013U+0096) by their Windows-1252 characters",
        "dropped 2 NUL bytes",
        "dropped 2 control characters (U+0007, U+001B)",
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\xf0\x90\x80\x80",  # a NUL, then a 4-byte character: zero bytes where UTF-16-BE has them
        b"\xf0\x90\x80\x80\x00\xf0\x90\x80\x80\x00",  # ... and where UTF-16-LE has them
    ],
)
def test_valid_utf8_that_looks_like_utf16_is_read_as_utf8(data: bytes) -> None:
    # the zero-byte pattern is only a guess without a byte order mark: text it cannot decode is UTF-8's
    text, messages = decode(data)
    assert text == data.decode("utf-8").replace("\x00", "")
    assert messages == [f"dropped {data.count(0)} NUL byte{'s' if data.count(0) > 1 else ''}"]


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1))
def test_decoded_text_has_no_control_characters_or_raises(text: str) -> None:
    try:
        with collect_warnings():
            result = decode_text(text.encode("utf-8"))
    except InputError as exc:
        assert str(exc).startswith("binary data (")
    else:
        assert not any((ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in result)


# --------------------------------------------------------------------------- what is binary


SIGNATURES = {
    "pdf": b"%PDF-1.7\n",
    "png": b"\x89PNG\r\n\x1a\n",
    "zip": b"PK\x03\x04",
    "gzip": b"\x1f\x8b\x08\x00",
    "jpeg": b"\xff\xd8\xff\xe0",
    "gif": b"GIF89a",
    "elf": b"\x7fELF\x02\x01\x01",
    "sqlite": b"SQLite format 3\x00",
    "ole2": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "mp4": b"\x00\x00\x00\x18ftypmp42",
    "webp": b"RIFF\x24\x00\x00\x00WEBP",
}


@pytest.mark.parametrize("header", list(SIGNATURES.values()), ids=list(SIGNATURES))
def test_a_known_signature_is_binary_whatever_follows(header: bytes) -> None:
    data = header + (WORDS * 50).encode()  # the rest looks like text: only the signature tells
    with pytest.raises(InputError, match=r"^binary data \(.+\), not a text article$"):
        decode_text(data)
    with pytest.raises(InputError, match="binary data"):
        convert.read(data)
    with pytest.raises(InputError, match="binary data"):
        detect_format(data, ".xml")


def test_a_signature_elsewhere_than_at_the_start_is_text() -> None:
    assert decode(b"Save it as %PDF-1.7 or PK\x03\x04 ...")[0] == "Save it as %PDF-1.7 or PK ..."


@pytest.mark.parametrize(
    "data",
    [
        bytes(10_000),
        bytes(100),
        (WORDS * 100).encode().replace(b" ", b"\x00", 150),  # 150 NULs in the first 6,700 bytes: 2.2%
        b"\x02\x00\x00\x00\x10\x00\x00\x00" * 500,  # little-endian integers
        (WORDS * 3).encode("utf-32-le"),
    ],
    ids=["all-nul", "short-all-nul", "nul-2%", "structured", "utf-32"],
)
def test_many_nuls_are_binary(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^binary data \(.*NUL.*\), not a text article$"):
        decode_text(data)


def test_nuls_under_the_threshold_are_dropped() -> None:
    data = (WORDS * 100).encode().replace(b" ", b"\x00", 50)  # 50 NULs in 6,700 bytes: 0.75%
    result, messages = decode(data)
    assert "\x00" not in result
    assert messages == ["dropped 50 NUL bytes"]


def test_random_bytes_are_binary_by_their_control_characters() -> None:
    data = bytes((i * 7919 + (i >> 3) * 104729) % 256 for i in range(8192)).replace(b"\x00", b"\x01")
    with pytest.raises(InputError, match=r"^binary data \(\d+% control characters\), not a text article$"):
        decode_text(data)


def test_control_characters_over_the_threshold_are_binary() -> None:
    text = (WORDS + "\x1b" * 7) * 30  # 9.5% control characters
    with pytest.raises(InputError, match=r"^binary data \(9% control characters\), not a text article$"):
        decode_text(text.encode())


def test_control_characters_under_the_threshold_are_dropped() -> None:
    text = (WORDS + "\x1b") * 30  # 1.5% control characters
    result, messages = decode(text.encode())
    assert result == WORDS * 30
    assert messages == ["dropped 30 control characters (U+001B)"]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + (WORDS * 3).encode("utf-16-le"),
        codecs.BOM_UTF16_BE + (WORDS * 3).encode("utf-16-be"),
        (WORDS * 3).encode("utf-16-le"),
        (WORDS * 3).encode("utf-16-be"),
        codecs.BOM_UTF8 + (WORDS * 3).encode(),
    ],
    ids=["utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-8-bom"],
)
def test_utf16_and_boms_still_read_silently(data: bytes) -> None:
    assert decode(data) == (WORDS * 3, [])


def test_windows_1252_reads_silently() -> None:
    text = "\u201cGr\u00fc\u00dfe\u201d \u2013 caf\u00e9 \u2026 " + WORDS
    assert decode(text.encode("cp1252")) == (text, [])


def test_windows_1252_with_an_undefined_byte_keeps_its_quotes() -> None:
    data = "\u201cquoted\u201d and \u2013 dashed ".encode("cp1252") + b"\x81" + WORDS.encode()
    assert decode(data) == ("\u201cquoted\u201d and \u2013 dashed " + WORDS, ["dropped 1 control character (U+0081)"])


def test_utf8_with_a_few_windows_1252_bytes_keeps_both() -> None:
    text = "\u201cQuoted\u201d in UTF-8, caf\u00e9 and na\u00efve. " * 20
    data = text.encode() + "A pasted \u2018Windows\u2019 line.".encode("cp1252")
    result, messages = decode(data)
    assert result == text + "A pasted \u2018Windows\u2019 line."
    assert messages == ["decoded 2 bytes that are not valid UTF-8 as Windows-1252"]


def test_windows_1252_text_that_happens_to_hold_utf8_sequences_stays_windows_1252() -> None:
    # "ß“" is DF 93 in Windows-1252: also a valid UTF-8 sequence (U+07D3), which must not win
    text = "\u201eDer Gru\u00df\u201c, sagte er, \u201eist gro\u00df und sch\u00f6n.\u201c " * 5
    data = text.encode("cp1252")
    assert b"\xdf\x93" in data
    assert decode(data) == (text, [])


# --------------------------------------------------------------------------- through the API and the command


def test_the_sample_reads_without_any_warning() -> None:
    with collect_warnings() as found:
        convert.read(SAMPLE)
    assert found == []


def test_detection_decodes_silently() -> None:
    data = ("# Smart\n\n\x93quoted\x94 \x00 text\x07\n").encode()
    with collect_warnings() as found:
        assert detect_format(data, ".md") == "article"
    assert found == []


def c1_article() -> bytes:
    line = "He said \x93this is it\x94 \x96 and it\x92s \x91fine\x92 \x97 so they went on\x85"
    return ("# Smart quotes\n\n" + "\n\n".join([line] * 20) + "\n\nHere\x00 is a NUL.\n").encode()


def test_warnings_reach_the_api_user_once_per_input(tmp_path: Path) -> None:
    path = tmp_path / "quotes.md"
    path.write_bytes(c1_article())
    with convert.collect_warnings() as found:
        article = convert.read(path)
    assert [w.message for w in found] == [
        "replaced 160 C1 control characters (U+0085\u2013U+0097) by their Windows-1252 characters",
        "dropped 1 NUL byte",
    ]
    text = plain_text_blocks(article.body)
    assert "He said \u201cthis is it\u201d \u2013 and it\u2019s \u2018fine\u2019 \u2014 so they went on\u2026" in text
    assert "Here is a NUL." in text


def test_binary_input_is_refused_by_the_api(tmp_path: Path) -> None:
    path = tmp_path / "scan.md"
    path.write_bytes(SIGNATURES["pdf"] + b"1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(InputError) as info:
        convert.read(path)
    assert str(info.value) == f"{path}: binary data (PDF document), not a text article"


def test_the_command_reads_the_file_and_prints_the_warnings(tmp_path: Path) -> None:
    path = tmp_path / "quotes.md"
    path.write_bytes(c1_article())
    env = {**os.environ, "PYTHONWARNINGS": ""}
    result = subprocess.run(
        [sys.executable, "-m", "convert", str(path), "-t", "md"], capture_output=True, cwd=ROOT, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "\u201cthis is it\u201d \u2013 and it\u2019s \u2018fine\u2019" in result.stdout.decode()
    assert result.stderr.decode().splitlines() == [
        f"artconv: warning: {path}: replaced 160 C1 control characters (U+0085\u2013U+0097) by their Windows-1252 "
        "characters [text.repaired]",
        f"artconv: warning: {path}: dropped 1 NUL byte [text.repaired]",
    ]
