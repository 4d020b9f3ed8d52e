"""The header heuristics of the article reader on synthetic text: dates, bylines, titles and site names.

Each rule has invented cases in the shapes real saved pages have, and look-alikes it must leave alone.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from convert.readers._mdparse import parse_blocks
from convert.readers.article.bylines import byline, trailing_byline
from convert.readers.article.dates import parse_date
from convert.readers.article.draft import Draft
from convert.readers.article.header import read_header
from convert.readers.article.titles import split_site

D = dt.date

# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("March 3, 2020", D(2020, 3, 3), "day"),
        ("Friday, February 22, 1788", D(1788, 2, 22), "day"),
        ("8 Nov 2019", D(2019, 11, 8), "day"),
        ("1 April 1998", D(1998, 4, 1), "day"),
        ("01-Apr-2003", D(2003, 4, 1), "day"),
        ("2020-03-03", D(2020, 3, 3), "day"),
        ("2020/12/21", D(2020, 12, 21), "day"),
        ("February 2021", D(2021, 2, 1), "month"),
        ("Posted on Tuesday, 3rd March 2020", D(2020, 3, 3), "day"),
        ("2021 年 7 月 8 日", D(2021, 7, 8), "day"),
        ("1933年5月1日", D(1933, 5, 1), "day"),
        ("3.April 2023", D(2023, 4, 3), "day"),
    ],
)
def test_english_and_numeric_dates(text: str, date: D, precision: str) -> None:
    found = parse_date(text)
    assert found is not None, text
    assert (found.date, found.precision) == (date, precision)


@pytest.mark.parametrize(
    ("text", "language", "date", "precision"),
    [
        ("12 mars 2019", "fr", D(2019, 3, 12), "day"),
        ("4. Mai 2020", "de", D(2020, 5, 4), "day"),
        ("27 сентября 2012", "ru", D(2012, 9, 27), "day"),
        ("21 Agosto 2009", "es", D(2009, 8, 21), "day"),
        ("février 2021", "fr", D(2021, 2, 1), "month"),
        ("12 mars 2019", "", D(2019, 3, 12), "day"),  # no hint: a list of common languages
    ],
)
def test_dates_in_other_languages(text: str, language: str, date: D, precision: str) -> None:
    found = parse_date(text, language)
    assert found is not None, text
    assert (found.date, found.precision) == (date, precision)


@pytest.mark.parametrize(
    "text",
    [
        "March 3, 2020 was a Tuesday.",
        "Newsletter 2021",
        "Chapter 12 of 2021",
        "3 March 2999",  # far future: not a publication date
        "2020-13-45",
        "In May 2020 we moved.",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_date(text, "en") is None


def test_english_dates_do_not_import_dateparser() -> None:
    code = (
        "import sys\n"
        "from convert.readers.article.header import read_header\n"
        "read_header('# A Title\\n\\nby Jane Doe | April 18, 2007\\n\\nFebruary 2021\\n\\nText.\\n')\n"
        "from convert.readers.article.dates import parse_date\n"
        "assert parse_date('2020-03-03') and parse_date('1 April 1998')\n"
        "print('dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- bylines


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("by jane doe and John Roe", ()),  # no capital in a name: a sentence, not a byline
        ("by Jane Doe", ("Jane Doe",)),
        ("BY JANE DOE", ("JANE DOE",)),
        ("Par Jean Dupont", ("Jean Dupont",)),
        ("Von Hans Müller", ("Hans Müller",)),
        ("Автор: Иван Петров", ("Иван Петров",)),
        ("por María López y Ana Ruiz", ("María López", "Ana Ruiz")),
        ("Author: Jane Doe <jane@example.org>", ("Jane Doe",)),
        ("**Authors**: Jane Doe (Example Labs), John Roe (Example University)", ("Jane Doe", "John Roe")),
        ("By [Jane Doe](https://example.org/jane) und [Hans Roe](https://example.org/hans)", ("Jane Doe", "Hans Roe")),
        ("Jane Doe、John Roe 与 Ann Poe", ()),  # no byline word: not a byline on its own
        ("By Jane Doe, Senior Editor", ("Jane Doe",)),
        ("By Jane Doe, Example Department of Records", ("Jane Doe",)),
        ("_By Jane Doe, Example Agency_", ("Jane Doe",)),
        ("By the end of the season, the boats were gone.", ()),
        ("— @janedoe, on the forum", ()),
    ],
)
def test_bylines(line: str, names: tuple[str, ...]) -> None:
    assert byline(line) == names


def _header(text: str) -> tuple[dict[str, object], str]:
    fields, start = read_header(text)
    return dict(fields), text[start:]


def test_byline_with_date_after_a_bar() -> None:
    fields, rest = _header("# A Title\n\nBy Jane Doe | April 18, 2007\n\nThe text.\n")
    assert fields["authors"] == ("Jane Doe",)
    assert fields["date"] == D(2007, 4, 18)
    assert rest == "The text.\n"


def test_byline_publisher_date_and_from_site_on_one_line() -> None:
    text = "# A Title\n\nby Jane Doe The Example Review, April 18, 2007 from The Example Review Online\n\nThe text.\n"
    fields, rest = _header(text)
    assert fields["authors"] == ("Jane Doe",)
    assert fields["date"] == D(2007, 4, 18)
    assert fields["publisher"] == "The Example Review"
    assert fields["site"] == "The Example Review Online"
    assert rest == "The text.\n"


def test_from_line_then_byline_and_date_on_their_own_lines() -> None:
    text = "# A Title\n\nfrom The Example Review\n\nby Jane Doe\n\nApril 18, 2007\n\nThe text.\n"
    fields, rest = _header(text)
    assert fields["authors"] == ("Jane Doe",)
    assert fields["date"] == D(2007, 4, 18)
    assert fields["site"] == "The Example Review"
    assert rest == "The text.\n"


def test_date_then_byline_in_french() -> None:
    text = (
        "# Un titre\n\nLe 21 décembre 2020 par [Anne Dupont](https://example.org/a), Luc Martin et Léa Roy\n\n"
        "Le texte.\n"
    )
    fields, rest = _header(text)
    assert fields["authors"] == ("Anne Dupont", "Luc Martin", "Léa Roy")
    assert fields["date"] == D(2020, 12, 21)
    assert rest == "Le texte.\n"


def test_date_then_linked_names() -> None:
    text = "# 标题\n\n2021 年 7 月 8 日 [张三](https://example.org/a)、[李四](https://example.org/b) 与 [王五](https://example.org/c)\n\n正文。\n"
    fields, _ = _header(text)
    assert fields["authors"] == ("张三", "李四", "王五")
    assert fields["date"] == D(2021, 7, 8)


def test_month_precision() -> None:
    fields, _ = _header("# A Title\n\nFebruary 2021\n\nThe text.\n")
    assert fields["date"] == D(2021, 2, 1)
    assert fields["date_precision"] == "month"


def test_dateline_gives_publisher_and_date() -> None:
    text = (
        "\nA Numbered Essay No. 7\n\nFrom the Daily Example Courier Friday, March 14, 1788.\n\n"
        "Author: Jane Doe\n\nThe text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "A Numbered Essay No. 7"
    assert fields["publisher"] == "Daily Example Courier"
    assert fields["date"] == D(1788, 3, 14)
    assert fields["authors"] == ("Jane Doe",)
    assert rest == "The text.\n"


def _trailing(text: str) -> Draft:
    doc = parse_blocks(text, scraper=True)
    draft = Draft(None, doc.blocks)
    trailing_byline(draft)
    return draft


@pytest.mark.parametrize(
    ("text", "names", "blocks"),
    [
        ("The text.\n\n_By Jane Doe, Example Agency_\n", ("Jane Doe",), 1),
        ("The text.\n\n*By Jane Doe*\n\n## Related articles\n\n- [One](https://example.org/1)\n", ("Jane Doe",), 3),
        ("The text.\n\nBy Jane Doe\n", ("Jane Doe",), 1),
        ("The text.\n\nBy the end of it all, we were tired.\n", (), 2),
        ("By Jane Doe\n\n" + "A paragraph.\n\n" * 8, (), 9),  # not at the end
        ("The text.\n\n> A quotation.\n>\n> — @janedoe\n", (), 2),
    ],
)
def test_trailing_byline(text: str, names: tuple[str, ...], blocks: int) -> None:
    draft = _trailing(text)
    assert draft.fields.authors == names
    assert len(draft.blocks) == blocks


def test_trailing_byline_does_not_override_the_header() -> None:
    doc = parse_blocks("The text.\n\n_By Jane Doe_\n", scraper=True)
    draft = Draft(None, doc.blocks)
    draft.fields.authors = ("John Roe",)
    trailing_byline(draft)
    assert draft.fields.authors == ("John Roe",)
    assert len(draft.blocks) == 2


# --------------------------------------------------------------------------- titles and sites


@pytest.mark.parametrize(
    ("title", "headline", "site"),
    [
        ("How Ports Work at Night | Example Weekly", "How Ports Work at Night", "Example Weekly"),
        ("How Ports Work at Night - Vox", "How Ports Work at Night", "Vox"),
        ("Godoc: documenting code – The Example Blog", "Godoc: documenting code", "The Example Blog"),
        ("Frontiers | How Ports Work at Night", "How Ports Work at Night", "Frontiers"),
        # look-alikes: the dash belongs to the sentence
        ("Ports - and why they matter", "Ports - and why they matter", ""),
        ("The Year Everything Changed - Again", "The Year Everything Changed - Again", ""),
        ("Rust 1.0 - a retrospective of the first year", "Rust 1.0 - a retrospective of the first year", ""),
        ("Pros | Cons", "Pros | Cons", ""),
        ("A - B", "A - B", ""),
    ],
)
def test_split_site(title: str, headline: str, site: str) -> None:
    assert split_site(title) == (headline, site)


def test_navigation_above_the_title_is_skipped() -> None:
    text = (
        "Skip to content\n\n"
        "- [Home](https://example.org/)\n- [About](https://example.org/about)\n\n"
        "---\n\n"
        "# The Harbour at Night\n\n"
        "By Jane Doe\n\n"
        "March 3, 2020\n\n"
        "The text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour at Night"
    assert fields["authors"] == ("Jane Doe",)
    assert fields["date"] == D(2020, 3, 3)
    assert rest == "The text.\n"


def test_html_title_line_before_the_heading() -> None:
    text = (
        "The Harbour at Night - The Example Blog\n\n"
        "[Example](https://example.org/)\n\n"
        "# [The Example Blog](https://example.org/blog)\n\n"
        "### [The Harbour at Night](https://example.org/blog/harbour)\n\n"
        "31 March 2011\n\n"
        "The text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour at Night"
    assert fields["site"] == "The Example Blog"
    assert fields["source_url"] == "https://example.org/blog/harbour"
    assert fields["date"] == D(2011, 3, 31)
    assert rest == "The text.\n"


@pytest.mark.parametrize(
    ("line", "url"),
    [
        ("URL: https://example.org/a", "https://example.org/a"),
        ("Source: https://example.org/a", "https://example.org/a"),
        ("**Source:** https://example.org/a", "https://example.org/a"),
        ("[The Harbour at Night | Example Weekly](https://example.org/a)", "https://example.org/a"),
    ],
)
def test_source_lines(line: str, url: str) -> None:
    fields, rest = _header(f"{line}\n\n# The Harbour at Night\n\nThe text.\n")
    assert fields["title"] == "The Harbour at Night"
    assert fields["source_url"] == url
    assert rest == "The text.\n"


def test_clipper_lines_under_the_title() -> None:
    text = (
        "# The Harbour at Night\n\n"
        "[The Harbour at Night | Example Weekly](https://example.org/a)\n\n"
        "Clipped: 2024-05-01\n\n"
        "The text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour at Night"
    assert fields["site"] == "Example Weekly"
    assert fields["source_url"] == "https://example.org/a"
    assert "date" not in fields  # the day it was clipped is not the day it was published
    assert rest == "The text.\n"


def test_url_first_line_is_never_the_title() -> None:
    fields, _rest = _header("URL: http://example.org/a\n\nThe Harbour at Night\n\nThe text.\n")
    assert fields["title"] == "The Harbour at Night"
    assert fields["source_url"] == "http://example.org/a"


def test_plain_text_title_and_subtitle() -> None:
    text = "The Harbour at Night\nHow a small port keeps working after dark\n\nThe text starts here.\n"
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour at Night"
    assert fields["subtitle"] == "How a small port keeps working after dark"
    assert rest == "The text starts here.\n"


def test_plain_text_wrapped_paragraph_is_not_a_title() -> None:
    text = "The harbour at night is a place of quiet work and the\nboats come in one by one.\n\nMore.\n"
    fields, rest = _header(text)
    assert "title" not in fields
    assert rest == text


def test_field_block_at_the_top() -> None:
    text = (
        "Number: 12\nTitle: The Harbour at Night\nAuthor: Jane Doe <jane@example.org>\n"
        "Status: Final\nCreated: 01-Apr-2003\n\n\nAbstract\n\n    The text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour at Night"
    assert fields["authors"] == ("Jane Doe",)
    assert fields["date"] == D(2003, 4, 1)
    assert rest.startswith("Abstract")


def test_title_site_split_in_a_heading() -> None:
    fields, _ = _header("# How Ports Work at Night | Example Weekly\n\nThe text.\n")
    assert fields["title"] == "How Ports Work at Night"
    assert fields["site"] == "Example Weekly"


def test_two_column_memo_header() -> None:
    text = (
        "Example Working Group                                          J. Doe\n"
        "Request for Comments: 9999                                   Example Labs\n"
        "Category: Informational                                      1 April 2001\n"
        "\n\n"
        "          The Harbour Control Protocol (HCP/1.0)\n"
        "\n"
        "Status of this Memo\n"
        "\n"
        "   The text.\n"
    )
    fields, rest = _header(text)
    assert fields["title"] == "The Harbour Control Protocol (HCP/1.0)"
    assert fields["site"] == "Example Working Group"
    assert fields["authors"] == ("J. Doe",)
    assert fields["date"] == D(2001, 4, 1)
    assert rest.startswith("Status of this Memo")


def test_indented_columns_of_a_table_are_no_memo_header() -> None:
    text = "Name        Port        Boats\nNorth       12          4\nSouth       9           7\n\nThe text.\n"
    fields, rest = _header(text)
    assert "title" not in fields
    assert rest == text


@pytest.mark.parametrize(
    ("line", "publisher", "date"),
    [
        ("Reuters, March 3, 2020", "Reuters", D(2020, 3, 3)),
        ("The Example Gazette, Friday, 3 March 2020", "The Example Gazette", D(2020, 3, 3)),
        ("Freitag, 4. Mai 2020", "", D(2020, 5, 4)),
    ],
)
def test_publisher_and_date_line(line: str, publisher: str, date: D) -> None:
    fields, rest = _header(f"# A Title\n\n{line}\n\nThe text.\n")
    assert fields.get("publisher", "") == publisher
    assert fields["date"] == date
    assert rest == "The text.\n"


def test_byline_and_date_under_a_title_from_front_matter() -> None:
    fields, rest = _header_known("## A Section\n\nby Jane Doe | April 18, 2007\n\nThe text.\n")
    assert "title" not in fields
    assert rest.startswith("## A Section")
    fields, rest = _header_known("by Jane Doe | April 18, 2007\n\nThe text.\n")
    assert fields["authors"] == ("Jane Doe",)
    assert rest == "The text.\n"


def _header_known(text: str) -> tuple[dict[str, object], str]:
    fields, start = read_header(text, has_title=True)
    return dict(fields), text[start:]


def test_cross_post_credit_gives_source_and_author() -> None:
    draft = _trailing(
        "The text.\n\n_This article was [first published in the Example Review](https://example.org/a) "
        "by Jane Doe, Senior Editor._\n"
    )
    assert draft.fields.authors == ("Jane Doe",)
    assert draft.fields["source_url"] == "https://example.org/a"
    assert len(draft.blocks) == 2  # the credit stays: it is the page's own sentence


def test_short_caseless_name_under_a_plain_title_is_the_author() -> None:
    fields, rest = _header("港の夜\n山田太郎\n\n本文です。\n")
    assert rest == "本文です。\n"
    assert fields["title"] == "港の夜"
    assert fields["authors"] == ("山田太郎",)
    assert "subtitle" not in fields
    fields, _ = _header("港の夜\n小さな港が夜も働く理由について\n\n本文です。\n")
    assert fields["subtitle"] == "小さな港が夜も働く理由について"
    assert "authors" not in fields


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("بقلم سارة أحمد", ("سارة أحمد",)),
        ("كتبه [سارة أحمد](https://example.org/a)، [علي حسن](https://example.org/b)، و [ليلى كريم](https://example.org/c).",
         ("سارة أحمد", "علي حسن", "ليلى كريم")),
        ("كتبها سارة أحمد، علي حسن و ليلى كريم", ("سارة أحمد", "علي حسن", "ليلى كريم")),
        ("מאת דנה כהן", ("דנה כהן",)),
        ("By [Jane Doe](https://example.org/jane) and [John Roe](https://example.org/john).", ("Jane Doe", "John Roe")),
    ],
)  # fmt: skip
def test_bylines_in_right_to_left_scripts_and_a_closing_full_stop(line: str, names: tuple[str, ...]) -> None:
    assert byline(line) == names


def test_a_date_in_words_before_the_byline_word() -> None:
    """A date the reader cannot read (an ordinal in words) still opens a byline line: the names are taken."""
    text = (
        "في الثالث من مايو، 2023، كتبه [سارة أحمد](https://example.org/a)، [علي حسن](https://example.org/b)، "
        "و [ليلى كريم](https://example.org/c).\n\n---\n\nالنص.\n"
    )
    fields, rest = _header_known(text)
    assert fields["authors"] == ("سارة أحمد", "علي حسن", "ليلى كريم")
    assert rest == "النص.\n"  # the rule closing the header goes with it
    english = (
        "Published on the third of May, 2023, by [Jane Doe](https://example.org/a) and "
        "[John Roe](https://example.org/b)\n\nThe text.\n"
    )
    fields, rest = _header_known(english)
    assert fields["authors"] == ("Jane Doe", "John Roe")
    assert rest == "The text.\n"


def test_a_sentence_with_a_year_and_by_is_no_byline() -> None:
    text = "In the spring of 2023, by all accounts, the river rose higher than ever before in living memory.\n\nMore.\n"
    fields, rest = _header_known(text)
    assert "authors" not in fields
    assert rest == text
