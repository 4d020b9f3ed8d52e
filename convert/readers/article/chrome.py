"""Site chrome: promotion lines, share and membership links, links to nowhere, and the rules around them.

Chrome is dropped, never kept as text; a line is chrome only when all of it is.
"""

from __future__ import annotations

import functools
import re

from ...ir.model import Block, Emph, Inline, LineBreak, Link, Paragraph, Strong, Text, ThematicBreak
from ...ir.walk import normalize_inlines, plain_text
from .draft import Draft

__all__ = ["is_chrome_text", "split_lines", "strip_chrome"]

_CHROME_SENTENCES = (
    r".*\bcan be read in \d+ languages\b.*",
    r"to receive .*\bnewsletter\b.*",
    r".*\b(?:newsletter|subscribe|sign up|donate|donation|membership)\b.*\bclick here\b.*",
    r"(?:note to readers:\s*)?(?:please\s+)?click the share buttons?\b.*",
    r"(?:visit and\s+)?follow us on\b.*",
    r"(?:and\s+)?subscribe to (?:our|the)\b.*\b(?:channel|newsletter|feed|podcast|list|page)\b.*",
    r"feel free to re-?post\b.*",
    r"forward this article to\b.*",
    r"crosspost on\b.*",
    r"share this (?:article|page|story)\b.*",
    r"become a member of\b.*",
    r"comment on\b.*\b(?:facebook|twitter|articles|page)\b.*",
    r"articles by:.*",
    r"support (?:us|independent (?:media|journalism)|global research)\b.*",
    r"(?:please\s+)?(?:donate|make a donation)\b.*",
    r"print this (?:article|page)\b.*",
    r"related articles?:?",
    r"read more:?",
)
_CHROME_SENTENCE = re.compile("(?:" + "|".join(_CHROME_SENTENCES) + ")", re.I | re.S)
_SENTENCE_END = re.compile("(?<=[.!?])\\s+(?=[A-Z\"\u201c\u2018'(\\[])")


@functools.cache
def _share_words() -> re.Pattern[str]:
    return re.compile(
        r"^(?:share(?: on \w+)?|tweet|e-?mail|print|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|pinterest)$",
        re.I,
    )


@functools.cache
def _share_target() -> re.Pattern[str]:
    return re.compile(
        r"sharer|/share\b|[?&]share=|intent/tweet|/submit\?|sharearticle|^mailto:\?|^whatsapp:|t\.me/share|/print/",
        re.I,
    )


_LINK_SEPARATORS = re.compile("^[\\s|\u00b7\u2022/,\\-\u2013\u2014]*$")


def is_chrome_text(text: str) -> bool:
    """Whether a line of text is made only of chrome sentences ("Follow us on ...", ...)."""
    text = " ".join(text.split())
    if not text or len(text) > 1000:  # chrome is a line or two, never a long paragraph
        return False
    return all(_CHROME_SENTENCE.fullmatch(s.strip(" *_")) for s in _SENTENCE_END.split(text))


def split_lines(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """The lines of a paragraph (split at hard breaks), each normalised, empty ones left out."""
    lines: list[list[Inline]] = [[]]
    for node in content:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [line for line in (normalize_inlines(raw) for raw in lines) if line]


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


def _is_chrome_line(line: tuple[Inline, ...]) -> bool:
    if is_chrome_text(plain_text(line)) or _is_share_links(line):
        return True
    # a line that is only a (bold) link to nowhere outside, e.g. "Comment on ... page", "Become a Member"
    inner = _unwrap(line)
    return len(inner) == 1 and isinstance(inner[0], Link) and not inner[0].target.startswith(("http", "mailto"))


def _strip_chrome(block: Block) -> Block | None:
    """The block without its chrome lines; None when nothing else is left."""
    if not isinstance(block, Paragraph):
        return block
    lines = split_lines(block.content)
    kept = [line for line in lines if not _is_chrome_line(line)]
    if not kept:
        return None
    if len(kept) == len(lines):
        return block
    content: list[Inline] = []
    for line in kept:
        if content:
            content.append(LineBreak())
        content.extend(line)
    return Paragraph(normalize_inlines(content))


def strip_chrome(draft: Draft) -> None:
    """Transform: drop the chrome lines of the text, and a rule that sets chrome off from the text."""
    cleaned = [_strip_chrome(block) for block in draft.blocks]
    kept: list[Block] = []
    for index, block in enumerate(cleaned):
        if block is None:
            continue
        if isinstance(block, ThematicBreak):
            # the rule that sets chrome off from the text goes with it
            before = cleaned[index - 1] if index else ThematicBreak()
            after = cleaned[index + 1] if index + 1 < len(cleaned) else ThematicBreak()
            if before is None or after is None:
                continue
        kept.append(block)
    draft.blocks = kept
