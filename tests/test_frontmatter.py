"""Front matter in every dialect, its keys, its leniency, and where detection sends it."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from hypothesis import given, settings

import convert
from convert.errors import collect_warnings
from convert.ir.model import Article, Heading, Metadata, Paragraph, Subject, Text
from convert.licences import licence_of
from convert.readers.detect import detect_format
from convert.readers.frontmatter import (
    author_names,
    drop_title_heading,
    parse_date,
    read_front_matter,
)
from convert.writers.markdown.frontmatter import front_matter

from .strategies import metadata


def fields(text: str) -> dict[str, Any]:
    found = read_front_matter(text)
    assert found is not None, text
    return found.fields


def dialect(text: str) -> str:
    found = read_front_matter(text)
    return found.dialect if found else ""


# --------------------------------------------------------------------------- dialects


def test_yaml() -> None:
    found = read_front_matter("---\ntitle: A Walk in the Park\nauthor: Ann Example\ndate: 2021-03-04\n---\n\nText.\n")
    assert found is not None and found.dialect == "yaml"
    assert found.fields == {"title": "A Walk in the Park", "authors": ("Ann Example",), "date": _dt.date(2021, 3, 4)}
    assert found.body.strip() == "Text."


def test_yaml_unquoted_colon_is_read_as_text_with_a_warning() -> None:
    with collect_warnings() as found:
        got = fields("---\ntitle: Owls and Mice: A Field Study\ndate: 2019-05-06\n---\n\nText.\n")
    assert got["title"] == "Owls and Mice: A Field Study" and got["date"] == _dt.date(2019, 5, 6)
    assert [w.code for w in found] == ["frontmatter.lenient"] and "'title'" in found[0].message


def test_yaml_folded_scalar_and_blank_line_inside() -> None:
    got = fields("---\ntitle: >\n  Rivers of the\n  Northern Plain\n\ndescription: Water, mostly.\n\n---\nText.\n")
    assert got["title"] == "Rivers of the Northern Plain" and got["description"] == "Water, mostly."


def test_yaml_closed_by_dots() -> None:
    assert fields("---\ntitle: Dots\n...\n\nText.\n")["title"] == "Dots"


def test_a_rule_and_prose_is_no_front_matter() -> None:
    assert read_front_matter("---\n\nA page that starts with a rule.\n\n---\n") is None
    assert read_front_matter("---\nNote: this is prose, not metadata, in a sentence\nmore prose here\n---\n") is None


def test_toml() -> None:
    text = '+++\ntitle = "Gardens"\nauthors = ["Ben Sample"]\ndate = 2018-07-01\n\n[extra]\nx = 1\n+++\n\nBody.\n'
    found = read_front_matter(text)
    assert found is not None and found.dialect == "toml" and found.body.strip() == "Body."
    assert found.fields == {"title": "Gardens", "authors": ("Ben Sample",), "date": _dt.date(2018, 7, 1)}


def test_invalid_toml_is_read_line_by_line() -> None:
    with collect_warnings() as found:
        got = fields('+++\ntitle = "Gardens"\nauthor = Ben Sample\n+++\n\nBody.\n')
    assert got["title"] == "Gardens" and got["authors"] == ("Ben Sample",)
    assert [w.code for w in found] == ["frontmatter.lenient"]


def test_json_fenced_block() -> None:
    found = read_front_matter('```json\n{"title": "Boats", "author": ["Cy Writer"], "lang": "nl"}\n```\n\nTekst.\n')
    assert found is not None and found.dialect == "json" and found.body.strip() == "Tekst."
    assert found.fields == {"title": "Boats", "authors": ("Cy Writer",), "language": "nl"}


def test_bare_json_object() -> None:
    found = read_front_matter('{\n  "title": "Boats",\n  "date": "2020-02-02"\n}\n\nText.\n')
    assert found is not None and found.dialect == "json" and found.body.strip() == "Text."
    assert found.fields["date"] == _dt.date(2020, 2, 2)


def test_franklin_def_lines() -> None:
    text = (
        '@def title = "Why Kites Fly"\n@def authors = "Dee Author, Eve Author"\n'
        '@def rss_description = """ a long\ndescription """\n@def rss_pubdate = Date(2011, 5, 6)\n'
        '@def published = "6 May 2011"\n@def hascode = true\n\nBody.\n'
    )
    found = read_front_matter(text)
    assert found is not None and found.dialect == "franklin" and found.body.strip() == "Body."
    assert found.fields == {
        "title": "Why Kites Fly",
        "authors": ("Dee Author", "Eve Author"),
        "date": _dt.date(2011, 5, 6),
    }


def test_lektor_contents() -> None:
    text = (
        "title: Winter Notes\n---\ntags:\n\nsnow\nice\n---\nauthor: fay\n---\n"
        "pub_date: 2019-01-02\n---\nbody:\n\nBody text.\n"
    )
    found = read_front_matter(text)
    assert found is not None and found.dialect == "lektor" and found.body.strip() == "Body text."
    assert found.fields == {
        "title": "Winter Notes",
        "authors": ("fay",),
        "date": _dt.date(2019, 1, 2),
        "subjects": (Subject("snow", "tag"), Subject("ice", "tag")),
    }


def test_rfc822_headers() -> None:
    text = (
        "Number: 12\nTitle: Counting Sheep\nAuthor: Gil Person <gil@example.org>\nStatus: Draft\n"
        "Last-Modified: $Date$\nCreated: 02-Mar-2004\n\n\nAbstract\n\n    Sheep.\n"
    )
    with collect_warnings() as found:
        got = fields(text)
    assert got == {"title": "Counting Sheep", "authors": ("Gil Person",), "date": _dt.date(2004, 3, 2)}
    assert found == []  # an unexpanded $Date$ is no date, and no warning


def test_one_header_line_is_no_front_matter() -> None:
    assert read_front_matter("Title: Only one line\n\nText.\n") is None
    assert read_front_matter("Warning: rough\nSeas: high\n\nText.\n") is None  # no key of a header


def test_present_format() -> None:
    text = (
        "# Kettles at Dawn\n9 Mar 2015\nSummary: On kettles.\nTags: tea, water\n\n"
        "Hal Person, for the Tea team\nhal@example.org\n\nIvy Person\n\n## First part\n\nText.\n"
    )
    found = read_front_matter(text)
    assert found is not None and found.dialect == "present"
    assert found.fields == {
        "title": "Kettles at Dawn",
        "authors": ("Hal Person", "Ivy Person"),
        "date": _dt.date(2015, 3, 9),
        "description": "On kettles.",
        "subjects": (Subject("tea", "tag"), Subject("water", "tag")),
    }
    assert found.body.startswith("## First part")


def test_markdown_with_a_date_under_the_title_is_no_present_file() -> None:
    assert read_front_matter("# Title\n\nMarch 3, 2020\n\nA paragraph of text.\n\n## Part\n") is None
    text = "# Title\nMarch 3, 2020\n\nA paragraph of the text, which is a sentence.\n\n## Part\n"
    assert read_front_matter(text) is None


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Ann One, Ben Two and Cy Three", ("Ann One", "Ben Two", "Cy Three")),
        ("Ann One, Ben Two, and Cy Three", ("Ann One", "Ben Two", "Cy Three")),
        ("Ann Un, Ben Deux et Cy Trois", ("Ann Un", "Ben Deux", "Cy Trois")),
        ("Anna Eins und Bert Zwei", ("Anna Eins", "Bert Zwei")),
        ("Ana Uno y Beto Dos", ("Ana Uno", "Beto Dos")),
        ("José Ortega y Gasset", ("José Ortega y Gasset",)),
        ("山田太郎、鈴木花子", ("山田太郎", "鈴木花子")),
        ("张三与李四", ("张三", "李四")),
        ("By Dee Four", ("Dee Four",)),
        ("Eve Five (Example University), Fay Six (Lab)", ("Eve Five", "Fay Six")),
        ("Gus Seven, Senior Editor", ("Gus Seven",)),
        (["Hal Eight, Director of Things", "Ivy Nine"], ("Hal Eight", "Ivy Nine")),
        ([{"name": "Jo Ten"}], ("Jo Ten",)),
        ("Kim Eleven & Lu Twelve", ("Kim Eleven", "Lu Twelve")),
    ],
)
def test_author_forms(value: Any, names: tuple[str, ...]) -> None:
    assert author_names(value) == names


@pytest.mark.parametrize("key", ["author", "authors", "by", "Author"])
def test_author_keys(key: str) -> None:
    assert fields(f"---\n{key}:\n  - Ann One\n  - Ben Two\n---\n")["authors"] == ("Ann One", "Ben Two")


@pytest.mark.parametrize(
    ("value", "date", "precision"),
    [
        ("2020/12/21", _dt.date(2020, 12, 21), "day"),
        ("2013-09-17 13:46:18 -0400", _dt.date(2013, 9, 17), "day"),
        ("2013-09-17T13:46:18Z", _dt.date(2013, 9, 17), "day"),
        ("14 February 2012", _dt.date(2012, 2, 14), "day"),
        ("February 14, 2012", _dt.date(2012, 2, 14), "day"),
        ("01-Apr-2003", _dt.date(2003, 4, 1), "day"),
        ("Tue, 14 Feb 2012 10:00:00 +0000", _dt.date(2012, 2, 14), "day"),
        ("21.12.2020", _dt.date(2020, 12, 21), "day"),
        ("2021-02", _dt.date(2021, 2, 1), "month"),
        ("February 2021", _dt.date(2021, 2, 1), "month"),
        ("2019", _dt.date(2019, 1, 1), "year"),
        (2019, _dt.date(2019, 1, 1), "year"),
        (_dt.date(2001, 2, 3), _dt.date(2001, 2, 3), "day"),
        (_dt.datetime(2001, 2, 3, 4, 5), _dt.date(2001, 2, 3), "day"),
    ],
)
def test_date_forms(value: Any, date: _dt.date, precision: str) -> None:
    assert parse_date(value) == (date, precision)


def test_a_date_in_another_language() -> None:
    assert parse_date("12 mars 2019") == (_dt.date(2019, 3, 12), "day")


@pytest.mark.parametrize("key", ["date", "published", "pub_date", "created", "Date"])
def test_date_keys(key: str) -> None:
    assert fields(f"---\n{key}: 2017-08-09\n---\n")["date"] == _dt.date(2017, 8, 9)


def test_a_date_that_cannot_be_read_is_a_warning() -> None:
    with collect_warnings() as found:
        got = fields("---\ntitle: T\ndate: sometime soon\n---\n\nText.\n")
    assert "date" not in got and got["title"] == "T"
    assert [w.code for w in found] == ["frontmatter.unreadable"] and "sometime soon" in found[0].message


def test_month_precision() -> None:
    got = fields("---\ndate: 2021-02\n---\n")
    assert got["date"] == _dt.date(2021, 2, 1) and got["date_precision"] == "month"


@pytest.mark.parametrize("key", ["permalink", "path", "url", "slug"])
def test_date_from_a_path(key: str) -> None:
    assert fields(f"---\n{key}: /notes/2016/04/05/a-walk/\n---\n")["date"] == _dt.date(2016, 4, 5)
    assert fields(f'+++\n{key} = "2016/04/05/a-walk"\n+++\n')["date"] == _dt.date(2016, 4, 5)


def test_a_date_key_wins_over_the_path() -> None:
    assert fields("---\ndate: 2001-01-01\npermalink: /2016/04/05/x/\n---\n")["date"] == _dt.date(2001, 1, 1)


def test_date_from_a_dated_slug() -> None:
    assert fields("---\nslug: 2012-06-07-weekly-notes\n---\n")["date"] == _dt.date(2012, 6, 7)


@pytest.mark.parametrize("key", ["permalink", "slug", "path"])
def test_date_from_a_slug_that_ends_with_it(key: str) -> None:
    """A daily post's slug closed by its date (``notes-of-today-2023-04-06``), with or without a path or suffix."""
    for value in ("notes-of-today-2023-04-06", "/blog/notes-of-today-2023-04-06/", "notes_2023-04-06.html"):
        assert fields(f"---\n{key}: {value}\n---\n")["date"] == _dt.date(2023, 4, 6), value
    for value in ("notes-2023-04-06-and-more", "notes-of-2023-13-06", "release2023-04-06"):
        assert "date" not in fields(f"---\n{key}: {value}\n---\n"), value


@pytest.mark.parametrize("key", ["modified", "lastmod", "updated"])
def test_modified(key: str) -> None:
    assert fields(f"---\n{key}: 2022-10-11\n---\n")["modified"] == _dt.date(2022, 10, 11)


@pytest.mark.parametrize(
    ("key", "value", "tag"),
    [("lang", "de", "de"), ("language", "jp", "ja"), ("pagelang", "zh-Hans", "zh-Hans"), ("lang", "pt_br", "pt-BR")],
)
def test_language(key: str, value: str, tag: str) -> None:
    assert fields(f"---\n{key}: {value}\n---\n")["language"] == tag


def test_subjects_by_scheme() -> None:
    got = fields("---\ntags: [alpha, beta]\ncategories:\n  - gamma\nkeywords: delta, epsilon\n---\n")
    assert got["subjects"] == (
        Subject("alpha", "tag"),
        Subject("beta", "tag"),
        Subject("gamma", "category"),
        Subject("delta", "keyword"),
        Subject("epsilon", "keyword"),
    )


@pytest.mark.parametrize("key", ["description", "excerpt", "summary"])
def test_description(key: str) -> None:
    assert fields(f"---\n{key}: >\n  A short\n  account.\n---\n")["description"] == "A short account."


@pytest.mark.parametrize("key", ["url", "origin_url", "canonical", "source", "permalink"])
def test_source_url(key: str) -> None:
    assert fields(f"---\n{key}: https://example.org/a/b.html\n---\n")["source_url"] == "https://example.org/a/b.html"


def test_a_relative_url_is_no_source_url() -> None:
    assert "source_url" not in fields("---\nurl: /a/b.html\ntitle: T\n---\n")


def test_site_publisher_image() -> None:
    got = fields("---\nsite_name: The Example Times\npublisher: Example Press\ncover: /img/c.png\n---\n")
    assert got == {"site": "The Example Times", "publisher": "Example Press", "image": "/img/c.png"}
    assert fields("---\nsite: Blog of Things\nimage: a.jpg\n---\n") == {"site": "Blog of Things", "image": "a.jpg"}


@pytest.mark.parametrize(
    ("value", "spdx"),
    [
        ("CC BY 4.0", "CC-BY-4.0"),
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
        ("cc by-nc-nd 3.0", "CC-BY-NC-ND-3.0"),
        ("CC0", "CC0-1.0"),
        ("mit", "MIT"),
        ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("All rights reserved", ""),
    ],
)
def test_licence_ids(value: str, spdx: str) -> None:
    assert licence_of(value)[0] == spdx


@pytest.mark.parametrize("key", ["licence", "license"])
def test_licence(key: str) -> None:
    got = fields(f"---\n{key}: CC BY-SA 4.0\n---\n")
    assert got["licence"] == "CC BY-SA 4.0" and got["licence_id"] == "CC-BY-SA-4.0"


def test_unknown_keys_are_ignored_quietly() -> None:
    with collect_warnings() as found:
        got = fields("---\nlayout: post\ntemplate: true\nweight: 3\ntitle: T\nextra:\n  a: b\n---\n")
    assert got == {"title": "T"} and found == []


# --------------------------------------------------------------------------- the title heading


@pytest.mark.parametrize(
    "body",
    [
        "\n# The Title\n\nText.\n",
        "The *Title*\n=========\n\nText.\n",
        "\n## the title.\n\nText.\n",
        "# The Title\nText.",
    ],
)
def test_the_title_heading_is_dropped(body: str) -> None:
    assert drop_title_heading(body, "The Title").strip() == "Text."


def test_a_title_heading_alone_is_dropped() -> None:
    assert drop_title_heading("\n# The Title", "The Title").strip() == ""


def test_another_first_heading_stays() -> None:
    body = "\n## First part\n\nText.\n\n# The Title\n"
    assert drop_title_heading(body, "The Title") == body


# --------------------------------------------------------------------------- the readers


def test_article_reader_reads_every_dialect() -> None:
    for text in (
        "---\ntitle: Owls: A Study\nauthors: [Ann One]\ndate: 2020/12/21\ntags: [birds]\n---\n\n"
        "# Owls: A Study\n\nOwls hoot at night.\n",
        '+++\ntitle = "Owls: A Study"\nauthors = ["Ann One"]\npath = "2020/12/21/owls"\n+++\n\nOwls hoot at night.\n',
        '```json\n{"title": "Owls: A Study", "by": "Ann One", "date": "2020-12-21"}\n```\n\nOwls hoot at night.\n',
        '@def title = "Owls: A Study"\n@def authors = "Ann One"\n@def published = "21 December 2020"\n\n'
        "Owls hoot at night.\n",
        "title: Owls: A Study\n---\nauthor: Ann One\n---\npub_date: 2020-12-21\n---\nbody:\n\nOwls hoot at night.\n",
        "Title: Owls: A Study\nAuthor: Ann One\nCreated: 21-Dec-2020\n\nOwls hoot at night.\n",
    ):
        with collect_warnings():
            art = convert.read(text.encode(), format="article")
        meta = art.metadata
        assert (meta.title, meta.authors, meta.date) == ("Owls: A Study", ("Ann One",), _dt.date(2020, 12, 21)), text
        assert [type(b) for b in art.body] == [Paragraph], text


def test_front_matter_wins_and_the_header_fills_the_rest() -> None:
    text = b"---\ntitle: From the front matter\nlayout: post\n---\n\nBy Ann Example\n\nText of the article.\n"
    meta = convert.read(text).metadata
    assert meta.title == "From the front matter" and meta.authors == ("Ann Example",)
    text = b"---\ntitle: T\nauthor: Ben Front\nlayout: post\n---\n\nBy Ann Example\n\nText of the article.\n"
    assert convert.read(text).metadata.authors == ("Ben Front",)


def test_a_heading_other_than_the_title_stays_in_the_body() -> None:
    art = convert.read(b"---\ntitle: T\nlayout: post\n---\n\n## An Opening\n\nText.\n")
    assert art.metadata.title == "T" and isinstance(art.body[0], Heading)


def test_front_matter_language_is_kept() -> None:
    art = convert.read(b"---\ntitle: T\nlanguage: jp\nlayout: post\n---\n\nThis text is in English, plainly.\n")
    assert art.metadata.language == "ja"


def test_md_reader_reads_the_other_keys_too() -> None:
    data = b"---\ntitle: T\nby: [Ann One]\nexcerpt: E\npermalink: /2001/02/03/t/\n---\n\nText.\n"
    art = convert.read(data, format="md")
    meta = art.metadata
    assert (meta.title, meta.authors, meta.description, meta.date) == ("T", ("Ann One",), "E", _dt.date(2001, 2, 3))


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"---\ntitle: T\nlang: en\n---\n\nText.\n", "md"),
        (b"---\ntitle: T\nauthor:\n- A\nsubject:\n  region:\n  - Asia\nkeywords:\n- k\n---\n\nText.\n", "md"),
        (b"---\ntitle: T\nlayout: post\n---\n\nText.\n", "article"),
        (b"---\ntitle: T\nauthors:\n- A\n---\n\nText.\n", "article"),
        (b"---\ntitle: T\ndate: 2020/12/21\n---\n\nText.\n", "article"),
        (b"---\ntitle: A: B\n---\n\nText.\n", "article"),
        (b"---\ntitle: [Draft] Owls\n---\n\nText.\n", "article"),
        (b'+++\ntitle = "T"\n+++\n\nText.\n', "article"),
        (b'```json\n{"title": "T"}\n```\n\nText.\n', "article"),
        (b'{"title": "T"}\n\nText of an article.\n', "article"),
        (b'{"ir-version": 1, "type": "Article"}\n', "json"),
        (b'@def title = "T"\n\nText.\n', "article"),
        (b"title: T\n---\nbody:\n\nText.\n", "article"),
    ],
)
def test_detection(data: bytes, expected: str) -> None:
    assert detect_format(data, ".md") == expected


def test_own_output_is_detected_as_md_and_reads_back() -> None:
    art = Article(
        Metadata(
            title="Owls: A Study",
            authors=("Ann One", "Ben Two"),
            date=_dt.date(2020, 12, 21),
            language="en",
            source_url="https://example.org/owls",
            subjects=(Subject("birds", "theme"), Subject("night")),
        ),
        (Heading(1, (Text("Owls: A Study"),)), Paragraph((Text("Owls hoot."),))),
    )
    data = convert.render(art, "md")
    assert detect_format(data, ".md") == "md"
    assert convert.read(data) == art


@pytest.mark.parametrize(
    ("front", "byline", "authors"),
    [
        ("Ann Lovasz, Ben Two", "By Ann Lovász and Ben Two", ("Ann Lovász", "Ben Two")),
        ("[ann-one]", "By Ann One", ("Ann One",)),
        ("Ann One", "By Cy Other", ("Ann One",)),
        ("Ann One, Ben Two", "By Ann One", ("Ann One", "Ben Two")),
    ],
)
def test_a_byline_naming_the_same_people_gives_their_written_form(
    front: str, byline: str, authors: tuple[str, ...]
) -> None:
    text = f"---\ntitle: T\nauthor: {front}\nlayout: post\n---\n\n{byline}\n\nText of the article.\n"
    assert convert.read(text.encode()).metadata.authors == authors


def test_same_people_across_scripts() -> None:
    from convert.readers.frontmatter import same_people

    assert same_people(("Ivan Petrov", "Anna Ivanova"), ("Иван Петров", "Анна Иванова"))
    assert not same_people(("Ivan Petrov",), ("Иван Петров", "Анна Иванова"))


def test_md_reader_reads_other_dialects() -> None:
    art = convert.read(b'+++\ntitle = "Gardens"\nauthors = ["Ben Sample"]\nlang = "en"\n+++\n\nBody.\n', format="md")
    assert (art.metadata.title, art.metadata.authors, art.metadata.language) == ("Gardens", ("Ben Sample",), "en")
    assert art.body == (Paragraph((Text("Body."),)),)


@settings(max_examples=8, deadline=None)
@given(metadata())
def test_own_front_matter_is_always_detected_as_md(meta: Metadata) -> None:
    """Whatever the md writer writes in its front matter, detection sends it back to the md reader."""
    data = (front_matter(meta) + "\nText.\n").encode()
    assert detect_format(data, ".md") == "md"


def test_the_front_matter_date_comes_with_its_precision() -> None:
    text = b"---\ntitle: T\ndate: 2020-05-06\nlayout: post\n---\n\nMarch 2019\n\nText of the article.\n"
    meta = convert.read(text).metadata
    assert (meta.date, meta.date_precision) == (_dt.date(2020, 5, 6), "day")


def test_english_and_numeric_front_matter_dates_do_not_import_dateparser() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom convert.readers.frontmatter import parse_date\n"
        "for d in ('2020/12/21', '14 February 2012', 'Feb. 14th, 2012', '01-Apr-2003', 'March 2019', '$Date$'):\n"
        "    parse_date(d)\n"
        "print('dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
