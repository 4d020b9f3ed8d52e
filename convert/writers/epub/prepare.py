"""The article as the book shows it: every link, note reference and image resolves inside the EPUB."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar, assert_never

from lxml import etree

from convert.recache import compile as recompile

from ...errors import warn
from ...html.media import image_refs
from ...html.render import note_id
from ...ir.model import (
    Article,
    Asset,
    Bibliography,
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    DefinitionList,
    Emph,
    Figure,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    Math,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    SmallCaps,
    Span,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    ThematicBreak,
)
from ...ir.text import block_inlines
from ...ir.walk import Node, query, walk_block, walk_blocks, walk_inline, walk_inlines
from ...xmlns import local_name

__all__ = ["CORE_IMAGE_TYPES", "LOGGER", "book_images", "prepare", "query_blocks"]

#: The logger of the writer's warnings.
LOGGER = "convert.writers.epub"
#: Image media types every EPUB 3.3 reading system supports (core media types); others are left out.
CORE_IMAGE_TYPES = frozenset({"image/gif", "image/jpeg", "image/png", "image/svg+xml", "image/webp"})
#: An SVG's reference to anything but a fragment of itself (EPUB images may reach nothing outside the book).
_SVG_OUTSIDE = recompile(r"url\(\s*['\"]?\s*(?!#)|@import", re.I)

R = TypeVar("R")


def _shown(url: str) -> str:
    return url if len(url) <= 200 else url[:200] + "..."


def _svg_is_inert(data: bytes) -> bool:
    """Whether an SVG image is well-formed and self-contained: no script, no foreign content, no outside reference."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    if local_name(root) != "svg" or _SVG_OUTSIDE.search(data.decode("utf-8", "replace")):
        return False
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if local_name(el) in ("script", "foreignObject", "iframe"):
            return False
        for name, value in el.attrib.items():
            attr = local_name(str(name)).lower()
            if attr.startswith("on") or (attr == "href" and not str(value).strip().startswith("#")):
                return False
    return True


def book_images(article: Article, *, report: bool = True) -> dict[str, Asset]:
    """The images the book holds: ``ref`` -> asset, for each asset of the article of a core media type.

    An image of the article whose asset is of another type (or an SVG that
    scripts or reaches outside itself) is reported (``epub.image-unsupported``)
    unless ``report`` is false.  One pass over the assets: images are looked up
    in the mapping, however many there are.
    """
    found: dict[str, Asset] = {}
    refused: dict[str, str] = {}
    inert: dict[str, bool] = {}
    for asset in article.assets:
        media_type = asset.media_type.partition(";")[0].strip().lower()
        if media_type == "image/svg+xml" and asset.sha256 not in inert:
            inert[asset.sha256] = _svg_is_inert(asset.data)
        if media_type in CORE_IMAGE_TYPES and (media_type != "image/svg+xml" or inert[asset.sha256]):
            found.setdefault(asset.ref, asset)
        elif asset.ref not in found:
            refused.setdefault(
                asset.ref,
                "an SVG image with scripts or outside references" if media_type == "image/svg+xml" else media_type,
            )
    if report and refused:
        for ref in image_refs(article):
            if ref in refused and ref not in found:
                warn(
                    "epub.image-unsupported",
                    f"image {_shown(ref)!r} left out (its alt text is kept):"
                    f" {refused[ref]} is not an image EPUB reading systems show",
                    logger=LOGGER,
                )
    return found


def _web(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class _Held:
    """What the article holds: the images the book can show (by ``ref``), and every asset's ``ref``."""

    images: dict[str, Asset]
    refs: frozenset[str]


def _inline_images(held: _Held, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline images the book cannot hold: a link to one on the web (its alt text), else the alt text."""
    if not any(isinstance(node, Image) for node in content):
        return content
    out: list[Inline] = []
    for node in content:
        if not isinstance(node, Image) or node.src in held.images:
            out.append(node)
        elif node.src not in held.refs and _web(node.src):
            out.append(Link((Text(node.alt),) if node.alt else (), node.src.strip(), node.title))
        else:
            if node.src not in held.refs and node.src.strip():
                warn(
                    "epub.image-left-out",
                    f"image {_shown(node.src)!r} left out (its alt text is kept): the article does not hold it",
                    logger=LOGGER,
                    subject=node.src.strip(),
                )
            if node.alt:
                out.append(Text(node.alt))
    return tuple(out)


def _figure(held: _Held, figure: Figure) -> Figure:
    """A figure whose image the book cannot hold: caption (or alt text), and a link to an image on the web."""
    image = figure.image
    if image is None or image.src in held.images:
        return figure
    content = figure.caption or ((Text(image.alt),) if image.alt else ())
    url = image.src.strip()
    if image.src not in held.refs and _web(url):
        link = Link((Text("view the image online"),), url)
        content = (*content, Text(" ("), link, Text(")")) if content else (link,)
    elif url and content and image.src not in held.refs:
        warn(
            "epub.image-left-out",
            f"image {_shown(url)!r} left out (only its caption is in the book)",
            logger=LOGGER,
            subject=url,
        )
    return Figure(content)


def _figures(held: _Held, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Figures of one block sequence without the images the book cannot hold; one left empty is dropped."""
    if not any(isinstance(block, Figure) for block in blocks):
        return blocks
    out: list[Block] = []
    for block in blocks:
        done = _figure(held, block) if isinstance(block, Figure) else block
        if isinstance(done, Figure) and not done.caption and done.image is None:
            src = block.image.src if isinstance(block, Figure) and block.image else ""
            message = f"a figure with no caption or alt text was left out (image {src!r} cannot be put in the book)"
            warn("epub.figure-dropped", message, logger=LOGGER)
            continue
        out.append(done)
    return tuple(out)


def _note_ref(node: Node) -> tuple[NoteRef, ...]:
    return (node,) if isinstance(node, NoteRef) else ()


def _as_text(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``content`` without links (their text stays) and note references, for the inside of a link."""
    if not any(isinstance(node, Link | NoteRef) for node in content):
        return content
    return tuple(
        inner
        for node in content
        if not isinstance(node, NoteRef)
        for inner in (node.content if isinstance(node, Link) else (node,))
    )


def _links_and_refs(labels: frozenset[str], anchors: frozenset[str], content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """One inline sequence (its inner sequences done already).

    A reference to a missing note becomes ``[label]``; a link to a fragment of
    the original page becomes its text (unless it is one of ``anchors``, an entry
    of a bibliography of the same document); a link keeps only the text of the links
    inside it, and the note references inside it follow it.
    """
    if not any(isinstance(node, Link | NoteRef) for node in content):
        return content
    out: list[Inline] = []
    for node in content:
        if isinstance(node, NoteRef) and node.label not in labels:
            out.append(Text(f"[{node.label}]"))
        elif isinstance(node, Link) and node.target.strip().startswith("#") and node.target.strip() not in anchors:
            out.extend(node.content)
        elif isinstance(node, Link):
            inner = walk_inlines(_as_text, node.content)
            out.append(node if inner is node.content else Link(inner, node.target, node.title))
            out.extend(query(_note_ref, node.content))
        else:
            out.append(node)
    return tuple(out)


def query_blocks(fn: Callable[[Block], Iterable[R]], x: Article | tuple[Block, ...]) -> list[R]:
    """What ``fn`` returns for every block of ``x``, nested ones and the notes' included.

    :func:`~convert.ir.walk.query` for facts of blocks, without going into inline content (which holds
    no block, and is most of an article's nodes: several times cheaper).  The blocks come in the order
    of a bottom-up walk (a block after those it holds): for uses where the order does not matter.
    """
    out: list[R] = []

    def see(block: Block) -> Block:
        out.extend(fn(block))
        return block

    if isinstance(x, Article):  # (two calls: walk_block takes one kind of node at a time)
        walk_block(see, x)
    else:
        walk_block(see, x)
    return out


def _bib_anchors(node: Node) -> tuple[str, ...]:
    """The link targets of the labelled entries of a bibliography (``#ref-smith2019``)."""
    return tuple(f"#ref-{e.label}" for e in node.entries if e.label) if isinstance(node, Bibliography) else ()


def _link_text(node: Inline) -> Inline:
    """A link left without content shows its address."""
    if isinstance(node, Link) and not node.content:
        return Link((Text(node.target),), node.target, node.title)
    return node


def _note_link(node: Inline) -> Inline:
    """Inside the notes document a note reference is a plain link to the note."""
    if isinstance(node, NoteRef):
        return Link((Text(node.label),), f"#{note_id(node.label)}")
    return _link_text(node)


def _inlines_kept(seq: tuple[Inline, ...], images: dict[str, Asset], labels: frozenset[str], in_link: bool) -> bool:
    """Whether :func:`prepare_walks`' rewrites of inlines leave ``seq`` as it is (one look at each node).

    ``labels``: the note labels a reference may have (empty inside the notes document, where
    every reference becomes a link).  Each refusal is what one rewrite changes: an image the
    book does not hold, a reference to a missing note, a link to a ``#fragment``, a link
    with no content, a link or note reference inside a link.
    """
    for node in seq:
        match node:
            case Text() | Code() | LineBreak() | Math():
                continue
            case NoteRef(label=label):
                if in_link or label not in labels:
                    return False
                continue
            case Image(src=src):
                if src not in images:
                    return False
                continue
            case Link(content=c, target=target):
                if in_link or not c or target.strip().startswith("#") or not _inlines_kept(c, images, labels, True):
                    return False
                continue
            case (
                Emph(content=c)
                | Strong(content=c)
                | Strikeout(content=c)
                | Superscript(content=c)
                | Subscript(content=c)
                | SmallCaps(content=c)
                | Span(content=c)
            ):
                if not _inlines_kept(c, images, labels, in_link):
                    return False
                continue
        assert_never(node)
    return True


def _blocks_kept(blocks: tuple[Block, ...], images: dict[str, Asset], labels: frozenset[str]) -> bool:
    """Whether :func:`prepare_walks` leaves ``blocks`` (and every block and inline in them) as they are."""
    for block in blocks:
        match block:
            case Paragraph(content=c) | Heading(content=c):
                if not _inlines_kept(c, images, labels, False):
                    return False
                continue
            case Table() | Bibliography() | ThematicBreak() | CodeBlock():
                if not all(_inlines_kept(seq, images, labels, False) for seq in block_inlines(block)):
                    return False
                continue
            case Figure(caption=c, image=image):
                if (image is not None and image.src not in images) or not _inlines_kept(c, images, labels, False):
                    return False
                continue
            case BlockQuote(blocks=bs):
                if not _blocks_kept(bs, images, labels):
                    return False
                continue
            case BulletList(items=items) | OrderedList(items=items):
                if not all(_blocks_kept(item, images, labels) for item in items):
                    return False
                continue
            case DefinitionList(items=terms):
                for term in terms:
                    if not _inlines_kept(term.term, images, labels, False) or not all(
                        _blocks_kept(d, images, labels) for d in term.definitions
                    ):
                        return False
                continue
        assert_never(block)
    return True


def prepare(article: Article) -> Article:
    """The article as the book shows it: everything in it resolves inside the EPUB (see :func:`prepare_walks`).

    Most articles need none of its rewrites: one look at their nodes tells (the rewrites are
    six walks of the whole article); they are returned as they are.  A test compares the two.
    """
    labels = frozenset(n.label for n in article.notes)
    images = book_images(article)
    if _blocks_kept(article.body, images, labels) and all(
        _blocks_kept(n.blocks, images, frozenset()) for n in article.notes
    ):
        return article
    return prepare_walks(article, images)


def prepare_walks(article: Article, images: dict[str, Asset] | None = None) -> Article:
    """The article as the book shows it: everything in it resolves inside the EPUB.

    Images the article holds, of a core media type, stay (the book embeds
    them); any other image is left out with its alt text kept (EPUB forbids
    remote images; nothing is fetched): an inline image on the web becomes a
    link to it, a figure keeps its caption or alt text plus a link to an image
    on the web, and a figure left with nothing to show is dropped.  Links to
    ``#fragments`` of the original page (not those to an entry of a
    bibliography) and links inside links become text;
    references to missing notes become ``[label]``; note references inside
    links follow the link; references between notes become plain links inside
    the notes document.  The article's assets are kept.
    """
    labels = frozenset(n.label for n in article.notes)
    held = _Held(book_images(article) if images is None else images, frozenset(asset.ref for asset in article.assets))
    imaged = walk_inlines(partial(_inline_images, held), article)
    linked = walk_inlines(partial(_links_and_refs, labels, frozenset()), imaged)
    anchors = frozenset(query_blocks(_bib_anchors, article.body))
    if anchors:  # the body's citations keep their links to the entries (the notes are another document)
        linked = dataclasses.replace(linked, body=walk_inlines(partial(_links_and_refs, labels, anchors), imaged.body))
    body = walk_inline(_link_text, linked.body)
    notes = tuple(Note(n.label, walk_inline(_note_link, n.blocks)) for n in linked.notes)
    done = walk_blocks(partial(_figures, held), Article(article.metadata, body, notes))
    return done if done.assets == article.assets else dataclasses.replace(done, assets=article.assets)
