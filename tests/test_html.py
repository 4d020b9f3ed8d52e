"""The html writer and the shared rendering's guards: structure, links both ways, metadata, sanitising."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree, html

from convert import api
from convert.html.render import (
    NOTE_CALL_FOLLOWS,
    HtmlContext,
    body_elements,
    mark_adjacent_note_calls,
    sanitize_tree,
)
from convert.ir.model import Article, Figure, Image, Link, Metadata, Note, NoteRef, Paragraph, Rights, Text
from convert.registry import Options
from convert.writers import html as html_writer


@pytest.fixture(scope="module")
def page(sample_article: Article) -> bytes:
    return html_writer.render(sample_article, Options())


@pytest.fixture(scope="module")
def tree(page: bytes) -> html.HtmlElement:
    root: html.HtmlElement = html.document_fromstring(page)
    return root


def test_sample_page_head(page: bytes, tree: html.HtmlElement) -> None:
    assert page.startswith(b"<!DOCTYPE html>\n")
    assert tree.get("lang") == "en"
    assert tree.findtext(".//title") == "Towards A Russia-Pakistan “Relationship”? In Defiance of Washington"
    meta = {m.get("name"): m.get("content") for m in tree.iter("meta") if m.get("name")}
    assert meta["author"] == "Farooq Yousaf"
    assert meta["dcterms.date"] == "2012-09-27"
    assert meta["dcterms.rights"] == "Copyright © Farooq Yousaf, Global Research, 2012"
    assert meta["keywords"] == "Asia, Russia and FSU, Oil and Energy"
    assert len(tree.findall(".//style")) == 1
    assert not tree.findall(".//script") and not tree.findall(".//link")


def test_sample_title_block_body_and_colophon(tree: html.HtmlElement, sample_article: Article) -> None:
    header = tree.find(".//header")
    assert header is not None
    assert header.findtext("h1") == sample_article.metadata.title
    assert header.find("p[@class='byline']").text_content() == "By Farooq Yousaf"
    assert header.find(".//time").get("datetime") == "2012-09-27"
    assert "Oil and Energy" in header.find("dl").text_content()
    assert tree.find(".//figure/figcaption").text_content().startswith("Presidents Asif Ali Zardari")
    colophon = tree.find(".//section[@class='colophon']")
    assert colophon is not None
    text = " ".join(colophon.text_content().split())
    rights = sample_article.metadata.rights
    for statement in (rights.source, rights.copyright, rights.disclaimer, rights.fair_use, rights.contact):
        assert " ".join(statement.split()) in text
    assert colophon.find(".//a[@href='mailto:publications@globalresearch.ca']") is not None


def test_sample_notes_link_both_ways(tree: html.HtmlElement, sample_article: Article) -> None:
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    refs = tree.findall(".//a[@class='noteref']")
    assert [a.text for a in refs] == [n.label for n in sample_article.notes]
    for ref in refs:
        assert ref.get("href")[1:] in ids
    items = tree.findall(".//ol[@class='notes-list']/li")
    assert [li.get("data-label") for li in items] == [n.label for n in sample_article.notes]
    for li in items:
        back = li.find(".//a[@class='backlink']")
        assert back is not None and back.get("href")[1:] in ids
        assert li.find(".//a[@href]").get("href").startswith("http://")
    follows = [sup.find("a").text for sup in tree.iter("sup") if NOTE_CALL_FOLLOWS in (sup.get("class") or "")]
    assert follows == ["vii", "viii"]


def test_deterministic(page: bytes, sample_article: Article) -> None:
    assert html_writer.render(sample_article, Options()) == page
    assert api.render(sample_article, "html") == page


HOSTILE = b"""\
# Hostile <script>alert(1)</script> page

By Mallory

Intro <script>alert('x')</script> text <iframe src="http://127.0.0.1:9/f"></iframe> and
<object data="file:///etc/passwd"></object> <embed src="file:///etc/passwd">.

<link rel="stylesheet" href="http://127.0.0.1:9/s.css">

<img src="file:///etc/passwd" onerror="alert(1)">

![passwd](file:///etc/passwd)

[click](javascript:alert(1)) and [local](file:///etc/passwd) and <a href="#" onclick="evil()">x</a>

<div style="background: url(file:///etc/passwd)">styled</div>
"""


def test_hostile_input_is_inert() -> None:
    article = api.read(HOSTILE)
    out = html_writer.render(article, Options()).decode().lower()
    for bad in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<link",
        "onerror",
        "onclick",
        "javascript:",
        "file:",
        "style=",
        "/etc/passwd",
    ):
        assert bad not in out, bad


# --------------------------------------------------------------------------- shared guards


def test_sanitize_tree_strips_active_content() -> None:
    root = html.fragment_fromstring(
        '<article><p onclick="x()" style="color:red" id="p1">a<script>alert(1)</script>b'
        '<iframe src="http://x"></iframe>c<object data="file:///etc/passwd"></object>d'
        '<link rel="attachment" href="file:///etc/passwd">e<a href="javascript:alert(1)" rel="attachment">j</a>'
        '<a href="https://ok.example/" target="_blank">ok</a>'
        '<img src="javascript:x" onerror="y">f<img src="img/a.png" alt="kept"><img src="data:text/html,x">'
        '<blink>g<em>h</em></blink>i<!-- c --><style>p{}</style><svg><image href="file:///etc/passwd"/></svg>k'
        '<form action="http://x"><input name="q"></form><meta http-equiv="refresh" content="0;url=http://x"></p>'
        "</article>"
    )
    sanitize_tree(root)
    out = etree.tostring(root, encoding="unicode")
    assert out == (
        '<article><p id="p1">abcde<a>j</a><a href="https://ok.example/">ok</a>f'
        '<img src="img/a.png" alt="kept"/>g<em>h</em>ik</p></article>'
    )


def test_sanitize_tree_keeps_the_rendering_intact(sample_article: Article) -> None:
    ctx = HtmlContext(sample_article, notes="footnotes")
    article = etree.Element("article")
    for el in body_elements(ctx):
        article.append(el)
    before = etree.tostring(article)
    assert etree.tostring(sanitize_tree(article)) == before


def test_image_src_hook_and_default() -> None:
    article = Article(
        Metadata(title="t"),
        (
            Figure((Text("a"),), Image("pics/a.png")),
            Figure((Text("b"),), Image("https://example.org/b.png")),
            Figure((Text("c"),), Image("javascript:alert(1)")),
        ),
    )
    default = [fig.find("img") for fig in body_elements(HtmlContext(article))]
    assert [img.get("src") if img is not None else None for img in default] == [
        None,
        "https://example.org/b.png",
        None,
    ]
    mapped = body_elements(HtmlContext(article, image_src=lambda s: "file:///assets/" + s if "/" in s else None))
    assert mapped[0].find("img").get("src") == "file:///assets/pics/a.png"


def test_mark_adjacent_note_calls_only_when_nothing_between() -> None:
    article = Article(
        Metadata(title="t", date=dt.date(2020, 1, 1), rights=Rights(copyright="c")),
        (Paragraph((Text("a"), NoteRef("1"), NoteRef("2"), Text(" b"), NoteRef("3"), Text(" "), NoteRef("4"))),),
        tuple(Note(k, (Paragraph((Link((Text("x"),), "https://x.example/"),)),)) for k in "1234"),
    )
    for notes in ("footnotes", "endnotes"):
        ctx = HtmlContext(article, notes=notes)  # type: ignore[arg-type]
        p = body_elements(ctx)[0]
        mark_adjacent_note_calls(p)
        marked = [NOTE_CALL_FOLLOWS in (el.get("class") or "") for el in p]
        assert marked == [False, True, False, True], notes
