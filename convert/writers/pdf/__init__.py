"""The ``pdf`` writer: the article set as a journal offprint by WeasyPrint.

The page is the shared HTML rendering (:mod:`convert.html.render`) with notes
as real footnotes, styled by ``styles/print.css``: title block, running head
with a short title, "n of N" page numbers, a bookmark outline and the rights
colophon at the end.  The file carries its metadata twice, in the document
information dictionary and in an XMP packet, both from the crosswalk.

``pdf_variant`` ``pdf/a-3b`` and ``pdf/a-3u`` make an archival PDF/A-3 file
that embeds the article's TEI as an associated file (``AFRelationship
/Source``); ``pdf/ua-1`` makes a tagged, accessible file.

Rendering never reaches the disk or the network on its own: every resource
goes through :class:`~convert.html.fetch.FetchPolicy`.  The output depends
only on the article and the options: timestamps come from
``options.source_date_epoch`` or the article's date, never the clock.

The package follows the writer's steps: :mod:`.checks` (what it accepts),
:mod:`.html` (the page), :mod:`.footnotes` (layout), :mod:`.metadata`,
:mod:`.fonts` and :mod:`.finish` (the file); :mod:`.scripts` warns of text
that no installed font covers.  WeasyPrint is imported when a PDF is
rendered, not when this package is.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ...errors import OutputError
from ...html.fetch import FetchPolicy, weasyprint_fetcher
from ...ir.crosswalk import subject_line, timestamp
from ...ir.model import Article
from ...registry import Options, WriterSpec
from ..tei import render_tei
from .checks import VARIANTS, check_options, check_size, text_size
from .finish import finisher
from .fonts import stable_font
from .html import MAX_INLINE_RUN, MAX_UNBROKEN_TEXT, build_html, short_title
from .metadata import pdf_timestamp, xmp_packet
from .scripts import warn_missing_fonts

__all__ = [
    "MAX_INLINE_RUN",
    "MAX_UNBROKEN_TEXT",
    "TEI_ATTACHMENT_NAME",
    "VARIANTS",
    "WRITER",
    "build_html",
    "html_to_pdf",
    "pdf_timestamp",
    "render",
    "short_title",
    "stable_font",
    "subject_line",
    "text_size",
    "xmp_packet",
]

#: File name of the TEI source embedded in PDF/A-3 files.
TEI_ATTACHMENT_NAME = "article.tei.xml"

_check_options = check_options  # the name the option tests use


def html_to_pdf(
    html: str,
    options: Options,
    *,
    article: Article | None = None,
    policy: FetchPolicy | None = None,
) -> bytes:
    """Render ``html`` with WeasyPrint under the fetch policy of ``options``.

    With ``article`` the PDF gets its metadata, its timestamps and (for PDF/A-3)
    the article's TEI as an associated file.
    """
    check_options(options)
    import weasyprint

    from .footnotes import lay_out

    policy = policy or FetchPolicy.from_options(options)
    fetcher = weasyprint_fetcher(policy)
    created = timestamp(options.source_date_epoch, article.metadata.date if article is not None else None)
    write_options: dict[str, Any] = {"uncompressed_pdf": False}
    if options.pdf_variant:
        write_options["pdf_variant"] = options.pdf_variant
    if article is not None and options.pdf_variant.startswith("pdf/a-3"):
        stamp = (created or _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)).replace(tzinfo=None)
        write_options["attachments"] = [
            weasyprint.Attachment(
                string=render_tei(article),
                name=TEI_ATTACHMENT_NAME,
                description="TEI P5 XML source of this article",
                created=stamp,
                modified=stamp,
                relationship="Source",
                url_fetcher=fetcher,
            )
        ]
    finish = finisher(article, options, created) if article is not None else None
    try:
        doc = weasyprint.HTML(string=html, base_url=policy.base_url(), url_fetcher=fetcher)
        document = lay_out(doc, write_options)
        data: bytes = document.write_pdf(finisher=finish, **write_options)
    except (OSError, ValueError, AssertionError) as exc:
        raise OutputError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc
    return data


def render(article: Article, options: Options) -> bytes:
    """The article as a PDF (deterministic for the same article and options).

    An article of more than ``options.pdf_max_chars`` characters of text is
    refused (:class:`~convert.errors.OutputError`) before anything is laid out.
    """
    check_options(options)
    check_size(article, options)
    policy = FetchPolicy.from_options(options)
    page = build_html(article, options, policy)
    warn_missing_fonts(page)
    return html_to_pdf(page, options, article=article, policy=policy)


WRITER = WriterSpec(
    name="pdf",
    extension=".pdf",
    media_type="application/pdf",
    description="PDF offprint with footnotes and metadata; PDF/A-3 (TEI inside) and PDF/UA variants",
    render=render,
)
