"""CommonMark conformance: the spec's examples through artconv's Markdown parser, against markdown-it.

For each example the reference is what plain CommonMark markdown-it renders as
HTML, read back into IR nodes (:func:`reference_blocks`); artconv's side is
:func:`convert.readers._mdparse.parse_blocks`.  Both are normalised alike
(whitespace as the IR keeps it, link targets compared percent-decoded, a figure's
caption by its text) and must be equal.

An example is left out, with its reason, when the IR cannot hold what it shows
(:func:`classify`):

* ``raw-html``: markdown-it passes raw HTML through; artconv never does (tags are dropped);
* ``extension``: artconv's syntax extensions (footnote references, ``^sup^``, ``~sub~``,
  ``$math$``, ``:::`` divs, definition lists, pipe tables, ``~~strike~~``, ``{attributes}``)
  give the example another meaning (markdown-it with them makes other tokens of it);
* ``dead-link``: a link to nothing (``""``, ``#``) or a refused scheme keeps only its text, by policy.

docs/markdown.md lists the classes and the counts; :data:`EXPECTED` pins them.
"""

from __future__ import annotations

import functools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from convert.errors import collect_warnings
from convert.ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from convert.ir.walk import normalize_inlines, plain_text, walk_inlines
from convert.readers._mdparse import parse_blocks

SPEC = Path(__file__).resolve().parent / "fixtures" / "commonmark" / "spec-0.31.2.json"
EXAMPLES: list[dict[str, Any]] = json.loads(SPEC.read_text(encoding="utf-8"))

#: How many examples fall in each class (docs/markdown.md gives the same numbers).
EXPECTED = {"pass": 575, "raw-html": 71, "extension": 1, "dead-link": 5}

_VOCABULARY = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "code", "hr",
     "em", "strong", "a", "img", "br", "root"}
)  # fmt: skip


@functools.cache
def _plain() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True})


@functools.cache
def _extended() -> Any:
    from convert.readers._mdparse.engine import markdown_it

    return markdown_it()


# --------------------------------------------------------------------------- the reference, as IR


def _inlines(el: ET.Element) -> list[Inline]:
    """The inline content of an element (its text, its children and their tails)."""
    out: list[Inline] = [Text(el.text)] if el.text else []
    for child in el:
        out.extend(_inline(child))
        # markdown-it writes a line end after <br />: the next line's text starts after it
        tail = child.tail.lstrip() if child.tag == "br" and child.tail else child.tail
        if tail:
            out.append(Text(tail))
    return out


def _inline(el: ET.Element) -> list[Inline]:
    content = tuple(_inlines(el))
    match el.tag:
        case "em":
            return [Emph(content)]
        case "strong":
            return [Strong(content)]
        case "code":
            return [Code(el.text or "")]
        case "br":
            return [LineBreak()]
        case "img":
            return [Image(el.get("src", ""), el.get("alt", ""), el.get("title", ""))]
        case "a":
            return [Link(content, el.get("href", ""), el.get("title", ""))]
    raise ValueError(el.tag)


def _blocks(parent: ET.Element) -> list[Block]:
    """Blocks of a container; loose inline content (a tight list item's) is a paragraph."""
    out: list[Block] = []
    run: list[Inline] = [Text(parent.text)] if parent.text and parent.text.strip() else []
    for child in parent:
        if child.tag in ("em", "strong", "code", "br", "img", "a"):
            run.extend(_inline(child))
        else:
            if run and normalize_inlines(run):
                out.append(Paragraph(normalize_inlines(run)))
            run = []
            out.append(_block(child))
        if child.tail and child.tail.strip():
            run.append(Text(child.tail))
    if run and normalize_inlines(run):
        out.append(Paragraph(normalize_inlines(run)))
    return out


def _block(el: ET.Element) -> Block:
    match el.tag:
        case "p":
            content = normalize_inlines(_inlines(el))
            if len(content) == 1 and isinstance(content[0], Image):
                return Figure((Text(content[0].alt),), content[0])
            return Paragraph(content)
        case "h1" | "h2" | "h3" | "h4" | "h5" | "h6":
            return Heading(int(el.tag[1]), normalize_inlines(_inlines(el)))
        case "blockquote":
            return BlockQuote(tuple(_blocks(el)))
        case "ul":
            return BulletList(tuple(tuple(_blocks(li)) for li in el))
        case "ol":
            return OrderedList(tuple(tuple(_blocks(li)) for li in el), int(el.get("start", "1")))
        case "pre":
            code = el[0]
            text = code.text or ""
            language = (code.get("class") or "").removeprefix("language-")
            return CodeBlock(text[:-1] if text.endswith("\n") else text, language)
        case "hr":
            return ThematicBreak()
    raise ValueError(el.tag)


def reference_blocks(html: str) -> list[Block] | None:
    """The IR of markdown-it's HTML; None when it holds raw HTML (anything outside the vocabulary)."""
    try:
        root = ET.fromstring("<root>" + html + "</root>")
    except ET.ParseError:
        return None
    if any(el.tag not in _VOCABULARY for el in root.iter()):
        return None
    if any(el.tag == "pre" and (len(el) != 1 or el[0].tag != "code") for el in root.iter()):
        return None
    try:
        return _blocks(root)
    except ValueError:
        return None


# --------------------------------------------------------------------------- comparing


def _attribute(value: str) -> str:
    """An attribute's value as XML reads it back (each line end a space)."""
    return re.sub(r"[\t\n\r]", " ", value)


def _same_links(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return tuple(Link(n.content, unquote(n.target), _attribute(n.title)) if isinstance(n, Link) else n for n in content)


def _comparable(blocks: list[Block]) -> tuple[Block, ...]:
    """Blocks with link targets percent-decoded and figure captions as their text."""

    def figure(block: Block) -> Block:
        if isinstance(block, Figure) and block.image is not None:
            image = Image(unquote(block.image.src), _attribute(block.image.alt), _attribute(block.image.title))
            return Figure(normalize_inlines((Text(plain_text(block.caption)),)), image)
        return block

    def images(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(
            Image(unquote(n.src), _attribute(n.alt), _attribute(n.title)) if isinstance(n, Image) else n
            for n in content
        )

    out = walk_inlines(lambda c: images(_same_links(c)), tuple(blocks))
    return tuple(_map_blocks(figure, out))


def _map_blocks(fn: Any, blocks: tuple[Block, ...]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        inner: Block = block
        match block:
            case BlockQuote(blocks=bs):
                inner = BlockQuote(tuple(_map_blocks(fn, bs)))
            case BulletList(items=items):
                inner = BulletList(tuple(tuple(_map_blocks(fn, item)) for item in items))
            case OrderedList(items=items, start=start):
                inner = OrderedList(tuple(tuple(_map_blocks(fn, item)) for item in items), start)
        out.append(fn(inner))
    return out


def _shape(tokens: list[Any]) -> list[tuple[str, str]]:
    """The kinds of markdown-it's tokens, and the text of the inline ones (what an extension changes)."""
    out: list[tuple[str, str]] = []
    for token in tokens:
        out.append((token.type, ""))
        out.extend((c.type, c.content if c.type in ("text", "code_inline") else "") for c in token.children or ())
    return out


def _has_raw_html(markdown: str) -> bool:
    """Whether markdown-it reads raw HTML in the example (a block, or a tag inline)."""
    for token in _plain().parse(markdown):
        if token.type == "html_block" or any(c.type == "html_inline" for c in token.children or ()):
            return True
    return False


_DEAD = re.compile(r'<a href="(?:#?|(?:javascript|vbscript|file|data):[^"]*)"', re.I)


def classify(example: dict[str, Any]) -> tuple[str, str]:
    """(class, detail) of an example: ``pass``, ``fail`` or the reason it is left out."""
    markdown, html = example["markdown"], _plain().render(example["markdown"])
    if _shape(_extended().parse(markdown, {})) != _shape(_plain().parse(markdown)):
        return "extension", ""
    reference = reference_blocks(html)
    if reference is None or _has_raw_html(markdown):
        return "raw-html", ""
    if _DEAD.search(html):
        return "dead-link", ""
    with collect_warnings():
        ours = parse_blocks(markdown).blocks
    expected, got = _comparable(reference), _comparable(ours)
    return ("pass", "") if expected == got else ("fail", f"expected {expected!r}\n got {got!r}")


@functools.cache
def _results() -> dict[int, tuple[str, str]]:
    return {example["example"]: classify(example) for example in EXAMPLES}


def test_every_representable_example_passes() -> None:
    failures = {n: detail for n, (kind, detail) in _results().items() if kind == "fail"}
    assert not failures, "\n".join(f"example {n}: {detail}" for n, detail in sorted(failures.items())[:10])


def test_classes_are_as_documented() -> None:
    counts = dict.fromkeys(EXPECTED, 0)
    for kind, _ in _results().values():
        counts[kind] = counts.get(kind, 0) + 1
    assert counts == EXPECTED
    docs = (Path(__file__).resolve().parents[1] / "docs" / "markdown.md").read_text(encoding="utf-8")
    assert f"{EXPECTED['pass']} of the {len(EXAMPLES)} examples" in docs


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e["section"] == "Setext headings"], ids=lambda e: str(e["example"])
)
def test_setext_heading_examples(example: dict[str, Any]) -> None:
    kind, detail = classify(example)
    assert kind != "fail", detail
