"""Footnotes that stay on the page of their reference.

When the line that would complete a paragraph's ``orphans`` does not fit on a
full page, WeasyPrint 70 moves the page's last footnote to the next page to make
room for it, away from its reference.  The writer moves the paragraph instead,
as WeasyPrint did before, in two ways:

- **The layout guard** (WeasyPrint 70.x, :data:`GUARDED_WEASYPRINT`): the
  writer lays the page out with a subclass of WeasyPrint's ``Document`` whose
  layout context, :class:`FootnoteKeepingContext`, answers the line layout's
  question "is this in a column?" with yes, and WeasyPrint never moves
  footnotes inside a column.  WeasyPrint's own classes are left as they are:
  other renderings, in this thread or another, are not touched.
- **The check** (any version): :func:`block_displacing_footnote` looks at the
  finished layout, by WeasyPrint's box classes; if a footnote still sits on a
  later page than its reference, the paragraph that runs over that page break
  starts the next page and the document is laid out again (at most
  :data:`MAX_FOOTNOTE_PASSES` times).  With the guard the sample needs one
  layout, without it two; the PDFs are the same.

This module imports WeasyPrint: the writer imports it only to render a PDF.
"""

from __future__ import annotations

from typing import Any

import weasyprint
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext

#: WeasyPrint major versions whose layout :class:`FootnoteKeepingContext` is written for (and tested with).
GUARDED_WEASYPRINT = range(70, 71)
#: Class that forces a page break before a paragraph (set by the footnote check).
PAGE_BREAK_CLASS = "page-break-before"
#: Layouts tried at most, after the first, to keep every footnote on the page of its reference.
MAX_FOOTNOTE_PASSES = 3


def guard_applies(version: str) -> bool:
    """Whether the layout guard is written for this WeasyPrint version (``"70.0"``)."""
    major = version.partition(".")[0]
    return major.isdigit() and int(major) in GUARDED_WEASYPRINT


class FootnoteKeepingContext(LayoutContext):  # type: ignore[misc]
    """WeasyPrint's layout context, in which a full page never sends a footnote away from its reference.

    WeasyPrint 70 reads ``in_column`` in three places: the line layout, which
    moves footnotes only outside columns; the measure of the footnote area,
    which takes the footnotes' room from the page only outside columns; and the
    page-break rules, where it only decides the ``column`` values of ``break-*``,
    which the print stylesheet never uses.  This context says "in a column"
    everywhere but while the footnote area is measured, where it tells the truth.
    """

    @property
    def in_column(self) -> bool:
        actual = bool(self.__dict__.get("in_column", False))
        return actual or not self.__dict__.get("_measuring_footnotes", 0)

    @in_column.setter
    def in_column(self, value: bool) -> None:
        self.__dict__["in_column"] = value

    def _update_footnote_area(self) -> Any:
        self.__dict__["_measuring_footnotes"] = self.__dict__.get("_measuring_footnotes", 0) + 1
        try:
            return super()._update_footnote_area()
        finally:
            self.__dict__["_measuring_footnotes"] -= 1


class FootnoteKeepingDocument(Document):  # type: ignore[misc]
    """A WeasyPrint document laid out in a :class:`FootnoteKeepingContext`."""

    @classmethod
    def _build_layout_context(cls, *args: Any, **kwargs: Any) -> Any:
        context = super()._build_layout_context(*args, **kwargs)
        context.__class__ = FootnoteKeepingContext  # the same object, with the subclass's answer
        return context


def _render(html: Any, options: dict[str, Any]) -> Any:
    """``html.render(**options)``, through :class:`FootnoteKeepingDocument` when the guard applies."""
    if not guard_applies(weasyprint.__version__):
        return html.render(**options)
    return FootnoteKeepingDocument._render(html, None, None, None, {**weasyprint.DEFAULT_OPTIONS, **options})


def lay_out(html: Any, options: dict[str, Any]) -> Any:
    """The WeasyPrint document of ``html`` (a ``weasyprint.HTML``), every footnote on its reference's page."""
    document = _render(html, options)
    for _ in range(MAX_FOOTNOTE_PASSES):
        block = block_displacing_footnote(document)
        if block is None:
            break
        block.set("class", (block.get("class", "") + " " + PAGE_BREAK_CLASS).strip())
        document = _render(html, options)
    return document


def block_displacing_footnote(document: Any) -> Any:
    """The paragraph to move to the next page so that no footnote leaves its reference's page.

    Finds the first page where a footnote was carried over to the next page
    and returns the element of the block that runs over to that next page
    (None when every footnote is in place, or when that block already starts
    the page and cannot move).
    """
    call_page: dict[int, int] = {}
    note_page: dict[int, int] = {}
    pages = [page._page_box for page in document.pages]
    for number, page_box in enumerate(pages):
        for child in page_box.children:
            if isinstance(child, boxes.FootnoteAreaBox):
                for note in child.children:
                    if note.element is not None:
                        note_page.setdefault(id(note.element), number)
            else:
                for box in child.descendants():
                    footnote = getattr(box, "footnote", None)
                    if footnote is not None and footnote.element is not None:
                        call_page.setdefault(id(footnote.element), number)
    late = sorted(call for key, call in call_page.items() if note_page.get(key, call) > call)
    if not late or late[0] + 1 >= len(pages):
        return None
    number = late[0]
    here = _line_blocks(pages[number])
    after = {id(el) for el in _line_blocks(pages[number + 1])}
    if len(here) < 2 or id(here[-1]) not in after:
        return None
    return here[-1]


def _line_blocks(page_box: Any) -> list[Any]:
    """Elements of the blocks holding lines of text on a page, in order (footnotes and margins excluded)."""
    found: list[Any] = []
    seen: set[int] = set()
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox):
            continue
        for box in child.descendants():
            if isinstance(box, boxes.LineBox) and box.element is not None and id(box.element) not in seen:
                seen.add(id(box.element))
                found.append(box.element)
    return found
