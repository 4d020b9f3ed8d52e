"""The ``__init__`` makers compiled with the package (:mod:`convert.ir._inits`) are those ``@record`` would compile."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

from convert.ir import _inits, _record


def test_inits_module_is_up_to_date() -> None:
    """The file is exactly what the generator writes for the package's records (regenerate: write_inits())."""
    expected = _record.inits_module(_record.package_shapes())
    assert Path(_inits.__file__).read_text(encoding="utf-8") == expected, (
        "convert/ir/_inits.py is stale: run  python -c 'import convert.ir._record as r; r.write_inits()'"
    )


def test_every_record_of_the_package_uses_a_precompiled_init() -> None:
    @dataclasses.dataclass(frozen=True)
    class Reference:
        x: int = 0

    count = 0
    for name in _record.RECORD_MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, type) and "__record_key__" in value.__dict__:
                assert value.__init__.__code__.co_filename == _inits.__file__, value
                # (the parameters of @dataclass(frozen=True), as the options and specs had before)
                assert repr(value.__dataclass_params__) == repr(Reference.__dataclass_params__)  # type: ignore[attr-defined]
                count += 1
    assert count >= 40


def test_precompiled_makers_are_the_compiled_source() -> None:
    """Each precompiled maker has the code the runtime path compiles from :func:`_record._init_source`."""
    for shape, code in _inits.MAKERS.items():
        namespace: dict[str, object] = {}
        exec(compile("\n".join(_record._init_source(*shape)), "<record>", "exec"), {}, namespace)
        made = namespace["__make__"].__code__  # type: ignore[attr-defined]
        inner, made_inner = (next(c for c in k.co_consts if hasattr(c, "co_code")) for k in (code, made))
        for attr in ("co_code", "co_varnames", "co_argcount", "co_names", "co_freevars"):
            assert getattr(inner, attr) == getattr(made_inner, attr), (shape, attr)
        assert [c for c in inner.co_consts if not hasattr(c, "co_code")] == [
            c for c in made_inner.co_consts if not hasattr(c, "co_code")
        ]


def test_a_shape_not_precompiled_is_compiled_and_behaves_the_same() -> None:
    """A record of a new shape (a plug-in's, a test's) still gets its ``__init__``, as a dataclass would."""

    @_record.record
    class Unusual:
        zeta_field: int
        eta_field: tuple[int, ...] = dataclasses.field(default_factory=tuple)

    @dataclasses.dataclass(frozen=True)
    class Reference:
        zeta_field: int
        eta_field: tuple[int, ...] = dataclasses.field(default_factory=tuple)

    assert Unusual.__init__.__code__.co_filename == "<record>"
    for args in [(1,), (2, (3,))]:
        made, ref = Unusual(*args), Reference(*args)
        assert dataclasses.astuple(made) == dataclasses.astuple(ref)
        assert repr(made).replace("Unusual", "Reference") == repr(ref)
