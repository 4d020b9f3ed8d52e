"""The shared Markdown parser (convert/readers/_mdparse/, on markdown-it-py): syntax, safety, bounds, properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from convert.ir.walk import block_inlines, iter_inlines, normalize_inlines
from convert.readers._mdparse import MAX_NESTING, clean_url, parse_blocks, parse_inlines

ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
UNSAFE = ("javascript:", "vbscript:", "data:", "file:")


def blocks(text: str, *, scraper: bool = False) -> list[Block]:
    return parse_blocks(text, scraper=scraper).blocks


def inline_depth(nodes: tuple[Inline, ...]) -> int:
    """How deeply inline containers nest in ``nodes``."""
    depth = 0
    stack = [(node, 1) for node in nodes]
    while stack:
        node, level = stack.pop()
        if isinstance(node, Emph | Strong | Link):
            depth = max(depth, level)
            stack.extend((child, level + 1) for child in node.content)
    return depth


def block_depth(blocks_: list[Block] | tuple[Block, ...]) -> int:
    """How deeply block containers nest."""
    depth = 0
    stack: list[tuple[Block, int]] = [(b, 0) for b in blocks_]
    while stack:
        block, level = stack.pop()
        depth = max(depth, level)
        match block:
            case BlockQuote(blocks=bs):
                stack.extend((b, level + 1) for b in bs)
            case BulletList(items=items) | OrderedList(items=items):
                stack.extend((b, level + 1) for item in items for b in item)
            case _:
                pass
    return depth


def all_inline_nodes(blocks_: list[Block]) -> list[Inline]:
    out: list[Inline] = []
    stack = list(blocks_)
    while stack:
        block = stack.pop()
        match block:
            case BlockQuote(blocks=bs):
                stack.extend(bs)
            case BulletList(items=items) | OrderedList(items=items):
                stack.extend(b for item in items for b in item)
            case _:
                for seq in block_inlines(block):
                    out.extend(iter_inlines(seq))
    return out


# --------------------------------------------------------------------------- inlines


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*a*", (Emph((Text("a"),)),)),
        ("**a**", (Strong((Text("a"),)),)),
        ("***a***", (Emph((Strong((Text("a"),)),)),)),
        ("**a *b***", (Strong((Text("a "), Emph((Text("b"),)))),)),
        ("***a* b**", (Strong((Emph((Text("a"),)), Text(" b"))),)),
        ("_a_ and __b__", (Emph((Text("a"),)), Text(" and "), Strong((Text("b"),)))),
        ("snake_case_name", (Text("snake_case_name"),)),
        ("2 * 3 * 4", (Text("2 * 3 * 4"),)),
        ("*a", (Text("*a"),)),
        ("a*b*c", (Text("a"), Emph((Text("b"),)), Text("c"))),
        ("`code *not emph*`", (Code("code *not emph*"),)),
        ("`` a`b ``", (Code("a`b"),)),
        ("``unclosed", (Text("``unclosed"),)),
        ("[text](http://x.org)", (Link((Text("text"),), "http://x.org"),)),
        ('[text](http://x.org "A title")', (Link((Text("text"),), "http://x.org", "A title"),)),
        ("[text](<a b>)", (Link((Text("text"),), "a b"),)),
        ("[a [b] c](u)", (Link((Text("a [b] c"),), "u"),)),
        # CommonMark: no link inside a link
        ("[outer [inner](v)](u)", (Text("[outer "), Link((Text("inner"),), "v"), Text("](u)"))),
        ("[*x*](u)", (Link((Emph((Text("x"),)),), "u"),)),
        ("[dead](#)", (Text("dead"),)),
        ("[text]", (Text("[text]"),)),
        ("[text] (u)", (Text("[text] (u)"),)),
        ("<http://x.org/a>", (Link((Text("http://x.org/a"),), "http://x.org/a"),)),
        ("<me@x.org>", (Link((Text("me@x.org"),), "mailto:me@x.org"),)),
        ("a[^1] b[^note]", (Text("a"), NoteRef("1"), Text(" b"), NoteRef("note"))),
        ("![^1]", (Text("!"), NoteRef("1"))),
        ("as said[^1]: this", (Text("as said"), NoteRef("1"), Text(": this"))),
        ("[^1]: not a reference", (Text("[^1]: not a reference"),)),
        ("![alt *x*](img.png) after", (Image("img.png", "alt x"), Text(" after"))),
        ("a\\\nb", (Text("a"), LineBreak(), Text("b"))),
        ("a  \nb", (Text("a"), LineBreak(), Text("b"))),
        ("a\nb", (Text("a b"),)),
        ("a<br>b", (Text("a"), LineBreak(), Text("b"))),
        ("a <!-- note --> b", (Text("a b"),)),
        ("a <span class=x>b</span> c", (Text("a b c"),)),
        ("a <script>alert(1)</script> b", (Text("a b"),)),
        ("a <style>p{}</style> b", (Text("a b"),)),
        ("1 < 2 > 0", (Text("1 < 2 > 0"),)),
    ],
)
def test_inlines(source: str, expected: tuple[Inline, ...]) -> None:
    assert parse_inlines(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("\\*a\\*", "*a*"),
        ("\\\\", "\\"),
        ("\\a", "\\a"),
        ("a\\_b", "a_b"),
        ("\\[x\\](y)", "[x](y)"),
        ("\\<b>", "<b>"),
        ("\\`x\\`", "`x`"),
        ("\\\\\\*", "\\*"),
    ],
)
def test_backslash_escapes(source: str, expected: str) -> None:
    assert parse_inlines(source) == (Text(expected),)


def test_escaped_backslash_before_markup() -> None:
    """``\\\\`` is one backslash; what follows it keeps its meaning."""
    assert parse_inlines("\\\\*a*") == (Text("\\"), Emph((Text("a"),)))
    assert parse_inlines("\\\\[x](u)") == (Text("\\"), Link((Text("x"),), "u"))
    assert parse_inlines("a\\\\\\\nb") == (Text("a\\"), LineBreak(), Text("b"))


def test_scraper_mode_undoes_stray_escapes_and_dead_fragments() -> None:
    assert parse_inlines("content\\\\_12576227", scraper=True) == (Text("content_12576227"),)
    assert parse_inlines("content\\\\_12576227") == (Text("content\\_12576227"),)
    assert parse_inlines("[[1]](#_ftn1)", scraper=True) == (Text("[1]"),)
    assert parse_inlines("[top](#top)") == (Link((Text("top"),), "#top"),)
    url = "http://usa.chinadaily.com.cn/epaper/2011-05/25/content_12576227.htm"
    escaped = url.replace("_", "\\\\_")
    assert parse_inlines(f"[x]({escaped})", scraper=True) == (Link((Text("x"),), url),)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "javascript&colon;alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "DATA:image/png;base64,AAAA",
        "file:///etc/passwd",
        "<javascript:alert(1)>",
    ],
)
def test_unsafe_urls_are_refused(url: str) -> None:
    assert clean_url(url) == ""


@pytest.mark.parametrize(
    "url", ["http://x.org/a?b=1&c=2", "https://x.org/#frag", "mailto:a@b.org", "/relative/path", "#anchor", "ftp://x"]
)
def test_safe_urls_are_kept(url: str) -> None:
    assert clean_url(url) == url


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](<java script:alert(1)>)",
        "[x](javascript&colon;alert(1))",
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "<data:text/html,x>",
    ],
)
def test_script_links_become_text(source: str) -> None:
    for scraper in (False, True):
        nodes = parse_inlines(source, scraper=scraper)
        assert not [n for n in iter_inlines(nodes) if isinstance(n, Link)]


# --------------------------------------------------------------------------- blocks


def test_block_kinds() -> None:
    text = "\n".join(
        [
            "# Heading",
            "",
            "Setext",
            "======",
            "",
            "Para one",
            "continues.",
            "",
            "* * *",
            "",
            "> quote",
            "lazy",
            ">",
            "> second",
            "",
            "- a",
            "- b",
            "",
            "3. c",
            "4. d",
            "",
            "```py",
            "code",
            "```",
        ]
    )
    assert blocks(text) == [
        Heading(1, (Text("Heading"),)),
        Heading(1, (Text("Setext"),)),
        Paragraph((Text("Para one continues."),)),
        ThematicBreak(),
        BlockQuote((Paragraph((Text("quote lazy"),)), Paragraph((Text("second"),)))),
        BulletList(((Paragraph((Text("a"),)),), (Paragraph((Text("b"),)),))),
        OrderedList(((Paragraph((Text("c"),)),), (Paragraph((Text("d"),)),)), 3),
        CodeBlock("code", "py"),
    ]


def test_footnote_definitions_are_lifted() -> None:
    doc = parse_blocks("Text[^a].\n\n[^a]: First line\n    second paragraph? no, continuation.\n\nAfter.\n")
    assert doc.blocks == [Paragraph((Text("Text"), NoteRef("a"), Text("."))), Paragraph((Text("After."),))]
    assert [(f.label, f.blocks) for f in doc.footnotes] == [
        ("a", (Paragraph((Text("First line second paragraph? no, continuation."),)),))
    ]


def test_figure_divs_and_implicit_figures() -> None:
    assert blocks("::: figure\n![alt](img.png)\n\nThe caption.\n:::\n") == [
        Figure((Text("The caption."),), Image("img.png", "alt"))
    ]
    assert blocks("::: figure\nOnly a caption.\n:::\n") == [Figure((Text("Only a caption."),))]
    assert blocks("![alt text](img.png)\n") == [Figure((Text("alt text"),), Image("img.png", "alt text"))]
    assert blocks("![alt](javascript:x)\n") == [Figure((Text("alt"),))]


def test_comment_separates_lists_and_quotes() -> None:
    assert blocks("- a\n\n<!-- -->\n\n- b\n") == [
        BulletList(((Paragraph((Text("a"),)),),)),
        BulletList(((Paragraph((Text("b"),)),),)),
    ]
    assert blocks("> a\n\n<!-- -->\n\n> b\n") == [
        BlockQuote((Paragraph((Text("a"),)),)),
        BlockQuote((Paragraph((Text("b"),)),)),
    ]


def test_html_blocks_lose_their_content() -> None:
    text = "Before.\n<script>\nvar a = 1;\n\nalert(a);\n</script>\n\n<!--\nhidden\n\nstill hidden\n-->\n\nAfter.\n"
    assert blocks(text) == [Paragraph((Text("Before."),)), Paragraph((Text("After."),))]
    # an unclosed script loses the rest of its paragraph, not the rest of the document
    assert blocks("<script>alert(1)\n\nVisible.\n") == [Paragraph((Text("Visible."),))]


def test_list_interrupting_a_paragraph() -> None:
    assert blocks("Intro:\n- a\n- b\n") == [
        Paragraph((Text("Intro:"),)),
        BulletList(((Paragraph((Text("a"),)),), (Paragraph((Text("b"),)),))),
    ]
    # in a page dump a wrapped line starting with a number is text
    assert blocks("founded in\n1974. It runs.\n", scraper=True) == [Paragraph((Text("founded in 1974. It runs."),))]
    assert blocks("Intro:\n1. a\n", scraper=True)[1] == OrderedList(((Paragraph((Text("a"),)),),))


def test_unterminated_fences() -> None:
    assert blocks("```\ncode\n\nmore code\n") == [CodeBlock("code\n\nmore code")]
    assert blocks("```\ncode\n\nText.\n", scraper=True) == [CodeBlock("code"), Paragraph((Text("Text."),))]


# --------------------------------------------------------------------------- bounds


def test_nesting_is_bounded() -> None:
    deep_quote = blocks("> " * 1000 + "deep")
    assert block_depth(deep_quote) == MAX_NESTING
    assert all_inline_nodes(deep_quote) == [Text("deep")]
    deep_list = blocks("\n".join("  " * k + "- x" for k in range(1000)))
    assert block_depth(deep_list) <= MAX_NESTING + 1
    deep_emphasis = parse_inlines("*a " * 1000 + "x" + " a*" * 1000)
    assert inline_depth(deep_emphasis) <= MAX_NESTING + 1
    deep_links = parse_inlines("[" * 1000 + "x" + "](u)" * 1000)
    assert inline_depth(deep_links) <= MAX_NESTING + 1


@pytest.mark.parametrize(
    "source",
    [
        "word *x* " * 20000,
        "_a " * 30000 + "b* " * 30000,
        "[" * 50000,
        "![" * 30000,
        "`a ``b " * 20000,
        "<!-- " * 30000,
        "<a" * 30000,
        "[a](http://x) " * 20000,
        "\\" * 100000,
        "a  \n" * 30000,
    ],
    ids=["emphasis", "openers", "brackets", "images", "ticks", "comments", "tags", "links", "backslashes", "breaks"],
)
def test_inline_parsing_is_linear(source: str) -> None:
    started = time.perf_counter()
    parse_inlines(source)
    parse_inlines(source, scraper=True)
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize(
    "source",
    [
        "\n".join("`" * k for k in range(3000, 3, -1)),
        "<script>\n" * 30000,
        "<!--\n" * 30000,
        "> " * 5000 + "x",
        "- " * 5000 + "x",
    ],
    ids=["fences", "scripts", "comments", "quotes", "lists"],
)
def test_block_parsing_is_bounded_in_time(source: str) -> None:
    started = time.perf_counter()
    parse_blocks(source)
    parse_blocks(source, scraper=True)
    assert time.perf_counter() - started < 20


# --------------------------------------------------------------------------- properties

_MARKDOWNISH = st.lists(
    st.sampled_from([*"ab *_`[]()!<>#\\\n-:^\"'=~1.|&;", "\u00e9", "\u201c", "\t", "http://x.y", "](u)", "> ", "- "]),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _MARKDOWNISH), st.booleans())
def test_parse_inlines_never_raises_and_is_normalised(text: str, scraper: bool) -> None:
    nodes = parse_inlines(text, scraper=scraper)
    assert normalize_inlines(nodes) == nodes
    for node in iter_inlines(nodes):
        if isinstance(node, Link):
            assert not node.target.lower().startswith(UNSAFE)
        if isinstance(node, Text):
            assert node.text


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), _MARKDOWNISH), st.booleans())
def test_parse_blocks_never_raises(text: str, scraper: bool) -> None:
    doc = parse_blocks(text, scraper=scraper)
    assert block_depth(doc.blocks) <= MAX_NESTING + 1
    for node in all_inline_nodes(doc.blocks):
        if isinstance(node, Link):
            assert not node.target.lower().startswith(UNSAFE)


def _escape_all(text: str) -> str:
    return "".join("\\" + ch if ch in ASCII_PUNCT else ch for ch in text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80))
def test_escaped_text_round_trips(text: str) -> None:
    """Text with every ASCII punctuation character escaped reads back as itself."""
    expected = normalize_inlines((Text(text),))
    assert parse_inlines(_escape_all(text)) == expected
    if "\\" not in text:  # in a page dump every backslash before punctuation is a stray one
        assert parse_inlines(_escape_all(text), scraper=True) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=20))
def test_emphasis_round_trips(word: str) -> None:
    assert parse_inlines(f"*{word}*") == (Emph((Text(word),)),)
    assert parse_inlines(f"**{word}**") == (Strong((Text(word),)),)
    assert parse_inlines(f"[{word}](http://x.org)") == (Link((Text(word),), "http://x.org"),)
