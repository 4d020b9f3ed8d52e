"""The last touches to the PDF before it is written (WeasyPrint's ``finisher`` hook).

The information dictionary and the XMP packet from :mod:`.metadata`, the
viewer preferences, reproducible font subsets (:mod:`.fonts`), each associated
file once, and the registered media type of the embedded TEI source.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from ...ir.model import Article
from ...registry import Options
from .fonts import stable_font
from .metadata import info_entries, info_keys, xmp_packet

#: The media type of the TEI source embedded in PDF/A-3 files (``/`` written ``#2f`` in a PDF name).
TEI_SUBTYPE = "/application#2ftei+xml"


def finisher(article: Article, options: Options, created: _dt.datetime | None) -> Callable[[Any, Any], None]:
    """Post-processing of the PDF before it is written: info, XMP, catalog, fonts, attachment types."""

    def finish(document: Any, pdf: Any) -> None:
        import pydyf  # type: ignore[import-untyped]

        info = pdf.info
        producer = str(info["Producer"].string) if "Producer" in info else "WeasyPrint"
        for key in info_keys():
            info.pop(key, None)
        for key, value in info_entries(article.metadata, created).items():
            info[key] = pydyf.String(value)
        packet = xmp_packet(article.metadata, created=created, producer=producer, variant=options.pdf_variant)
        _set_metadata_stream(pdf, packet, pydyf)
        _set_catalog(pdf, pydyf)
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Stream):
                continue
            if len(obj.stream) == 1 and isinstance(obj.stream[0], bytes):  # font subsets carry their making time
                obj.stream[0] = stable_font(obj.stream[0])
            if obj.extra.get("Type") == "/EmbeddedFile":  # a registered media type, not the platform's guess
                obj.extra["Subtype"] = TEI_SUBTYPE

    return finish


def _set_metadata_stream(pdf: Any, packet: bytes, pydyf: Any) -> None:
    """Put the XMP packet in the catalog's ``/Metadata`` stream (WeasyPrint's own one replaced), uncompressed."""
    existing = [obj for obj in pdf.objects if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata"]
    if existing and "Metadata" in pdf.catalog:
        stream = existing[-1]
        stream.stream = [packet]
        stream.compress = False
    else:
        stream = pydyf.Stream([packet], {"Type": "/Metadata", "Subtype": "/XML"}, compress=False)
        pdf.add_object(stream)
        pdf.catalog["Metadata"] = stream.reference


def _set_catalog(pdf: Any, pydyf: Any) -> None:
    """The title in the viewer's window, the outline shown when there is one, each associated file once."""
    viewer = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    viewer["DisplayDocTitle"] = "true"
    pdf.catalog["ViewerPreferences"] = viewer
    if "Outlines" in pdf.catalog:
        pdf.catalog["PageMode"] = "/UseOutlines"
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
