"""Hard-wrapped text: the lines of a paragraph rejoined before the article reader parses it.

Cases in tests/fixtures/unwrap/ (``<case>.txt`` -> ``<case>.expected``); well-formed Markdown (the
sample, tests/fixtures/rich/, the cases named ``*_left_alone``) must parse exactly as before.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

import convert
from convert.ir.model import Paragraph
from convert.ir.walk import plain_text
from convert.readers._mdparse import parse_blocks
from convert.readers.article.unwrap import unwrap

from .conftest import ROOT, SAMPLE, UPDATE

FIXTURES = ROOT / "tests" / "fixtures" / "unwrap"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))
SENTENCE = "the keepers of the northern lights wrote their reports by hand every night and sent them"


@pytest.mark.parametrize("case", CASES)
def test_case(case: str) -> None:
    source = (FIXTURES / f"{case}.txt").read_text(encoding="utf-8")
    expected = FIXTURES / f"{case}.expected"
    result = unwrap(source)
    if UPDATE or not expected.exists():
        expected.write_text(result, encoding="utf-8")
    assert result == expected.read_text(encoding="utf-8")
    if case.endswith("_left_alone"):
        assert parse_blocks(result, scraper=True) == parse_blocks(source, scraper=True)


def test_there_are_cases_of_both_kinds() -> None:
    assert len([c for c in CASES if c.endswith("_left_alone")]) >= 3
    assert len([c for c in CASES if not c.endswith("_left_alone")]) >= 3


@pytest.mark.parametrize(
    "path",
    [SAMPLE, *sorted((ROOT / "tests" / "fixtures" / "rich").glob("*.md"))],
    ids=lambda p: Path(p).stem,
)
def test_well_formed_markdown_parses_as_before(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_blocks(unwrap(text), scraper=True) == parse_blocks(text, scraper=True)
    assert parse_blocks(unwrap(text)) == parse_blocks(text)


def test_front_matter_and_fenced_code_are_never_touched() -> None:
    wrapped = "".join(
        f"Line {n} of a long hard-wrapped paragraph that goes on and on to the margin of\n" for n in range(12)
    )
    text = "---\ntitle: A\nsummary: a long value that\n  goes on\n---\n\n```\nkeep\nthese\n```\n\n" + wrapped
    result = unwrap(text)
    assert result.startswith("---\ntitle: A\nsummary: a long value that\n  goes on\n---\n\n```\nkeep\nthese\n```\n\n")
    assert result.count("\n") < text.count("\n")


def test_no_paragraph_of_a_wrapped_text_without_blank_lines_is_over_5000_characters() -> None:
    words = SENTENCE.split()
    lines: list[str] = []
    for n in range(150):  # paragraphs of 40-100 words wrapped at 72 columns, no blank line between them
        paragraph = " ".join(words[(n + k) % len(words)] for k in range(40 + n % 7 * 10))
        lines.extend(textwrap.wrap(paragraph.capitalize() + ".", 72))
    text = "\n".join(lines)
    assert len(text) > 50_000
    article = convert.parse(text.encode(), "a.txt")
    lengths = [len(plain_text(b.content)) for b in article.body if isinstance(b, Paragraph)]
    assert max(lengths) < 5000
    assert len(lengths) > 100


def test_linear_on_a_large_wrapped_text() -> None:
    line = "word " * 14 + "end\n"
    text = (line * 19 + "Short last line.\n") * 1500  # about 2.2 MB, no blank lines
    start = time.perf_counter()
    result = unwrap(text)
    assert time.perf_counter() - start < 2.0  # about 0.3 s on an idle machine
    assert result.count("\n\n") == 1499
