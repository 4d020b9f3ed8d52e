"""Standard modules that the package's dependencies import but a conversion never uses: imported on first use.

``pathlib`` imports ``urllib.parse``, which imports ``ipaddress`` (for one check of bracketed
hosts); ``dataclasses`` imports ``copy`` (for ``asdict``) and ``inspect`` (with ``ast``, ``dis``,
``tokenize`` and ``linecache``), and ``logging``, imported by markdown-it, imports ``traceback``
(for printing exceptions), which imports ``textwrap``.  A conversion uses none of them but
three functions of ``inspect``: ``dataclasses`` calls ``inspect.signature`` for the text of a
class without a docstring (two of markdown-it's), markdown-it's renderer ``inspect.getmembers``
and ``inspect.ismethod``.  Importing them all was about 9 % of the instructions of
``artconv SAMPLE -t tei``.

While a :func:`deferring` block runs, each of :data:`DEFERRED` that is not imported yet is a
stand-in in ``sys.modules``: an ``import`` of it in the block binds the stand-in, whose first
attribute asked for imports the real module (and every later one reads the real module's
attribute), so the importing module works as before.  After the block, ``sys.modules`` holds
the real module or nothing: an ``import`` elsewhere gets the real module, as always.  The
stand-in of ``inspect`` answers those three functions itself where it can tell the answer
without ``inspect`` (:class:`InspectStandIn`), and asks the real module otherwise.
``tests/test_startup_deferred.py`` checks that stand-ins give the real modules' attributes and
answers (on random dataclasses and objects), and that a conversion imports none of these modules.
"""

from __future__ import annotations

import _thread
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FunctionType, MethodType, ModuleType
from typing import Any

__all__ = ["DEFERRED", "deferring"]

#: Modules no conversion uses (none of them a package), imported by the package's dependencies.
DEFERRED = ("copy", "fnmatch", "inspect", "ipaddress", "linecache", "ntpath", "textwrap", "tokenize", "traceback")

_LOCK = _thread.allocate_lock()


class StandIn(ModuleType):
    """Stands for a module until an attribute of it is asked for; then the real module answers."""

    def __getattr__(self, attr: str) -> Any:
        if attr == "__path__":  # asked by the import system (``from name import x``): none is a package
            raise AttributeError(attr)
        return getattr(self.real(), attr)

    def __dir__(self) -> list[str]:
        return dir(self.real())

    def real(self) -> ModuleType:
        """The module this stands for (imported now if it is not yet)."""
        name = self.__name__
        with _LOCK:
            if sys.modules.get(name) is self:
                del sys.modules[name]
        return importlib.import_module(name)


#: Whether :class:`InspectStandIn` knows the ``inspect`` of this Python (its texts and order are 3.11's).
_KNOWN_INSPECT = sys.version_info[:2] == (3, 11)
_PLAIN_CODE = 0x04 | 0x08  # CO_VARARGS | CO_VARKEYWORDS: neither may be set


def _signature_text(cls: object) -> str | None:
    """``str(inspect.signature(cls))`` for a class whose ``__init__`` is a plain function (else None).

    As ``inspect`` of Python 3.11 finds it: the class's own ``__init__`` (no metaclass ``__call__``,
    no ``__new__`` of its own, no ``__signature__`` or ``__wrapped__``), its parameters but the
    first, each ``name: 'annotation' = repr(default)`` (a string annotation is shown by its
    ``repr``), then `` -> None`` for a return annotation ``None``.  Only parameters that are
    positional or keyword, with string annotations or none: what ``dataclasses`` writes for its
    fields; None for anything else.
    """
    if not _KNOWN_INSPECT or type(cls) is not type:
        return None
    own = cls.__dict__
    init = own.get("__init__")
    if "__new__" in own or type(init) is not FunctionType:
        return None
    if any(hasattr(cls, attr) for attr in ("__signature__", "__wrapped__", "_partialmethod", "__code__")):
        return None  # where inspect looks before the class's __init__
    if any(hasattr(init, attr) for attr in ("__signature__", "__wrapped__", "_partialmethod", "__text_signature__")):
        return None
    code = init.__code__
    if code.co_flags & _PLAIN_CODE or code.co_kwonlyargcount or code.co_posonlyargcount or not code.co_argcount:
        return None
    annotations = init.__annotations__
    if not isinstance(annotations, dict) or init.__kwdefaults__ is not None:
        return None
    names = code.co_varnames[: code.co_argcount]
    defaults = init.__defaults__ or ()
    first_default = len(names) - len(defaults)
    shown = []
    for index, name in enumerate(names):
        annotation = annotations.get(name, _NONE)
        if annotation is not _NONE and type(annotation) is not str:
            return None
        text = name if annotation is _NONE else f"{name}: {annotation!r}"
        if index >= first_default:
            equals = "=" if annotation is _NONE else " = "
            text += equals + repr(defaults[index - first_default])
        shown.append(text)
    result = annotations.get("return", _NONE)
    if result is not _NONE and result is not None and type(result) is not str:
        return None
    return f"({', '.join(shown[1:])})" + ("" if result is _NONE else f" -> {result!r}")


_NONE = object()


class _Signature:
    """What ``inspect.signature`` gives, whose text is known without ``inspect`` (anything else: the real one)."""

    def __init__(self, cls: object, text: str) -> None:
        self._cls = cls
        self._text = text

    def __str__(self) -> str:
        return self._text

    def _real(self) -> Any:
        return importlib.import_module("inspect").signature(self._cls)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._real(), attr)

    def __repr__(self) -> str:
        return repr(self._real())

    def __eq__(self, other: object) -> bool:
        return bool(self._real() == other)

    def __hash__(self) -> int:
        return hash(self._real())


class InspectStandIn(StandIn):
    """The stand-in of ``inspect``: ``signature``, ``getmembers`` and ``ismethod`` answered without it where it can.

    ``signature(cls)`` of a class :func:`_signature_text` knows gives an object whose ``str`` is
    that text (any other use of it asks the real ``inspect``); ``getmembers`` of an object that is
    not a class is ``inspect``'s own loop (Python 3.11's), ``ismethod`` its one test.
    """

    def signature(self, obj: Any, **kwargs: Any) -> Any:
        text = None if kwargs else _signature_text(obj)
        if text is None:
            return self.real().signature(obj, **kwargs)
        return _Signature(obj, text)

    def getmembers(self, obj: Any, predicate: Any = None) -> list[tuple[str, Any]]:
        if not _KNOWN_INSPECT or isinstance(obj, type):
            return self.real().getmembers(obj, predicate)  # type: ignore[no-any-return]
        results = []
        processed = set()
        for key in dir(obj):
            try:
                value = getattr(obj, key)
                if key in processed:
                    raise AttributeError
            except AttributeError:
                continue
            if not predicate or predicate(value):
                results.append((key, value))
            processed.add(key)
        results.sort(key=lambda pair: pair[0])
        return results

    @staticmethod
    def ismethod(obj: object) -> bool:
        return isinstance(obj, MethodType)


#: The stand-in of each module that has one of its own.
_STAND_INS: dict[str, type[StandIn]] = {"inspect": InspectStandIn}


@contextmanager
def deferring(names: tuple[str, ...] = DEFERRED) -> Iterator[None]:
    """While in this block, the modules ``names`` not imported yet are imported on first use (see above)."""
    installed: dict[str, StandIn] = {}
    with _LOCK:
        for name in names:
            if name not in sys.modules:
                sys.modules[name] = installed[name] = _STAND_INS.get(name, StandIn)(name)
    try:
        yield
    finally:
        with _LOCK:
            for name, stand_in in installed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
