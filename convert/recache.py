"""Compiled regular expressions kept between runs, the way Python keeps bytecode.

Python's :mod:`re` compiles a pattern in pure Python (parse, then code generation) each time a
process first uses it; the readers declare a few hundred patterns, and compiling those the sample
needs took about 60 ms of a 150 ms conversion. :func:`compile` keeps the generated code of every
pattern it compiles in one file beside the package's bytecode
(``convert/__pycache__/regex.<interpreter>.<sre magic>.<format>.marshal``) and builds the next process's
patterns straight from it with the engine's own constructor, skipping the parse.

The cache follows the bytecode's rules: it is written only where ``__pycache__`` may be written
(not when ``PYTHONDONTWRITEBYTECODE`` or ``-B`` is set, not in a read-only install), atomically
(a partial file is never seen), and keyed by the interpreter and the regular-expression engine's
version, so that another Python never reads it. On an interpreter whose :mod:`re` internals are not
the ones known here, or after any failure, :func:`compile` is :func:`re.compile`. A pattern built
from the cache is equal (``==``: same pattern, flags and engine code) to ``re.compile``'s.
"""

from __future__ import annotations

import _thread
import atexit
import marshal
import os
import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, overload

from ._deferred import deferring

__all__ = ["cache_path", "compile", "serving_imports"]

try:  # the engine's constructor and the compiler's two steps (CPython 3.11 to 3.13)
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _KNOWN = sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
    _KNOWN = _KNOWN and array("I").itemsize == _sre.CODESIZE
except ImportError:  # pragma: no cover - another interpreter
    _KNOWN = False

#: The layout of an entry (below); a file of another layout is another file.
_FORMAT = 2

#: ``re``'s own compile-and-memoize step (``re.compile``, ``re.match``... all go through it).
_RE_COMPILE = re._compile  # type: ignore[attr-defined]

#: At most this many patterns are kept (only the package's own patterns go through here).
MAX_ENTRIES = 4096

#: flags, engine code (its 32-bit words as bytes: read back with one copy, where a list of ints is
#: read int by int), groups, group index, index group.
_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_Table = dict[tuple[str | bytes, int], _Entry]


class _Cache:
    """The patterns of this process: loaded on first use, written at exit if any were added."""

    def __init__(self) -> None:
        self.table: _Table | None = None
        self.added = 0
        self.lock = _thread.allocate_lock()

    def load(self) -> _Table:
        table = self.table
        if table is None:
            with self.lock:  # one thread reads the file and registers the writing
                if self.table is None:
                    self.table = _read(cache_path()) or {}
                    atexit.register(self.save)
                table = self.table
        return table

    def save(self) -> None:
        """Write the table when this process compiled new patterns (atomically; never an error)."""
        if not self.added or self.table is None or sys.dont_write_bytecode:
            return
        path = cache_path()
        theirs = _read(path)  # keep what another process wrote meanwhile
        table = {**theirs, **self.table} if len(theirs) + len(self.table) <= 2 * MAX_ENTRIES else self.table
        try:
            from convert.files import replace_file  # the one place that replaces a file

            os.makedirs(os.path.dirname(path), exist_ok=True)
            replace_file(path, marshal.dumps(table), durable=False)
        except (OSError, ValueError):
            pass


_CACHE = _Cache()


def cache_path() -> str:
    """Where the compiled patterns are kept for this interpreter."""
    tag = f"{sys.implementation.cache_tag}.{getattr(_sre, 'MAGIC', 0) if _KNOWN else 0}.{_FORMAT}"
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", f"regex.{tag}.marshal")


@overload
def compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def compile(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern[Any]:
    """``re.compile(pattern, flags)``, from the cache when this pattern was compiled before (text or bytes)."""
    if not _KNOWN or flags & re.DEBUG:
        return _RE_COMPILE(pattern, flags)  # type: ignore[no-any-return]
    flags = int(flags)
    table = _CACHE.load()
    key = (pattern, flags)
    entry = table.get(key)
    if entry is not None:
        try:
            return _build(pattern, entry)
        except Exception:  # a stale or damaged entry: compile afresh
            table.pop(key, None)
    try:
        entry = _generate(pattern, flags)
        compiled = _build(pattern, entry)
    except re.error:
        raise
    except Exception:  # internals not as expected: the public way
        return _RE_COMPILE(pattern, flags)  # type: ignore[no-any-return]
    if len(table) < MAX_ENTRIES:
        table[key] = entry
        _CACHE.added += 1
    return compiled


#: Flags whose patterns ``re`` treats specially (a printout, a deprecation warning): never served.
_UNSERVED = re.DEBUG | getattr(re, "TEMPLATE", 0)
_served: dict[tuple[str, int], re.Pattern[str]] = {}


class _Serving:
    """How many imports are being served (nested, or in several threads), under a lock."""

    lock = _thread.allocate_lock()
    depth = 0


def _serve(pattern: Any, flags: Any) -> Any:
    """``re._compile`` while imports are served: a text pattern comes from :func:`compile`.

    Each pattern is built once, as ``re``'s own memo would (``re.sub(text, ...)`` in a loop).
    Anything else (bytes, a compiled pattern, a special flag) is ``re``'s own business.
    """
    if type(pattern) is not str or not isinstance(flags, int) or flags & _UNSERVED:
        return _RE_COMPILE(pattern, flags)
    key = (pattern, int(flags))
    compiled = _served.get(key)
    if compiled is None:
        compiled = compile(pattern, flags)
        if len(_served) < MAX_ENTRIES:
            _served[key] = compiled
    return compiled


@contextmanager
def serving_imports() -> Iterator[None]:
    """While in this block, every text pattern :mod:`re` compiles comes from the cache.

    Meant for ``import`` statements: the patterns a module compiles as it is imported are
    fixed ones, the same each run, unlike the patterns a program builds from its input (which
    would only fill the cache).  ``re._compile`` is replaced for the block; other threads see
    the replacement too, and get patterns equal to their own.  On an interpreter whose
    :mod:`re` is not the one known here, nothing is replaced.  The standard modules that
    imports bring in and a conversion never uses are imported on first use, as while the
    package is imported (:func:`convert._deferred.deferring`).
    """
    with deferring():
        if not _KNOWN:
            yield
        else:
            with _serving():
                yield


@contextmanager
def _serving() -> Iterator[None]:
    """``re._compile`` replaced by :func:`_serve` for the block (see :func:`serving_imports`)."""
    with _Serving.lock:
        if _Serving.depth == 0:
            re._compile = _serve  # type: ignore[attr-defined]
        _Serving.depth += 1
    try:
        yield
    finally:
        with _Serving.lock:
            _Serving.depth -= 1
            if _Serving.depth == 0 and re._compile is _serve:  # type: ignore[attr-defined]
                re._compile = _RE_COMPILE  # type: ignore[attr-defined]


def _generate(pattern: str | bytes, flags: int) -> _Entry:
    """What ``re._compiler.compile`` hands the engine, without building the pattern."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        array("I", code).tobytes(),
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _build(pattern: str | bytes, entry: _Entry) -> re.Pattern[Any]:
    flags, code, groups, groupindex, indexgroup = entry
    words = array("I", code).tolist()  # the engine takes a list
    compiled: re.Pattern[Any] = _sre.compile(pattern, flags, words, groups, groupindex, indexgroup)
    return compiled


def _read(path: str) -> _Table:
    try:
        with open(path, "rb") as handle:
            loaded: Any = marshal.loads(handle.read())  # one read: load() reads object by object
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
