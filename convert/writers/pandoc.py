"""Writers through pandoc: ODT, JATS, LaTeX, reStructuredText, AsciiDoc, Typst, Org, MediaWiki, RTF, plain text.

The article goes to pandoc as its JSON AST (:mod:`convert.pandoc.bridge`) and
pandoc writes the format.  The rights are put where each format has a place for
them (see ``docs/pandoc.md``):

* DOCX (``-t pandoc:docx``; ``docx`` is artconv's own writer, :mod:`convert.writers.docx`) and ODT:
  the core properties (title, author, date, description, keywords)
  and one custom document property per rights field (``artconv-rights-copyright``,
  ``artconv-rights-disclaimer``, ...), and a "Rights" section at the end;
* LaTeX and Typst: a "Colophon" section at the end;
* JATS: ``<permissions>`` (``copyright-statement``, ``-year``, ``-holder``,
  ``license`` with the licence's URL) through pandoc's template, and
  ``<notes notes-type="disclaimer">`` (and ``fair-use``) in ``<back>``;
* every other format: a "Rights" section at the end.

The heading and the labels of that section are in the article's language (:mod:`convert.words`).

Output is deterministic: pandoc gets ``SOURCE_DATE_EPOCH`` (the option, else the
article's date, else 0).  pandoc runs with ``--sandbox``: it reads no file but
the reference document.  For the formats that embed images, the images the article
holds are given to it as ``data:`` URIs, and an image it does not hold is left out
(a link with its alt text stands for it): pandoc fetches nothing.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import OutputError, warn
from ..ir.model import Article, Figure, Image, Link, Text
from ..ir.text import text_paragraphs
from ..registry import Options, WriterSpec

__all__ = ["PANDOC_FORMATS", "WRITERS", "generic_writer", "render_with_pandoc"]

#: name -> (pandoc writer, extension, media type, description)
PANDOC_FORMATS: dict[str, tuple[str, str, str, str]] = {
    "odt": ("odt", ".odt", "application/vnd.oasis.opendocument.text",
            "OpenDocument text (pandoc): rights in the document properties and a Rights section"),
    "jats": ("jats_archiving", ".jats.xml", "application/jats+xml",
             "JATS Archiving 1.2 XML (pandoc): rights in <permissions> and disclaimer notes"),
    "latex": ("latex", ".tex", "text/x-tex", "LaTeX (pandoc): rights in a colophon"),
    "rst": ("rst", ".rst", "text/x-rst", "reStructuredText (pandoc)"),
    "asciidoc": ("asciidoc", ".adoc", "text/asciidoc", "AsciiDoc (pandoc)"),
    "typst": ("typst", ".typ", "text/x-typst", "Typst (pandoc): rights in a colophon"),
    "org": ("org", ".org", "text/x-org", "Emacs Org mode (pandoc)"),
    "mediawiki": ("mediawiki", ".wiki", "text/x-mediawiki", "MediaWiki markup (pandoc)"),
    "rtf": ("rtf", ".rtf", "text/rtf", "Rich Text Format (pandoc)"),
    "plain": ("plain", ".txt", "text/plain", "plain text (pandoc)"),
}  # fmt: skip

#: pandoc writers whose output embeds the images (pandoc would fetch them), or which cannot
#: reach an image on the network (Typst, LaTeX).
_EMBEDDING = frozenset({"docx", "odt", "rtf", "epub", "epub2", "epub3", "pptx", "fb2", "icml", "typst", "latex"})
#: pandoc writers whose output is binary (a zip).
BINARY = frozenset({"docx", "odt", "epub", "epub2", "epub3", "pptx"})
#: Where the rights go besides the metadata: the closing section, its heading the word of
#: :class:`~convert.words.Words` named here (in the article's language; its identifier this name), ``""``: none.
_SECTION = {"jats_archiving": "", "jats": "", "jats_publishing": "", "jats_articleauthoring": "", "latex": "colophon",
            "typst": "colophon", "beamer": "colophon", "context": "colophon"}  # fmt: skip
_CUSTOM_PROPERTIES = frozenset({"docx", "odt"})


def _epoch(article: Article, options: Options) -> int:
    from ..ir.crosswalk import timestamp

    when = timestamp(options.source_date_epoch, article.metadata.date)
    return int(when.timestamp()) if when is not None else 0


def _meta_string(text: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": text}


def _rights_blocks(article: Article, section: str) -> list[Any]:
    """The closing rights section: a heading (the word ``section``: ``"rights"``, ``"colophon"``, in the
    article's language), then one paragraph per rights field (crosswalk labels, in that language)."""
    from ..ir.crosswalk import colophon_paragraphs
    from ..pandoc.to_pandoc import text_nodes
    from ..words import words_for

    words = words_for(article.metadata.language)
    heading = str(getattr(words, section))
    blocks: list[Any] = []
    for label, text in colophon_paragraphs(article.metadata, words.labels):
        strong = [{"t": "Strong", "c": text_nodes(f"{label}:")}, {"t": "Space"}] if label else []
        blocks.append({"t": "Para", "c": strong + text_nodes(text)})
    if not blocks:
        return []
    header = {"t": "Header", "c": [1, [section, ["unnumbered"], []], text_nodes(heading)]}
    return [header, *blocks]  # not in a Div: the rst writer makes a heading in one a mere rubric


def _offline(article: Article, options: Options, fmt: str) -> Article:
    """The article with the images pandoc would have to fetch replaced by their text (embedding formats)."""
    if fmt not in _EMBEDDING:
        return article
    from ..ir.walk import walk_block, walk_inline

    held = {asset.ref for asset in article.assets}

    def missing(src: str) -> bool:
        return bool(src) and src not in held

    def inline(node: Any) -> Any:
        if isinstance(node, Image) and missing(node.src):
            warn("pandoc.image-left-out", f"image {node.src[:80]!r} left out: it is not held by the article",
                 logger=__name__, subject=node.src)  # fmt: skip
            return Link((Text(node.alt or node.src),), node.src, node.title)
        return node

    def block(node: Any) -> Any:
        if isinstance(node, Figure) and node.image is not None and missing(node.image.src):
            warn("pandoc.image-left-out", f"image {node.image.src[:80]!r} left out: it is not held by the article",
                 logger=__name__, subject=node.image.src)  # fmt: skip
            caption = node.caption or ((Text(node.image.alt),) if node.image.alt else ())
            return Figure(caption, None)
        return node

    return walk_block(block, walk_inline(inline, article))


def _inline_assets(doc: Any, article: Article) -> None:
    """The images the article holds given to pandoc as ``data:`` URIs (in place), so that it reads no file."""
    import base64

    uris = {a.ref: f"data:{a.media_type};base64,{base64.b64encode(a.data).decode('ascii')}" for a in article.assets}

    for node in _nodes(doc["blocks"]):
        if node.get("t") == "Image" and node["c"][2][0] in uris:
            node["c"][2][0] = uris[node["c"][2][0]]


def render_with_pandoc(article: Article, options: Options, fmt: str, *, extra_args: tuple[str, ...] = ()) -> bytes:
    """The article in pandoc's output format ``fmt`` (rights placed as the module says)."""
    from ..pandoc.json_ast import RIGHTS_KEY, rights_properties  # (not .bridge: nothing of reading is needed)
    from ..pandoc.runner import write
    from ..pandoc.to_pandoc import to_pandoc

    base = fmt.split("+", maxsplit=1)[0].split("-", maxsplit=1)[0]
    article = _offline(article, options, base)
    doc = to_pandoc(article, exact=False)
    if base in _EMBEDDING and article.assets:
        _inline_assets(doc, article)
    meta = doc["meta"]
    if not base.startswith("jats"):
        for key in ("copyright", "license"):  # the JATS template's maps; other templates print them as "true"
            meta.pop(key, None)
    if base in _CUSTOM_PROPERTIES:
        meta.pop(RIGHTS_KEY, None)  # a map: no custom property can hold it
        for name, value in rights_properties(article.metadata.rights):
            meta[name] = _meta_string(value)
    if base == "typst" and "keywords" in doc["meta"]:  # the template writes them into code: strings there
        terms = dict.fromkeys(s.term for s in article.metadata.subjects)
        raw = [{"t": "MetaInlines", "c": [{"t": "RawInline", "c": ["typst", _typst_string(t)]}]} for t in terms]
        doc["meta"]["keywords"] = {"t": "MetaList", "c": raw}
    if base.startswith("jats"):
        refs_title = _jats_ready(doc, article)
    section = _SECTION.get(base, "rights")
    if section:
        doc["blocks"] += _rights_blocks(article, section)
    reference = options.reference_doc
    if reference and base in ("docx", "odt", "pptx"):
        if not os.path.isfile(reference):
            raise OutputError(f"--reference-doc: no such file: {reference}")
        reference = os.path.abspath(reference)
    else:
        reference = ""
    # pandoc reads nothing but the reference document: images come as data: URIs. Org is written
    # unwrapped: pandoc's Org writer wraps #+title over lines its reader does not join.
    out = write(
        json.dumps(doc, separators=(",", ":")).encode("ascii"),
        fmt,
        epoch=_epoch(article, options),
        wrap="none" if base == "org" else "",
        reference_doc=reference,
        extra_args=extra_args,
    )
    if base.startswith("jats"):
        out = _jats_mended(out, article, refs_title)
    return out


def _jats_ready(doc: Any, article: Article) -> str:
    """What the JATS DTD asks of pandoc's input (in place); the title of the reference list.

    pandoc's template puts ``abstract`` as it is into ``<abstract>``, where the DTD wants ``<p>``;
    its JATS writer makes a ``<ref-list>`` in ``<back>`` of the ``Div`` whose id is ``refs`` only
    (anywhere else a ``<ref>`` lands in a ``<sec>``), with an empty ``<title>``
    (:func:`_jats_mended` fills it); a heading anywhere but at the top makes a ``<title>`` in a
    ``<p>``, a link to an id that no element has an ``<xref>`` to nothing, and the ``<alt-text>``
    of images is written unescaped.
    """
    from ..pandoc.from_pandoc import stringify
    from ..pandoc.to_pandoc import text_nodes

    meta = doc["meta"]
    if article.metadata.description:
        paragraphs = text_paragraphs(article.metadata.description)
        meta["abstract"] = {"t": "MetaBlocks", "c": [{"t": "Para", "c": text_nodes(p)} for p in paragraphs]}
    kept: list[Any] = []
    entries: list[Any] = []
    title: list[Any] | None = None
    for block in doc["blocks"]:
        if block["t"] == "Div" and "references" in block["c"][0][1]:
            for part in block["c"][1]:
                if part["t"] == "Header":
                    title = part["c"][2] if title is None else title
                else:
                    entries.append(part)
        else:
            kept.append(block)
    if entries or title is not None:
        seen: set[str] = set()
        for entry in entries:  # an id twice is not valid; a note in <back> has no <fn> made of it
            if entry["t"] == "Div":
                ident = base_id = entry["c"][0][0] or "ref"
                for n in itertools.count(2):
                    if ident not in seen:
                        break
                    ident = f"{base_id}-{n}"
                entry["c"][0] = [ident, *entry["c"][0][1:]]
                seen.add(ident)
            _drop_notes(entry)
        # first, outside every section: pandoc makes the heading of a section holding only the reference
        # list the list's title (a heading ending the text would leave the text, its notes with no <fn>)
        kept.insert(0, {"t": "Div", "c": [["refs", ["references", "csl-bib-body"], []], entries]})
        doc["blocks"] = kept
    _lone_images_inline(doc["blocks"])
    ids: set[str] = set()
    links: list[Any] = []
    images: list[Any] = []

    for node in _nodes(doc["blocks"]):
        kind = node.get("t")
        if kind in _ATTR_AT:
            ident = node["c"][_ATTR_AT[kind]][0]
            if ident:
                ids.add(ident)
        if kind == "Link" and node["c"][2][0].startswith("#"):
            links.append(node)
        elif kind == "Image":
            images.append(node)
    for block in doc["blocks"]:  # a <title> is for a <sec>: a heading in a quotation or list is a bold line
        if block["t"] != "Header":
            _bold_headers(block.get("c"))
    for link in links:  # an <xref> to no element is not valid: a link to nowhere in the text is its text
        if link["t"] == "Link" and link["c"][2][0][1:] not in ids:  # (a node may be in the tree twice)
            link["t"], link["c"] = "Span", [["", [], []], link["c"][1]]
    for image in {id(image): image for image in images}.values():  # pandoc writes <alt-text> unescaped:
        image["c"][1] = json.loads(json.dumps(image["c"][1]).translate(_ALT_MARKS))  # marked, escaped later
    return stringify({"t": "MetaInlines", "c": title}) if title else ""


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every node (object) of a pandoc JSON tree, parents first; one changed in place is walked as changed."""
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _nodes(value)


def _lone_images_inline(tree: Any) -> None:
    """Each paragraph that is one image, in a list item, a definition or a note, given the image in a span (in place).

    pandoc's JATS writer makes such a paragraph a ``<graphic>``, which those may not hold (only
    ``<p>``); in a span the image is an ``<inline-graphic>`` in a ``<p>``.
    """
    for node in _nodes(tree):
        kind = node.get("t")
        if kind == "BulletList":
            groups = node["c"]
        elif kind == "OrderedList":
            groups = node["c"][1]
        elif kind == "DefinitionList":
            groups = [blocks for _, definitions in node["c"] for blocks in definitions]
        elif kind == "Note":
            groups = [node["c"]]
        else:
            continue
        for blocks in groups:
            for block in blocks:
                if block["t"] == "Para" and len(block["c"]) == 1 and block["c"][0]["t"] == "Image":
                    block["c"] = [{"t": "Span", "c": [["", [], []], block["c"]]}]


def _bold_headers(tree: Any) -> None:
    """Every ``Header`` under ``tree`` made a paragraph of its text in bold (in place)."""
    for node in _nodes(tree):
        if node.get("t") == "Header":
            node["t"], node["c"] = "Para", [{"t": "Strong", "c": node["c"][2]}]


def _drop_notes(node: Any) -> None:
    """The ``Note`` inlines under ``node`` removed (in place)."""
    if isinstance(node, dict):
        for value in node.values():
            _drop_notes(value)
    elif isinstance(node, list):
        node[:] = [v for v in node if not (isinstance(v, dict) and v.get("t") == "Note")]
        for value in node:
            _drop_notes(value)


#: Where the attributes of the pandoc nodes that have them are in their ``c``.
_ATTR_AT = {"Header": 1, "Div": 0, "Span": 0, "CodeBlock": 0, "Code": 0, "Link": 0, "Image": 0, "Table": 0, "Figure": 0}
#: The characters pandoc does not escape in JATS ``<alt-text>``, as private-use marks (and back).
_ALT_MARKS = str.maketrans({"&": "\ue000", "<": "\ue001", ">": "\ue002"})
_ALT_ENTITIES = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}


def _typst_string(text: str) -> str:
    """A Typst string literal of ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _jats_mended(xml: bytes, article: Article, refs_title: str) -> bytes:
    """pandoc's JATS with ``<notes notes-type="disclaimer">`` (and ``fair-use``) added to ``<back>``,
    the reference list's title filled in and the ``<alt-text>`` escaped."""
    from xml.sax.saxutils import escape

    rights = article.metadata.rights
    notes = ""
    for kind, text in (("disclaimer", rights.disclaimer), ("fair-use", rights.fair_use)):
        paragraphs = text_paragraphs(text)
        if paragraphs:
            notes += f'<notes notes-type="{kind}">\n' + "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
            notes += "</notes>\n"
    text = xml.decode("utf-8")
    if "\ue000" in text or "\ue001" in text or "\ue002" in text:
        text = re.sub("[\ue000-\ue002]", lambda m: _ALT_ENTITIES[m[0]], text)
    if refs_title:
        text = re.sub(r"(<ref-list>\s*<title>)(</title>)", lambda m: m[1] + escape(refs_title) + m[2], text, count=1)
    if not notes:
        return text.encode("utf-8")
    if "<back>" in text:
        text = text.replace("<back>", "<back>\n" + notes, 1)
    else:
        text = text.replace("</article>", f"<back>\n{notes}</back>\n</article>", 1)
    return text.encode("utf-8")


def _renderer(fmt: str) -> Callable[[Article, Options], bytes]:
    def render(article: Article, options: Options) -> bytes:
        return render_with_pandoc(article, options, fmt)

    return render


#: Other extensions that select a writer in ``-o FILE``.
_ALIASES = {"asciidoc": (".asciidoc",), "mediawiki": (".mediawiki",)}


def _spec(name: str) -> WriterSpec:
    fmt, extension, media_type, description = PANDOC_FORMATS[name]
    return WriterSpec(name, extension, media_type, description, _renderer(fmt), aliases=_ALIASES.get(name, ()))


#: The writers, by name (each module attribute below is one of these).
WRITERS: dict[str, WriterSpec] = {name: _spec(name) for name in PANDOC_FORMATS}
ODT = WRITERS["odt"]
JATS = WRITERS["jats"]
LATEX = WRITERS["latex"]
RST = WRITERS["rst"]
ASCIIDOC = WRITERS["asciidoc"]
TYPST = WRITERS["typst"]
ORG = WRITERS["org"]
MEDIAWIKI = WRITERS["mediawiki"]
RTF = WRITERS["rtf"]
PLAIN = WRITERS["plain"]


def generic_writer(fmt: str) -> WriterSpec:
    """The writer of ``-t pandoc:FORMAT``: any output format of pandoc (``pandoc:html5``, ``pandoc:pptx``)."""
    from ..pandoc import check_format_name

    check_format_name(fmt, "output")
    base = re.split(r"[+-]", fmt, maxsplit=1)[0]
    media = "application/octet-stream" if base in BINARY else "text/plain"
    extension = _EXTENSIONS.get(base, f".{base}")
    return WriterSpec(
        f"pandoc:{fmt}", extension, media, f"pandoc's {fmt} writer", _renderer(fmt), binary=base in BINARY, options=()
    )


#: Extensions of ``-t pandoc:FORMAT`` outputs whose name is not their extension (else ``.FORMAT``).
_EXTENSIONS = {
    "html": ".html", "html4": ".html", "html5": ".html", "revealjs": ".html", "slidy": ".html", "s5": ".html",
    "dzslides": ".html", "slideous": ".html", "chunkedhtml": ".zip", "markdown": ".md", "gfm": ".md",
    "commonmark": ".md", "commonmark_x": ".md", "markdown_strict": ".md", "markdown_mmd": ".md",
    "markdown_phpextra": ".md", "markua": ".md", "docbook": ".xml", "docbook4": ".xml", "docbook5": ".xml",
    "jats_publishing": ".xml", "jats_articleauthoring": ".xml", "jats_archiving": ".xml", "tei": ".xml",
    "beamer": ".tex", "context": ".tex", "epub2": ".epub", "epub3": ".epub", "man": ".1", "ms": ".ms",
    "texinfo": ".texi", "dokuwiki": ".txt", "jira": ".txt", "xwiki": ".txt", "zimwiki": ".txt", "native": ".hs",
    "opendocument": ".xml", "bibtex": ".bib", "biblatex": ".bib", "csljson": ".json", "ansi": ".txt",
}  # fmt: skip
