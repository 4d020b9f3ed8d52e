"""Modules imported from one file of code kept between runs, the way Python keeps bytecode.

Python imports a module from source in steps written in Python itself: it looks for the module
along the path (the finder of each directory checks its listing and the file's suffixes), makes
the module's spec, works out the bytecode file's name, opens the file, checks its header against
the source and reads it.  For a small module these steps cost more than the module's own code;
for the ~170 modules of ``artconv SAMPLE -t tei``, skipping them saves 8 % of its instructions
and 12 % of its time.

Since Python 3.11 the interpreter's own start-up modules are frozen into it for that reason.
:func:`install` puts a finder (:class:`Served`) on :data:`sys.meta_path`, just before Python's own
path finder, that serves the modules kept in one file where the package's bytecode goes
(``convert/__pycache__/imports.<interpreter>.<magic>.opt<level>.<layout>.bin``): an index read at
start, then for each module a record (what the path finder would check, and the module's code as
its bytecode file holds it) read with one system call when the module is imported.  A module is
served only when the path finder would load the same source file:

- the source file has the size and modification time it had when its code was kept (as a
  bytecode file is checked against its source, but to the nanosecond);
- a submodule's package has one directory, the same, whose modification time is unchanged
  (a new file in it, which could shadow the module, changes it);
- a top-level module is searched along :data:`sys.path`: the path up to the module's directory is
  the same, and each of those directories (or zip files) is unchanged.

Anything else (another path, a changed file, a module not kept, a spec asked for a reload) goes
to the path finder as before; so does every module whose record cannot be read.  A served
module is made by a :class:`SourceFileLoader`, so its ``__file__``, ``__cached__``,
``__path__``, source, tracebacks and resources are the path finder's.

The file is written by the ``artconv`` command only (:func:`convert._imports_write.keep_at_exit`),
at exit, when modules were imported the usual way that could be kept; as bytecode, only where
bytecode may be written (not under ``PYTHONDONTWRITEBYTECODE`` or ``-B``), atomically, and keyed
by the interpreter's bytecode magic and optimisation level.  A library that imports
:mod:`convert` gets the finder (and its modules served) but never writes the file.
"""

import marshal
import os
import sys

# Only modules loaded before any other here: this module is imported first, so that the others
# are served (no ``typing``, no ``from __future__``: annotations are strings).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec, SourceFileLoader
    from typing import Any
else:  # the import system's own classes (importlib.machinery is a module to import)
    from _frozen_importlib import ModuleSpec
    from _frozen_importlib_external import SourceFileLoader

__all__ = ["MAX_ENTRIES", "Served", "bundle_path", "install", "served"]

#: The layout of the file (below); a file of another layout is another file.
_FORMAT = 2
#: At most this many modules are kept.
MAX_ENTRIES = 4096
#: At most this many names of modules not served are remembered for the next write.
_MAX_MISSED = 8192
_MAGIC = b"artconv-imports\n"

#: A kept module's record: its source's path, modification time (ns) and size, whether it is a
#: package, its bytecode file's name, where it was searched (each directory or zip file of the
#: search with its modification time, -1: none there), and its code.
Record = tuple[str, int, int, bool, str, tuple[tuple[str, int], ...], "Any"]


def bundle_path() -> str:
    """Where the kept modules are for this interpreter: where the package's bytecode goes."""
    magic = int.from_bytes(_bytecode_magic()[:2], "little")
    name = f"imports.{sys.implementation.cache_tag}.{magic}.opt{sys.flags.optimize}.{_FORMAT}.bin"
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.pycache_prefix:  # as for bytecode files: the package's directory under the prefix
        return os.path.join(sys.pycache_prefix, here.lstrip(os.sep), name)
    return os.path.join(here, "__pycache__", name)


def _bytecode_magic() -> bytes:
    from _frozen_importlib_external import MAGIC_NUMBER

    return bytes(MAGIC_NUMBER)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return -1


class _Loader(SourceFileLoader):
    """The path finder's loader of a source file, whose code comes from the kept file."""

    code: "Any" = None

    def get_code(self, fullname: str) -> "Any":
        code, self.code = self.code, None
        return super().get_code(fullname) if code is None else code  # asked again: as the path finder would


class Served:
    """The finder of the kept modules of one file (see the module's text).

    The file: a header (:data:`_MAGIC`, the bytecode's magic, the index's length), the index
    (``marshal``: the bytecode prefix the records were written under, and each module's name
    with its record's place), then the records (each a :data:`Record` in ``marshal``), read one
    at a time when the module is imported.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.prefix: str | None = None
        #: Each kept module's record: its offset from the first record (times 2**32) plus its length.
        self.index: dict[str, int] = {}
        self.missed: list[str] = []
        self._fd = -1
        self._base = 0
        self._data: bytes | None = None
        self._open()

    def _open(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return
        keep = False
        try:
            head = os.pread(fd, 28, 0)
            if len(head) != 28 or head[:16] != _MAGIC or head[16:20] != _bytecode_magic():
                return
            size = int.from_bytes(head[20:28], "little")
            prefix, index = marshal.loads(os.pread(fd, size, 28))
            if type(index) is not dict:
                return
            self.prefix, self.index, self._base = prefix, index, 28 + size
            if fd > 2:  # kept open: each module's record is read from it
                self._fd, keep = fd, True
            else:  # a standard stream's number (the process started with it closed): read all now
                self._data = os.pread(fd, os.fstat(fd).st_size, 0)
        except Exception:  # damaged, or another layout: none kept
            self.index = {}
        finally:
            if not keep:
                os.close(fd)

    def raw(self, name: str) -> bytes:
        """The record of module ``name`` as kept (``KeyError`` when none is; ``OSError``, ``EOFError``)."""
        place = self.index[name]
        offset, length = self._base + (place >> 32), place & 0xFFFFFFFF
        if self._data is not None:
            data = self._data[offset : offset + length]
        else:
            data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise EOFError(self.path)
        return data

    def record(self, name: str) -> Record | None:
        """The record of module ``name`` (None when none is kept, or it cannot be read)."""
        if name not in self.index:
            return None
        try:
            found = marshal.loads(self.raw(name))
        except Exception:  # unreadable, damaged
            return None
        return found if type(found) is tuple and len(found) == 7 else None

    def close(self) -> None:
        """Stop reading the file (a module not yet imported is then imported as the path finder would)."""
        fd, self._fd, self._data = self._fd, -1, b""
        if fd > 2:
            os.close(fd)

    def find_spec(
        self, fullname: str, path: "Sequence[str] | None" = None, target: object = None
    ) -> "ModuleSpec | None":
        """The spec of a kept module the path finder would find in the same file (else None)."""
        spec = None
        if fullname in self.index and target is None:
            record = self.record(fullname)
            if record is not None:
                spec = self._spec(fullname, path, record)
        if spec is None and len(self.missed) < _MAX_MISSED:
            self.missed.append(fullname)
        return spec

    def _spec(self, fullname: str, path: "Sequence[str] | None", record: Record) -> "ModuleSpec | None":
        origin, mtime, size, package, cached, search, code = record
        if path is None:  # top level: the same path up to its directory, each unchanged
            entries = sys.path
            if len(entries) < len(search):
                return None
            for i, (where, when) in enumerate(search):
                if entries[i] != where or _mtime(where) != when:
                    return None
        elif type(path) is not list or len(path) != 1 or path[0] != search[0][0] or _mtime(path[0]) != search[0][1]:
            return None
        try:
            found = os.stat(origin)
        except (OSError, ValueError):
            return None
        if found.st_mtime_ns != mtime or found.st_size != size:
            return None
        loader = _Loader(fullname, origin)
        loader.code = code
        spec = ModuleSpec(fullname, loader, origin=origin)
        spec.has_location = True
        if package:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        if cached and self.prefix == sys.pycache_prefix:
            spec.cached = cached
        return spec


_SERVED: list[Served] = []


def served() -> Served | None:
    """This process's finder of kept modules (None before :func:`install`)."""
    return _SERVED[0] if _SERVED else None


def install() -> None:
    """Serve the kept modules from now on in this process (once), and note the others imported.

    The command keeps the modules noted (:func:`convert._imports_write.keep_at_exit`).

    The finder goes just before Python's path finder: finders put before it (an import hook
    that rewrites modules, an editable installation's) are asked first, as before.
    """
    if _SERVED or sys.implementation.name != "cpython" or not hasattr(os, "pread"):
        return  # (``os.pread`` reads a record; Windows has none)
    from _frozen_importlib_external import PathFinder

    served = Served(bundle_path())
    _SERVED.append(served)
    if PathFinder in sys.meta_path:  # (else nothing to stand before)
        sys.meta_path.insert(sys.meta_path.index(PathFinder), served)
