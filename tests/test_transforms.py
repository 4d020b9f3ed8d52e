"""Each step of the article reader on its own: data-driven fixtures in tests/fixtures/transforms/.

Every folder is named after one transform of :data:`convert.readers.article.TRANSFORMS` (or
``read_header``) and holds cases: ``<case>.md`` is the input, ``<case>.expected`` the draft
after running only that step, as a readable dump.  tests/fixtures/transforms/README.md
describes both; ARTCONV_UPDATE_GOLDEN=1 rewrites the ``.expected`` files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import get_args

import pytest

from convert.errors import WarningRecord, collect_warnings
from convert.ir.model import (
    BlockQuote,
    Code,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
)
from convert.readers._mdparse import FootnoteDef, parse_blocks, parse_inlines
from convert.readers.article import TRANSFORMS
from convert.readers.article.draft import Draft, Fields
from convert.readers.article.header import read_header

from .conftest import UPDATE

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "transforms"
#: The steps that have fixtures: every transform, and the header reader that runs before them.
STEPS: dict[str, Callable[..., object]] = {"read_header": read_header} | {t.__name__: t for t in TRANSFORMS}
MIN_CASES = 3
DIRECTIVE = "%% "
_INLINE_TYPES: tuple[type, ...] = get_args(Inline)

# --------------------------------------------------------------------------- the dump


def _value(value: object) -> str:
    """A value on one line: strings quoted as JSON, sequences bracketed, records spelled out."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool | int | float) or value is None:
        return json.dumps(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, _INLINE_TYPES):
        return _inlines((value,))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return f"{type(value).__name__}({', '.join(_fields_of(value))})"
    raise TypeError(f"no dump for a value of type {type(value).__name__}")


def _is_scalars(value: tuple[object, ...]) -> bool:
    return all(isinstance(v, str | int | float) or v is None for v in value)


def _fields_of(node: object) -> list[str]:
    """The fields of a node that are not sequences of nodes and differ from their default, as ``name=value``."""
    assert dataclasses.is_dataclass(node)
    out: list[str] = []
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if (isinstance(value, tuple) and not (value and _is_scalars(value))) or value == f.default:
            continue
        out.append(f"{f.name}={_value(value)}")
    return out


def _attrs(node: object) -> str:
    return "".join(" " + part for part in _fields_of(node))


def _sequences(node: object) -> list[tuple[str, tuple[object, ...]]]:
    """The non-empty sequences of nodes a node holds (content, blocks, items, rows), by field, in field order."""
    assert dataclasses.is_dataclass(node)
    values = ((f.name, getattr(node, f.name)) for f in dataclasses.fields(node))
    return [(name, v) for name, v in values if isinstance(v, tuple) and v and not _is_scalars(v)]


def _inlines(content: Iterable[object]) -> str:
    """Inline content on one line, in a Markdown-like notation (the other kinds as ``{Kind attrs: content}``)."""
    out = ""
    for node in content:
        if isinstance(node, Text):
            out += node.text
        elif isinstance(node, Emph):
            out += f"*{_inlines(node.content)}*"
        elif isinstance(node, Strong):
            out += f"**{_inlines(node.content)}**"
        elif isinstance(node, Code):
            out += f"`{node.text}`"
        elif isinstance(node, Link):
            title = f" {_value(node.title)}" if node.title else ""
            out += f"[{_inlines(node.content)}]({node.target}{title})"
        elif isinstance(node, NoteRef):
            out += f"[^{node.label}]"
        elif isinstance(node, LineBreak):
            out += "<br>"
        else:
            inner = " | ".join(_inlines(seq) for _, seq in _sequences(node))
            out += "{" + type(node).__name__ + _attrs(node) + (": " + inner if inner else "") + "}"
    return out


def _sequence(value: tuple[object, ...], indent: str) -> tuple[str, list[str]]:
    """A sequence a node holds: inline content (for the node's own line), or the lines of its children."""
    if all(isinstance(v, _INLINE_TYPES) for v in value):
        return _inlines(value), []
    if all(isinstance(v, tuple) for v in value):  # list items, table rows: one "- " entry each
        lines: list[str] = []
        for item in value:
            assert isinstance(item, tuple)
            inline, item_lines = _sequence(item, indent + "  ") if item else ("", [])
            if inline:
                item_lines = [indent + "    " + inline]
            if item_lines:
                item_lines[0] = indent + "  - " + item_lines[0][len(indent) + 4 :]
            lines.extend(item_lines or [indent + "  -"])
        return "", lines
    return "", _blocks(value, indent + "  ")


def _blocks(blocks: Iterable[object], indent: str = "") -> list[str]:
    """One line per node (``Kind attrs: inline content``); nested blocks, items and rows indented below.

    A node with several sequences of children (a table's head and rows) names each above it.
    """
    lines: list[str] = []
    for block in blocks:
        parts: list[str] = []
        nested: list[str] = []
        sequences = _sequences(block)
        several = sum(1 for _, seq in sequences if not all(isinstance(v, _INLINE_TYPES) for v in seq)) > 1
        for name, seq in sequences:
            inline, children = _sequence(seq, indent + "  " if several else indent)
            if inline:
                parts.append(inline)
            elif several:
                nested.append(f"{indent}  {name}:")
            nested.extend(children)
        lines.append(indent + type(block).__name__ + _attrs(block) + (": " + " | ".join(parts) if parts else ""))
        lines.extend(nested)
    return lines


def _notes(notes: Iterable[Note | FootnoteDef]) -> list[str]:
    lines: list[str] = []
    for note in notes:
        lines.append(f"[^{note.label}]:")
        lines.extend(_blocks(note.blocks, "  "))
    return lines


def _fields(fields: Fields) -> list[str]:
    return [f"{name}: {_value(fields[name])}" for name in sorted(fields)]


def _warnings(found: Iterable[WarningRecord]) -> list[str]:
    return [f"{w.code}: {w.message}" for w in found]


def _section(name: str, lines: list[str]) -> list[str]:
    return [f"== {name}", *lines]


def dump_draft(draft: Draft, found: list[WarningRecord]) -> str:
    """The draft after a transform: body, fields, notes, footnotes left, warnings."""
    lines = [
        *_section("body", _blocks(draft.blocks)),
        *_section("fields", _fields(draft.fields)),
        *_section("notes", _notes(draft.notes)),
        *_section("footnotes", _notes(draft.footnotes)),
        *_section("warnings", _warnings(found)),
    ]
    return "\n".join(lines) + "\n"


def dump_header(fields: Fields, rest: str, found: list[WarningRecord]) -> str:
    """What the header reader took (fields) and the text it left for the parser, line by line."""
    lines = [
        *_section("fields", _fields(fields)),
        *_section(
            "text", [f"| {line}" if line else "|" for line in rest.removesuffix("\n").split("\n")] if rest else []
        ),
        *_section("warnings", _warnings(found)),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- running a case


def split_directives(source: str) -> tuple[list[str], str]:
    """The ``%% `` directive lines at the top of a case, and the text after them."""
    lines = source.split("\n")
    count = 0
    while count < len(lines) and lines[count].startswith(DIRECTIVE):
        count += 1
    return [line[len(DIRECTIVE) :] for line in lines[:count]], "\n".join(lines[count:])


def make_draft(source: str) -> Draft:
    """The draft a transform starts from: the text parsed as the reader parses it, plus the directives."""
    directives, text = split_directives(source)
    with collect_warnings():  # the parser's own warnings belong to its tests, not to the transform's
        doc = parse_blocks(text, scraper=True)
    draft = Draft(Fields(), doc.blocks, doc.footnotes)
    for directive in directives:
        kind, _, rest = directive.partition(" ")
        name, sep, value = rest.partition(": ")
        if not sep:
            name, value = rest.rstrip(":"), ""
        if kind == "note":
            content = parse_inlines(value, scraper=True)
            draft.notes.append(Note(name, (Paragraph(content),) if content else ()))
        elif kind == "field":
            draft.fields[name] = value
        else:
            raise ValueError(f"unknown directive {directive!r}")
    return draft


def run_case(step: str, source: str) -> str:
    """The dump of the case's input after ``step`` alone."""
    if step == "read_header":
        directives, text = split_directives(source)
        assert not directives, "read_header takes the text alone: no directives"
        with collect_warnings() as found:
            fields, start = read_header(text)
        return dump_header(fields, text[start:], found)
    draft = make_draft(source)
    transform = STEPS[step]
    with collect_warnings() as found:
        transform(draft)
    return dump_draft(draft, found)


def _cases() -> list[tuple[str, str]]:
    return [
        (folder.name, path.stem)
        for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir())
        for path in sorted(folder.glob("*.md"))
    ]


CASES = _cases()


@pytest.mark.parametrize(("step", "case"), CASES, ids=[f"{s}/{c}" for s, c in CASES])
def test_transform_case(step: str, case: str) -> None:
    assert step in STEPS, f"tests/fixtures/transforms/{step}/ names no transform of the article reader"
    source = (FIXTURES / step / f"{case}.md").read_text(encoding="utf-8")
    got = run_case(step, source)
    expected = FIXTURES / step / f"{case}.expected"
    if UPDATE or not expected.exists():
        expected.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{expected.name} was missing and has been written: check it and commit it")
    want = expected.read_text(encoding="utf-8")
    assert got == want, f"{step}/{case}: output differs from {case}.expected (ARTCONV_UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_step_has_fixtures(step: str) -> None:
    cases = sorted((FIXTURES / step).glob("*.md"))
    assert len(cases) >= MIN_CASES, f"tests/fixtures/transforms/{step}/ needs at least {MIN_CASES} cases"
    for case in cases:
        assert case.with_suffix(".expected").exists(), f"{step}/{case.stem}.expected is missing"


def test_no_stray_fixtures() -> None:
    """Every folder names a step, and every file is a case's input or its expected dump."""
    for folder in FIXTURES.iterdir():
        if folder.is_file():
            assert folder.name == "README.md"
            continue
        assert folder.name in STEPS, f"{folder.name}/ names no transform of the article reader"
        for path in folder.iterdir():
            assert path.suffix in (".md", ".expected"), path
            assert path.with_suffix(".md").exists(), f"{path.name} has no input"


def test_dump_notation() -> None:
    """The dump's notation, on a draft made by hand (the format README.md describes)."""
    draft = Draft(
        Fields(title="A title", authors=("A", "B")),
        [
            Heading(2, (Text("Head"),)),
            Paragraph((Text("a "), Emph((Text("b"),)), Strong((Code("c"),)), LineBreak(), Link((Text("d"),), "#x"))),
            OrderedList(((Paragraph((Text("one"), NoteRef("1"))),), (Paragraph((Text("two"),)), BlockQuote(()))), 3),
        ],
        notes=[Note("1", (Paragraph((Text("A note."),)),)), Note("2", ())],
    )
    found = [WarningRecord("area.what", "what was lost")]
    assert dump_draft(draft, found).split("\n") == [
        "== body",
        "Heading level=2: Head",
        "Paragraph: a *b***`c`**<br>[d](#x)",
        "OrderedList start=3",
        "  - Paragraph: one[^1]",
        "  - Paragraph: two",
        "    BlockQuote",
        "== fields",
        'authors: ["A", "B"]',
        'title: "A title"',
        "== notes",
        "[^1]:",
        "  Paragraph: A note.",
        "[^2]:",
        "== footnotes",
        "== warnings",
        "area.what: what was lost",
        "",
    ]


def test_directives() -> None:
    """``%% note`` and ``%% field`` lines give the draft notes and fields; the text starts after them."""
    draft = make_draft("%% note iv: A *note*.\n%% note 2:\n%% field source: Somewhere\nText.\n")
    assert draft.notes == [Note("iv", (Paragraph((Text("A "), Emph((Text("note"),)), Text("."))),)), Note("2", ())]
    assert dict(draft.fields) == {"source": "Somewhere"}
    assert draft.blocks == [Paragraph((Text("Text."),))]
    with pytest.raises(ValueError, match="unknown directive"):
        make_draft("%% notes 1: x\nText.")
