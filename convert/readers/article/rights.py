"""The rights furniture: copyright, licence, disclaimer, source, reprint permission, fair use, contact.

A line is classified by :func:`classify_line` into the crosswalk row it belongs to, and kept
verbatim (a ``Disclaimer:`` label excepted, which names the row).  :func:`take_rights` takes
such lines out of the text where they are furniture and not part of the article's prose:

* before the article's prose starts and after it ends (a little prose may come before or
  after: a source line, a promotion the chrome step drops, an author's bio);
* under a heading of their own (``Copyright``, ``Copyright Notice``, ``Full Copyright
  Statement``, ``License``, ``Disclaimer``) whose first paragraph is a rights line: the whole
  section is taken;
* the source, the copyright, the licence and the disclaimer start the rights; the contact line
  and the fair-use notice are taken only after one of them.

A rights line in the middle of the prose stays, and so does a list item.  A Markdown footnote
that is a disclaimer or a licence stays a note and is the article's disclaimer or licence too.
:func:`comment_rights` reads the rights written in HTML comments (``<!-- SPDX-License-Identifier:
CC-BY-4.0 -->``), which the parser drops.  A licence line also gives the licence's SPDX
identifier and address (``licence_id``, ``licence_url``), when it names a licence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from convert.recache import compile as recompile

from ...ir.model import Block, Emph, Heading, Inline, LineBreak, Link, OrderedList, Paragraph, Strong, Text
from ...licences import CC_URL, licence_of, names_licence
from ...licences import SPDX_LINE as _SPDX
from .chrome import SITE_PROFILES, is_chrome_block, split_lines
from .draft import Draft
from .memo import flat_text, fold_lowered, memo, text_of, wide_count

__all__ = ["classify_line", "comment_rights", "licence_of", "take_rights"]

#: The rows that start the rights; a contact line or a fair-use notice only follows one of them.
STRONG = frozenset({"copyright", "licence", "disclaimer", "source"})

_YEAR = recompile(r"(?<!\d)(?:1[5-9]|20)\d{2}(?!\d)")
_RESERVED = recompile(
    r"all rights? reserved|alle rechte vorbehalten|tous droits r[ée]serv[ée]s|todos los derechos reservados|"
    r"tutti i diritti riservati|todos os direitos reservados|все права защищены|wszelkie prawa zastrzeżone|"
    r"版权所有|版權所有|無断転載",
    re.I,
)
_COPYRIGHT_SIGN = recompile(r"^(?:copyright\s*:?\s*)?(?:©|\(c\))", re.I)
_COPYRIGHT_WORD = recompile(r"^copyright\b(?!\s+(?:law|act|office|holders?|notice|infringement)\b)", re.I)
_ABBREVIATION_END = recompile(r"\b(?:Ltd|Inc|Co|Corp|LLC|GmbH|S\.A|Ltda|Pty|plc|e\.V)\.$", re.I)

_DISCLAIMER_LABEL = recompile(
    r"^(?:disclaimer|haftungsausschluss|avertissement|clause de non-responsabilit[ée]|aviso legal|"
    r"descargo de responsabilidad|exenci[óo]n de responsabilidad|esclusione di responsabilit[àa]|"
    r"isen[çc][ãa]o de responsabilidade|отказ от ответственности|免责声明|免責事項|免責聲明)"
    r"(?:\s*[:：]\s*|\s+[-\u2013\u2014]\s+)",
    re.I,
)
#: The disclaimer phrases, each with a word it cannot be without (the phrase is looked for only when it is there).
_DISCLAIMER_PHRASES = (
    ("expressed", r"(?:^|[:：]\s*)(?:the\s+)?(?:views?|opinions?)(?:\s+and\s+(?:views?|opinions?))?\s+expressed\b"),
    (
        "own",
        r"^(?:all\s+|the\s+|any\s+)?(?:views?|opinions?)\s+(?:expressed\s+)?(?:here\s+|herein\s+)?(?:are|is)\s+"
        r"(?:solely\s+)?(?:my|our|his|her|their|the\s+authors?[’']?s?)(?:\s+own)?\b",
    ),
    ("reflect", r"\bdo(?:es)?\s+not\s+(?:necessarily\s+)?reflect\s+(?:the\s+)?(?:views|opinions|official|position)"),
    (
        "represent",
        r"\bdo(?:es)?\s+not\s+(?:necessarily\s+)?represent\s+(?:the\s+)?(?:views|opinions|official|position)",
    ),
    ("endorse", r"\bdo(?:es)?\s+not\s+(?:constitute\s+or\s+)?imply\s+(?:its\s+|their\s+|an?\s+|any\s+)?endorsement\b"),
    ("endorse", r"\bneither\s+endorses?\s+nor\s+guarantees?\b"),
    ("as is", r"\bprovided\s+(?:on\s+an\s+)?[\"“”]?as\s+is[\"“”]?"),
    ("disclaim", r"\bdisclaims?\s+all\s+(?:warranties|liability)\b"),
    ("informational", r"\bfor\s+(?:general\s+)?informational\s+purposes\s+only\b"),
    ("advice", r"\b(?:is|does)\s+not\s+(?:constitute\s+)?(?:legal|financial|medical|investment|tax)\s+advice\b"),
    ("responsible", r"\bnot\s+responsible\s+for\s+the\s+content\s+of\s+(?:external|linked|third[- ]party|other)\b"),
    ("мнение", r"мнение\s+(?:автора|редакции)\s+(?:может\s+)?не\s+совпада"),
)
#: For each phrase, words one of which it cannot be without either (in lower case; none: no such word).
_DISCLAIMER_OTHER_WORDS: tuple[tuple[str, ...], ...] = (
    ("view", "opinion"),
    ("view", "opinion"),
    ("view", "opinion", "official", "position"),
    ("view", "opinion", "official", "position"),
    ("imply",),
    ("neither",),
    ("provided",),
    ("warranties", "liability"),
    ("purposes",),
    ("legal", "financial", "medical", "investment", "tax"),
    ("content",),
    ("совпада",),
)

_SOURCE = recompile(
    r"^(?:(?:this|the|a|an\s+earlier)\s+(?:version\s+of\s+this\s+)?"
    r"(?:article|post|story|piece|essay|column|interview|text|review|report)\s+"
    r"(?:was\s+|is\s+|has\s+been\s+)?(?:originally\s+|first\s+)?(?:published|appeared|posted|ran)\b|"
    r"(?:originally|first)\s+(?:published|appeared|posted)\s+(?:in|on|at|by)\b|"
    r"(?:cross-?posted|reposted|republished)\s+from\b)",
    re.I,
)
_PERMISSION = recompile(
    r"^(?:this\s+(?:article|story|post|piece|essay|text)\s+(?:is\s+|was\s+|has\s+been\s+)?)?"
    r"(?:(?:reprinted|republished|reproduced|reposted|used|shared|published|printed|adapted)\s+(?:here\s+)?"
    r"(?:with|by)\s+(?:the\s+)?(?:kind\s+)?permission\b|"
    r"перепечатано\s+с\s+(?:разрешения|согласия)|abdruck\s+mit\s+(?:freundlicher\s+)?genehmigung|"
    r"reproduit\s+avec\s+(?:l[’']aimable\s+)?(?:autorisation|permission)|reproducido\s+con\s+(?:el\s+)?permiso)",
    re.I,
)
_PUBLIC_DOMAIN = recompile(
    r"\b(?:placed|dedicated|released|is|are|has\s+been)\s+(?:in|into|to)\s+the\s+public\s+domain\b|"
    r"\bdomaine\s+public\b|\bgemeinfrei\b|\bdominio\s+p[úu]blico\b|\bобщественное\s+достояние\b",
    re.I,
)
_LICENCE_LABEL = recompile(
    r"^(?:licen[cs]e|lizenz|licencia|licen[çc]a|licenza|лицензия|许可证?|ライセンス)\s*[:：]\s*\S", re.I
)
_LICENCE_WORD = recompile(
    r"licen[cs]|lizenz|licencia|licen[çc]a|licenza|лиценз|许可|授权|ライセンス|\bunder\s+(?:a|the)\b", re.I
)
_CONTACT = recompile(r"^(?:For media inquiries|Media inquiries|Media contact|Contact(?: us)?)\s*:", re.I)
_FAIR_USE = recompile(r"\bfair use\b", re.I)


def _is_licence(text: str, low: str, anchored: bool = True) -> bool:
    """Whether ``text`` (``low``: in lower case) is a licence line.

    ``anchored`` is false when none of the patterns that start a line matches (they are not tried again).
    """
    if anchored and (_SPDX.match(text) or _PERMISSION.match(text)):
        return True
    if len(text) > 400:
        return False
    label = anchored and bool(_LICENCE_LABEL.match(text))
    if label or (len(text) <= 300 and _public_domain(text, low) and len(text.split()) <= 40):
        return label or not low.startswith("the public domain")
    if not names_licence(text, low=low):
        return False
    # only the licence's name (``CC0``, ``CC BY-SA 4.0``), or a sentence that says something is under it
    return len(text.split()) <= 6 or bool(_LICENCE_WORD.search(text))


def _public_domain(text: str, low: str) -> bool:
    """:data:`_PUBLIC_DOMAIN` found in ``text`` (looked for only when a word it cannot be without is there)."""
    fold = fold_lowered(low)
    # "public" alone is a common word: the English and French phrases hold "domain" too (the rarer, asked first)
    words = ("domain" in fold and "public" in fold) or any(
        map(fold.__contains__, ("gemeinfrei", "dominio", "общественное"))
    )
    return words and bool(_PUBLIC_DOMAIN.search(text))


# --------------------------------------------------------------------------- lines


def _is_copyright(text: str) -> bool:
    if len(text) > 300:
        return False
    sign = _COPYRIGHT_SIGN.match(text)
    if sign:
        rest = text[sign.end() :].strip()
        if not rest:
            return False
        if _YEAR.search(rest) or _RESERVED.search(rest):
            return True
        # "© Example Press": a few words, not a sentence that happens to start with the sign
        return len(rest.split()) <= 6 and (not rest.endswith((".", "!", "?")) or bool(_ABBREVIATION_END.search(rest)))
    word = _COPYRIGHT_WORD.match(text)
    return word is not None and bool(_YEAR.search(text[word.end() :]) or _RESERVED.search(text))


@functools.cache
def _disclaimer_phrases() -> tuple[tuple[str, tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]], ...]:
    """For each word a disclaimer phrase cannot be without, once: the phrases that need it (with their other words)."""
    by_word: dict[str, list[tuple[tuple[str, ...], re.Pattern[str]]]] = {}
    for (word, pattern), others in zip(_DISCLAIMER_PHRASES, _DISCLAIMER_OTHER_WORDS, strict=True):
        by_word.setdefault(word, []).append((others, recompile(pattern, re.I)))
    return tuple((word, tuple(phrases)) for word, phrases in by_word.items())


def _disclaimer_at(text: str, low: str = "") -> int:
    """Where the first disclaimer phrase of ``text`` (``low``: in lower case, if known) starts (-1: none)."""
    fold = fold_lowered(low or text.lower())
    # each word looked for once (most lines hold none of them), the phrases of those found tried
    phrases = [phrase for word, group in _disclaimer_phrases() if word in fold for phrase in group]
    if not phrases:
        return -1
    starts = [m.start() for others, p in phrases if any(map(fold.__contains__, others)) and (m := p.search(text))]
    return min(starts, default=-1)


@functools.cache
def _profile_sources() -> re.Pattern[str] | None:
    patterns = [p for profile in SITE_PROFILES for p in profile.source]
    return recompile("^(?:" + "|".join(patterns) + ")", re.I) if patterns else None


@functools.cache
def _line_starts() -> re.Pattern[str]:
    """Every pattern :func:`classify_line` matches at the start of a line, in one (a quick test before them)."""
    profile = _profile_sources()
    patterns = [_SOURCE, *([profile] if profile else []), _COPYRIGHT_SIGN, _COPYRIGHT_WORD, _DISCLAIMER_LABEL]
    patterns += [_SPDX.compiled, _PERMISSION, _LICENCE_LABEL, _CONTACT]
    assert all(p.flags & re.I for p in patterns)
    return recompile("|".join(f"(?:{p.pattern})" for p in patterns), re.I)


def classify_line(text: str) -> tuple[str, str] | None:
    """The rights row a line belongs to and the value kept for it; None if it is not rights furniture.

    ``("copyright", "Copyright © Иван Петров, 2019")``, ``("licence", "This article is licensed
    under CC BY 4.0")``, ``("disclaimer", "The views are mine.")`` (for ``Disclaimer: The views
    are mine.``), ``("source", ...)``, ``("contact", ...)``, ``("fair_use", ...)``.
    """
    if "  " in text or "\n" in text or "\t" in text or text[:1].isspace() or text[-1:].isspace():
        text = " ".join(text.split())
    return _classify_flat(text)


def _classify_flat(text: str) -> tuple[str, str] | None:
    """:func:`classify_line` of a line whose white space is collapsed already (:func:`~.memo.collapse`)."""
    if not text:
        return None
    bare = text.strip("*_ ")
    low = bare.lower()
    anchored = _line_starts().match(bare) is not None  # else none of the patterns that start a line matches
    if anchored:
        profile = _profile_sources()
        if _SOURCE.match(bare) or (profile is not None and profile.match(bare)):
            return "source", text
        if _is_copyright(bare):
            return "copyright", text
        label = _DISCLAIMER_LABEL.match(bare)
        if label and len(bare) > label.end():
            return "disclaimer", bare[label.end() :]
    if _is_licence(bare, low, anchored):
        return "licence", text
    at = -1 if len(bare) > 1500 else _disclaimer_at(bare[:420], low if len(bare) <= 420 else "")
    if 0 <= at < 300:  # near its start: a line that ends with one is something else
        return "disclaimer", text
    if anchored and _CONTACT.match(bare):
        return "contact", text
    if "fair use" in low and "copyright" in low and _FAIR_USE.search(bare):
        return "fair_use", text
    return None


def _line_text(line: Sequence[Inline]) -> str:
    return flat_text(line if isinstance(line, tuple) else tuple(line))


def _segments(line: tuple[Inline, ...]) -> list[tuple[Inline, ...]] | None:
    """A line made of emphasised parts side by side (``_Note: ..._ _This post was ..._``), one each."""
    parts: list[tuple[Inline, ...]] = []
    for node in line:
        if isinstance(node, Emph | Strong):
            parts.append((node,))
        elif not (isinstance(node, Text) and not node.text.strip()):
            return None
    return parts if len(parts) > 1 else None


def _link_of(line: tuple[Inline, ...]) -> str:
    """The address of a line that is one link (or whose links point to a licence)."""
    for node in line:
        if isinstance(node, Link) and CC_URL.search(node.target):
            return node.target
        if isinstance(node, Emph | Strong):
            found = _link_of(node.content)
            if found:
                return found
    return ""


def _block_rights(block: Block) -> list[tuple[str, str, str]] | None:
    """Each line of a paragraph as (row, value, licence link); None unless every line is rights furniture."""
    if not isinstance(block, Paragraph):
        return None
    found: list[tuple[str, str, str]] = []
    if LineBreak not in map(type, block.content):  # (the IR's node classes have no subclasses)
        if len(text_of(block.content)) > 1500:  # longer than any rights line
            return None
        lines = [block.content]
    else:
        lines = split_lines(block.content)
    for line in lines:
        parts = _segments(line)
        if parts is not None:
            kinds = [_classify_flat(_line_text(part)) for part in parts]
            if all(kinds):
                found.extend((*kind, _link_of(part)) for kind, part in zip(kinds, parts, strict=True) if kind)
                continue
        kind = _classify_flat(_line_text(line))  # (the line's flat text: its white space collapsed)
        if kind is None:
            return None
        found.append((*kind, _link_of(line)))
    return found or None


#: :func:`_block_rights`, once per block (the caller does not change the list).
block_rights = memo("rights", _block_rights)


# --------------------------------------------------------------------------- taking them


def _join(old: str | None, new: str) -> str:
    if old and new in old.split("\n\n"):
        return old
    return f"{old}\n\n{new}" if old else new


def _add(fields: dict[str, Any], kind: str, value: str, link: str = "") -> None:
    fields[kind] = _join(fields.get(kind), value)
    if kind == "licence" and not fields.get("licence_id") and not fields.get("licence_url"):
        spdx, url = licence_of(value, link)
        if spdx:
            fields["licence_id"] = spdx
        if url:
            fields["licence_url"] = url


_SECTION_TITLE = recompile(
    r"^(?:[\dIVX]+(?:\.\d+)*\.?\s+)?(?:(?:full\s+)?copyright(?:\s+(?:notice|statement|and\s+licen[cs]e|&\s+licen[cs]e))?|"
    r"licen[cs]e|licen[cs]ing|rights(?:\s+and\s+permissions)?|permissions|legal(?:\s+notice)?|disclaimers?|"
    r"lizenz|urheberrecht|droits\s+d[’']auteur|licencia|derechos\s+de\s+autor|авторские\s+права|лицензия|"
    r"版权|著作権|ライセンス)\s*:?$",
    re.I,
)


def _title_text(block: Block) -> str | None:
    """The text of a heading, of a short line standing alone, or of a one-item numbered list (``11. Title``)."""
    if isinstance(block, OrderedList) and len(block.items) == 1 and len(block.items[0]) == 1:
        block = block.items[0][0]
    if isinstance(block, Heading):
        return text_of(block.content).strip()
    if isinstance(block, Paragraph) and Link not in map(type, block.content):
        words = text_of(block.content).split(None, 8)
        if len(words) > 8:  # more than eight words (the text is not split further)
            return None
        text = " ".join(words)
        if 0 < len(text) <= 60 and not text.endswith((".", "!", "?", ",", ";")):
            return text
    return None


def _section_kind(title: str) -> str:
    low = title.lower()
    if "copyright" in low or "urheber" in low or "auteur" in low or "autor" in low or "版权" in low or "著作権" in low:
        return "copyright"
    if "disclaim" in low:
        return "disclaimer"
    return "licence"


def _weight(block: Block) -> int:
    """How much of the article's prose a block is: its length, for a paragraph or quotation of some size."""
    if not isinstance(block, Paragraph):
        return 0
    text = text_of(block.content)
    size = len(text) if text.isascii() else len(text) + wide_count(text)  # CJK: twice
    return size if size >= 60 else 0


def _sections(blocks: list[Block]) -> Iterator[tuple[int, int, str]]:
    """(start, end, row) of each rights section: a rights title whose first paragraph is a rights line."""
    i = 0
    while i < len(blocks) - 1:
        title = _title_text(blocks[i])
        first = block_rights(blocks[i + 1]) if title and _SECTION_TITLE.match(title) else None
        if title is None or not first or not any(kind in STRONG for kind, _, _ in first):
            i += 1
            continue
        # the rights lines under the title; any paragraph, when the section is the last of the text
        last = all(_title_text(b) is None for b in blocks[i + 1 :])
        j = i + 1
        while j < len(blocks) and isinstance(blocks[j], Paragraph) and _title_text(blocks[j]) is None:
            if is_chrome_block(blocks[j]) or not (last or block_rights(blocks[j])):
                break
            j += 1
        yield i, j, _section_kind(title)
        i = j


def _between_prose(index: int, weights: list[int], found: list[Any]) -> bool:
    """Whether the nearest blocks before and after ``index`` that are not rights furniture are both prose."""

    def neighbour(step: int) -> bool:
        k = index + step
        while 0 <= k < len(weights) and found[k]:
            k += step
        return 0 <= k < len(weights) and weights[k] > 0

    return neighbour(-1) and neighbour(1)


def take_rights(draft: Draft) -> None:
    """Transform: take the rights furniture out of the text into the draft's rights rows (see the module)."""
    blocks = draft.blocks
    taken: set[int] = set()
    fields = draft.fields
    for start, end, kind in _sections(blocks):
        for block in blocks[start + 1 : end]:
            assert isinstance(block, Paragraph)
            for row, value, link in block_rights(block) or [(kind, _line_text(block.content), "")]:
                _add(fields, row, value, link)
        taken.update(range(start, end))
    found: list[list[tuple[str, str, str]] | None] = []
    weights: list[int] = []
    for i, block in enumerate(blocks):  # (one pass: only a paragraph is rights furniture or has weight)
        rights = block_rights(block) if type(block) is Paragraph and i not in taken else None
        found.append(rights)
        weight = 0 if rights or type(block) is not Paragraph or i in taken else _weight(block)
        # chrome is no prose (a long paragraph is no chrome)
        weights.append(0 if 0 < weight <= 1000 and is_chrome_block(block) else weight)
    total = sum(weights)
    lead = min(300, total // 4)
    tail = min(500, total // 4)
    before = 0
    strong_seen = bool(taken)
    for index, rights in enumerate(found):
        after = total - before - weights[index]
        before += weights[index]
        if not rights:
            continue
        strong = all(kind in STRONG for kind, _, _ in rights)
        at_start = before <= lead and strong
        at_end = after <= tail and (strong or strong_seen)
        # further in, in the second half (or the first quarter), a rights paragraph with no prose on one side
        apart = strong and (after <= total // 2 or before <= total // 4) and not _between_prose(index, weights, found)
        if not (at_start or at_end or apart):
            continue
        strong_seen = strong_seen or strong
        for row, value, link in rights:
            _add(fields, row, value, link)
        taken.add(index)
    for footnote in draft.footnotes:
        if len(footnote.blocks) == 1:
            rights = block_rights(footnote.blocks[0])
            if rights and all(kind in ("disclaimer", "licence") for kind, _, _ in rights):
                for row, value, link in rights:
                    _add(fields, row, value, link)
    if taken:
        draft.blocks = [b for i, b in enumerate(blocks) if i not in taken]


# --------------------------------------------------------------------------- HTML comments

_FENCE = recompile(r"^\s{0,3}(`{3,}|~{3,})")


def comment_rights(text: str, fields: dict[str, Any]) -> None:
    """Add the rights written in HTML comments of ``text`` (``<!-- Copyright ... -->``) to ``fields``.

    Only comments that start a line outside fenced code count, and only the copyright, licence
    and disclaimer lines in them; other comments are ignored, as the parser ignores them.
    """
    if "<!--" not in text:
        return
    fence = ""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark) :].strip():
                fence = ""
            i += 1
            continue
        stripped = line.lstrip()
        if fence or not stripped.startswith("<!--"):
            i += 1
            continue
        body = [stripped[4:]]
        j = i
        while "-->" not in body[-1] and j + 1 < len(lines) and j - i < 20:
            j += 1
            body.append(lines[j])
        body[-1] = body[-1].split("-->", 1)[0]
        for part in body:
            kind = classify_line(part)
            if kind is not None and kind[0] in STRONG:
                _add(fields, *kind)
        i = j + 1
