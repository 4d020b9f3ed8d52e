"""The main content of a page, found on the parsed page itself (Mozilla Readability's method, on lxml).

Readability is what Firefox's reader view runs; its way of finding an article is followed here
step for step, on the tree the other steps of the reader share (one parse of the page):

1. what cannot be the article goes first: scripts, styles, forms' controls, hidden elements,
   what only screen readers and editors see (skip links, section edit links: :func:`.scoring.is_chrome`),
   elements whose ``class``/``id`` says navigation, comments, sidebars, banners, share bars and
   the like (:data:`UNLIKELY`, unless they also say *article*, *content*, *main*...), and
   elements whose ARIA role is navigation, a menu, a dialog or complementary content;
2. a ``<div>`` holding only text and inline elements counts as a paragraph; loose text in a
   ``<div>`` beside blocks is wrapped into paragraphs;
3. each paragraph-like element (``p``, ``pre``, ``td``, ``section``, ``h2``-``h6``) of at least 25
   characters scores 1, plus one a comma, plus one for each 100 characters (at most 3); its
   parent gets that score, its grandparent half, the ancestors above a third of it by level;
   each ancestor starts from a score for its kind (a ``div`` +5, a list -3, a heading -5) and
   its class and id (*article*, *content*, *post*... +25; *comment*, *footer*, *share*... -25);
4. the best ancestor, its score cut by its link density, is the article; a parent that shares
   the score with several other good candidates, or scores nearly as well, is taken instead;
5. its siblings join it when they score well enough, or when they are paragraphs of text that
   is not mostly links;
6. the article is cleaned: forms, embeds, footers, asides, iframes and share widgets leave it;
   a table, list or ``div`` that looks like boilerplate (mostly links, more images than
   paragraphs, a form, too short) leaves it unless it is a data table;
7. when this leaves less than 500 characters, the page is read again with step 1's class test
   off, then without class weights, then without step 6's cleaning; the longest result wins.

:func:`main_content` returns the article as an element (a ``div``) or ``None``.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

from lxml import etree, html

from .cleanup import clean_article
from .notes import drop
from .scoring import (
    BYLINE,
    CHAR_THRESHOLD,
    CLEAN,
    COMMAS,
    DIV_TO_P,
    KEEP_AS_BLOCK,
    MAYBE,
    PHRASING,
    REMOVED,
    STRIP,
    TAG_SCORE,
    TO_SCORE,
    UNLIKELY,
    UNLIKELY_ROLES,
    WEIGHT,
    class_and_id,
    class_weight,
    has_ancestor,
    inner_text,
    is_chrome,
    link_density,
    visible,
)

__all__ = ["main_content"]


class _Finder:
    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.scores: dict[Any, float] = {}
        self.byline_seen = False
        self.lengths: dict[Any, int] = {}

    def init(self, el: Any) -> None:
        self.scores[el] = TAG_SCORE.get(el.tag, 0) + class_weight(el, self.flags)

    # ------------------------------------------------------------------ step 1 and 2
    def prepare(self, body: Any) -> list[Any]:
        """Remove the unlikely, turn text ``div`` into paragraphs; the elements to score."""
        to_score: list[Any] = []
        node = body
        while node is not None:
            tag = node.tag
            marks = class_and_id(node)
            if not visible(node) or is_chrome(marks) or self._unlikely(node, tag, marks) or self._empty(node, tag):
                node = _remove_and_next(node)
                continue
            if tag in TO_SCORE:
                to_score.append(node)
            if tag == "div":
                _wrap_phrasing(node)
                only = _single_child(node, "p")
                if only is not None and link_density(node) < 0.25:
                    node.getparent().replace(node, only)
                    only.tail = node.tail
                    node = only
                    to_score.append(node)
                elif not _has_block_child(node):
                    node.tag = "p"
                    to_score.append(node)
            node = _next(node)
        return to_score

    def _unlikely(self, node: Any, tag: str, marks: str) -> bool:
        if tag in ("body", "html", "a", "article", "main"):
            return False
        if (
            self.flags & STRIP
            and marks.strip()
            and UNLIKELY.search(marks)
            and not MAYBE.search(marks)
            and not has_ancestor(node, ("table", "code"), 0)
        ):
            return True
        if (node.get("role") or "") in UNLIKELY_ROLES:
            return True
        if tag in ("nav", "button", "select", "input", "textarea", "dialog"):
            return True
        return not self.byline_seen and self._byline(node, tag, marks)

    def _byline(self, node: Any, tag: str, marks: str) -> bool:
        """The first byline (an element marked as the author's, of under 100 characters) leaves the text."""
        marked = node.get("rel") == "author" or "author" in (node.get("itemprop") or "") or BYLINE.search(marks)
        if not marked or tag in ("h1", "h2", "h3", "h4", "h5", "h6") or node.get("itemprop") == "articleBody":
            return False
        if 0 < len(inner_text(node)) < 100:
            self.byline_seen = True
            return True
        return False

    @staticmethod
    def _empty(node: Any, tag: str) -> bool:
        if tag not in ("div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6"):
            return False
        if any(child.tag not in ("br", "hr") for child in node):
            return False
        return not node.text_content().strip()

    def length(self, el: Any) -> int:
        """The length of ``el``'s text (kept: the tree does not change while candidates are scored)."""
        length = self.lengths.get(el)
        if length is None:
            length = self.lengths[el] = len(inner_text(el))
        return length

    def link_lengths(self, body: Any, candidates: list[Any]) -> dict[Any, float]:
        """The length of the link text inside each candidate (in-page links count 0.3), in one pass over the links."""
        links = dict.fromkeys(candidates, 0.0)
        for a in body.iter("a"):
            length = self.length(a) * (0.3 if (a.get("href") or "").startswith("#") else 1.0)
            if length:
                for up in a.iterancestors():
                    if up in links:
                        links[up] += length
        return links

    # ------------------------------------------------------------------ step 3 and 4
    def score(self, to_score: list[Any]) -> list[Any]:
        candidates: list[Any] = []
        for el in to_score:
            parent = el.getparent()
            if parent is None:
                continue
            text = inner_text(el)
            if len(text) < 25:
                continue
            ancestors = list(itertools.islice(el.iterancestors(), 5))
            if not ancestors:
                continue
            points = 1 + len(COMMAS.findall(text)) + min(len(text) // 100, 3)
            for level, up in enumerate(ancestors):
                if up.getparent() is None:
                    continue
                if up not in self.scores:
                    self.init(up)
                    candidates.append(up)
                divider = 1 if level == 0 else 2 if level == 1 else level * 3
                self.scores[up] += points / divider
        return candidates

    def top(self, body: Any, candidates: list[Any]) -> Any:
        scored = []
        links = self.link_lengths(body, candidates)
        for el in candidates:
            length = self.length(el)
            self.scores[el] *= 1 - (links[el] / length if length else 0.0)
            scored.append(el)
        scored.sort(key=lambda el: self.scores[el], reverse=True)
        if not scored or scored[0].tag == "body":
            return None
        top = scored[0]
        best = self.scores[top]
        alternatives = [set(el.iterancestors()) for el in scored[1:5] if best and self.scores[el] / best >= 0.75]
        if len(alternatives) >= 3:
            for up in top.iterancestors():
                if up.tag == "body":
                    break
                if sum(up in seen for seen in alternatives) >= 3:
                    top = up
                    break
        if top not in self.scores:
            self.init(top)
        last = self.scores[top]
        threshold = last / 3
        for up in top.iterancestors():
            if up.tag == "body":
                break
            if up not in self.scores:
                continue
            if self.scores[up] < threshold:
                break
            if self.scores[up] > last:
                top = up
                break
            last = self.scores[up]
        parent = top.getparent()
        while parent is not None and parent.tag != "body" and len(parent) == 1:
            top, parent = parent, parent.getparent()
        if top not in self.scores:
            self.init(top)
        return top

    # ------------------------------------------------------------------ step 5
    def gather(self, top: Any) -> Any:
        article = html.Element("div")
        parent = top.getparent()
        siblings = list(parent) if parent is not None else [top]
        threshold = max(10.0, self.scores[top] * 0.2)
        top_class = top.get("class") or ""
        for sibling in siblings:
            if not isinstance(sibling.tag, str):
                continue
            append = sibling is top
            if not append:
                bonus = self.scores[top] * 0.2 if top_class and sibling.get("class") == top_class else 0
                if sibling in self.scores and self.scores[sibling] + bonus >= threshold:
                    append = True
                elif sibling.tag == "p":
                    text = inner_text(sibling)
                    density = link_density(sibling, len(text))
                    long_prose = len(text) > 80 and density < 0.25
                    sentence = 0 < len(text) < 80 and density == 0 and (". " in text or text.endswith("."))
                    append = long_prose or sentence
            if append:
                if sibling.tag not in KEEP_AS_BLOCK:
                    sibling.tag = "div"
                sibling.tail = None
                article.append(sibling)
        return article


# --------------------------------------------------------------------------- tree walking


def _next(node: Any, skip_children: bool = False) -> Any:
    if not skip_children:
        for child in node:
            if isinstance(child.tag, str):
                return child
    while node is not None:
        sibling = node.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is not None:
            return sibling
        node = node.getparent()
    return None


def _remove_and_next(node: Any) -> Any:
    following = _next(node, skip_children=True)
    drop(node)
    return following


def _phrasing(el: Any) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag in PHRASING:
        return True
    return tag in ("a", "del", "ins") and all(_phrasing(child) for child in el)


def _wrap_phrasing(div: Any) -> None:
    """Loose text and inline elements of ``div`` beside blocks wrapped into ``p`` (as Readability does)."""
    if all(_phrasing(child) for child in div):
        return  # a div of text only: it is read as a paragraph as it is
    if not (div.text or "").strip() and not any((c.tail or "").strip() or _phrasing(c) for c in div):
        return  # blocks only: nothing to wrap
    out: list[Any] = []
    p: Any = None
    text, div.text = div.text, None
    if text and text.strip():
        p = html.Element("p")
        p.text = text
        out.append(p)
    elif text:
        div.text = text
    for child in list(div):
        if _phrasing(child):
            if p is not None:
                p.append(child)
            elif child.tag != "br" or (child.tail or "").strip():
                p = html.Element("p")
                out.append(p)
                p.append(child)
            else:
                out.append(child)
            continue
        p = None
        tail, child.tail = child.tail, None
        out.append(child)
        if tail and tail.strip():
            p = html.Element("p")
            p.text = tail
            out.append(p)
    div[:] = out


def _single_child(node: Any, tag: str) -> Any:
    children = [c for c in node if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag != tag:
        return None
    if (node.text or "").strip() or any((c.tail or "").strip() for c in node):
        return None
    return children[0]


def _has_block_child(node: Any) -> bool:
    return next(node.iterdescendants(*DIV_TO_P), None) is not None


# --------------------------------------------------------------------------- the whole


def _prepare_page(body: Any) -> None:
    """What is never content: scripts, styles, comments, hidden templates."""
    for el in list(body.iter(etree.Comment, *REMOVED)):
        if el.getparent() is not None:
            drop(el)


def _attempt(body: Any, flags: int) -> Any:
    finder = _Finder(flags)
    to_score = finder.prepare(body)
    candidates = finder.score(to_score)
    top = finder.top(body, candidates)
    if top is None:
        article = html.Element("div")
        article.text = body.text
        article.extend(list(body))
    else:
        article = finder.gather(top)
    clean_article(article, flags)
    return article


def main_content(root: Any, again: Callable[[], Any] | None = None) -> Any:
    """The article of the page ``root`` (a ``div``), or ``None`` when the page has no body.

    ``root`` is changed: read everything else from the page first.  ``again`` gives the page as
    ``root`` was, for a second reading with fewer rules (without it, ``root`` is copied first).
    """
    body = _body(root)
    if body is None:
        return None
    if again is None:
        pristine = copy.deepcopy(root)
        again = lambda: copy.deepcopy(pristine)  # noqa: E731
    best: tuple[int, Any] = (0, None)
    flags = STRIP | WEIGHT | CLEAN
    for drop_flag in (0, STRIP, WEIGHT, CLEAN):
        flags &= ~drop_flag
        work = body if drop_flag == 0 else _body(again())
        article = _attempt(work, flags)
        length = len(inner_text(article))
        if length >= CHAR_THRESHOLD:
            return article
        if length > best[0]:
            best = (length, article)
    return best[1]


def _body(root: Any) -> Any:
    body = root if root.tag == "body" else root.find("body")
    if body is not None:
        _prepare_page(body)
    return body
