"""Bytes patterns through the regular-expression cache (``convert.recache.compile``) equal ``re.compile``'s."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from convert import recache


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "__pycache__" / "regex.test.marshal"
    monkeypatch.setattr(recache, "cache_path", lambda: str(path))
    monkeypatch.setattr(recache, "_CACHE", recache._Cache())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


_PIECES = [rb"a+", rb"\xe2[\xba-\xbf]", rb"[\xe3-\xf4]", rb"(?P<n>\d+)", rb"\s*", rb"(x|y)?", rb"\w", rb"[^\x00-\x7f]",
           rb"\bq", rb"(?:ab){2,3}", rb".", rb"\(\?P<(\w+)>", rb"[-*_]"]  # fmt: skip


def _random_patterns(count: int) -> list[tuple[bytes, int]]:
    rng = random.Random(7)
    patterns = []
    for _ in range(count):
        pieces = rng.sample(_PIECES, rng.randrange(1, 4))
        pattern = rb"|".join(pieces) if rng.random() < 0.3 else b"".join(pieces)
        patterns.append((pattern, rng.choice([0, re.I, re.M | re.S, re.A, re.L, re.X])))
    return patterns


def test_bytes_patterns_equal_re_compile_s(fresh_cache: Path) -> None:
    patterns = [*_random_patterns(60), (rb"\xe2[\xba-\xbf]|[\xe3-\xf4]", 0)]
    rng = random.Random(8)
    texts = [bytes(rng.randrange(256) for _ in range(40)) for _ in range(20)] + ["a \u2e80\u3000\U0001f600 b".encode()]
    for pattern, flags in patterns:
        first = recache.compile(pattern, flags)
        assert first == re.compile(pattern, flags)
        assert isinstance(first.pattern, bytes)
    recache._CACHE.save()
    recache._CACHE = recache._Cache()  # a new process: built from the file
    table = recache._CACHE.load()
    for pattern, flags in patterns:
        assert (pattern, flags) in table
        again = recache.compile(pattern, flags)
        expected = re.compile(pattern, flags)
        assert again == expected
        assert (again.groups, again.groupindex) == (expected.groups, expected.groupindex)
        for text in texts:
            assert again.findall(text) == expected.findall(text)


def test_a_text_and_a_bytes_pattern_of_the_same_letters_are_two(fresh_cache: Path) -> None:
    text, data = recache.compile("a+b"), recache.compile(b"a+b")
    assert text.pattern == "a+b" and data.pattern == b"a+b"
    recache._CACHE.save()
    recache._CACHE = recache._Cache()
    assert recache.compile(b"a+b").findall(b"aab") == [b"aab"]
    assert recache.compile("a+b").findall("aab") == ["aab"]


def test_bytes_errors_are_re_s(fresh_cache: Path) -> None:
    with pytest.raises(re.error):
        recache.compile(rb"(unclosed")
    with pytest.raises(ValueError, match="UNICODE"):
        recache.compile(rb"a", re.U)
