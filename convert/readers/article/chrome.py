"""Site chrome: what a site or a saving tool puts around an article, dropped from the text.

A classifier over generic patterns, not one site's strings (a site's own wording is a
:class:`SiteProfile`: data).  What it recognises:

* **chrome sentences**, alone on a line or a paragraph (every sentence of it must be one):
  promotion and share prompts, newsletter sign-ups, paywalls, donation appeals, "share your
  story" prompts, in English and a few other languages (:mod:`.chrome_sentences`, with the
  site profiles);
* **link rows**: share links, a navigation row (several short links side by side), scholarly
  link rows (``PubMed Abstract | CrossRef Full Text | Google Scholar``, also at the end of a
  reference, where only the row is cut off), links to nowhere outside (``[Comment](#)``);
* **leftovers** of the tool that made the page: template tags (``{% include x %}``,
  ``{{< ref >}}``, ``{{ page.title }}``, ``\\toc``, ``[TOC]``), editor settings (Emacs'
  ``Local Variables:`` ... ``End:``, a vim modeline), style sheet and script text;
* **sections**: a "Related articles", "Next article", "Trackbacks:", "You may also like" title
  with the links under it; a table of contents (a "Contents" title and a list of links, or a list
  of links to anchors of the page above the text); an "About the author" box, and, after the
  text, a short bio that starts with the article's author's name;
* above the text only: lone links (a site's name linking to its home page, "Blog index") and
  lines of symbols.

Chrome is dropped, never kept as text; a paragraph is chrome only when all of it is (a line of a
paragraph is dropped alone when it is chrome), and a title is dropped only with the links under
it.  The number of dropped blocks is reported as a detail (``chrome.dropped``, shown with ``-v``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from convert.recache import compile as recompile

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    Emph,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines, plain_text
from ...lazyre import LazyPattern
from .chrome_sentences import SITE_PROFILES, SiteProfile, is_chrome_flat, is_chrome_text
from .draft import Draft
from .memo import flat_text, memo, text_of, wide_count

__all__ = [
    "SITE_PROFILES", "LazyPattern", "SiteProfile", "is_chrome_block", "is_chrome_text", "split_lines", "strip_chrome",
]  # fmt: skip


@functools.cache
def _share_words() -> re.Pattern[str]:
    return recompile(
        r"^(?:share(?: on \w+)?|tweet|e-?mail|print|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|pinterest)$",
        re.I,
    )


@functools.cache
def _share_target() -> re.Pattern[str]:
    return recompile(
        r"sharer|/share\b|[?&]share=|intent/tweet|/submit\?|sharearticle|^mailto:\?|^whatsapp:|t\.me/share|/print/",
        re.I,
    )


_LINK_SEPARATORS = recompile("^[\\s|\u00b7\u2022/,\\-\u2013\u2014\u00bb\u203a:]*$")


def split_lines(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """The lines of a paragraph (split at hard breaks), each normalised, empty ones left out."""
    lines: list[list[Inline]] = [[]]
    for node in content:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [line for line in (normalize_inlines(raw) for raw in lines) if line]


def _lines(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """:func:`split_lines`, without a copy for the common paragraph of one line."""
    if LineBreak not in map(type, content):  # (the IR's node classes have no subclasses)
        return [content] if content else []
    return split_lines(content)


def _unwrap(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Content inside any emphasis that wraps all of it."""
    while len(content) == 1 and isinstance(content[0], Strong | Emph):
        content = content[0].content
    return content


def _is_share_links(content: tuple[Inline, ...]) -> bool:
    """A line of share links ("Share | Tweet | Email", links to sharer pages)."""
    links = 0
    for node in _unwrap(content):
        node_content = _unwrap((node,))
        if len(node_content) == 1 and isinstance(node_content[0], Link):
            link = node_content[0]
            if not (_share_target().search(link.target) or _share_words().match(plain_text(link.content).strip())):
                return False
            links += 1
        elif not (isinstance(node, Text) and _LINK_SEPARATORS.match(node.text)):
            return False
    return links > 0


def _is_nav_row(content: tuple[Inline, ...]) -> bool:
    """A navigation row: short links side by side (``[Docs](..) | [Blog](..)``), at most a few words after them."""
    links = 0
    tail_words = 0
    for outer in _unwrap(content):  # (most rows are known at their first node)
        node = _unwrap((outer,))
        if len(node) == 1 and isinstance(node[0], Link):
            if tail_words or len(plain_text(node[0].content).split()) > 6:
                return False
            links += 1
        elif len(node) == 1 and isinstance(node[0], Text) and _LINK_SEPARATORS.match(node[0].text):
            continue
        elif links and len(node) == 1 and isinstance(node[0], Text):
            tail_words += len(node[0].text.split())  # "submit search" after the links
            if any(ch in node[0].text for ch in ".!?;"):
                return False
        else:
            return False
    return links >= 3 and tail_words <= 3 if tail_words else links >= 2


# --------------------------------------------------------------------------- leftovers

_TEMPLATE_TOKEN = recompile(r"\s*(?:\{%[^%]{0,500}%\}|\{\{[^{}]{0,500}\}\}|\\toc\b|\[TOC\]|\[\[_?TOC_?\]\]|\{:toc\})")
_IMAGE_TAG = recompile(r"\b(?:src|image|img|figure)\b|\.(?:png|jpe?g|gif|svg|webp)\b", re.I)
_REFERENCE_DEFINITION = recompile(r"\s*\[[^\]]{1,200}\]:\s*\S+")
_LOCAL_VARIABLES = recompile(r"^\s*local variables:", re.I)
_MODELINE = recompile(
    r"^local variables:\s.{0,2000}\bend:$|^(?:vim?|ex):\s*(?:set?\s)?[\w=:.,+\- ]{1,200}$|^-\*-.{1,200}-\*-$",
    re.I | re.S,
)
_CSS_RULE = recompile(r"^\s*[\w.#:,>*+~\[\]=\"'()\- ]{1,200}\{[^{}]{0,1000}$")
_CSS_DECLARATION = recompile(r"[\w-]+\s*:\s*[^;{}]+")
_STYLE_TAG = recompile(r"</?(?:style|script)\b[^<>]{0,200}>", re.I)
_SCRIPT = recompile(
    r"^(?:window\.|document\.|var |let |const |function\s*\w*\s*\(|\(function\b|\(adsbygoogle\b|gtag\(|dataLayer\b)"
)
_SCHOLARLY = frozenset(
    {
        "pubmed abstract", "pubmed", "pubmed central", "crossref full text", "crossref", "google scholar",
        "full text", "abstract", "pmc free article", "pmc", "scopus", "web of science", "free full text",
        "find this article online", "medline", "europe pmc", "publisher full text", "isi", "cas", "article", "pdf",
    }
)  # fmt: skip
_SCHOLARLY_SPLIT = recompile(r"\s*[|\u00b7\u2022]\s*")
_SCHOLARLY_WORDS = r"(?:PubMed Abstract|CrossRef Full Text|Google Scholar|PubMed|CrossRef|Full Text|PMC Free Article)"
_SCHOLARLY_TAIL = recompile(rf"\s{_SCHOLARLY_WORDS}(?:\s*\|\s*{_SCHOLARLY_WORDS})+\s*$", re.I)


def _is_template(text: str) -> bool:
    """Only template tags (``{% include x %}``, ``{{< shortcode >}}``, ``\\toc``), read token by token.

    Link reference definitions the parser left as text (``[label]: url``) may stand beside them.
    A shortcode that shows an image (``{{< figure src="a.png" >}}``) is not a leftover.
    """
    pos = 0
    tags = 0
    while pos < len(text):
        m = _TEMPLATE_TOKEN.match(text, pos) or _REFERENCE_DEFINITION.match(text, pos)
        if m is None:
            return tags > 0 and not text[pos:].strip()
        if m.re is _TEMPLATE_TOKEN:
            if _IMAGE_TAG.search(m.group()):
                return False  # a figure or image shortcode: it names an image, which is not to be lost
            tags += 1
        pos = m.end()
    return tags > 0


def _is_style_or_script(text: str) -> bool:
    """Style sheet rules (``table { font-size: 1rem; }``) or script statements left as text (tags and all)."""
    text = _STYLE_TAG.sub(" ", text).strip() if "<" in text else text
    if not text:
        return True  # only the tags: ``<style>`` ... ``</style>``
    if "{" in text and text.rstrip().endswith("}"):
        rules = text.rstrip().rstrip("}").split("}")
        if all(_CSS_RULE.match(rule) and _CSS_DECLARATION.search(rule.split("{", 1)[1]) for rule in rules):
            return True
    return bool(_SCRIPT.match(text)) and text.rstrip().endswith((";", "}", ");"))


def _is_scholarly_row(text: str) -> bool:
    if "|" not in text and "\u00b7" not in text and "\u2022" not in text:
        return False
    parts = _SCHOLARLY_SPLIT.split(text.strip())
    return len(parts) >= 2 and all(part.lower() in _SCHOLARLY for part in parts)


#: What a template tag or a reference definition starts with (after white space): :func:`_is_template` needs one.
_TEMPLATE_FIRST = ("{", "\\", "[")


def _is_leftover(text: str) -> bool:
    if len(text) > 3000:
        return False
    return (
        (text.lstrip()[:1] in _TEMPLATE_FIRST and _is_template(text))
        or bool(_MODELINE.match(text))
        or _is_style_or_script(text)
        or _is_scholarly_row(text)
    )


def _cut_scholarly_tail(block: Paragraph) -> Paragraph:
    """A reference without the scholarly link row at its end (a row of text or links)."""
    last = block.content[-1] if block.content else None
    if not (
        isinstance(last, Link | LineBreak)
        or (isinstance(last, Text) and ("|" in last.text[-400:] or not last.text.strip(" \t\n|\u00b7\u2022")))
    ):
        return block  # (what most paragraphs end with: nothing to cut)
    content = list(block.content)
    changed = False
    while content and (
        (isinstance(content[-1], Link) and plain_text(content[-1].content).strip().lower() in _SCHOLARLY)
        or (isinstance(content[-1], Text) and not content[-1].text.strip(" \t\n|\u00b7\u2022"))
        or isinstance(content[-1], LineBreak)
    ):
        if isinstance(content[-1], Link):
            changed = True
        content.pop()
    if content and isinstance(content[-1], Text) and "|" in content[-1].text[-400:]:
        text = content[-1].text
        m = _SCHOLARLY_TAIL.search(text[-400:])
        if m:
            content[-1] = Text(text[: len(text) - len(text[-400:]) + m.start()])
            changed = True
    if not changed:
        return block
    while content and isinstance(content[-1], LineBreak):
        content.pop()
    return Paragraph(normalize_inlines(content))


# --------------------------------------------------------------------------- lines and paragraphs


def _is_chrome_line(line: tuple[Inline, ...], *, nav_row: bool | None = None, text: str = "", flat: str = "") -> bool:
    """Whether a line is chrome (``nav_row``: whether it is a navigation row, when known).

    ``text`` and ``flat``: its plain text and that collapsed, when known already.
    """
    text = text or text_of(line)
    flat = flat or flat_text(line)
    if (
        is_chrome_flat(flat)
        or _is_share_links(line)
        or (_is_nav_row(line) if nav_row is None else nav_row)
        or _is_scholarly_row(text)
    ):
        return True
    # a line that is only a (bold) link to nowhere outside, e.g. "Comment on ... page", "Become a Member"
    inner = _unwrap(line)
    return len(inner) == 1 and isinstance(inner[0], Link) and not inner[0].target.startswith(("http", "mailto"))


def _starts_with_words(line: tuple[Inline, ...]) -> bool:
    """Whether a line starts with a text that is not only separators (``Some words``, not ``" | "``).

    Such a line is no navigation row, no row of share links and no link alone (:func:`_is_nav_row`
    and :func:`_is_chrome_line` tell those by their first node), so only its text can make it chrome.
    """
    first = line[0] if line else None
    return type(first) is Text and not _LINK_SEPARATORS.match(first.text)


def _strip_chrome_block(block: Block) -> Block | None:
    """The block without its chrome lines; None when nothing else is left."""
    if not isinstance(block, Paragraph):
        return block
    raw = text_of(block.content)
    flat = flat_text(block.content) if len(raw) <= 3000 else ""
    words = _starts_with_words(block.content)  # (most paragraphs: no row of links, nor one link)
    if (len(raw) <= 3000 and _is_leftover(flat)) or (not words and _is_nav_row(block.content)):
        return None
    lines = _lines(block.content)
    if len(lines) == 1 and lines[0] is block.content:  # (one line: the paragraph is no navigation row, seen above)
        if words:
            chrome = is_chrome_flat(flat or flat_text(block.content)) or _is_scholarly_row(raw)
        else:
            chrome = _is_chrome_line(block.content, nav_row=False, text=raw, flat=flat)
        kept = [] if chrome else lines
    else:
        kept = [line for line in lines if not _is_chrome_line(line)]
    if not kept:
        return None
    if len(kept) == len(lines):
        return _cut_scholarly_tail(block)
    content: list[Inline] = []
    for line in kept:
        if content:
            content.append(LineBreak())
        content.extend(line)
    return _cut_scholarly_tail(Paragraph(normalize_inlines(content)))


#: :func:`_strip_chrome_block`, once per block.
_strip_chrome = memo("chrome", _strip_chrome_block)


def is_chrome_block(block: Block) -> bool:
    """Whether a block is site chrome, all of it (a paragraph whose every line is)."""
    return type(block) is Paragraph and _strip_chrome(block) is None  # (only a paragraph may be)


# --------------------------------------------------------------------------- sections

_RELATED_TITLE = recompile(
    r"^(?:related(?: articles?| posts?| stories| content| reading| links)?|"
    r"more (?:from|on|in|stories|articles|posts)\b.*|"
    r"(?:next|previous|prev|older|newer) (?:article|post|story|entry|page)s?|read (?:next|also)|"
    r"you (?:may|might) also (?:like|enjoy|be interested in)|recommended(?: for you| reading| articles| stories)?|"
    r"popular (?:posts|articles|stories)|(?:recent|latest) (?:posts|articles|stories|news)|"
    r"most (?:read|popular|viewed)|trackbacks?|pingbacks?|also on \S+|"
    r"art[ií]culos relacionados|articles (?:li[ée]s|similaires|connexes)|"
    r"(?:[äa]hnliche|verwandte) (?:artikel|beitr[äa]ge)|"
    r"похожие (?:статьи|записи|материалы)|читайте также|相关文章|関連記事|相關文章)\s*:?$",
    re.I,
)
_TOC_TITLE = recompile(
    r"^(?:(?:table of )?contents|in this (?:article|post|page|guide)|on this page|jump to|inhalt(?:sverzeichnis)?|"
    r"sommaire|table des mati[èe]res|[íi]ndice|contenidos?|содержание|оглавление|目次|目录|目錄)\s*:?$",
    re.I,
)
_BIO_TITLE = recompile(
    r"^(?:about (?:the )?(?:authors?|writers?)|author bio(?:graphy)?|the authors?|[üu]ber (?:den autor|die autorin)|"
    r"[àa] propos de l[’']auteur|sobre (?:el|la) autora?|об авторе|作者简介|著者について|著者紹介)\s*:?$",
    re.I,
)
_BIO_LABEL = recompile(r"^about the authors?\s*[:.\u2014\u2013-]\s*\S", re.I)
_BIO_ROLE = recompile(
    r"\b(?:is|was)\s+(?:an?|the)\b.{0,80}\b(?:writer|journalist|reporter|editor|author|professor|fellow|researcher|"
    r"correspondent|columnist|contributor|director|founder|student|analyst|lecturer|scientist|engineer|historian|"
    r"economist|member|candidate|consultant|designer|developer|photographer)\b|\b(?:lives|is based) in\b",
    re.I,
)


def _title_of_block(block: Block) -> str | None:
    """The text of a heading, or of a short paragraph standing alone as one (``Trackbacks:``, ``**Contents**``)."""
    if isinstance(block, Heading):
        return flat_text(block.content)
    if isinstance(block, Paragraph):
        words = text_of(block.content).split(None, 6)
        if len(words) > 6 or any(isinstance(n, Link | LineBreak) for n in _unwrap(block.content)):
            return None  # more than six words (the text is not split further), or a link or a line break
        text = " ".join(words)
        if 0 < len(text) <= 50 and not text.endswith((".", "!", "?", ",", ";")):
            return text
    return None


#: :func:`_title_of_block`, once per block.
_title_of = memo("chrome-title", _title_of_block)


def _first_link(blocks: tuple[Block, ...]) -> Link | None:
    """The link a list item or a paragraph starts with, when it is mostly that link."""
    if not blocks or not isinstance(blocks[0], Paragraph):
        return None
    content = _unwrap(blocks[0].content)
    if not content or not isinstance(_unwrap(content[:1])[0], Link):
        return None
    link = _unwrap(content[:1])[0]
    assert isinstance(link, Link)
    rest = plain_text(content[1:])
    return link if len(rest.split()) <= 12 else None


def _is_link_block(block: Block) -> bool:
    """A list of links (each item starting with one), or a paragraph that is one link."""
    if isinstance(block, BulletList | OrderedList):
        return bool(block.items) and all(_first_link(item) is not None for item in block.items)
    if isinstance(block, Paragraph):
        inner = _unwrap(block.content)
        return len(inner) == 1 and isinstance(inner[0], Link)
    return False


_ENTRY_NUMBER = recompile(r"^(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.)\s+", re.I)


def _entry(text: str) -> str:
    return _ENTRY_NUMBER.sub("", " ".join(text.split())).strip().lower()


def _toc_entries(block: Block) -> list[str] | None:
    """The entries of a list that may be a table of contents: each item one short line (a link or not)."""
    if not isinstance(block, BulletList | OrderedList) or not block.items:
        return None
    entries: list[str] = []
    for item in block.items:
        if not item or not isinstance(item[0], Paragraph):
            return None
        text = " ".join(plain_text(item[0].content).split())
        if not text or len(text.split()) > 12 or text.endswith((".", "!", "?", ";")):
            return None
        entries.append(_entry(text))
        for sub in item[1:]:  # a nested list of sub-entries
            if _toc_entries(sub) is None:
                return None
    return entries


def _is_lone_link_or_symbol(block: Block) -> bool:
    """Navigation above the text: a paragraph that is one link (not to an image), or only symbols (``▽``)."""
    if not isinstance(block, Paragraph):
        return False
    inner = _unwrap(block.content)
    if len(inner) == 1 and isinstance(inner[0], Link) and not any(isinstance(n, Image) for n in inner[0].content):
        return True
    text = plain_text(block.content).strip()
    return 0 < len(text) <= 3 and not any(ch.isalnum() for ch in text)


def _is_prose(block: Block) -> bool:
    """Text of the article: a paragraph with some words outside links, or a quotation."""
    if isinstance(block, Paragraph):
        words = sum(len(n.text.split()) for n in _unwrap(block.content) if isinstance(n, Text))
        return words >= 3 or wide_count(plain_text(block.content)) >= 10
    return isinstance(block, BlockQuote)


def _is_bio(block: Block, authors: tuple[str, ...]) -> bool:
    """A short paragraph after the text that starts with an author's name and says what they do."""
    if not (authors and isinstance(block, Paragraph)):
        return False
    text = " ".join(plain_text(block.content).split())
    if len(text) > 500:
        return False
    return any(name and text.startswith(name) and _BIO_ROLE.search(text[len(name) :]) for name in authors)


def _modeline_end(blocks: list[Block | None], start: int) -> int:
    """The end of an Emacs ``Local Variables:`` block that starts at ``start`` and spans paragraphs (0: none)."""
    block = blocks[start]
    if not (isinstance(block, Paragraph) and _LOCAL_VARIABLES.match(text_of(block.content))):
        return 0
    for k in range(start, min(start + 8, len(blocks))):
        block = blocks[k]
        if not isinstance(block, Paragraph):
            return 0
        text = plain_text(block.content).strip()
        if len(text) > 500:
            return 0
        if text.lower().endswith("end:"):
            return k + 1
    return 0


def _sections(blocks: list[Block | None], authors: tuple[str, ...]) -> Counter[str]:
    """Mark the chrome sections (set to None), counting them by kind."""
    dropped: Counter[str] = Counter()
    n = len(blocks)
    first_prose = next((i for i, b in enumerate(blocks) if b is not None and _is_prose(b)), n)
    # the titles of the sections below the first prose, read only when a list above it may be their table
    # (when it is read, nothing from the first prose on was dropped yet: the same as reading them first)
    headings: set[str] | None = None
    for i in range(first_prose):  # navigation above the text
        block = blocks[i]
        if block is not None and _is_lone_link_or_symbol(block):
            blocks[i] = None
            dropped["navigation"] += 1
    i = 0
    while i < n:
        block = blocks[i]
        end = _modeline_end(blocks, i)
        if end:  # editor settings that the text's layout split into several paragraphs
            for k in range(i, end):
                dropped["leftovers"] += blocks[k] is not None
                blocks[k] = None
            i = end
            continue
        title = _title_of(block) if block is not None else None
        if title is None:
            entries = _toc_entries(block) if block is not None and i < first_prose else None
            if entries and headings is None:
                headings = {_entry(t) for b in blocks[first_prose:] if b is not None and (t := _title_of(b))}
            if entries and all(entry in headings for entry in entries):  # type: ignore[operator]
                blocks[i] = None
                dropped["table of contents"] += 1
            i += 1
            continue
        kind = (
            "related links"
            if _RELATED_TITLE.match(title)
            else "table of contents"
            if _TOC_TITLE.match(title)
            else "author bio"
            if _BIO_TITLE.match(title)
            else ""
        )
        j = i + 1
        if kind == "related links":
            while j < n and (blocks[j] is None or _is_link_block(blocks[j])):  # type: ignore[arg-type]
                j += 1
        elif kind == "table of contents":
            while j < n and (blocks[j] is None or _toc_entries(blocks[j])):  # type: ignore[arg-type]
                j += 1
        elif kind == "author bio":
            while j < n and isinstance(blocks[j], Paragraph) and _title_of(blocks[j]) is None:  # type: ignore[arg-type]
                j += 1
            if j - i > 4 or (j < n and blocks[j] is not None and not isinstance(blocks[j], Heading | ThematicBreak)):
                j = i + 1  # a long section, or one the text goes on after: not a box
        if j > i + 1:
            for k in range(i, j):
                if blocks[k] is not None:
                    dropped[kind] += 1
                blocks[k] = None
        i = max(j, i + 1)
    # a bio box without a title: a short paragraph after the text about the article's author
    for i in range(n - 1, -1, -1):
        block = blocks[i]
        if block is None or isinstance(block, ThematicBreak):
            continue
        if _is_bio(block, authors) or (
            isinstance(block, Paragraph)
            and _BIO_LABEL.match(plain_text(block.content))
            and len(plain_text(block.content)) <= 600
        ):
            blocks[i] = None
            dropped["author bio"] += 1
            continue
        break
    return dropped


def strip_chrome(draft: Draft) -> None:
    """Transform: drop the site chrome of the text (see the module), and a rule that sets chrome off from the text."""
    cleaned: list[Block | None] = [_strip_chrome(b) if type(b) is Paragraph else b for b in draft.blocks]
    dropped = Counter({"lines": sum(1 for b in cleaned if b is None)})
    dropped += _sections(cleaned, draft.fields.authors)
    kept: list[Block] = []
    for index, block in enumerate(cleaned):
        if block is None:
            continue
        if isinstance(block, ThematicBreak):
            # the rule that sets chrome off from the text goes with it
            prev = cleaned[index - 1] if index else ThematicBreak()
            after = cleaned[index + 1] if index + 1 < len(cleaned) else ThematicBreak()
            if prev is None or after is None:
                continue
        kept.append(block)
    draft.blocks = kept
    count = sum(dropped.values())
    if count:
        from ...errors import inform

        kinds = ", ".join(f"{n} {kind}" for kind, n in dropped.most_common() if n)
        inform("chrome.dropped", f"dropped {count} blocks of site chrome ({kinds})", logger=__name__)
