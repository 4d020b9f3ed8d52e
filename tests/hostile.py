"""Hostile inputs: articles that are valid text but stress a converter (shared by the tests and the benchmarks).

Each generator returns the bytes of an input file, as a scraper or a careless
user would hand it to ``artconv``.  The module needs nothing but the standard
library and the sample article, so ``benchmarks/`` can import it too.

* ``long_token``: a 30,000-character word with no break opportunity;
* ``long_url``: a 16,000-character URL, as an autolink and as a link;
* ``nested_emphasis``: ``*_`` 10,000 times, ``x``, ``_*`` 10,000 times (a
  parser that gives up on the nesting leaves thousands of adjacent one-character
  emphases);
* ``c1_quotes``: UTF-8 text with Windows-1252 quotes and dashes mis-decoded as
  C1 controls (U+0091-U+0097), several per cent of the text;
* ``nul``: an ordinary article with a NUL byte in it;
* ``control_chars``: an ordinary article with C0 controls and DEL in it;
* ``huge_article``: the sample's body repeated to 5.5 MB (a 2,000-page PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = [
    "HOSTILE",
    "SAMPLE",
    "c1_quotes",
    "control_chars",
    "huge_article",
    "long_token",
    "long_url",
    "nested_emphasis",
    "nul",
]

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "russia-pakistan-relationship.md"

_PARAGRAPH = (
    "Pakistan-Russia ties are witnessing a fresh start, as quoted by the media in early October. "
    "Something considered improbable in the past may soon become a reality as both sides are "
    "striving for a new start in bilateral ties."
)


def _article(title: str, *paragraphs: str) -> bytes:
    return ("\n\n".join([f"# {title}", *paragraphs]) + "\n").encode("utf-8")


def long_token(length: int = 30_000) -> bytes:
    """A paragraph holding one word of ``length`` letters."""
    return _article("Long token", _PARAGRAPH, f"Before {'a' * length} after.", _PARAGRAPH)


def long_url(length: int = 16_000) -> bytes:
    """A URL of ``length`` characters, as an autolink and as the target of a link."""
    url = "https://example.org/" + "abcdefghij" * ((length - 20) // 10)
    url += "x" * (length - len(url))
    return _article("Long URL", _PARAGRAPH, f"See <{url}> for more.", f"Or [this page]({url}).")


def nested_emphasis(pairs: int = 10_000) -> bytes:
    """``*_`` ``pairs`` times, ``x``, then ``_*`` ``pairs`` times."""
    return ("# Deep\n\n" + "*_" * pairs + "x" + "_*" * pairs + "\n").encode("utf-8")


def c1_quotes(paragraphs: int = 20) -> bytes:
    """UTF-8 text whose Windows-1252 quotes and dashes were decoded as Latin-1 (U+0091-U+0097)."""
    line = "He said \x93this is it\x94 \x96 and it\x92s \x91fine\x92 \x97 so they went on\x85"
    return _article("Smart quotes", *([line] * paragraphs))


def nul() -> bytes:
    """An ordinary article with one NUL byte in a paragraph."""
    return _article("A NUL byte", _PARAGRAPH, "Here\x00 is a NUL.", _PARAGRAPH)


def control_chars() -> bytes:
    """An ordinary article with C0 control characters (not tab or line ends) and DEL."""
    controls = "".join(chr(c) for c in (*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))
    return _article("Controls", _PARAGRAPH, f"Bell\x07 and {controls} then text.", _PARAGRAPH)


def huge_article(size: int = 5_500_000) -> bytes:
    """The sample article with its body repeated until the file is ``size`` bytes or more."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    notes = lines.index("#### Notes")
    first = next(k for k, line in enumerate(lines) if line.startswith("Pakistan-Russia ties"))
    head, body, tail = "\n".join(lines[:first]), "\n".join(lines[first:notes]), "\n".join(lines[notes:])
    fixed = len((head + tail).encode("utf-8")) + 2
    copies = max(1, -(-(size - fixed) // (len(body.encode("utf-8")) + 1)))
    return (head + "\n" + "\n".join([body] * copies) + "\n" + tail).encode("utf-8")


#: Name -> generator (default sizes), in the order the tests and benchmarks use them.
HOSTILE: dict[str, Callable[[], bytes]] = {
    "long_token": long_token,
    "long_url": long_url,
    "nested_emphasis": nested_emphasis,
    "c1_quotes": c1_quotes,
    "nul": nul,
    "control_chars": control_chars,
    "huge_article": huge_article,
}
