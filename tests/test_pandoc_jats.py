"""The JATS writer's output is valid against the JATS Archiving DTD it declares.

The DTDs come from the npm package ``@jats4r/dtds`` (the NISO JATS DTDs, every version), which
``scripts/setup-system.sh`` installs into ``~/.cache/artconv/jats-dtds`` (or ``$ARTCONV_JATS_DTDS``).
Without it (no npm, or no access to the npm registry) the tests are skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree

from convert.api import render
from convert.ir.inlines import Code, Emph, LineBreak, Link, Math, SmallCaps, Strikeout, Strong, Subscript, Superscript
from convert.ir.model import (
    Article,
    BibEntry,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Figure,
    Heading,
    Image,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Span,
    Subject,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from tests.strategies import articles


def _dtd_folder() -> Path | None:
    base = os.environ.get("ARTCONV_JATS_DTDS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "artconv", "jats-dtds"
    )
    schema = Path(base) / "node_modules" / "@jats4r" / "dtds" / "schema"
    return schema if schema.is_dir() else None


@pytest.fixture(scope="module")
def dtds() -> Path:
    folder = _dtd_folder()
    if folder is None:
        pytest.skip("the JATS DTDs (npm @jats4r/dtds) are not installed: run scripts/setup-system.sh")
    return folder


def assert_valid(xml: bytes, dtds: Path) -> etree._Element:
    """The document, checked against the JATS DTD its doctype names (version from ``dtd-version``)."""
    root = etree.fromstring(xml)
    doctype = root.getroottree().docinfo
    assert doctype.public_id and "Archiving" in doctype.public_id, doctype.public_id
    version = root.get("dtd-version", "")
    assert re.fullmatch(r"1\.[2-9]", version), version
    system = doctype.system_url or ""
    dtd_file = dtds / version / os.path.basename(system)
    assert dtd_file.is_file(), dtd_file
    dtd = _dtd(str(dtd_file))
    if not dtd.validate(root):
        errors = "\n".join(f"{e.line}: {e.message}" for e in list(dtd.error_log)[:15])
        pytest.fail(f"not valid against {dtd_file.name}:\n{errors}\n")
    return root


@functools.cache
def _dtd(path: str) -> etree.DTD:
    return etree.DTD(path)


RICH = Article(
    Metadata(
        title="A Made-up Title",
        subtitle="And its subtitle",
        authors=("Ann Writer", "Ben Second"),
        date=dt.date(2019, 5, 6),
        language="en",
        publisher="Example Press",
        description="What it is about.",
        subjects=(Subject("Rivers", "keyword"), Subject("Asia", "region")),
        rights=Rights(
            copyright="Copyright © 2019 Ann Writer, Example Press",
            disclaimer="The views are the writer's own.\n\nThe press takes no responsibility.",
            fair_use="Quoted under fair use.",
            licence="Creative Commons Attribution 4.0",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
            licence_id="CC-BY-4.0",
            source="Example Daily",
            contact="desk@press.example",
        ),
    ),
    (
        Heading(1, (Text("Opening"),)),
        Paragraph(
            (
                Text("Text with "),
                Emph((Text("emphasis"),)),
                Text(", "),
                Strong((Text("strength"),)),
                Text(", "),
                Strikeout((Text("struck"),)),
                Superscript((Text("sup"),)),
                Subscript((Text("sub"),)),
                SmallCaps((Text("caps"),)),
                Code("code()"),
                LineBreak(),
                Link((Text("a link"),), "https://example.org/", "its title"),
                Span((Text("Bonjour"),), lang="fr"),
                Math("x^2", display=False),
                NoteRef("1"),
            )
        ),
        Paragraph((Math(r"\int_0^1 f(x)\,dx", display=True),)),
        BlockQuote((Paragraph((Text("Quoted words."),)),)),
        BulletList(((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
        OrderedList(((Paragraph((Text("first"),)),), (Paragraph((Text("second"),)),)), start=3),
        CodeBlock("print('hi')", "python"),
        ThematicBreak(),
        DefinitionList((DefinitionItem((Text("Term"),), ((Paragraph((Text("Its meaning."),)),),)),)),
        Table(
            ((TableCell((Text("Head A"),)), TableCell((Text("Head B"),))),),
            (
                (TableCell((Text("a1"),), colspan=2),),
                (TableCell((Text("b1"),)), TableCell((Text("b2"),))),
            ),
            aligns=("left", "right"),
            caption=(Text("A table"),),
        ),
        Figure((Text("A remote picture"),), Image("https://img.example/p.png", "picture")),
        Figure((Text("A figure without an image"),), None),
        Bibliography((BibEntry((Text("Writer, A. A Book. 2001."),), "writer2001"),), (Text("References"),)),
    ),
    (Note("1", (Paragraph((Text("The note text."),)),)),),
)


def test_rich_article_is_valid_jats(dtds: Path) -> None:
    root = assert_valid(render(RICH, "jats"), dtds)
    assert root.find(".//article-meta/permissions/license") is not None
    assert root.find(".//back/notes[@notes-type='disclaimer']") is not None


def test_sample_is_valid_jats(dtds: Path) -> None:
    from convert.api import read

    sample = Path(__file__).resolve().parent.parent / "samples" / "russia-pakistan-relationship.md"
    assert_valid(render(read(str(sample)), "jats"), dtds)


def test_article_without_rights_or_date_is_valid_jats(dtds: Path) -> None:
    bare = Article(Metadata(title="Only a title"), (Paragraph((Text("Body."),)),))
    assert_valid(render(bare, "jats"), dtds)


def test_what_pandoc_would_write_invalid_is_mended(dtds: Path) -> None:
    """A heading in a quotation, a link to no anchor, markup characters in alt text, one label twice,
    a note in a reference, a bibliography in the middle and a second one: all valid, text kept."""
    tricky = Article(
        Metadata(title="Edge cases", description="First part.\n\nSecond part."),
        (
            BlockQuote((Heading(2, (Text("Quoted heading"),)), Paragraph((Text("Quoted."),)))),
            Paragraph((Link((Text("to nowhere"),), "#no-such-place"), Text(" and "), Link((Text("a"),), "#ref-x1"))),
            Paragraph((Image("pic.png", "a <b> & c", "t < u"),)),
            Bibliography((BibEntry((Text("X one"), NoteRef("n")), "x1"),), (Text("Sources"),)),
            Paragraph((Text("Between."),)),
            Bibliography((BibEntry((Text("X again"),), "x1"), BibEntry((Text("Y"),), "y2"))),
        ),
        (Note("n", (Paragraph((Text("A note in a reference."),)),)),),
    )
    xml = render(tricky, "jats")
    root = assert_valid(xml, dtds)
    assert root.findtext(".//disp-quote/p/bold") == "Quoted heading"
    assert "to nowhere" in "".join(root.itertext()) and root.find(".//xref[@rid='ref-x1']") is not None
    assert root.findtext(".//alt-text") == "a <b> & c"
    refs = root.findall(".//back/ref-list/ref")
    assert [r.findtext("mixed-citation") for r in refs] == ["X one", "X again", "Y"]
    assert root.findtext(".//back/ref-list/title") == "Sources"
    assert [p.text for p in root.findall(".//abstract/p")] == ["First part.", "Second part."]


def test_a_heading_ending_the_text_stays_in_the_text(dtds: Path) -> None:
    """pandoc would make a last section's heading the reference list's title, its note then with no <fn>."""
    article = Article(
        Metadata(title="T"),
        (
            Paragraph((Text("Text."),)),
            Bibliography((BibEntry((Text("X one"),), "x1"),)),
            Heading(2, (Text("Last heading"), NoteRef("n"))),
        ),
        (Note("n", (Paragraph((Text("The note."),)),)),),
    )
    root = assert_valid(render(article, "jats"), dtds)
    assert "Last heading" in "".join(root.find(".//body").itertext())
    assert not root.findtext(".//back/ref-list/title")
    assert [r.findtext("mixed-citation") for r in root.findall(".//back/ref-list/ref")] == ["X one"]


_LONE_IMAGE = Paragraph((Image("https://a.example/p.png", "alt", ""),))


@pytest.mark.parametrize(
    "block",
    [
        BulletList(((_LONE_IMAGE,),)),
        OrderedList(((_LONE_IMAGE,),)),
        DefinitionList((DefinitionItem((Text("Term"),), ((_LONE_IMAGE,),)),)),
        Paragraph((Text("See"), NoteRef("n"))),
    ],
    ids=["bullet-item", "numbered-item", "definition", "note"],
)
def test_a_paragraph_of_one_image_where_only_paragraphs_may_be(dtds: Path, block: Block) -> None:
    """pandoc writes a paragraph that is one image as a <graphic>: in a list item, a definition or a note, a <p>."""
    article = Article(Metadata(title="T"), (Paragraph((Text("Text."),)), block), (Note("n", (_LONE_IMAGE,)),))
    root = assert_valid(render(article, "jats"), dtds)
    assert root.find(".//p/inline-graphic[@{http://www.w3.org/1999/xlink}href='https://a.example/p.png']") is not None


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example runs pandoc
    suppress_health_check=[HealthCheck.too_slow],
)
@given(articles())
def test_generated_articles_are_valid_jats(dtds: Path, article: Article) -> None:
    assert_valid(render(article, "jats"), dtds)
