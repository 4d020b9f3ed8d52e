"""The ``html`` writer: a standalone HTML5 page of the article (the shared rendering).

The page is self-contained (its stylesheet, ``styles/html.css``, is inlined,
the article's images are ``data:`` URIs; it links to nothing but the article's
own links and its images on the web that it does not hold).  With
``extract_media`` (``--extract-media DIR``) the images the article holds are
named as files of ``DIR`` instead (:func:`convert.html.media.media_path`): the
writer stays a pure function, and :func:`convert.write` writes those files
beside the page (:func:`convert.html.media.media_files`).  Notes are
endnotes linked both ways, and the rights statements close the page.  The
markup passes :func:`~convert.html.render.sanitize_tree` like the PDF's and
the EPUB's: whatever the input held, the page carries no script, frame,
object, event handler or ``javascript:`` URL.
"""

from __future__ import annotations

from ..html.media import media_path
from ..html.render import (
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
from ..html.styles import stylesheet
from ..ir.model import Article
from ..registry import Options, WriterSpec

__all__ = ["WRITER", "render"]


def render(article: Article, options: Options) -> bytes:
    """The article as one HTML5 page (UTF-8)."""
    folder = options.extract_media
    ctx = HtmlContext(
        article, xhtml=False, notes="endnotes", asset_src=(lambda asset: media_path(folder, asset)) if folder else None
    )
    children = [title_block(ctx), *body_elements(ctx)]
    children.extend(s for s in (notes_section(ctx), rights_section(ctx)) if s is not None)
    article_el = ctx.el("article")
    for child in children:
        article_el.append(child)
    sanitize_tree(article_el)
    mark_adjacent_note_calls(article_el)
    viewport = ctx.el("meta", name="viewport", content="width=device-width, initial-scale=1")
    root = document(
        ctx,
        article.metadata.title,
        [article_el],
        css=stylesheet("html.css"),
        head_extra=[viewport, *meta_elements(ctx)],
    )
    return serialize(ctx, root)


WRITER = WriterSpec(
    name="html",
    extension=".html",
    media_type="text/html",
    description="standalone HTML5 page (the rendering EPUB and PDF share)",
    render=render,
    aliases=(".htm", ".xhtml"),
)
