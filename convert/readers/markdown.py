"""The ``md`` reader: clean Markdown with YAML front matter (what the ``md`` writer emits).

Unlike the ``article`` reader it applies no heuristics: metadata comes only
from the front matter, notes only from ``[^label]:`` definitions.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..errors import InputError
from ..ir.model import Article, Identifier, Metadata, Note, Rights, Subject
from ..ir.rights import reconcile_copyright
from ..registry import ReaderSpec
from ._mdparse import parse_blocks
from ._text import decode_text

__all__ = ["READER", "read_markdown", "split_front_matter"]


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(YAML text or None, body) of a Markdown document."""
    if not text.startswith("---\n"):
        return None, text
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i] in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    return None, text


def _str(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        raise InputError(f"front matter: {key!r} must be text")
    return str(value)


def _str_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        return tuple(str(v) for v in value)
    raise InputError(f"front matter: {key!r} must be text or a list of texts")


def _date(value: Any) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError(f"front matter: 'date' must be a date (YYYY-MM-DD), got {value!r}")


def metadata_from_yaml(yaml_text: str) -> Metadata:
    """Typed metadata from front-matter YAML (safe loader: no tags, no code)."""
    import yaml

    try:
        meta = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(f"front matter{where}: {problem}") from None
    if not isinstance(meta, dict):
        raise InputError("front matter must be a YAML mapping")
    subjects: list[Subject] = []
    subject = meta.get("subject")
    if isinstance(subject, dict):
        for scheme, terms in subject.items():
            subjects.extend(Subject(t, str(scheme)) for t in _str_list(terms, f"subject.{scheme}"))
    else:
        subjects.extend(Subject(t) for t in _str_list(subject, "subject"))
    subjects.extend(Subject(t) for t in _str_list(meta.get("keywords"), "keywords"))
    identifiers: list[Identifier] = []
    raw_ids = meta.get("identifier")
    if isinstance(raw_ids, list):
        for item in raw_ids:
            if isinstance(item, dict):
                identifiers.append(Identifier(str(item.get("text", "")), str(item.get("scheme", "") or "")))
            else:
                identifiers.append(Identifier(str(item)))
    elif raw_ids is not None:
        identifiers.append(Identifier(str(raw_ids)))
    copyright_ = meta.get("copyright") or {}
    if not isinstance(copyright_, dict):
        raise InputError("front matter: 'copyright' must be a mapping (holder, year)")
    year = copyright_.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise InputError("front matter: 'copyright.year' must be a year")
    rights = Rights(
        copyright=reconcile_copyright(
            _str(meta, "rights"), _str_list(copyright_.get("holder"), "copyright.holder"), year
        ),
        disclaimer=_str(meta, "disclaimer"),
        fair_use=_str(meta, "fair-use"),
        licence=_str(meta, "licence"),
        source=_str(meta, "source"),
        contact=_str(meta, "contact"),
    )
    return Metadata(
        title=_str(meta, "title"),
        subtitle=_str(meta, "subtitle"),
        authors=_str_list(meta.get("author"), "author"),
        publisher=_str(meta, "publisher"),
        date=_date(meta.get("date")),
        language=_str(meta, "lang"),
        source_url=_str(meta, "source-url"),
        subjects=tuple(subjects),
        identifiers=tuple(identifiers),
        rights=rights,
    )


def read_markdown(data: bytes) -> Article:
    """Read clean Markdown (front matter optional) into the IR."""
    text = decode_text(data)
    yaml_text, body = split_front_matter(text)
    metadata = metadata_from_yaml(yaml_text) if yaml_text is not None else Metadata()
    doc = parse_blocks(body)
    notes = tuple(Note(f.label, f.blocks) for f in doc.footnotes)
    return Article(metadata, tuple(doc.blocks), notes)


READER = ReaderSpec(
    name="md",
    description="clean Markdown with YAML front matter (as written by the md writer)",
    extensions=(".md", ".markdown"),
    read=lambda data, options: read_markdown(data),
)
