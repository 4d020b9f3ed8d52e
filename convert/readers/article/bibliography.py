"""The reference list: an unnumbered author-year list becomes a :class:`~convert.ir.model.Bibliography`.

A list of works cited in author-year style (``Smith, J. (2019). Title. Journal``,
``Smith, John. 2019. Title``, ``Müller, H. (2019): Titel``) is found

* under a heading that names one (``References``, ``Bibliography``, ``Works cited``,
  ``Literatur``, ``Bibliographie``, ``Литература``, ``参考文献``, ...), as a heading or a
  paragraph that is only the word, followed by a bulleted list or by paragraphs
  (one entry each, or one entry a line);
* without a heading, at the end of the article (only rights lines and rules after
  it), when there are at least three entries and every one looks like a reference.

Numbered or labelled lists (``1. ...``, ``[1] ...``) are notes, not this step's.  The
heading becomes the bibliography's title; a line between heading and entries that
is no reference stays in the text (it is never taken as the first entry).

Each entry whose first author and year can be read gets a label (``smith2019``,
``smith2019a``); a citation in the text that names exactly one entry, ``(Smith, 2019)``,
``(Smith & Jones 2019; Lee, 2020a)``, ``Smith et al. (2019)``, becomes a link to it
(``#ref-smith2019``).  Anything ambiguous (two entries with one author and year, a
name no entry has) stays text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from convert.recache import compile as recompile

from ...ir.model import (
    BIB_LABEL,
    BibEntry,
    Bibliography,
    Block,
    BulletList,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines, plain_text, walk_inlines
from .chrome import split_lines
from .draft import Draft
from .memo import text_of

__all__ = ["bibliography"]

#: Headings of a reference list (lower case, without a trailing colon).
HEADINGS = frozenset(
    {
        "bibliography", "select bibliography", "references", "reference list", "references cited", "works cited",
        "works consulted", "literature", "literature cited", "sources", "further reading",
        "literatur", "literaturverzeichnis", "quellen", "quellenverzeichnis",
        "bibliographie", "références", "références bibliographiques", "ouvrages cités",
        "bibliografía", "referencias", "referencias bibliográficas", "bibliografia", "riferimenti bibliografici",
        "referências", "literatuur", "bibliografie",
        "литература", "список литературы", "источники", "библиография",
        "参考文献", "引用文献", "文献", "參考文獻", "参考资料",
    }
)  # fmt: skip

#: The first word of each heading (longer than none of them: 64 characters).
_FIRST_WORDS = frozenset(heading.split(" ")[0] for heading in HEADINGS)

_L = r"[^\W\d_]"  # a letter (its case is checked apart: ``re`` has no class of capitals)
_PARTICLES = r"(?:van|von|der|den|de|du|da|di|la|le|del|dos|ter|zu)"
_NAME = rf"(?:{_PARTICLES}[ ]){{0,2}}{_L}[\w'’-]{{0,40}}(?:[ -](?:{_PARTICLES}[ -])*{_L}[\w'’-]{{0,40}})?"
#: The first author, as a reference list writes it: ``Smith, J.``, ``Smith, John``, ``van Dijk, A.-M.``,
#: ``Smith J``, ``Иванов И. И.``, ``山田太郎``: the surname in ``name`` (``cjk``), the given name in ``given``.
_AUTHOR = recompile(
    rf"(?P<name>{_NAME}),?[ ](?P<given>(?:{_L}\.?-?){{1,3}}(?:[ ]{_L}\.){{0,2}}|{_L}[\w'’-]{{1,40}})(?=[\s,.(:;&]|$)"
    r"|(?P<cjk>[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,8})(?=[（(、,・ ])"
)


def _author(text: str, pos: int = 0) -> re.Match[str] | None:
    """The first author at ``text[pos:]``: a surname and a given name or initials, both capitalised."""
    m = _AUTHOR.match(text, pos)
    if m is None or m.group("cjk"):
        return m
    surname = m.group("name").split()[-1]
    return m if not surname[0].islower() and not m.group("given")[0].islower() else None


#: A year where a reference gives it: ``(2019)``, ``(2019a)``, ``2019.``, ``(n.d.)``, ``（2019）``.
_YEAR = recompile(r"(?:(?<=[(（\[ ,.])|^)(?P<year>1[5-9]\d\d|20\d\d)(?P<suffix>[a-z]?)(?=[)）\],.:;]|$)|\(n\.\s?d\.\)")
#: The same, right after the authors: what author-year style is about.
_EARLY_YEAR = recompile(
    r"[(（]\s*(?:1[5-9]\d\d|20\d\d)[a-z]?\s*[)）]|[.,]\s(?:1[5-9]\d\d|20\d\d)[a-z]?[.,:]\s|\(n\.\s?d\.\)"
)
#: What starts a numbered or labelled entry: a note, not a reference of this style.
_NUMBERED = recompile(r"\s*(?:\[\s*[\w.-]{1,8}\s*\]|\(?\d{1,4}[.):]\s|[ivxlc]{1,6}[.)]\s|\^)", re.I)
#: Lines that may follow a reference list at the end of an article: rights, source and licence lines.
_TAIL = recompile(
    r"\s*(?:©|\(c\)|copyright\b|all rights reserved|disclaimer\b|the original source\b|source\s*:|licen[cs]e|"
    r"this (?:article|work|post) (?:is|was)\b|reprinted\b|originally published\b|creative commons\b)",
    re.I,
)
_MIN_LENGTH, _MAX_LENGTH = 20, 1500
#: A list without a heading is taken only with this many entries.
_MIN_UNHEADED = 3


def _heading_text(block: Block) -> tuple[Inline, ...] | None:
    """The title of a reference-list heading (a heading, or a short paragraph that is only the word)."""
    if isinstance(block, Heading):
        content = block.content
    elif isinstance(block, Paragraph) and len(block.content) <= 3:
        content = block.content
        while len(content) == 1 and isinstance(content[0], Strong | Emph):
            content = content[0].content
    else:
        return None
    text = text_of(content).strip()
    if len(text) > 40 or text.rstrip(":：").strip().lower() not in HEADINGS:
        return None
    if text.endswith((":", "：")):
        content = normalize_inlines((*content[:-1], Text(plain_text(content[-1:]).rstrip().rstrip(":："))))
    return content


def _lead_heading(block: Block) -> tuple[tuple[Inline, ...], Paragraph] | None:
    """A paragraph that starts with the heading, the entries after it (its lines, or soft-wrapped into one)."""
    if not isinstance(block, Paragraph) or not block.content:
        return None
    # (a paragraph of one line, the most of them, is not split: it is no heading over its lines)
    lines = split_lines(block.content) if LineBreak in map(type, block.content) else []
    if len(lines) > 1 and (title := _heading_text(Paragraph(lines[0]))) is not None:
        rest: list[Inline] = []
        for line in lines[1:]:
            rest.extend([LineBreak(), *line] if rest else line)
        return title, Paragraph(tuple(rest))
    first = block.content[0]
    if not isinstance(first, Text):
        return None
    head = first.text.lstrip()[:64].split(maxsplit=1)  # (the first word: a heading's, or no heading here)
    if not head or (head[0].lower() not in _FIRST_WORDS and head[0].rstrip(":：").lower() not in _FIRST_WORDS):
        return None
    words = first.text.split(maxsplit=4)
    for k in range(1, min(len(words), 4)):
        lead = " ".join(words[:k])
        if lead.rstrip(":：").lower() in HEADINGS and not lead[0].islower():
            after = first.text.lstrip()[len(lead) :].lstrip()
            if _starts_entry(after):
                return (Text(lead.rstrip(":：")),), Paragraph(normalize_inlines((Text(after), *block.content[1:])))
    return None


def _looks_like_reference(text: str, *, strict: bool) -> bool:
    """Whether one entry reads as an author-year reference (``strict``: with no heading to say so)."""
    text = text.strip()
    if not _MIN_LENGTH <= len(text) <= _MAX_LENGTH or _NUMBERED.match(text):
        return False
    if _author(text) is None:
        return False
    if strict:
        year = _EARLY_YEAR.search(text[:200])
        return year is not None and len(text) - year.end() >= 10  # a title after the year
    return bool(_YEAR.search(text))


#: Where one entry may end and the next begin inside a line: after a full stop or a closing bracket.
_ENTRY_END = recompile(r"(?<=[.。)）」』])\s+")


#: A new sentence: what may not stand between the first author and the year of one entry.
_SENTENCE = recompile(r"\.\s+[^\W\d_]{2}")


def _starts_entry(text: str, pos: int = 0) -> bool:
    """Whether ``text`` (the rest of a line) starts with an author and, soon after, a year.

    Between them only more authors: no new sentence (``Calder Press. Lee, K. (2020)``
    starts an entry at ``Lee``, not at ``Calder``).
    """
    author = _author(text, pos)
    if author is None:
        return False
    year = _EARLY_YEAR.search(text, author.end(), author.end() + 160)
    return year is not None and not _SENTENCE.search(text, author.end(), year.start())


def _split_run_on(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """A line holding several entries run together (soft-wrapped, no blank line between) cut into them."""
    pieces: list[list[Inline]] = [[]]
    for node in content:
        if not isinstance(node, Text):
            pieces[-1].append(node)
            continue
        pos = 0
        for m in _ENTRY_END.finditer(node.text):
            if m.start() - pos > _MAX_LENGTH:
                return [content]  # no entry is that long: this is no list of entries (and no more work)
            if _starts_entry(node.text, m.end()) and (pieces[-1] or m.start() > pos):
                pieces[-1].append(Text(node.text[pos : m.start()]))
                pieces.append([])
                pos = m.end()
        pieces[-1].append(Text(node.text[pos:]))
    return [piece for piece in (normalize_inlines(p) for p in pieces) if piece]


def _entries_of(block: Block, *, strict: bool) -> list[tuple[Inline, ...]] | None:
    """The entries a block holds (a paragraph: one a line; a bulleted list: one an item), if all are references."""
    if isinstance(block, Paragraph):
        lines = [piece for line in split_lines(block.content) for piece in _split_run_on(line)]
        if len(lines) > 1 and all(_looks_like_reference(plain_text(line), strict=strict) for line in lines):
            return list(lines)
        content = normalize_inlines(block.content)
        return [content] if _looks_like_reference(plain_text(content), strict=strict) else None
    if isinstance(block, BulletList) and block.items:
        out: list[tuple[Inline, ...]] = []
        for item in block.items:
            if len(item) != 1 or not isinstance(item[0], Paragraph):
                return None
            content = normalize_inlines(item[0].content)
            if not _looks_like_reference(plain_text(content), strict=strict):
                return None
            out.append(content)
        return out
    return None


def _run(blocks: Sequence[Block], start: int, *, strict: bool) -> tuple[list[tuple[Inline, ...]], int]:
    """The entries of the reference blocks from ``start`` on, and the index after them."""
    entries: list[tuple[Inline, ...]] = []
    i = start
    while i < len(blocks):
        found = _entries_of(blocks[i], strict=strict)
        if found is None:
            break
        entries.extend(found)
        i += 1
    return entries, i


def _is_tail(block: Block) -> bool:
    """A block that may follow a reference list at the end of an article (rights lines, a rule)."""
    if isinstance(block, ThematicBreak):
        return True
    return isinstance(block, Paragraph) and bool(_TAIL.match(plain_text(block.content)))


# --------------------------------------------------------------------------- labels


def _slug(name: str) -> str:
    """``Müller`` -> ``muller``, ``O'Brien`` -> ``obrien``; letters of other scripts are kept."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded if ch.isalpha() and not unicodedata.combining(ch)).lower()


def _key(text: str) -> tuple[str, str, str] | None:
    """The first author's surname (as written), the year and its suffix of one entry, if readable."""
    author = _author(text.strip())
    if author is None:
        return None
    name = author.group("name") or author.group("cjk")
    year = _YEAR.search(text, author.end())
    if year is None or not year.group("year"):
        return None
    return name, year.group("year"), year.group("suffix")


def _labels(entries: Sequence[tuple[Inline, ...]], taken: set[str]) -> tuple[list[str], dict[tuple[str, str], str]]:
    """A label per entry (``""`` when none can be made), and the citation key -> label of unambiguous entries."""
    keys = [_key(plain_text(content)) for content in entries]
    count: dict[tuple[str, str], int] = {}
    for key in keys:
        if key is not None:
            count[(key[0], key[1] + key[2])] = count.get((key[0], key[1] + key[2]), 0) + 1
    labels: list[str] = []
    cited: dict[tuple[str, str], str] = {}
    suffixes: dict[str, int] = {}  # base -> the last suffix tried
    for key in keys:
        if key is None:
            labels.append("")
            continue
        name, year, suffix = key
        base = f"{_slug(name)}{year}{suffix}"
        if not BIB_LABEL.match(base):
            labels.append("")
            continue
        n = suffixes.get(base, 0)
        label = base if n == 0 else ""
        while not label or label in taken:  # a repeated one: base-1, base-2, ...
            n += 1
            label = f"{base}-{n}"
        suffixes[base] = n
        taken.add(label)
        if count[(name, year + suffix)] == 1:
            cited[(name, year + suffix)] = label
        labels.append(label)
    return labels, cited


# --------------------------------------------------------------------------- citations

_CITE_PART = recompile(
    r"(?:(?:see|cf\.|e\.g\.,?|also)\s+)?(?P<name>\S(?:.*?\S)?)(?:\s+et\s+al\.?|\s+(?:and|&)\s+[^\d,;()]{1,60}?)?"
    r",?\s+(?P<year>\d{4}[a-z]?)(?:\s*,\s*(?:pp?\.\s*)?[\dxivlc]+(?:\s*[-–]\s*[\dxivlc]+)?)?"
)


_PAREN = recompile(r"\((?=[^()]{0,300}?\d{4})([^()]{1,300})\)")
_NARRATIVE = recompile(
    rf"(?<![\w-])(?P<name>(?:{_PARTICLES}[ ]){{0,2}}{_L}[\w'’-]{{0,40}})(?:\s+et\s+al\.?|\s+(?:and|&)\s+[\w'’-]+)?"
    r"\s+\((?P<year>\d{4}[a-z]?)\)"
)


class _Citations:
    """Links citations of the text to the entries they name."""

    def __init__(self, cited: dict[tuple[str, str], str]) -> None:
        self.cited = cited
        #: ``(...)`` holding a year: a parenthetical citation, checked part by part.
        self.paren = _PAREN
        #: ``Smith (2019)``, ``Smith et al. (2019)``, ``Smith and Jones (2019)``: the name looked up.
        self.narrative = _NARRATIVE

    def label(self, name: str, year: str) -> str:
        return self.cited.get((name, year), "")

    def text(self, text: str) -> list[Inline]:
        """``text`` with its citations as links."""
        spans: list[tuple[int, int, str]] = []
        for m in self.paren.finditer(text):
            pos = m.start(1)
            for part in m.group(1).split(";"):
                stripped = part.strip()
                start = pos + part.index(stripped[0]) if stripped else pos
                found = _CITE_PART.fullmatch(stripped)
                if found and (label := self.label(found.group("name"), found.group("year"))):
                    spans.append((start, start + len(stripped), label))
                pos += len(part) + 1
        cited, k = len(spans), 0  # (the parenthetical ones are in order: one pass over them)
        for m in self.narrative.finditer(text):
            label = self.label(m.group("name"), m.group("year"))
            while k < cited and spans[k][1] <= m.start():
                k += 1
            if label and not (k < cited and spans[k][0] < m.end()):
                spans.append((m.start(), m.end(), label))
        if not spans:
            return [Text(text)]
        out: list[Inline] = []
        pos = 0
        for start, end, label in sorted(spans):
            if start < pos:
                continue
            if start > pos:
                out.append(Text(text[pos:start]))
            out.append(Link((Text(text[start:end]),), f"#ref-{label}"))
            pos = end
        if pos < len(text):
            out.append(Text(text[pos:]))
        return out

    def __call__(self, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not any(isinstance(node, Text) and "(" in node.text for node in content):
            return content
        out: list[Inline] = []
        changed = False
        for node in content:
            if isinstance(node, Text) and "(" in node.text:
                linked = self.text(node.text)
                changed = changed or len(linked) > 1
                out.extend(linked)
            else:
                out.append(node)
        return tuple(out) if changed else content


# --------------------------------------------------------------------------- the step


def _find(blocks: list[Block]) -> list[tuple[int, int, tuple[Inline, ...], list[tuple[Inline, ...]]]]:
    """Each reference list: (first block, end, title, entries); the first block is its heading if it has one."""
    found: list[tuple[int, int, tuple[Inline, ...], list[tuple[Inline, ...]]]] = []
    i = 0
    while i < len(blocks):
        title = _heading_text(blocks[i])
        lead = _lead_heading(blocks[i]) if title is None else None
        if lead is not None and (first := _entries_of(lead[1], strict=False)):
            entries, end = _run(blocks, i + 1, strict=False)
            found.append((i, end, lead[0], first + entries))
            i = end
            continue
        if title is not None:
            start = i + 1
            entries, end = _run(blocks, start, strict=False)
            intro = blocks[start] if start < len(blocks) else None
            if not entries and isinstance(intro, Paragraph) and len(plain_text(intro.content)) <= 300:
                later, later_end = _run(blocks, start + 1, strict=False)  # an intro line between heading and list
                if len(later) >= 2:
                    found.append((start + 1, later_end, (), later))
                    i = later_end
                    continue
            if entries:
                found.append((i, end, title, entries))
                i = end
                continue
        i += 1
    if found:
        return found
    # no heading: a run at the very end, followed by rights lines at most
    end = len(blocks)
    while end and _is_tail(blocks[end - 1]):
        end -= 1
    start = end
    while start and _entries_of(blocks[start - 1], strict=True) is not None:
        start -= 1
    entries, _ = _run(blocks, start, strict=True)
    if len(entries) >= _MIN_UNHEADED and start > 0:
        found.append((start, end, (), entries))
    return found


def bibliography(draft: Draft) -> None:
    """Transform: unnumbered author-year reference lists become bibliographies; citations of them, links."""
    lists = _find(draft.blocks)
    if not lists:
        return
    taken: set[str] = set()
    cited: dict[tuple[str, str], str] = {}
    made: dict[int, tuple[int, Bibliography]] = {}
    for start, end, title, entries in lists:
        labels, found = _labels(entries, taken)
        for key, label in found.items():
            if key in cited:
                cited[key] = ""  # two lists hold it: ambiguous
            else:
                cited[key] = label
        made[start] = (end, Bibliography(tuple(BibEntry(c, lb) for c, lb in zip(entries, labels, strict=True)), title))
    blocks: list[Block] = []
    i = 0
    while i < len(draft.blocks):
        if i in made:
            end, block = made[i]
            blocks.append(block)
            i = end
        else:
            blocks.append(draft.blocks[i])
            i += 1
    cited = {key: label for key, label in cited.items() if label}
    if cited:
        link = _Citations(cited)
        blocks = [b if isinstance(b, Bibliography) else walk_inlines(link, b, opaque=(Link,)) for b in blocks]
    draft.blocks = blocks
