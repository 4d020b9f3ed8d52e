"""Lossless JSON form of the IR, and its JSON Schema.

Nodes become objects tagged with ``"type"`` (the class name); tuples become
arrays; dates become ISO strings; an asset's bytes become base64 text.  ``article_from_json(article_to_json(a)) == a``
for every article.

``Rights.copyright_holders`` and ``copyright_year`` are read from the copyright
statement, so they are not written; the keys of earlier files are still read
(see :func:`~convert.ir.rights.reconcile_copyright`).  The metadata fields added after them
(``site``, ``description``, ``modified``, ``date_precision``, ``image``, ``retrieved``, ``licence_url``,
``licence_id``) are written only when set: an article without them has the JSON it always had,
and files without them read as before.  Files of IR version 1, whose
figures held ``src`` and ``alt`` instead of an :class:`~convert.ir.model.Image`, are read too.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as _dt
import json
import types
import typing
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..errors import InputError, IRTypeError
from . import crosswalk, model
from .model import IR_VERSION, Article
from .rights import reconcile_copyright

__all__ = ["article_from_dict", "article_from_json", "article_to_dict", "article_to_json", "json_schema"]

_NODE_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        *get_args(model.Inline),
        *get_args(model.Block),
        model.TableCell,
        model.DefinitionItem,
        model.BibEntry,
        model.Note,
        model.Asset,
        model.Subject,
        model.Identifier,
        model.Rights,
        model.Metadata,
        model.Article,
    )
}
_UNIONS = {"Inline": model.Inline, "Block": model.Block}
#: Keys of earlier files that are read but no longer written: name -> type.
_LEGACY_RIGHTS: dict[str, Any] = {"copyright_holders": tuple[str, ...], "copyright_year": int | None}


def _hints(cls: type[Any]) -> dict[str, Any]:
    return get_type_hints(cls, None, vars(model))  # the class's own module, then the model's names


def _encode_fields(name: str, value: Any, rows: list[crosswalk.Field]) -> dict[str, Any]:
    """A :class:`~convert.ir.model.Metadata` or :class:`~convert.ir.model.Rights` by its crosswalk rows."""
    out: dict[str, Any] = {"type": name}
    later = getattr(type(value), "_LATER", ())
    defaults = {f.name: f.default for f in dataclasses.fields(value)}
    for row in rows:
        if hasattr(value, row.name):
            field_value = getattr(value, row.name)
            if row.name in later and field_value == defaults[row.name]:
                continue
            out[row.json_key] = _encode(field_value)
    return out


def _encode(value: Any) -> Any:
    if isinstance(value, model.Metadata):
        rows = crosswalk.fields_for("json")
        meta = _encode_fields("Metadata", value, [row for row in rows if not row.rights])
        meta["rights"] = _encode_fields("Rights", value.rights, [row for row in rows if row.rights])
        return meta
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"type": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def article_to_dict(article: Article) -> dict[str, Any]:
    """The article as plain JSON-compatible data (with an ``"ir-version"`` key)."""
    data = _encode(article)
    assert isinstance(data, dict)
    return {"ir-version": IR_VERSION, **data}


def article_to_json(article: Article) -> str:
    """The article as deterministic, indented JSON text (ends with a newline)."""
    return json.dumps(article_to_dict(article), ensure_ascii=False, indent=2) + "\n"


class _DecodeError(ValueError):
    pass


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        if all(dataclasses.is_dataclass(a) for a in args):
            if not isinstance(value, dict) or value.get("type") not in {a.__name__ for a in args}:
                raise _DecodeError(f"{where}: expected one of {', '.join(a.__name__ for a in args)}")
            return _decode(_NODE_CLASSES[value["type"]], value, where)
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return _decode(non_none[0], value, where)
        raise _DecodeError(f"{where}: unsupported union")  # pragma: no cover
    if origin is tuple:
        if not isinstance(value, list):
            raise _DecodeError(f"{where}: expected an array")
        (item_tp, _ellipsis) = get_args(tp)
        return tuple(_decode(item_tp, v, f"{where}[{i}]") for i, v in enumerate(value))
    if tp is _dt.date:
        if not isinstance(value, str):
            raise _DecodeError(f"{where}: expected an ISO date string")
        try:
            return _dt.date.fromisoformat(value)
        except ValueError as exc:
            raise _DecodeError(f"{where}: {exc}") from None
    if tp is model.Metadata:
        return _decode_metadata(value, where)
    if dataclasses.is_dataclass(tp):
        assert isinstance(tp, type)
        if not isinstance(value, dict):
            raise _DecodeError(f"{where}: expected an object of type {tp.__name__}")
        if value.get("type", tp.__name__) != tp.__name__:
            raise _DecodeError(f"{where}: expected type {tp.__name__}, got {value.get('type')!r}")
        hints = _hints(tp)
        kwargs: dict[str, Any] = {}
        names = {f.name for f in dataclasses.fields(tp)}
        unknown = set(value) - names - {"type", "ir-version"}
        if unknown:
            raise _DecodeError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} in {tp.__name__}")
        for f in dataclasses.fields(tp):
            if f.name in value:
                kwargs[f.name] = _decode(hints[f.name], value[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise _DecodeError(f"{where}: missing field {f.name!r} in {tp.__name__}")
        return tp(**kwargs)
    if tp is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _DecodeError(f"{where}: expected an integer")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise _DecodeError(f"{where}: expected true or false")
        return value
    if tp is bytes:
        if not isinstance(value, str):
            raise _DecodeError(f"{where}: expected base64 text")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise _DecodeError(f"{where}: expected base64 text") from None
    if tp is str:
        if not isinstance(value, str):
            raise _DecodeError(f"{where}: expected a string")
        return value
    raise _DecodeError(f"{where}: unsupported type {tp!r}")  # pragma: no cover


#: The type of a value of each kind of crosswalk row.
_KIND_TYPES: dict[crosswalk.Kind, Any] = {
    "text": str,
    "texts": tuple[str, ...],
    "date": _dt.date | None,
    "subjects": tuple[model.Subject, ...],
    "identifiers": tuple[model.Identifier, ...],
    "copyright": str,
    "precision": str,
}


def _decode_rows(name: str, value: Any, where: str, rows: list[crosswalk.Field], more: set[str]) -> dict[str, Any]:
    """The values of ``rows`` in the object ``value`` of type ``name`` (``more``: other keys it may have)."""
    if not isinstance(value, dict):
        raise _DecodeError(f"{where}: expected an object of type {name}")
    if value.get("type", name) != name:
        raise _DecodeError(f"{where}: expected type {name}, got {value.get('type')!r}")
    unknown = set(value) - {row.json_key for row in rows} - more - {"type"}
    if unknown:
        raise _DecodeError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} in {name}")
    return {
        row.name: _decode(_KIND_TYPES[row.kind], value[row.json_key], f"{where}.{row.json_key}")
        for row in rows
        if row.json_key in value
    }


def _decode_metadata(value: Any, where: str) -> model.Metadata:
    """Metadata and its rights by their crosswalk rows (and the rights keys of earlier files)."""
    rows = crosswalk.fields_for("json")
    values = _decode_rows("Metadata", value, where, [row for row in rows if not row.rights], {"rights"})
    if "rights" in value:
        rights, at = value["rights"], f"{where}.rights"
        values.update(_decode_rows("Rights", rights, at, [row for row in rows if row.rights], set(_LEGACY_RIGHTS)))
        legacy = {k: _decode(t, rights[k], f"{at}.{k}") for k, t in _LEGACY_RIGHTS.items() if k in rights}
        if legacy:
            values["copyright"] = reconcile_copyright(
                values.get("copyright", ""), legacy.get("copyright_holders", ()), legacy.get("copyright_year")
            )
    return crosswalk.make_metadata(values)


#: IR versions this module reads.
_READS = (1, IR_VERSION)


def _from_version_1(value: Any) -> Any:
    """Version-1 data in today's form: a figure's ``src`` and ``alt`` become its image."""
    if isinstance(value, list):
        return [_from_version_1(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _from_version_1(v) for k, v in value.items()}
    if out.get("type") == "Figure" and ("src" in out or "alt" in out):
        src, alt = out.pop("src", ""), out.pop("alt", "")
        if src:
            out["image"] = {"type": "Image", "src": src, "alt": alt}
    return out


def article_from_dict(data: Any) -> Article:
    """Rebuild an article from :func:`article_to_dict` data; raises :class:`InputError`."""
    if not isinstance(data, dict):
        raise InputError("IR JSON must be an object")
    version = data.get("ir-version", IR_VERSION)
    if version not in _READS:
        raise InputError(f"unsupported IR version {version!r} (this artconv reads {', '.join(map(str, _READS))})")
    if version == 1:
        data = _from_version_1(data)
    try:
        article = _decode(Article, data, "$")
    except (_DecodeError, IRTypeError) as exc:
        raise InputError(f"invalid IR JSON: {exc}") from None
    assert isinstance(article, Article)
    return article


def article_from_json(text: str | bytes) -> Article:
    """Parse IR JSON text; raises :class:`InputError` on malformed input."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"invalid JSON: {exc}") from None
    return article_from_dict(data)


# --------------------------------------------------------------------------- schema


def _schema_for(tp: Any) -> dict[str, Any]:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        for name, union in _UNIONS.items():
            if set(args) == set(get_args(union)):
                return {"$ref": f"#/$defs/{name}"}
        non_none = [a for a in args if a is not type(None)]
        if len(non_none) == 1:
            return {"anyOf": [_schema_for(non_none[0]), {"type": "null"}]}
        return {"anyOf": [_schema_for(a) for a in args]}  # pragma: no cover
    if origin is tuple:
        return {"type": "array", "items": _schema_for(get_args(tp)[0])}
    if origin is typing.Literal:
        return {"enum": list(get_args(tp))}
    if tp is _dt.date:
        return {"type": "string", "format": "date"}
    if tp is str:
        return {"type": "string"}
    if tp is int:
        return {"type": "integer"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is bytes:
        return {"type": "string", "contentEncoding": "base64"}
    if dataclasses.is_dataclass(tp):
        assert isinstance(tp, type)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"no schema for {tp!r}")  # pragma: no cover


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the IR's JSON form, derived from the model."""
    defs: dict[str, Any] = {}
    for name, cls in _NODE_CLASSES.items():
        hints = _hints(cls)
        props: dict[str, Any] = {"type": {"const": name}}
        required = ["type"]
        for f in dataclasses.fields(cls):
            props[f.name] = _schema_for(hints[f.name])
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                required.append(f.name)
        defs[name] = {
            "type": "object",
            "description": (typing.cast(str, cls.__doc__) or "").strip().splitlines()[0],
            "properties": props,
            "required": required,
            "additionalProperties": False,
        }
    for key, tp in _LEGACY_RIGHTS.items():
        defs["Rights"]["properties"][key] = {
            **_schema_for(tp),
            "deprecated": True,
            "description": "Read from files of earlier versions, no longer written: derived from copyright.",
        }
    for name, union in _UNIONS.items():
        defs[name] = {"oneOf": [{"$ref": f"#/$defs/{a.__name__}"} for a in get_args(union)]}
    article = dict(defs["Article"])
    article["properties"] = {"ir-version": {"const": IR_VERSION}, **article["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://artconv.invalid/ir/v{IR_VERSION}.schema.json",
        "title": "artconv article IR",
        **{k: v for k, v in article.items() if k != "description"},
        "description": "One article as artconv's canonical intermediate representation.",
        "$defs": defs,
    }
