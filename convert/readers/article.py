"""Reader for articles as people save them from the web (Markdown-ish page dumps).

It separates what a saved page mixes together:

* the header furniture: title, byline, publisher and date line, taxonomy
  (``Region:``, ``Theme:``, ...), an image caption;
* the body, repairing what the scraper broke: paragraphs split mid-sentence
  are joined, a quotation introduced by ``said:`` becomes a block quote, note
  markers (``[i]``, ``[ ii ]``, ``[3]``) become note references, stray
  backslash escapes are undone;
* the ``Notes`` list, which becomes the article's notes;
* the rights furniture (source line, copyright, disclaimer, fair-use notice,
  contact), which becomes :class:`~convert.ir.model.Rights`, verbatim;
* site chrome (share and membership links, ``Articles by:``, promotion
  lines, dead links, the rule before them), which is dropped.

An article with none of this furniture (a title and paragraphs) converts
too, and no metadata is invented for it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from ..ir.model import (
    Article,
    Block,
    BlockQuote,
    BulletList,
    Emph,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    Strong,
    Subject,
    Text,
    ThematicBreak,
)
from ..ir.walk import normalize_inlines, plain_text
from ..registry import ReaderSpec
from ._mdparse import parse_blocks, parse_inlines
from ._text import decode_text

__all__ = ["READER", "read_article"]

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE_PATTERNS = (
    (re.compile(rf"^(?P<d>(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}})$"), ("%B %d, %Y", "%b %d, %Y")),
    (re.compile(rf"^(?P<d>\d{{1,2}} (?:{_MONTHS})\.? \d{{4}})$"), ("%d %B %Y", "%d %b %Y")),
    (re.compile(r"^(?P<d>\d{4}-\d{2}-\d{2})$"), ("%Y-%m-%d",)),
)
_DEAD_LINK = re.compile(r"\[([^\]]+)\]\((?:#[^)]*)?\)")
_ANY_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_TAXONOMY = re.compile(
    r"^(Region|Regions|Theme|Themes|Topic|Topics|Tags?|Categor(?:y|ies)|Section|Subjects?|Keywords?)\s*:\s*(.+)$",
    re.I,
)
_BYLINE = re.compile(r"^(?:By|Authors?:)\s+(.+)$")
_NOTE_HEADINGS = {"notes", "endnotes", "footnotes", "references", "sources", "note", "reference"}
_NOTE_LABEL = re.compile(r"^\s*\[\s*([^\]\s][^\]]*?)\s*\]\s*[:.]?\s*")
_MARKER = re.compile(r"\s*\[\s*([ivxlcdm]{1,8}|[IVXLCDM]{1,8}|\d{1,4})\s*\]")
_TERMINAL = set(".!?:;…\"”’')]»")
_CHROME = re.compile(
    r"^(?:Articles by:|Comment on .*(?:Facebook|Twitter|Articles)|Become a Member of|Click the share button|"
    r"To receive .*Newsletter|.*Can be Read in \d+ Languages|Feel free to re-?post|Follow us on|"
    r"Subscribe to (?:our|the)|Share this article|Support (?:us|independent)|Donate|Print this|"
    r"Visit and follow us on|Related Articles?:?$|Read more:?$|.*\bclick here\.?$)",
    re.I,
)
_SOURCE = re.compile(r"^The original source of this article is\b", re.I)
_COPYRIGHT = re.compile(r"^(?:Copyright\b|©|\(c\)\s)", re.I)
_DISCLAIMER = re.compile(r"^Disclaimer\s*:\s*", re.I)
_CONTACT = re.compile(r"^(?:For media inquiries|Media inquiries|Media contact|Contact(?: us)?)\s*:", re.I)
_FAIR_USE = re.compile(r"\bfair use\b", re.I)
_CAPTION = re.compile(r"^(?:Featured image|Image|Photo|Picture|Illustration)(?: is from| credit)?\s*[:.–-]", re.I)

_EN_WORDS = frozenset(
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been has their one its will would also more can than".split()
)


def _chunks(text: str) -> list[str]:
    return [c.strip("\n") for c in re.split(r"\n[ \t]*\n", text) if c.strip()]


def _parse_date(text: str) -> _dt.date | None:
    text = text.strip().rstrip(".")
    for pattern, formats in _DATE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        raw = m.group("d").replace("Sept ", "Sep ").replace(".", "")
        for fmt in formats:
            try:
                return _dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
    return None


def _names(raw: str) -> tuple[str, ...]:
    """Names from a byline: link texts when present, else split on commas and 'and'."""
    linked = _ANY_LINK.findall(raw)
    if linked:
        return tuple(" ".join(n.split()) for n in linked if n.strip())
    text = plain_text(parse_inlines(raw, scraper=True))
    parts = re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", text)
    return tuple(p.strip() for p in parts if p.strip())


def _terms(raw: str) -> tuple[str, ...]:
    linked = _ANY_LINK.findall(raw)
    if linked:
        return tuple(" ".join(t.split()) for t in linked if t.strip())
    text = plain_text(parse_inlines(raw, scraper=True))
    return tuple(t.strip() for t in re.split(r"\s*[,;]\s*", text) if t.strip())


def _line_text(raw: str) -> str:
    return plain_text(parse_inlines(raw, scraper=True)).strip()


class _Header:
    def __init__(self) -> None:
        self.title = ""
        self.subtitle = ""
        self.authors: tuple[str, ...] = ()
        self.publisher = ""
        self.date: _dt.date | None = None
        self.subjects: list[Subject] = []


def _read_header(chunks: list[str]) -> tuple[_Header, list[str]]:
    """Consume the header furniture at the top; return it and the remaining chunks."""
    head = _Header()
    i = 0
    if i < len(chunks):
        first = chunks[i]
        m = re.match(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", first)
        if m and "\n" not in first:
            head.title = _line_text(m.group(1))
            i += 1
        elif "\n" not in first and len(first) <= 150 and not first.rstrip().endswith((".", ":", ";", ",")):
            if not _TAXONOMY.match(first) and not _BYLINE.match(first):
                head.title = _line_text(first.lstrip("#").strip())
                i += 1
    if head.title and i < len(chunks):
        m = re.match(r"^#{2,3}[ \t]+(.+?)[ \t#]*$", chunks[i])
        if m and "\n" not in chunks[i]:
            head.subtitle = _line_text(m.group(1))
            i += 1
    while i < len(chunks):
        lines = [ln.strip() for ln in chunks[i].split("\n")]
        consumed = True
        for line in lines:
            if not _header_line(line, head):
                consumed = False
                break
        if not consumed:
            break
        i += 1
    return head, chunks[i:]


def _header_line(line: str, head: _Header) -> bool:
    m = _BYLINE.match(line)
    if m and not head.authors:
        names = _names(m.group(1))
        if names:
            head.authors = names
            return True
    m = _TAXONOMY.match(line)
    if m:
        scheme = m.group(1).lower()
        scheme = {"regions": "region", "themes": "theme", "topics": "topic", "tags": "tag", "subjects": "subject",
                  "keywords": "keyword", "categories": "category"}.get(scheme, scheme)
        head.subjects.extend(Subject(t, scheme) for t in _terms(m.group(2)))
        return True
    text = _line_text(line)
    if head.date is None:
        date = _parse_date(text)
        if date is not None:
            head.date = date
            return True
        m = re.match(r"^(?P<pub>[^,]+(?:,[^,]+)*?),\s*(?P<date>.+)$", text)
        if m:
            date = _parse_date(m.group("date"))
            if date is not None:
                head.date = date
                head.publisher = m.group("pub").strip()
                return True
    return False


# --------------------------------------------------------------------------- body


def _is_note_heading(block: Block) -> bool:
    return isinstance(block, Heading) and plain_text(block.content).strip().rstrip(":").lower() in _NOTE_HEADINGS


def _split_lines(content: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    lines: list[list[Inline]] = [[]]
    for node in content:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [normalize_inlines(line) for line in lines if normalize_inlines(line)]


def _is_chrome(block: Block) -> bool:
    if isinstance(block, Paragraph):
        text = plain_text(block.content).strip()
        if not text:
            return True
        if _CHROME.match(text):
            return True
        # a paragraph that is only a (bold) link, e.g. "Comment on ... page", "Become a Member"
        inner = block.content
        while len(inner) == 1 and isinstance(inner[0], Strong | Emph):
            inner = inner[0].content
        if len(inner) == 1 and isinstance(inner[0], Link) and not inner[0].target.startswith(("http", "mailto")):
            return True
    return False


def _rights_line(text: str, rights: dict[str, str]) -> bool:
    if _SOURCE.match(text):
        rights["source"] = _join(rights.get("source"), text)
    elif _COPYRIGHT.match(text):
        rights["copyright"] = _join(rights.get("copyright"), text)
    elif _DISCLAIMER.match(text):
        rights["disclaimer"] = _join(rights.get("disclaimer"), _DISCLAIMER.sub("", text, count=1))
    elif _CONTACT.match(text):
        rights["contact"] = _join(rights.get("contact"), text)
    elif _FAIR_USE.search(text) and ("copyright" in text.lower()):
        rights["fair_use"] = _join(rights.get("fair_use"), text)
    else:
        return False
    return True


def _join(old: str | None, new: str) -> str:
    return f"{old}\n\n{new}" if old else new


def _rights_from_block(block: Block, rights: dict[str, str]) -> bool:
    """Take a back-matter paragraph into ``rights`` if it is rights furniture."""
    if not isinstance(block, Paragraph):
        return False
    lines = _split_lines(block.content)
    texts = [" ".join(plain_text(line).split()) for line in lines]
    scratch = dict(rights)
    if texts and all(_rights_line(t, scratch) for t in texts):
        rights.clear()
        rights.update(scratch)
        return True
    return False


def _parse_copyright(statement: str) -> tuple[tuple[str, ...], int | None]:
    first = statement.split("\n\n")[0]
    body = re.sub(r"^(?:Copyright\s*)?(?:©|\(c\))?\s*", "", first, flags=re.I).strip()
    year: int | None = None
    m = re.search(r"(?:,\s*)?\b((?:19|20)\d{2})(?:\s*[-–]\s*(?:19|20)?\d{2,4})?\.?\s*$", body)
    if m:
        year = int(m.group(1))
        body = body[: m.start()].strip()
    else:
        m = re.match(r"^((?:19|20)\d{2})\b,?\s*", body)
        if m:
            year = int(m.group(1))
            body = body[m.end() :]
    holders = [h.strip(" .") for h in re.split(r"\s*,\s*|\s+and\s+", body) if h.strip(" .")]
    return tuple(dict.fromkeys(holders)), year


def _notes_from_list(block: BulletList | OrderedList) -> list[Note]:
    notes: list[Note] = []
    for index, item in enumerate(block.items):
        label = ""
        blocks = list(item)
        if blocks and isinstance(blocks[0], Paragraph):
            content = blocks[0].content
            if content and isinstance(content[0], Text):
                m = _NOTE_LABEL.match(content[0].text)
                if m:
                    label = m.group(1)
                    rest = content[0].text[m.end() :]
                    content = ((Text(rest),) if rest else ()) + content[1:]
                    blocks[0] = Paragraph(normalize_inlines(content))
            elif content and isinstance(content[0], NoteRef):
                label = content[0].label
                blocks[0] = Paragraph(normalize_inlines(content[1:]))
        if not label:
            label = str(block.start + index) if isinstance(block, OrderedList) else str(index + 1)
        notes.append(Note(label, tuple(b for b in blocks if not (isinstance(b, Paragraph) and not b.content))))
    return notes


def _notes_from_paragraphs(blocks: list[Block]) -> list[Note] | None:
    """Notes written as ``[1] text`` paragraphs (one per paragraph or line)."""
    notes: list[Note] = []
    for block in blocks:
        if not isinstance(block, Paragraph):
            return None
        for line in _split_lines(block.content):
            if not (line and isinstance(line[0], Text) and _NOTE_LABEL.match(line[0].text)):
                return None
            m = _NOTE_LABEL.match(line[0].text)
            assert m
            rest = line[0].text[m.end() :]
            content = normalize_inlines(((Text(rest),) if rest else ()) + line[1:])
            notes.append(Note(m.group(1), (Paragraph(content),)))
    return notes


def _ends_open(content: tuple[Inline, ...]) -> bool:
    """True when a paragraph stops mid-sentence (no terminal punctuation)."""
    trimmed = list(content)
    while trimmed and isinstance(trimmed[-1], NoteRef):
        return False
    text = plain_text(trimmed).rstrip()
    if len(text) < 60 or not text:
        return False
    last = text[-1]
    return last.isalnum() or last in ",-–—("


def _starts_continuation(content: tuple[Inline, ...]) -> bool:
    text = plain_text(content).lstrip()
    return bool(text) and (text[0].isalnum() or text[0] in "(“\"‘'")


def _quoted(content: tuple[Inline, ...]) -> tuple[Inline, ...] | None:
    """Content without its enclosing quotation marks, if it is one quotation."""
    refs: list[Inline] = []
    body = list(content)
    while body and isinstance(body[-1], NoteRef):
        refs.insert(0, body.pop())
    trailing = ""
    if body and isinstance(body[-1], Text) and body[-1].text.rstrip()[-1:] in ".,":
        trailing = body[-1].text.rstrip()[-1]
        body[-1] = Text(body[-1].text.rstrip()[:-1])
    if not (body and isinstance(body[0], Text) and isinstance(body[-1], Text)):
        return None
    first, last = body[0].text, body[-1].text.rstrip()
    if not first.startswith(("\"", "“")) or not last.endswith(("\"", "”")):
        return None
    inner_text = plain_text(body)[1:-1]
    if "\"" in inner_text or "“" in inner_text or "”" in inner_text:
        return None  # several quotations, not one
    if len(body) == 1:
        body = [Text(first[1:].rstrip()[:-1])]
    else:
        body[0] = Text(first[1:])
        body[-1] = Text(last[:-1])
    return normalize_inlines([*body, Text(trailing), *refs])


def _mark_notes(content: tuple[Inline, ...], labels: dict[str, str]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in content:
        match node:
            case Text(text=t):
                pos = 0
                for m in _MARKER.finditer(t):
                    key = m.group(1).lower()
                    if key not in labels:
                        continue
                    out.append(Text(t[pos : m.start()]))
                    out.append(NoteRef(labels[key]))
                    pos = m.end()
                out.append(Text(t[pos:]))
            case Emph(content=c):
                out.append(Emph(_mark_notes(c, labels)))
            case Strong(content=c):
                out.append(Strong(_mark_notes(c, labels)))
            case Link(content=c, target=target, title=title):
                out.append(Link(_mark_notes(c, labels), target, title))
            case _:
                out.append(node)
    # no space before a note reference
    cleaned: list[Inline] = []
    for i, node in enumerate(out):
        if isinstance(node, Text) and i + 1 < len(out) and isinstance(out[i + 1], NoteRef):
            node = Text(node.text.rstrip(" "))
        cleaned.append(node)
    return normalize_inlines(cleaned)


def _map_blocks(blocks: Iterable[Block], labels: dict[str, str]) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        match block:
            case Paragraph(content=c):
                out.append(Paragraph(_mark_notes(c, labels)))
            case Heading(level=lv, content=c):
                out.append(Heading(lv, _mark_notes(c, labels)))
            case Figure(caption=c, src=src, alt=alt):
                out.append(Figure(_mark_notes(c, labels), src, alt))
            case BlockQuote(blocks=bs):
                out.append(BlockQuote(_map_blocks(bs, labels)))
            case BulletList(items=items):
                out.append(BulletList(tuple(_map_blocks(it, labels) for it in items)))
            case OrderedList(items=items, start=start):
                out.append(OrderedList(tuple(_map_blocks(it, labels) for it in items), start))
            case _:
                out.append(block)
    return tuple(out)


def _repair(blocks: list[Block]) -> list[Block]:
    """Join split paragraphs and lift introduced quotations into block quotes."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(block, Paragraph)
            and isinstance(prev, Paragraph)
            and _ends_open(prev.content)
            and _starts_continuation(block.content)
        ):
            out[-1] = Paragraph(normalize_inlines((*prev.content, Text(" "), *block.content)))
            continue
        if isinstance(block, Paragraph) and isinstance(prev, Paragraph):
            if plain_text(prev.content).rstrip().endswith(":"):
                inner = _quoted(block.content)
                if inner is not None:
                    out.append(BlockQuote((Paragraph(inner),)))
                    continue
        out.append(block)
    return out


def _caption(block: Block, first: bool) -> Figure | None:
    if isinstance(block, Figure):
        return block
    if not isinstance(block, Paragraph):
        return None
    text = plain_text(block.content).strip()
    if _CAPTION.match(text):
        return Figure(block.content)
    content = block.content
    if first and len(content) == 1 and isinstance(content[0], Emph) and len(text) <= 400:
        return Figure(content[0].content)
    return None


def _language(blocks: Iterable[Block]) -> str:
    words: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            words.extend(re.findall(r"[a-z]+", plain_text(block.content).lower()))
        if len(words) > 2000:
            break
    if len(words) < 20:
        return ""
    hits = sum(1 for w in words if w in _EN_WORDS)
    return "en" if hits / len(words) > 0.2 else ""


def read_article(data: bytes) -> Article:
    """Read a saved web article (bytes in any supported encoding) into the IR."""
    text = decode_text(data)
    head, rest = _read_header(_chunks(text))
    doc = parse_blocks("\n\n".join(rest), scraper=True)
    blocks = doc.blocks

    # where the body ends: the notes heading, or the first rights paragraph
    end = len(blocks)
    for idx, block in enumerate(blocks):
        if _is_note_heading(block) or _rights_from_block(block, {}):
            end = idx
            break
    body_blocks, back = blocks[:end], blocks[end:]

    notes: list[Note] = []
    rights: dict[str, str] = {}
    extra: list[Block] = []
    i = 0
    while i < len(back):
        block = back[i]
        if _is_note_heading(block):
            j = i + 1
            while j < len(back) and isinstance(back[j], BulletList | OrderedList):
                lst = back[j]
                assert isinstance(lst, BulletList | OrderedList)
                notes.extend(_notes_from_list(lst))
                j += 1
            if j == i + 1:
                k = j
                while k < len(back) and isinstance(back[k], Paragraph) and _notes_from_paragraphs([back[k]]):
                    k += 1
                found = _notes_from_paragraphs(back[j:k]) if k > j else None
                if found:
                    notes.extend(found)
                    j = k
            if j == i + 1:
                extra.append(block)  # a heading called "Notes" with no list: keep it
            i = j
            continue
        if _rights_from_block(block, rights) or isinstance(block, ThematicBreak) or _is_chrome(block):
            i += 1
            continue
        extra.append(block)
        i += 1

    notes.extend(Note(f.label, f.blocks) for f in doc.footnotes)
    body_blocks = [b for b in [*body_blocks, *extra] if not _is_chrome(b)]
    # the caption comes before the text
    figure_done = False
    for idx, block in enumerate(body_blocks[:3]):
        fig = _caption(block, first=not figure_done and idx == 0)
        if fig is not None:
            body_blocks[idx] = fig
            figure_done = True
    body_blocks = [_caption(b, first=False) or b for b in body_blocks]

    # duplicate labels would be ambiguous: later ones get a suffix
    seen: dict[str, int] = {}
    unique: list[Note] = []
    for note in notes:
        count = seen.get(note.label, 0)
        seen[note.label] = count + 1
        unique.append(note if count == 0 else Note(f"{note.label}-{count + 1}", note.blocks))
    labels = {n.label.lower(): n.label for n in unique}
    marked = _map_blocks(body_blocks, labels) if labels else tuple(body_blocks)
    body = tuple(_repair(list(marked)))
    holders, year = _parse_copyright(rights.get("copyright", "")) if rights.get("copyright") else ((), None)
    metadata = Metadata(
        title=head.title,
        subtitle=head.subtitle,
        authors=head.authors,
        publisher=head.publisher,
        date=head.date,
        language=_language(body),
        subjects=tuple(dict.fromkeys(head.subjects)),
        rights=Rights(
            copyright=rights.get("copyright", ""),
            copyright_holders=holders,
            copyright_year=year,
            disclaimer=rights.get("disclaimer", ""),
            fair_use=rights.get("fair_use", ""),
            source=rights.get("source", ""),
            contact=rights.get("contact", ""),
        ),
    )
    return Article(metadata, body, tuple(unique))


READER = ReaderSpec(
    name="article",
    description="web article saved as a Markdown-ish page dump (.md, .txt)",
    extensions=(".txt", ".md", ".markdown"),
    read=lambda data, options: read_article(data),
)
