"""Bibliographies: the IR node, every writer, the Markdown and TEI readers, and the article reader's step."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

import convert
from convert.errors import IRTypeError
from convert.ir.jsonio import article_from_json, article_to_json
from convert.ir.model import (
    Article,
    BibEntry,
    Bibliography,
    BlockQuote,
    Emph,
    Heading,
    Image,
    Inline,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Text,
)
from convert.ir.walk import plain_text, query, walk_inline, walk_inlines
from convert.readers._mdparse import parse_blocks
from convert.readers.article import read_article
from convert.readers.article.bibliography import bibliography
from convert.readers.article.draft import Draft
from convert.readers.markdown import read_markdown
from convert.readers.tei import read_tei
from convert.writers.markdown import render_markdown
from convert.writers.tei import render_tei
from convert.xmlns import TEI_NS, XML_ID

from .validators import assert_valid_outputs, assert_valid_tei

T = {"t": TEI_NS}


def t(text: str) -> Text:
    return Text(text)


ENTRY = BibEntry((t("Okafor, N. (2019). "), Emph((t("Harbour Towns"),)), t(". Calder Press.")), "okafor2019")
BIB = Bibliography((ENTRY, BibEntry((t("Anonymous (n.d.). A pamphlet."),))), (t("References"),))
CITING = Paragraph((t("As shown ("), Link((t("Okafor, 2019"),), "#ref-okafor2019"), t("), harbours grew.")))
ARTICLE = Article(Metadata(title="Harbours", language="en"), (CITING, BIB))


# --------------------------------------------------------------------------- the IR


def test_constructor_checks() -> None:
    with pytest.raises(IRTypeError, match=r"BibEntry\.label must be empty or a name"):
        BibEntry((t("x"),), "2019smith")
    with pytest.raises(IRTypeError, match=r"Bibliography\.entries\[0\] must be a BibEntry"):
        Bibliography((Paragraph((t("x"),)),))  # type: ignore[arg-type]
    with pytest.raises(IRTypeError, match=r"Bibliography\.entries must be entries with distinct labels"):
        Bibliography((ENTRY, ENTRY))
    assert Bibliography([ENTRY]).entries == (ENTRY,)  # a list is taken as a tuple
    assert BibEntry((), "müller2019.b").label == "müller2019.b"


def test_walks_reach_title_and_entries() -> None:
    upper = walk_inline(lambda n: Text(n.text.upper()) if isinstance(n, Text) else n, ARTICLE)
    (bib,) = [b for b in upper.body if isinstance(b, Bibliography)]
    assert plain_text(bib.title) == "REFERENCES" and plain_text(bib.entries[1].content).startswith("ANONYMOUS")
    assert bib.entries[0].label == "okafor2019"
    assert walk_inlines(lambda seq: seq, ARTICLE) is ARTICLE  # nothing changed: the same object
    texts = query(lambda n: (n.text,) if isinstance(n, Text) else (), BIB)
    assert texts[0] == "References" and "Anonymous (n.d.). A pamphlet." in texts


def test_json_round_trip() -> None:
    assert article_from_json(article_to_json(ARTICLE)) == ARTICLE


# --------------------------------------------------------------------------- Markdown


def test_markdown_writes_pandoc_reference_divs() -> None:
    text = render_markdown(ARTICLE)
    assert ":::: {#refs .references}\n# References\n\n::: {#ref-okafor2019 .csl-entry}\n" in text
    assert "::: csl-entry\nAnonymous (n.d.). A pamphlet.\n:::\n::::" in text
    assert "[Okafor, 2019](#ref-okafor2019)" in text
    assert read_markdown(text.encode()).body == ARTICLE.body
    for flavor in ("gfm", "commonmark"):
        other = render_markdown(ARTICLE, flavor)
        assert '<div id="refs" class="references">' in other and '<div id="ref-okafor2019" class="csl-entry">' in other


def test_markdown_reads_what_pandoc_citeproc_writes() -> None:
    text = (
        "Text.\n\n# References {.unnumbered}\n\n"
        '::: {#refs .references .csl-bib-body .hanging-indent entry-spacing="0" role="list"}\n'
        '::: {#ref-okafor2019 .csl-entry role="listitem"}\n'
        "Okafor, N. 2019. *Harbour Towns*. Calder Press.\n:::\n\n"
        "::: {#ref-9bad .csl-entry}\nAn id that is no label.\n:::\n"
        ":::\n"
    )
    body = read_markdown(text.encode()).body
    bib = body[-1]
    assert isinstance(bib, Bibliography) and bib.title == ()
    assert [e.label for e in bib.entries] == ["okafor2019", ""]
    assert plain_text(bib.entries[0].content) == "Okafor, N. 2019. Harbour Towns. Calder Press."
    assert isinstance(body[-2], Heading)  # a heading before the div stays a heading


def test_markdown_other_divs_unchanged() -> None:
    blocks = read_markdown(b"::: {.note}\nInside.\n:::\n\n::: figure\n![a](x.png)\n:::\n").body
    assert blocks[0] == Paragraph((t("Inside."),)) and not any(isinstance(b, Bibliography) for b in blocks)


# --------------------------------------------------------------------------- TEI


def test_tei_back_matter_and_round_trip() -> None:
    data = render_tei(ARTICLE)
    root = etree.fromstring(data)
    (div,) = root.findall(".//t:back/t:div[@type='bibliography']", T)
    bibls = div.findall("t:listBibl/t:bibl", T)
    assert div.findtext("t:listBibl/t:head", namespaces=T) == "References"
    assert bibls[0].get(XML_ID) == "ref-okafor2019" and bibls[1].get(XML_ID) is None
    assert root.find(".//t:body//t:listBibl", T) is None
    assert read_tei(data).body == ARTICLE.body


def test_tei_in_place_images_notes_and_repeated_labels() -> None:
    """A bibliography inside the text stays there; images and formulas in a seg; a repeated label in @n.

    Both documents are valid (tei_all: the schema takes seconds to load, so only here).
    """
    first = Bibliography((BibEntry((Image("a.png"), t(" and "), Math("x^2")), "okafor2019"),))
    body = (BlockQuote((first,)), Paragraph((t("x"), NoteRef("1"))), Bibliography((BibEntry((t("y"),), "okafor2019"),)))
    article = Article(Metadata(title="T"), body, (Note("1", (Paragraph((t("n"),)),)),))
    data = render_tei(article)
    root = assert_valid_tei(data)
    assert_valid_tei(render_tei(ARTICLE))
    assert root.find(".//t:body/t:quote/t:listBibl", T) is not None
    assert root.find(".//t:back//t:bibl[@n='okafor2019']", T) is not None
    again = read_tei(data)
    assert again.body == article.body and again.notes == article.notes


def test_tei_reads_hand_written_lists() -> None:
    tei = f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
    <publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
    <text><body><p>Text.</p></body><back><div type="bibliography"><listBibl><head>Works cited</head>
    <bibl xml:id="smith2019"><author>Smith, J.</author> (2019). <title>A Book</title>.</bibl>
    <biblStruct><monogr><author>Lee, K.</author><imprint><date>2020</date></imprint></monogr></biblStruct>
    </listBibl></div></back></text></TEI>""".encode()
    bib = read_tei(tei).body[-1]
    assert isinstance(bib, Bibliography) and plain_text(bib.title) == "Works cited"
    assert bib.entries[0].label == "smith2019"
    assert bib.entries[0].content[-2:] == (Emph((t("A Book"),)), t("."))
    assert " ".join(plain_text(bib.entries[1].content).split()) == "Lee, K. 2020"


# --------------------------------------------------------------------------- HTML and EPUB


def test_html_section() -> None:
    page = etree.HTML(convert.render(ARTICLE, "html"))
    (section,) = page.findall(".//section[@role='doc-bibliography']")
    assert section.findtext("h2") == "References"
    items = section.findall("ul/li")
    assert items[0].get("id") == "ref-okafor2019" and items[1].get("id") is None
    assert page.find(".//p/a[@href='#ref-okafor2019']") is not None
    untitled = Article(Metadata(title="T"), (Bibliography((BibEntry((t("x"),)),)),))
    assert etree.HTML(convert.render(untitled, "html")).findtext(".//section/h2") == "References"


def test_epub_keeps_citation_links_to_entries(tmp_path: Path) -> None:
    import io
    import zipfile

    data = convert.render(ARTICLE, "epub")
    (tmp_path / "bibliography.epub").write_bytes(data)
    assert assert_valid_outputs(tmp_path) == 1  # EPUBCheck
    book = zipfile.ZipFile(io.BytesIO(data))
    text = book.read("EPUB/text.xhtml").decode() if "EPUB/text.xhtml" in book.namelist() else ""
    if not text:
        (name,) = [n for n in book.namelist() if n.endswith("text.xhtml")]
        text = book.read(name).decode()
    assert 'role="doc-bibliography"' in text and 'epub:type="bibliography"' in text
    assert 'href="#ref-okafor2019"' in text and 'id="ref-okafor2019"' in text


# --------------------------------------------------------------------------- the article reader's step


def run(text: str) -> list[object]:
    doc = parse_blocks(text, scraper=True)
    draft = Draft(None, doc.blocks, doc.footnotes)
    bibliography(draft)
    return list(draft.blocks)


def bibs(blocks: list[object]) -> list[Bibliography]:
    return [b for b in blocks if isinstance(b, Bibliography)]


def links(content: tuple[Inline, ...]) -> list[tuple[str, str]]:
    return [(plain_text(n.content), n.target) for n in content if isinstance(n, Link)]


REFS = (
    "Baptiste, R., & Hollis, T. (2018). Measuring things. *Field Studies*, 12, 45-67.\n\n"
    "Okafor, N. (2019a). *Harbour Towns*. Calder Press.\n\n"
    "Okafor, N. (2019b). Harbours again. *Coastal History*, 8, 1-30.\n"
)


@pytest.mark.parametrize(
    "heading",
    ["## References", "Bibliography", "**Works cited:**", "## Literatur", "Bibliographie", "### Литература",
     "## 参考文献", "Sources"],
)  # fmt: skip
def test_headed_list_becomes_bibliography(heading: str) -> None:
    blocks = run(f"Some text.\n\n{heading}\n\n{REFS}")
    (bib,) = bibs(blocks)
    assert len(blocks) == 2 and len(bib.entries) == 3
    assert plain_text(bib.title) == heading.strip("#*: ").rstrip(":")
    assert [e.label for e in bib.entries] == ["baptiste2018", "okafor2019a", "okafor2019b"]


def test_citations_link_to_entries() -> None:
    text = (
        "Earlier work (Baptiste & Hollis, 2018, p. 4; Okafor 2019a) agrees; Okafor (2019b) and "
        "Baptiste et al. (2018) too, but not Quill (2017) nor (Okafor, 2019) nor (Okafor, 2020).\n\n"
        f"## References\n\n{REFS}"
    )
    (para, _) = run(text)
    assert isinstance(para, Paragraph)
    assert links(para.content) == [
        ("Baptiste & Hollis, 2018, p. 4", "#ref-baptiste2018"),
        ("Okafor 2019a", "#ref-okafor2019a"),
        ("Okafor (2019b)", "#ref-okafor2019b"),
        ("Baptiste et al. (2018)", "#ref-baptiste2018"),
    ]


def test_chicago_style_without_heading_at_the_end() -> None:
    text = (
        "The trade grew, as Halvorsen (2016) shows.\n\n"
        "Halvorsen, Ingrid. 2016. *The Salt Roads*. Oslo: Fjell.\n\n"
        "Okafor, Nneka. 2019. \u201cHarbour Towns.\u201d *Coastal History* 8 (2): 101-30.\n\n"
        "Ruiz-Tagle, Mateo. 2021. *Ports and Power*. Santiago: Andes.\n\n"
        "\u00a9 2022 The Example Quarterly\n"
    )
    blocks = run(text)
    (bib,) = bibs(blocks)
    assert bib.title == () and len(bib.entries) == 3 and isinstance(blocks[-1], Paragraph)
    assert isinstance(blocks[0], Paragraph) and links(blocks[0].content) == [("Halvorsen (2016)", "#ref-halvorsen2016")]


def test_two_unheaded_references_are_not_enough() -> None:
    text = "Text.\n\nHalvorsen, I. (2016). *The Salt Roads*. Fjell.\n\nOkafor, N. (2019). *Harbours*. Calder.\n"
    assert not bibs(run(text))


def test_numbered_and_labelled_lists_are_left_for_the_notes() -> None:
    numbered = (
        "Text.\n\n## References\n\n1. Okafor, N. (2019). *Harbours*. Calder.\n2. Lee, K. (2020). Rivers. Press.\n"
    )
    labelled = "Text.\n\n## References\n\n[1] Okafor, N. (2019). *Harbours*. Calder.\n\n[2] Lee, K. (2020). Rivers.\n"
    assert not bibs(run(numbered)) and isinstance(run(numbered)[-1], OrderedList)
    assert not bibs(run(labelled))


def test_ordinary_lists_are_no_bibliography() -> None:
    packing = (
        "What we packed:\n\n- Tents, Two (2019). Bought for the lakes, and still good.\n"
        "- Stoves, Gas (2018 model), with spare cartridges.\n- Maps, Paper, 2020 edition, of the coast.\n"
    )
    timeline = "## Sources\n\nThe archive of the town council, 1890-1910, and letters.\n\nInterviews held in 2019.\n"
    prose = (
        "Paris, France. 2019. That was the year it all changed for us.\n\n"
        "London, England. 2020. Then came the move, and the new job.\n\n"
        "Berlin, Germany. 2021. Finally, a city that felt like home.\n"
    )
    assert not bibs(run(packing)) and not bibs(run(timeline))
    assert not bibs(run("Intro.\n\n" + prose + "\nThe end of the story, told at last.\n"))


def test_no_junk_first_entry() -> None:
    """Neither the heading nor an intro line becomes an entry."""
    text = f"Text.\n\n**References:**\n\nThe following works were consulted.\n\n{REFS}"
    blocks = run(text)
    (bib,) = bibs(blocks)
    assert [plain_text(e.content)[:8] for e in bib.entries] == ["Baptiste", "Okafor, ", "Okafor, "]
    assert plain_text(blocks[-2].content) == "The following works were consulted."  # type: ignore[attr-defined]


def test_entries_run_together_on_lines() -> None:
    text = "## 参考文献\n\n山田太郎（2010）『港町の歴史』海風社。\n佐藤花子（2015）「川と町」『地域研究』12号。\n"
    (bib,) = bibs(run(text))
    assert [plain_text(e.content)[:4] for e in bib.entries] == ["山田太郎", "佐藤花子"]


def test_reader_keeps_bibliography_out_of_the_notes() -> None:
    text = (
        "# Harbours\n\nBy Ann Writer\n\nThe claim (Okafor, 2019a) is disputed.[1]\n\n"
        f"## Notes\n\n[1] A note.\n\n## References\n\n{REFS}\nCopyright 2020 Ann Writer\n"
    )
    article = read_article(text.encode())
    assert [n.label for n in article.notes] == ["1"]
    (bib,) = bibs(list(article.body))
    assert len(bib.entries) == 3 and plain_text(bib.title) == "References"
    assert ("Okafor, 2019a", "#ref-okafor2019a") in links(article.body[0].content)  # type: ignore[union-attr]


def test_linear_in_the_input() -> None:
    entries = "".join(f"Author{k}, A. ({1900 + k % 100}). Title {k}. Press.\n\n" for k in range(3000))
    prose = "Some text (Author1, 1901) and more (see ( ( ( text 2019 Author2 (1902) " * 2000 + "\n\n"
    doc = parse_blocks(prose + "## References\n\n" + entries, scraper=True)
    draft = Draft(None, doc.blocks, doc.footnotes)
    start = time.perf_counter()
    bibliography(draft)
    assert time.perf_counter() - start < 2.0
    assert len(bibs(draft.blocks)[0].entries) == 3000
    assert len(links(draft.blocks[0].content)) == 4000  # type: ignore[union-attr]
