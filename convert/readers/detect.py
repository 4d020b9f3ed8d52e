"""Guessing the input format from a file's name and content, cheaply.

Detection never imports a reader: it looks at a few kilobytes of the input,
and at the extension when a built-in reader's facts say that extension decides
(:data:`~convert.registry.BUILTIN_READER_FACTS`: ``.json`` is JSON, ``.xml`` and
``.tei`` are TEI).  Otherwise the content decides where it is unambiguous (IR
JSON, TEI XML, Markdown with YAML front matter the ``md`` writer could have written);
everything else, ``.txt`` and ``.md`` page dumps alike, other tools' front matter too (see
:mod:`.frontmatter`), is a saved article.  ``format=`` (``-f``) skips
detection altogether.
"""

from __future__ import annotations

import functools
import re

from convert.recache import compile as recompile

from ..errors import InputError
from ..registry import PANDOC_READERS, reader_for_extension
from ._text import binary_signature, decode_text

__all__ = ["detect_format"]

_HEAD_BYTES = 8192


#: A line of YAML front matter: ``key: value``, a list item, an indented or blank line, a comment.
@functools.cache
def _yaml_line() -> re.Pattern[str]:
    return recompile(r"^(?:[A-Za-z_][\w .-]*:(?:[ \t].*)?|[ \t]+.*|- .*|-|#.*|)$")


#: A JSON object (artconv's JSON starts with its ``"ir-version"`` key); no article starts like this.
_JSON_OBJECT = recompile(r"\{\s*\"")


def _head(data: bytes, encoding: str = "") -> str:
    """The decoded start of ``data`` ("" when it is not text); a character cut in two is dropped.

    Decoded quietly: the reader decodes the whole input again and warns about its repairs once.
    """
    for cut in range(4):
        try:
            return decode_text(
                data[: _HEAD_BYTES - cut] if len(data) > _HEAD_BYTES else data, quiet=True, encoding=encoding
            )
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


def _json_front_matter(head: str) -> bool:
    """Whether the text starts with a JSON object of metadata followed by the article (not artconv's JSON)."""
    import json

    try:
        data, end = json.JSONDecoder().raw_decode(head)
    except ValueError:
        return False  # not JSON, or a large object cut by the sample: the JSON reader says which
    return isinstance(data, dict) and "ir-version" not in data and bool(head[end:].strip())


#: A date as the ``md`` writer writes it (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, maybe quoted).
_OWN_DATE = recompile(r"([\"']?)\d{4}(?:-\d{2}(?:-\d{2})?)?\1")


def _own_front_matter(head: str) -> bool:
    """Whether the YAML front matter is one the ``md`` writer could have written.

    Its keys are the crosswalk's, its dates ISO 8601, no plain value holds ``": "`` (the
    writer quotes those) and it is valid YAML.  Front matter of other tools goes to the ``article`` reader, whose
    transforms (bylines, notes, rights, chrome) a hand-written page needs.
    """
    from .frontmatter import md_keys

    own = md_keys()
    dates = {"date", "modified"}
    lines = head.split("\n")
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return _valid_yaml("\n".join(lines[1:i]))
        if not line.strip() or line.startswith((" ", "\t", "-", "#")):
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        key = key.strip().lower().replace("-", "_")
        if key not in own or (key in dates and value and not _OWN_DATE.fullmatch(value)):
            return False
        if ": " in value and value[:1] not in ("'", '"'):
            return False
    return True


def _valid_yaml(block: str) -> bool:
    """Whether the block is a YAML mapping (or empty): what the ``md`` writer writes always is."""
    import yaml

    try:
        return isinstance(yaml.safe_load(block) or {}, dict)
    except yaml.YAMLError:
        return False


def _gzipped_html(data: bytes) -> bool:
    """Whether gzip-compressed ``data`` starts like an HTML page (a saved ``.html.gz``)."""
    import zlib

    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 4096)
    except zlib.error:
        return False
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    return probe.startswith(b"<") and (b"<html" in probe or b"<!doctype html" in probe)


def detect_format(data: bytes, suffix: str = "", *, encoding: str = "") -> str:
    """The built-in reader name for ``data`` (``suffix``: the file extension, if any).

    ``json`` for artconv's JSON, ``tei`` for TEI XML, or the reader whose
    extensions decide (any ``.json``, ``.xml`` or ``.tei`` file), ``md`` for Markdown with YAML front
    matter, ``html`` for a web page (gzip-compressed too), ``article`` for everything else;
    a known binary format (PDF, ZIP, PNG...) as binary data.  ``encoding`` names
    the text's encoding (default: UTF-8 or UTF-16, else detected).
    """
    if data[:2] == b"\x1f\x8b" and _gzipped_html(data):
        return "html"
    if (pandoc_reader := reader_for_extension(suffix)) in PANDOC_READERS:  # .docx, .odt, .epub, .rst, ...
        return str(pandoc_reader)
    kind = binary_signature(data)
    if kind:
        raise InputError(f"binary data ({kind}), not a text article")
    by_extension = reader_for_extension(suffix)
    head = _head(data, encoding).lstrip()
    if by_extension == "json" or (_JSON_OBJECT.match(head) and not _json_front_matter(head)):
        return "json"
    if head.startswith("<"):
        probe = head[:2048].lower()
        if "<tei" in probe or by_extension == "tei":
            return "tei"
        if "<html" in probe or "<!doctype html" in probe:
            return "html"
    if by_extension is not None:
        return by_extension
    if _has_front_matter(head):
        return "md" if _own_front_matter(head) else "article"
    return "article"
