"""Notes in the styles saved articles write them: entries, markers, headings, sections (synthetic texts)."""

from __future__ import annotations

import pytest

from convert.errors import collect_warnings
from convert.ir.model import Article, Inline, NoteRef, OrderedList, Superscript
from convert.ir.walk import block_inlines, iter_inlines, note_ref_order, plain_text_blocks
from convert.readers.article import read_article


def read(text: str) -> Article:
    return read_article(text.encode(), detect_language=False)


def refs(article: Article) -> list[str]:
    """The labels of the note references of the body, in order (repeats included)."""
    found: list[Inline] = []
    for block in article.body:
        found.extend(_inlines_of(block))
    return [node.label for node in found if isinstance(node, NoteRef)]


def _inlines_of(block: object) -> list[Inline]:
    out: list[Inline] = []
    for content in block_inlines(block):  # type: ignore[arg-type]
        out.extend(iter_inlines(content))
    return out


def note_texts(article: Article) -> dict[str, str]:
    return {n.label: " ".join(plain_text_blocks(n.blocks).split()) for n in article.notes}


def body_text(article: Article) -> str:
    return " ".join(plain_text_blocks(article.body).split())


CLAIMS = "# A title\n\nThe first claim[1] and the second claim[2] are both sourced.\n\n"


# --------------------------------------------------------------------------- entries


def test_continuation_paragraph_between_entries_belongs_to_the_entry() -> None:
    article = read(CLAIMS + "## Notes\n\n[1] The first source.\n\nMore about the first source.\n\n[2] The second.\n")
    assert note_texts(article) == {"1": "The first source. More about the first source.", "2": "The second."}
    assert len(article.notes[0].blocks) == 2


def test_continuation_paragraph_splitting_an_ordered_list() -> None:
    entries = "1. The first source.\n\nIts second paragraph, not indented.\n\n2. The second.\n3. A third.\n"
    text = CLAIMS + "Notes\n\n" + entries
    article = read(text)
    assert [n.label for n in article.notes] == ["1", "2", "3"]
    assert note_texts(article)["1"] == "The first source. Its second paragraph, not indented."
    assert "second paragraph" not in body_text(article)


def test_indented_continuation_paragraphs_in_a_list() -> None:
    article = read(CLAIMS + "## Endnotes\n\n1. The first source.\n\n   Indented more.\n\n2. The second.\n")
    assert note_texts(article) == {"1": "The first source. Indented more.", "2": "The second."}


def test_hard_wrapped_entries_without_blank_lines() -> None:
    entries = (
        "[1] Doe, J. (2001). A long title that\nwraps onto a second line. Journal 3.\n[2] Roe, R.\n(2004). Another.\n"
    )
    text = CLAIMS + "References\n\n" + entries
    article = read(text)
    assert note_texts(article) == {
        "1": "Doe, J. (2001). A long title that wraps onto a second line. Journal 3.",
        "2": "Roe, R. (2004). Another.",
    }


# --------------------------------------------------------------------------- markers


def test_link_markers_to_the_notes_fragment() -> None:
    article = read("# T\n\nA claim[1](#note1) and another[2](#note2).\n\n## Notes\n\n1. One.\n2. Two.\n")
    assert refs(article) == ["1", "2"]
    assert body_text(article) == "A claim and another."


def test_superscript_markers_plain_and_linked() -> None:
    text = (
        "# T\n\nA claim<sup>1</sup> and another[<sup>2</sup>](#footnotes).\n\n"
        "## Footnotes\n\n<sup>1</sup> One.\n\n<sup>2</sup> Two.\n"
    )
    article = read(text)
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert refs(article) == ["1", "2"]


def test_caret_markers() -> None:
    article = read("# T\n\nA claim^1 and a power x^2 and 10^3 stay.\n\n## Notes\n\n1. One.\n2. Two.\n3. Three.\n")
    assert refs(article) == ["1"]
    assert "x^2" in body_text(article) and "10^3" in body_text(article)


def test_labelled_references_cited_in_the_text() -> None:
    text = (
        "# T\n\nAs HTTP [RFC2068] says, and the machine [COKE] shows.\n\n"
        "References\n\n[RFC2068] Fielding, R., HTTP/1.1, RFC 2068.\n\n[COKE] Nichols, D., Coke machine history.\n\n"
        "[SAFE] Holtman, K., never cited.\n"
    )
    article = read(text)
    assert [n.label for n in article.notes] == ["RFC2068", "COKE", "SAFE"]
    assert refs(article) == ["RFC2068", "COKE"]


def test_markdown_footnotes_defined_mid_text() -> None:
    text = "# T\n\nA claim[^src] here.\n\n[^src]: The source.\n\nMore text[^two].\n\n[^two]: Another.\n"
    article = read(text)
    assert [n.label for n in article.notes] == ["src", "two"]
    assert refs(article) == ["src", "two"]


# --------------------------------------------------------------------------- lists and headings


@pytest.mark.parametrize(
    "entries",
    [
        "1) One.\n2) Two.",
        "(1) One.\n(2) Two.",
        "(1) One.\n\n(2) Two.",
        "<sup>1</sup> One.\n<sup>2</sup> Two.",
        "[1] One.\n[2] Two.",
        "1. One.\n2. Two.",
        "- [1] One.\n- [2] Two.",
    ],
)
def test_entry_styles(entries: str) -> None:
    article = read(CLAIMS + "## Notes\n\n" + entries + "\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert refs(article) == ["1", "2"]


@pytest.mark.parametrize(
    "heading",
    [
        "Notes",
        "## Endnotes",
        "**Footnotes**",
        "### References:",
        "Sources",
        "## Notes and references",
        "Bibliography",
        "## Anmerkungen",
        "## Notas",
        "## Примечания",
        "## 注",
        "## 脚注",
        "## 参考文献",
        "## ملاحظات",
        "## 9. References",
        "**Notes:**",
    ],
)
def test_note_headings(heading: str) -> None:
    article = read(CLAIMS + heading + "\n\n1. One.\n2. Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert refs(article) == ["1", "2"]


def test_notes_heading_glued_to_the_last_sentence() -> None:
    article = read(CLAIMS + "The last sentence of the text.Notes\n\n1. One.\n2. Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert body_text(article).endswith("The last sentence of the text.")


def test_references_in_a_numbered_section_of_a_plain_text() -> None:
    text = (
        "# T\n\n1. Introduction\n\n   The protocol [RFC2068] is used.\n\n2. References\n\n"
        "   [RFC2068] Fielding, R., HTTP/1.1.\n\n   [CAM] The coffee machine.\n\n3. Author's Address\n\n   A. Person\n"
    )
    article = read(text)
    assert [n.label for n in article.notes] == ["RFC2068", "CAM"]
    assert refs(article) == ["RFC2068"]
    assert "Author's Address" in body_text(article) and "References" not in body_text(article)


# --------------------------------------------------------------------------- several sections


def test_several_note_sections_are_scoped() -> None:
    text = (
        "# T\n\n## Part one\n\nA claim[1] and another[2].\n\n### Notes\n\n1. Part one, one.\n2. Part one, two.\n\n"
        "## Part two\n\nA later claim[1] and more[2].\n\n### Notes\n\n1. Part two, one.\n2. Part two, two.\n"
    )
    article = read(text)
    labels = [n.label for n in article.notes]
    assert len(set(labels)) == 4
    texts = note_texts(article)
    assert refs(article) == labels
    assert [texts[label] for label in refs(article)] == [
        "Part one, one.",
        "Part one, two.",
        "Part two, one.",
        "Part two, two.",
    ]
    assert "Part two" in body_text(article)


# --------------------------------------------------------------------------- look-alikes


def test_numbered_list_without_heading_stays_in_the_body() -> None:
    article = read("# T\n\nThe steps are simple.\n\n1. Open the box.\n2. Take the lid off.\n\nThat is all.\n")
    assert article.notes == ()
    assert any(isinstance(b, OrderedList) for b in article.body)


def test_release_notes_list_stays_in_the_body() -> None:
    article = read(CLAIMS + "Release Notes\n\n1. Draft one, February 3.\n2. Edited, February 4.\n")
    assert article.notes == ()
    assert "Draft one" in body_text(article)


def test_unnumbered_reference_list_is_not_notes() -> None:
    text = "# T\n\nAs Doe (2001) showed.\n\n## References\n\n- Doe, J. (2001). A title.\n- Roe, R. (2004). Another.\n"
    article = read(text)
    assert article.notes == ()


def test_superscript_that_is_no_note_stays() -> None:
    article = read("# T\n\nThe 1<sup>st</sup> place and E = mc<sup>2</sup>.\n")
    assert article.notes == ()
    assert any(isinstance(node, Superscript) for b in article.body for node in _inlines_of(b))


# --------------------------------------------------------------------------- nothing lost


def test_uncited_entry_is_kept() -> None:
    article = read(CLAIMS + "## Notes\n\n1. One.\n2. Two.\n3. Never cited.\n")
    assert [n.label for n in article.notes] == ["1", "2", "3"]
    assert note_ref_order(article) == ["1", "2"]


def test_cited_label_without_entry_warns() -> None:
    text = "# T\n\nAs [RFC2068] and [WEBDAV] say.\n\n## References\n\n[RFC2068] Fielding, R., HTTP/1.1.\n"
    with collect_warnings() as found:
        article = read(text)
    assert "[WEBDAV]" in body_text(article)
    missing = [w for w in found if w.code == "notes.missing"]
    assert len(missing) == 1 and "WEBDAV" in missing[0].message


def test_note_entries_keep_their_content() -> None:
    article = read(CLAIMS + "## Notes\n\n[1] See [the report](https://example.org/r), p. 3.\n[2] Two.\n")
    assert note_texts(article) == {"1": "See the report, p. 3.", "2": "Two."}


def test_cited_entries_at_the_end_without_heading_are_notes() -> None:
    article = read(CLAIMS + "[1] The first source.\n\n[2] The second source.\n")
    assert note_texts(article) == {"1": "The first source.", "2": "The second source."}
    assert refs(article) == ["1", "2"]


def test_cited_numbered_list_at_the_end_without_heading_is_notes() -> None:
    article = read("# T\n\nA claim<sup>1</sup> and another<sup>2</sup>.\n\n---\n\n1. One.\n2. Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}


def test_uncited_numbered_list_at_the_end_stays() -> None:
    article = read("# T\n\nWhat to take, in 2 steps:\n\n1. A map.\n2. Water.\n")
    assert article.notes == ()


def test_heading_and_entries_wrapped_into_the_last_paragraph() -> None:
    article = read(CLAIMS + "The text ends here.\nNotes:\n[1] One.\n[2] Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert body_text(article).endswith("The text ends here.")


def test_heading_and_entries_in_one_paragraph() -> None:
    article = read(CLAIMS + "Endnotes\n(1) One.\n(2) Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}


def test_a_sentence_that_names_notes_is_no_heading() -> None:
    article = read(CLAIMS + "He kept the notes. See the notes [1] again.\n")
    assert article.notes == ()


def test_a_line_between_heading_and_entries_stays() -> None:
    article = read(CLAIMS + "## Notes\n\nAll links were checked in May.\n\n1. One.\n2. Two.\n")
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert body_text(article).endswith("All links were checked in May.")


def test_a_sentence_starting_with_a_heading_word_and_a_marker_stays() -> None:
    article = read("# T\n\nSources [1] say the army left.\n\n## Notes\n\n1. One.\n")
    assert body_text(article) == "Sources say the army left."
    assert refs(article) == ["1"]


def test_a_line_between_heading_and_entries_mid_text() -> None:
    text = CLAIMS + "## Notes\n\nAll links were checked in May.\n\n1. One.\n2. Two.\n\n## Appendix\n\nMore text.\n"
    article = read(text)
    assert note_texts(article) == {"1": "One.", "2": "Two."}
    assert "All links were checked in May. Appendix More text." in body_text(article)


def test_heading_word_after_a_link_goes_on_the_sentence() -> None:
    article = read("# T\n\nSee [the appendix](https://example.org/a) Notes\n\n1. A step.\n2. Another.\n")
    assert article.notes == ()
    assert "See the appendix Notes" in body_text(article)


def test_cjk_heading_glued_to_the_last_sentence() -> None:
    article = read("# 题\n\n第一个说法[1]。第二个说法[2]。脚注\n\n1. 一。\n2. 二。\n")
    assert note_texts(article) == {"1": "一。", "2": "二。"}
    assert refs(article) == ["1", "2"]


def test_the_written_out_tree_of_heading_words_is_current() -> None:
    from convert.readers.article import notes

    assert notes._prefix_tree(notes._HEADING_FIRST_WORDS) == notes._FIRST_WORDS
