"""Rules of the web page metadata reader (``convert.readers.html.meta``), each on a page of its own.

The pages are invented, in the shapes real pages take; :func:`meta_of` reads the metadata the way the
reader does, without the main-content step (fast).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from lxml import html

from convert.readers.html.meta import page_meta, page_title

FILLER = (
    "<p>" + " ".join(f"Line {i} of a story about harbour cranes and the crews who run them." for i in range(6)) + "</p>"
)


def meta_of(head: str = "", body: str = "", *, title: str = "Harbour cranes at night | Example Site") -> Any:
    """The merged metadata of a page with ``head`` and ``body``: ``.get(field)``."""
    doc = f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
    doc += f"<body><nav><a href='/'>Home</a></nav><article><h1>Harbour cranes at night</h1>{body}{FILLER}"
    doc += "</article><footer><p>About us</p></footer></body></html>"
    return page_meta(html.document_fromstring(doc))


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# ------------------------------------------------------------------ authors: structured sources


def test_og_prefixed_article_properties_are_article_properties() -> None:
    head = '<meta property="og:article:author" content="Harbour Daily"><meta property="og:article:published_time" '
    head += 'content="2016-05-04T08:00:00+02:00">'
    meta = meta_of(head)
    assert meta.get("authors") == ["Harbour Daily"]
    assert meta.get("date") == dt.date(2016, 5, 4)


@pytest.mark.parametrize("user", ["CC7567", "mcupdate", "jdoe_42"])
def test_a_user_name_is_no_author_name(user: str) -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "H", "author": user})
    body = '<div class="post-author"><span class="author-name">Ines Calloway</span></div>'
    assert meta_of(head, body).get("authors") == ["Ines Calloway"]


def test_a_single_lower_case_word_in_a_script_without_case_is_kept() -> None:
    head = '<meta name="author" content="林小雨">'
    assert meta_of(head).get("authors") == ["林小雨"]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Tiago (Augusto Prado) Mendes", ["Tiago Mendes"]),
        ("Orla K. Brandt (https://example.org/~ob/)", ["Orla K. Brandt"]),
        ("Orla K. Brandt (orla@example.org)", ["Orla K. Brandt"]),
        ("Luc Perrin (avec Anaïs Morel et Yves Tanguy)", ["Luc Perrin", "Anaïs Morel", "Yves Tanguy"]),
        ("Dana Whit (with Sam Ortiz)", ["Dana Whit", "Sam Ortiz"]),
    ],
)
def test_parentheses_in_an_author_name(raw: str, names: list[str]) -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "Article", "headline": "H", "author": {"name": raw}})
    assert meta_of(head).get("authors") == names


def test_jsonld_author_given_by_reference_in_a_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "https://example.org/#org", "name": "Example Press"},
            {
                "@type": "Article",
                "@id": "https://example.org/cranes/#article",
                "headline": "Harbour cranes at night",
                "author": {"@id": "https://example.org/#/person/1"},
                "publisher": {"@id": "https://example.org/#org"},
                "datePublished": "2022-09-14T06:30:00+00:00",
            },
            {"@type": "Person", "@id": "https://example.org/#/person/1", "name": "Rosa Vintner"},
        ],
    }
    meta = meta_of(jsonld(graph))
    assert meta.get("authors") == ["Rosa Vintner"]
    assert meta.get("publisher") == "Example Press"


def test_microdata_in_meta_tags() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<meta itemprop="datePublished" content="2014-02-03T09:00:00Z">'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<meta itemprop="name" content="Ezra Holt"></span></div>'
    )
    meta = meta_of(body=body)
    assert meta.get("authors") == ["Ezra Holt"]
    assert meta.get("date") == dt.date(2014, 2, 3)


# ------------------------------------------------------------------ authors: the page's byline


@pytest.mark.parametrize(
    "byline",
    [
        # the byline holds the date and a comment count too: the name is its own element
        '<p class="byline"><span class="by-author"><span class="by">by</span> <a class="byauthor" href="/a/m">'
        'Mona Ferreira</a></span><span class="bydate">22 Dec 2016</span><a class="bycount" href="#c">651</a></p>',
        # class names in BEM and camel case
        '<div class="article__author">By\n\t\t\tMona Ferreira\t\t</div>',
        '<div class="StoryByline"> By <b>Mona Ferreira</b><br/>March 25, 2015 </div>',
        # the name, then a date in the same element
        '<cite class="byline vcard"><span>By </span><span class="fn">MONA FERREIRA</span>'
        "<abbr>March 11, 2015 3:46 PM</abbr></cite>",
        # a degree and the desk after the name
        '<div class="author_fmt">By <a rel="author" href="/mf">Mona  Ferreira, MA</a><br>Example Health News</div>',
        # a second role in the byline
        '<p class="byline author">Written by Mona Ferreira<br />Edited by Kit Lamb</p>',
        # the name and a role in two elements
        '<div class="author"><a class="author-link" href="/mf">Mona Ferreira</a><div class="author-title">'
        "Games Editor</div></div>",
    ],
)
def test_visible_byline_gives_the_name_only(byline: str) -> None:
    assert [n.casefold() for n in meta_of(body=byline).get("authors")] == ["mona ferreira"]


def test_a_byline_candidate_that_is_no_name_is_passed_over() -> None:
    body = (
        '<ul><li class="author-follow"><a href="/kc">Kay Corbin</a> Islanders share their thoughts about the '
        "long winter ferry timetable</li></ul>"
        '<form class="follow-author-form"><button>Follow Author</button></form>'
        '<div class="author-name">PETRA HOLM</div>'
    )
    assert meta_of(body=body).get("authors") == ["PETRA HOLM"]


@pytest.mark.parametrize(
    "body",
    [
        '<div class="author-details"><em>Last Updated:</em> January 7, 2025</div>',
        '<div class="author-note">Thanks for reading! Next chapter comes on Friday.</div>',
        '<div class="author-bio">Writes about ships.</div>',
    ],
)
def test_no_byline_gives_no_author(body: str) -> None:
    assert meta_of(body=body).get("authors") is None


def test_bylines_of_comments_and_related_stories_are_not_the_articles() -> None:
    body = (
        '<aside class="related-stories"><span class="byline">By Otto Quayle</span></aside>'
        '<div id="comments"><div class="comment-author">Vera Stout</div></div>'
        '<div class="byline">By Ingrid Sola</div>'
    )
    assert meta_of(body=body).get("authors") == ["Ingrid Sola"]


# ------------------------------------------------------------------ dates


def test_date_created_yields_to_a_published_time() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "dateCreated": "2017-02-20T10:00:00Z"})
    head += '<meta property="article:published_time" content="2017-02-21T10:00:00+00:00">'
    assert meta_of(head).get("date") == dt.date(2017, 2, 21)


def test_date_created_is_used_when_nothing_else_gives_a_date() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "dateCreated": "2017-02-20T10:00:00Z"})
    assert meta_of(head).get("date") == dt.date(2017, 2, 20)


def test_the_publishers_local_day_of_a_utc_time() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2017-02-24T01:18:13Z"})
    head += '<meta property="article:published_time" content="2017-02-23T17:18:13-08:00">'
    assert meta_of(head).get("date") == dt.date(2017, 2, 23)


def test_a_utc_time_of_another_instant_is_kept() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2017-02-24T01:18:13Z"})
    head += '<meta property="article:published_time" content="2017-02-20T09:00:00-08:00">'
    assert meta_of(head).get("date") == dt.date(2017, 2, 24)


@pytest.mark.parametrize(
    ("content", "day"),
    [
        ("2018/05/02", dt.date(2018, 5, 2)),
        ("Wed, 24 Jun 2015 10:00:00 GMT", dt.date(2015, 6, 24)),
        ("June 24, 2015", dt.date(2015, 6, 24)),
        ("20150624", dt.date(2015, 6, 24)),
    ],
)
def test_meta_dates_in_other_shapes(content: str, day: dt.date) -> None:
    assert meta_of(f'<meta name="citation_publication_date" content="{content}">').get("date") == day


# ------------------------------------------------------------------ titles


def test_a_jsonld_name_that_is_the_publishers_is_no_title() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "name": "Harbour News",
            "headline": "Cranes work through the night",
            "publisher": {"@type": "Organization", "name": "Harbour News"},
        }
    )
    assert meta_of(head).get("title") == "Cranes work through the night"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Cranes work through the night – Harbour News", "Cranes work through the night"),
        ("Cranes work through the night — Harbour News", "Cranes work through the night"),
        (
            "Cranes: Working Through Night — harbour notes for Kestrel",
            "Cranes: Working Through Night — harbour notes for Kestrel",
        ),
    ],
)
def test_en_and_em_dashes_separate_the_site_from_the_title(title: str, expected: str) -> None:
    assert page_title(title, []) == expected


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="article-author"><a href="/u/mf"><span>Mona Ferreira</span></a>&nbsp; <i class="icon"></i> '
        "<span> Monday, February 29, 2016 @ 11:10 PM UTC</span></div>",
        '<p class="byline">By Mona Ferreira on Wed, 3 March 2021</p>',
        '<p class="byline">By Mona Ferreira | Published 3 March 2021</p>',
    ],
)
def test_the_words_before_a_date_are_not_the_name(byline: str) -> None:
    assert meta_of(body=byline).get("authors") == ["Mona Ferreira"]


def test_a_byline_in_the_site_navigation_is_not_the_articles() -> None:
    body = (
        '<div id="globalNav"><ul><li id="navBylines"><a href="/bylines/">Columns</a></li></ul></div>'
        '<div class="byline">By Ingrid Sola</div>'
    )
    assert meta_of(body=body).get("authors") == ["Ingrid Sola"]


def test_the_same_author_in_two_cases_is_one() -> None:
    head = '<meta name="byl" content="By Kai Moreno"><meta name="author" content="KAI MORENO">'
    assert meta_of(head).get("authors") == ["Kai Moreno"]


@pytest.mark.parametrize(
    "byline",
    [
        '<div class="byline">By <a href="/er">Elena Ruiz</a>, <a href="/oh">Omar Haddad</a> and '
        '<a href="/es">Eve Stone</a><span class="date">May 3, 2022</span></div>',
        '<div class="byline">By <a href="/er">Elena Ruiz</a><!-- author 2 -->, <a href="/oh">Omar Haddad</a>'
        " &amp; Eve Stone</div>",
        '<p class="byline">By <a rel="author" href="/er">Elena Ruiz</a>, <a rel="author" href="/oh">Omar Haddad</a>'
        ' and <a rel="author" href="/es">Eve Stone</a></p>',
    ],
)
def test_a_byline_of_several_authors(byline: str) -> None:
    assert meta_of(body=byline).get("authors") == ["Elena Ruiz", "Omar Haddad", "Eve Stone"]


def test_jsonld_with_raw_line_breaks_in_strings_is_read() -> None:
    raw = '{"@context": "https://schema.org", "@type": "Article", "headline": "Cranes\n at night",'
    raw += ' "author": {"@type": "Person", "name": "Rosa\tVintner"}}'
    meta = meta_of(f'<script type="application/ld+json">{raw}</script>')
    assert meta.get("authors") == ["Rosa Vintner"]
    assert meta.get("title") == "Cranes at night"


def test_html_escapes_in_jsonld_are_undone() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": "Cranes &amp; crews &#8211; a night shift",
            "author": {"name": "Rosa O&#039;Neill"},
            "publisher": {"name": "Harbour &amp; Port"},
        }
    )
    meta = meta_of(head)
    assert meta.get("title") == "Cranes & crews – a night shift"
    assert meta.get("authors") == ["Rosa O'Neill"]
    assert meta.get("publisher") == "Harbour & Port"


def test_jsonld_headline_wins_over_a_name_unlike_the_pages_title() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "name": "Evening edition",
            "headline": "Cranes work through the night",
        }
    )
    meta = meta_of(head, title="Cranes work through the night | Harbour Daily")
    assert meta.get("title") == "Cranes work through the night"


def test_jsonld_name_wins_when_both_are_like_the_pages_title() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "name": "Cranes work through the night",
            "headline": "Cranes work through the night, and the crews too",
        }
    )
    meta = meta_of(head, title="Cranes work through the night | Harbour Daily")
    assert meta.get("title") == "Cranes work through the night"


@pytest.mark.parametrize("kind", ["SatiricalArticle", "DiscussionForumPosting", "AdvertiserContentArticle"])
def test_every_article_type_of_schema_org_is_read(kind: str) -> None:
    head = jsonld({"@context": "https://schema.org", "@type": kind, "headline": "H", "author": {"name": "Ada Quill"}})
    assert meta_of(head).get("authors") == ["Ada Quill"]


def test_a_columns_name_before_by_is_not_an_author() -> None:
    body = (
        '<div class="extended-byline"><p class="byline-column"><a href="/c">Harbour Column</a></p>'
        '<p class="byline">By <span class="byline-author">JUNE ABERNATHY</span> MAY 2, 2016</p></div>'
    )
    assert meta_of(body=body).get("authors") == ["JUNE ABERNATHY"]


def test_a_byline_marked_as_the_name_wins_over_the_box_around_it() -> None:
    body = (
        '<div class="authorinfo"><div class="source">Harbour Insider</div>'
        '<div class="authorinfo-txt"><span class="authorname-txt">Lev Marsh</span> 1 day ago</div></div>'
    )
    assert meta_of(body=body).get("authors") == ["Lev Marsh"]


def test_layout_classes_around_the_article_do_not_hide_its_byline() -> None:
    body = (
        '<div class="panel-two-col-sidebar-right"><div class="main"><h1>Harbour cranes at night</h1>'
        f'<div class="blog-byline">By Tove Lind</div>{FILLER}</div><div class="side">Links</div></div>'
        '<div class="related-sidebar"><span class="byline">By Otto Quayle</span></div>'
    )
    doc = f"<!DOCTYPE html><html><head><title>Harbour cranes at night</title></head><body>{body}</body></html>"
    assert page_meta(html.document_fromstring(doc)).get("authors") == ["Tove Lind"]


def test_a_state_class_says_nothing_of_the_container() -> None:
    body = '<div class="screen is-showingReadNextSidebar"><div class="postMeta--author">Tove Lind</div></div>'
    doc = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}{FILLER}</body></html>"
    assert page_meta(html.document_fromstring(doc)).get("authors") == ["Tove Lind"]


def test_dates_written_in_words_in_jsonld_and_microdata() -> None:
    head = jsonld({"@context": "https://schema.org", "@type": "Article", "datePublished": "March 3, 2020"})
    assert meta_of(head).get("date") == dt.date(2020, 3, 3)
    body = '<span itemprop="datePublished">4 March 2020</span>'
    assert meta_of(body=body).get("date") == dt.date(2020, 3, 4)


def test_deeply_nested_jsonld_is_passed_over() -> None:
    head = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    head += '<meta name="author" content="Kai Moreno">'
    assert meta_of(head).get("authors") == ["Kai Moreno"]


def test_a_link_to_a_social_profile_is_no_author() -> None:
    body = '<footer><a rel="author" href="https://plus.example.com/+harbour">Google+</a></footer>'
    body += '<div class="byline">By Ingrid Sola</div>'
    assert meta_of(body=body).get("authors") == ["Ingrid Sola"]


@pytest.mark.parametrize(
    "address", ["https://www.facebook.com/harbourdaily", "//twitter.com/harbourdaily", "www.harbour.example"]
)
def test_an_address_is_no_publisher_or_site_name(address: str) -> None:
    """``article:publisher`` is often the publisher's page on a social network: a link, not a name."""
    head = f'<meta property="article:publisher" content="{address}"><meta property="og:site_name" content="{address}">'
    meta = meta_of(head)
    assert meta.get("publisher") is None
    assert meta.get("site") != address
