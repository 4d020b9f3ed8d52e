"""Guessing the input format from a file's name and content, cheaply.

Detection never imports a reader: it looks at a few kilobytes of the input,
and at the extension when a built-in reader's facts say that extension decides
(:data:`~convert.registry.BUILTIN_READER_FACTS`: ``.json`` is JSON, ``.xml`` and
``.tei`` are TEI).  Otherwise the content decides where it is unambiguous (IR
JSON, TEI XML, Markdown with YAML front matter); everything else, ``.txt`` and
``.md`` page dumps alike, is a saved article.  ``format=`` (``-f``) skips
detection altogether.
"""

from __future__ import annotations

import functools
import re

from ..errors import InputError
from ..registry import reader_for_extension
from ._text import binary_signature, decode_text

__all__ = ["detect_format"]

_HEAD_BYTES = 8192


#: A line of YAML front matter: ``key: value``, a list item, an indented or blank line, a comment.
@functools.cache
def _yaml_line() -> re.Pattern[str]:
    return re.compile(r"^(?:[A-Za-z_][\w .-]*:(?:[ \t].*)?|[ \t]+.*|- .*|-|#.*|)$")


#: A JSON object (artconv's JSON starts with its ``"ir-version"`` key); no article starts like this.
_JSON_OBJECT = re.compile(r"\{\s*\"")


def _head(data: bytes) -> str:
    """The decoded start of ``data`` ("" when it is not text); a character cut in two is dropped.

    Decoded quietly: the reader decodes the whole input again and warns about its repairs once.
    """
    for cut in range(4):
        try:
            return decode_text(data[: _HEAD_BYTES - cut] if len(data) > _HEAD_BYTES else data, quiet=True)
        except InputError:
            if len(data) <= _HEAD_BYTES:
                break
    return ""


def _has_front_matter(head: str) -> bool:
    """Whether the text starts with a ``---`` YAML block closed by ``---`` or ``...``."""
    lines = head.split("\n")
    if lines[0].rstrip() != "---":
        return False
    for line in lines[1:200]:
        if line.rstrip() in ("---", "..."):
            return True
        if not _yaml_line().match(line):
            return False
    return False


def detect_format(data: bytes, suffix: str = "") -> str:
    """The built-in reader name for ``data`` (``suffix``: the file extension, if any).

    ``json`` for artconv's JSON, ``tei`` for TEI XML, or the reader whose
    extensions decide (any ``.json``, ``.xml`` or ``.tei`` file), ``md`` for Markdown with YAML front
    matter, ``article`` for everything else.  HTML is refused with a hint,
    a known binary format (PDF, ZIP, PNG...) as binary data.
    """
    kind = binary_signature(data)
    if kind:
        raise InputError(f"binary data ({kind}), not a text article")
    by_extension = reader_for_extension(suffix)
    head = _head(data).lstrip()
    if by_extension == "json" or _JSON_OBJECT.match(head):
        return "json"
    if head.startswith("<"):
        probe = head[:2048].lower()
        if "<tei" in probe or by_extension == "tei":
            return "tei"
        if "<html" in probe or "<!doctype html" in probe:
            raise InputError("HTML input is not supported: save the article as Markdown or text")
    if by_extension is not None:
        return by_extension
    if _has_front_matter(head):
        return "md"
    return "article"
