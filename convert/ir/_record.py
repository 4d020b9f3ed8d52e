"""``@record``: a frozen dataclass, made for a fraction of what ``@dataclass(frozen=True)`` costs.

``@dataclass(frozen=True)`` writes and compiles six methods for each class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``): about half a millisecond a class, and the IR has dozens, so
that much of every start-up went to making them.  ``@record`` has
:func:`dataclasses.dataclass` collect the fields (so :func:`~dataclasses.fields`,
:func:`~dataclasses.replace`, :func:`~dataclasses.is_dataclass`,
:func:`~dataclasses.asdict` and ``__match_args__`` work as on any dataclass) but
make no method; ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and
``__delattr__`` are the shared ones below, written once, driven by each class's
field names, and ``__init__`` is compiled once for each shape of signature (the
field names and which have defaults) and shared by the classes of that shape.

What they do is what ``@dataclass(frozen=True)`` makes: equality of two objects
of the very same class, field by field in order (else ``NotImplemented``); a
hash of the fields (of those compared); ``Name(field=value, ...)`` as the
``repr`` (of the fields with ``repr=True``); ``FrozenInstanceError`` on any
assignment or deletion of an attribute; ``__init__`` taking the fields in order,
defaults and ``default_factory`` as dataclasses have them, then calling
``__post_init__``.  A method the class defines itself (a ``__repr__``) is kept.
For type checkers ``@record`` is a dataclass transform whose classes are frozen, and
``__dataclass_params__`` says ``frozen`` and ``eq`` as for ``@dataclass(frozen=True)``, so a
frozen dataclass may subclass a record.

A class with what the shared ``__init__`` does not handle (``InitVar``,
keyword-only fields, fields outside ``__init__``, ``__slots__``), and a subclass of a dataclass, is
made by :func:`dataclasses.dataclass` itself, frozen, as before.
"""

from __future__ import annotations

import builtins
import dataclasses
import sys
from collections.abc import Iterable
from operator import attrgetter
from types import FunctionType, MemberDescriptorType
from typing import Any, ClassVar, TypeVar, _GenericAlias, dataclass_transform  # type: ignore[attr-defined]

try:
    from ._inits import MAKERS as _PRECOMPILED
except ImportError:  # not generated yet (see write_inits)
    _PRECOMPILED = {}

__all__ = ["record"]

T = TypeVar("T")

#: The compiled maker of the ``__init__`` of each shape: (field names, which have a factory, ``__post_init__``).
_INITS: dict[tuple[tuple[str, ...], tuple[bool, ...], bool], Any] = {}
#: Stands for "not given" where a field's default comes from its ``default_factory``.
_FACTORY = object()
#: What :func:`_as_dataclass` uses of :mod:`dataclasses` (those of Python 3.11).
_FIELD: Any = getattr(dataclasses, "_FIELD", None)
_PARAMS: Any = getattr(dataclasses, "_DataclassParams", None)
_MODULE_IDENTIFIER: Any = getattr(dataclasses, "_MODULE_IDENTIFIER_RE", None)


def _setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _nothing(self: object) -> tuple[()]:
    return ()


def _key(names: tuple[str, ...]) -> Any:
    """A function of an object that gives the values of ``names`` (one value alone, unwrapped)."""
    return attrgetter(*names) if names else staticmethod(_nothing)


def _init_source(names: tuple[str, ...], factory: tuple[bool, ...], post_init: bool) -> list[str]:
    """The lines of a function ``__make__`` that makes an ``__init__`` taking ``names``."""
    lines = [
        "def __make__(_set, _FACTORY, _factories):",
        f"    def __init__(self{''.join(', ' + n for n in names)}):",
    ]
    for name, made in zip(names, factory, strict=True):
        if made:
            lines.append(f"        if {name} is _FACTORY: {name} = _factories[{name!r}]()")
        lines.append(f"        _set(self, {name!r}, {name})")
    if post_init:
        lines.append("        self.__post_init__()")
    lines += ["        return None", "    return __init__"]
    return lines


def _init_maker(names: tuple[str, ...], factory: tuple[bool, ...], post_init: bool) -> Any:
    """The code of a function that makes an ``__init__`` taking ``names`` (compiled once a shape).

    The shapes of artconv's own classes are compiled once and for all in :mod:`convert.ir._inits`
    (whose bytecode Python keeps between runs like any module's); compiling them here took about
    3 ms of every start-up.  Any other shape is compiled here.
    """
    shape = (names, factory, post_init)
    code = _INITS.get(shape)
    if code is None:
        code = _PRECOMPILED.get(shape)
        if code is None:
            namespace: dict[str, Any] = {}
            exec(compile("\n".join(_init_source(*shape)), "<record>", "exec"), {}, namespace)
            code = namespace["__make__"].__code__
        _INITS[shape] = code
    return code


def inits_module(shapes: Iterable[tuple[tuple[str, ...], tuple[bool, ...], bool]]) -> str:
    """The text of :mod:`convert.ir._inits`: the ``__init__`` makers of ``shapes``, each as :func:`_init_source`."""
    out = [
        '"""The makers of the ``__init__`` of artconv\'s records, compiled with the package.',
        "",
        "Generated by ``convert.ir._record.write_inits()``: do not edit.  Each ``__make__`` is the one",
        "``_record`` would otherwise compile at every start-up for that shape (field names, which have",
        "a default factory, whether ``__post_init__`` is called); a test keeps this file up to date.",
        '"""',
        "# mypy: ignore-errors",
        "# ruff: noqa",
        "# fmt: off",
        "",
        "MAKERS: dict = {}  # shape -> code of __make__",
    ]
    for shape in sorted(set(shapes)):
        out += ["", "", *_init_source(*shape), f"MAKERS[{shape!r}] = __make__.__code__"]
    return "\n".join(out) + "\n"


#: The modules that declare records (their shapes are those of :mod:`convert.ir._inits`).
RECORD_MODULES = (
    "convert.ir.inlines",
    "convert.ir.metadata",
    "convert.ir.model",
    "convert.options",
    "convert.origin",
    "convert.registry",
)


def package_shapes() -> set[tuple[tuple[str, ...], tuple[bool, ...], bool]]:
    """The ``__init__`` shapes of the records of :data:`RECORD_MODULES` (imports them)."""
    import importlib

    shapes = set()
    for module_name in RECORD_MODULES:
        for value in vars(importlib.import_module(module_name)).values():
            if isinstance(value, type) and "__record_key__" in value.__dict__ and "__init__" in value.__dict__:
                shapes.add(_shape(value, dataclasses.fields(value)))
    return shapes


def write_inits() -> None:
    """Write :mod:`convert.ir._inits` for the records of :data:`RECORD_MODULES` (after a class is added)."""
    import os

    path = os.path.join(os.path.dirname(__file__), "_inits.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(inits_module(package_shapes()))


def _shape(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> tuple[tuple[str, ...], tuple[bool, ...], bool]:
    """The shape of the ``__init__`` of ``cls``: field names, which have a factory, ``__post_init__``."""
    return (
        tuple(f.name for f in fields),
        tuple(f.default is dataclasses.MISSING and f.default_factory is not dataclasses.MISSING for f in fields),
        hasattr(cls, "__post_init__"),
    )


def _make_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """Give ``cls`` an ``__init__`` as :func:`dataclasses.dataclass` would write it."""
    defaults: list[object] = []
    factories: dict[str, Any] = {}
    for f in fields:
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            defaults.append(_FACTORY)
            factories[f.name] = f.default_factory
        elif defaults:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    code = _init_maker(*_shape(cls, fields))
    # the module's namespace, as dataclasses gives it: annotations resolve there (typing.get_type_hints)
    module = sys.modules.get(cls.__module__)
    scope = module.__dict__ if module is not None else {"__builtins__": builtins}
    init = FunctionType(code, scope)(object.__setattr__, _FACTORY, factories)
    init.__defaults__ = tuple(defaults) or None
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in fields} | {"return": None}
    cls.__init__ = init  # type: ignore[misc]


def _plain(cls: type) -> bool:
    """Whether the shared methods can serve ``cls`` (else :func:`dataclasses.dataclass` makes them)."""
    own = cls.__dict__
    if "__slots__" in own or "__setattr__" in own or "__delattr__" in own:
        return False
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        return False  # a subclass of a (frozen) dataclass: dataclasses makes it, frozen, as it must be
    if any(isinstance(v, dataclasses.Field) and (not v.init or v.kw_only is True) for v in own.values()):
        return False
    annotations = own.get("__annotations__", {})
    return not any("InitVar" in str(a) or "KW_ONLY" in str(a) for a in annotations.values())


#: Whether :func:`_as_dataclass` knows this :mod:`dataclasses` (its work differs from one version to the next).
_KNOWN_DATACLASSES = sys.version_info[:2] == (3, 11)
_MISSING: Any = dataclasses.MISSING
_SPECIAL = (ClassVar, dataclasses.InitVar, dataclasses.KW_ONLY)


def _as_dataclass(cls: type) -> bool:
    """Do to ``cls`` what ``dataclasses.dataclass(init=False, repr=False, eq=False)`` does; False if not done.

    :func:`dataclasses.dataclass` checks each field's annotation for ``ClassVar``, ``InitVar`` and
    ``KW_ONLY`` by three matches of a pattern and three lookups, and goes through every option
    it does not use here: about 40,000 instructions a field, 6 M for the package's records at
    every start-up.  This does the same for a record whose annotations are all strings naming none
    of those three (one match each), with a docstring of its own, a plain class
    (no metaclass, no dataclass base), on the :mod:`dataclasses` of Python 3.11; else it leaves
    the class untouched and returns False.  ``tests/test_startup_record.py`` compares both ways.
    """
    own = cls.__dict__
    module = sys.modules.get(cls.__module__)
    if not _KNOWN_DATACLASSES or type(cls) is not type or module is None or own.get("__doc__") is None:
        return False
    if "__match_args__" in own or any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        return False
    namespace = module.__dict__
    annotations = own.get("__annotations__", {})
    found: dict[str, dataclasses.Field[Any]] = {}
    for name, annotation in annotations.items():
        if type(annotation) is not str:
            return False
        match = _MODULE_IDENTIFIER.match(annotation)
        if match is not None:
            head = namespace.get(match.group(2))
            special = any(head is it for it in _SPECIAL) or type(head) in (dataclasses.InitVar, _GenericAlias)
            if special:  # (with a module named, dataclasses looks up the same name, if at all)
                return False
        default = getattr(cls, name, _MISSING)
        if isinstance(default, dataclasses.Field):
            made = default
        else:
            if isinstance(default, MemberDescriptorType):
                default = _MISSING
            made = dataclasses.field(default=default)
        if made.default.__class__.__hash__ is None:
            return False  # a mutable default: dataclasses says so
        found[name] = made
    if any(isinstance(v, dataclasses.Field) and k not in annotations for k, v in own.items()):
        return False
    for name, made in found.items():
        made.name = name
        made.type = annotations[name]
        made._field_type = _FIELD  # type: ignore[attr-defined]
        if made.kw_only is _MISSING:
            made.kw_only = False
        if isinstance(own.get(name), dataclasses.Field):
            if made.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, made.default)
    cls.__dataclass_params__ = _PARAMS(False, False, False, False, False, False)  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = found  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(name for name, f in found.items() if f.init and not f.kw_only)  # type: ignore[attr-defined,misc]
    return True


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen dataclass (see the module's text)."""
    if not _plain(cls):
        return dataclasses.dataclass(frozen=True)(cls)
    made = cls if _as_dataclass(cls) else dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    _make_init(made, fields)
    own = made.__dict__
    made.__record_key__ = _key(tuple(f.name for f in fields if f.compare))  # type: ignore[attr-defined]
    made.__record_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    made.__setattr__ = _setattr  # type: ignore[method-assign]
    made.__delattr__ = _delattr  # type: ignore[method-assign]
    if "__eq__" not in own:
        made.__eq__ = _eq  # type: ignore[method-assign]
    # as dataclasses decide: a hash the class sets itself stays (``None`` set by its own ``__eq__`` does not count)
    if "__hash__" not in own or (own["__hash__"] is None and "__eq__" in own):
        made.__hash__ = _hash  # type: ignore[method-assign]
    if "__repr__" not in own:
        made.__repr__ = _repr  # type: ignore[method-assign]
    # say what the class is: frozen, compared by its fields (a dataclass subclass checks ``frozen``:
    # ``@dataclass(frozen=True) class Mine(Metadata)`` is how the crosswalk is extended), with an
    # ``__init__`` and a ``__repr__``: the parameters of ``@dataclass(frozen=True)``
    params = made.__dataclass_params__  # type: ignore[attr-defined]
    params.frozen = True
    params.eq = True
    params.init = True
    params.repr = True
    return made
