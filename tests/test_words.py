"""Interface words (convert.words): the words the writers add, in the article's language."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from convert.api import make_options, read, render
from convert.ir.model import Article, Heading
from convert.ir.walk import plain_text
from convert.words import ENGLISH, LANGUAGES, Words, english_date, english_names, words_for

from .conftest import SAMPLE


def article(lang: str, *, title: str = "", authors: str = "", date: str = "2023-05-03", key: str = "lang") -> Article:
    """A small Markdown article in ``lang``: a note referred to, one not, a disclaimer and a licence.

    ``key``: the front matter's key of the language (``language`` is the article reader's, not artconv's).
    """
    front = [f"{key}: {lang}", f"date: {date}", "licence: CC BY 4.0", "disclaimer: Nothing promised."]
    if title:
        front.append(f"title: {title}")
    if authors:
        front.append(f"author: [{authors}]")
    text = "---\n" + "\n".join(front) + "\n---\n\nText.[^1]\n\n[^1]: A note.\n\n[^2]: Another.\n"
    return read(text.encode("utf-8"), format="md" if key == "lang" else "article")


def html(a: Article) -> str:
    return render(a, "html").decode("utf-8")


def epub_files(a: Article) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(render(a, "epub"))) as book:
        return {name.rpartition("/")[2]: book.read(name).decode("utf-8") for name in book.namelist()}


def docx_texts(a: Article) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(render(a, "docx"))).paragraphs]


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("lang", ["ar", "de", "es", "fa", "fr", "he", "hi", "it", "ja", "ko", "nl", "pl", "pt",
                                  "ru", "tr", "uk", "zh"])  # fmt: skip
def test_every_required_language_has_its_words(lang: str) -> None:
    words = words_for(lang)
    assert words.language == lang and words.locale
    assert words.notes != ENGLISH.notes or lang == "fr"  # (French "Notes" is the English word)
    assert words.contents != ENGLISH.contents and words.references != ENGLISH.references
    assert "By" not in words.by and words.by.count("{}") == 1


def test_the_table_names_only_words_there_are() -> None:
    fields = {f.name for f in Words.__dataclass_fields__.values()} - {"language", "locale"}
    labels = {"copyright", "disclaimer", "fair_use", "licence", "source", "contact", "licence_url", "licence_id"}
    for lang, row in LANGUAGES.items():
        assert set(row) <= fields, lang
        assert set(row.get("labels", {})) <= labels, lang
        for name, word in row.items():
            if name != "labels":
                assert word.strip() and word.count("{}") == getattr(ENGLISH, name).count("{}"), (lang, name)


@pytest.mark.parametrize(
    ("tag", "language"),
    [("de", "de"), ("de-AT", "de"), ("DE_ch", "de"), ("pt-BR", "pt"), ("zh-CN", "zh"), ("zh-Hans-TW", "zh"),
     ("zh-TW", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("en", "en"), ("en-GB", "en"), ("", "en"), ("und", "en"),
     ("tlh", "en"), ("xx-Qaaa", "en"), ("x-private", "en"), ("not a tag", "en"), ("sv", "en")],
)  # fmt: skip
def test_a_tag_is_matched_exactly_then_by_its_language(tag: str, language: str) -> None:
    assert words_for(tag).language == language


def test_english_dates_and_names_are_as_they_were() -> None:
    day = dt.date(2023, 5, 3)
    assert ENGLISH.date(day) == english_date(day) == "3 May 2023"
    assert ENGLISH.date(dt.date(2012, 9, 1), "month") == "September 2012"
    assert ENGLISH.date(day, "year") == "2023"
    assert ENGLISH.byline(["A", "B", "C"]) == "By A, B and C" == "By " + english_names(["A", "B", "C"])
    assert ENGLISH.byline(["A"]) == "By A" and ENGLISH.names(["A", "B"]) == "A and B"


@pytest.mark.parametrize(
    ("lang", "day", "month", "year", "names"),
    [("de", "3. Mai 2023", "Mai 2023", "2023", "Von A, B und C"),
     ("ru", "3 мая 2023\u202fг.", "май 2023\u202fг.", "2023", "A, B и C"),
     ("ja", "2023年5月3日", "2023年5月", "2023年", "A、B、C"),
     ("zh", "2023年5月3日", "2023年5月", "2023年", "A、B和C"),
     ("ar", "3 مايو 2023", "مايو 2023", "2023", "بقلم A وB وC")],
)  # fmt: skip
def test_dates_and_bylines_in_a_language(lang: str, day: str, month: str, year: str, names: str) -> None:
    words = words_for(lang)
    when = dt.date(2023, 5, 3)
    assert (words.date(when), words.date(when, "month"), words.date(when, "year")) == (day, month, year)
    assert words.byline(["A", "B", "C"]) == names


# --------------------------------------------------------------------------- the writers


def test_html_german() -> None:
    page = html(article("de", title="Titel", authors="Michael Mueller, Anna Schmidt, Jo Bauer", date="2023-03-10"))
    assert '<p class="byline">Von Michael Mueller, Anna Schmidt und Jo Bauer</p>' in page
    assert '<time datetime="2023-03-10">10. März 2023</time>' in page
    assert "<h2>Anmerkungen</h2>" in page and 'title="Zurück zum Text"' in page
    assert "<h2>Rechte und Quelle</h2>" in page and "<strong>Haftungsausschluss:</strong>" in page
    assert "By " not in page and "March" not in page and "Notes" not in page and "Disclaimer" not in page


def test_html_arabic_date_keeps_the_page_s_direction() -> None:
    page = html(article("ar", authors="دان أبراموف, صوفي ألبرت"))
    assert '<p class="byline">بقلم دان أبراموف وصوفي ألبرت</p>' in page
    assert '<time datetime="2023-05-03">3 مايو 2023</time>' in page  # Arabic script: no dir="ltr"
    assert "<h2>الهوامش</h2>" in page and "<h2>الحقوق والمصدر</h2>" in page
    assert 'dir="rtl"' in page


def test_an_english_date_in_a_right_to_left_page_stays_left_to_right() -> None:
    page = html(article("ur", authors="A, B"))  # no words for Urdu: English, as before
    assert '<time datetime="2023-05-03" dir="ltr">3 May 2023</time>' in page
    assert '<p class="byline">By A and B</p>' in page


def test_html_russian_and_chinese() -> None:
    page = html(article("ru", authors="Анна, Борис, Вера", date="2023-05"))
    assert '<p class="byline">Анна, Борис и Вера</p>' in page and ">май 2023\u202fг.</time>" in page
    assert "<h2>Примечания</h2>" in page and "<strong>Отказ от ответственности:</strong>" in page
    page = html(article("zh", authors="张三, 李四, 王五"))
    assert '<h1 class="title">无标题</h1>' in page and "<title>无标题</title>" in page
    assert '<p class="byline">张三、李四和王五</p>' in page and ">2023年5月3日</time>" in page


def test_language_key_and_unknown_tags() -> None:
    assert '<p class="byline">A、B、C</p>' in html(article("ja", authors="A, B, C", key="language"))
    page = html(article("tlh-Qaaa", title="T", authors="A, B, C"))
    assert '<p class="byline">By A, B and C</p>' in page and ">3 May 2023</time>" in page
    assert "<h2>Notes</h2>" in page and "<h2>Rights and source</h2>" in page


def test_epub_german() -> None:
    files = epub_files(article("de", title="Titel", authors="A, B"))
    assert '<p class="byline">Von A und B</p>' in files["text.xhtml"]
    assert "<h2>Anmerkungen</h2>" in files["notes.xhtml"] and "<title>Anmerkungen</title>" in files["notes.xhtml"]
    assert "<h2>Rechte und Quelle</h2>" in files["rights.xhtml"]
    nav = files["nav.xhtml"]
    assert "<h2>Inhaltsverzeichnis</h2>" in nav and ">Anmerkungen</a>" in nav and ">Textanfang</a>" in nav
    assert 'title="Rechte und Quelle"' in files["content.opf"]
    assert "Notes" not in nav and "Contents" not in nav


def test_epub_japanese_untitled() -> None:
    files = epub_files(article("ja"))
    assert "<text>無題</text>" in files["toc.ncx"] and '<h1 class="title">無題</h1>' in files["text.xhtml"]
    assert "<h2>目次</h2>" in files["nav.xhtml"] and "<h2>注</h2>" in files["notes.xhtml"]


def test_docx_german_and_arabic() -> None:
    texts = docx_texts(article("de", title="Titel", authors="A, B"))
    assert "Anmerkungen" in texts and "Rechte" in texts and "Haftungsausschluss: Nothing promised." in texts
    assert "Lizenz: CC BY 4.0" in texts and not {"Notes", "Rights"} & set(texts)
    texts = docx_texts(article("ar"))
    assert "الهوامش" in texts and "الحقوق" in texts and "إخلاء المسؤولية: Nothing promised." in texts


def test_docx_english_words_unchanged() -> None:
    texts = docx_texts(article("en", title="Title"))
    assert "Notes" in texts and "Rights" in texts and "Disclaimer: Nothing promised." in texts


def test_pandoc_rights_section_in_the_language() -> None:
    text = render(article("ru", title="Т"), "plain").decode("utf-8")
    assert "Права" in text and "Отказ от ответственности: Nothing promised." in text and "Rights" not in text
    latex = render(article("de", title="T"), "latex").decode("utf-8")
    assert "\\section*{Impressum}\\label{colophon}" in latex and "\\textbf{Haftungsausschluss:}" in latex
    english = render(article("en", title="T"), "plain").decode("utf-8")
    assert "Rights" in english and "Disclaimer: Nothing promised." in english


def test_tei_json_markdown_keep_no_words() -> None:
    a = article("de", title="Titel", authors="A, B")
    for fmt in ("tei", "json", "md"):
        out = render(a, fmt).decode("utf-8")
        assert "Von A" not in out and "Anmerkungen" not in out and "Haftungsausschluss" not in out, fmt


# --------------------------------------------------------------------------- Babel only when needed

_PROBE = """
import sys
from convert.api import make_options, read, render
a = read(sys.argv[1])
for fmt in sys.argv[2].split(","):
    render(a, fmt)
print("babel" in sys.modules)
"""


def _imports_babel(path: str, formats: str) -> bool:
    done = subprocess.run([sys.executable, "-c", _PROBE, path, formats], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


def test_babel_is_not_imported_for_english_or_structured_outputs(tmp_path: Path) -> None:
    assert not _imports_babel(str(SAMPLE), "html,epub,docx,pdf")
    german = tmp_path / "de.md"
    german.write_text("---\nlang: de\nauthor: [A, B]\ndate: 2023-05-03\n---\n\nText.\n", encoding="utf-8")
    assert not _imports_babel(str(german), "tei,json,md")
    assert _imports_babel(str(german), "html")


def test_pdf_page_numbers_and_title_block_in_the_language() -> None:
    from pypdf import PdfReader

    from convert.writers.pdf.html import build_html

    options = make_options()
    german = build_html(article("de", authors="A, B"), options)
    assert '" von " counter(pages)' in german and german.count("@bottom-center") == 2
    assert build_html(article("en", authors="A, B"), options).count("@bottom-center") == 1  # print.css's alone
    text = PdfReader(io.BytesIO(render(article("de", title="Titel", authors="A, B"), "pdf"))).pages[0].extract_text()
    assert "Von A und B" in text.replace("\n", " ") or "VON A UND B" in text.upper()
    assert "1 von 1" in text and "3. Mai 2023" in text


@pytest.mark.parametrize(("lang", "fmt"), [("de", "docx"), ("ru", "odt"), ("zh", "docx")])
def test_the_rights_section_in_a_language_is_read_back(lang: str, fmt: str) -> None:
    a = article(lang, title="T")
    back = read(render(a, fmt), format=fmt)
    assert back.metadata.rights.disclaimer == "Nothing promised." and back.metadata.rights.licence == "CC BY 4.0"
    headings = [plain_text(block.content) for block in back.body if isinstance(block, Heading)]
    notes = words_for(lang).notes  # (DOCX's section of the notes no text refers to stays in the text, as in English)
    assert headings == ([notes] if fmt == "docx" else [])
