"""The Markdown readers on markdown-it: setext headings, tables, images, figures, definition lists, math, spans."""

from __future__ import annotations

import pytest

import convert
from convert.errors import collect_warnings
from convert.ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from convert.readers._mdparse import parse_blocks, parse_inlines


def blocks(text: str, *, scraper: bool = False) -> list[Block]:
    return parse_blocks(text, scraper=scraper).blocks


def para(*content: Inline) -> Paragraph:
    return Paragraph(tuple(content))


def cell(text: str) -> TableCell:
    return TableCell((Text(text),) if text else ())


# --------------------------------------------------------------------------- setext headings


@pytest.mark.parametrize("scraper", [False, True])
def test_setext_headings(scraper: bool) -> None:
    """``Heading`` over ``-------`` is a level-2 heading, not a paragraph and a rule."""
    text = "Intro paragraph.\n\nHeading\n-------\n\nBody.\n\nTitle\n=====\n"
    assert blocks(text, scraper=scraper) == [
        para(Text("Intro paragraph.")),
        Heading(2, (Text("Heading"),)),
        para(Text("Body.")),
        Heading(1, (Text("Title"),)),
    ]


def test_setext_heading_of_several_lines_and_a_real_rule() -> None:
    assert blocks("Two\nlines\n---\n\n---\n") == [Heading(2, (Text("Two lines"),)), ThematicBreak()]


def test_setext_heading_through_the_readers() -> None:
    article = convert.parse(b"# Title\n\nFirst paragraph of text.\n\nSection\n-------\n\nMore text.\n", "a.md")
    assert Heading(1, (Text("Section"),)) in article.body or Heading(2, (Text("Section"),)) in article.body
    assert not any(isinstance(b, ThematicBreak) for b in article.body)
    md = convert.read(b"---\ntitle: T\n---\n\nSection\n-------\n\nText.\n", format="md")
    assert md.body == (Heading(2, (Text("Section"),)), para(Text("Text.")))


# --------------------------------------------------------------------------- tables


def test_pipe_table_with_alignment_inline_markup_and_caption() -> None:
    text = (
        "| Quarter | Revenue | Note |\n"
        "|:--------|--------:|:----:|\n"
        "| Q1 | *10* | [x](http://x.org) |\n"
        "| Q2 | 20 | `c` |\n"
        "\n"
        "Table: Revenue by *quarter*\n"
    )
    assert blocks(text) == [
        Table(
            ((cell("Quarter"), cell("Revenue"), cell("Note")),),
            (
                (cell("Q1"), TableCell((Emph((Text("10"),)),)), TableCell((Link((Text("x"),), "http://x.org"),))),
                (cell("Q2"), cell("20"), TableCell((Code("c"),))),
            ),
            ("left", "right", "center"),
            (Text("Revenue by "), Emph((Text("quarter"),))),
        )
    ]


def test_table_without_header_alignment_or_with_colon_caption() -> None:
    text = "|   |   |\n|---|---|\n| a | b |\n\n: The caption\n"
    assert blocks(text) == [Table((), ((cell("a"), cell("b")),), (), (Text("The caption"),))]
    # a paragraph after a table that is no caption stays a paragraph
    assert blocks("| a |\n|---|\n| b |\n\nTable of contents.\n")[1] == para(Text("Table of contents."))


def test_wide_table_and_short_rows() -> None:
    header = "| " + " | ".join(f"h{k}" for k in range(12)) + " |"
    rule = "|" + "---|" * 12
    table = blocks(f"{header}\n{rule}\n| only |\n")[0]
    assert isinstance(table, Table)
    assert table.columns == 12
    assert table.rows[0][0] == cell("only")


# --------------------------------------------------------------------------- images and figures


def test_inline_images_keep_alt_and_title() -> None:
    assert parse_inlines('see ![A *b*](p.png "T") here') == (
        Text("see "),
        Image("p.png", "A b", "T"),
        Text(" here"),
    )


def test_linked_image_keeps_its_image() -> None:
    assert blocks("[![alt](img.png)](http://x.org)\n") == [para(Link((Image("img.png", "alt"),), "http://x.org"))]


def test_single_image_is_a_figure_and_alt_attribute() -> None:
    assert blocks("![The *caption*](p.png)\n") == [
        Figure((Text("The "), Emph((Text("caption"),))), Image("p.png", "The caption"))
    ]
    assert blocks('![Caption](p.png){alt="Other text"}\n') == [Figure((Text("Caption"),), Image("p.png", "Other text"))]
    assert blocks('::: figure\n![](p.png){alt="Alt"}\n\nCaption.\n:::\n') == [
        Figure((Text("Caption."),), Image("p.png", "Alt"))
    ]


def test_data_and_local_images_kept_script_images_refused() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    assert blocks(f"![a]({png})\n") == [Figure((Text("a"),), Image(png, "a"))]
    assert parse_inlines("x ![a](img/p.png) y")[1] == Image("img/p.png", "a")
    with collect_warnings() as found:
        assert parse_inlines("x ![alt](javascript:alert(1)) y") == (Text("x alt y"),)
        assert parse_inlines("![alt](data:text/html,x)") == (Text("alt"),)
    assert [w.code for w in found] == ["markdown.image-refused"] * 2


# --------------------------------------------------------------------------- inline kinds


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("~~gone~~", (Strikeout((Text("gone"),)),)),
        ("x^2^ and H~2~O", (Text("x"), Superscript((Text("2"),)), Text(" and H"), Subscript((Text("2"),)), Text("O"))),
        ("^*e*^", (Superscript((Emph((Text("e"),)),)),)),
        ("^a\\ b^", (Superscript((Text("a b"),)),)),
        ("^a b^", (Text("^a b^"),)),
        ("~a b~", (Text("~a b~"),)),
        ("[Name]{.smallcaps}", (SmallCaps((Text("Name"),)),)),
        ('[مرحبا]{lang="ar" dir="rtl"}', (Span((Text("مرحبا"),), "ar", "rtl"),)),
        ("[x]{lang=fr}", (Span((Text("x"),), "fr"),)),
        ("[x]{.other}", (Text("x"),)),
        ("[x]{dir=sideways}", (Text("x"),)),
        ("$E=mc^2$", (Math("E=mc^2"),)),
        ("costs $5 and $10", (Text("costs $5 and $10"),)),
        ("0$x^2$", (Text("0"), Math("x^2"))),
        ("$x$1", (Text("$x$1"),)),
        ("a $$\\sum x$$ b", (Text("a "), Math("\\sum x", True), Text(" b"))),
        ("**~~both~~**", (Strong((Strikeout((Text("both"),)),)),)),
        # pandoc's tildes: no flanking rule beside punctuation, only no space inside
        ("0~~`0`~~0", (Text("0"), Strikeout((Code("0"),)), Text("0"))),
        ("a ~~ b ~~ c", (Text("a ~~ b ~~ c"),)),
    ],
)
def test_inline_kinds(source: str, expected: tuple[Inline, ...]) -> None:
    assert parse_inlines(source) == expected


def test_display_math_is_a_paragraph_of_math() -> None:
    assert blocks("$$\nx = 1\n$$\n") == [para(Math("x = 1", True))]
    assert blocks("$$x = 1$$\n") == [para(Math("x = 1", True))]


# --------------------------------------------------------------------------- blocks


def test_definition_lists() -> None:
    text = "Term\n:   First *def*.\n\n:   Second.\n\nOther\n:   - a list\n"
    assert blocks(text) == [
        DefinitionList(
            (
                DefinitionItem(
                    (Text("Term"),),
                    ((para(Text("First "), Emph((Text("def"),)), Text(".")),), (para(Text("Second.")),)),
                ),
                DefinitionItem((Text("Other"),), ((BulletList(((para(Text("a list")),),)),),)),
            )
        )
    ]


def test_nested_lists_and_quotes() -> None:
    text = "1. one\n   - a\n     > q\n2. two\n"
    assert blocks(text) == [
        OrderedList(
            (
                (para(Text("one")), BulletList(((para(Text("a")), BlockQuote((para(Text("q")),))),))),
                (para(Text("two")),),
            )
        )
    ]


def test_footnotes_are_lifted_and_references_need_no_definition() -> None:
    doc = parse_blocks("A[^1] b[^x].\n\n[^1]: One.\n\n    Two.\n")
    assert doc.blocks == [para(Text("A"), NoteRef("1"), Text(" b"), NoteRef("x"), Text("."))]
    assert [(f.label, f.blocks) for f in doc.footnotes] == [("1", (para(Text("One.")), para(Text("Two."))))]


def test_page_dump_repairs() -> None:
    # an indented line of a page dump is text, an unterminated fence stops at a blank line
    assert blocks("    Indented text.\n", scraper=True) == [para(Text("Indented text."))]
    assert blocks("    code\n") == [CodeBlock("code")]
    assert blocks("~~~\nx\n\ny\n", scraper=True) == [CodeBlock("x"), para(Text("y"))]
    assert blocks("```\nx\n\n```\n", scraper=True) == [CodeBlock("x\n")]


def test_html_is_never_passed_through() -> None:
    assert blocks("<div>\nSome <b>text</b>\n</div>\n") == [para(Text("Some text"))]
    assert blocks("<!-- unclosed\n\nVisible.\n") == [para(Text("Visible."))]
    assert blocks("<style>\np {}\n</style>\n\nText.\n") == [para(Text("Text."))]


def test_inline_html_of_the_other_flavours_is_read() -> None:
    """``<sup>``, ``<sub>``, ``<del>``, ``<span class="smallcaps">``, ``<span lang dir>`` (gfm, commonmark)."""
    source = (
        'a<sup>x y</sup> <sub>*2*</sub> <del>d</del> <span class="smallcaps">Sc</span> '
        '<span lang="ar" dir="rtl">ع</span>'
    )
    assert parse_inlines(source) == (
        Text("a"),
        Superscript((Text("x y"),)),
        Text(" "),
        Subscript((Emph((Text("2"),)),)),
        Text(" "),
        Strikeout((Text("d"),)),
        Text(" "),
        SmallCaps((Text("Sc"),)),
        Text(" "),
        Span((Text("ع"),), "ar", "rtl"),
    )
    # a tag left open, or closed across emphasis, wraps nothing
    assert parse_inlines("*<sub>a*</sub> <sup>open") == (Emph((Text("a"),)), Text(" open"))


def test_figure_div_inside_a_note_and_a_quote() -> None:
    doc = parse_blocks('A[^x].\n\n[^x]: ::: figure\n    ![](p.png){alt="P"}\n    :::\n\n    $$x$$\n')
    assert doc.footnotes[0].blocks == (Figure((), Image("p.png", "P")), para(Math("x", True)))
    assert blocks("> ::: figure\n> ![a](b.png)\n>\n> Cap.\n> :::\n\nAfter.\n") == [
        BlockQuote((Figure((Text("Cap."),), Image("b.png", "a")),)),
        para(Text("After.")),
    ]


# --------------------------------------------------------------------------- grid tables


def test_grid_table_with_spans_alignment_line_breaks_and_wide_characters() -> None:
    text = (
        "+----------+-----+\n"
        "| 中文标题 | B   |\n"
        "+:=========+:===:+\n"
        "| x\\       | *é* |\n"
        "| y        +-----+\n"
        "|          | z   |\n"
        "+----------+-----+\n"
        "| across         |\n"
        "+----------------+\n"
        "\n"
        "Table: Cap\n"
    )
    assert blocks(text) == [
        Table(
            ((cell("中文标题"), cell("B")),),
            (
                (TableCell((Text("x"), LineBreak(), Text("y")), 1, 2), TableCell((Emph((Text("é"),)),))),
                (cell("z"),),
                (TableCell((Text("across"),), 2, 1),),
            ),
            ("left", "center"),
            (Text("Cap"),),
        )
    ]


def test_grid_table_without_header_and_broken_ones() -> None:
    assert blocks("+---+----+\n| a | bb |\n+---+----+\n") == [Table((), ((cell("a"), cell("bb")),))]
    # borders that do not close into cells: text
    assert blocks("+---+\n| a\n+---+\n") == [para(Text("+---+ | a +---+"))]
    assert isinstance(blocks("+---+\n| a |\n")[0], Paragraph)


def test_grid_tables_are_linear() -> None:
    import time

    started = time.perf_counter()
    for source in ("+-+\n| x\n" * 20000, "+--+\n" * 40000, "+" + "-+" * 100000 + "\n"):
        blocks(source)
    assert time.perf_counter() - started < 20
