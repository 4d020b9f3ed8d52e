"""The HTML reader on synthetic pages: metadata precedence, title, body, rights, encodings."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from convert import api
from convert.errors import InputError, collect_warnings
from convert.ir.model import BlockQuote, BulletList, CodeBlock, Heading, Link, OrderedList, Paragraph, Table
from convert.ir.walk import plain_text, plain_text_blocks, query
from convert.readers.html import read_html
from convert.readers.html.meta import page_title

PROSE = " ".join(
    f"Sentence {i} of the article says something about river towns, bridges and the people who keep them."
    for i in range(12)
)


def page(head: str = "", body: str = "", *, lang: str = "en", charset: str = "utf-8") -> bytes:
    """A page with navigation, an article and a footer around ``body``."""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}"><title>Bridges of the river towns | Example Site</title>
{head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About</a></li></ul></nav>
<article><h1>Bridges of the river towns</h1>
{body or f"<p>{PROSE}</p><p>{PROSE}</p>"}
</article>
<aside class="related"><h3>Related articles</h3><ul><li><a href="/x">Other story</a></li></ul></aside>
<footer><p>Copyright © 2021 Example Media Ltd. All rights reserved.</p></footer>
</body></html>""".encode(charset if charset != "ISO-8859-1" else "latin-1")


def jsonld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# ------------------------------------------------------------------ metadata


def test_jsonld_wins_over_opengraph_and_meta_tags() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Bridges of the river towns",
            "author": [{"@type": "Person", "name": "Ada Lindqvist"}, {"@type": "Person", "name": "Tomás Ruiz"}],
            "datePublished": "2021-03-04T10:00:00+01:00",
            "dateModified": "2021-03-05",
            "publisher": {"@type": "Organization", "name": "Example Media"},
            "inLanguage": "en-GB",
            "keywords": "bridges, rivers",
        }
    )
    head += '<meta property="og:title" content="OG title"><meta name="author" content="Meta Author">'
    head += '<meta property="article:published_time" content="2020-01-01">'
    meta = read_html(page(head)).metadata
    assert meta.title == "Bridges of the river towns"
    assert meta.authors == ("Ada Lindqvist", "Tomás Ruiz")
    assert meta.date == dt.date(2021, 3, 4)
    assert meta.publisher == "Example Media"
    assert meta.language == "en"  # the page's own lang attribute comes first
    assert {(s.term, s.scheme) for s in meta.subjects} == {("bridges", "keyword"), ("rivers", "keyword")}


def test_jsonld_in_cdata_and_graph() -> None:
    post = {
        "@type": "BlogPosting",
        "name": "Graph title",
        "author": {"name": "Kai Moreno"},
        "datePublished": "2019-07-08",
    }
    obj = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Site"}, post]}
    head = f'<script type="application/ld+json"><![CDATA[{json.dumps(obj)}]]></script>'
    meta = read_html(page(head)).metadata
    assert (meta.title, meta.authors, meta.date) == ("Graph title", ("Kai Moreno",), dt.date(2019, 7, 8))


def test_meta_property_wins_over_name_and_space_separated_properties() -> None:
    head = (
        '<meta name="dc.title" content="Name title"><meta property="dc:title og:title" content="Property title">'
        '<meta name="dc.creator" content="Name Author"><meta property="dc:creator" content="Property Author">'
    )
    meta = read_html(page(head)).metadata
    assert meta.title == "Property title"
    assert meta.authors == ("Property Author",)


def test_highwire_authors_are_uninverted_and_each_tag_is_one_author() -> None:
    head = (
        '<meta name="citation_title" content="On bridges">'
        '<meta name="citation_author" content="Lindqvist, Ada"><meta name="citation_author" content="Ruiz, Tomás">'
        '<meta name="citation_publication_date" content="2018/05/02"><meta name="citation_doi" content="10.1234/abc">'
    )
    meta = read_html(page(head)).metadata
    assert meta.title == "On bridges"
    assert meta.authors == ("Ada Lindqvist", "Tomás Ruiz")
    assert [(i.value, i.scheme) for i in meta.identifiers] == [("10.1234/abc", "doi")]


def test_visible_byline_and_time_are_the_last_resort() -> None:
    body = (
        '<p class="byline">By <a rel="author" href="/a">Mira Okafor</a></p>'
        f'<time datetime="2017-11-30">30 Nov</time><p>{PROSE}</p>'
    )
    meta = read_html(page(body=body)).metadata
    assert meta.authors == ("Mira Okafor",)
    assert meta.date == dt.date(2017, 11, 30)


def test_an_author_that_is_a_url_or_handle_is_not_used() -> None:
    head = '<meta property="article:author" content="https://facebook.com/someone">'
    head += '<meta name="author" content="@handle">'
    assert read_html(page(head)).metadata.authors == ()


@pytest.mark.parametrize(
    ("title", "h1", "expected"),
    [
        ("Bridges of the river towns | Example Site", [], "Bridges of the river towns"),
        ("Bridges of the river towns - Part two | Example Site", [], "Bridges of the river towns - Part two"),
        ("Site | Bridges of the river towns", [], "Bridges of the river towns"),
        ("Example: Bridges of the river towns", [], "Bridges of the river towns"),
        ("Short", ["The one heading of the page"], "The one heading of the page"),
        ("Two words | Site", [], "Two words | Site"),
    ],
)
def test_page_title(title: str, h1: list[str], expected: str) -> None:
    assert page_title(title, h1) == expected


# ------------------------------------------------------------------ body


def test_body_structure_and_boilerplate_dropped() -> None:
    body = f"""<p>{PROSE}</p><h2>Crossing points</h2><p>{PROSE} <a href="/map">the map</a>.</p>
<ul><li>First bridge of stone and iron</li><li>Second bridge of timber</li></ul>
<ol><li>Step one of the survey</li><li>Step two of the survey</li></ol>
<blockquote><p>A bridge is a promise kept in stone, said the engineer of the town.</p></blockquote>
<pre><code>span = 120 # metres</code></pre>
<table><tr><th>Bridge</th><th>Span</th></tr><tr><td>Old</td><td>40 m</td></tr>
<tr><td>New</td><td>120 m</td></tr></table>
<p>{PROSE}</p>"""
    article = read_html(page(body=body), url="https://example.org/news/bridges")
    kinds = {type(b) for b in article.body}
    assert {Paragraph, Heading, BulletList, OrderedList, BlockQuote, CodeBlock, Table} <= kinds
    text = plain_text_blocks(article.body)
    assert "Related articles" not in text and "Home" not in text and "Copyright" not in text
    links = query(lambda n: (n.target,) if isinstance(n, Link) else (), article)
    assert "https://example.org/map" in links  # resolved against the page's URL


# ------------------------------------------------------------------ rights


def test_licence_from_rel_license_and_copyright_from_the_footer() -> None:
    cc = "https://creativecommons.org/licenses/by-sa/4.0/"
    body = f'<p>{PROSE}</p><p>{PROSE}</p><p><a rel="license" href="{cc}">CC BY-SA</a></p>'
    rights = read_html(page(body=body)).metadata.rights
    assert rights.copyright == "Copyright © 2021 Example Media Ltd. All rights reserved."
    assert rights.licence == "CC BY-SA 4.0"
    assert getattr(rights, "licence_url", "https://creativecommons.org/licenses/by-sa/4.0/").startswith(
        "https://creativecommons.org"
    )


def test_jsonld_copyright_holder_and_year() -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": "Bridges of the river towns",
            "copyrightHolder": {"name": "Ada Lindqvist"},
            "copyrightYear": 2020,
        }
    )
    assert read_html(page(head)).metadata.rights.copyright == "© 2020 Ada Lindqvist"


# ------------------------------------------------------------------ encodings and bad input


def test_declared_charset_is_used_when_it_fits() -> None:
    data = page(body=f"<p>Café crème, déjà vu. {PROSE}</p>", charset="ISO-8859-1")
    assert "Café crème, déjà vu." in plain_text_blocks(read_html(data).body)


def test_utf8_page_that_declares_latin1_is_read_as_utf8_with_a_warning() -> None:
    data = page(body=f"<p>Café crème, déjà vu. {PROSE}</p>").replace(b'charset="utf-8"', b'charset="ISO-8859-1"')
    with collect_warnings() as seen:
        article = read_html(data)
    assert "Café crème, déjà vu." in plain_text_blocks(article.body)
    assert [w.code for w in seen] == ["html.charset"]


def test_gzip_page_and_windows_1251_page() -> None:
    ru = "Мосты речных городов строили из камня и железа. " * 20
    data = page(body=f"<p>{ru}</p>", charset="windows-1251")
    assert "Мосты речных городов" in plain_text_blocks(read_html(gzip.compress(data)).body)


def test_not_html_and_empty_input_are_one_line_errors() -> None:
    with pytest.raises(InputError):
        read_html(b"   ")
    with pytest.raises(InputError):
        read_html(b"\x1f\x8bnot gzip")


def test_parse_by_extension_uses_the_html_reader() -> None:
    article = api.parse(page(), name="saved/page.html")
    assert article.metadata.title == "Bridges of the river towns"
    first = article.body[0]
    assert isinstance(first, Paragraph) and plain_text(first.content).startswith("Sentence 0")


# ------------------------------------------------------------------ notes


def _refs(article: object) -> list[str]:
    from convert.ir.model import NoteRef

    return query(lambda n: (n.label,) if isinstance(n, NoteRef) else (), article)  # type: ignore[arg-type]


def test_pandoc_style_footnotes_become_notes() -> None:
    body = f"""<p>{PROSE}<sup><a href="#fn1" id="fnref1" role="doc-noteref">1</a></sup> and more.</p>
<p>{PROSE}<a href="#fn2" class="footnote-ref"><sup>2</sup></a></p>
<section class="footnotes" role="doc-endnotes"><hr><ol>
<li id="fn1"><p>The first note, with <a href="https://example.org/src">a source</a>.
<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
<li id="fn2"><p>The second note.</p></li></ol></section>"""
    article = read_html(page(body=body))
    assert [n.label for n in article.notes] == ["1", "2"]
    assert _refs(article) == ["1", "2"]
    assert plain_text_blocks(article.notes[0].blocks) == "The first note, with a source."
    assert "The second note" not in plain_text_blocks(article.body)


def test_wikipedia_style_references_become_notes() -> None:
    body = f"""<p>{PROSE}<sup class="reference" id="cite_ref-a_1-0"><a href="#cite_note-a-1">[1]</a></sup></p>
<p>{PROSE}<sup class="reference"><a href="#cite_note-2">[2]</a></sup></p>
<h2>References</h2><div class="reflist"><ol class="references">
<li id="cite_note-a-1"><span class="mw-cite-backlink"><a href="#cite_ref-a_1-0">^</a></span>
<span class="reference-text">Lindqvist, A. <i>Bridges</i>. 2019.</span></li>
<li id="cite_note-2"><span class="reference-text">Ruiz, T. Rivers. 2020.</span></li></ol></div>"""
    article = read_html(page(body=body))
    assert [plain_text_blocks(n.blocks) for n in article.notes] == [
        "Lindqvist, A. Bridges. 2019.",
        "Ruiz, T. Rivers. 2020.",
    ]
    assert _refs(article) == ["1", "2"]


def test_an_in_page_link_that_is_not_a_note_stays_a_link() -> None:
    body = f'<p>See <a href="#part-two">the second part</a>. {PROSE}</p><h2 id="part-two">Part two</h2><p>{PROSE}</p>'
    article = read_html(page(body=body))
    assert article.notes == () and _refs(article) == []
    assert "the second part" in plain_text_blocks(article.body)


# ------------------------------------------------------------------ what a user saw on real pages


def test_a_protocol_relative_licence_address_is_resolved() -> None:
    body = f'<p>{PROSE}</p><p><a rel="license" href="//creativecommons.org/licenses/by-sa/3.0/">CC</a></p>'
    rights = read_html(page(body=body), url="https://example.org/wiki/Bridges").metadata.rights
    assert rights.licence_url == "https://creativecommons.org/licenses/by-sa/3.0/"


def test_skip_links_and_edit_links_are_chrome() -> None:
    body = (
        '<a class="mw-jump-link" href="#nav">Jump to navigation</a>'
        '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>'
        f'<h2>Crossing points<span class="mw-editsection">[<a href="/edit">edit</a>]</span></h2><p>{PROSE}</p>'
    )
    text = plain_text_blocks(read_html(page(body=body)).body)
    assert "Crossing points" in text and PROSE[:40] in text
    assert "Jump to navigation" not in text and "Skip to content" not in text and "[edit]" not in text


def test_math_keeps_its_tex() -> None:
    math = (
        '<span class="mwe-math-element"><span class="mwe-math-mathml-inline" style="display: none;">'
        '<math alttext="{\\displaystyle a_{ij}={\\overline {a_{ji}}}}"><semantics><mrow><mi>a</mi></mrow>'
        '<annotation encoding="application/x-tex">{\\displaystyle a_{ij}={\\overline {a_{ji}}}}</annotation>'
        '</semantics></math></span><img src="x.svg" class="mwe-math-fallback-image-inline" alt="a_{ij}"></span>'
    )
    body = f"<p>{PROSE} The matrix satisfies {math} for all indices.</p><p>{PROSE}</p>"
    text = plain_text_blocks(read_html(page(body=body)).body)
    assert "a_{ij}={\\overline {a_{ji}}}" in text and "satisfies" in text
