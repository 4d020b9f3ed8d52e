"""Quick paths of the readers against the general paths they stand for, on random inputs and the fixtures.

* the search for a notes heading after a sentence's end, one character of the set at a time
  (:func:`convert.readers.article.notes._may_name_notes`), against the one search of the set;
* a paragraph's one text taken as it is when normal (``Builder.inlines``), against
  :func:`~convert.ir.walk.normalize_inlines`;
* :func:`~convert.readers.article.memo.collapse` of ASCII text, against ``" ".join(text.split())``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from convert.ir.model import Text
from convert.ir.walk import normalize_inlines
from convert.readers._mdparse.states import text_token
from convert.readers._mdparse.tokens import Builder
from convert.readers.article import memo, notes

from .conftest import ROOT


def _fixture_lines() -> Iterator[str]:
    for path in sorted((ROOT / "tests").rglob("*")):
        if path.suffix in (".md", ".txt") and path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            yield text
            yield from text.split("\n\n")
            yield from text.split("\n")


def _may_name_notes_general(text: str) -> bool:
    fold = text.casefold()
    at_start, after_end = notes._heading_words()
    return at_start.match(fold) is not None or after_end.search(fold) is not None


def test_ends_are_the_characters_of_the_pattern() -> None:
    ends = re.compile(notes._SENTENCE_ENDS[:-1] + r"\n]")
    assert {chr(c) for c in range(0x10000) if ends.fullmatch(chr(c))} == set(notes._ENDS)
    assert len(set(notes._ENDS)) == len(notes._ENDS)


def test_notes_heading_search_as_the_general_one_on_random_texts() -> None:
    rng = random.Random(19)
    words = ["notes", "Notes", "NOTES", "references", "Quellen", "примечания", "注", "works", "end", "literatur"]
    pieces = [*notes._ENDS, " ", "\t", "  ", "a", "word ", "ß", "İ", "\u212a", "x1", "[1]", *words]
    hits = 0
    for _ in range(6000):
        text = "".join(rng.choices(pieces, k=rng.choice([1, 2, 5, 20, 80])))
        expected = _may_name_notes_general(text)
        assert notes._may_name_notes(text) == expected, text
        hits += expected
    assert 500 < hits < 5500


def test_notes_heading_after_one_end_on_random_texts() -> None:
    rng = random.Random(21)
    blanks = ["", " ", "\t", "  ", " \t ", "\n", "\u00a0"]
    words = ["notes", "Notes", "NOTES", "references", "Quellen", "примечания", "注", "works", "noun", "zz"]
    for _ in range(6000):
        filler = "".join(rng.choices(["a", "word ", "x1", "ß"], k=rng.randint(0, 6)))
        end = rng.choice([*notes._ENDS, "a", ",", ";"])
        text = filler + end + rng.choice(blanks) + rng.choice(words) + rng.choice(["", " [1]", "."])
        assert notes._may_name_notes(text) == _may_name_notes_general(text), text


def test_notes_heading_search_as_the_general_one_on_the_fixtures() -> None:
    seen = 0
    for text in _fixture_lines():
        expected = _may_name_notes_general(text)
        assert notes._may_name_notes(text) == expected, text[:200]
        seen += expected
    assert seen > 10


def _one_text(text: str) -> tuple[object, ...]:
    return Builder(True).inlines([text_token(text)])


def test_one_text_as_normalize_inlines_on_random_texts() -> None:
    rng = random.Random(20)
    pieces = ["a", "word", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "é"]
    for _ in range(6000):
        text = "".join(rng.choices(pieces, k=rng.choice([0, 1, 2, 3, 6, 15])))
        assert _one_text(text) == normalize_inlines((Text(text),)), repr(text)


def test_one_text_as_normalize_inlines_on_the_fixtures() -> None:
    for text in _fixture_lines():
        for part in (text, text.strip(), f" {text.strip()}", f"{text.strip()} "):
            assert _one_text(part) == normalize_inlines((Text(part),)), part[:200]


def test_collapse_of_ascii_text_as_split_and_join() -> None:
    rng = random.Random(22)
    pieces = [*map(chr, range(128)), " ", "  ", "word", "\u00e9", "\u00a0", "\u2009"]
    for _ in range(20000):
        text = "".join(rng.choices(pieces, k=rng.choice([0, 1, 2, 3, 8, 30])))
        assert memo.collapse(text) == " ".join(text.split()), repr(text)
    for c in map(chr, range(0x3000 + 1)):
        for text in (f"a{c}b", f"{c}", f" a {c}", f"a b{c}"):
            assert memo.collapse(text) == " ".join(text.split()), repr(text)
    for text in _fixture_lines():
        assert memo.collapse(text) == " ".join(text.split()), text[:200]
