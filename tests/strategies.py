"""Hypothesis strategies generating articles in normalised IR, for round-trip properties.

``articles()`` draws whole :class:`~convert.ir.model.Article` values that look
like what the readers produce, so that ``reader(writer(article)) == article``
is a fair property for every lossless format:

* texts are printable (letters, digits, punctuation, symbols) words joined by
  single spaces, never empty, without spaces at either end of their
  sequence; with ``spaced=True`` a text between two other nodes may start or
  end with one space (``"a "``, ``Emph``, ``" b"``), never next to a line break;
* no empty containers, no adjacent ``Text`` nodes, no ``Emph`` in ``Emph``,
  ``Strong`` in ``Strong`` or ``Link`` in ``Link``; two formatting nodes
  (``Emph``, ``Strong``, ``Link``, ``Code``) always have text between them;
  note references and line breaks stand at the top level of a paragraph,
  heading or caption, line breaks never first, last or doubled;
* the richer kinds (strikeout, superscript, subscript, small caps, spans with a
  language and direction, images, math; tables, definition lists, figures with an
  image) come only with ``rich=True`` (the default), and follow the same rules;
  table rows of one table have the same number of cells, no spans;
* no two consecutive lists of the same kind, no two consecutive block quotes;
* note labels match ``[a-z0-9]+`` and are unique, every ``NoteRef`` names an
  existing note, notes hold no references; some notes are referenced twice,
  some never, in any order;
* dates are real dates, languages are codes such as ``"en"``; rights texts may
  hold several paragraphs separated by a blank line; the copyright statement is
  sometimes one built from holders and a year (``"Copyright © 2020 A, B"``).

Every inline sequence satisfies ``normalize_inlines(seq) == seq``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from hypothesis import strategies as st

from convert.ir.model import (
    Article,
    Asset,
    BibEntry,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Identifier,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Rights,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subject,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)
from convert.ir.rights import copyright_statement

__all__ = [
    "articles",
    "blocks",
    "inlines",
    "labels",
    "metadata",
    "phrases",
    "urls",
    "words",
]

#: Printable characters: letters, digits, punctuation and symbols (no spaces, controls or marks).
CHARACTERS = st.characters(categories=("L", "N", "P", "S"), codec="utf-8")

_FORMATTING = (Emph, Strong, Link, Code, Strikeout, Superscript, Subscript, SmallCaps, Span, Image, Math)
#: Containers of inline content alone, by the name the strategy draws them by.
_CONTAINERS: dict[str, type[Emph | Strikeout | Superscript | Subscript | SmallCaps]] = {
    "strike": Strikeout, "sup": Superscript, "sub": Subscript, "smallcaps": SmallCaps,
}  # fmt: skip
#: Images an article may hold as assets (the strategy's ``assets=True``): a reference and its bytes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da636000020000050001"
    "e9fadcd80000000049454e44ae426082"
)


@cache  # one strategy per arguments: building and validating one costs more than drawing from it
def words(alphabet: st.SearchStrategy[str] = CHARACTERS, max_size: int = 8) -> st.SearchStrategy[str]:
    """One word: printable characters, no whitespace."""
    return st.text(alphabet, min_size=1, max_size=max_size)


@cache
def phrases(max_words: int = 5, alphabet: st.SearchStrategy[str] = CHARACTERS) -> st.SearchStrategy[str]:
    """Words joined by single spaces (never empty, no space at either end)."""
    return st.lists(words(alphabet), min_size=1, max_size=max_words).map(" ".join)


@cache
def paragraphs_text(max_paragraphs: int = 2, alphabet: st.SearchStrategy[str] = CHARACTERS) -> st.SearchStrategy[str]:
    """Plain text of one or more paragraphs separated by a blank line (as in rights statements)."""
    return st.lists(phrases(8, alphabet), min_size=1, max_size=max_paragraphs).map("\n\n".join)


labels = st.from_regex(r"[a-z0-9]{1,4}", fullmatch=True)

_host = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True).map(lambda h: h + ".example")
_path = st.from_regex(r"[A-Za-z0-9_.~-]{0,12}", fullmatch=True)


@cache
def image_sources() -> st.SearchStrategy[str]:
    """Where an image is: an http(s) URL or a relative path."""
    return st.one_of(
        st.builds(lambda s, h, p: f"{s}://{h}/{p}.png", st.sampled_from(["http", "https"]), _host, _path),
        st.from_regex(r"(img/)?[a-z][a-z0-9_-]{0,8}\.(png|jpg)", fullmatch=True),
    )


@cache
def urls() -> st.SearchStrategy[str]:
    """Absolute http(s) URLs, ``mailto:`` addresses and ``#fragment`` targets."""
    return st.one_of(
        st.builds(lambda s, h, p: f"{s}://{h}/{p}", st.sampled_from(["http", "https"]), _host, _path),
        st.builds(lambda u, h: f"mailto:{u}@{h}", st.from_regex(r"[a-z]{1,6}", fullmatch=True), _host),
        st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True).map(lambda f: "#" + f),
    )


@cache
@st.composite
def inlines(
    draw: st.DrawFn,
    *,
    note_labels: tuple[str, ...] = (),
    top: bool = True,
    depth: int = 0,
    banned: frozenset[type] = frozenset(),
    spaced: bool = False,
    max_size: int = 5,
    alphabet: st.SearchStrategy[str] = CHARACTERS,
    rich: bool = True,
) -> tuple[Inline, ...]:
    """A normalised, non-empty inline sequence.

    ``top``: the sequence is a whole paragraph/heading/caption (note references
    from ``note_labels`` and line breaks may occur); ``banned``: container kinds
    already open around it; ``rich``: the kinds beyond emphasis, links and code too.
    """
    kinds: list[str] = ["text", "text", "code"]
    if depth < 2:
        kinds += [k for k, t in (("emph", Emph), ("strong", Strong), ("link", Link)) if t not in banned]
        if rich:
            kinds += [k for k, t in (*_CONTAINERS.items(), ("span", Span)) if t not in banned]
    if rich:
        kinds += ["image", "math"]
    if top:
        kinds.append("break")
        if note_labels:
            kinds += ["ref", "ref"]
    chosen = draw(st.lists(st.sampled_from(tuple(kinds)), min_size=1, max_size=max_size))
    out: list[Inline] = []
    for kind in chosen:
        prev = out[-1] if out else None
        if kind == "text":
            if not isinstance(prev, Text):
                out.append(Text(draw(phrases(alphabet=alphabet))))
            continue
        if kind == "break":
            if prev is not None and not isinstance(prev, LineBreak):
                out.append(LineBreak())
            continue
        if kind == "ref":
            out.append(NoteRef(draw(st.sampled_from(note_labels))))
            continue
        if isinstance(prev, _FORMATTING):
            out.append(Text(draw(phrases(alphabet=alphabet))))
        inner = {"top": False, "depth": depth + 1, "spaced": spaced, "max_size": 3, "alphabet": alphabet, "rich": rich}
        match kind:
            case "code":
                out.append(Code(draw(words(alphabet, 10))))
            case "emph":
                out.append(Emph(draw(inlines(banned=banned | {Emph}, **inner))))  # type: ignore[arg-type]
            case "strong":
                out.append(Strong(draw(inlines(banned=banned | {Strong}, **inner))))  # type: ignore[arg-type]
            case "link":
                title = draw(st.one_of(st.just(""), phrases(3, alphabet)))
                out.append(Link(draw(inlines(banned=banned | {Link}, **inner)), draw(urls()), title))  # type: ignore[arg-type]
            case "strike" | "sup" | "sub" | "smallcaps":
                kind_type = _CONTAINERS[kind]
                out.append(kind_type(draw(inlines(banned=banned | {kind_type}, **inner))))  # type: ignore[arg-type]
            case "span":
                lang = draw(st.sampled_from(["", "fr", "ar", "he", "zh-Hant", "en-GB"]))
                direction = draw(st.sampled_from(["", "ltr", "rtl"] if lang else ["ltr", "rtl"]))
                out.append(Span(draw(inlines(banned=banned | {Span}, **inner)), lang, direction))  # type: ignore[arg-type]
            case "image":
                alt = draw(st.one_of(st.just(""), phrases(3, alphabet)))
                title = draw(st.one_of(st.just(""), phrases(3, alphabet)))
                out.append(Image(draw(image_sources()), alt, title))
            case "math":
                tex = draw(st.sampled_from(["x^2", "\\frac{a}{b}", "e^{i\\pi} + 1 = 0", "\\sum_{k=1}^{n} k", "a_1"]))
                out.append(Math(tex, display=False))
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if not out:
        out.append(Text(draw(phrases(alphabet=alphabet))))
    if spaced:
        for i, node in enumerate(out):
            if not isinstance(node, Text):
                continue
            text = node.text
            if i > 0 and not isinstance(out[i - 1], LineBreak) and draw(st.booleans()):
                text = " " + text
            if i + 1 < len(out) and not isinstance(out[i + 1], LineBreak) and draw(st.booleans()):
                text = text + " "
            out[i] = Text(text)
    return tuple(out)


#: Labels of bibliography entries, as the article reader makes them (``smith2019``, ``smith2019a``).
bib_labels = st.from_regex(r"[a-z]{1,6}(?:19|20)[0-9]{2}[a-z]?", fullmatch=True)


@cache
@st.composite
def blocks(
    draw: st.DrawFn,
    *,
    note_labels: tuple[str, ...] = (),
    depth: int = 0,
    headings: bool = True,
    nested_headings: bool = True,
    spaced: bool = False,
    min_size: int = 1,
    max_size: int = 5,
    alphabet: st.SearchStrategy[str] = CHARACTERS,
    rich: bool = True,
) -> tuple[Block, ...]:
    """A sequence of blocks (``depth`` 0: an article body; deeper: inside a quote, item or note)."""
    kinds = ["para", "para", "para", "figure", "break", "code"]
    if headings and (depth == 0 or nested_headings):
        kinds += ["heading", "heading"]
    if depth < 2:
        kinds += ["quote", "bullets", "numbers"]
        if rich:
            kinds += ["deflist"]
    if rich:
        kinds += ["table", "display-math"]
    if rich and depth == 0:
        kinds += ["bibliography"]
    chosen = draw(st.lists(st.sampled_from(tuple(kinds)), min_size=min_size, max_size=max_size))

    def text(top: bool = True) -> tuple[Inline, ...]:
        labels = note_labels if top else ()
        return draw(inlines(note_labels=labels, top=top, spaced=spaced, alphabet=alphabet, rich=rich))

    def nested(max_items: int = 2) -> tuple[Block, ...]:
        return draw(
            blocks(
                note_labels=note_labels,
                depth=depth + 1,
                headings=headings,
                nested_headings=nested_headings,
                spaced=spaced,
                max_size=max_items,
                alphabet=alphabet,
                rich=rich,
            )
        )

    out: list[Block] = []
    for kind in chosen:
        match kind:
            case "para":
                block: Block = Paragraph(text())
            case "heading":
                block = Heading(draw(st.integers(1, 6)), text())
            case "figure":
                src = draw(st.one_of(st.just(""), image_sources() if rich else urls()))
                caption = text() if not src or draw(st.booleans()) else ()
                alt = draw(phrases(alphabet=alphabet)) if src and draw(st.booleans()) else ""
                title = draw(phrases(3, alphabet)) if src and rich and draw(st.booleans()) else ""
                block = Figure(caption, Image(src, alt, title) if src else None)
            case "table":
                columns = draw(st.integers(1, 3))

                def row(columns: int = columns) -> tuple[TableCell, ...]:
                    return tuple(TableCell(text(top=False)) for _ in range(columns))

                head = tuple(row() for _ in range(draw(st.integers(0, 1))))
                rows = tuple(row() for _ in range(draw(st.integers(1, 3))))
                aligns = draw(
                    st.one_of(st.just(()), st.tuples(*[st.sampled_from(["", "left", "center", "right"])] * columns))
                )
                caption = text(top=False) if draw(st.booleans()) else ()
                block = Table(head, rows, aligns, caption)
            case "deflist":
                entries = tuple(
                    DefinitionItem(text(top=False), tuple(nested() for _ in range(draw(st.integers(1, 2)))))
                    for _ in range(draw(st.integers(1, 2)))
                )
                block = DefinitionList(entries)
            case "display-math":
                block = Paragraph(
                    (Math(draw(st.sampled_from(["x^2 + y^2 = z^2", "\\int_0^1 f(x)\\,dx"])), display=True),)
                )
            case "bibliography":
                keys = draw(st.lists(bib_labels, max_size=3, unique=True))
                entries = [BibEntry(text(), key) for key in keys + [""] * draw(st.integers(1 if not keys else 0, 1))]
                block = Bibliography(tuple(entries), text(top=False) if draw(st.booleans()) else ())
            case "break":
                block = ThematicBreak()
            case "code":
                lines = draw(st.lists(words(alphabet, 10), min_size=1, max_size=3))
                indent = draw(st.sampled_from(["", "    "]))
                block = CodeBlock("\n".join(indent + line for line in lines), draw(st.sampled_from(["", "python"])))
            case "quote":
                block = BlockQuote(nested())
            case "bullets":
                block = BulletList(tuple(nested() for _ in range(draw(st.integers(1, 3)))))
            case "numbers":
                items = tuple(nested() for _ in range(draw(st.integers(1, 3))))
                block = OrderedList(items, draw(st.integers(1, 20)))
            case _:
                raise AssertionError(kind)
        prev = out[-1] if out else None
        if type(prev) is type(block) and isinstance(
            block, BulletList | OrderedList | BlockQuote | DefinitionList | Table
        ):
            out.append(Paragraph((Text(draw(phrases(alphabet=alphabet))),)))  # keep two lists or quotes apart
        out.append(block)
    return tuple(out)


@st.composite
def metadata(draw: st.DrawFn, alphabet: st.SearchStrategy[str] = CHARACTERS) -> Metadata:
    """Metadata with any subset of the fields filled in."""

    def maybe(strategy: st.SearchStrategy[str]) -> str:
        return draw(st.one_of(st.just(""), strategy))

    def phrase(max_words: int = 5) -> st.SearchStrategy[str]:
        return phrases(max_words, alphabet)

    rights_text = st.one_of(st.just(""), paragraphs_text(alphabet=alphabet))

    subjects = draw(
        st.lists(
            st.builds(Subject, phrase(3), st.sampled_from(["", "region", "theme", "topic", "tag", "category"])),
            max_size=4,
        )
    )
    identifiers = draw(
        st.lists(
            st.builds(
                Identifier,
                st.from_regex(r"[A-Za-z0-9][A-Za-z0-9:/._-]{0,15}", fullmatch=True),
                st.sampled_from(["", "doi", "uuid", "isbn", "url"]),
            ),
            max_size=2,
        )
    )
    return Metadata(
        title=draw(st.one_of(phrase(), phrase(), st.just(""))),
        subtitle=maybe(phrase()),
        authors=tuple(draw(st.lists(phrase(3), max_size=3))),
        publisher=maybe(phrase(3)),
        date=draw(st.one_of(st.none(), st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)))),
        language=draw(st.sampled_from(["", "en", "fr", "de", "ur", "pt-BR"])),
        source_url=draw(st.one_of(st.just(""), urls().filter(lambda u: u.startswith("http")))),
        subjects=tuple(subjects),
        identifiers=tuple(identifiers),
        rights=Rights(
            copyright=draw(
                st.one_of(
                    rights_text,
                    st.builds(
                        copyright_statement,
                        st.lists(phrase(3), max_size=2),
                        st.one_of(st.none(), st.integers(1900, 2100)),
                    ),
                )
            ),
            disclaimer=draw(rights_text),
            fair_use=draw(rights_text),
            licence=draw(rights_text),
            source=draw(rights_text),
            contact=draw(rights_text),
            licence_url=draw(st.one_of(st.just(""), urls().filter(lambda u: u.startswith("http")))),
            licence_id=draw(st.sampled_from(["", "CC-BY-4.0", "CC0-1.0", "MIT"])),
        ),
        site=maybe(phrase(3)),
        description=maybe(phrase()),
        modified=draw(st.one_of(st.none(), st.dates(dt.date(1800, 1, 1), dt.date(2100, 12, 31)))),
        date_precision=draw(st.sampled_from(["day", "day", "month", "year"])),
        image=draw(st.one_of(st.just(""), image_sources())),
    )


@st.composite
def articles(
    draw: st.DrawFn,
    *,
    spaced: bool = False,
    nested_headings: bool = True,
    max_blocks: int = 6,
    max_notes: int = 4,
    alphabet: st.SearchStrategy[str] = CHARACTERS,
    rich: bool = True,
    assets: bool = False,
) -> Article:
    """A whole article: metadata, a non-empty body, and notes referenced from the body (or not).

    ``alphabet``: the characters of words (e.g. ``st.characters(categories=("L", "N"))``
    for a format that cannot carry every punctuation mark in every place); ``rich``: the
    node kinds beyond those of plain articles too; ``assets``: the article holds the
    bytes of its relative images.
    """
    note_labels = tuple(draw(st.lists(labels, unique=True, max_size=max_notes)))
    notes = tuple(
        Note(label, draw(blocks(depth=1, headings=False, spaced=spaced, max_size=2, alphabet=alphabet, rich=rich)))
        for label in note_labels
    )
    body = draw(
        blocks(
            note_labels=note_labels,
            nested_headings=nested_headings,
            spaced=spaced,
            max_size=max_blocks,
            alphabet=alphabet,
            rich=rich,
        )
    )
    article = Article(draw(metadata(alphabet)), body, notes)
    if assets:
        from convert.ir.walk import query

        refs = dict.fromkeys(query(lambda n: (n.src,) if isinstance(n, Image) else (), article))
        refs.update(
            dict.fromkeys(query(lambda n: (n.image.src,) if isinstance(n, Figure) and n.image else (), article))
        )
        local = [ref for ref in refs if "://" not in ref]
        article = Article(article.metadata, body, notes, tuple(Asset(ref, "image/png", PNG) for ref in local))
    return article
