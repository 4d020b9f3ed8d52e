"""The sanitiser: any HTML tree stripped down to inert article markup (a second guard behind the IR)."""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from ..urls import image_allowed, link_url
from ..xmlns import EPUB_NS, XHTML_NS, XML_LANG, local_name

__all__ = ["safe_url", "sanitize_tree"]

_EPUB_TYPE = f"{{{EPUB_NS}}}type"


def safe_url(url: str) -> str | None:
    """``url`` if it is safe to put in an href (http(s), mailto, ftp, tel, fragment; see :mod:`convert.urls`)."""
    return link_url(url)


#: Elements the rendering of an article may contain (local names).
_ALLOWED_TAGS = frozenset(
    {
        *("article", "header", "footer", "section", "nav", "aside", "div", "span", "p"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "i", "b", "u", "s", "sub", "sup"),
        *("code", "pre", "kbd", "samp", "br", "hr", "blockquote", "q", "cite", "ul", "ol", "li"),
        *("dl", "dt", "dd", "figure", "figcaption", "img", "time", "abbr", "small", "del"),
        *("table", "caption", "thead", "tbody", "tr", "th", "td"),
    }
)
#: Elements removed with everything inside them.
_DROPPED_WITH_CONTENT = frozenset(
    {
        *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "meta"),
        *("base", "form", "input", "button", "select", "textarea", "template", "noscript", "svg", "math"),
        *("audio", "video", "source", "track", "canvas", "portal"),
    }
)
#: Attributes an element may keep (local names; ``href``/``src`` are checked further).
_ALLOWED_ATTRS = frozenset(
    {
        *("class", "id", "href", "src", "alt", "title", "lang", "datetime", "start", "role", "type"),
        *("data-label", "data-short", "colspan", "rowspan", "scope", "dir"),
    }
)


def _tag_name(tag: str) -> str:
    """The name an element is judged by: its local name, lower-cased."""
    return local_name(tag).lower()


#: What happens to an attribute, by its name: kept, dropped, or kept if its value passes a check.
_KEEP, _DROP, _HREF, _SRC = range(4)


def _attr_rule(name: str) -> int:
    """What happens to the attribute ``name`` (Clark notation), whatever its element and value."""
    local = local_name(name).lower()
    if not (name in (_EPUB_TYPE, XML_LANG) or (local in _ALLOWED_ATTRS and not local.startswith("on"))):
        return _DROP
    return _HREF if local == "href" else _SRC if local == "src" else _KEEP


# The names the rendering writes, judged once (they are most of the names met): a table per
# kind of name, made by the functions above, which judge any other name when it comes.
_TAG_NAMES = {
    tag: _tag_name(tag) for local in _ALLOWED_TAGS for tag in (local, f"{{{XHTML_NS}}}{local}")
}  # fmt: skip
_ATTR_RULES = {name: _attr_rule(name) for name in (*_ALLOWED_ATTRS, _EPUB_TYPE, XML_LANG)}


def sanitize_tree(root: etree._Element, *, documents: Collection[str] = ()) -> etree._Element:
    """Strip ``root`` (in place) down to inert article markup, and return it.

    A second line of defence behind the IR, which holds no raw HTML: any
    element that can run code, embed or fetch something (``script``,
    ``iframe``, ``object``, ``link``, ``style``, ``meta``, ...) is removed with
    its content, unknown elements are unwrapped, event handlers, ``style``,
    ``rel`` and every attribute not on the allow list are dropped, ``href``
    must pass :func:`safe_url` (or name one of ``documents``, the other files
    of a publication, with an optional ``#fragment``) and ``img src`` must be
    http(s), ``file:``, ``data:image/`` or relative (what the fetcher then
    allows is up to it).  ``epub:type`` and ``xml:lang`` are kept.
    """
    tag_names, attr_rules = _TAG_NAMES, _ATTR_RULES
    unknown = False  # whether an element other than the root has a tag not allowed (to unwrap below)
    for el in list(root.iter()):
        raw_tag = el.tag
        if not isinstance(raw_tag, str):  # comments, processing instructions
            if el is not root and el.getparent() is not None:
                _remove_keep_tail(el)
            continue
        tag = tag_names.get(raw_tag) or _tag_name(raw_tag)
        if el is not root:
            if tag not in _ALLOWED_TAGS:
                unknown = True
            if tag in _DROPPED_WITH_CONTENT:
                if el.getparent() is not None:
                    _remove_keep_tail(el)
                continue
        for raw_name, raw_value in el.items():
            name = raw_name if isinstance(raw_name, str) else raw_name.decode()
            value = raw_value if isinstance(raw_value, str) else raw_value.decode()
            rule = attr_rules.get(name)
            if rule is None:
                rule = _attr_rule(name)
            if rule == _KEEP:
                continue
            if rule == _HREF:
                keep = safe_url(value) is not None or value.partition("#")[0] in documents
            elif rule == _SRC:
                keep = tag == "img" and image_allowed(value)
            else:
                keep = False
            if not keep:
                del el.attrib[raw_name]
        if tag == "img" and el.get("src") is None and el.getparent() is not None:
            _remove_keep_tail(el)
    if not unknown:  # (the loop above makes no element, so none below can have a tag not allowed)
        return root
    for el in list(root.iter()):
        if (
            isinstance(el.tag, str)
            and el is not root
            and _tag_name(el.tag) not in _ALLOWED_TAGS
            and el.getparent() is not None
        ):
            _unwrap(el)
    return root


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    assert parent is not None
    tail = el.tail
    prev = el.getprevious()
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its text and children."""
    parent = el.getparent()
    assert parent is not None
    index = parent.index(el)
    prev = el.getprevious()
    lead = el.text or ""
    if lead:
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = el.tail or ""
    last = children[-1] if children else el.getprevious()
    parent.remove(el)
    if tail:
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
