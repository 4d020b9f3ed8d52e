"""The article reader's speed: its quick tests before slow patterns never change an answer, and it stays linear.

Each quick test (a keyword before a pattern, a pattern rewritten to be found faster) is checked
against what it stands for: on the patterns themselves where they can be read, and on many
random texts made of the characters that matter.  The shape tests count the work done on an
article of n paragraphs and on one of 4n: four times the work, not sixteen.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from convert import lang
from convert.ir.model import Code, Emph, Image, Inline, LineBreak, Link, Math, NoteRef, Span, Strong, Superscript, Text
from convert.ir.walk import normalize_inlines
from convert.readers import article
from convert.readers.article import chrome_sentences, markers, memo, notes, rights

# --------------------------------------------------------------------------- quick tests cover their patterns


def _prefixes(items: list[tuple[object, object]]) -> list[str]:
    """The literal text (lower case) each way through a parsed pattern starts with (up to a class or a wildcard)."""
    out = [""]
    for i, (op, av) in enumerate(items):
        rest = items[i + 1 :]
        if op is sre.LITERAL:
            out = [p + chr(av).lower() for p in out]  # type: ignore[arg-type]
            continue
        if op is sre.SUBPATTERN:
            return [p + q for p in out for q in _prefixes([*av[-1], *rest])]  # type: ignore[index]
        if op is sre.BRANCH:
            return [p + q for p in out for alt in av[1] for q in _prefixes([*alt, *rest])]  # type: ignore[index]
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, body = av  # type: ignore[misc]
            taken = _prefixes([*body, *rest])
            skipped = _prefixes(rest) if low == 0 else []
            return [p + q for p in out for q in taken + skipped]
        if op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):  # type: ignore[attr-defined]
            return [p + chr(c).lower() + q for p in out for _, c in av for q in _prefixes(rest)]  # type: ignore[attr-defined]
        return out
    return out


def test_every_chrome_sentence_starts_with_a_first_word_or_holds_a_word_anywhere() -> None:
    for pattern in chrome_sentences._CHROME_SENTENCES:
        starts = _prefixes(list(sre_parse.parse(pattern, re.I)))
        if pattern.startswith(".*"):
            assert any(word in pattern for word in chrome_sentences._ANYWHERE), pattern
        else:
            assert all(start.startswith(chrome_sentences._FIRST_WORDS) for start in starts), (pattern, starts)


def test_every_line_start_pattern_is_in_the_quick_test() -> None:
    pattern = rights._line_starts().pattern
    for part in (rights._SOURCE, rights._COPYRIGHT_SIGN, rights._COPYRIGHT_WORD, rights._DISCLAIMER_LABEL):
        assert part.pattern in pattern
    for part in (rights._PERMISSION, rights._LICENCE_LABEL, rights._CONTACT, rights._SPDX.compiled):
        assert part.pattern in pattern


def test_every_notes_heading_passes_the_quick_test() -> None:
    for key in notes._NOTES | notes._REFERENCES:
        for text in (key, key.upper(), key.title(), f"The end.{key.title()}", f"Said.\u201d  {key}: [1]", f"A\n{key}"):
            assert notes._may_name_notes(text), text
        assert not notes._may_name_notes(f"the {key}")


def test_every_disclaimer_phrase_holds_one_of_its_other_words() -> None:
    for (_, pattern), others in zip(rights._DISCLAIMER_PHRASES, rights._DISCLAIMER_OTHER_WORDS, strict=True):
        assert others and any(other in pattern for other in others), pattern


def test_folded_keeps_what_a_case_insensitive_pattern_matches() -> None:
    everything = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF) + "\U0001d400\U0001e900"
    for letter in "abcdefghijklmnopqrstuvwxyz\u0430\u0432\u0434\u043e\u0441\u0442\u044a\u03c3\u03b9":
        for found in set(re.findall(letter, everything, re.I)):
            assert letter in memo.folded(found), (letter, found)
    assert "this" in memo.folded("TH\u0130S") and "this" in memo.folded("th\u0131s")


# --------------------------------------------------------------------------- faster patterns, the same answers

_RANDOM = random.Random(20261130)


def _texts(alphabet: list[str], count: int = 4000, longest: int = 24) -> list[str]:
    return ["".join(_RANDOM.choice(alphabet) for _ in range(_RANDOM.randint(0, longest))) for _ in range(count)]


def test_notes_heading_search_finds_what_the_plain_pattern_finds() -> None:
    plain = re.compile(
        r"(?:^|(?<=[.!?\u2026\"\u201d\u2019)\]\u3002\uff01\uff1f]))[ \t]*([^\W\d_]+(?: [^\W\d_]+){0,3})[ \t]*"
        r"([:\uff1a]?)(?=\s*(?:[\[(^]|\d|\Z))"
    )
    alphabet = [*'ab N:\t.!?)]"\u2019\u201d[(^1 2\n\u3002\u6ce8\u00fc\u00b2\u00bd_\u0663', "Notes", "References", "  "]
    for text in _texts(alphabet):
        expected = [(m.start(), m.end(), m.group(1), m.group(2)) for m in plain.finditer(text)]
        assert list(notes._inside(text)) == expected, text


def test_note_markers_are_found_as_the_plain_pattern_finds_them() -> None:
    plain = re.compile(
        r"\s*\[\s*([^\[\]\s]{1,12})\s*\]|(?:(?<=[^\W\d_]{2})|(?<=[.,;:!?)\"\u201d\u2019]))\^(\d{1,4})(?![\w^])"
    )
    alphabet = [*"ab .,)[]^1 2\n\t\u2019xy\u00a0\u3000\x1c", "iv", " [", "] ", "^12"]
    for text in _texts(alphabet):
        expected = [(m.start(), m.end(), m.group(1) or m.group(2)) for m in plain.finditer(text)]
        assert list(markers._markers(text)) == expected, text


def _random_inlines(rng: random.Random, depth: int = 0) -> tuple[Inline, ...]:
    nodes: list[Inline] = []
    for _ in range(rng.randint(0, 4)):
        pick = rng.randrange(9 if depth < 2 else 5)
        if pick < 3:
            pieces = [rng.choice(["a", " ", "  ", "\n", "\t", "b."]) for _ in range(rng.randint(0, 3))]
            nodes.append(Text("".join(pieces)))
        elif pick == 3:
            nodes.append(rng.choice([LineBreak(), NoteRef("1"), Code(rng.choice(["", "x"])), Math("")]))
        elif pick == 4:
            nodes.append(Image("a.png", rng.choice(["", "alt"])))
        else:
            kind = rng.choice([Emph, Strong, Superscript])
            inner = _random_inlines(rng, depth + 1)
            nodes.append(rng.choice([kind(inner), Link(inner, "#x"), Span(inner, "en")]))
    return tuple(nodes)


def test_is_normal_never_says_so_of_what_normalising_changes() -> None:
    rng = random.Random(5)
    said = 0
    for _ in range(20000):
        content = _random_inlines(rng)
        if markers._is_normal(content):
            said += 1
            assert normalize_inlines(content) == content, content
    assert said > 2000


def test_chrome_sentences_are_split_as_before() -> None:
    capitals = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0410-\u042f\u0401\u0391-\u03a9"
    plain = re.compile(f"(?<=[.!?])\\s+(?=[{capitals}\"\u201c\u2018'(\\[\u00bf\u00a1])")
    for text in _texts([*'.!? \n\tAa\u0411"\u201c(\u00bfx', "  "]):
        pieces, pos = [], 0
        for m in chrome_sentences._SENTENCE_END.finditer(text):
            pieces.append(text[pos : m.start(1)])
            pos = m.end()
        assert [*pieces, text[pos:]] == plain.split(text), text


def test_collapse_is_split_and_join() -> None:
    alphabet = [" ", "  ", "\n", "\t", "\xa0", "\u2009", "\u3000", "\x1c", "\x85", "\r", "\u200b", "a", "\u00e9"]
    alphabet += ["\u2028", "\x0b"]
    for text in _texts(alphabet):
        assert memo.collapse(text) == " ".join(text.split()), repr(text)


def test_letters_for_the_language_detector_are_as_before() -> None:
    def before(text: str) -> tuple[str, int]:
        words = " ".join(text.translate(lang._LETTERS_ONLY).split())
        return words, len(words) - words.count(" ") + len(lang._dense_pattern().findall(words))

    alphabet = [*"abc DEF.,;-'\n\u2019\u201c\u00e9\u00df0\u6f22\u5b57\u304b\ud55c\u0301\u064b\u0416\u00aa"]
    alphabet.append("\U0001f300")
    for text in _texts(alphabet):
        assert lang._letters(text) == before(text), repr(text)
        words = lang._letters(text)[0]
        assert lang._cases(words) == (sum(map(str.isupper, words)), sum(map(str.islower, words)))


# --------------------------------------------------------------------------- linear in the article


def _article(paragraphs: int) -> bytes:
    """An article in the shape of a saved page: header, paragraphs with note markers, notes, rights."""
    body = []
    for i in range(paragraphs):
        body.append(
            f"Paragraph {i} of the text says what the article says, with a marker [{i % 5 + 1}] and "
            f"[a link](https://example.org/{i}) in it. It goes on for a sentence or two, as prose does. "
            "Then it ends."
        )
    notes_list = "\n".join(f"{n}. https://example.org/source/{n}" for n in range(1, 6))
    parts = ["# A Title", "By [Jane Doe](#)", "Example Review, March 3, 2020", *body, "#### Notes", notes_list]
    parts.append("Copyright \u00a9 Jane Doe, Example Review, 2020")
    return "\n\n".join(parts).encode()


def _calls(data: bytes) -> Counter[str]:
    """How many times each function of the reader ran while reading ``data`` (counted, not timed)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    article.read_article(data, detect_language=False)
    profile.disable()
    calls: Counter[str] = Counter()
    for (_, _, name), (_, count, *_) in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        calls[name] += count
    return calls


def test_the_work_grows_with_the_article() -> None:
    small = _calls(_article(50))
    big = _calls(_article(200))
    names = ("_classify_flat", "plain_text", "_strip_chrome_block", "_heading_inside", "markers", "_title_of_block")
    for name in names:
        assert small[name] >= 10, (name, small[name])
        assert big[name] <= 4.5 * small[name], (name, small[name], big[name])


def test_each_paragraph_is_classified_once() -> None:
    calls = _calls(_article(40))
    # two steps ask whether a paragraph is chrome, and whether it is rights furniture: each is worked out once
    # (a paragraph whose markers became references is a new one)
    assert calls["_strip_chrome_block"] <= 40 + 5, calls["_strip_chrome_block"]
    assert calls["_classify_flat"] <= 40 + 5, calls["_classify_flat"]


def test_a_refused_link_in_a_header_line_is_still_reported() -> None:
    """Header lines are parsed only as far as needed, but a link the parser refuses is reported as before."""
    import logging

    from convert.errors import collect_warnings

    data = (
        b"# A Title\n\nBy [Jane Doe](javascript:alert(1))\n\nTags: [x](javascript:alert(2)), [y](#)\n\n"
        b"The text of the article goes on here for a while, as prose does.\n"
    )
    with collect_warnings(level=logging.INFO) as found:
        read = article.read_article(data, detect_language=False)
    refused = [w.message for w in found if w.code == "markdown.link-refused"]
    assert len(refused) == 2 and "alert(2)" in refused[1], refused
    assert read.metadata.authors == ("Jane Doe",)
