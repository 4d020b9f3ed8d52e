"""The scripts of the text and the fonts that draw them: the ``pdf.font-missing`` warning.

The print stylesheet names a font stack per script (``styles/print.css``), and
Pango falls back to any installed font for a character none of them has.
When no installed font has it, WeasyPrint draws an empty box (``.notdef``).
:func:`warn_missing_fonts` finds those characters before the layout and
says, per script, which Debian package has fonts for it.

Text in the scripts the base fonts cover (Latin, Greek, Cyrillic, common
punctuation and symbols: Linux Libertine and DejaVu) is never looked up, so
the check costs next to nothing on such articles.  Other characters are
looked up in the union of the installed fonts' character sets, which
fontconfig (the library Pango uses) gives once per process.
"""

from __future__ import annotations

import bisect
import threading
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

from convert.recache import compile as recompile

from ...errors import warn

#: The logger of the PDF writer's warnings (the package's name).
_LOGGER = __name__.rpartition(".")[0]


@dataclass(frozen=True)
class Script:
    """A script, as the warning names it, and the Debian package with fonts for it."""

    name: str
    package: str


#: Noto fonts for most of the world's scripts, in one package.
NOTO_CORE = "fonts-noto-core"
#: Noto Sans and Serif CJK: Chinese (simplified and traditional), Japanese, Korean.
NOTO_CJK = "fonts-noto-cjk"

_HAN = Script("Han", NOTO_CJK)
_KANA = Script("Kana", NOTO_CJK)
_HANGUL = Script("Hangul", NOTO_CJK)
_BOPOMOFO = Script("Bopomofo", NOTO_CJK)
_ARABIC = Script("Arabic", "fonts-hosny-amiri")
_DEVANAGARI = Script("Devanagari", "fonts-lohit-deva")
_EMOJI = Script("Emoji", "fonts-noto-color-emoji")


def _noto(name: str) -> Script:
    return Script(name, NOTO_CORE)


#: Code point ranges (first, last) of the scripts the base fonts do not cover, and their script.
_RANGES: tuple[tuple[int, int, Script], ...] = tuple(
    sorted(
        [
            (0x0530, 0x058F, _noto("Armenian")),
            (0x0590, 0x05FF, _noto("Hebrew")),
            (0x0600, 0x06FF, _ARABIC),
            (0x0700, 0x074F, _noto("Syriac")),
            (0x0750, 0x077F, _ARABIC),
            (0x0780, 0x07BF, _noto("Thaana")),
            (0x07C0, 0x07FF, _noto("N'Ko")),
            (0x0860, 0x086F, _noto("Syriac")),
            (0x0870, 0x08FF, _ARABIC),
            (0x0900, 0x097F, _DEVANAGARI),
            (0x0980, 0x09FF, _noto("Bengali")),
            (0x0A00, 0x0A7F, _noto("Gurmukhi")),
            (0x0A80, 0x0AFF, _noto("Gujarati")),
            (0x0B00, 0x0B7F, _noto("Oriya")),
            (0x0B80, 0x0BFF, _noto("Tamil")),
            (0x0C00, 0x0C7F, _noto("Telugu")),
            (0x0C80, 0x0CFF, _noto("Kannada")),
            (0x0D00, 0x0D7F, _noto("Malayalam")),
            (0x0D80, 0x0DFF, _noto("Sinhala")),
            (0x0E00, 0x0E7F, _noto("Thai")),
            (0x0E80, 0x0EFF, _noto("Lao")),
            (0x0F00, 0x0FFF, _noto("Tibetan")),
            (0x1000, 0x109F, _noto("Myanmar")),
            (0x10A0, 0x10FF, _noto("Georgian")),
            (0x1100, 0x11FF, _HANGUL),
            (0x1200, 0x139F, _noto("Ethiopic")),
            (0x13A0, 0x13FF, _noto("Cherokee")),
            (0x1400, 0x167F, _noto("Canadian Syllabics")),
            (0x1780, 0x17FF, _noto("Khmer")),
            (0x1800, 0x18AF, _noto("Mongolian")),
            (0x19E0, 0x19FF, _noto("Khmer")),
            (0x1C90, 0x1CBF, _noto("Georgian")),
            (0x1CD0, 0x1CFF, _DEVANAGARI),
            (0x2D00, 0x2D2F, _noto("Georgian")),
            (0x2D30, 0x2D7F, _noto("Tifinagh")),
            (0x2D80, 0x2DDF, _noto("Ethiopic")),
            (0x2E80, 0x2FDF, _HAN),
            (0x3000, 0x303F, _HAN),
            (0x3040, 0x30FF, _KANA),
            (0x3100, 0x312F, _BOPOMOFO),
            (0x3130, 0x318F, _HANGUL),
            (0x31A0, 0x31BF, _BOPOMOFO),
            (0x31C0, 0x31EF, _HAN),
            (0x31F0, 0x31FF, _KANA),
            (0x3200, 0x9FFF, _HAN),
            (0xA8E0, 0xA8FF, _DEVANAGARI),
            (0xA960, 0xA97F, _HANGUL),
            (0xAC00, 0xD7FF, _HANGUL),
            (0xF900, 0xFAFF, _HAN),
            (0xFB1D, 0xFB4F, _noto("Hebrew")),
            (0xFB50, 0xFDFF, _ARABIC),
            (0xFE30, 0xFE4F, _HAN),
            (0xFE70, 0xFEFF, _ARABIC),
            (0xFF00, 0xFF64, _HAN),
            (0xFF65, 0xFF9F, _KANA),
            (0xFFA0, 0xFFDC, _HANGUL),
            (0xFFE0, 0xFFEF, _HAN),
            (0x1B000, 0x1B16F, _KANA),
            (0x1F000, 0x1FAFF, _EMOJI),
            (0x20000, 0x3134F, _HAN),
        ],
        key=lambda r: r[0],
    )
)
_STARTS = [first for first, _last, _script in _RANGES]

#: What the base fonts (Linux Libertine, DejaVu) draw: Latin, Greek, Cyrillic, punctuation, common symbols.
_BASE_RANGES = (
    (0x0000, 0x052F),  # Latin, IPA, combining marks, Greek, Cyrillic
    (0x1E00, 0x1FFF),  # Latin Extended Additional, Greek Extended
    (0x2000, 0x22FF),  # punctuation, super- and subscripts, currency, letterlike, number forms, arrows, maths
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFFD, 0xFFFD),
)
#: Characters that need no glyph: controls, format characters (ZWJ, direction marks), spaces, unassigned, private use.
_NO_GLYPH = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
#: Words of a character's name that follow its script's name (``TAMIL LETTER A``).
_NAME_WORDS = (
    *(" LETTER ", " SIGN ", " SYLLABLE ", " VOWEL ", " CONSONANT ", " DIGIT ", " NUMBER "),
    *(" MARK ", " CHARACTER ", " LIGATURE ", " PUNCTUATION ", " SYMBOL ", " SMALL ", " CAPITAL "),
)


def script_of(char: str) -> Script | None:
    """The script of ``char`` as the warning names it; None for a character the base fonts cover."""
    code = ord(char)
    for first, last in _BASE_RANGES:
        if first <= code <= last:
            return None
    k = bisect.bisect_right(_STARTS, code) - 1
    if k >= 0 and code <= _RANGES[k][1]:
        return _RANGES[k][2]
    if unicodedata.category(char)[0] in "LM":
        name = unicodedata.name(char, "")
        for word in _NAME_WORDS:
            if word in name:
                return _noto(name.split(word, 1)[0].title())
    return Script("symbols", NOTO_CORE)


#: A character outside the base fonts' ranges (one regular expression: the scan runs at C speed).
_OUTSIDE_BASE = recompile("[^" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in _BASE_RANGES) + "]")


def _distinct_outside_base(text: str) -> list[str]:
    """The distinct characters of ``text`` that the base fonts do not cover and that need a glyph, in order."""
    if text.isascii():
        return []
    seen = dict.fromkeys(_OUTSIDE_BASE.findall(text))
    return [c for c in seen if unicodedata.category(c) not in _NO_GLYPH]


def scripts_of(text: str) -> list[Script]:
    """The scripts of ``text`` outside the base fonts' (each once, in order of first appearance)."""
    found: dict[Script, None] = {}
    for c in _distinct_outside_base(text):
        script = script_of(c)
        if script is not None:
            found.setdefault(script)
    return list(found)


class Coverage:
    """The characters some installed font has (a container of code points)."""

    def __init__(self, chars: Container[int]) -> None:
        self._chars = chars

    def __contains__(self, code: object) -> bool:
        return code in self._chars


_FC_LIBRARIES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig-1.dll")
_lock = threading.Lock()
_cache: list[Coverage | None] = []


def _load_coverage() -> Coverage | None:
    """The union of the character sets of the fonts fontconfig knows; None without fontconfig.

    ctypes is imported here, not with the module: most conversions never need it.
    """
    import ctypes
    import ctypes.util

    class FontSet(ctypes.Structure):
        _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]

    def load(name: str | None) -> ctypes.CDLL | None:
        try:
            return ctypes.CDLL(name) if name else None
        except OSError:
            return None

    lib = next((lib for lib in map(load, _FC_LIBRARIES) if lib is not None), None)
    lib = lib or load(ctypes.util.find_library("fontconfig"))  # (runs ldconfig: only when the usual names fail)
    if lib is None:
        return None
    lib.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    lib.FcConfigGetFonts.restype = ctypes.POINTER(FontSet)
    lib.FcConfigGetFonts.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.FcPatternGetCharSet.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
    lib.FcCharSetCreate.restype = ctypes.c_void_p
    lib.FcCharSetMerge.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcCharSetHasChar.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.FcConfigDestroy.argtypes = [ctypes.c_void_p]
    config = lib.FcInitLoadConfigAndFonts()
    if not config:
        return None
    try:
        union = ctypes.c_void_p(lib.FcCharSetCreate())  # kept for the life of the process
        fonts = lib.FcConfigGetFonts(config, 0)  # FcSetSystem
        if fonts:
            charset = ctypes.c_void_p()
            for k in range(fonts.contents.nfont):
                if lib.FcPatternGetCharSet(fonts.contents.fonts[k], b"charset", 0, ctypes.byref(charset)) == 0:
                    lib.FcCharSetMerge(union, charset, None)
    finally:
        lib.FcConfigDestroy(config)
    has_char = lib.FcCharSetHasChar

    class Union:
        def __contains__(self, code: object) -> bool:
            return isinstance(code, int) and 0 <= code <= 0x10FFFF and bool(has_char(union, code))

    return Coverage(Union())


def _installed_coverage() -> Coverage | None:
    """:func:`_load_coverage`, once per process (the installed fonts do not change while artconv runs)."""
    with _lock:
        if not _cache:
            try:
                _cache.append(_load_coverage())
            except (OSError, AttributeError):  # an unusual fontconfig: no check rather than a failure
                _cache.append(None)
        return _cache[0]


@dataclass(frozen=True)
class Missing:
    """The characters of one script that no installed font has."""

    script: Script
    chars: str


def missing_fonts(text: str) -> list[Missing]:
    """Per script of ``text``, the characters no installed font has (empty when every one has a font).

    Characters the base fonts cover are not looked up.  Without fontconfig
    nothing can be checked and nothing is reported.
    """
    chars = _distinct_outside_base(text)
    if not chars:
        return []
    coverage = _installed_coverage()
    if coverage is None:
        return []
    found: dict[Script, list[str]] = {}
    for c in chars:
        if ord(c) not in coverage:
            script = script_of(c)
            if script is not None:
                found.setdefault(script, []).append(c)
    return [Missing(script, "".join(cs)) for script, cs in found.items()]


def _sample(chars: str) -> str:
    shown = chars[:8]
    codes = ", ".join(f"U+{ord(c):04X}" for c in shown[:3]) + (", ..." if len(chars) > 3 else "")
    return f"{shown!r}{'...' if len(chars) > len(shown) else ''}: {codes}"


def warn_missing_fonts(text: str) -> list[Missing]:
    """Warn (``pdf.font-missing``), once per script, of the characters of ``text`` that no installed font has."""
    missing = missing_fonts(text)
    for m in missing:
        count = f"{len(m.chars)} character{'s' if len(m.chars) != 1 else ''}"
        warn(
            "pdf.font-missing",
            f"no installed font covers {m.script.name} ({count}, {_sample(m.chars)}): "
            f"drawn as empty boxes (install {m.script.package})",
            logger=_LOGGER,
        )
    return missing
