"""Roman numerals of note labels."""

from __future__ import annotations

from convert.readers.article.numerals import roman, roman_value


def test_every_value_round_trips() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == ["i", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv"]
    assert all(roman_value(roman(n)) == n for n in range(1, 4000))


def test_what_is_not_written_the_usual_way_is_none() -> None:
    assert [roman_value(t) for t in ("", "iiii", "vx", "ic", "IV", "x1", "mmmm")] == [0, 0, 0, 0, 0, 0, 4000]
