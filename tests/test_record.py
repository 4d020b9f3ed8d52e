"""``@record`` makes the same frozen dataclasses as ``@dataclass(frozen=True)``, and the IR's classes are ones."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import typing
from dataclasses import dataclass, field

import pytest

from convert.ir import model
from convert.ir._record import record


def _factory() -> tuple[int, ...]:
    return (1, 2)


def _kinds(decorate: typing.Any) -> tuple[type, type, type, type]:
    class Node:
        """A node."""

        x: int
        y: str = "a"
        z: tuple[int, ...] = ()

        def __post_init__(self) -> None:
            if isinstance(self.z, list):
                object.__setattr__(self, "z", tuple(self.z))

    class Empty:
        """No fields."""

    class Made:
        """Defaults from a factory; a field left out of the repr and of comparisons."""

        r: tuple[int, ...] = field(default_factory=_factory)
        q: int = field(default=3, repr=False, compare=False)

    class Sub(Node):
        """A subclass with one more field."""

        w: int = 0

    node = decorate(Node)
    sub = decorate(type("Sub", (node,), {"__annotations__": {"w": "int"}, "w": 0, "__doc__": Sub.__doc__}))
    return node, decorate(Empty), decorate(Made), sub


def _behaviour(decorate: typing.Any) -> list[object]:
    node, empty, made, sub = _kinds(decorate)
    a = node(1, "b", [1])
    seen: list[object] = [
        repr(a).split(".")[-1],
        repr(empty()).split(".")[-1],
        repr(made()).split("(", 1)[1],
        a == node(1, "b", (1,)),
        a != node(2),
        hash(a) == hash(node(1, "b", (1,))),
        empty() == empty(),
        hash(empty()) == hash(empty()),
        made() == made(q=9),
        hash(made()) == hash(made(q=9)),
        made().r,
        a == (1, "b", (1,)),
        sub(1) == node(1),
        node.__match_args__,
        sub.__match_args__,
        [f.name for f in dataclasses.fields(node)],
        dataclasses.is_dataclass(node),
        dataclasses.replace(a, x=5) == node(5, "b", (1,)),
        dataclasses.asdict(a),
        str(inspect.signature(node)),
        copy.deepcopy(a) == a,
        node.__init__.__qualname__.split(".")[-2:],
    ]
    for action in (
        lambda: setattr(a, "x", 2),
        lambda: delattr(a, "x"),
        lambda: setattr(a, "new", 2),
        node,
        lambda: node(1, 2, 3, 4),
    ):
        with pytest.raises((TypeError, AttributeError)) as caught:
            action()
        seen.append((caught.type, str(caught.value).split(".")[-1]))
    match a:
        case node(x, y):
            seen.append((x, y))
    return seen


def test_record_behaves_as_a_frozen_dataclass() -> None:
    assert _behaviour(record) == _behaviour(dataclass(frozen=True))


def test_ir_classes_are_frozen_dataclasses() -> None:
    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(classes) > 25
    text = model.Text("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.text = "y"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(model.Paragraph((text,)))) == model.Paragraph((text,))
    assert typing.get_type_hints(model.Link.__init__)["content"] == tuple[model.Inline, ...]
    for cls in classes:
        assert cls.__setattr__ is not object.__setattr__, cls
        assert cls.__hash__ is not None, cls
