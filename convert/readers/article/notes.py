"""Notes: the note sections of a saved article, wherever they are (the markers that cite them: :mod:`.markers`).

A note section is a heading that names notes followed by its entries.  The heading is a
``#`` heading, a bold or plain line, the item of a numbered plain text (``9. References``),
or the word glued to the end of the paragraph before it (``...last sentence.Notes``); its
words are listed below, in several languages.  Under a heading of notes (``Notes``,
``Endnotes``, ``Footnotes``, ``Anmerkungen``, ``注``...) any list is notes; under a
heading of references (``References``, ``Sources``, ``Bibliography``, ``参考文献``...) only a
numbered or labelled one is: an unnumbered reference list is a bibliography, not notes.

An entry is a list item, or a paragraph that starts with its label: ``[1]``, ``[ iv ]``,
``(1)``, ``1)``, ``^1``, a superscript ``<sup>1</sup>``, ``[RFC2068]``.  Several entries may
share a paragraph (hard-wrapped lines without blank lines between them), and the paragraphs
between two entries belong to the one before (its continuation).  Every entry is kept,
cited or not.

An article of several parts may have a note section per part, each numbered from 1: the
labels of a later section that repeats those of an earlier one get the section's number as
a suffix (``1-2``: note 1 of the second section), and the markers of each part name the
notes of its own section.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from convert.recache import compile as recompile

from ...ir.model import (
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Superscript,
    Text,
    ThematicBreak,
)
from ...ir.walk import normalize_inlines, plain_text
from .draft import Draft
from .markers import _cited, _label_text, _link_marker, _mark
from .memo import text_of
from .numerals import roman, roman_value

__all__ = ["note_heading_kind", "take_notes"]

#: Headings of notes: any list under them is notes.
_NOTES = frozenset(
    {
        # English
        "notes", "note", "endnotes", "end notes", "endnote", "footnotes", "foot notes", "footnote",
        "notes and references", "notes & references", "references and notes", "notes and sources",
        "sources and notes", "notes and citations",
        # German, Dutch, Scandinavian
        "anmerkungen", "anmerkung", "fußnoten", "fussnoten", "endnoten", "noten", "voetnoten", "fotnoter",
        "noter", "anmerkungen und quellen", "anmerkungen und literatur",
        # French, Spanish, Portuguese, Italian, Polish
        "notes et références", "notes de bas de page", "notas", "notas y referencias", "notas al pie",
        "notas e referências", "notas de rodapé", "nota", "note e riferimenti", "przypisy", "uwagi",
        # Russian, Ukrainian
        "примечания", "примечание", "сноски", "примітки", "виноски",
        # Chinese, Japanese, Korean
        "注", "注释", "注釋", "註", "註釋", "注解", "注記", "註解", "脚注", "腳注", "脚註", "尾注", "附注",
        "주", "각주",
        # Arabic, Persian, Hebrew
        "ملاحظات", "هوامش", "الهوامش", "حواشي", "الحواشي", "یادداشت‌ها", "پانویس", "הערות",
    }
)  # fmt: skip
#: Headings of references: a numbered or labelled list under them is notes, an unnumbered one is not.
_REFERENCES = frozenset(
    {
        "references", "reference", "sources", "source", "bibliography", "works cited", "citations",
        "literature", "literature cited", "sources and references", "references and sources",
        "literatur", "quellen", "einzelnachweise", "literaturverzeichnis", "quellenangaben", "bronnen",
        "références", "bibliographie", "sources et références", "referencias", "fuentes", "bibliografía",
        "referências", "fontes", "bibliografia", "riferimenti", "fonti", "riferimenti bibliografici",
        "источники", "литература", "список литературы", "ссылки", "библиография", "джерела", "література",
        "参考文献", "参考资料", "參考文獻", "參考資料", "引用", "出典", "参照", "参考", "文献", "참고 문헌", "참고문헌",
        "المراجع", "المصادر", "مراجع", "مصادر", "منابع", "מקורות",
    }
)  # fmt: skip

#: A section number before a heading's words: ``9.``, ``9``, ``2.1``, ``IV.``.
_SECTION_NUMBER = recompile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVXivx]{1,5}\.)\s+")
_ROMAN = recompile(r"[ivxlcdm]{1,8}|[IVXLCDM]{1,8}")
_NUMBER_OR_ROMAN = r"\d{1,4}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8}"
#: The label that starts an entry written in brackets: ``[1]``, ``[ iv ]:``, ``[RFC2068]``.
_BRACKET_LABEL = recompile(r"^\s*\[\s*([^\]\s^][^\]]{0,30}?)\s*\]\s*[:.]?\s*")
#: Other labels that start an entry: ``(1)``, ``1)``, ``^1``.
_OTHER_LABEL = recompile(r"^\s*(?:\((" + _NUMBER_OR_ROMAN + r")\)|(\d{1,4})\)|\^(\d{1,4}))[:.]?\s+")
#: Words that may be a notes heading inside a paragraph: at its start or after the end of a sentence
#: (``...last sentence.Notes``), followed by the end of the text or by what may be an entry's label.
_INSIDE_WORDS = r"([ \t]*([^\W\d_]++(?: [^\W\d_]++){0,3})[ \t]*([:\uff1a]?))(?=\s*(?:[\[(^]|\d|\Z))"
#: The same at the start of the text, and after the end of a sentence (the end is matched, a quick scan).
_INSIDE_AT_START = recompile(_INSIDE_WORDS)
_SENTENCE_ENDS = r"[.!?\u2026\"\u201d\u2019)\]\u3002\uff01\uff1f]"
_INSIDE_AFTER_END = recompile(_SENTENCE_ENDS + _INSIDE_WORDS)
#: Blocks a note may hold between two entries (its continuation).
_CONTINUATION = (Paragraph, BlockQuote, CodeBlock, BulletList)
#: How many blocks an entry's continuation may run to before the next entry.
_MAX_CONTINUATION = 6


# --------------------------------------------------------------------------- headings


def _heading_key(text: str) -> str:
    text = " ".join(text.split()).strip().rstrip(":\uff1a").strip()
    return _SECTION_NUMBER.sub("", text, count=1).casefold()


def _words_kind(text: str) -> str:
    key = _heading_key(text)
    if key in _NOTES:
        return "notes"
    if key in _REFERENCES:
        return "references"
    return ""


def note_heading_kind(block: Block) -> str:
    """``"notes"`` or ``"references"`` if ``block`` is a heading of notes or of references, else ``""``.

    A heading is a ``#`` heading, or a short paragraph of the words alone (plain, bold or italic).
    """
    if isinstance(block, Heading):
        return _words_kind(text_of(block.content))
    if (
        isinstance(block, Paragraph)
        and len(text := text_of(block.content)) <= 40
        and all(isinstance(n, Text | Strong | Emph) for n in block.content)
    ):
        return _words_kind(text)
    return ""


def _heading_inside(block: Block) -> tuple[list[Block], str, Paragraph | None, bool] | None:
    """A notes heading inside a paragraph, where soft-wrapped lines put it.

    ``...the last sentence.Notes`` (the entries in the blocks after it), or ``... sentence.
    Notes: [1] ... [2] ...`` and ``Endnotes (1) ...`` (the entries in the paragraph itself).
    Returns the paragraph before the words (if any), their kind, the paragraph of the
    entries after them (None when they end the paragraph), and whether a colon ends the words.
    """
    if not isinstance(block, Paragraph) or not _may_name_notes(text_of(block.content)):
        return None
    content = block.content
    for index, node in enumerate(content):
        if not isinstance(node, Text):
            continue
        for start, end, words, colon in _inside(node.text):
            if start == 0 and index and not isinstance(content[index - 1], LineBreak):
                continue  # text after an emphasis or a link goes on its sentence
            if words[0].islower() or not (kind := _words_kind(words)):
                continue  # a word in lower case goes on a sentence, it heads nothing
            rest = (Text(node.text[end:].lstrip()), *content[index + 1 :])
            after = normalize_inlines(rest)
            if after and _entry_start(after) is None:
                continue
            before = normalize_inlines((*content[:index], Text(node.text[:start].rstrip())))
            return (
                ([Paragraph(before)] if before else []),
                kind,
                (Paragraph(after) if after else None),
                bool(colon),
            )
    return None


def _inside(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Words that may be a notes heading in ``text`` (start, end, words, colon), in order, none overlapping.

    At the start of the text, or right after the end of a sentence; followed by the end of the
    text or by what may be an entry's label.
    """
    pos = 0
    m = _INSIDE_AT_START.match(text)
    if m is not None:
        yield 0, m.end(), m.group(2), m.group(3)
        pos = m.end()
    for m in _INSIDE_AFTER_END.finditer(text, pos):
        yield m.start(1), m.end(), m.group(2), m.group(3)


#: The first words of the headings of :data:`_NOTES` and :data:`_REFERENCES` (case-folded).
_HEADING_FIRST_WORDS = frozenset(key.casefold().split(" ")[0] for key in _NOTES | _REFERENCES)


def _prefix_tree(words: frozenset[str] | set[str]) -> str:
    """A pattern that matches where a text starts with one of ``words`` (the match is that word or a shorter one).

    The words are written as a tree of their letters (``n(?:ot(?:a|e))|...``), each branch
    starting with a different letter, so that a search tries one branch where a word may
    start instead of every word in turn; a word another starts with stands for both.
    """
    if "" in words:
        return ""
    groups: dict[str, set[str]] = {}
    for word in words:
        groups.setdefault(word[0], set()).add(word[1:])
    branches = []
    for letter, rests in sorted(groups.items()):
        rest = _prefix_tree(rests)
        branches.append(re.escape(letter) + (f"(?:{rest})" if "|" in rest else rest))
    return "|".join(branches)


#: Where a text starts with one of :data:`_HEADING_FIRST_WORDS` (a quick test: it is the words' tree).
#: Written out: ``_prefix_tree(_HEADING_FIRST_WORDS)`` costs half a millisecond at every start;
#: ``tests/test_notes_styles.py`` checks that this is still what it gives.
_FIRST_WORDS = (
    "anmerkung|b(?:i(?:b(?:l(?:i(?:o(?:g(?:r(?:a(?:f(?:ia|ía)|p(?:h(?:ie|y))))))))))|ronnen)|citation"
    "s|e(?:inzelnachweise|nd)|f(?:o(?:n(?:t(?:es|i))|ot|tnoter)|u(?:entes|ssnoten))|literatur|n(?:o(?"
    ":t(?:a|e)))|przypisy|quellen|r(?:e(?:f(?:e(?:r(?:e(?:n(?:c(?:e|ias)))|ências))))|iferimenti|éfér"
    "ences)|source|uwagi|voetnoten|works|библиография|виноски|джерела|источники|л(?:итература|ітерату"
    "ра)|п(?:р(?:и(?:м(?:е(?:ч(?:а(?:н(?:и(?:е|я)))))|ітки))))|с(?:носки|писок|сылки)|הערות|מקורות|ا("
    "?:ل(?:حواشي|م(?:راجع|صادر)|هوامش))|حواشي|م(?:راجع|صادر|لاحظات|نابع)|هوامش|پانویس|یادداشت\u200cها|出典|参"
    "(?:照|考)|參(?:考(?:文獻|資料))|尾注|引用|文献|注|脚(?:注|註)|腳注|註|附注|각주|주|참고"
)


@functools.cache
def _heading_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A heading's first word where :func:`_inside` may find one, in a case-folded text: at its start, after a line."""
    return (
        recompile(r"[ \t]*(?:" + _FIRST_WORDS + ")"),
        recompile(_SENTENCE_ENDS[:-1] + r"\n][ \t]*(?:" + _FIRST_WORDS + ")"),
    )


#: The characters of the second pattern of :func:`_heading_words` (a sentence's end, a line break), one by one.
_ENDS = '.!?\u2026"\u201d\u2019)]\u3002\uff01\uff1f\n'


@functools.cache
def _heading_words_after() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The second pattern of :func:`_heading_words` split by its first character: for each, that one pattern."""
    return tuple((end, recompile(re.escape(end) + r"[ \t]*(?:" + _FIRST_WORDS + ")")) for end in _ENDS)


def _may_name_notes(text: str) -> bool:
    """Whether the plain text of a paragraph may hold a heading of notes or references where :func:`_inside` looks.

    (Where it looks: at the start of a text, or after the end of a sentence; a text after a line
    break starts after a ``\\n`` in the plain text.)
    """
    fold = text.casefold()
    if _heading_words()[0].match(fold) is not None:
        return True
    # the search after a sentence's end, one character at a time and only for those the text holds:
    # a search of a pattern that starts with one character runs through the text at the speed of a
    # ``str.find``, where one that starts with a set of them tests every character against the set
    for end, after in _heading_words_after():  # noqa: SIM110 (a loop: any() over a generator costs more)
        if end in fold and after.search(fold) is not None:
            return True
    return False


# --------------------------------------------------------------------------- entries


def _entry_start(content: tuple[Inline, ...]) -> tuple[str, str, tuple[Inline, ...]] | None:
    """The label that starts an entry, its style and the rest of the entry; None if it starts with none.

    Styles: ``bracket`` (``[1]``, ``[RFC2068]``), ``paren`` (``(1)``, ``1)``), ``caret`` (``^1``),
    ``sup`` (a superscript), ``ref`` (a note reference, ``[^1]``).  A link back to the text
    (``[[1]](#ref1)``, ``[<sup>1</sup>](#fn1)``) that starts an entry is its label too.
    """
    if not content:
        return None
    first = content[0]
    if isinstance(first, Text):
        if m := _BRACKET_LABEL.match(first.text):
            style, label = "bracket", m.group(1)
        elif m := _OTHER_LABEL.match(first.text):
            label = m.group(1) or m.group(2) or m.group(3)
            style = "caret" if m.group(3) else "paren"
        else:
            return None
        rest = first.text[m.end() :]
        return label, style, normalize_inlines(((Text(rest),) if rest else ()) + content[1:])
    if isinstance(first, Superscript) and (label := _label_text(first.content)):
        return label, "sup", _strip_start(content[1:])
    if isinstance(first, NoteRef):
        return first.label, "ref", _strip_start(content[1:])
    if isinstance(first, Link) and (inner := _link_marker(first)):
        return inner, "sup" if isinstance(first.content[0], Superscript) else "bracket", _strip_start(content[1:])
    return None


def _strip_start(content: Sequence[Inline]) -> tuple[Inline, ...]:
    if content and isinstance(content[0], Text):
        rest = content[0].text.lstrip(" .:\t")
        return normalize_inlines(((Text(rest),) if rest else ()) + tuple(content[1:]))
    return normalize_inlines(content)


def _next_label(label: str) -> str:
    """The label after ``label`` in its sequence (``3`` -> ``4``, ``iv`` -> ``v``), or ""."""
    if label.isdigit():
        return str(int(label) + 1)
    if _ROMAN.fullmatch(label):
        value = roman_value(label.lower())
        if value:
            nxt = roman(value + 1)
            return nxt if label.islower() else nxt.upper()
    return ""


#: Where a new bracketed entry starts inside a paragraph: a number or roman numeral after a space,
#: or a tag after the end of a sentence (``... 1998. [CAM] ...``).
@functools.cache
def _bracket_split() -> re.Pattern[str]:
    return recompile(
        r"(?<=\s)\[\s*(" + _NUMBER_OR_ROMAN + r")\s*\]\s*[:.]?\s*"
        r"|(?<=[.>)]\s)\[([A-Z][A-Z0-9]*(?:[.+-][A-Z0-9]+)*)\]\s+"
    )


def _split_entries(label: str, style: str, rest: tuple[Inline, ...]) -> list[tuple[str, tuple[Inline, ...]]]:
    """One paragraph's entries: the first (``label``, ``rest``) and those that follow it in the same paragraph.

    Bracketed entries split at any bracketed number after a space (``[1] a [2] b``); the other
    styles only at the next label of their sequence (``(1) a (2) b``) where an entry may end
    (after the end of a sentence or a link), so that a number in an entry's text
    (``volume (4)``) is not taken for a label.
    """
    entries: list[tuple[str, list[Inline]]] = [(label, [])]
    expected = _next_label(label)
    for index, node in enumerate(rest):
        after_link = index > 0 and not isinstance(rest[index - 1], Text)
        if isinstance(node, Superscript) and style == "sup" and expected and _label_text(node.content) == expected:
            before = rest[index - 1] if index else None
            if before is None or after_link or (isinstance(before, Text) and _ENTRY_END.search(before.text)):
                entries.append((expected, []))
                expected = _next_label(expected)
                continue
        if not isinstance(node, Text) or style in ("sup", "ref"):
            entries[-1][1].append(node)
            continue
        text, pos = node.text, 0
        while True:
            m = _find_split(text, pos, style, expected, at_start=after_link and pos == 0)
            if m is None:
                break
            entries[-1][1].append(Text(text[pos : m.start()]))
            found = next(g for g in m.groups() if g)
            entries.append((found, []))
            expected = _next_label(found)
            pos = m.end()
        entries[-1][1].append(Text(text[pos:]))
    return [(lab, _strip_end(body)) for lab, body in entries]


#: Text that ends where an entry may end: after a sentence, a closing bracket or quotation mark, then a space.
_ENTRY_END = recompile(r"[.!?;>)\]\"\u201d\u2019]\s+\Z")


def _find_split(text: str, pos: int, style: str, expected: str, *, at_start: bool) -> re.Match[str] | None:
    """The next label of ``style`` in ``text`` from ``pos`` where a new entry starts (``at_start``: after a link)."""
    if style == "bracket":
        return _bracket_split().search(text, pos)
    if not expected:
        return None
    e = re.escape(expected)
    label = rf"(?:\(({e})\)|({e})\))" if style == "paren" else rf"\^({e})"
    where = r"(?:(?<=[.!?;>)\]\"\u201d\u2019])\s+" + (r"|^\s*)" if at_start else ")")
    return recompile(where + label + r"\s+").search(text, pos)


def _strip_end(body: list[Inline]) -> tuple[Inline, ...]:
    content = normalize_inlines(body)
    if content and isinstance(content[-1], Text):
        # a link back to the text that the page dump left as an arrow
        text = content[-1].text.rstrip().removesuffix("\u21a9\ufe0e").removesuffix("\u21a9").rstrip()
        content = normalize_inlines((*content[:-1], Text(text)))
    return content


def _paragraph_entries(block: Block) -> list[Note] | None:
    """The entries of a paragraph that starts with a label, or None."""
    if not isinstance(block, Paragraph):
        return None
    start = _entry_start(block.content)
    if start is None:
        return None
    label, style, rest = start
    return [Note(lab, (Paragraph(body),) if body else ()) for lab, body in _split_entries(label, style, rest)]


def _list_entries(block: BulletList | OrderedList, kind: str) -> list[Note] | None:
    """Notes from a list: each item's leading label, else its number.

    None for an unlabelled bullet list under a heading of references (a bibliography).
    """
    notes: list[Note] = []
    labelled = False
    for index, item in enumerate(block.items):
        label = ""
        blocks = list(item)
        if blocks and isinstance(blocks[0], Paragraph) and (start := _entry_start(blocks[0].content)):
            label, _, rest = start
            blocks[0] = Paragraph(rest)
            labelled = True
        if not label:
            label = str(block.start + index) if isinstance(block, OrderedList) else str(index + 1)
        notes.append(Note(label, tuple(b for b in blocks if not (isinstance(b, Paragraph) and not b.content))))
    if isinstance(block, BulletList) and not labelled and kind != "notes":
        return None
    return notes


def _entries_at(blocks: Sequence[Block], j: int, kind: str) -> list[Note] | None:
    block = blocks[j]
    if isinstance(block, BulletList | OrderedList):
        return _list_entries(block, kind)
    return _paragraph_entries(block)


def _entries(blocks: Sequence[Block], j: int, kind: str) -> tuple[list[Note], int]:
    """The notes from ``blocks[j:]`` (the entries under a heading of ``kind``), and where they end."""
    notes: list[Note] = []
    n = len(blocks)
    while j < n:
        found = _entries_at(blocks, j, kind)
        if found:
            notes.extend(found)
            j += 1
            continue
        if not notes or not isinstance(blocks[j], _CONTINUATION):
            break
        # paragraphs between two entries continue the one before (when the next entry follows it in sequence)
        k = j
        while k < n and k - j < _MAX_CONTINUATION and isinstance(blocks[k], _CONTINUATION):
            if note_heading_kind(blocks[k]) or _entries_at(blocks, k, kind):
                break
            k += 1
        following = _entries_at(blocks, k, kind) if k < n and k - j < _MAX_CONTINUATION else None
        if not following or not _in_sequence(notes[-1].label, following[0].label):
            break
        last = notes[-1]
        notes[-1] = Note(last.label, (*last.blocks, *blocks[j:k]))
        j = k
    return notes, j


def _in_sequence(label: str, following: str) -> bool:
    """Whether ``following`` may come after ``label`` (the next number or numeral; any tag after a tag)."""
    expected = _next_label(label)
    return following == expected if expected else not _next_label(following)


def _list_section(block: OrderedList) -> tuple[list[Block], list[Note], int] | None:
    """A numbered plain text's section of notes (``9. References`` and its entries inside the item).

    The list split around that item, its notes, and where in the split list the notes were.
    """
    for index, item in enumerate(block.items):
        if len(item) < 2 or not (kind := note_heading_kind(item[0])):
            continue
        notes, end = _entries(item[1:], 0, kind)
        if not notes or end != len(item) - 1:
            continue
        before = [OrderedList(block.items[:index], block.start)] if index else []
        after = block.items[index + 1 :]
        rest = [OrderedList(after, block.start + index + 1)] if after else []
        return [*before, *rest], notes, len(before)
    return None


# --------------------------------------------------------------------------- the sections


def take_notes(draft: Draft) -> None:
    """Take every note section out of the draft's blocks into its notes.

    A heading of notes with no entries under it stays in the text, as does every block
    that is no entry.
    """
    blocks = draft.blocks
    out: list[Block] = []
    sections: list[tuple[int, list[Note]]] = []
    i, n = 0, len(blocks)
    while i < n:
        block = blocks[i]
        kind = note_heading_kind(block)
        if kind:
            notes, end = _entries(blocks, i + 1, kind)
            intro = blocks[i + 1] if not notes and i + 2 < n else None
            if isinstance(intro, Paragraph) and not note_heading_kind(intro):
                notes, end = _entries(blocks, i + 2, kind)  # a line between the heading and the entries stays
                if notes:
                    out.append(intro)
            if notes:
                sections.append((len(out), notes))
                i = end
                continue
        elif inside := _heading_inside(block):
            before, kind, after, colon = inside
            first = _paragraph_entries(after) if after else []
            if first and len(first) < 2 and not colon:
                first = None  # "Sources [1] say ...": one entry after the words and no colon is a sentence
            notes, end = _entries(blocks, i + 1, kind) if after is None or first else ([], i)
            if first or notes:
                out.extend(before)
                sections.append((len(out), [*(first or []), *notes]))
                i = end
                continue
        elif isinstance(block, OrderedList) and (split := _list_section(block)):
            parts, notes, at = split
            out.extend(parts[:at])
            sections.append((len(out), notes))
            out.extend(parts[at:])
            i += 1
            continue
        out.append(block)
        i += 1
    if not sections and (tail := _trailing_section(out)):
        out, notes = tail
        sections.append((len(out), notes))
    draft.blocks = out
    _scope(draft, sections)


def _trailing_section(blocks: list[Block]) -> tuple[list[Block], list[Note]] | None:
    """Entries that end the text without a heading, when the text before cites them: the blocks left, the notes.

    The entries (a numbered list, or paragraphs that start with labels) may be followed by
    rules only, and must not be under a heading of their own (``Release Notes``: a short line
    before them); at least half of them, and at least one, must be cited by a marker.
    """
    end = len(blocks)
    while end and isinstance(blocks[end - 1], ThematicBreak):
        end -= 1
    start = end
    while start and (
        isinstance(blocks[start - 1], OrderedList)
        or (isinstance(blocks[start - 1], Paragraph) and _paragraph_entries(blocks[start - 1]))
    ):
        start -= 1
    if start in (end, 0) or _heading_like(blocks[start - 1]):
        return None
    notes, stop = _entries(blocks, start, "references")
    if stop != end or not notes:
        return None
    cited = _cited(blocks[:start])
    if sum(1 for note in notes if note.label.lower() in cited) * 2 < len(notes):
        return None
    return [*blocks[:start], *blocks[end:]], notes


def _heading_like(block: Block) -> bool:
    """A heading, or a short line that ends without punctuation (a plain-text heading)."""
    if isinstance(block, Heading):
        return True
    if not isinstance(block, Paragraph):
        return False
    text = plain_text(block.content).strip()
    return len(text) <= 60 and not text.endswith((".", "!", "?", ":", "\u3002"))


def _scope(draft: Draft, sections: list[tuple[int, list[Note]]]) -> None:
    """Add the sections' notes to the draft's; with several sections, each part's markers name its own notes."""
    seen = {note.label for note in draft.notes}
    scoped: list[tuple[int, dict[str, str]]] = []
    for number, (at, found) in enumerate(sections, start=1):
        labels = [note.label for note in found]
        notes = found
        if number > 1 and seen.intersection(labels):
            notes = [Note(f"{note.label}-{number}", note.blocks) for note in found]
        seen.update(note.label for note in notes)
        scoped.append((at, {label.lower(): note.label for label, note in zip(labels, notes, strict=True)}))
        draft.notes.extend(notes)
    if len(sections) < 2:
        return  # one section: the markers are read with the others, by mark_notes
    out = list(draft.blocks)
    begin = 0
    for at, names in scoped:
        out[begin:at] = _mark(out[begin:at], names)
        begin = at
    draft.blocks = out
