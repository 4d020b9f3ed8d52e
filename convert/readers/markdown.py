"""The ``md`` reader: clean Markdown with YAML front matter (what the ``md`` writer emits).

Unlike the ``article`` reader it applies no heuristics: metadata comes only
from the front matter, notes only from ``[^label]:`` definitions.  The writer's
keys are read strictly (a malformed value is an error); keys of other tools
(``authors``, ``excerpt``, ``url``...) and TOML, JSON or ``@def`` front matter
are read leniently by :mod:`.frontmatter`, filling only what the writer's keys
leave empty.  The one
exception is the language: when the front matter has no ``lang`` key (or there
is no front matter) it is detected from the text (:mod:`convert.lang`);
``lang: und`` says it is unknown, and is what the ``md`` writer writes then.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .._collector import collection_paused
from ..errors import InputError
from ..ir.crosswalk import from_front_matter
from ..ir.model import Article, Metadata, Note
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


def metadata_from_yaml(yaml_text: str) -> Metadata:
    """Typed metadata from front-matter YAML (safe loader: no tags, no code)."""
    return from_front_matter(_front_matter(yaml_text))


def _front_matter(yaml_text: str) -> dict[Any, Any]:
    """The front matter's mapping (safe loader: no tags, no code); :class:`InputError` when it is not one."""
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
    return meta


def _other_keys(metadata: Metadata, meta: dict[Any, Any]) -> Metadata:
    """``metadata`` with what keys of other tools (``authors``, ``excerpt``, ``url``...) give where it has nothing."""
    if not meta:
        return metadata
    from .frontmatter import fields_from_mapping, md_keys

    extra = fields_from_mapping(meta, skip=md_keys())
    changes = {k: v for k, v in extra.items() if hasattr(metadata, k) and not getattr(metadata, k)}
    if "date" in changes:
        changes["date_precision"] = extra.get("date_precision", "day")
    rights = {k: v for k, v in extra.items() if hasattr(metadata.rights, k) and not getattr(metadata.rights, k)}
    if rights:
        changes["rights"] = dataclasses.replace(metadata.rights, **rights)
    return dataclasses.replace(metadata, **changes) if changes else metadata


#: The language tag that says the language is not known (BCP 47's "undetermined").
UNDETERMINED = "und"


def read_markdown(data: bytes, *, detect_language: bool = True, encoding: str = "") -> Article:
    """Read clean Markdown (front matter optional) into the IR.

    Without a ``lang`` key the language is detected (``detect_language=False``: left empty).
    """
    with collection_paused():  # a reader's objects form no cycles: the collector would walk them for nothing
        return _read_markdown(data, detect_language=detect_language, encoding=encoding)


def _read_markdown(data: bytes, *, detect_language: bool, encoding: str) -> Article:
    text = decode_text(data, encoding=encoding)
    yaml_text, body = split_front_matter(text)
    meta = _front_matter(yaml_text) if yaml_text is not None else {}
    metadata = _other_keys(from_front_matter(meta), meta)
    has_language = "lang" in meta
    if yaml_text is None and text.lstrip("\n")[:1] in ("+", "`", "~", "{", "@"):
        # another tool's front matter (TOML, JSON, @def lines), read leniently
        from ..ir.crosswalk import make_metadata
        from .frontmatter import read_front_matter

        found = read_front_matter(text)
        if found is not None and found.dialect in ("toml", "json", "franklin"):
            metadata, body, has_language = make_metadata(found.fields), found.body, "language" in found.fields
    doc = parse_blocks(body)
    notes = tuple(Note(f.label, f.blocks) for f in doc.footnotes)
    language = metadata.language
    if language.lower() == UNDETERMINED:
        language = ""
    elif not has_language and detect_language:
        from ..lang import language_of_blocks

        language = language_of_blocks(doc.blocks)
    if language != metadata.language:
        metadata = dataclasses.replace(metadata, language=language)
    return Article(metadata, tuple(doc.blocks), notes)


READER = ReaderSpec(
    name="md",
    description="clean Markdown with YAML front matter (as written by the md writer)",
    extensions=(".md", ".markdown"),
    read=lambda data, options: read_markdown(data, detect_language=not options.lang, encoding=options.encoding),
)
