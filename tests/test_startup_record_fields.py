"""``@record`` collects a class's fields as ``dataclasses.dataclass`` does (its own path, checked against it)."""

from __future__ import annotations

import dataclasses
import importlib.util
import random
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import convert
from convert.ir import _record

pytestmark = pytest.mark.skipif(not _record._KNOWN_DATACLASSES, reason="the fields are dataclasses' own here")

_FIELD_ATTRS = ("name", "type", "default", "default_factory", "init", "repr", "hash", "compare", "metadata", "kw_only")


def _state(cls: type) -> dict[str, Any]:
    """Everything dataclasses leave on a class, comparable between two classes."""
    own = dict(cls.__dict__)
    fields = own.pop("__dataclass_fields__")
    params = own.pop("__dataclass_params__")
    for name in ("__dict__", "__weakref__"):
        own.pop(name, None)
    return {
        "fields": [(k, *(_value(getattr(f, a)) for a in _FIELD_ATTRS), f._field_type.name) for k, f in fields.items()],
        "params": repr(params),
        "dict": {k: _value(v) for k, v in own.items()},
    }


def _value(value: Any) -> Any:
    """A class attribute, comparable between two executions of a module (its functions by name)."""
    if isinstance(value, dataclasses.Field):
        return ("field", value.name)
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    if isinstance(value, property):
        return ("property", _value(value.fget))
    if callable(value):
        return ("callable", getattr(value, "__qualname__", repr(value)))
    return value


def _both(make: Any) -> tuple[Any, Any]:
    """``make()``'s class through :func:`_record._as_dataclass`, and through dataclasses (or their errors)."""
    plain = dataclasses.dataclass(init=False, repr=False, eq=False)
    out = []
    for fast in (True, False):
        cls = make()
        try:
            done = fast and _record._as_dataclass(cls)
            out.append(_state(cls if done else plain(cls)))
        except Exception as exc:  # the same error both ways
            out.append((type(exc), str(exc)))
    return out[0], out[1]


_ANNOTATIONS = [
    "int", "str | None", "tuple[str, ...]", "ClassVar[int]", "ClassVar", "typing.ClassVar[int]", "InitVar[int]",
    "dataclasses.InitVar[int]", "KW_ONLY", "CV", "IV", "'str'", " int", "Alias", "(int)", "Missing[int]",
]  # fmt: skip
_DEFAULTS: list[Any] = [
    dataclasses.MISSING, 0, "", (), None, [], {1: 2},
    dataclasses.field(default=1), dataclasses.field(default_factory=list), dataclasses.field(repr=False, default=2),
    dataclasses.field(compare=False, metadata={"doc": "x"}), dataclasses.field(kw_only=False, default=3),
    dataclasses.field(hash=True, default=4), dataclasses.field(kw_only=True, default=5),
    dataclasses.field(init=False, default=6),
]  # fmt: skip


def _random_class(rng: random.Random, module: types.ModuleType) -> Any:
    names = rng.sample(["a", "b", "c", "d", "e", "f"], rng.randint(0, 5))
    picked = [(n, rng.choice(_ANNOTATIONS), rng.choice(_DEFAULTS)) for n in names]
    doc = rng.choice(["A record.", None])
    stray = rng.random() < 0.05
    match_args = rng.random() < 0.05

    def make() -> type:
        namespace: dict[str, Any] = {"__module__": module.__name__, "__annotations__": {}}
        if doc is not None:
            namespace["__doc__"] = doc
        for name, annotation, default in picked:
            namespace["__annotations__"][name] = annotation
            if default is not dataclasses.MISSING:
                namespace[name] = _copy(default)
        if stray:
            namespace["z"] = dataclasses.field(default=0)
        if match_args:
            namespace["__match_args__"] = ("x",)
        return type("Random", (), namespace)

    return make


def _copy(value: Any) -> Any:
    if isinstance(value, dataclasses.Field):  # a Field is changed by dataclasses: one per class
        kwargs = {a: getattr(value, a) for a in _FIELD_ATTRS[2:]}
        if kwargs["metadata"] is not None:
            kwargs["metadata"] = dict(kwargs["metadata"])
        return dataclasses.field(**kwargs)
    return value


def test_random_classes_as_dataclasses() -> None:
    module = types.ModuleType("convert_record_probe")
    exec(
        "import typing, dataclasses\nfrom typing import ClassVar\nfrom dataclasses import InitVar, KW_ONLY",
        vars(module),
    )
    exec("CV = typing.ClassVar[int]\nIV = InitVar[int]\nAlias = int", vars(module))
    sys.modules[module.__name__] = module
    try:
        rng = random.Random(11)
        fast_ones = 0
        for _ in range(3000):
            make = _random_class(rng, module)
            fast, reference = _both(make)
            assert fast == reference
            fast_ones += _record._as_dataclass(make()) if not isinstance(reference, tuple) else 0
        assert fast_ones > 300  # the own path was taken, not only dataclasses'
    finally:
        del sys.modules[module.__name__]


@pytest.mark.parametrize("module_name", _record.RECORD_MODULES)
def test_the_package_records_as_dataclasses(module_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each module of records, executed again both ways: the same fields, parameters and class attributes."""
    path = Path(importlib.import_module(module_name).__file__ or "")
    package = module_name.rpartition(".")[0]
    states = []
    taken: list[bool] = []
    as_dataclass = _record._as_dataclass
    monkeypatch.setattr(_record, "_as_dataclass", lambda cls: taken.append(as_dataclass(cls)) or taken[-1])
    for fast in (True, False):
        monkeypatch.setattr(_record, "_KNOWN_DATACLASSES", fast)
        name = f"{package}._probe_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        finally:
            del sys.modules[name]
        states.append(
            {
                k: _state(v)
                for k, v in vars(module).items()
                if isinstance(v, type) and v.__module__ == name and "__record_key__" in v.__dict__
            }
        )
    assert states[0] == states[1]
    assert states[0]
    assert taken.count(True) == len(states[0])  # every record of the package took the own path
    assert convert.Article  # the package itself is untouched
