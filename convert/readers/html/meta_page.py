"""What the page shows, as metadata (the ``page`` source of :mod:`.meta`).

``<html lang>``, ``<link rel=canonical|license>``, ``<a rel=license>``, the first ``<time
datetime>``, the ``<title>`` and ``<h1>`` (:func:`page_title`), and the byline:

* elements marked ``rel=author`` first, then elements whose ``class`` or ``id`` says *byline* or
  *author* (``byline``, ``article__author``, ``StoryByline``), in the page's order;
  what sits in comments, related-story rails, sidebars, widgets and navigation is not the
  article's, nor are an author's photo, bio, note or follow button;
* the text of a candidate is read in pieces, as the page lays it out (a line break, a block, or
  two elements written without a space between them end a piece): a leading ``By``/``Written
  by``/``Par``/``Author:`` is dropped, then the names are taken while pieces hold names joined by
  ``,``/``and``; the first piece that is something else (a date, a role, a comment count, ``Edited
  by ...``) ends them.  A candidate whose first piece is no name (``Last Updated: ...``, ``Follow
  Author``) gives nothing, and the next one is tried.

The elements are found by a few XPath queries over the parsed page (libxml2 evaluates them in C):
the page is not walked element by element in Python.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from lxml import etree

from convert.recache import compile as recompile

from ...xmlns import XML_NS
from .meta_names import clean, names, parse_date, usable_name

__all__ = ["byline_names", "page_title", "read_page"]


class _Meta(Protocol):
    values: dict[str, dict[str, Any]]

    def offer(self, fld: str, source: str, value: Any) -> None: ...


#: Marks (``class`` and ``id``, lower-cased) of a byline.
_BYLINE_WORDS = ("byline", "author")
#: Marks of an element that is about the author, not the byline: photo, bio, note, follow button, role.
_NOT_BYLINE = (
    "avatar", "photo", "image", "img", "thumb", "pic", "bio", "about", "note", "follow", "social", "share",
    "title", "desc", "more", "comment", "related", "box", "icon",
)  # fmt: skip
#: Words of a container's ``class`` or ``id`` (split at ``-``, ``_``, case) that say its bylines are not the article's.
_NOT_ARTICLE = frozenset((
    "comment", "comments", "commentlist", "related", "sidebar", "widget", "widgets", "recommended", "recommendations",
    "popular", "mostread", "trending", "promo", "teaser", "newsletter", "discussion", "reply", "replies", "nav",
    "navbar", "navigation", "menu",
))  # fmt: skip
_TOKEN_PARTS = recompile(r"[\s_-]+")
_CAMEL = recompile(r"(?<=[a-z])(?=[A-Z])")
_STATES = ("is-", "is_", "has-", "has_", "with-", "no-", "show")
#: Elements that are never a byline.
_NOT_TAGS = frozenset((
    "html", "body", "head", "script", "style", "img", "svg", "meta", "link", "form", "input", "button", "select",
    "textarea", "time", "nav",
))  # fmt: skip

_XPATHS: dict[str, etree.XPath] = {}


def _select(name: str, node: Any) -> Any:
    """What the query ``name`` gives from ``node`` (a list of elements or strings; a number for a count)."""
    return _xpath(name)(node)


def _xpath(name: str) -> etree.XPath:
    """The compiled query ``name`` (compiled on first use).

    Attribute tests are written as ``//@class[...]/..`` (libxml2 walks the attributes, and makes
    no Python object for an element that does not match).
    """
    found = _XPATHS.get(name)
    if found is None:
        marks = "contains(.,'uthor') or contains(.,'yline')"
        expr = {
            "rel": "//a/@rel[contains(.,'icense') or contains(.,'uthor')]/..",
            "byline": f"//@class[{marks}]/.. | //@id[{marks}]/..",
            "h2": "//h2",
            "size": "count(.//*)",
            "text": ".//text()[not(parent::script or parent::style)]",
        }[name]
        found = _XPATHS[name] = etree.XPath(expr, smart_strings=False)
    return found


def _marks(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _words_of(el: Any) -> set[str]:
    """The words of ``el``'s ``class`` and ``id``: tokens split at ``-``, ``_`` and case (``globalNav``).

    A token that states a state or a layout (``is-showingSidebar``, ``has-sidebar``) says nothing of the element.
    """
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    if marks == " ":
        return set()
    tokens = [t for t in marks.split() if not t.lower().startswith(_STATES)]
    return set(_TOKEN_PARTS.split(_CAMEL.sub(" ", " ".join(tokens)).lower()))


def _in_article(el: Any, article: set[Any]) -> bool:
    """Whether ``el`` is outside navigation, comments, related-story rails, sidebars and widgets.

    ``article``: the elements that hold the page's ``<h1>``: a container of the headline is the
    article or a wrapper around it (``two-col-sidebar-layout``), not a rail beside it.  The
    ``class`` of ``<html>`` and ``<body>`` says how the page is laid out, not what they hold.
    """
    for up in el.iterancestors():
        if up.tag in ("body", "html") or up in article:
            break
        if up.tag == "nav" or not _NOT_ARTICLE.isdisjoint(_words_of(up)):
            return False
    return True


def _is_byline(el: Any, article: set[Any]) -> bool:
    if not isinstance(el.tag, str) or el.tag.lower() in _NOT_TAGS:
        return False
    marks = _marks(el)
    return (
        any(word in marks for word in _BYLINE_WORDS)
        and not any(word in marks for word in _NOT_BYLINE)
        and _select("size", el) < 60
        and _in_article(el, article)
    )


# ------------------------------------------------------------------ byline

#: Elements that end a piece of a byline's text.
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "section", "table", "td", "th", "tr", "ul",
))  # fmt: skip
#: A piece that only introduces the names: ``By``, ``Written by``, ``Author:``.
_LABEL = recompile(
    r"^(?:(?:(?:written|posted|words|text|story|reported)\s+)?(?:by|par|von|por|di|door|av|af|przez)\s*:?"
    r"|(?:authors?|author\(s\)|auteurs?|autor(?:es|en|in)?|autore|autori|byline)\s*[:：]?"
    r"|(?:作者|著者|筆者|撰文|记者|記者|文)\s*[:：]?)$",
    re.IGNORECASE,
)
#: "By" inside the first piece, after a column's or a section's name (``Deal Professor By JANE DOE``).
_INNER_BY = recompile(r"\s(?:By|BY)\s+(?=\S)")
_LEADING_LABEL = recompile(
    r"^(?:(?:(?:written|posted|words|text|story|reported)\s+)?(?:by|par|von|por|door|przez)\s*:?"
    r"|(?:authors?|author\(s\)|auteurs?|autor(?:es|en|in)?|autore|autori|byline)\s*[:：])\s+(?=\S)",
    re.IGNORECASE,
)
_JOINER = r"(?:[,;&、，]|(?:and|et|und|y|e|og|och|и)\b)"
_CONNECTOR = recompile(rf"^{_JOINER}$", re.IGNORECASE)
_LEADING_CONNECTOR = recompile(rf"^{_JOINER}\s*", re.IGNORECASE)
_TRAILING_CONNECTOR = recompile(r"(?:[,;&、，]|\s(?:and|et|und|y|e|og|och|и))$", re.IGNORECASE)
#: Words that stand before a date: weekdays, "on", "published", "updated" (English).
_DATE_WORDS = recompile(
    r"(?:[\s,;:|•·–—-]*(?:\b(?:on|at|published|updated|posted|last|modified|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[.,]))+[\s,;:|•·–—-]*$",
    re.IGNORECASE,
)
#: Where the names of a piece end: a digit, a handle, a bar, a bullet, a spaced dash.
_NAMES_END = recompile(r"\d|\s@|\s[|•·–—-]\s|[|•·]")


def _pieces(el: Any) -> list[str]:
    """The text of ``el`` in the pieces the page lays it out in (see the module's doc)."""
    pieces: list[str] = []
    current: list[str] = []
    boundary = ""  # "" (none), "soft" (an inline element's edge) or "hard" (a block's edge, a line break)
    spaced = False  # white space since the last text

    def add(text: str) -> None:
        nonlocal boundary, spaced
        if not text.strip():
            spaced = True
            return
        if current and (boundary == "hard" or (boundary == "soft" and not (spaced or text[0].isspace()))):
            pieces.append(clean("".join(current)))
            current.clear()
        elif current and (spaced or boundary):
            current.append(" ")
        current.append(text)
        boundary, spaced = "", text[-1].isspace()

    def edge(tag: str) -> None:
        nonlocal boundary
        if tag.lower() in _BLOCKS:
            boundary = "hard"
        elif not boundary:
            boundary = "soft"

    for event, node in etree.iterwalk(el, events=("start", "end", "comment", "pi")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag and tag not in ("script", "style"):
            edge(tag)
            if event == "start" and node.text:
                add(node.text)
        if event != "start" and node is not el and node.tail:  # a comment's tail too
            add(node.tail)
    if current:
        pieces.append(clean("".join(current)))
    return [piece for piece in pieces if piece]


def _piece_names(piece: str, *, first: bool = True) -> list[str]:
    """The names a piece of a byline gives (every one must look like a name), or [].

    ``first``: the piece opens the byline (its first part may be a name that looks like a role).
    """
    from ..article.bylines import is_role, plausible_name
    from ..article.dates import find_date

    found = find_date(piece)
    if found is not None:
        piece = piece[: found.start]
    end = _NAMES_END.search(piece)
    if end is not None:
        piece = piece[: end.start()]
    if found is not None or end is not None:
        piece = _DATE_WORDS.sub("", piece)
    got = names(piece.strip(" ,;"))
    if got and not first and is_role(got[0]):
        return []
    got = [got[0], *(n for n in got[1:] if not is_role(n))] if got else []
    ok = got and all(plausible_name(n) and not n.endswith((":", "：", "+")) for n in got)
    return got if ok else []


def byline_names(pieces: list[str]) -> list[str]:
    """The names of a byline given as pieces of text (see the module's doc), or []."""
    # a label before the "By" piece ("Opinion", a column's name) is not a name
    start = next((i for i, piece in enumerate(pieces) if _LABEL.match(piece) or _LEADING_LABEL.match(piece)), 0)
    found: list[str] = []
    more = True
    for given in pieces[start:]:
        piece = given
        if not found:
            if _LABEL.match(piece):
                continue
            label = _LEADING_LABEL.match(piece) or _INNER_BY.search(piece)
            if label:
                piece = piece[label.end() :]
        else:
            if _CONNECTOR.match(piece):
                more = True
                continue
            joined = _LEADING_CONNECTOR.match(piece)
            if joined:
                piece = piece[joined.end() :]
            elif not more:
                break
        got = _piece_names(piece, first=not found)
        if not got:
            break
        found.extend(n for n in got if n not in found)
        more = bool(_TRAILING_CONNECTOR.search(piece))
    return found


def _names_of(el: Any) -> list[str]:
    pieces = _pieces(el)
    return byline_names(pieces) if sum(map(len, pieces)) < 300 else []


def _byline(marked: list[Any], tree: Any, h1s: list[Any]) -> list[str]:
    """The authors the page's byline names (``rel=author`` first, then bylines by class), or [].

    Among the bylines by class, the first marked as a name (``author-name``, ``byline__name``) wins:
    it holds the name alone, where the byline around it may hold a section or a desk; then the
    first that says "By" (``Deal Column`` above ``By Jane Doe`` is a column's name); then the first.
    """
    article = {up for h1 in h1s for up in h1.iterancestors()}
    marked = [el for el in marked if _in_article(el, article)]
    if marked:
        first = marked[0]
        together = [el for el in marked if el.getparent() is first.getparent()]
        found = [n for el in together for n in _names_of(el)]
        if found:
            return list(dict.fromkeys(found))
    best: tuple[int, list[str]] | None = None
    for el in [el for el in _select("byline", tree)[:60] if _is_byline(el, article)][:40]:
        pieces = _pieces(el)
        found = byline_names(pieces) if sum(map(len, pieces)) < 300 else []
        if not found:
            continue
        if "name" in _marks(el).replace("names", ""):
            return found
        labelled = any(_LABEL.match(p) or _LEADING_LABEL.match(p) or _INNER_BY.search(p) for p in pieces)
        rank = 1 if labelled else 2
        if best is None or rank < best[0]:
            best = (rank, found)
    return best[1] if best else []


# ------------------------------------------------------------------ the page


def _text_of(el: Any) -> str:
    return clean("".join(_select("text", el)))


def read_page(tree: Any, meta: _Meta, found: dict[str, list[Any]]) -> None:
    """Offer what the page shows as the ``page`` source of ``meta``.

    ``found`` holds the page's ``link``, ``time``, ``title`` and ``h1`` elements (gathered in one
    pass with the other sources' elements).  The ``<time>`` is read only when no other source
    gives a date, the byline only when none names an author.
    """
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    lang = root.get("lang") or root.get(f"{{{XML_NS}}}lang")
    if lang:
        meta.offer("language", "page", clean(lang).replace("_", "-"))
    for link in found["link"]:
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel:
            meta.offer("source_url", "page", (link.get("href") or "").strip())
        if "license" in rel:
            meta.offer("licence_url", "page", (link.get("href") or "").strip())
    anchors = _select("rel", tree)
    authors: list[Any] = []
    for a in anchors:
        rel = (a.get("rel") or "").lower().split()
        if "license" in rel and a.get("href"):
            meta.offer("licence_url", "page", a.get("href").strip())
        if "author" in rel:
            authors.append(a)
    if not meta.values.get("date"):
        for time_el in found["time"]:
            day = parse_date(time_el.get("datetime"))
            if day is not None:
                meta.offer("date", "page", day)
                break
    if not meta.values.get("authors"):
        meta.offer("authors", "page", [n for n in _byline(authors, tree, found["h1"]) if usable_name(n)])
    titles = [el for el in found["title"] if not any(up.tag == "svg" for up in el.iterancestors())]
    title = _text_of(titles[0]) if titles else ""
    h1s = [_text_of(h) for h in found["h1"]]
    if ": " in title:
        h1s += [_text_of(h) for h in _select("h2", tree)]
    meta.offer("title", "page", page_title(title, h1s))


# ------------------------------------------------------------------ the title

_SEPARATOR = recompile(r" [|\-\\/>»–—] ")
_HIERARCHICAL = recompile(r" [\\/>»] ")
_SEPARATOR_CHARS = recompile(r"[|\-\\/>»–—]+")
_FIRST_PART = recompile(r"^[^|\-\\/>»–—]*[|\-\\/>»–—]")


def _words(text: str) -> int:
    return len(text.split())


def page_title(title: str, headings: list[str]) -> str:
    """The article's title from the ``<title>`` and the page's headings, as Readability chooses it.

    ``Headline | Site`` (or ``-``, ``–``, ``—``) loses the part after its last separator (the part
    before the first, when that leaves fewer than three words); ``Site: Headline`` its part before
    the colon unless a heading says the whole; a title that is too short or too long gives way to
    the only ``<h1>``.  A result of four words or fewer is only kept when it came from a
    hierarchical separator.
    """
    original = clean(title)
    current = original
    hierarchical = False
    if _SEPARATOR.search(current):
        hierarchical = bool(_HIERARCHICAL.search(current))
        last = list(_SEPARATOR.finditer(original))[-1]
        current = original[: last.start()]
        if _words(current) < 3:
            current = _FIRST_PART.sub("", original, count=1)
    elif ": " in current:
        if not any(clean(h) == current for h in headings):
            current = original[original.rindex(":") + 1 :]
            if _words(current) < 3:
                current = original[original.index(":") + 1 :]
            elif _words(original[: original.index(":")]) > 5:
                current = original
    elif len(current) > 150 or len(current) < 15:
        h1s = list(headings[:1])
        if h1s and h1s[0]:
            current = h1s[0]
    current = clean(current)
    count = _words(current)
    if count <= 4 and (not hierarchical or count != _words(_SEPARATOR_CHARS.sub("", original)) - 1):
        current = original
    return current
