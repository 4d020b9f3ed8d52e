"""The ``article`` reader on the layouts real saved pages have (fixtures in tests/fixtures/articles/).

Each fixture is a hand-made page dump with the site furniture of the real
sample; the tests assert the parts of the IR that matter for its layout, and
a golden file (``tests/golden/articles/``) keeps the whole IR of each stable.
"""

from __future__ import annotations

import codecs
import datetime as dt
import time
from pathlib import Path

import pytest

import convert
from convert.errors import InputError
from convert.ir.jsonio import article_to_json
from convert.ir.model import (
    Article,
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
    Link,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from convert.ir.walk import block_inlines, iter_inlines, note_ref_order, plain_text, plain_text_blocks
from convert.readers.article import read_article
from convert.readers.detect import detect_format

from .conftest import SAMPLE, check_golden

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".md", ".txt"))


def fixture(name: str) -> Article:
    """The article the reader makes of ``tests/fixtures/articles/<name>``."""
    return read_article((FIXTURES / name).read_bytes())


def all_blocks(blocks: tuple[Block, ...] | list[Block]) -> list[Block]:
    """Every block, nested ones included, in document order."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        match block:
            case BlockQuote(blocks=bs):
                out.extend(all_blocks(bs))
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    out.extend(all_blocks(item))
            case _:
                pass
    return out


def all_inlines(article: Article) -> list[Inline]:
    """Every inline node of the body and of the notes."""
    blocks = [*article.body, *(b for note in article.notes for b in note.blocks)]
    return [node for block in all_blocks(blocks) for seq in block_inlines(block) for node in iter_inlines(seq)]


def texts(article: Article) -> str:
    """All the text of the body and of the notes."""
    return plain_text_blocks([*article.body, *(b for note in article.notes for b in note.blocks)])


# --------------------------------------------------------------------------- the real sample


@pytest.fixture(scope="module")
def sample() -> Article:
    return read_article(SAMPLE.read_bytes())


def test_sample_header_and_rights(sample: Article) -> None:
    meta = sample.metadata
    assert meta.title == "Towards A Russia-Pakistan \u201cRelationship\u201d? In Defiance of Washington"
    assert meta.authors == ("Farooq Yousaf",)
    assert (meta.publisher, meta.date, meta.language) == ("Global Research", dt.date(2012, 9, 27), "en")
    assert meta.subjects == (
        Subject("Asia", "region"),
        Subject("Russia and FSU", "region"),
        Subject("Oil and Energy", "theme"),
    )
    rights = meta.rights
    assert rights.copyright == "Copyright \u00a9 Farooq Yousaf, Global Research, 2012"
    assert rights.copyright_holders == ("Farooq Yousaf", "Global Research")
    assert rights.copyright_year == 2012
    assert rights.source == "The original source of this article is Global Research"
    assert rights.disclaimer.startswith("The contents of this article are of sole responsibility")
    assert rights.fair_use.startswith("www.globalresearch.ca contains copyrighted material")
    assert rights.contact == "For media inquiries: publications@globalresearch.ca"


def test_sample_body_and_notes(sample: Article) -> None:
    caption = "Presidents Asif Ali Zardari and Dmitry Medvedev meeting in Moscow in May 2011"
    assert sample.body[0] == Figure((Text(caption),))
    labels = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    assert [n.label for n in sample.notes] == labels
    assert note_ref_order(sample) == labels
    quotes = [b for b in sample.body if isinstance(b, BlockQuote)]
    quote = "We have turned a new page in our relationship with Russia. It is a major shift"
    assert quotes == [BlockQuote((Paragraph((Text(quote), NoteRef("ix"))),))]
    # the paragraph split after "political and economic" is joined again
    assert any(
        "political and economic issues in Pakistan" in plain_text(b.content)
        for b in sample.body
        if isinstance(b, Paragraph)
    )
    # backslash escapes undone in the notes, chrome gone from the text
    note_iv = sample.note("iv")
    assert note_iv is not None and "content_12576227.htm" in plain_text_blocks(note_iv.blocks)
    body_text = plain_text_blocks(sample.body)
    for chrome in ("Comment on Global Research", "Become a Member", "Articles by", "Copyright", "Disclaimer"):
        assert chrome not in body_text
    assert not any(isinstance(b, ThematicBreak) for b in sample.body)


def test_sample_golden(sample: Article) -> None:
    check_golden("articles/russia-pakistan-relationship.json", article_to_json(sample).encode("utf-8"))


# --------------------------------------------------------------------------- every fixture


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_golden(name: str) -> None:
    check_golden(f"articles/{Path(name).stem}.json", article_to_json(fixture(name)).encode("utf-8"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_through_the_api(name: str) -> None:
    """``convert.read`` detects every fixture as an article and reads it the same way."""
    assert convert.read(FIXTURES / name) == fixture(name)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_survives_markdown_and_json(name: str) -> None:
    """What the reader makes is normalised IR that clean Markdown and JSON carry exactly."""
    article = fixture(name)
    assert convert.read(convert.render(article, "md"), format="md") == article
    assert convert.read(convert.render(article, "json"), format="json") == article


# --------------------------------------------------------------------------- authors


def test_two_linked_authors() -> None:
    article = fixture("two-authors.md")
    meta = article.metadata
    assert meta.title == "Rivers Without Borders: Sharing the \u201cWater Tower\u201d of Asia"
    assert meta.authors == ("Amina Qureshi", "Daniel Ortega Ruiz")
    assert (meta.publisher, meta.date) == ("Global Research", dt.date(2021, 3, 14))
    assert meta.subjects == (Subject("Asia", "region"), Subject("Environment", "theme"), Subject("Water", "theme"))
    assert meta.rights.copyright_holders == ("Amina Qureshi", "Daniel Ortega Ruiz", "Global Research")
    assert meta.rights.copyright_year == 2021
    assert meta.rights.contact == "For media inquiries: publications@globalresearch.ca"
    assert article.body[0] == Figure((Text("The Indus near Skardu in late autumn, when the glaciers feed it least"),))
    assert article.body[-1] == BlockQuote(
        (Paragraph((Text("We are sharing a bank account whose balance nobody is allowed to read."),)),)
    )


def test_three_linked_authors() -> None:
    meta = fixture("three-authors.md").metadata
    assert meta.authors == ("Li Wen", "Sofia Petrova", "Kwame Mensah")
    assert meta.rights.copyright_holders == ("Li Wen", "Sofia Petrova", "Kwame Mensah", "Global Research")
    assert [s.term for s in meta.subjects] == ["Africa", "Asia", "Global Economy"]


def test_unlinked_authors_with_oxford_comma() -> None:
    meta = fixture("unlinked-authors.md").metadata
    assert meta.authors == ("Maria Lopez", "Tom\u00e1s Byrne", "Yuki Tanaka")
    assert meta.subjects == (
        Subject("Poverty & Social Inequality", "theme"),
        Subject("Science and Medicine", "theme"),
    )
    assert meta.rights == Rights()


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By [A. One](#) and [B. Two](#)", ("A. One", "B. Two")),
        ("By [A. One](#), [B. Two](#) and [C. Three](#)", ("A. One", "B. Two", "C. Three")),
        ("By [A. One](https://example.org/a), [B. Two](https://example.org/b)", ("A. One", "B. Two")),
        ("By Ann One and Bob Two", ("Ann One", "Bob Two")),
        ("By Ann One & Bob Two", ("Ann One", "Bob Two")),
        ("**By [Ann One](#)**", ("Ann One",)),
        ("Authors: Ann One; Bob Two", ("Ann One", "Bob Two")),
        ("By [Ann One](#) and Bob Two", ("Ann One", "Bob Two")),
    ],
)
def test_byline_forms(line: str, authors: tuple[str, ...]) -> None:
    article = read_article(f"# Title\n\n{line}\n\nThe text of the article.\n".encode())
    assert article.metadata.authors == authors
    assert plain_text_blocks(article.body) == "The text of the article."


@pytest.mark.parametrize(
    "first", ["By 2030, the city will need twice as much water.", "By then the war was over and nobody counted."]
)
def test_sentence_starting_with_by_is_not_a_byline(first: str) -> None:
    article = read_article(f"# Title\n\n{first}\n".encode())
    assert article.metadata.authors == ()
    assert plain_text_blocks(article.body) == first


# --------------------------------------------------------------------------- notes


def test_numeric_notes_from_an_ordered_list() -> None:
    article = fixture("numeric-notes.md")
    assert [n.label for n in article.notes] == ["1", "2", "3", "4"]
    url = "http://example.org/reports/first-accounts"
    assert article.notes[0] == Note("1", (Paragraph((Link((Text(url),), url),)),))
    assert article.notes[2].blocks == (
        Paragraph((Link((Text("Report of the inquiry"),), "http://example.org/inquiry/final.pdf"), Text(", p. 12"))),
    )
    refs = [node.label for node in all_inlines(article) if isinstance(node, NoteRef)]
    assert refs == ["1", "2", "3", "1"]  # note 1 referenced twice, note 4 never (and kept)
    assert article.body[0] == Paragraph(
        (
            Text("The first accounts of the skirmish were published within hours"),
            NoteRef("1"),
            Text(", and most of them were wrong. The casualty figures came from a single press release"),
            NoteRef("2"),
            Text(" that was withdrawn the next day."),
        )
    )
    text = plain_text_blocks(article.body)
    assert "[sic]" in text  # not a note label
    assert "archived [5]." in text  # there is no note 5
    assert "wrote [2012], is" in text
    assert article.metadata.rights.copyright_year == 2015


def test_numeric_notes_from_a_bracketed_bullet_list() -> None:
    article = fixture("bullet-notes.md")
    assert [n.label for n in article.notes] == ["1", "2", "3"]
    url = "https://example.net/markets/premiums-2023"
    assert article.notes[1].blocks == (Paragraph((Link((Text(url),), url),)),)
    assert note_ref_order(article) == ["1", "2", "3"]
    refs = [node.label for node in all_inlines(article) if isinstance(node, NoteRef)]
    assert refs == ["1", "2", "3", "2"]
    assert "Notes" not in plain_text_blocks(article.body)


@pytest.mark.parametrize(
    "notes",
    [
        "Notes\n\n[1] First source.\n[2] Second source.",
        "Notes:\n\n[1] First source. [2] Second source.",
        "## Notes\n\n[1] First source.\n\n[2] Second source.",
        "**Notes**\n\n1. First source.\n2. Second source.",
    ],
)
def test_notes_written_as_paragraphs_or_lists(notes: str) -> None:
    article = read_article(f"# Title\n\nA claim[1] and another[2].\n\n{notes}\n".encode())
    assert article.notes == (
        Note("1", (Paragraph((Text("First source."),)),)),
        Note("2", (Paragraph((Text("Second source."),)),)),
    )
    assert article.body == (Paragraph((Text("A claim"), NoteRef("1"), Text(" and another"), NoteRef("2"), Text("."))),)


def test_marker_linked_to_its_note_becomes_a_reference() -> None:
    article = read_article(
        b"# Title\n\nA claim[[1]](https://example.org/page#_ftn1).\n\n#### Notes\n\n"
        b"1. [[1]](https://example.org/page#_ftnref1) The source.\n"
    )
    assert article.body == (Paragraph((Text("A claim"), NoteRef("1"), Text("."))),)
    assert [n.label for n in article.notes] == ["1"]


def test_footnote_syntax_in_a_page_dump() -> None:
    article = read_article(b"# Title\n\nA claim.[^a]\n\n[^a]: The source.\n")
    assert article.body == (Paragraph((Text("A claim."), NoteRef("a"))),)
    assert article.notes == (Note("a", (Paragraph((Text("The source."),)),)),)


# --------------------------------------------------------------------------- structure


def test_structure_headings_lists_quotes_figures() -> None:
    article = fixture("structure.md")
    body = article.body
    assert body[0] == Figure((Text("Featured image: The council chamber during the 2019 budget vote"),))
    headings = [(b.level, plain_text(b.content)) for b in body if isinstance(b, Heading)]
    # "##" is the highest level in the text, so it becomes level 1
    assert headings == [(1, "Where the money comes from"), (1, "Reading the tables"), (2, "A note on debt")]
    bullets = [b for b in body if isinstance(b, BulletList)]
    assert len(bullets) == 1 and len(bullets[0].items) == 3
    assert bullets[0].items[0] == (Paragraph((Text("property taxes, collected twice a year;"),)),)
    numbered = [b for b in body if isinstance(b, OrderedList)]
    assert len(numbered) == 1 and numbered[0].start == 1
    assert [plain_text_blocks(item) for item in numbered[0].items] == [
        "Find the total for the year.",
        "Compare it with the previous year.",
        "Look for lines that changed by more than ten per cent.",
    ]
    assert (
        Figure(
            (Text("Spending by department, 2015 to 2019"),),
            Image("https://example.com/images/spending-chart.png", "Chart of spending by department"),
        )
        in body
    )
    assert (
        BlockQuote(
            (
                Paragraph((Text("The accounts present fairly the financial position of the city."),)),
                Paragraph((Text("They do not, and cannot, say whether the money was well spent."),)),
            )
        )
        in body
    )
    assert (
        Paragraph(
            (
                Text("This distinction is "),
                Emph((Text("the"),)),
                Text(" key to reading any audit, and it is "),
                Strong((Text("not"),)),
                Text(" a technicality."),
            )
        )
        in body
    )
    assert body[-1] == Figure((Text("Featured image is from the City Council"),))
    # the list intro ("... three ways:") is not glued to the list, nor lifted into a quote
    assert Paragraph((Text("Most of the income arrives in three ways:"),)) in body


def test_quote_paragraphs_separated_by_blank_lines_are_one_quote() -> None:
    article = read_article(b"# T\n\nBefore.\n\n> First paragraph.\n\n> Second paragraph.\n\nAfter.\n")
    assert article.body[1] == BlockQuote(
        (Paragraph((Text("First paragraph."),)), Paragraph((Text("Second paragraph."),)))
    )


def test_list_right_under_its_intro_line() -> None:
    article = read_article(b"# T\n\nThe reasons are:\n- one\n- two\n")
    assert article.body == (
        Paragraph((Text("The reasons are:"),)),
        BulletList(((Paragraph((Text("one"),)),), (Paragraph((Text("two"),)),))),
    )


def test_wrapped_line_starting_with_a_number_is_not_a_list() -> None:
    article = read_article(b"# T\n\nThe mill was founded in\n1974. It still runs.\n")
    assert article.body == (Paragraph((Text("The mill was founded in 1974. It still runs."),)),)


def test_italic_editorial_note_on_top_is_not_a_caption() -> None:
    article = read_article(b"# T\n\n*This article was originally published on Example News.*\n\nText.\n")
    assert isinstance(article.body[0], Paragraph)


# --------------------------------------------------------------------------- chrome


def test_promotion_lines_share_links_and_rules_are_dropped() -> None:
    article = fixture("promotion-chrome.md")
    assert article.body == (
        Paragraph(
            (
                Text(
                    "When a currency loses a third of its value in a year, traders stop quoting prices in it. "
                    "In the border towns they have started to quote them in sacks of rice and litres of diesel."
                ),
            )
        ),
        Paragraph(
            (
                Text(
                    "The central bank calls the practice informal and temporary. The traders call it the only contract "
                    "they can still trust."
                ),
            )
        ),
    )
    meta = article.metadata
    assert meta.authors == ("Rafael Mendes",)
    assert meta.subjects == (Subject("Latin America & Caribbean", "region"), Subject("Global Economy", "theme"))
    assert meta.rights.copyright == "Copyright \u00a9 Rafael Mendes, Global Research, 2022"
    assert not any(isinstance(node, Link) for node in all_inlines(article))


def test_image_promotion_lines_rule_then_caption() -> None:
    """The newer page layout: image, promotion lines and their rule, then the image's caption."""
    article = fixture("image-promotion.md")
    assert article.body[0] == Figure(
        (Text("A caravan leaving Bilma with slabs of salt, in November"),),
        Image("https://example.org/wp-content/uploads/2023/01/caravan.jpg"),
    )
    assert article.body[1:] == (
        Paragraph(
            (
                Text(
                    "The salt caravans still cross the desert every autumn, although trucks now carry most of the "
                    "load. The camels go where the trucks cannot."
                ),
            )
        ),
        Paragraph((Emph((Text("Idrissa Maiga writes about trade and transport in West Africa."),)),)),
        Figure((Text("Featured image is from Wikimedia Commons"),)),
    )
    meta = article.metadata
    assert meta.authors == ("Idrissa Maiga",)
    assert meta.subjects == (Subject("sub-Saharan Africa", "region"),)
    assert (meta.date, meta.rights.copyright_year) == (dt.date(2023, 1, 5), 2023)


@pytest.mark.parametrize(
    "line",
    [
        "Global Research Articles Can be Read in 51 Languages by Activating the Translate Website Drop Down Menu on "
        "the top banner of our home page (Desktop version).",
        "To receive Global Research's Daily Newsletter (selected articles), click here.",
        "Click the share button above to email/forward this article to your friends and colleagues. Follow us on "
        "Instagram and Twitter and subscribe to our Telegram Channel. Feel free to repost and share widely Global "
        "Research articles.",
        "*Visit and follow us on Instagram at @crg_globalresearch.*",
        "***[Become a Member of Global Research](https://store.globalresearch.ca/member/)***",
        "Articles by: [Someone](#)",
        "[Share](https://www.facebook.com/sharer/sharer.php?u=x) \u00b7 [Tweet](https://twitter.com/intent/tweet?u=x)",
    ],
)
def test_chrome_line_anywhere(line: str) -> None:
    text = f"# T\n\nFirst paragraph of the text.\n\n{line}\n\nLast paragraph of the text.\n"
    assert plain_text_blocks(read_article(text.encode()).body) == (
        "First paragraph of the text.\n\nLast paragraph of the text."
    )


def test_content_that_resembles_chrome_is_kept() -> None:
    body = [
        "Follow us on this long journey through the archives. It will take a while.",
        "Donated funds went to the hospital.",
        "Copyright law is older than the printing press in some countries.",
        "For the full report, click here and read the annex.",
    ]
    article = read_article(("# T\n\n" + "\n\n".join(body) + "\n").encode())
    assert plain_text_blocks(article.body) == "\n\n".join(body)
    assert article.metadata.rights == Rights()


def test_chrome_lines_inside_a_paragraph_go_alone() -> None:
    article = read_article(b"# T\n\nThe text stays.  \nFeel free to repost and share widely Global Research articles.")
    assert article.body == (Paragraph((Text("The text stays."),)),)


# --------------------------------------------------------------------------- articles without furniture


def test_bare_article_invents_nothing() -> None:
    article = fixture("bare-article.md")
    meta = article.metadata
    assert meta.title == "Why Lighthouses Still Matter"
    assert (meta.authors, meta.date, meta.publisher, meta.subjects, meta.subtitle) == ((), None, "", (), "")
    assert meta.rights == Rights() and meta.rights.is_empty()
    assert article.notes == ()
    assert [plain_text(b.content) for b in article.body if isinstance(b, Paragraph)] == [
        "Satellite navigation has made most lighthouses redundant for large ships, yet coastal authorities keep "
        "lighting them every night.",
        "Small boats, whose electronics fail more often than anyone admits, still steer by the lights. So do the "
        "crews of larger vessels when a storm takes out their antennas.",
        "Keeping a light burning costs less than a single rescue.",
    ]


def test_plain_text_with_a_title_line() -> None:
    article = fixture("plain-text.txt")
    meta = article.metadata
    assert meta.title == "Notes From a Night Train"
    assert (meta.authors, meta.date, meta.publisher, meta.subjects) == ((), None, "", ())
    assert meta.rights.is_empty() and article.notes == ()
    assert len(article.body) == 2 and all(isinstance(b, Paragraph) for b in article.body)
    assert detect_format((FIXTURES / "plain-text.txt").read_bytes(), ".txt") == "article"


@pytest.mark.parametrize(
    ("text", "title", "first"),
    [
        (b"Title\n=====\n\nText.\n", "Title", "Text."),
        (b"# Title\nText right under the title.\n", "Title", "Text right under the title."),
        (b"# Title\nBy Ann One\n\nText.\n", "Title", "Text."),
        (b"A sentence that ends with a full stop.\n\nText.\n", "", "A sentence that ends with a full stop."),
        (b"- a list item\n\nText.\n", "", "a list item"),
    ],
)
def test_title_forms(text: bytes, title: str, first: str) -> None:
    article = read_article(text)
    assert article.metadata.title == title
    assert plain_text_blocks(article.body[:1]) == first


# --------------------------------------------------------------------------- encodings and line ends


def _encodings(text: str) -> dict[str, bytes]:
    crlf = text.replace("\n", "\r\n")
    return {
        "utf-8": text.encode("utf-8"),
        "utf-8 crlf": crlf.encode("utf-8"),
        "utf-8 bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-8 bom crlf": codecs.BOM_UTF8 + crlf.encode("utf-8"),
        "utf-16-le bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-le bom crlf": codecs.BOM_UTF16_LE + crlf.encode("utf-16-le"),
        "utf-16-be bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
        "windows-1252": text.encode("cp1252"),
        "windows-1252 crlf": crlf.encode("cp1252"),
        "cr only": text.replace("\n", "\r").encode("utf-8"),
    }


ENCODED_FIXTURE = "two-authors.md"  # curly quotes, an accented word, the copyright sign


@pytest.mark.parametrize("encoding", list(_encodings("x")))
def test_every_encoding_and_line_end_gives_the_same_article(encoding: str) -> None:
    text = (FIXTURES / ENCODED_FIXTURE).read_text("utf-8")
    assert any(ch in text for ch in "\u201c\u201d\u00a9\u00e9")
    reference = fixture(ENCODED_FIXTURE)
    data = _encodings(text)[encoding]
    assert read_article(data) == reference
    assert convert.read(data) == reference


# --------------------------------------------------------------------------- format detection


@pytest.mark.parametrize(
    ("data", "suffix", "expected"),
    [
        (b"Title\n\nSome text.\n", ".txt", "article"),
        (b"# Title\n\nSome text.\n", ".md", "article"),
        (b"# Title\n\nSome text.\n", "", "article"),
        (b"---\ntitle: T\nauthor:\n- A\n---\n\nText.\n", ".md", "md"),
        (b"---\ntitle: T\n...\n\nText.\n", "", "md"),
        (b"---\n---\n\nText.\n", ".md", "md"),
        (b"---\n\nA page dump that starts with a rule.\n\n---\n", ".md", "article"),
        (b'{\n  "ir-version": 1,\n  "type": "Article"\n}\n', "", "json"),
        (b'{"ir-version": 1}', ".txt", "json"),
        (b"[]", ".json", "json"),
        (b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', "", "tei"),
        (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', ".txt", "tei"),
        (b"<root/>", ".xml", "tei"),
        (codecs.BOM_UTF16_LE + "---\ntitle: T\n---\n".encode("utf-16-le"), "", "md"),
    ],
)
def test_detect_format(data: bytes, suffix: str, expected: str) -> None:
    assert detect_format(data, suffix) == expected


def test_detect_html() -> None:
    assert detect_format(b"<!DOCTYPE html><html><body>x</body></html>", ".html") == "html"
    assert detect_format(b"<!DOCTYPE html><html><body>x</body></html>", ".txt") == "html"
    assert detect_format(b"\n  <html lang='en'><head><title>x</title></head></html>") == "html"


def test_detect_survives_a_character_cut_at_the_sample_end() -> None:
    data = b"---\ntitle: T\n---\n" + "\u00e9".encode() * 5000
    assert detect_format(data) == "md"
    assert detect_format(codecs.BOM_UTF16_LE + ("\U0001f600" * 3000).encode("utf-16-le")) == "article"


def test_format_argument_overrides_detection(tmp_path: Path) -> None:
    front = b"---\ntitle: From the front matter\n---\n\nBy Ann Example\n\nText.\n"
    assert convert.read(front).metadata.authors == ()  # md: no heuristics
    as_article = convert.read(front, format="article")
    assert as_article.metadata.authors == ("Ann Example",)
    path = tmp_path / "dump.json"
    path.write_bytes(b"# Title\n\nText.\n")
    assert convert.read(path, format="article").metadata.title == "Title"


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "data", [b"", b"   \n\n\t\n", "\ufeff".encode(), codecs.BOM_UTF16_LE], ids=["empty", "blank", "bom", "bom16"]
)
def test_empty_input_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        read_article(data)
    with pytest.raises(InputError):
        convert.read(data)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02\x03\x04\x05\x06\x07",
        bytes((i * 7919) % 251 for i in range(5000)),
    ],
    ids=["all-bytes", "png", "pdf", "noise"],
)
def test_binary_garbage_is_a_one_line_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        convert.read(data)
    assert "\n" not in str(info.value)


def test_a_5_mb_article_reads_in_reasonable_time() -> None:
    one = SAMPLE.read_bytes()
    big = one * (5 * 1024 * 1024 // len(one) + 1)
    assert len(big) > 5 * 1024 * 1024
    started = time.perf_counter()
    article = read_article(big)
    elapsed = time.perf_counter() - started
    assert article.metadata.title.startswith("Towards A Russia-Pakistan")
    assert len(article.body) > 1000
    assert elapsed < 60, f"{elapsed:.1f} s"


def _depth(block: Block) -> int:
    depth = 0
    while isinstance(block, BlockQuote) and block.blocks:
        depth += 1
        block = block.blocks[0]
    return depth


@pytest.mark.parametrize(
    "data",
    [
        b"> " * 1000 + b"deep\n",
        b"\n".join(b">" * k + b" line" for k in range(1, 1001)),
        b">" * 1000 + b" deep\n",
    ],
    ids=["one-line", "staircase", "no-spaces"],
)
def test_deeply_nested_quotes_give_a_bounded_result(data: bytes) -> None:
    article = read_article(data)
    assert 1 <= _depth(article.body[0]) <= 40
    assert "deep" in texts(article) or "line" in texts(article)
    # the writers cope with it too
    for fmt in ("md", "json"):
        assert convert.render(article, fmt)


def test_deeply_nested_lists_and_emphasis_are_bounded() -> None:
    lists = b"\n".join(b"  " * k + b"- item" for k in range(1000))
    assert read_article(lists).body
    emphasis = b"*a " * 500 + b"x" + b" b*" * 500
    article = read_article(b"# T\n\n" + emphasis + b"\n")
    assert convert.render(article, "md")


def test_unterminated_code_fence_stops_at_the_blank_line() -> None:
    article = fixture("unterminated-fence.md")
    assert CodeBlock("def broken():\n    return 1", "python") in article.body
    assert article.body[-1] == Paragraph((Text("The text goes on after it, and the notes are still read."),))
    assert [n.label for n in article.notes] == ["1"]
    assert note_ref_order(article) == ["1"]


def test_code_block_keeps_its_blank_lines() -> None:
    article = read_article(b"# T\n\n```\nline one\n\n\nline four\n```\n")
    assert article.body == (CodeBlock("line one\n\n\nline four"),)


_UNSAFE = ("javascript:", "vbscript:", "data:", "file:")


def test_html_and_script_urls_never_reach_the_ir() -> None:
    article = fixture("html-injection.md")
    dumped = article_to_json(article).lower()
    markup = ("<script", "</script", "<iframe", "<img", "onerror", "onclick", "<style", "<a ", "alert(", "display:")
    for needle in markup:
        assert needle not in dumped, needle
    links = [node for node in all_inlines(article) if isinstance(node, Link)]
    assert links == [Link((Text("the example site"),), "https://example.org/page")]
    text = plain_text_blocks(article.body)
    assert "Links that must become text: click me, or me, data, vb, local, spaced and encoded." in text
    assert "anchor text stays as text." in text
    for figure in (b for b in article.body if isinstance(b, Figure)):
        assert figure.image is None or not figure.image.src.lower().startswith(_UNSAFE)
    assert [b for b in article.body if isinstance(b, Figure)] == [Figure((Text("tracker"),))]


def test_no_code_node_carries_markup_by_accident() -> None:
    article = fixture("html-injection.md")
    assert not [node for node in all_inlines(article) if isinstance(node, Code)]
