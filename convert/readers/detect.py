"""Guessing the input format from a file's name and content, cheaply.

Detection never imports a reader: it looks at a few kilobytes of the input.
Content wins over the extension where the content is unambiguous (IR JSON,
XML, Markdown with front matter); everything else is a saved article.
"""

from __future__ import annotations

from ..errors import InputError
from ._text import decode_text

__all__ = ["detect_format"]


def detect_format(data: bytes, suffix: str = "") -> str:
    """The built-in reader name for ``data`` (``suffix``: the file extension, if any)."""
    suffix = suffix.lower()
    try:
        head = decode_text(data[:8192]).lstrip()
    except InputError:
        head = ""
    if head.startswith("{") or suffix == ".json":
        return "json"
    if head.startswith("<"):
        probe = head[:2048].lower()
        if "<tei" in probe or suffix in (".xml", ".tei"):
            return "tei"
        if "<html" in probe or "<!doctype html" in probe:
            raise InputError("HTML input is not supported: save the article as Markdown or text")
    if suffix in (".xml", ".tei"):
        return "tei"
    if head.startswith("---\n"):
        end = head.find("\n---\n", 3)
        end = end if end != -1 else head.find("\n...\n", 3)
        if end != -1 and "\ntitle:" in head[3:end]:
            return "md"
    return "article"
