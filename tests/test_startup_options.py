"""The type hints of the options, read without compiling the plain names (``convert.options._hints``)."""

from __future__ import annotations

import random
import typing
from typing import Any

from convert import options
from convert.options import Options, _hints


def test_hints_are_typing_s() -> None:
    hints = _hints(Options)
    assert hints == typing.get_type_hints(Options)
    assert list(hints) == list(Options.__annotations__)
    assert [option.hint for option in options._BUILTIN] == list(hints.values())


_ANNOTATIONS = [
    "str", "int", "bool", "MdFlavor", "Paper", "int | None", "tuple[str, ...]", "Literal['a', 'b']", "Any",
    "tuple[tuple[str, str], ...]", "PdfVariant", "float", "Shadowed", "list[Paper]", "list[Shadowed]",
]  # fmt: skip


def test_hints_of_random_classes() -> None:
    rng = random.Random(5)
    for _ in range(300):
        names = [f"f{i}" for i in range(rng.randrange(1, 6))]
        annotations = {name: rng.choice(_ANNOTATIONS) for name in names}
        body: dict[str, Any] = {"__annotations__": annotations, "__module__": options.__name__}
        if rng.random() < 0.5:
            body["Shadowed"] = rng.choice([int, str])  # a name of the class itself
        if rng.random() < 0.3:
            body["Paper"] = int  # a name of both: the module's, as typing looks there first
        if "Shadowed" not in body and any("Shadowed" in text for text in annotations.values()):
            continue
        cls = type("Made", (), body)
        assert _hints(cls) == typing.get_type_hints(cls), annotations
