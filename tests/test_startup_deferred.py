"""Standard modules imported on first use (``convert._deferred``): stand-ins answer as the real modules do."""

from __future__ import annotations

import abc
import dataclasses
import inspect
import os
import random
import site
import subprocess
import sys
import types
from typing import Any

import pytest

from convert._deferred import DEFERRED, InspectStandIn, StandIn, _signature_text, deferring

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "russia-pakistan-relationship.md"


def _forget(*names: str) -> None:
    for name in names:
        sys.modules.pop(name, None)


def test_a_stand_in_imports_the_module_at_first_use() -> None:
    _forget("colorsys", "graphlib")
    with deferring(("colorsys", "graphlib")):
        import colorsys
        import graphlib

        assert isinstance(colorsys, StandIn)
        assert isinstance(graphlib, StandIn)
        assert "colorsys" in sys.modules
        hsv = colorsys.rgb_to_hsv(0.2, 0.4, 0.4)  # the real module, imported now
        assert not isinstance(sys.modules["colorsys"], StandIn)
        from colorsys import rgb_to_hsv

        assert rgb_to_hsv is sys.modules["colorsys"].rgb_to_hsv
        assert colorsys.rgb_to_hsv is rgb_to_hsv
        assert hsv == rgb_to_hsv(0.2, 0.4, 0.4)
    # graphlib was never used: gone from sys.modules, and a later import is the real module
    assert "graphlib" not in sys.modules
    import graphlib as real

    assert not isinstance(real, StandIn)
    assert graphlib.TopologicalSorter is real.TopologicalSorter  # the stand-in follows the real module
    assert isinstance(graphlib, types.ModuleType)
    assert dir(graphlib) == dir(real)


def test_imported_modules_and_nested_blocks() -> None:
    import json

    _forget("colorsys")
    with deferring(("json", "colorsys")):
        assert sys.modules["json"] is json  # an imported module stays as it is
        outer = sys.modules["colorsys"]
        with deferring(("colorsys",)):
            assert sys.modules["colorsys"] is outer
        assert sys.modules["colorsys"] is outer  # the inner block leaves the outer's stand-in
        assert isinstance(outer, StandIn)
    assert "colorsys" not in sys.modules
    assert not hasattr(outer, "__path__")  # not a package (asked by ``from colorsys import x``)


def test_a_conversion_imports_none_of_them_and_they_still_work() -> None:
    # without site (and an editable install's import hook, which imports pathlib first)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *site.getsitepackages()]))
    code = """
import sys
from convert.cli import main
from convert._deferred import DEFERRED, StandIn
assert main([sys.argv[1], "-t", "tei", "-q"]) == 0
print(sorted(name for name in DEFERRED if name in sys.modules), file=sys.stderr)

print(sorted(name for name in ("ast", "dis") if name in sys.modules), file=sys.stderr)
import dataclasses, inspect, logging, pathlib, urllib.parse
assert isinstance(dataclasses.inspect, StandIn) and isinstance(logging.traceback, StandIn)
assert not isinstance(inspect, StandIn)
assert "def main" in inspect.getsource(main)
try:
    raise ValueError("x")
except ValueError:
    assert "ValueError: x" in logging.Formatter().formatException(sys.exc_info())
assert dataclasses.asdict(dataclasses.make_dataclass("P", ["a"])([1])) == {"a": [1]}
assert pathlib.PurePath("a.md").match("*.md") and pathlib.ntpath.splitdrive("c:/a")[0] == "c:"
assert urllib.parse.urlsplit("http://[::1]/").hostname == "::1"
real = [name for name, module in sys.modules.items() if name in DEFERRED and not isinstance(module, StandIn)]
print(sorted(real), file=sys.stderr)
"""
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(SAMPLE)], env=env, capture_output=True, text=True, check=True
    )
    before, compiler, after = done.stderr.splitlines()[-3:]
    assert before == compiler == "[]"
    assert after == str(sorted(DEFERRED))
    assert done.stdout.startswith("<?xml")


_TYPES = ["int", "str", "bool | None", "list[str]", "tuple[int, ...]", "'Quoted'", "typing.Any", "ClassVar[int]",
          "dataclasses.InitVar[int]", "RuleFuncTv"]  # fmt: skip
_DEFAULTS = ["", " = 0", " = 'x'", " = None", " = (1, 'a')", " = dataclasses.field(default_factory=list)",
             " = dataclasses.field(default=3, repr=False)", " = dataclasses.field(kw_only=True, default=1)",
             " = -1.5", " = dataclasses.field(init=False, default=2)"]  # fmt: skip


def _random_dataclass(rng: random.Random, index: int) -> tuple[str, dict[str, Any]]:
    """The source of a random dataclass, and the namespace to run it in."""
    future = rng.random() < 0.6
    options = rng.sample(["frozen=True", "slots=True", "kw_only=True", "eq=False", "init=True"], rng.randrange(3))
    lines = [*(["from __future__ import annotations"] if future else []),
             "import dataclasses, typing", "from typing import ClassVar, Generic, TypeVar",
             "RuleFuncTv = TypeVar('RuleFuncTv')", "class Quoted: pass",
             f"@dataclasses.dataclass({', '.join(options)})"]  # fmt: skip
    bases = rng.choice(["", "(Generic[RuleFuncTv])", "(metaclass=abc.ABCMeta)"])
    lines.append(f"class C{index}{bases}:")
    if rng.random() < 0.4:
        lines.append('    """A docstring."""')
    defaulted = False
    for number in range(rng.randrange(0, 6)):
        kind = rng.choice(_TYPES)
        default = rng.choice(_DEFAULTS) if defaulted or rng.random() < 0.4 else ""
        if "kw_only" in default or "init=False" in default or kind.startswith("ClassVar"):
            pass
        elif default:
            defaulted = True
        elif defaulted:
            default = " = 5"
        lines.append(f"    f{number}: {kind}{default}")
    extra = rng.choice(["", "    def __new__(cls, *a, **k): return super().__new__(cls)", "    __signature__ = None",
                        "    __signature__ = inspect.Signature()", "    def m(self): return 1"])  # fmt: skip
    if extra:
        lines.append(extra)
    if lines[-1].endswith(":"):
        lines.append("    pass")
    return "\n".join(lines), {"abc": abc, "inspect": inspect}


class _Meta(type):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return super().__call__(*args, **kwargs)


_PARAMETERS = ["a", "a: 'str'", "a: int", "a: 'list[str]'", "a=1", "a: 'int' = 2", "a: int = 3", "a=None", "*a",
               "a: 'x' = 'y'", "**a"]  # fmt: skip


def _random_class(rng: random.Random, index: int) -> tuple[str, dict[str, Any]]:
    """The source of a random class with an ``__init__`` of its own, and the namespace to run it in."""
    parameters = ["self"]
    defaulted = False
    for number in range(rng.randrange(0, 5)):
        parameter = rng.choice(_PARAMETERS).replace("a", f"p{number}", 1)
        if "=" in parameter:
            defaulted = True
        elif defaulted and "*" not in parameter:
            parameter += " = 0"
        parameters.append(parameter)
    if rng.random() < 0.2:
        parameters.insert(rng.randrange(1, len(parameters) + 1), "/")
    returned = rng.choice(["", " -> None", " -> 'None'", " -> int", " -> 'C'"])
    meta = rng.choice(["", "(metaclass=_Meta)", "(metaclass=abc.ABCMeta)"])
    lines = [f"class C{index}{meta}:", f"    def __init__({', '.join(parameters)}){returned}: pass"]
    return "\n".join(lines), {"abc": abc, "_Meta": _Meta}


def test_signature_text_is_inspect_s() -> None:
    rng = random.Random(3)
    stand_in = InspectStandIn("inspect")
    known = 0
    for index in range(1000):
        source, namespace = (_random_dataclass if index % 2 else _random_class)(rng, index)
        try:
            exec(compile(source, f"<class {index}>", "exec", dont_inherit=True), namespace)
        except (TypeError, ValueError, SyntaxError):  # a combination dataclasses (or Python) refuses
            continue
        cls = namespace[f"C{index}"]
        real = str(inspect.signature(cls))
        text = _signature_text(cls)
        known += text is not None
        assert text in (None, real), source
        assert str(stand_in.signature(cls)) == real, source
    assert known > 80


def test_dataclass_texts_through_the_stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(4)
    made = {}
    for stand_in in (False, True):
        if stand_in:
            monkeypatch.setattr(dataclasses, "inspect", InspectStandIn("inspect"))
        rng.seed(4)
        for index in range(200):
            source, namespace = _random_dataclass(rng, index)
            try:
                exec(compile(source, f"<dataclass {index}>", "exec", dont_inherit=True), namespace)
            except (TypeError, ValueError):
                continue
            made.setdefault(index, []).append(namespace[f"C{index}"].__doc__)
    assert all(len(docs) == 2 and docs[0] == docs[1] for docs in made.values())


class _Odd:
    attribute = 1

    def method(self) -> int:
        return 1

    @property
    def missing(self) -> int:
        raise AttributeError("missing")

    def __dir__(self) -> list[str]:
        return ["method", "method", "missing", "attribute", "nothing", "__class__"]


def test_getmembers_and_ismethod_are_inspect_s() -> None:
    from markdown_it.renderer import RendererHTML

    stand_in = InspectStandIn("inspect")
    for obj in [RendererHTML(), _Odd(), 3, "text", [1], types.SimpleNamespace(a=1, b=print), _Odd, RendererHTML]:
        for predicate in (None, inspect.ismethod, stand_in.ismethod, callable):
            assert stand_in.getmembers(obj, predicate) == inspect.getmembers(obj, predicate)
        for name in dir(obj):
            value = getattr(obj, name, None)
            assert stand_in.ismethod(value) == inspect.ismethod(value)
