"""Writing output files safely: the one place that replaces a file.

:func:`replace_file` is the primitive: the bytes go to a temporary file in the
target's folder, which is then renamed over the target, so a reader never sees
a partial file; the temporary file is removed on any failure.  :func:`write_file`
is the policy of ``artconv`` and :func:`convert.write` on top of it (links,
FIFOs, devices, open descriptors, a replaced file's mode and owner); ``artconv
batch`` uses :func:`replace_file` directly, with its own temporary names.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from typing import IO

from .errors import OutputError

__all__ = ["replace_file", "write_file"]

#: Paths that name an open file descriptor: written to as they are, never replaced (what
#: :func:`_is_descriptor_path` accepts, written as a pattern: a test keeps the two in step).
_FD_PATH = r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|thread-self|\d+)/fd/\d+"


def _is_descriptor_path(path: str) -> bool:
    """Whether ``path`` matches :data:`_FD_PATH` (``str.isdecimal`` is ``\\d``: Unicode's decimal digits).

    Checked without compiling the pattern, which took a tenth of a millisecond of every start-up.
    """
    if path in ("/dev/stdout", "/dev/stderr"):
        return True
    if path.startswith("/dev/fd/"):
        return path[8:].isdecimal()
    if not path.startswith("/proc/"):
        return False
    parts = path[6:].split("/")
    return (
        len(parts) == 3
        and (parts[0] in ("self", "thread-self") or parts[0].isdecimal())
        and parts[1] == "fd"
        and parts[2].isdecimal()
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_file(
    target: str,
    data: bytes | Callable[[IO[bytes]], None],
    *,
    tmp: str | None = None,
    durable: bool = True,
    previous: os.stat_result | None = None,
) -> None:
    """Write ``data`` (bytes, or a function writing to the open file) to a temporary file, rename it over ``target``.

    ``tmp``: the temporary file's name (default: a new ``.NAME.XXXX.part`` beside
    ``target``); ``durable``: fsync it before the rename; ``previous``: the stat of
    the file replaced, whose mode and owner the new one keeps (when its owner
    cannot be given to the new file, not being root, the file is rewritten in
    place instead, so that it stays its owner's).  Raises :class:`OSError`.
    """
    if tmp is None:
        fd, tmp = _new_temporary(target)
        fix_mode = True
    else:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        fix_mode = False
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                data(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if previous is None:
            if fix_mode:  # mkstemp made it private
                os.chmod(tmp, 0o666 & ~_umask())
        else:
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != (previous.st_uid, previous.st_gid):
                try:
                    os.chown(tmp, previous.st_uid, previous.st_gid)
                except PermissionError:
                    os.unlink(tmp)
                    if isinstance(data, bytes):
                        _write_through(data, target, os.O_TRUNC)
                        return
                    raise
            os.chmod(tmp, stat.S_IMODE(previous.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _new_temporary(target: str) -> tuple[int, str]:
    """A new private file ``.NAME.XXXXXXXX.part`` beside ``target``, open for writing (as ``mkstemp`` makes it).

    (Made here rather than with :mod:`tempfile`, whose import costs a single conversion 2 % of its time.)
    """
    folder = os.path.dirname(target) or "."
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = os.path.join(folder, f".{os.path.basename(target)}.{os.urandom(6).hex()}.part")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused temporary name beside {target}")


def _names_open_descriptor(path: str) -> bool:
    """Whether ``path`` is, or links to, ``/dev/stdout``, ``/dev/fd/N`` or ``/proc/.../fd/N``."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if _is_descriptor_path(current):
            return True
        try:
            link = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return False


def _write_through(data: bytes, path: str, flags: int) -> None:
    """Write ``data`` to the file ``path`` opens (a FIFO, a device, an open descriptor): no rename."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | flags)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write_file(data: bytes, name: str) -> None:
    """Write ``data`` to the path ``name``, never leaving a partial file nor replacing what is not a file.

    - a regular file (or a new one) is replaced through :func:`replace_file`, fsynced,
      keeping its mode and owner;
    - a symbolic link stays a link: its final target is written that way;
    - a FIFO, a device, or a path naming an open descriptor (``/dev/stdout``,
      ``/dev/fd/N``) is written to directly, without a rename.

    Raises :class:`~convert.errors.OutputError` naming ``name``.
    """
    try:
        if _names_open_descriptor(name):
            _write_through(data, name, os.O_APPEND)
            return
        parent = os.path.dirname(name)
        if parent:
            os.makedirs(parent, exist_ok=True)
        target = os.path.realpath(name)  # a link's final target (a dangling one's too)
        try:
            previous: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            previous = None
        if previous is not None and stat.S_ISDIR(previous.st_mode):
            raise OutputError("is a directory", path=name)
        if previous is not None and not stat.S_ISREG(previous.st_mode):
            _write_through(data, target, 0)
        else:
            replace_file(target, data, previous=previous)
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc), path=name) from None
