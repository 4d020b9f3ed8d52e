"""The on-disk cache of compiled regular expressions (convert.recache)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from convert import recache

PATTERNS = [
    (r"a+b", 0),
    (r"(?P<year>\d{4})-(?P<month>\d\d)", 0),
    (r"(?x) \d+  # digits\n [a-z]*", 0),
    (r"[\u0600-\u06ff\U00020000-\U0002ffff]+", 0),
    (r"^copyright\b", re.I | re.M),
    (r"(?<![\w-])(\w+)\1", re.S),
]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "__pycache__" / "regex.test.marshal"
    monkeypatch.setattr(recache, "cache_path", lambda: str(path))
    monkeypatch.setattr(recache, "_CACHE", recache._Cache())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_equal_to_re_compile(fresh_cache: Path, pattern: str, flags: int) -> None:
    first = recache.compile(pattern, flags)
    assert first == re.compile(pattern, flags)
    assert first.groupindex == re.compile(pattern, flags).groupindex
    recache._CACHE.save()
    recache._CACHE = recache._Cache()  # a new process: built from the file
    again = recache.compile(pattern, flags)
    assert again == re.compile(pattern, flags)
    assert again.groups == re.compile(pattern, flags).groups


def test_written_atomically_and_read_back(fresh_cache: Path) -> None:
    recache.compile(r"x(y)z", 0)
    recache._CACHE.save()
    assert fresh_cache.is_file()
    assert [p.name for p in fresh_cache.parent.iterdir()] == [fresh_cache.name]  # no temporary left
    recache._CACHE = recache._Cache()
    assert (r"x(y)z", 0) in recache._CACHE.load()


def test_not_written_when_bytecode_is_not(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    recache.compile(r"no(t)written", 0)
    recache._CACHE.save()
    assert not fresh_cache.exists()


def test_a_damaged_file_is_ignored(fresh_cache: Path) -> None:
    fresh_cache.parent.mkdir()
    fresh_cache.write_bytes(b"\x00garbage")
    assert recache.compile(r"ok+", 0) == re.compile(r"ok+")


def test_a_wrong_entry_is_compiled_afresh(fresh_cache: Path) -> None:
    table = recache._CACHE.load()
    table[(r"q+", 0)] = (0, [1, 2, 3], 0, {}, (None,))  # not the engine's code
    assert recache.compile(r"q+", 0) == re.compile(r"q+")


def test_errors_are_re_errors(fresh_cache: Path) -> None:
    with pytest.raises(re.error):
        recache.compile(r"(unclosed", 0)
