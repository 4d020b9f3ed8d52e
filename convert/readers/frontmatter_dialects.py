"""Front matter dialects: splitting the block off the top of a text and reading it as written.

:func:`split_front_matter` tries each dialect in the order :mod:`.frontmatter` lists them; YAML and
TOML blocks are read leniently (an entry that does not parse is read as plain text, with a warning).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from convert.recache import compile as recompile

from ..errors import warn
from .frontmatter_keys import norm_key, parse_date

__all__ = ["split_front_matter"]

#: The longest front matter looked for (a block that does not close within it is none).
_MAX_BLOCK = 200_000
#: Lines of a YAML block: ``key: value``, a list item, an indented or blank line, a comment.
_YAML_LINE = recompile(r"(?:[\"']?[^\W\d][\w .-]*[\"']?[ \t]*:(?:[ \t].*)?|[ \t]+.*|-(?:[ \t].*)?|#.*|)")
_YAML_KEY = recompile(r"([\"']?)([^\W\d][\w .-]*)\1[ \t]*:(?:[ \t]+(.*))?")
_HEADER_LINE = recompile(r"([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)")
_LEKTOR_KEY = recompile(r"([A-Za-z_][\w-]*):[ \t]*(.*)")
_FRANKLIN = recompile(r"@def[ \t]+([A-Za-z_]\w*)[ \t]*=[ \t]*(.*)")


# --------------------------------------------------------------------------- splitting


def split_front_matter(text: str) -> tuple[str, dict[str, Any], str] | None:
    """(dialect, mapping as written, body) of the front matter at the top of ``text``, or None."""
    start = len(text) - len(text.lstrip("\n"))
    first = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)].rstrip()
    for splitter in _SPLITTERS:
        found = splitter(text, start, first)
        if found is not None:
            return found
    return None


def _fenced(text: str, start: int, fence: str) -> tuple[str, int] | None:
    """The lines between the fence line at ``start`` and the next line equal to ``fence``; the body's offset."""
    opening = text.find("\n", start)
    if opening < 0:
        return None
    end = opening + 1
    while end < len(text) and end - start < _MAX_BLOCK:
        nl = text.find("\n", end)
        line_end = len(text) if nl < 0 else nl
        if text[end:line_end].rstrip() == fence or (fence == "---" and text[end:line_end].rstrip() == "..."):
            return text[opening + 1 : end], min(len(text), line_end + 1)
        end = line_end + 1
    return None


def _split_yaml(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if first != "---":
        return None
    found = _fenced(text, start, "---")
    if found is None:
        return None
    block, body = found
    lines = block.split("\n")
    keyed = [line for line in lines if line.strip() and not line.startswith(("#", " ", "\t", "-"))]
    if not all(_YAML_LINE.fullmatch(line) for line in lines) or (block.strip() and not keyed):
        return None
    data = _yaml(block)
    return None if data is None else ("yaml", data, text[body:])


def _split_toml(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if first != "+++":
        return None
    found = _fenced(text, start, "+++")
    if found is None:
        return None
    block, body = found
    return "toml", _toml(block), text[body:]


def _split_json(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if first.lower() in ("```json", "~~~json", "``` json"):
        import json  # here, not at start-up: most inputs have no JSON front matter

        fence = first[:3]
        found = _fenced(text, start, fence)
        if found is None:
            return None
        block, body = found
        try:
            data = json.loads(block)
        except ValueError:
            return None
        return ("json", data, text[body:]) if isinstance(data, dict) else None
    if not first.startswith("{"):
        return None
    import json

    try:
        data, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return ("json", data, text[end:].lstrip(" \t")) if isinstance(data, dict) else None


def _split_franklin(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if not first.startswith("@def"):
        return None
    data: dict[str, Any] = {}
    pos = start
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end].strip()
        m = _FRANKLIN.fullmatch(line)
        if m:
            value = m.group(2)
            if value.startswith('"""') and (len(value) < 6 or not value.endswith('"""')):
                close = text.find('"""', pos + line.find('"""') + 3)
                if close < 0:
                    break
                value = text[pos + text[pos:line_end].find('"""') : close + 3]
                line_end = text.find("\n", close)
                line_end = len(text) if line_end < 0 else line_end
            data[m.group(1)] = _julia_value(value)
        elif line:
            break
        pos = line_end + 1
    return ("franklin", data, text[pos:]) if data else None


def _julia_value(raw: str) -> Any:
    """A Julia literal of a ``@def`` line: a string, a list of strings, ``Date(y, m, d)``, else the text."""
    import json

    raw = raw.strip()
    if raw.startswith('"""') and raw.endswith('"""') and len(raw) >= 6:
        return raw[3:-3].strip()
    if raw.startswith('"'):
        try:
            return str(json.loads(raw))
        except ValueError:
            return raw.strip('"')
    if raw.startswith("["):
        return [_julia_value(item) for item in re.findall(r'"(?:[^"\\]|\\.)*"', raw)]
    m = re.fullmatch(r"Date(?:Time)?\(\s*(\d{4})\s*,\s*(\d{1,2})\s*,\s*(\d{1,2})\b.*\)", raw)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return raw
    return raw


def _split_lektor(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if not _LEKTOR_KEY.fullmatch(first) or not re.search(r"^---\n(?:[ \t]*\n)*body:", text[start:], re.M):
        return None
    data: dict[str, Any] = {}
    pos = start
    while pos < len(text):
        m = _LEKTOR_KEY.match(text, pos)
        if not m:
            return None
        key = m.group(1)
        value_start = m.start(2)
        sep = recompile(r"^---[ \t]*$", re.M).search(text, m.end())
        if key == "body":
            # the body runs to the end, or to a separator followed by another field
            end = len(text)
            probe = sep
            while probe is not None:
                nxt = text[probe.end() + 1 :].lstrip("\n")
                if _LEKTOR_KEY.match(nxt.split("\n", 1)[0]):
                    end = probe.start()
                    break
                probe = recompile(r"^---[ \t]*$", re.M).search(text, probe.end())
            return "lektor", data, text[value_start:end].lstrip("\n")
        if sep is None:
            return None
        data[key] = text[value_start : sep.start()].strip().replace("\n----", "\n---")
        pos = sep.end() + 1
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return None


#: Keys that make a block of header lines metadata (one of them must be there).
_HEADER_KEYS = frozenset({"title", "author", "authors", "date", "created", "published", "subtitle", "language"})


def _split_headers(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if not _HEADER_LINE.fullmatch(first):
        return None
    data: dict[str, Any] = {}
    key = ""
    pos = start
    count = 0
    while pos < len(text) and pos - start < 20_000:
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        if not line.strip():
            break
        m = _HEADER_LINE.fullmatch(line.rstrip())
        if line[0] in " \t" and key:
            data[key] = f"{data[key]} {line.strip()}".strip()
        elif m:
            key = m.group(1)
            data[key] = m.group(2).strip()
            count += 1
        else:
            return None
        pos = line_end + 1
    if count < 2 or not any(norm_key(k) in _HEADER_KEYS for k in data):
        return None
    return "headers", data, text[pos:]


_PRESENT_KEY = recompile(r"(Tags|Summary|OldURL):[ \t]*(.*)")
_PRESENT_SECTION = recompile(r"(?:##?(?:[ \t].*)?|\*[ \t].*)")


def _split_present(text: str, start: int, first: str) -> tuple[str, dict[str, Any], str] | None:
    if not first.startswith("# ") or not first[2:].strip():
        return None
    lines = text[start:].split("\n", 60)[:60]
    if len(lines) < 3 or not lines[1].strip():
        return None
    data: dict[str, Any] = {"title": first[2:].strip()}
    i = 1
    while i < len(lines) and lines[i].strip():
        line = lines[i].strip()
        m = _PRESENT_KEY.fullmatch(line)
        if m:
            data[m.group(1)] = m.group(2)
        elif "date" not in data and parse_date(line, warn_key="") is not None:
            data["date"] = line
        elif i == 1:
            data["subtitle"] = line
        else:
            return None
        i += 1
    if "date" not in data and "Summary" not in data and "Tags" not in data:
        return None
    authors: list[str] = []
    block: list[str] = []
    for j in range(i, len(lines)):
        line = lines[j].strip()
        if _PRESENT_SECTION.fullmatch(line):
            offset = start + sum(len(x) + 1 for x in lines[:j])
            if line in ("#", "##"):
                offset += len(lines[j]) + 1
            data["authors"] = authors
            return "present", data, text[offset:]
        if not line:
            if block:
                if not _author_block(block):
                    return None
                authors.append(block[0])
            block = []
        else:
            block.append(line)
    return None


def _author_block(lines: list[str]) -> bool:
    """Whether the lines are a present file's author block: a name, then addresses and affiliations."""
    name = lines[0]
    return (
        len(lines) <= 6
        and len(name) <= 100
        and len(name.split()) <= 12
        and not name.endswith((".", "!", "?", ":"))
        and all(len(line) <= 100 for line in lines)
    )


_SPLITTERS: tuple[Callable[[str, int, str], tuple[str, dict[str, Any], str] | None], ...] = (
    _split_yaml,
    _split_toml,
    _split_json,
    _split_franklin,
    _split_lektor,
    _split_headers,
    _split_present,
)


# --------------------------------------------------------------------------- YAML and TOML, leniently


def _yaml(block: str) -> dict[str, Any] | None:
    """The mapping of a YAML block; entries YAML cannot parse are read as plain text (with a warning)."""
    import yaml

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        return _yaml_by_entry(block)
    if data is None:
        return {}
    return {str(k): v for k, v in data.items()} if isinstance(data, dict) else None


def _yaml_by_entry(block: str) -> dict[str, Any]:
    """Each top-level entry of a YAML block parsed alone; one YAML cannot parse becomes its text."""
    import yaml

    entries: list[tuple[str, list[str]]] = []
    for line in block.split("\n"):
        m = None if line[:1] in (" ", "\t", "-", "#") else _YAML_KEY.fullmatch(line.rstrip())
        if m:
            entries.append((m.group(2), [line]))
        elif entries:
            entries[-1][1].append(line)
    data: dict[str, Any] = {}
    for key, lines in entries:
        try:
            parsed = yaml.safe_load("\n".join(lines))
        except yaml.YAMLError:
            parsed = None
        if isinstance(parsed, dict) and len(parsed) == 1:
            data[key] = next(iter(parsed.values()))
            continue
        m = _YAML_KEY.fullmatch(lines[0].rstrip())
        first = (m.group(3) or "") if m else ""
        value = " ".join(part.strip() for part in [first, *lines[1:]] if part.strip())
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        data[key] = value
        warn("frontmatter.lenient", f"front matter: the value of {key!r} is not valid YAML; read as plain text")
    return data


def _toml(block: str) -> dict[str, Any]:
    """The mapping of a TOML block; when it is not valid TOML, its ``key = value`` lines (with a warning)."""
    import tomllib

    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        data: dict[str, Any] = {}
        for line in block.split("\n"):
            if line.lstrip().startswith("["):
                break  # a table: the top-level keys are over
            m = re.fullmatch(r"[ \t]*([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*?)[ \t]*", line)
            if m:
                try:
                    data[m.group(1)] = tomllib.loads(f"v = {m.group(2)}")["v"]
                except tomllib.TOMLDecodeError:
                    data[m.group(1)] = m.group(2).strip("\"'")
        warn("frontmatter.lenient", f"front matter: not valid TOML ({exc}); its key = value lines read one by one")
        return data
