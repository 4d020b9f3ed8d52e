"""Front matter: the metadata block at the top of a file, in the dialects people write it.

:func:`read_front_matter` splits the block off the text and reads it into one mapping keyed by
the names of the crosswalk's rows (:data:`convert.ir.crosswalk.FIELDS`): ``title``, ``authors``,
``date``, ``language``, ``subjects``, ``source_url``, ...  The dialects, tried in this order:

=============  ==============================================================================
``yaml``       ``---`` ... ``---`` (or ``...``): Jekyll, Hugo, Docusaurus, pandoc
``toml``       ``+++`` ... ``+++``: Hugo, Zola (:mod:`tomllib`)
``json``       a leading ```` ```json ```` fenced block, or a bare JSON object
``franklin``   ``@def key = value`` lines (Franklin.jl)
``lektor``     ``key: value`` fields separated by ``---`` lines, ``body:`` last (Lektor)
``headers``    ``Title:``, ``Author:``, ``Created:``... lines at the very top (RFC 822 style:
               PEPs, MultiMarkdown)
``present``    ``# Title``, a date line, ``Summary:``, then author lines (Go "present")
=============  ==============================================================================

Reading is lenient: a YAML value that YAML cannot parse (``title: A: B``) is read as plain text,
and a date that cannot be read is left out, each with a warning; nothing here refuses a file.
Unknown keys are ignored.  A key's value that is not of a usable type is ignored too.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .frontmatter_dialects import split_front_matter
from .frontmatter_keys import author_names, fields_from_mapping, norm_key, parse_date, same_people

__all__ = [
    "FrontMatter",
    "author_names",
    "drop_title_heading",
    "fields_from_mapping",
    "md_keys",
    "parse_date",
    "read_front_matter",
    "same_people",
    "split_front_matter",
]


class FrontMatter(NamedTuple):
    """The front matter of a text: its dialect, its mapping as written, its fields and the body after it."""

    dialect: str
    #: The block's mapping, keys as written.
    data: dict[str, Any]
    #: The metadata it gives, by crosswalk row name (only what it gives).
    fields: dict[str, Any]
    #: The text after the block.
    body: str


def read_front_matter(text: str) -> FrontMatter | None:
    """The front matter at the top of ``text`` in any dialect (None when there is none)."""
    found = split_front_matter(text)
    if found is None:
        return None
    dialect, data, body = found
    return FrontMatter(dialect, data, fields_from_mapping(data), body)


def md_keys() -> frozenset[str]:
    """The keys the ``md`` writer writes (from the crosswalk), normalised as :func:`fields_from_mapping` skips them."""
    from ..ir.crosswalk import SUBJECT_KEYS, fields_for

    return frozenset(norm_key(k) for k in [*(row.md for row in fields_for("md")), *SUBJECT_KEYS.values(), "copyright"])


# --------------------------------------------------------------------------- the title heading


def _norm_title(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`\\]+", "", text)
    return " ".join(text.casefold().split()).strip(" .:;!?")


def drop_title_heading(body: str, title: str) -> str:
    """``body`` without its first heading when that heading repeats ``title`` (looked for at the top only)."""
    want = _norm_title(title)
    if not want:
        return body
    lines = body[:4000].split("\n")
    pos = 0
    chunks = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        heading = ""
        size = len(line) + 1
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if re.match(r"#{1,6}[ \t]", stripped):
            heading = stripped.lstrip("#").strip().rstrip("#").strip()
        elif stripped and underline and re.fullmatch(r"(?:=+|-+)", underline):
            heading = stripped
            size += len(lines[i + 1]) + 1
        if heading:
            return body[:pos] + body[pos + size :] if _norm_title(heading) == want else body
        if stripped and (i == 0 or not lines[i - 1].strip()):
            chunks += 1
            if chunks > 5:
                break
        pos += len(line) + 1
    return body
