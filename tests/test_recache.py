"""The on-disk cache of compiled regular expressions (convert.recache)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

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
    table[(r"q+", 0)] = (0, b"\x01\x00\x00\x00\x02", 0, {}, (None,))  # not the engine's code
    table[(r"r+", 0)] = (0, [1, 2, 3], 0, {}, (None,))  # not even bytes
    assert recache.compile(r"q+", 0) == re.compile(r"q+")
    assert recache.compile(r"r+", 0) == re.compile(r"r+")


def test_errors_are_re_errors(fresh_cache: Path) -> None:
    with pytest.raises(re.error):
        recache.compile(r"(unclosed", 0)


MODULE = """
import re
WORDS = re.compile(r"(?P<word>\\w+)-(?P=word)", re.I)
FIRST = re.match(r"\\d+", "123abc").group()
BYTES = re.compile(rb"[\\x80-\\xff]+")
"""


def _import_fresh(name: str) -> object:
    sys.modules.pop(name, None)
    with recache.serving_imports():
        return __import__(name)


def test_patterns_compiled_by_an_import_are_served(
    fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "served_module.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(recache, "_served", {})
    module: Any = _import_fresh("served_module")
    assert re.compile(r"(?P<word>\w+)-(?P=word)", re.I) == module.WORDS
    assert module.FIRST == "123"
    assert re.compile(rb"[\x80-\xff]+") == module.BYTES
    table = recache._CACHE.load()
    assert (r"(?P<word>\w+)-(?P=word)", int(re.I)) in table
    assert (r"\d+", 0) in table
    recache._CACHE.save()
    recache._CACHE = recache._Cache()  # a new process: the same patterns, from the file
    monkeypatch.setattr(recache, "_served", {})
    module = _import_fresh("served_module")
    assert re.compile(r"(?P<word>\w+)-(?P=word)", re.I) == module.WORDS
    assert module.WORDS.groupindex == {"word": 1}
    assert recache._CACHE.added == 0  # nothing compiled afresh
    sys.modules.pop("served_module", None)


def test_re_is_itself_again_after_the_block(fresh_cache: Path) -> None:
    original = re._compile  # type: ignore[attr-defined]
    with recache.serving_imports(), recache.serving_imports():  # nested
        assert re._compile is not original  # type: ignore[attr-defined]
    assert re._compile is original  # type: ignore[attr-defined]
    with pytest.raises(ImportError), recache.serving_imports():
        import no_such_module_anywhere  # type: ignore[import-not-found]  # noqa: F401
    assert re._compile is original  # type: ignore[attr-defined]


def test_what_is_not_a_text_pattern_is_re_s_own(fresh_cache: Path) -> None:
    compiled = re.compile("abc")
    with recache.serving_imports():
        assert re.compile(compiled) is compiled
        with pytest.raises(ValueError, match="flags"):
            re.compile(compiled, re.I)
        assert re.compile(rb"a+") == re.compile(rb"a+")
        with pytest.raises(re.error):
            re.compile("(unclosed")
        with pytest.raises(TypeError):
            re.compile(12)  # type: ignore[call-overload]
        assert re.compile("a", re.DEBUG) is not None  # printed, as re does, and never cached
    assert all(key[0] != "a" for key in recache._CACHE.load())


def test_served_when_the_cache_cannot_be_written(
    fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")  # a file where the cache's directory would be
    monkeypatch.setattr(recache, "cache_path", lambda: str(blocker / "__pycache__" / "regex.marshal"))
    monkeypatch.setattr(recache, "_served", {})
    with recache.serving_imports():
        assert re.compile(r"un(writ)+able") == recache._RE_COMPILE(r"un(writ)+able", 0)
    recache._CACHE.save()  # no error
    assert not (blocker / "__pycache__").exists()


def test_threads_serving_at_once(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(recache, "_served", {})
    original = re._compile  # type: ignore[attr-defined]
    errors: list[str] = []
    start = threading.Barrier(8)

    def work(k: int) -> None:
        start.wait()
        for i in range(200):
            with recache.serving_imports():
                pattern = f"t{k}x{i % 7}(y+)"
                if re.compile(pattern) != original(pattern, 0):
                    errors.append(pattern)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert re._compile is original  # type: ignore[attr-defined]


def test_markdown_it_patterns_as_re_compiles_them() -> None:
    """In a new process, the patterns markdown-it and its plugins compile on import equal ``re.compile``'s."""
    import os
    import subprocess

    script = """
import re, sys
from convert import recache
with recache.serving_imports():
    import markdown_it, mdit_py_plugins.attrs, mdit_py_plugins.deflist, mdit_py_plugins.dollarmath
    import mdit_py_plugins.footnote.index
assert re._compile is recache._RE_COMPILE
served = 0
for name, module in list(sys.modules.items()):
    if name.startswith(("markdown_it", "mdit_py_plugins", "mdurl")):
        for value in vars(module).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                fresh = recache._RE_COMPILE(value.pattern, value.flags)
                assert value == fresh and value.groupindex == fresh.groupindex, value
                served += 1
assert served > 30, served
"""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}  # reads the cache, writes nothing
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
