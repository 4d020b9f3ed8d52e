"""Writing the file of kept modules (see :mod:`convert._imports`): at the ``artconv`` command's exit.

A module imported the usual way is kept when the path finder loaded it from a source file
(:class:`SourceFileLoader`, the bytecode file beside it or the source compiled), and the search
that found it can be checked next time: a submodule's package has that one directory; a top-level
module was found along :data:`sys.path` in a directory of its own, every entry before it an
absolute path of a directory or zip file searched by Python's own finders.  A module kept already,
whose source is unchanged, is not kept again for another search path (``python -m`` from another
directory): the file would be written by each run in turn.  It is kept again when a directory of
its search changed.  A module whose file or directories changed in the last two seconds is kept
by a later run: a second change within the same tick of the file system's clock would leave
their times as they were.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from typing import TYPE_CHECKING

from ._imports import _FORMAT, _MAGIC, MAX_ENTRIES, Record, Served, _bytecode_magic, _mtime, served

if TYPE_CHECKING:
    from importlib.machinery import FileFinder, SourceFileLoader
else:
    from _frozen_importlib_external import FileFinder, SourceFileLoader

__all__ = ["keep_at_exit", "kept_entry", "write_kept"]


#: A file or directory changed less than this long ago (ns) is not kept yet: a change within the
#: same tick of the file system's clock would not change its time (as git treats "racy" files).
SETTLED_NS = 2_000_000_000


def keep_at_exit() -> None:
    """Write the kept modules at exit when this process imported new ones (the command's own step)."""
    import atexit

    atexit.register(_save)


def _save() -> None:
    finder = served()
    if finder is not None and not sys.dont_write_bytecode:
        write_kept(finder)


def write_kept(served: Served) -> None:
    """Add the modules ``served`` missed that can be kept to its file (atomically; never an error)."""
    new: dict[str, bytes] = {}
    for name in dict.fromkeys(served.missed):
        kept = kept_entry(name, served.record(name))
        if kept is not None:
            new[name] = kept
    if not new:
        return
    current = Served(served.path)  # what is there now: another process may have written it
    records: dict[str, bytes] = {}
    try:
        if current.prefix == sys.pycache_prefix:  # (else its bytecode files' names are another process's)
            for name in current.index:
                if name not in new and len(records) + len(new) < MAX_ENTRIES:
                    try:
                        records[name] = current.raw(name)
                    except (OSError, EOFError):
                        continue
    finally:
        current.close()
    for name, kept in new.items():
        if len(records) < MAX_ENTRIES:
            records[name] = kept
    try:
        from .files import replace_file  # the one place that replaces a file

        os.makedirs(os.path.dirname(served.path), exist_ok=True)
        replace_file(served.path, _layout(records), durable=False)
    except (OSError, ValueError):
        pass


def _layout(records: dict[str, bytes]) -> bytes:
    """The file: a header, the index (marshal), then the records one after another."""
    index: dict[str, int] = {}
    offset = 0
    for name, record in records.items():
        index[name] = offset << 32 | len(record)
        offset += len(record)
    head = marshal.dumps((sys.pycache_prefix, index))
    assert _FORMAT == 2  # the layout below
    return b"".join([_MAGIC, _bytecode_magic(), len(head).to_bytes(8, "little"), head, *records.values()])


def kept_entry(name: str, old: Record | None = None) -> bytes | None:
    """The record of module ``name`` (imported), or None when it cannot be kept (or is kept as it is)."""
    module = sys.modules.get(name)
    spec = getattr(module, "__spec__", None)
    loader = getattr(spec, "loader", None)
    if spec is None or type(loader) is not SourceFileLoader or not spec.has_location:
        return None
    origin = spec.origin
    if not isinstance(origin, str) or not origin.endswith(".py") or getattr(module, "__file__", None) != origin:
        return None
    where = os.path.dirname(origin)
    package = spec.submodule_search_locations is not None
    if package:
        if os.path.basename(origin) != "__init__.py" or spec.submodule_search_locations != [where]:
            return None
        where = os.path.dirname(where)
    search = _search(name, where)
    if search is None:
        return None
    try:
        before = os.stat(origin)
        if (
            old is not None
            and old[:3] == (origin, before.st_mtime_ns, before.st_size)
            and (old[5] == search or [d for d, _ in old[5]] != [d for d, _ in search])
        ):
            return None  # kept as it is, or missed on another search path (not for its file)
        code = loader.get_code(name)
        after = os.stat(origin)
    except Exception:  # unreadable now
        return None
    if code is None or (after.st_mtime_ns, after.st_size) != (before.st_mtime_ns, before.st_size):
        return None
    settled = time.time_ns() - SETTLED_NS
    if before.st_mtime_ns > settled or any(when > settled for _, when in search):
        return None
    cached = spec.cached if isinstance(spec.cached, str) else ""
    return marshal.dumps((origin, before.st_mtime_ns, before.st_size, package, cached, search, code))


def _search(name: str, where: str) -> tuple[tuple[str, int], ...] | None:
    """The directories the path finder searched for ``name`` (found in ``where``), each with its time."""
    parent = name.rpartition(".")[0]
    if parent:
        path = getattr(sys.modules.get(parent), "__path__", None)
        return ((where, _mtime(where)),) if type(path) is list and path == [where] else None
    zipimporter = getattr(sys.modules.get("zipimport"), "zipimporter", FileFinder)
    search = []
    for entry in sys.path:
        if not isinstance(entry, str) or not os.path.isabs(entry):
            return None  # '' and relative entries: the working directory's
        finder = sys.path_importer_cache.get(entry)
        if finder is not None and type(finder) is not FileFinder and type(finder) is not zipimporter:
            return None
        search.append((entry, _mtime(entry)))
        if entry == where:
            return tuple(search)
    return None
