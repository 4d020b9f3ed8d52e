"""The pdf writer and the world's scripts: fonts that cover the text, direction, hyphenation by language.

Articles in Chinese, Japanese, Arabic, Hindi, Russian and Greek are rendered
and read back: WeasyPrint draws no ``.notdef`` glyph (it logs each one it has
to draw), pdffonts lists a font made for the script, and pdftotext gives the
text back.  The fonts come from ``scripts/setup-system.sh``
(``scripts/system-fonts.txt``); without them the rendering tests are skipped
and the writer's own warning (``pdf.font-missing``) is checked instead, in a
process that sees only DejaVu.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import textwrap
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html

from convert import collect_warnings
from convert.errors import WarningRecord
from convert.ir.model import Article, Emph, Heading, Metadata, Note, NoteRef, Paragraph, Strong, Text
from convert.registry import Options
from convert.writers import pdf as pdf_writer
from convert.writers.pdf import scripts

from .conftest import ROOT

#: Language -> (title, heading, two paragraphs of the Universal Declaration of Human Rights, article 1).
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "zh": (
        "世界人权宣言",
        "第一条",
        "人人生而自由，在尊严和权利上一律平等。",
        "他们赋有理性和良心，并应以兄弟关系的精神相对待。",
    ),
    "ja": (
        "世界人権宣言",
        "第一条",
        "すべての人間は、生れながらにして自由であり、かつ、尊厳と権利とについて平等である。",
        "人間は、理性と良心とを授けられており、互いに同胞の精神をもって行動しなければならない。",
    ),
    "ar": (
        "الإعلان العالمي لحقوق الإنسان",
        "المادة الأولى",
        "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق.",
        "وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء.",
    ),
    "hi": (
        "मानव अधिकारों की सार्वभौम घोषणा",
        "अनुच्छेद १",
        "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है।",
        "उन्हें बुद्धि और अन्तरात्मा की देन प्राप्त है और परस्पर उन्हें भाईचारे के भाव से बर्ताव करना चाहिए।",
    ),
    "ru": (
        "Всеобщая декларация прав человека",
        "Статья 1",
        "Все люди рождаются свободными и равными в своем достоинстве и правах.",
        "Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.",
    ),
    "el": (
        "Οικουμενική Διακήρυξη για τα Ανθρώπινα Δικαιώματα",
        "Άρθρο 1",
        "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα δικαιώματα.",
        "Είναι προικισμένοι με λογική και συνείδηση, "
        "και οφείλουν να συμπεριφέρονται μεταξύ τους με πνεύμα αδελφοσύνης.",
    ),
}

#: Language -> the pdffonts name of a font made for its script (the CJK faces follow the language).
SCRIPT_FONTS = {
    "zh": r"CJK-SC",
    "ja": r"CJK-JP",
    "ar": r"Arabic|Naskh|Amiri",
    "hi": r"Devanagari|Lohit",
    "ru": r"Libertine|DejaVu",
    "el": r"Libertine|DejaVu",
}


def article(lang: str) -> Article:
    """A short article in ``lang``: title, heading, bold and italic text and a footnote."""
    title, heading, first, second = TEXTS[lang]
    words = second.split(maxsplit=1)
    if len(words) == 1:  # no spaces (Chinese, Japanese): split the sentence in the middle
        words = [second[: len(second) // 2], second[len(second) // 2 :]]
    return Article(
        Metadata(title=title, language=lang, authors=(heading,)),
        (
            Heading(2, (Text(heading),)),
            Paragraph((Text(first), NoteRef("1"))),
            Paragraph((Strong((Text(words[0]),)), Text(" "), Emph((Text(words[1]),)))),
        ),
        (Note("1", (Paragraph((Text(first),)),)),),
    )


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed; scripts/setup-system.sh installs it")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


class _Notdefs(logging.Handler):
    """The characters WeasyPrint had to draw as ``.notdef`` (it logs each one)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if ".notdef" in message:
            self.found.append(message)


@dataclass
class Rendered:
    path: Path
    notdefs: list[str]
    warnings: list[WarningRecord]

    def text(self) -> str:
        return poppler("pdftotext", str(self.path), "-")

    def fonts(self) -> str:
        return poppler("pdffonts", str(self.path))


def render(tmp: Path, name: str, art: Article, options: Options | None = None) -> Rendered:
    handler = _Notdefs()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(handler)
    try:
        with collect_warnings() as found:
            data = pdf_writer.render(art, options or Options())
    finally:
        weasy_logger.removeHandler(handler)
    path = tmp / f"{name}.pdf"
    path.write_bytes(data)
    return Rendered(path, handler.found, list(found))


def missing_scripts(lang: str) -> list[str]:
    """The scripts of the ``lang`` sample that no installed font covers (the writer's own check)."""
    return [m.script.name for m in scripts.missing_fonts("".join(TEXTS[lang]))]


# --------------------------------------------------------------------------- rendering (slow)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    tmp = tmp_path_factory.mktemp("scripts")
    return {lang: render(tmp, lang, article(lang)) for lang in TEXTS}


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(TEXTS))
def test_no_notdef_glyph(rendered: dict[str, Rendered], lang: str) -> None:
    """Every character is drawn with a real glyph: WeasyPrint logs no .notdef, the writer warns of no missing font."""
    missing = missing_scripts(lang)
    if missing:
        pytest.skip(f"no installed font covers {', '.join(missing)}: run scripts/setup-system.sh")
    result = rendered[lang]
    assert result.notdefs == []
    assert [w for w in result.warnings if w.code == "pdf.font-missing"] == []


@pytest.mark.slow
def test_notdef_is_seen(tmp_path: Path) -> None:
    """The test's .notdef check sees a character no font has (Ol Chiki, from fonts-noto-core), and the writer warns."""
    text = "\u1c5a\u1c5f\u1c6a"
    if not scripts.missing_fonts(text):
        pytest.skip("an installed font covers Ol Chiki")
    result = render(tmp_path, "olck", Article(Metadata(title="Ol Chiki", language="sat"), (Paragraph((Text(text),)),)))
    assert len(result.notdefs) >= 3
    [warning] = [w for w in result.warnings if w.code == "pdf.font-missing"]
    assert "Ol Chiki" in warning.message and "fonts-noto-core" in warning.message


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(TEXTS))
def test_script_font_embedded(rendered: dict[str, Rendered], lang: str) -> None:
    """pdffonts lists a font made for the script, embedded."""
    if missing_scripts(lang):
        pytest.skip("the fonts of scripts/setup-system.sh are not installed")
    fonts = rendered[lang].fonts()
    pattern = SCRIPT_FONTS[lang]
    lines = [line for line in fonts.splitlines()[2:] if re.search(pattern, line)]
    assert lines, fonts
    assert all(" yes " in line for line in lines)  # embedded


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(TEXTS))
def test_text_round_trip(rendered: dict[str, Rendered], lang: str) -> None:
    """pdftotext gives the text back (without white space and direction marks, in compatibility form).

    In Arabic and Devanagari a word can come back changed where WeasyPrint
    maps a ligature or a reordered cluster to the text of another of its uses
    (Amiri's lam ligatures, the reph of ``सार्वभौम``): for them, four words in
    five must come back as they are; the other scripts come back exactly.
    """
    if missing_scripts(lang):
        pytest.skip("the fonts of scripts/setup-system.sh are not installed")

    def squeeze(text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")

    got = squeeze(rendered[lang].text())
    if lang in ("ar", "hi"):
        words = " ".join(TEXTS[lang]).split()
        lost = [w for w in words if squeeze(w) not in got]
        assert len(lost) <= len(words) // 5, lost
    else:
        for part in TEXTS[lang]:
            assert squeeze(part) in got, part


@pytest.mark.slow
def test_arabic_right_to_left(rendered: dict[str, Rendered]) -> None:
    """The Arabic page is set right to left: the heading starts at the right margin."""
    if missing_scripts("ar"):
        pytest.skip("the fonts of scripts/setup-system.sh are not installed")
    bbox = poppler("pdftotext", "-bbox", "-f", "1", "-l", "1", str(rendered["ar"].path), "-")
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    first = TEXTS["ar"][1].split()[0]  # the heading's first word, read back in visual order (reversed)
    xmax = [float(x1) for _x0, x1, word in words if word in (first, first[::-1])]
    assert xmax, bbox
    right_edge = max(float(x1) for _x0, x1, _word in words)
    left_edge = min(float(x0) for x0, _x1, _word in words)
    assert max(xmax) > right_edge - 1  # the heading starts at the right margin
    assert min(float(x0) for x0, _x1, word in words if word in (first, first[::-1])) > left_edge + 100


# --------------------------------------------------------------------------- the HTML given to WeasyPrint


def root_of(art: Article, options: Options | None = None) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(pdf_writer.build_html(art, options or Options()))


def test_html_direction_from_language() -> None:
    """Right-to-left languages get dir="rtl" on the page, the others no dir (left to right)."""
    assert root_of(article("ar")).get("dir") == "rtl"
    for lang in ("he", "fa", "ur"):
        art = Article(Metadata(title="t", language=lang), (Paragraph((Text("x"),)),))
        assert root_of(art).get("dir") == "rtl", lang
    for lang in ("en", "zh", "hi", "ru", ""):
        art = Article(Metadata(title="t", language=lang), (Paragraph((Text("x"),)),))
        assert root_of(art).get("dir") in (None, "ltr"), lang


def test_html_lang_for_hyphenation() -> None:
    """The page's lang is the article's language: WeasyPrint hyphenates (hyphens: auto) in it."""
    art = Article(Metadata(title="t", language="de"), (Paragraph((Text("Wort"),)),))
    root = root_of(art)
    assert root.get("lang") == "de"
    css = "".join(root.xpath("//style/text()"))
    assert re.search(r"article > p[^{]*\{[^}]*hyphens:\s*auto", css)


GERMAN = (
    "Die Donaudampfschifffahrtsgesellschaft veröffentlichte Rechtsschutzversicherungsbedingungen "
    "für Arbeiterunfallversicherungsgesetze und Kraftfahrzeughaftpflichtversicherungen, "
    "während die Bundesausbildungsförderungsgesetzgebung Grundstücksverkehrsgenehmigungszuständigkeiten "
    "und Verkehrsinfrastrukturfinanzierungsgesellschaften neu ordnete. "
)


def hyphenated_lines(tmp: Path, name: str, language: str) -> list[str]:
    art = Article(Metadata(title="Satz", language=language), (Paragraph((Text(GERMAN * 3),)),))
    result = render(tmp, name, art)
    lines = poppler("pdftotext", "-layout", str(result.path), "-").splitlines()
    source = set(re.findall(r"[\w-]+", GERMAN))
    return [line for line in lines if line.rstrip().endswith("-") and line.split()[-1] not in source]


@pytest.mark.slow
def test_german_is_hyphenated(tmp_path: Path) -> None:
    """German text (lang="de") is hyphenated; the same text without a language is not."""
    assert hyphenated_lines(tmp_path, "de", "de")
    assert not hyphenated_lines(tmp_path, "und", "")


# --------------------------------------------------------------------------- the check and its warning


def test_base_scripts_need_no_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Latin, Greek and Cyrillic text (what the base fonts cover) is never looked up in fontconfig."""

    def refuse() -> None:
        raise AssertionError("fontconfig was asked")

    monkeypatch.setattr(scripts, "_installed_coverage", refuse)
    assert scripts.missing_fonts("Plain ASCII text.") == []
    assert scripts.missing_fonts("Café “quoted” — naïve … €5 ½ →") == []
    assert scripts.missing_fonts("".join(TEXTS["ru"] + TEXTS["el"])) == []


def test_scripts_of_text() -> None:
    """Characters are grouped by script, each named with the Debian package that has fonts for it."""
    found = {s.name: s.package for s in scripts.scripts_of("漢字かなカナ한국어 العربية हिन्दी עברית ไทย")}
    assert found == {
        "Han": "fonts-noto-cjk",
        "Kana": "fonts-noto-cjk",
        "Hangul": "fonts-noto-cjk",
        "Arabic": "fonts-hosny-amiri",
        "Devanagari": "fonts-lohit-deva",
        "Hebrew": "fonts-noto-core",
        "Thai": "fonts-noto-core",
    }


def test_missing_font_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no font for a script, one warning per script names it, the package and a sample of the text."""
    monkeypatch.setattr(scripts, "_installed_coverage", lambda: scripts.Coverage(frozenset(range(0x0900))))
    with collect_warnings() as found:
        scripts.warn_missing_fonts("English, " + TEXTS["hi"][2] + TEXTS["zh"][2])
    assert [(w.code, w.logger) for w in found] == [("pdf.font-missing", "convert.writers.pdf")] * 2
    hindi, chinese = sorted((w.message for w in found), key=lambda m: "Han" in m)
    assert "Devanagari" in hindi and "fonts-lohit-deva" in hindi
    assert "Han" in chinese and "fonts-noto-cjk" in chinese


def test_check_is_cheap(sample_article: Article) -> None:
    """On the sample (English) the check costs well under a millisecond: its text needs no lookup."""
    page = pdf_writer.build_html(sample_article, Options())
    scripts.warn_missing_fonts(page)
    start = time.perf_counter()
    for _ in range(10):
        scripts.warn_missing_fonts(page)
    assert (time.perf_counter() - start) / 10 < 0.005


FONTCONFIG_DEJAVU_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

CHILD = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from tests.test_pdf_scripts import article
    from convert import collect_warnings
    from convert.registry import Options
    from convert.writers import pdf
    out = {}
    for lang in ("hi", "zh", "ru"):
        with collect_warnings() as found:
            pdf.render(article(lang), Options())
        out[lang] = [(w.code, w.message) for w in found]
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_missing_font_warns_end_to_end(tmp_path: Path) -> None:
    """A machine with only DejaVu: Hindi and Chinese warn, naming the script and the package; Russian does not."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSerif.ttf").exists():
        pytest.skip("DejaVu (fonts-dejavu-core) is not installed")
    config = tmp_path / "fonts.conf"
    config.write_text(FONTCONFIG_DEJAVU_ONLY.format(fonts=dejavu, cache=tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    assert [code for code, _ in found["hi"]] == ["pdf.font-missing"]
    assert "Devanagari" in found["hi"][0][1] and "fonts-lohit-deva" in found["hi"][0][1]
    assert [code for code, _ in found["zh"]] == ["pdf.font-missing"]
    assert "Han" in found["zh"][0][1] and "fonts-noto-cjk" in found["zh"][0][1]
    assert found["ru"] == []


def test_setup_lists_the_script_packages() -> None:
    """scripts/setup-system.sh installs (system-fonts.txt) every package the warning names for the tests' scripts."""
    lines = (ROOT / "scripts" / "system-fonts.txt").read_text().splitlines()
    listed = {line.split("#")[0].strip() for line in lines} - {""}
    for lang, texts in TEXTS.items():
        for script in scripts.scripts_of("".join(texts)):
            assert script.package in listed, (lang, script.name)
