"""Step 6 of finding the article (see :mod:`.extract`): what is left of the page's furniture leaves it.

Forms, embeds (but videos), footers, asides, iframes and share widgets go; then each table, list
and ``div`` that looks like boilerplate by Readability's tests goes unless it is, or holds, a
data table: mostly links, more images than paragraphs, more list items than paragraphs, a form's
inputs, too short, a lone embed, or no text at all.  A data table (not layout) has a caption, a
head, a summary, or enough rows and columns (:func:`data_table`).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from .notes import drop
from .scoring import (
    CHAR_THRESHOLD,
    CLEAN,
    COMMAS,
    DIV_TO_P,
    SHARE,
    VIDEO,
    class_and_id,
    class_weight,
    has_ancestor,
    inner_text,
    link_density,
)

__all__ = ["clean_article", "data_table", "span"]

_AD_WORDS = recompile(r"^(?:ad(?:vertising|vertisement)?|pub(?:licité)?|werb(?:ung)?|广告|Реклама|Anuncio)$", flags=2)
_LOADING = recompile(r"^(?:loading|正在加载|Загрузка|chargement|cargando)(?:…|\.\.\.)?$", flags=2)
_TEXTISH = frozenset({"span", "li", "td", *DIV_TO_P})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def data_table(table: Any) -> bool:
    """Whether ``table`` holds data (not layout), by Readability's tests."""
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return False
    if table.get("summary"):
        return True
    caption = table.find("caption")
    if caption is not None and len(caption):
        return True
    if any(True for _ in table.iter("col", "colgroup", "tfoot", "thead", "th")):
        return True
    if any(el is not table for el in table.iter("table")):
        return False
    rows = list(table.iter("tr"))
    columns = max(
        (sum(span(cell.get("colspan")) for cell in row if cell.tag in ("td", "th")) for row in rows), default=0
    )
    return len(rows) >= 10 or columns > 4 or len(rows) * columns > 10


def span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _count(el: Any, *tags: str) -> int:
    return sum(1 for d in el.iterdescendants(*tags))


def _text_density(el: Any, tags: frozenset[str], length: int) -> float:
    if not length:
        return 0.0
    return sum(len(inner_text(d)) for d in el.iterdescendants() if d.tag in tags) / length


def _video(el: Any) -> bool:
    return any(VIDEO.search(value.lower()) for value in el.attrib.values()) or (
        el.tag == "object" and bool(VIDEO.search(etree.tostring(el, encoding="unicode").lower()))
    )


class _Cleaner:
    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.data_tables: set[Any] = set()

    def indata_table(self, el: Any) -> bool:
        return any(up in self.data_tables for up in el.iterancestors("table"))

    def conditionally(self, article: Any, tag: str) -> None:
        if not self.flags & CLEAN:
            return
        for node in reversed(list(article.iter(tag))):
            if node is article or node.getparent() is None:
                continue
            if self._remove(node, tag):
                drop(node)

    def _remove(self, node: Any, tag: str) -> bool:
        text = inner_text(node)
        length = len(text)
        is_list = tag in ("ul", "ol")
        if not is_list and length:
            is_list = sum(len(inner_text(lst)) for lst in node.iterdescendants("ul", "ol")) / length > 0.9
        if (tag == "table" and node in self.data_tables) or self.indata_table(node):
            return False
        if has_ancestor(node, ("code",), 0) or any(t in self.data_tables for t in node.iterdescendants("table")):
            return False
        weight = class_weight(node, self.flags)
        if weight < 0:
            return True
        if len(COMMAS.findall(text)) >= 10:
            return False
        p, img, li = _count(node, "p"), _count(node, "img"), _count(node, "li") - 100
        inputs = _count(node, "input")
        embeds = 0
        for embed in node.iterdescendants("object", "embed", "iframe"):
            if _video(embed):
                return False
            embeds += 1
        if _AD_WORDS.match(text) or _LOADING.match(text):
            return True
        density = link_density(node, length)
        figure = has_ancestor(node, ("figure",), 0)
        remove = (
            (not figure and img > 1 and p / img < 0.5)
            or (not is_list and li > p)
            or inputs > p // 3
            or (
                not is_list
                and not figure
                and _text_density(node, _HEADINGS, length) < 0.9
                and length < 25
                and (img == 0 or img > 2)
                and density > 0
            )
            or (not is_list and weight < 25 and density > 0.2)
            or (weight >= 25 and density > 0.5)
            or (embeds == 1 and length < 75)
            or embeds > 1
            or (img == 0 and _text_density(node, _TEXTISH, length) == 0)
        )
        if is_list and remove:
            if any(len(child) > 1 for child in node):
                return True
            if img == _count(node, "li"):
                return False
        return remove


def clean_article(article: Any, flags: int) -> None:
    """Step 6: what is left of the page's furniture inside the article leaves it."""
    cleaner = _Cleaner(flags)
    cleaner.data_tables = {t for t in article.iter("table") if data_table(t)}
    cleaner.conditionally(article, "form")
    cleaner.conditionally(article, "fieldset")
    for el in list(article.iter("object", "embed", "iframe")):
        if not _video(el):
            drop(el)
    for el in list(article.iter("footer", "aside", "link", "input", "textarea", "select", "button")):
        if el is not article and el.getparent() is not None:
            drop(el)
    for child in article:
        for el in list(child.iter()):
            marked = el is not child and isinstance(el.tag, str) and SHARE.search(class_and_id(el))
            if marked and len(el.text_content()) < CHAR_THRESHOLD and el.getparent() is not None:
                drop(el)
    for el in list(article.iter("h1", "h2")):
        if class_weight(el, flags) < 0:
            drop(el)
    cleaner.conditionally(article, "table")
    cleaner.conditionally(article, "ul")
    cleaner.conditionally(article, "div")
    for p in list(article.iter("p")):
        if not p.text_content().strip() and not any(True for _ in p.iter("img", "embed", "object", "iframe")):
            drop(p)
