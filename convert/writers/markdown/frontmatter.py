"""YAML front matter of the ``md`` writer (keys from the crosswalk)."""

from __future__ import annotations

import datetime as _dt
import json

from convert.recache import compile as recompile

from ...ir.crosswalk import front_matter_items
from ...ir.model import Metadata

__all__ = ["front_matter", "yaml_str"]

_YAML_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~", ""}
_PLAIN_OK = recompile(r"[A-Za-z\u00c0-\U0010ffff(][^\n\t\"#:{}\[\]|>&*!%@`\\]*")
#: What YAML could read as a number or a time.
_NUMBER_LIKE = recompile(r"[-+.\d_eE:]+")


def yaml_str(value: str) -> str:
    """A YAML scalar for ``value``: plain when unambiguous, else double-quoted."""
    if (
        _PLAIN_OK.fullmatch(value)
        and value.lower() not in _YAML_RESERVED
        and value == value.strip()
        and not value.endswith(("?", "-", ","))
        and not _NUMBER_LIKE.fullmatch(value)
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _yaml_scalar(value: object) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return yaml_str(str(value))


def _yaml(key: str, value: object, indent: str = "") -> list[str]:
    """``key: value`` as block YAML: a scalar, a list (of scalars or mappings) or a mapping."""
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for sub, item in value.items():
            lines.extend(_yaml(yaml_str(str(sub)), item, indent + "  "))
        return lines
    if isinstance(value, list):
        lines = [f"{indent}{key}:"]
        for item in value:
            if isinstance(item, dict):
                lines.extend(
                    f"{indent}{'- ' if k == 0 else '  '}{yaml_str(str(sub))}: {_yaml_scalar(v)}"
                    for k, (sub, v) in enumerate(item.items())
                )
            else:
                lines.append(f"{indent}- {_yaml_scalar(item)}")
        return lines
    return [f"{indent}{key}: {_yaml_scalar(value)}"]


def front_matter(meta: Metadata) -> str:
    """The YAML front matter block (with its ``---`` fences) for ``meta`` (keys from the crosswalk)."""
    lines: list[str] = ["---"]
    for key, value in front_matter_items(meta):
        lines.extend(_yaml(key, value))
    lines.append("---")
    return "\n".join(lines) + "\n"
