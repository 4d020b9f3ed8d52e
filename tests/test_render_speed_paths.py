"""The HTML, EPUB and TEI writers' shortcuts agree with the general paths they stand beside.

* the EPUB's :func:`~convert.writers.epub.prepare.prepare` returns an article that needs none of
  its rewrites as it is, after one look at its nodes: the same article (and the same warnings)
  as the six walks of :func:`~convert.writers.epub.prepare.prepare_walks`;
* the HTML rendering makes the elements inside its blocks, and note references, in place (:meth:`HtmlContext.sub`):
  the same pages as elements made apart (:meth:`HtmlContext.el`) and appended, in HTML and XHTML,
  with endnotes and footnotes;
* the colophon looks for mail addresses only in a text with an ``@``: the same links;
* the colophon's rows of the crosswalk are read once for a table: the rows it reads each time.
"""

from __future__ import annotations

import functools
import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import convert
from convert.errors import collect_warnings
from convert.html import body, parts
from convert.html.context import note_id
from convert.html.render import HtmlContext, body_elements, notes_section, rights_section, title_block
from convert.ir import crosswalk
from convert.ir.metadata import Rights
from convert.ir.model import (
    Article,
    Asset,
    BlockQuote,
    BulletList,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Image,
    Link,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Text,
)
from convert.ir.text import block_inlines
from convert.xmlns import append_text

from . import strategies as S
from .conftest import ROOT, SAMPLE

prepare_module = importlib.import_module("convert.writers.epub.prepare")

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rich").glob("*.md"))


@functools.cache
def _fixture_articles() -> list[Article]:
    return [convert.parse(path.read_bytes(), str(path)) for path in [SAMPLE, *FIXTURES]]


# --------------------------------------------------------------------------- EPUB: prepare


def _prepared_both_ways(article: Article) -> bool:
    """Prepare ``article`` both ways; whether the shortcut took it as it is."""
    with collect_warnings() as fast_warnings:
        fast = prepare_module.prepare(article)
    with collect_warnings() as walked_warnings:
        walked = prepare_module.prepare_walks(article)
    assert fast == walked
    assert [(w.code, w.message) for w in fast_warnings] == [(w.code, w.message) for w in walked_warnings]
    return fast is article


def test_prepare_shortcut_agrees_on_the_fixtures() -> None:
    kept = [_prepared_both_ways(article) for article in _fixture_articles()]
    assert any(kept)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(S.articles(rich=False), S.articles(rich=True, assets=True), S.articles(rich=True)))
def test_prepare_shortcut_agrees(article: Article) -> None:
    _prepared_both_ways(article)


_PNG = Asset("a.png", "image/png", b"\x89PNG\r\n\x1a\n")
_KEPT = Article(
    Metadata(title="T"),
    (
        Paragraph((Text("a"), NoteRef("1"), Link((Emph((Text("b"),)),), "https://x.example/"))),
        Figure((Text("c"),), Image("a.png", "alt")),
        BlockQuote((BulletList(((Paragraph((Image("a.png", "i"),)),),)),)),
        DefinitionList((DefinitionItem((Text("t"),), ((Paragraph((Text("d"),)),),)),)),
    ),
    (Note("1", (Paragraph((Text("n"),)),)),),
    (_PNG,),
)


def _with(paragraph: Paragraph, *, in_note: bool = False, nested: bool = False) -> Article:
    block = BlockQuote((BulletList(((paragraph,),)),)) if nested else paragraph
    if in_note:
        return Article(_KEPT.metadata, _KEPT.body, (Note("1", (block,)),), _KEPT.assets)
    return Article(_KEPT.metadata, (*_KEPT.body, block), _KEPT.notes, _KEPT.assets)


def test_prepare_shortcut_refuses_each_rewrite() -> None:
    """Each node a rewrite changes, alone in an article the shortcut takes, sends it to the walks."""
    assert _prepared_both_ways(_KEPT)
    changed = [
        Paragraph((Image("https://x.example/b.png", "web"),)),
        Paragraph((Image("missing.png", "gone"),)),
        Paragraph((NoteRef("2"),)),
        Paragraph((Link((Text("x"),), " #top"),)),
        Paragraph((Link((), "https://x.example/"),)),
        Paragraph((Link((Emph((Link((Text("x"),), "https://y.example/"),)),), "https://x.example/"),)),
        Paragraph((Link((Emph((NoteRef("1"),)),), "https://x.example/"),)),
    ]
    for paragraph in changed:
        for nested in (False, True):
            assert not _prepared_both_ways(_with(paragraph, nested=nested)), paragraph
    assert not _prepared_both_ways(_with(Paragraph((NoteRef("1"),)), in_note=True))
    figure = Article(_KEPT.metadata, (Figure((Text("c"),), Image("https://x.example/f.png")),), _KEPT.notes)
    assert not _prepared_both_ways(figure)


# --------------------------------------------------------------------------- HTML: elements made in place


def _page(article: Article, xhtml: bool, notes: str) -> tuple[bytes, list[object]]:
    """The rendering's page of ``article``: its bytes, and each element's tag and namespaces."""
    ctx = HtmlContext(article, xhtml=xhtml, notes=notes)  # type: ignore[arg-type]
    blocks = [title_block(ctx), *body_elements(ctx), notes_section(ctx), rights_section(ctx)]
    page = ctx.el("article", *(el for el in blocks if el is not None))
    return etree.tostring(page), [(el.tag, el.nsmap) for el in page.iter()]


def _sub_apart(self: HtmlContext, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """The general path: the element made apart, then appended."""
    node = self.el(tag, **attrs)
    parent.append(node)
    return node


def _note_ref_apart(ctx: HtmlContext, parent: etree._Element, label: str) -> None:
    """The general path of a note reference: its elements made apart with :meth:`HtmlContext.el`, then appended."""
    count = ctx._ref_count.get(label, 0) + 1
    ctx._ref_count[label] = count
    ref_id = f"ref-{note_id(label)[5:]}-{count}"
    note = ctx._notes.get(label)
    if ctx.notes == "footnotes" and note is not None and count == 1:
        span = ctx.el("span", class_="footnote", id=note_id(label), role="doc-footnote")
        span.set("data-label", label)
        for k, block in enumerate(note.blocks):
            if k:
                append_text(span, " ")
            for seq in block_inlines(block):
                body._inlines(ctx, span, seq)
        parent.append(span)
        return
    if ctx.notes == "footnotes":
        anchor = ctx.el("a", label, class_="noteref", href=f"#{note_id(label)}", id=ref_id, role="doc-noteref")
        parent.append(ctx.el("sup", anchor))
        return
    href = f"{ctx.notes_href}#{note_id(label)}"
    anchor = ctx.el("a", label, class_="noteref", href=href, id=ref_id, role="doc-noteref", epub_type="noteref")
    parent.append(ctx.el("sup", anchor))


def _pages_agree(article: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    for xhtml in (False, True):
        for notes in ("endnotes", "footnotes"):
            in_place = _page(article, xhtml, notes)
            with monkeypatch.context() as m:
                m.setattr(HtmlContext, "sub", _sub_apart)
                m.setattr(body, "_note_ref", _note_ref_apart)
                apart = _page(article, xhtml, notes)
            assert in_place == apart


def test_elements_made_in_place_for_the_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    for article in _fixture_articles():
        _pages_agree(article, monkeypatch)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(article=S.articles(rich=True))
def test_elements_made_in_place(article: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    _pages_agree(article, monkeypatch)


# --------------------------------------------------------------------------- HTML: the colophon's links


#: Pieces of rights texts: characters the pattern looks at, and the starts of addresses.
_LINK_PIECES = st.sampled_from([*'ab.@-+_:/ ,)<"htps\n', "http://", "https://", "x@y.z", "mailto"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_LINK_PIECES, max_size=12).map("".join))
def test_colophon_links_as_the_full_pattern_finds_them(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = HtmlContext(Article(Metadata(), ()))
    chosen, full = ctx.el("p"), ctx.el("p")
    parts._linkify(ctx, chosen, text)
    with monkeypatch.context() as m:
        m.setattr(parts, "_WEB_URLISH", parts._URLISH)
        parts._linkify(ctx, full, text)
    assert etree.tostring(chosen) == etree.tostring(full)


def test_elements_made_in_place_for_repeated_and_missing_references(monkeypatch: pytest.MonkeyPatch) -> None:
    refs = Paragraph((Text("a"), NoteRef("1"), Text("b"), NoteRef("1"), NoteRef("9"), Emph((NoteRef("1"),))))
    _pages_agree(Article(Metadata(title="T"), (refs,), (Note("1", (Paragraph((Text("n"),)),)),)), monkeypatch)


# --------------------------------------------------------------------------- HTML: the colophon's rows


def _rights_lines_read_each_time(rights: Rights, include_source: bool) -> list[tuple[str, str]]:
    return [
        (row.colophon, text)
        for row in crosswalk.fields_for("colophon")
        if row.rights
        and (include_source or row.name != "source")
        and not (row.name == "licence_id" and rights.licence)
        and (text := getattr(rights, row.name, ""))
    ]


_FULL_RIGHTS = Rights(
    copyright="(c) A",
    disclaimer="D",
    fair_use="F",
    licence="L",
    source="S",
    contact="C",
    licence_url="https://l.example/",
)


def test_colophon_rows_read_once_for_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    rights = [article.metadata.rights for article in _fixture_articles()]
    rights += [_FULL_RIGHTS, Rights(licence_id="CC-BY-4.0", source="S")]
    for r in rights:
        for include_source in (False, True):
            assert parts.rights_lines(r, include_source=include_source) == _rights_lines_read_each_time(
                r, include_source
            )
    # another table: its rows (here without the copyright statement)
    assert ("copyright", "(c) A") in parts.rights_lines(_FULL_RIGHTS)
    monkeypatch.setattr(crosswalk, "FIELDS", tuple(row for row in crosswalk.FIELDS if row.name != "copyright"))
    assert parts.rights_lines(_FULL_RIGHTS) == _rights_lines_read_each_time(_FULL_RIGHTS, True)
    assert ("copyright", "(c) A") not in parts.rights_lines(_FULL_RIGHTS)
