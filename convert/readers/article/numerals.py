"""Roman numerals of note labels (``i``, ``iv``, ``xii``): lower case, as the labels are compared."""

from __future__ import annotations

__all__ = ["roman", "roman_value"]

_ROMAN_DIGITS = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def roman(value: int) -> str:
    """``value`` (1 or more) in lower-case roman numerals (``""`` for 0)."""
    out = ""
    for amount, digits in _ROMAN_DIGITS:
        while value >= amount:
            out += digits
            value -= amount
    return out


def roman_value(text: str) -> int:
    """The value of the lower-case roman numeral ``text`` written the usual way, else 0."""
    value, pos = 0, 0
    for amount, digits in _ROMAN_DIGITS:
        while text.startswith(digits, pos):
            value += amount
            pos += len(digits)
    return value if pos == len(text) and roman(value) == text else 0
