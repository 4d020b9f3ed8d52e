"""The images a DOCX embeds: PNG, JPEG and GIF, sized from their headers."""

from __future__ import annotations

import struct

from .markup import PIC_NS, attr

__all__ = ["EXTENSIONS", "MAX_WIDTH_EMU", "drawing_xml", "image_size", "shown_size"]

#: The media types embedded, and the extension of their part in ``word/media/``.
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif"}
#: English Metric Units: 914400 an inch; an image of no stated resolution is taken at 96 pixels an inch.
_EMU_PER_PIXEL = 9525
#: The widest an image is shown: 6 inches, within the text width of A4 and Letter pages with 1-inch margins.
MAX_WIDTH_EMU = 6 * 914400
#: JPEG start-of-frame markers (those that give the image size).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def image_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """(width, height) in pixels from the image's header, or None when it cannot be read."""
    try:
        if media_type == "image/png":
            if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
                width, height = struct.unpack(">II", data[16:24])
                return (width, height) if width and height else None
            return None
        if media_type == "image/gif":
            if data[:6] in (b"GIF87a", b"GIF89a"):
                width, height = struct.unpack("<HH", data[6:10])
                return (width, height) if width and height else None
            return None
        if media_type == "image/jpeg":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return (width, height) if width and height else None
        at += 2 + length
    return None


def shown_size(width: int, height: int) -> tuple[int, int]:
    """The size in EMU an image of (width, height) pixels is shown at: at most :data:`MAX_WIDTH_EMU`
    wide, its ratio kept."""
    cx, cy = width * _EMU_PER_PIXEL, height * _EMU_PER_PIXEL
    if cx > MAX_WIDTH_EMU:
        cx, cy = MAX_WIDTH_EMU, max(1, cy * MAX_WIDTH_EMU // cx)
    return cx, cy


def drawing_xml(n: int, part: str, rid: str, size: tuple[int, int], *, alt: str, title: str) -> str:
    """The run showing the image ``part`` (``media/imageN.ext``, relationship ``rid``) in line with the
    text, ``size`` (EMU) wide and high, its ``alt`` text as the description; ``n`` numbers the drawings."""
    cx, cy = size
    shown_title = f' title="{attr(title)}"' if title else ""
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{n}" name="Picture {n}"'
        f' descr="{attr(alt)}"{shown_title}/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="{PIC_NS}"><pic:pic><pic:nvPicPr>'
        f'<pic:cNvPr id="0" name="{part[6:]}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>'
        f'<a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
