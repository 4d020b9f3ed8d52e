"""The HTML rendering's and the EPUB writer's shortcuts agree with the general paths they stand beside.

* :meth:`HtmlContext.el` makes elements directly: the elements lxml's ``ElementMaker`` makes
  (same tags, namespaces, attributes in order, text and tails, also once appended);
* :func:`sanitize_tree` judges the names the rendering writes from tables, and skips the
  unwrapping pass when no element needs it: the tree the sanitiser of the documented rules gives
  (written out below, pass by pass, as it stood);
* :func:`mark_adjacent_note_calls` looks at ``sup`` and ``span`` elements only: the marks
  a look at every element gives;
* the EPUB identifier of an article without a source URL is a hash of its ``repr``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import uuid
from collections.abc import Collection

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.builder import ElementMaker

import convert
from convert.html import body as html_body
from convert.html.render import (
    EPUB_NS,
    XHTML_NS,
    HtmlContext,
    body_elements,
    mark_adjacent_note_calls,
    notes_section,
    rights_section,
    sanitize_tree,
    title_block,
)
from convert.html.sanitize import (
    _ALLOWED_ATTRS,
    _ALLOWED_TAGS,
    _DROPPED_WITH_CONTENT,
    _remove_keep_tail,
    _unwrap,
    safe_url,
)
from convert.ir.model import Article, Metadata
from convert.urls import image_allowed
from convert.writers.epub.package import _CONTENT_NAMESPACE, book_identifier
from convert.xmlns import XML_LANG, local_name

from .conftest import ROOT, SAMPLE

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "rich").glob("*.md"))


@functools.cache
def _fixture_articles() -> list[Article]:
    return [convert.parse(path.read_bytes(), str(path)) for path in [SAMPLE, *FIXTURES]]


def _rendered(article: Article, xhtml: bool) -> list[etree._Element]:
    """The rendering's parts of ``article``, as the writers put them in a page."""
    ctx = HtmlContext(article, xhtml=xhtml)
    parts = [title_block(ctx), *body_elements(ctx), notes_section(ctx), rights_section(ctx)]
    return [ctx.el("article", *(p for p in parts if p is not None))]


# --------------------------------------------------------------------------- HtmlContext.el

_TAGS = st.sampled_from(["p", "span", "a", "section", "em", "sup", f"{{{XHTML_NS}}}div", "{urn:other}x"])
_ATTR_NAMES = st.sampled_from(["class_", "id", "href", "role", "lang", "title", "data-label", "class"])
_TEXTS = st.sampled_from(["", " ", "a", "Text & <b>", "é\u00a0"])


@st.composite
def _calls(draw: st.DrawFn, depth: int = 2) -> tuple[str, list[object], dict[str, str], str]:
    """A call of ``el``: tag, children (texts and the calls of child elements), attributes, epub:type."""
    tag = draw(_TAGS)
    attrs = draw(st.dictionaries(_ATTR_NAMES, _TEXTS, max_size=3))
    kids = st.one_of(_TEXTS, _calls(depth - 1)) if depth else _TEXTS
    children = draw(st.lists(kids, max_size=4))
    epub_type = draw(st.sampled_from(["", "noteref", "endnotes"]))
    return tag, children, attrs, epub_type


def _by_el(ctx: HtmlContext, call: tuple[str, list[object], dict[str, str], str]) -> etree._Element:
    tag, children, attrs, epub_type = call
    kids = [c if isinstance(c, str) else _by_el(ctx, c) for c in children]  # type: ignore[arg-type]
    return ctx.el(tag, *kids, epub_type=epub_type, **attrs)


def _by_maker(maker: ElementMaker, xhtml: bool, call: tuple[str, list[object], dict[str, str], str]) -> etree._Element:
    """The element as ``HtmlContext.el`` made it with lxml's builder."""
    tag, children, attrs, epub_type = call
    kids = [c if isinstance(c, str) else _by_maker(maker, xhtml, c) for c in children]  # type: ignore[arg-type]
    node = maker(tag, *kids, **{k.rstrip("_"): v for k, v in attrs.items()})
    if epub_type and xhtml:
        node.set(f"{{{EPUB_NS}}}type", epub_type)
    return node


def _maker(xhtml: bool) -> ElementMaker:
    return ElementMaker(namespace=XHTML_NS, nsmap={None: XHTML_NS, "epub": EPUB_NS}) if xhtml else ElementMaker()


def _state(el: etree._Element) -> list[object]:
    """Everything of a tree that can show in its serialisations (``""`` and None texts apart)."""
    return [(e.tag, e.text, e.tail, e.items(), e.nsmap) for e in el.iter()]


@given(_calls(), st.booleans())
def test_el_makes_what_the_element_maker_makes(
    call: tuple[str, list[object], dict[str, str], str], xhtml: bool
) -> None:
    ctx = HtmlContext(Article(Metadata(), ()), xhtml=xhtml)
    mine, theirs = _by_el(ctx, call), _by_maker(_maker(xhtml), xhtml, call)
    assert _state(mine) == _state(theirs)
    assert etree.tostring(mine) == etree.tostring(theirs)
    assert etree.tostring(mine, method="html") == etree.tostring(theirs, method="html")
    # once in a page, too (namespace declarations the page holds already are dropped)
    assert etree.tostring(ctx.el("body", mine)) == etree.tostring(_maker(xhtml)("body", theirs))


def test_el_keeps_an_empty_text() -> None:
    """``el("p", "")`` is ``<p></p>``, as the builder makes it, not ``<p/>``."""
    ctx = HtmlContext(Article(Metadata(), ()), xhtml=True)
    assert etree.tostring(ctx.el("p", "")) == etree.tostring(_maker(True)("p", ""))
    assert etree.tostring(ctx.el("p", "")).endswith(b"></p>")


def test_el_refuses_what_the_builder_refuses() -> None:
    ctx = HtmlContext(Article(Metadata(), ()))
    with pytest.raises(TypeError):
        ctx.el("p", 3)  # type: ignore[arg-type]


@pytest.mark.parametrize("xhtml", [False, True])
def test_el_renders_the_fixtures_as_the_element_maker(xhtml: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    maker = _maker(xhtml)

    def by_maker(self: HtmlContext, tag: str, *children: object, epub_type: str = "", **attrs: str) -> etree._Element:
        node = maker(tag, *children, **{k.rstrip("_"): v for k, v in attrs.items()})
        if epub_type and self.xhtml:
            node.set(f"{{{EPUB_NS}}}type", epub_type)
        return node

    for article in _fixture_articles():
        mine = [etree.tostring(el) for el in _rendered(article, xhtml)]
        with monkeypatch.context() as m:
            m.setattr(HtmlContext, "el", by_maker)
            theirs = [etree.tostring(el) for el in _rendered(article, xhtml)]
        assert mine == theirs


# --------------------------------------------------------------------------- sanitize_tree


def _reference_sanitize(root: etree._Element, *, documents: Collection[str] = ()) -> etree._Element:
    """The sanitiser's rules, every name judged at every element, both passes always."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            if el is not root and el.getparent() is not None:
                _remove_keep_tail(el)
            continue
        tag = local_name(el.tag).lower()
        if el is not root and tag in _DROPPED_WITH_CONTENT:
            if el.getparent() is not None:
                _remove_keep_tail(el)
            continue
        for name in list(el.attrib):
            assert isinstance(name, str)
            local = local_name(name).lower()
            value = el.attrib[name]
            keep = name in (f"{{{EPUB_NS}}}type", XML_LANG) or (local in _ALLOWED_ATTRS and not local.startswith("on"))
            if keep and local == "href":
                keep = safe_url(value) is not None or value.partition("#")[0] in documents
            if keep and local == "src":
                keep = tag == "img" and image_allowed(value)
            if not keep:
                del el.attrib[name]
        if tag == "img" and "src" not in el.attrib and el.getparent() is not None:
            _remove_keep_tail(el)
    for el in list(root.iter()):
        if (
            isinstance(el.tag, str)
            and el is not root
            and local_name(el.tag).lower() not in _ALLOWED_TAGS
            and el.getparent() is not None
        ):
            _unwrap(el)
    return root


_SAN_TAGS = st.sampled_from(
    [
        *("p", "span", "a", "img", "em", "div", "IMG", "P", "Script", "script", "style", "font", "center"),
        *(f"{{{XHTML_NS}}}p", f"{{{XHTML_NS}}}img", f"{{{XHTML_NS}}}blink", "{urn:x}p", "{urn:x}iframe"),
    ]
)
_SAN_ATTRS = st.sampled_from(
    [
        *("class", "id", "href", "src", "alt", "style", "onclick", "ONLOAD", "Href", "SRC", "rel", "data-x"),
        *(f"{{{EPUB_NS}}}type", XML_LANG, "{urn:x}href", "{urn:x}class", "{urn:x}onclick", f"{{{EPUB_NS}}}src"),
    ]
)
_SAN_VALUES = st.sampled_from(
    [
        "",
        "x",
        "https://example.org/a",
        "javascript:alert(1)",
        "#fn-1",
        "notes.xhtml#n",
        "img/a.png",
        "data:image/png;base64,AA",
    ]
)


@st.composite
def _dirty_trees(draw: st.DrawFn, depth: int = 3) -> etree._Element:
    """A tree of allowed, dropped and unknown elements, comments, any attributes, texts and tails."""
    el = etree.Element(draw(_SAN_TAGS))
    for name, value in draw(st.lists(st.tuples(_SAN_ATTRS, _SAN_VALUES), max_size=3)):
        el.set(name, value)
    el.text = draw(st.sampled_from([None, "t", " "]))
    for _ in range(draw(st.integers(0, 3 if depth else 0))):
        child = etree.Comment("c") if draw(st.booleans()) and draw(st.booleans()) else draw(_dirty_trees(depth - 1))
        child.tail = draw(st.sampled_from([None, "tail", " "]))
        el.append(child)
    return el


@given(_dirty_trees(), st.sampled_from([(), ("notes.xhtml", "text.xhtml")]))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_sanitize_tree_is_the_reference_sanitiser(tree: etree._Element, documents: tuple[str, ...]) -> None:
    mine, theirs = copy.deepcopy(tree), copy.deepcopy(tree)
    assert etree.tostring(sanitize_tree(mine, documents=documents)) == etree.tostring(
        _reference_sanitize(theirs, documents=documents)
    )


@pytest.mark.parametrize("xhtml", [False, True])
def test_sanitize_tree_of_the_fixtures_is_the_reference_sanitiser(xhtml: bool) -> None:
    for article in _fixture_articles():
        for el in _rendered(article, xhtml):
            mine, theirs = copy.deepcopy(el), copy.deepcopy(el)
            documents = ("text.xhtml", "notes.xhtml")
            assert etree.tostring(sanitize_tree(mine, documents=documents)) == etree.tostring(
                _reference_sanitize(theirs, documents=documents)
            )


def test_unknown_elements_are_unwrapped_when_all_else_is_allowed() -> None:
    """The unwrapping pass runs when one element needs it, however clean the rest."""
    root = etree.fromstring("<div><p>a <font>b <em>c</em></font> d</p></div>")
    assert etree.tostring(sanitize_tree(root)) == b"<div><p>a b <em>c</em> d</p></div>"


# --------------------------------------------------------------------------- mark_adjacent_note_calls


def _reference_marks(root: etree._Element) -> etree._Element:
    """Note calls marked by a look at every element."""
    for el in root.iter():
        prev = el.getprevious()
        if (
            prev is not None
            and html_body._is_note_call(el)
            and html_body._is_note_call(prev)
            and not (prev.tail or "").strip()
        ):
            el.set("class", f"{el.get('class') or ''} {html_body.NOTE_CALL_FOLLOWS}".strip())
    return root


_CALL_TAGS = st.sampled_from(
    ["sup", "span", "a", "p", f"{{{XHTML_NS}}}sup", f"{{{XHTML_NS}}}span", "{urn:x}sup", "Sup"]
)


@st.composite
def _call_trees(draw: st.DrawFn, depth: int = 3) -> etree._Element:
    el = etree.Element(draw(_CALL_TAGS))
    cls = draw(st.sampled_from([None, "footnote", "noteref", "x footnote", "x"]))
    if cls is not None:
        el.set("class", cls)
    for _ in range(draw(st.integers(0, 3 if depth else 0))):
        child = etree.Comment("c") if draw(st.integers(0, 5)) == 0 else draw(_call_trees(depth - 1))
        child.tail = draw(st.sampled_from([None, "", " ", ", "]))
        el.append(child)
    return el


@given(_call_trees())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_note_calls_are_marked_as_a_look_at_every_element_marks_them(tree: etree._Element) -> None:
    mine, theirs = copy.deepcopy(tree), copy.deepcopy(tree)
    assert etree.tostring(mark_adjacent_note_calls(mine)) == etree.tostring(_reference_marks(theirs))


@pytest.mark.parametrize("notes", ["endnotes", "footnotes"])
def test_note_calls_of_the_fixtures(notes: str) -> None:
    for article in _fixture_articles():
        ctx = HtmlContext(article, xhtml=True, notes=notes)  # type: ignore[arg-type]
        for el in [ctx.el("article", *body_elements(ctx))]:
            mine, theirs = copy.deepcopy(el), copy.deepcopy(el)
            assert etree.tostring(mark_adjacent_note_calls(mine)) == etree.tostring(_reference_marks(theirs))


# --------------------------------------------------------------------------- the book identifier


def test_the_identifier_of_an_article_without_address_is_that_of_its_repr() -> None:
    for article in _fixture_articles():
        plain = dataclasses.replace(article, metadata=dataclasses.replace(article.metadata, source_url=""), assets=())
        expected = f"urn:uuid:{uuid.uuid5(_CONTENT_NAMESPACE, repr(plain))}"
        assert book_identifier(plain) == expected
