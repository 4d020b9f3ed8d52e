"""What the reader's steps ask of the same block again and again, computed once per article.

Several steps read a paragraph's plain text, or ask whether it is chrome; each asked anew, a
long article paid for it once per step.  Inside :func:`scope` (the article reader opens one for
each article) the answers are kept by the identity of the object asked about, with the object
itself, so that an answer is never given for another object that reuses a freed one's address;
they are dropped when the outermost scope ends.  Outside a scope nothing is kept.

:func:`folded` gives a text in lower case with the letters that regular expressions match
case-insensitively besides their lower case (``ı``, ``ſ``, ...) made plain, so that a keyword
test (``"licen" in folded(text)``) before a case-insensitive pattern never skips a match.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from convert.recache import compile as recompile

from ...ir.model import Inline, Text
from ...ir.walk import plain_text

__all__ = [
    "collapse",
    "flat_text",
    "fold_lowered",
    "folded",
    "memo",
    "memo_text",
    "scope",
    "text_of",
    "unemphasised",
    "wide_count",
]

T = TypeVar("T")
R = TypeVar("R")

#: The answers of each question: by the id of the object (or the string) asked about, the object and the answer.
_TABLES: list[dict[Any, tuple[object, Any]]] = []


class _Scopes:
    """How many scopes are open (in any thread: the answers hold for every thread)."""

    depth = 0
    lock = threading.Lock()


@contextlib.contextmanager
def scope() -> Iterator[None]:
    """Keep answers inside the block (nested scopes share them; the outermost one drops them at its end)."""
    with _Scopes.lock:
        _Scopes.depth += 1
    try:
        yield
    finally:
        with _Scopes.lock:
            _Scopes.depth -= 1
            if _Scopes.depth <= 0:
                _Scopes.depth = 0
                for table in _TABLES:
                    table.clear()


def _answered(question: str, fn: Callable[[Any], R], *, by_value: bool) -> Callable[[Any], R]:
    """``fn`` answered once per argument inside a scope: kept by the argument's identity (with the
    argument, so that a freed object's reused address never gets its answer), or by its value."""
    table: dict[Any, tuple[object, Any]] = {}
    _TABLES.append(table)

    def answer(x: Any) -> R:
        # (outside a scope the table is empty: nothing is kept there, and the outermost scope empties it)
        key = x if by_value else id(x)
        hit = table.get(key)
        if hit is not None and (by_value or hit[0] is x):
            value: R = hit[1]
            return value
        value = fn(x)
        if _Scopes.depth:
            table[key] = (x, value)
        return value

    answer.__doc__ = fn.__doc__
    answer.__name__ = getattr(fn, "__name__", question)
    return answer


def memo(question: str, fn: Callable[[T], R]) -> Callable[[T], R]:
    """``fn`` (a pure function of one object) answered once per object inside a scope."""
    return _answered(question, fn, by_value=False)


def memo_text(question: str, fn: Callable[[str], R]) -> Callable[[str], R]:
    """``fn`` (a pure function of a string) answered once per string inside a scope."""
    return _answered(question, fn, by_value=True)


_text_of = memo("text", plain_text)


def text_of(content: tuple[Inline, ...]) -> str:
    """The plain text of a sequence of inlines (:func:`convert.ir.walk.plain_text`).

    (Most paragraphs are one text: its text is given at once, with no table to look it up in.)
    """
    if len(content) == 1 and type(content[0]) is Text:
        return content[0].text
    return _text_of(content)


def unemphasised(pattern: re.Pattern[str], text: str) -> str:
    """``pattern.sub("", text)`` for a ``pattern`` of emphasis markers (every match holds a ``*`` or a ``_``).

    A text without either is returned at once: such a pattern's search tries a branch at every
    character (microseconds a line), to find nothing.
    """
    return pattern.sub("", text) if "*" in text or "_" in text else text


def collapse(text: str) -> str:
    """``" ".join(text.split())``: white space runs made one space, none at the ends."""
    # no white space but single plain spaces: in ASCII text, none of the other characters ``str.split``
    # splits at (each looked for in C at memory speed, several times quicker than ``isprintable``'s
    # look-up of every character, which tells the same of any text)
    if "  " not in text and (
        not (
            "\n" in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text
            or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
        )
        if text.isascii()
        else text.isprintable()
    ):  # fmt: skip
        return text.strip(" ")
    return " ".join(text.split())


def _flat(content: tuple[Inline, ...]) -> str:
    return collapse(text_of(content))


#: The plain text of a sequence of inlines, white space collapsed and trimmed.
flat_text: Callable[[tuple[Inline, ...]], str] = memo("flat", _flat)


#: What lower-casing leaves that a case-insensitive pattern matches as another letter.
_UNFOLDED = recompile(
    "[\u0131\u017f\u0307\u00b5\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u1c80-\u1c88\u1e9b\u1fbe\ufb05]"
)
_FOLD = str.maketrans(
    {
        "\u0131": "i", "\u017f": "s", "\u0307": None, "\u00b5": "\u03bc", "\u0345": "\u03b9", "\u03c2": "\u03c3",
        "\u03d0": "\u03b2", "\u03d1": "\u03b8", "\u03d5": "\u03c6", "\u03d6": "\u03c0", "\u03f0": "\u03ba",
        "\u03f1": "\u03c1", "\u03f5": "\u03b5", "\u1c80": "\u0432", "\u1c81": "\u0434", "\u1c82": "\u043e",
        "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442", "\u1c86": "\u044a", "\u1c87": "\u0463",
        "\u1c88": "\ua64b", "\u1e9b": "\u1e61", "\u1fbe": "\u03b9", "\ufb05": "\ufb06",
    }
)  # fmt: skip


def folded(text: str) -> str:
    """``text`` in lower case, every letter a case-insensitive pattern takes for a lower-case one made that one.

    A keyword in lower case that a case-insensitive match of ``text`` holds is in ``folded(text)``.
    """
    return fold_lowered(text.lower())


def fold_lowered(low: str) -> str:
    """:func:`folded` of a text in lower case already (``str.lower``)."""
    if low.isascii() or not _UNFOLDED.search(low):
        return low
    return low.translate(_FOLD)


@functools.cache
def _wide_utf8() -> re.Pattern[bytes]:
    """The first bytes of the UTF-8 of a character from U+2E80 on: one match for each such character.

    (U+2E80 to U+2FFF start with E2 BA to E2 BF, U+3000 to U+FFFF with E3 to EF, the others with F0
    to F4; a continuation byte is 80 to BF.  A bytes pattern, compiled on first use.)
    """
    return recompile(rb"\xe2[\xba-\xbf]|[\xe3-\xf4]")


def wide_count(text: str) -> int:
    """How many characters of ``text`` are U+2E80 or above (CJK and what follows), counted in C.

    The same as ``sum(1 for ch in text if ch >= "\u2e80")``, which read a paragraph character by
    character in Python (tens of microseconds for any text with a curly quote).
    """
    return len(_wide_utf8().findall(text.encode("utf-8", "surrogatepass")))
