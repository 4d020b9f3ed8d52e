"""Argument checks of the IR's constructors: each raises :class:`~convert.errors.IRTypeError` naming the field."""

from __future__ import annotations

import datetime as _dt
from typing import Any, NoReturn

from ..errors import IRTypeError

__all__ = ["bool_", "choice", "date", "fail", "int_", "show", "str_", "tuple_"]


def show(value: object) -> str:
    """``value`` for an error message: its type, and a short repr of a scalar."""
    if value is None:
        return "None"
    name = type(value).__name__
    if isinstance(value, str | int | float):
        text = repr(value)
        return f"{name} {text if len(text) <= 40 else text[:36] + '...' + text[-1]}"
    return name


def fail(node: object, name: str, expected: str, value: object) -> NoReturn:
    raise IRTypeError(f"{type(node).__name__}.{name} must be {expected}, got {show(value)}")


def str_(node: object, name: str, value: object) -> None:
    if not isinstance(value, str):
        fail(node, name, "a str", value)


def int_(node: object, name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        fail(node, name, "an int", value)


def bool_(node: object, name: str, value: object) -> None:
    if not isinstance(value, bool):
        fail(node, name, "a bool", value)


def choice(node: object, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed or not isinstance(value, str):
        fail(node, name, "one of " + ", ".join(repr(a) for a in allowed), value)


def tuple_(node: object, name: str, value: object, kinds: Any, *, one: str, many: str) -> tuple[Any, ...]:
    """``value`` as a tuple of ``kinds`` (a list becomes a tuple, stored in ``node.name``)."""
    if type(value) is not tuple:
        if not isinstance(value, tuple | list):
            fail(node, name, f"a tuple of {many}", value)
        value = tuple(value)
        object.__setattr__(node, name, value)
    for item in value:
        if not isinstance(item, kinds):
            index = next(i for i, v in enumerate(value) if not isinstance(v, kinds))
            fail(node, f"{name}[{index}]", one, item)
    return value


def date(node: object, name: str, value: object) -> None:
    """A date, or ``None``; a ``datetime`` or an ISO ``"YYYY-MM-DD"`` string is taken as its date."""
    if value is None or type(value) is _dt.date:
        return
    if isinstance(value, _dt.datetime):
        date = value.date()
    elif isinstance(value, _dt.date):
        return
    elif (
        isinstance(value, str)
        and len(value) == 10
        and value.isascii()
        and value[4] == value[7] == "-"
        and (value[:4] + value[5:7] + value[8:]).isdigit()
    ):
        try:
            date = _dt.date.fromisoformat(value)
        except ValueError:
            fail(node, name, "a datetime.date (no such day)", value)
    else:
        fail(node, name, "a datetime.date", value)
    object.__setattr__(node, name, date)
