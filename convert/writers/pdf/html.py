"""The HTML page the PDF writer hands to WeasyPrint.

It is the shared rendering (:mod:`convert.html.render`) with notes as real
footnotes, the print stylesheet inlined, the content sanitised, and line-break
opportunities added where WeasyPrint's line breaking would otherwise turn slow.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from convert.recache import compile as recompile

from ...errors import warn
from ...html.fetch import FetchPolicy, FetchRefusedError
from ...html.render import (
    HtmlContext,
    body_elements,
    document,
    mark_adjacent_note_calls,
    meta_elements,
    notes_section,
    rights_section,
    sanitize_tree,
    serialize,
    title_block,
)
from ...html.styles import stylesheet
from ...ir.crosswalk import UNTITLED, subject_line
from ...ir.model import Article
from ...registry import Options
from ...urls import WEB_SCHEMES, scheme
from ...words import ENGLISH, Words, words_for
from .checks import PAPER_CSS, check_options

#: The logger of the PDF writer's warnings (the package's name).
_LOGGER = __name__.rpartition(".")[0]


def short_title(title: str, limit: int = 60) -> str:
    """The title for the running head: up to its first colon or question, at most ``limit`` characters."""
    title = " ".join(title.split()) or UNTITLED
    m = re.match(r"^(.{12,}?[:?!])\s", title)
    if m:
        title = m.group(1).rstrip(":")
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def _image_src(policy: FetchPolicy) -> Callable[[str], str | None]:
    """Sources of images the article does not hold, as URLs the renderer may fetch; refused ones leave no ``<img>``.

    The images the article holds (:attr:`Article.assets`, read with the article from its
    folder and ``--asset-dir``) are embedded as ``data:`` URIs by the shared rendering
    and never reach this: here only a ``data:`` image or a remote one (``--allow-remote``)
    can still be shown; a local one the article does not hold is left out.
    """

    def image_src(src: str) -> str | None:
        shown = src if len(src) <= 200 else src[:200] + "..."
        url = src.strip()
        if scheme(url) not in ("data", *WEB_SCHEMES):
            policy.refused.append(src)
            if url:
                warn(
                    "pdf.image-relative",
                    f"image {shown!r} left out (its alt text is kept): the article does not hold it"
                    " (local images are read with the article, from its folder and --asset-dir)",
                    logger=_LOGGER,
                    subject=url,
                )
            return None
        if url.lower().startswith("data:") and not url.lower().startswith("data:image/"):
            policy.refused.append(src)
            warn(
                "pdf.image-not-image",
                f"image {shown!r} left out: the data: URL is not an image",
                logger=_LOGGER,
                subject=url,
            )
            return None
        try:
            policy.check(url)
        except FetchRefusedError:
            return None
        return url

    return image_src


_HARD_HYPHEN = recompile(r"(?<=\S)(-+\S)")


def _keep_hard_hyphens(root: etree._Element) -> None:
    """No line break right after a hyphen that is part of the text (``high-level``, URLs).

    A line ending in ``-`` reads as a word hyphenated by the typesetter: text
    extraction (pdftotext, copy and paste) drops the hyphen, which corrupts
    compounds and URLs.  Each such hyphen is kept on the line of the character
    after it (a ``nowrap`` span); words are still hyphenated where the
    typesetter needs to, with a plain ``-`` that extraction rightly removes.
    """

    def spans(text: str) -> tuple[str, list[etree._Element]]:
        parts = _HARD_HYPHEN.split(text)
        made = []
        for k in range(1, len(parts), 2):
            span = etree.Element("span")
            span.set("class", "nobreak")
            span.text = parts[k]
            span.tail = parts[k + 1] or None
            made.append(span)
        return parts[0], made

    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("pre", "code") or el.get("class") == "nobreak":
            continue
        if el.text and "-" in el.text:
            el.text, made = spans(el.text)
            for k, span in enumerate(made):
                el.insert(k, span)
        parent = el.getparent()
        if el is not root and parent is not None and el.tail and "-" in el.tail and parent.tag not in ("pre",):
            el.tail, made = spans(el.tail)
            index = parent.index(el)
            for k, span in enumerate(made, 1):
                parent.insert(index + k, span)


#: Most inline elements in a row, with no break opportunity between them, before one is added (``<wbr>``).
MAX_INLINE_RUN = 32
#: Most characters of one text without white space before a break opportunity is added (``<wbr>``).
MAX_UNBROKEN_TEXT = 1000

#: Elements that flow inside a line (the others start blocks, which are break opportunities themselves).
_INLINE_TAGS = frozenset(
    {
        *("a", "em", "strong", "i", "b", "u", "s", "sub", "sup", "code", "kbd", "samp"),
        *("span", "time", "abbr", "small", "q", "cite", "img"),
    }
)
_UNBROKEN = recompile(rf"\S{{{MAX_UNBROKEN_TEXT + 1},}}")


def _pieces(text: str) -> list[str]:
    """``text`` cut so that no piece ends in more than :data:`MAX_UNBROKEN_TEXT` characters without a space."""
    pieces, start = [], 0
    for m in _UNBROKEN.finditer(text):
        for cut in range(m.start() + MAX_UNBROKEN_TEXT, m.end(), MAX_UNBROKEN_TEXT):
            pieces.append(text[start:cut])
            start = cut
    pieces.append(text[start:])
    return pieces


def _wbr(tail: str | None = None) -> etree._Element:
    el = etree.Element("wbr")
    el.tail = tail or None
    return el


def _add_break_opportunities(root: etree._Element) -> None:
    """Bound the runs of a line that offer no break opportunity, so that line breaking stays linear.

    WeasyPrint looks for a place to break an overflowing line by going back
    over everything since the last break opportunity, once per element that
    overflows (and Pango lays out a whole unbreakable text once per line):
    a run of thousands of adjacent elements (``*_*_*_...``, ``a-b-c-...``) or
    of characters without a space (a long URL, a token) takes time quadratic
    in its length.  A ``<wbr>`` after every :data:`MAX_INLINE_RUN` elements
    and :data:`MAX_UNBROKEN_TEXT` characters of such a run bounds it.  Real
    text never has runs that long: nothing is added to it.
    """
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.text and len(el.text) > MAX_UNBROKEN_TEXT and el.get("class") != "nobreak":
            first, *rest = _pieces(el.text)
            el.text = first
            for k, piece in enumerate(rest):
                el.insert(k, _wbr(piece))
        parent = el.getparent()
        if el is not root and parent is not None and el.tail and len(el.tail) > MAX_UNBROKEN_TEXT:
            first, *rest = _pieces(el.tail)
            el.tail = first
            index = parent.index(el)
            for k, piece in enumerate(rest, 1):
                parent.insert(index + k, _wbr(piece))
    for parent in list(root.iter()):
        run, before = 0, []
        for child in parent:
            if not isinstance(child.tag, str) or child.tag not in _INLINE_TAGS:
                run = 0
                continue
            run += 1
            if run > MAX_INLINE_RUN:
                before.append(child)
                run = 1
            if child.tail and any(c.isspace() for c in child.tail):
                run = 0
        for child in before:
            child.addprevious(_wbr())


def _page_numbers_css(words: Words) -> str:
    """The page numbers at the foot of each page in the article's language (print.css has the English)."""
    if words.page_of == ENGLISH.page_of:
        return ""
    before, _, after = words.page_of.partition("{}")
    between, _, end = after.partition("{}")
    text = [f'"{part}"' for part in (before, between, end)]
    return f"\n@page {{ @bottom-center {{ content: {text[0]} counter(page) {text[1]} counter(pages) {text[2]}; }} }}\n"


def build_html(article: Article, options: Options, policy: FetchPolicy | None = None) -> str:
    """The HTML page handed to WeasyPrint (print stylesheet inlined, content sanitised)."""
    check_options(options)
    policy = policy or FetchPolicy.from_options(options)
    ctx = HtmlContext(article, xhtml=False, notes=options.notes, image_src=_image_src(policy))
    header = title_block(ctx)
    h1 = header.find("h1")
    words = words_for(article.metadata.language)
    if h1 is not None:
        h1.set("data-short", short_title(article.metadata.title or words.untitled))
    children = [header, *body_elements(ctx)]
    for child in children[1:]:
        if child.tag == "figure" and child.find("img") is None:
            child.set("class", "caption-only")
    children.extend(s for s in (notes_section(ctx), rights_section(ctx)) if s is not None)
    article_el = ctx.el("article")
    for child in children:
        article_el.append(child)
    sanitize_tree(article_el)
    mark_adjacent_note_calls(article_el)
    _keep_hard_hyphens(article_el)
    _add_break_opportunities(article_el)

    meta = article.metadata
    head_extra = meta_elements(ctx)
    if meta.subjects:
        head_extra.append(ctx.el("meta", name="description", content=subject_line(meta)))
    css = stylesheet("print.css") + PAPER_CSS[options.paper] + _page_numbers_css(words)
    root = document(ctx, meta.title, [article_el], css=css, head_extra=head_extra, body_class=f"notes-{options.notes}")
    return serialize(ctx, root).decode("utf-8")
