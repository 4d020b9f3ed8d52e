"""The interface words of the outputs, in the article's language: one table for every writer.

The writers add a few words of their own around an article: the byline's "By", the date of the
title block, headings such as "Notes", "Rights and source", "Contents", "References", the labels
of the rights fields ("Disclaimer", "Licence"...).  :func:`words_for` gives them in the language
of the article (its ``metadata.language``, a BCP 47 tag): the tag itself if the table has it, else
its primary language subtag (``de-AT`` is ``de``; ``zh-TW`` and ``zh-Hant`` are ``zh-Hant``), else
English.  A word a language's row leaves out is the English word (a row gives only the words whose
translation is sure); a rights field's English label is the crosswalk's (:mod:`convert.ir.crosswalk`).

Dates and lists of names follow the language too: English as artconv always wrote them
(``3 May 2023``, ``A, B and C``), every other language through Babel, the CLDR's data
(``3. Mai 2023``, ``A, B und C``, ``2023年5月3日``).  Babel is imported only when an article in
another language is written by a writer that shows such words (HTML, EPUB, PDF, DOCX, pandoc's).

Where a translation comes from: pandoc's ``data/translations`` (the words pandoc has: "Contents",
"References"), else the usual word of the language; see docs/architecture.md ("Interface words").
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from .ir.crosswalk import UNTITLED

__all__ = ["ENGLISH", "LANGUAGES", "Words", "english_date", "english_names", "words_for"]

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def english_date(date: _dt.date, precision: str = "day") -> str:
    """A human date, e.g. ``27 September 2012``, ``September 2012`` (``"month"``), ``2012`` (``"year"``)."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def english_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclasses.dataclass(frozen=True)
class Words:
    """The interface words of one language (``{}`` in a word: where the names or a number go)."""

    language: str = "en"  #: the table's key of the language
    locale: str = ""  #: Babel's locale of the dates and lists (``""``: English)
    by: str = "By {}"  #: the byline (``"{}"``: the names alone)
    untitled: str = UNTITLED
    notes: str = "Notes"
    rights_and_source: str = "Rights and source"  #: the rights page of HTML, EPUB and PDF
    rights: str = "Rights"  #: the closing rights section of DOCX and pandoc's formats
    colophon: str = "Colophon"  #: the closing rights section of LaTeX and Typst
    contents: str = "Contents"
    references: str = "References"
    subjects: str = "Subjects"
    back_to_text: str = "Back to the text"
    start_of_text: str = "Start of text"
    original_address: str = "Original address"
    section: str = "Section {}"
    page_of: str = "{} of {}"  #: the page numbers at the foot of a PDF's pages (no quotation mark in it)
    #: The labels of the rights fields, by field name (the English ones are the crosswalk's).
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def names(self, names: Sequence[str]) -> str:
        """The names joined as the language joins a list (``A, B and C``; ``A, B und C``; ``A、B、C``)."""
        if not self.locale or len(names) <= 1:
            return english_names(names)
        from babel.lists import format_list

        return str(format_list(list(names), locale=self.locale))

    def byline(self, names: Sequence[str]) -> str:
        """``By A and B``, ``Von A und B``, or the names alone where the language has no such word."""
        return self.by.format(self.names(names))

    def date(self, date: _dt.date, precision: str = "day") -> str:
        """A human date to its precision (``"day"``, ``"month"``, ``"year"``) in the language."""
        if not self.locale:
            return english_date(date, precision)
        from babel.dates import format_date, format_skeleton

        if precision == "year":
            return str(format_skeleton("y", date, locale=self.locale))
        if precision == "month":
            return str(format_skeleton("yMMMM", date, locale=self.locale))
        return str(format_date(date, format="long", locale=self.locale))

    def label(self, name: str, english: str) -> str:
        """The label of the rights field ``name`` (``english``, the crosswalk's, when it has none)."""
        return self.labels.get(name, english)


#: The words of English: the defaults (and what every other language falls back to).
ENGLISH = Words()

#: The words of each language but English (the keys of :class:`Words`; ``labels``: by rights field).
#: "contents" and "references" are pandoc's (data/translations/*.yaml; Arabic's there in presentation
#: forms, here in NFKC); "by" only where the language writes bylines with such a word; "page_of" the
#: neutral "1 / 3" where a word for "of" is not sure, or would read backwards in the PDF's left-to-right
#: page numbers of a right-to-left page.
LANGUAGES: dict[str, dict[str, Any]] = {
    "ar": {
        "by": "بقلم {}", "untitled": "بلا عنوان", "notes": "الهوامش", "rights_and_source": "الحقوق والمصدر",
        "rights": "الحقوق", "contents": "المحتويات", "references": "المراجع", "subjects": "المواضيع",
        "back_to_text": "العودة إلى النص", "start_of_text": "بداية النص", "original_address": "العنوان الأصلي",
        "page_of": "{} / {}",
        "labels": {"copyright": "حقوق النشر", "disclaimer": "إخلاء المسؤولية", "fair_use": "الاستخدام العادل",
                   "licence": "الترخيص", "source": "المصدر", "contact": "الاتصال"},
    },
    "de": {
        "by": "Von {}", "untitled": "Ohne Titel", "notes": "Anmerkungen", "rights_and_source": "Rechte und Quelle",
        "rights": "Rechte", "colophon": "Impressum", "contents": "Inhaltsverzeichnis", "references": "Literatur",
        "subjects": "Themen", "back_to_text": "Zurück zum Text", "start_of_text": "Textanfang",
        "original_address": "Originaladresse", "section": "Abschnitt {}",
        "page_of": "{} von {}",
        "labels": {"copyright": "Urheberrecht", "disclaimer": "Haftungsausschluss", "fair_use": "Fair Use",
                   "licence": "Lizenz", "source": "Quelle", "contact": "Kontakt", "licence_url": "Lizenz-URL",
                   "licence_id": "Lizenzkennung"},
    },
    "es": {
        "by": "Por {}", "untitled": "Sin título", "notes": "Notas", "rights_and_source": "Derechos y fuente",
        "rights": "Derechos", "colophon": "Colofón", "contents": "Índice", "references": "Referencias",
        "subjects": "Temas", "back_to_text": "Volver al texto", "start_of_text": "Inicio del texto",
        "original_address": "Dirección original", "section": "Sección {}",
        "page_of": "{} de {}",
        "labels": {"copyright": "Derechos de autor", "disclaimer": "Descargo de responsabilidad",
                   "fair_use": "Uso legítimo", "licence": "Licencia", "source": "Fuente", "contact": "Contacto",
                   "licence_url": "URL de la licencia", "licence_id": "Identificador de la licencia"},
    },
    "fa": {
        "by": "{}", "untitled": "بدون عنوان", "notes": "یادداشت‌ها", "rights_and_source": "حقوق و منبع",
        "rights": "حقوق", "contents": "فهرست", "references": "مرجعها", "subjects": "موضوع‌ها",
        "back_to_text": "بازگشت به متن", "start_of_text": "آغاز متن", "original_address": "نشانی اصلی",
        "page_of": "{} / {}",
        "labels": {"disclaimer": "سلب مسئولیت", "fair_use": "استفادهٔ منصفانه", "licence": "مجوز",
                   "source": "منبع", "contact": "تماس"},
    },
    "fr": {
        "by": "Par {}", "untitled": "Sans titre", "notes": "Notes", "rights_and_source": "Droits et source",
        "rights": "Droits", "colophon": "Colophon", "contents": "Table des matières", "references": "Références",
        "subjects": "Sujets", "back_to_text": "Retour au texte", "start_of_text": "Début du texte",
        "original_address": "Adresse d’origine", "section": "Section {}",
        "page_of": "{} sur {}",
        "labels": {"copyright": "Droits d’auteur", "disclaimer": "Avertissement", "fair_use": "Usage loyal",
                   "licence": "Licence", "source": "Source", "contact": "Contact",
                   "licence_url": "URL de la licence", "licence_id": "Identifiant de la licence"},
    },
    "he": {
        "by": "מאת {}", "untitled": "ללא כותרת", "notes": "הערות", "rights_and_source": "זכויות ומקור",
        "rights": "זכויות", "contents": "תוכן העניינים", "references": "מקורות", "subjects": "נושאים",
        "back_to_text": "חזרה לטקסט", "start_of_text": "תחילת הטקסט", "original_address": "הכתובת המקורית",
        "page_of": "{} / {}",
        "labels": {"copyright": "זכויות יוצרים", "fair_use": "שימוש הוגן", "licence": "רישיון", "source": "מקור",
                   "contact": "יצירת קשר"},
    },
    "hi": {
        "by": "{}", "untitled": "शीर्षकहीन", "notes": "टिप्पणियाँ", "rights_and_source": "अधिकार और स्रोत",
        "rights": "अधिकार", "contents": "अनुक्रम", "references": "हवाले", "subjects": "विषय",
        "back_to_text": "पाठ पर वापस जाएँ", "start_of_text": "पाठ का आरंभ", "original_address": "मूल पता",
        "page_of": "{} / {}",
        "labels": {"copyright": "कॉपीराइट", "disclaimer": "अस्वीकरण", "fair_use": "उचित उपयोग",
                   "licence": "लाइसेंस", "source": "स्रोत", "contact": "संपर्क"},
    },
    "it": {
        "by": "Di {}", "untitled": "Senza titolo", "notes": "Note", "rights_and_source": "Diritti e fonte",
        "rights": "Diritti", "colophon": "Colophon", "contents": "Indice", "references": "Riferimenti bibliografici",
        "subjects": "Argomenti", "back_to_text": "Torna al testo", "start_of_text": "Inizio del testo",
        "original_address": "Indirizzo originale", "section": "Sezione {}",
        "page_of": "{} di {}",
        "labels": {"copyright": "Diritto d’autore", "disclaimer": "Esclusione di responsabilità",
                   "fair_use": "Fair use", "licence": "Licenza", "source": "Fonte", "contact": "Contatti",
                   "licence_url": "URL della licenza", "licence_id": "Identificativo della licenza"},
    },
    "ja": {
        "by": "{}", "untitled": "無題", "notes": "注", "rights_and_source": "権利と出典", "rights": "権利",
        "colophon": "奥付", "contents": "目次", "references": "参考文献", "subjects": "主題",
        "back_to_text": "本文に戻る", "start_of_text": "本文", "original_address": "元のURL",
        "page_of": "{} / {}",
        "labels": {"copyright": "著作権", "disclaimer": "免責事項", "fair_use": "フェアユース",
                   "licence": "ライセンス", "source": "出典", "contact": "連絡先"},
    },
    "ko": {
        "by": "{}", "untitled": "제목 없음", "notes": "주석", "rights_and_source": "권리 및 출처", "rights": "권리",
        "contents": "차례", "references": "참고문헌", "subjects": "주제", "back_to_text": "본문으로 돌아가기",
        "start_of_text": "본문 시작", "original_address": "원문 주소",
        "page_of": "{} / {}",
        "labels": {"copyright": "저작권", "disclaimer": "면책 조항", "fair_use": "공정 이용", "licence": "라이선스",
                   "source": "출처", "contact": "연락처"},
    },
    "nl": {
        "by": "Door {}", "untitled": "Zonder titel", "notes": "Noten", "rights_and_source": "Rechten en bron",
        "rights": "Rechten", "colophon": "Colofon", "contents": "Inhoudsopgave", "references": "Referenties",
        "subjects": "Onderwerpen", "back_to_text": "Terug naar de tekst", "start_of_text": "Begin van de tekst",
        "original_address": "Oorspronkelijk adres", "section": "Sectie {}",
        "page_of": "{} van {}",
        "labels": {"copyright": "Auteursrecht", "disclaimer": "Disclaimer", "fair_use": "Fair use",
                   "licence": "Licentie", "source": "Bron", "contact": "Contact", "licence_url": "Licentie-URL"},
    },
    "pl": {
        "by": "{}", "untitled": "Bez tytułu", "notes": "Przypisy", "rights_and_source": "Prawa i źródło",
        "rights": "Prawa", "contents": "Spis treści", "references": "Literatura", "subjects": "Tematy",
        "back_to_text": "Powrót do tekstu", "start_of_text": "Początek tekstu", "original_address": "Adres źródłowy",
        "section": "Sekcja {}",
        "page_of": "{} z {}",
        "labels": {"copyright": "Prawa autorskie", "fair_use": "Dozwolony użytek", "licence": "Licencja",
                   "source": "Źródło", "contact": "Kontakt", "licence_url": "Adres URL licencji",
                   "licence_id": "Identyfikator licencji"},
    },
    "pt": {
        "by": "Por {}", "untitled": "Sem título", "notes": "Notas", "rights_and_source": "Direitos e fonte",
        "rights": "Direitos", "contents": "Conteúdo", "references": "Referências", "subjects": "Assuntos",
        "back_to_text": "Voltar ao texto", "start_of_text": "Início do texto", "original_address": "Endereço original",
        "page_of": "{} de {}",
        "labels": {"disclaimer": "Aviso legal", "licence": "Licença", "source": "Fonte",
                   "licence_url": "URL da licença", "licence_id": "Identificador da licença"},
    },
    "ru": {
        "by": "{}", "untitled": "Без названия", "notes": "Примечания", "rights_and_source": "Права и источник",
        "rights": "Права", "colophon": "Выходные данные", "contents": "Оглавление", "references": "Список литературы",
        "subjects": "Темы", "back_to_text": "Вернуться к тексту", "start_of_text": "Начало текста",
        "original_address": "Исходный адрес", "section": "Раздел {}",
        "page_of": "{} из {}",
        "labels": {"copyright": "Авторское право", "disclaimer": "Отказ от ответственности",
                   "fair_use": "Добросовестное использование", "licence": "Лицензия", "source": "Источник",
                   "contact": "Контакты", "licence_url": "URL лицензии", "licence_id": "Идентификатор лицензии"},
    },
    "tr": {
        "by": "{}", "untitled": "Başlıksız", "notes": "Notlar", "rights_and_source": "Haklar ve kaynak",
        "rights": "Haklar", "contents": "İçindekiler", "references": "Kaynaklar", "subjects": "Konular",
        "back_to_text": "Metne dön", "start_of_text": "Metnin başı", "original_address": "Özgün adres",
        "section": "Bölüm {}",
        "page_of": "{} / {}",
        "labels": {"copyright": "Telif hakkı", "disclaimer": "Sorumluluk reddi", "fair_use": "Adil kullanım",
                   "licence": "Lisans", "source": "Kaynak", "contact": "İletişim"},
    },
    "uk": {
        "by": "{}", "untitled": "Без назви", "notes": "Примітки", "rights_and_source": "Права та джерело",
        "rights": "Права", "colophon": "Вихідні дані", "contents": "Зміст", "references": "Література",
        "subjects": "Теми", "back_to_text": "Повернутися до тексту", "start_of_text": "Початок тексту",
        "section": "Розділ {}",
        "page_of": "{} з {}",
        "labels": {"copyright": "Авторське право", "disclaimer": "Відмова від відповідальності",
                   "fair_use": "Добросовісне використання", "licence": "Ліцензія", "source": "Джерело",
                   "contact": "Контакти", "licence_url": "URL ліцензії", "licence_id": "Ідентифікатор ліцензії"},
    },
    "zh": {
        "by": "{}", "untitled": "无标题", "notes": "注释", "rights_and_source": "版权与来源", "rights": "版权",
        "colophon": "版权信息", "contents": "目录", "references": "参考文献", "subjects": "主题",
        "back_to_text": "返回正文", "start_of_text": "正文", "original_address": "原文地址",
        "page_of": "{} / {}",
        "labels": {"copyright": "版权", "disclaimer": "免责声明", "fair_use": "合理使用", "licence": "许可协议",
                   "source": "来源", "contact": "联系方式"},
    },
    "zh-Hant": {
        "by": "{}", "untitled": "無標題", "notes": "註釋", "rights_and_source": "版權與來源", "rights": "版權",
        "colophon": "版權資訊", "contents": "目錄", "references": "參考文獻", "subjects": "主題",
        "back_to_text": "返回正文", "start_of_text": "正文", "original_address": "原文網址",
        "page_of": "{} / {}",
        "labels": {"copyright": "版權", "disclaimer": "免責聲明", "fair_use": "合理使用", "licence": "授權條款",
                   "source": "來源", "contact": "聯絡方式"},
    },
}  # fmt: skip

#: Regions whose Chinese is written in traditional characters (when the tag names no script).
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


def _table_key(tag: str) -> str:
    """The key of :data:`LANGUAGES` for a BCP 47 tag (``"en"`` when it has none)."""
    subtags = tag.strip().replace("_", "-").lower().split("-")
    primary = subtags[0]
    if primary == "zh" and "hans" not in subtags and ("hant" in subtags or _HANT_REGIONS.intersection(subtags)):
        return "zh-Hant"
    exact = next((key for key in LANGUAGES if key.lower() == "-".join(subtags)), "")
    return exact or (primary if primary in LANGUAGES else "en")


def _babel_locale(tag: str, key: str) -> str:
    """Babel's locale of ``tag`` (its region's variant where Babel has it), else of ``key``; ``""``: none."""
    from babel import Locale, UnknownLocaleError

    for candidate in (tag.strip().replace("_", "-"), key):
        try:
            return str(Locale.parse(candidate, sep="-"))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return ""


@functools.lru_cache(maxsize=64)
def words_for(tag: str) -> Words:
    """The words of the language of the BCP 47 ``tag`` (:data:`ENGLISH` for English, ``und``, ``""``,
    an unknown or malformed tag, or a language the table does not have)."""
    key = _table_key(tag or "")
    if key == "en":
        return ENGLISH
    locale = _babel_locale(tag, key)
    if not locale:  # no CLDR data: English dates and lists would not go with the words
        return ENGLISH
    row = dict(LANGUAGES[key])
    return dataclasses.replace(ENGLISH, language=key, locale=locale, **row)
