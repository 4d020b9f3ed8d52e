"""The ``tei`` reader: TEI P5 XML back into the IR.

It reads what the ``tei`` writer writes exactly (article -> TEI -> article is
the identity), and reasonable hand-written TEI: the usual header fields,
``p``, ``head`` and nested ``div``s, ``quote``, ``list``, ``figure``, ``note``
(in place, or in ``back`` pointed to by ``ptr``/``ref``), ``ref``, ``hi``,
``emph``, ``lb``, ``code``, ``eg``, ``lg``.  Elements without an IR
counterpart give their text; ``teiHeader`` elements it does not know are
ignored.  ``docs/tei.md`` lists the mapping.

The XML is parsed defensively: entities are never expanded from a DTD, no
DTD is loaded, nothing is fetched from the network, libxml2's size and depth
limits stay on, and a document that declares entities is refused.  Every
problem is an :class:`~convert.errors.InputError` of one line.

The reader is split as the document is: :mod:`.elements` parses the XML and
reads plain text, :mod:`.header` reads ``teiHeader`` into the metadata, and
:mod:`.body` reads ``text`` into blocks and notes.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ...errors import InputError
from ...ir.model import Article
from ...registry import Options, ReaderSpec
from ...xmlns import TEI_NS, tei_local_name
from .body import TextReader
from .elements import kid, parse
from .header import metadata

__all__ = ["READER", "read_tei"]


def _iter_tei(root: etree._Element) -> Iterator[etree._Element]:
    if tei_local_name(root) == "TEI":
        yield root
    elif tei_local_name(root) == "teiCorpus":
        yield from root.iter(f"{{{TEI_NS}}}TEI", "TEI")


def read_tei(data: bytes) -> Article:
    """Read a TEI P5 document (bytes) into the IR; raises InputError on unsafe or non-TEI input."""
    root = parse(data)
    tei = next(_iter_tei(root), None)
    if tei is None:
        qname = etree.QName(root)
        where = f" in namespace {qname.namespace}" if qname.namespace else ""
        raise InputError(f"not a TEI document: the root element is <{qname.localname}>{where}")
    body, notes = TextReader(kid(tei, "text")).read()
    return Article(metadata(tei), body, notes)


def _read(data: bytes, options: Options) -> Article:
    return read_tei(data)


READER = ReaderSpec(
    name="tei",
    description="TEI P5 XML (artconv's own, and hand-written TEI)",
    extensions=(".xml", ".tei"),
    read=_read,
)
