"""Texts in legacy encodings: detected (charset-normalizer) when the bytes are not UTF-8, or named by ``encoding``.

The texts are invented paragraphs in Russian, Japanese, Chinese, French, German and Polish, encoded
each way and cut to 200-2000 bytes: the accuracy of the detection is measured on them.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import convert
from convert.errors import InputError, UsageError, collect_warnings
from convert.ir.walk import plain_text_blocks
from convert.readers._text import decode_text
from convert.readers.detect import detect_format

from .conftest import ROOT

RU = (
    "Вчера вечером в городском совете прошло собрание жителей, посвящённое ремонту старого моста через реку. "
    "Председатель совета сообщил, что работы начнутся весной и продлятся не меньше двух лет. "
    "Многие жители выразили недовольство тем, что объезд займёт почти час, а автобусы будут ходить реже. "
    "После долгого обсуждения было решено создать рабочую группу, которая подготовит предложения. "
)
JA = (
    "昨日の夕方、市役所で古い橋の修理についての住民説明会が開かれました。"
    "市長は、工事が春に始まり、少なくとも二年間続くと説明しました。"
    "多くの住民は、迂回路を通ると一時間近くかかり、バスの本数も減ることに不満を述べました。"
    "長い話し合いの後、次の会合までに提案をまとめる作業部会を作ることが決まりました。"
)
ZH = (
    "昨天傍晚，市政府召开了居民会议，讨论修复横跨河流的旧桥。"
    "市长表示，工程将于春季开始，至少持续两年。"
    "许多居民对绕行需要将近一个小时、公交车班次减少表示不满。"
    "经过长时间的讨论，会议决定成立一个工作组，在下次会议之前提出建议。"
)
ZH_HANT = (
    "昨天傍晚，市政府召開了居民會議，討論修復橫跨河流的舊橋。"
    "市長表示，工程將於春季開始，至少持續兩年。"
    "許多居民對繞行需要將近一個小時、公車班次減少表示不滿。"
)
FR = (
    "Hier soir, le conseil municipal a réuni les habitants pour parler de la réparation du vieux pont. "
    "Le maire a expliqué que les travaux commenceront au printemps et dureront au moins deux ans. "
    "Beaucoup d\u2019habitants se sont plaints : le détour prendra presque une heure. "
    "On a décidé de créer un groupe de travail qui préparera des propositions \u00ab concrètes \u00bb. "
)
DE = (
    "Gestern Abend hat der Stadtrat die Bürger zu einer Versammlung über die Reparatur der alten Brücke "
    "eingeladen. Der Bürgermeister erklärte, dass die Arbeiten im Frühjahr beginnen und mindestens zwei "
    "Jahre dauern würden. Viele Anwohner äußerten ihren Unmut darüber, dass die Umleitung fast eine Stunde dauert. "
)
PL = (
    "Wczoraj wieczorem rada miejska zaprosiła mieszkańców na spotkanie w sprawie naprawy starego mostu. "
    "Burmistrz wyjaśnił, że prace rozpoczną się wiosną i potrwają co najmniej dwa lata. "
    "Wielu mieszkańców skarżyło się, że objazd zajmie prawie godzinę. "
)

#: (text, encoding): what the detection must get right (the text decodes exactly).
CASES = [
    (RU, "cp1251"),
    (RU, "koi8_r"),
    (RU, "iso8859_5"),
    (JA, "shift_jis"),
    (JA, "euc_jp"),
    (ZH, "gb18030"),
    (ZH, "gbk"),
    (ZH_HANT, "big5"),
    (FR, "cp1252"),
    (FR.replace("\u2019", "'"), "latin_1"),
    (DE, "cp1252"),
    (PL, "cp1250"),
]
SIZES = (200, 500, 1000, 2000)
#: Short names of the texts, for the test ids.
NAMES = {
    RU: "ru",
    JA: "ja",
    ZH: "zh",
    ZH_HANT: "zh-hant",
    FR: "fr",
    FR.replace("\u2019", "'"): "fr",
    DE: "de",
    PL: "pl",
}
#: Encodings read silently, as before detection existed: Windows-1252 and its subset Latin-1.
SILENT = {"cp1252", "latin_1"}


def sample(text: str, encoding: str, size: int) -> tuple[bytes, str]:
    """``text`` repeated, encoded, cut to at most ``size`` bytes on a character boundary; and its text."""
    data = (text * (1 + size // len(text.encode(encoding)))).encode(encoding)[:size]
    while True:
        try:
            return data, data.decode(encoding)
        except UnicodeDecodeError:
            data = data[:-1]


def decode(data: bytes, **kwargs: str) -> tuple[str, list[tuple[str, str]]]:
    with collect_warnings() as found:
        text = decode_text(data, **kwargs)
    return text, [(w.code, w.message) for w in found]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("text", "encoding"), CASES, ids=[f"{NAMES[t]}-{e}" for t, e in CASES])
def test_a_legacy_encoding_is_detected(text: str, encoding: str, size: int) -> None:
    data, expected = sample(text, encoding, size)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result, warnings = decode(data)
    assert result == unicodedata.normalize("NFC", expected)
    if encoding in SILENT:
        assert warnings == []
    else:
        assert [code for code, _ in warnings] == ["text.encoding"]
        assert "not UTF-8: decoded as " in warnings[0][1]


def test_the_warning_names_the_encoding() -> None:
    data, _ = sample(RU, "koi8_r", 1000)
    assert decode(data)[1] == [("text.encoding", "not UTF-8: decoded as KOI8-R (detected; --encoding chooses another)")]


def test_line_ends_of_a_detected_encoding_are_normalised() -> None:
    text = RU[:200] + "\r\n" + RU[200:300] + "\r" + RU[300:]
    result, _ = decode(text.encode("cp1251"))
    assert result == RU[:200] + "\n" + RU[200:300] + "\n" + RU[300:]


def test_utf8_with_a_few_bad_bytes_is_still_repaired_as_before() -> None:
    text = "Съезд \u201cпрошёл\u201d спокойно. " * 20
    data = text.encode() + "A pasted \u2018Windows\u2019 line.".encode("cp1252")
    result, warnings = decode(data)
    assert result == text + "A pasted \u2018Windows\u2019 line."
    assert warnings == [("text.repaired", "decoded 2 bytes that are not valid UTF-8 as Windows-1252")]


def test_utf8_is_never_sent_to_the_detector() -> None:
    for text in (RU, JA, ZH, FR):
        assert decode(text.encode()) == (text, [])


# --------------------------------------------------------------------------- the encoding option


def test_the_encoding_option_overrides_detection() -> None:
    data, _ = sample(RU, "cp1251", 500)
    assert decode(data, encoding="koi8-r") == (unicodedata.normalize("NFC", data.decode("koi8-r")), [])
    utf8 = "caf\u00e9".encode()
    assert decode(utf8, encoding="latin-1") == ("caf\u00c3\u00a9", [])


def test_bytes_the_named_encoding_cannot_decode_are_replaced_with_a_warning() -> None:
    result, warnings = decode(b"abc \xff\xfe def", encoding="utf-8")
    assert result == "abc \ufffd\ufffd def"
    assert warnings == [("text.repaired", "replaced 2 bytes that are not valid UTF-8 by U+FFFD")]


def test_an_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^option encoding must be an encoding name such as cp1251, got 'klingon'$"):
        convert.make_options(encoding="klingon")
    with pytest.raises(UsageError):
        decode_text(b"abc", encoding="klingon")


def test_detection_uses_the_named_encoding() -> None:
    yaml = "---\ntitle: Мост\n---\n\n" + RU
    assert detect_format(yaml.encode("koi8_r"), ".md", encoding="koi8-r") == "md"


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_every_text_reader_takes_the_option(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"article{suffix}"
    front = "---\ntitle: Мост\n---\n\n" if suffix == ".md" else "# Мост\n\n"
    path.write_bytes((front + RU).encode("koi8_r"))
    article = convert.read(path, encoding="koi8-r")
    assert article.metadata.title == "Мост"
    assert RU.strip() in plain_text_blocks(article.body)
    with collect_warnings() as found:
        detected = convert.read(path)
    assert detected.metadata.title == "Мост"
    assert [w.code for w in found] == ["text.encoding"]


def test_the_command_line_refuses_an_unknown_encoding_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(RU.encode("cp1251"))
    done = subprocess.run(
        [sys.executable, "-m", "convert", str(path), "--encoding", "klingon", "-t", "md"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "klingon" in done.stderr


def test_binary_data_is_still_refused_with_an_encoding() -> None:
    with pytest.raises(InputError, match="binary data"):
        decode_text(b"%PDF-1.7 ...", encoding="cp1251")


def test_reading_utf8_does_not_import_the_detector() -> None:
    code = (
        "import sys, convert; convert.read(b'# Title\\n\\nSome text in UTF-8: caf\\xc3\\xa9.\\n'); "
        "print('charset_normalizer' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "False"
