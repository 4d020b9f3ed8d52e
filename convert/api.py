"""The library API: :func:`read`, :func:`write`, :func:`convert`, :func:`render`.

Readers and writers are pure; this module does the file I/O (see
:func:`write_bytes_atomic` for how outputs are written).  Every public function
checks the types of its arguments and raises :class:`~convert.errors.UsageError`
(one line) when one is wrong.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import stat
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal, Union, get_args, get_origin, get_type_hints

from .errors import ArtconvError, InputError, OutputError, UsageError
from .ir.model import Article
from .registry import Options, get_reader, get_writer, writer_for_extension

__all__ = ["MAX_INPUT_BYTES", "convert", "make_options", "parse", "read", "render", "write", "write_bytes_atomic"]

#: Largest input artconv accepts (a saved article is kilobytes; this stops runaway inputs).
MAX_INPUT_BYTES = 64 * 1024 * 1024

Source = str | os.PathLike[str] | bytes | IO[bytes]
Destination = str | os.PathLike[str] | IO[bytes]

_OPTION_FIELDS = {f.name for f in dataclasses.fields(Options)}
_OPTION_TYPES: dict[str, Any] = get_type_hints(Options)
#: Options whose values form a closed set, from their ``Literal`` types.
_CHOICES: dict[str, tuple[object, ...]] = {
    name: get_args(tp) for name, tp in _OPTION_TYPES.items() if get_origin(tp) is Literal
}

#: Paths that name an open file descriptor: written to as they are, never replaced.
_FD_PATH = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|thread-self|\d+)/fd/\d+")

_BINARY_STREAM_HINT = "a binary stream (io.BytesIO, or a file opened with 'wb')"


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _check_format(value: object, what: str) -> str | None:
    """``value`` if it is a format name or None."""
    if value is None or (isinstance(value, str) and value):
        return value
    raise UsageError(f"{what} must be a format name (a non-empty str) or None, not {_kind(value)}")


def _check_article(value: object, function: str) -> Article:
    if not isinstance(value, Article):
        raise UsageError(f"{function}() needs a convert.Article (from convert.read), not {_kind(value)}")
    return value


def _check_path(value: object, function: str) -> str:
    """The path ``value`` names, as a str."""
    if isinstance(value, str | os.PathLike):
        path = os.fspath(value)
        if isinstance(path, str) and path:
            return path
        if isinstance(path, str):
            raise UsageError(f"{function}() needs a path, not an empty string")
    raise UsageError(f"{function}() needs a path (str or os.PathLike), not {_kind(value)}")


def _bytes_like(value: object) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return None


def _describe(hint: object) -> str:
    return hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")


def _matches(value: object, hint: object) -> bool:
    """Whether ``value`` has the type ``hint`` (the kinds of types :class:`Options` uses)."""
    origin = get_origin(hint)
    if hint is None or hint is type(None):
        return value is None
    if origin is Literal:
        return any(value == choice and type(value) is type(choice) for choice in get_args(hint))
    if origin is Union or origin is types.UnionType:
        return any(_matches(value, arg) for arg in get_args(hint))
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_matches(item, args[0]) for item in value)
        return len(args) == len(value) and all(_matches(item, arg) for item, arg in zip(value, args, strict=True))
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a kind of type this check does not know: the writer checks it


def _coerce_option(name: str, value: object) -> object:
    """``value`` for the option ``name``, converted where the meaning is unambiguous, else checked."""
    hint = _OPTION_TYPES.get(name)
    if name == "extra":
        if isinstance(value, Mapping):
            value = tuple(sorted((str(k), str(v)) for k, v in value.items()))
        elif isinstance(value, list | tuple):
            value = tuple(tuple(pair) if isinstance(pair, list | tuple) else pair for pair in value)
    elif hint is str and isinstance(value, os.PathLike):
        value = os.fspath(value)
    choices = _CHOICES.get(name)
    if choices is not None:
        if not _matches(value, hint):
            raise UsageError(f"option {name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    elif hint is not None and not _matches(value, hint):
        raise UsageError(f"option {name} must be {_describe(hint)}, got {_kind(value)} {value!r}"[:300])
    return value


def make_options(options: Options | None = None, /, **overrides: Any) -> Options:
    """An :class:`Options` from keyword arguments; ``SOURCE_DATE_EPOCH`` fills the timestamp.

    Unknown names, and values of the wrong type, raise :class:`~convert.errors.UsageError`.
    """
    if options is not None and not isinstance(options, Options):
        raise UsageError(f"make_options() takes a convert.Options or None, not {_kind(options)}")
    base = options or Options()
    unknown = set(overrides) - _OPTION_FIELDS
    if unknown:
        raise UsageError(f"unknown option(s): {', '.join(sorted(unknown))}")
    checked: dict[str, Any] = {name: _coerce_option(name, value) for name, value in overrides.items()}
    result = dataclasses.replace(base, **checked)
    if result.source_date_epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        raw = os.environ["SOURCE_DATE_EPOCH"].strip()
        try:
            result = dataclasses.replace(result, source_date_epoch=int(raw))
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH must be an integer, got {raw!r}") from None
    return result


def _read_stdin() -> bytes:
    stdin = sys.stdin
    if stdin is None:
        raise InputError("standard input is closed", path="<stdin>")
    stream = getattr(stdin, "buffer", stdin)
    try:
        data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path="<stdin>") from None
    if not isinstance(data, bytes):
        raise InputError("standard input gives text, not bytes", path="<stdin>")
    return data


def _read_source(src: object) -> tuple[bytes, str]:
    """(bytes, name for messages) of a path, bytes or binary stream."""
    data = _bytes_like(src)
    if data is not None:
        return data, "<bytes>"
    if isinstance(src, str | os.PathLike):
        name = _check_path(src, "read")
        if name == "-":
            return _read_stdin(), "<stdin>"
        path = Path(name)
        try:
            if path.is_dir():
                raise InputError("is a directory", path=name)
            with path.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise InputError("no such file", path=name) from None
        except PermissionError:
            raise InputError("permission denied", path=name) from None
        except OSError as exc:
            raise InputError(exc.strerror or str(exc), path=name) from None
        return data, name
    if isinstance(src, io.TextIOBase):
        raise UsageError("read() needs a binary stream (io.BytesIO, or a file opened with 'rb'), not a text stream")
    read_method = getattr(src, "read", None)
    if not callable(read_method):
        raise UsageError(f"read() reads a path, '-' (stdin), bytes or a binary stream, not {_kind(src)}")
    data = read_method(MAX_INPUT_BYTES + 1)
    if not isinstance(data, bytes):
        raise UsageError("read() needs a binary stream (open the file with 'rb'), not a text stream")
    return data, str(getattr(src, "name", "<stream>"))


def read(src: Source, format: str | None = None, **options: Any) -> Article:
    """Read an article from a path, ``"-"`` (stdin), bytes or a binary stream.

    ``format`` names a reader (``article``, ``md``, ``json``, ``tei``, or a
    plug-in); by default it is recognised from the content and the extension.
    Raises :class:`~convert.errors.InputError` naming the file on bad input.
    """
    _check_format(format, "read()'s format")
    opts = make_options(**options)
    data, name = _read_source(src)
    try:
        return parse(data, "" if name.startswith("<") else name, format, opts)
    except ArtconvError as exc:
        raise exc.with_path(name) from None


def parse(data: bytes, name: str = "", format: str | None = None, options: Options | None = None) -> Article:
    """The article in ``data`` (bytes already read); ``name``'s extension helps recognise the format.

    Raises :class:`~convert.errors.InputError` (without a path: the caller knows it).
    """
    raw = _bytes_like(data)
    if raw is None:
        if isinstance(data, str):
            raise UsageError("parse() takes bytes, not str: pass text.encode(), or read() a path")
        raise UsageError(f"parse() takes bytes, not {_kind(data)}")
    if isinstance(name, os.PathLike):
        name = os.fspath(name)
    if not isinstance(name, str):
        raise UsageError(f"parse()'s name must be a str (a file name), not {_kind(name)}")
    _check_format(format, "parse()'s format")
    if options is not None and not isinstance(options, Options):
        raise UsageError(f"parse()'s options must be a convert.Options (see make_options), not {_kind(options)}")
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    if not raw.strip():
        raise InputError("empty input")
    if format is None:
        from .readers.detect import detect_format

        format = detect_format(raw, Path(name).suffix if name else "")
    try:
        return get_reader(format).read(raw, options or Options())
    except RecursionError:
        raise InputError("too deeply nested") from None


def render(article: Article, format: str, **options: Any) -> bytes:
    """The bytes of ``article`` in ``format`` (no file is touched)."""
    _check_article(article, "render")
    if _check_format(format, "render()'s format") is None:
        raise UsageError("render() needs a format name, not None")
    writer = get_writer(format)
    return writer.render(article, make_options(**options))


def _names_open_descriptor(path: str) -> bool:
    """Whether ``path`` is, or links to, ``/dev/stdout``, ``/dev/fd/N`` or ``/proc/.../fd/N``."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if _FD_PATH.fullmatch(current):
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


def _replace_atomically(data: bytes, target: str, previous: os.stat_result | None) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it over ``target``.

    A replaced file keeps its mode and owner; when its owner cannot be given to the new
    file (not root), the file is rewritten in place instead, so that it stays its owner's.
    """
    import tempfile  # not at start-up: writing to stdout does not need it

    folder = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if previous is None:
            os.chmod(tmp, 0o666 & ~_umask())
        else:
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != (previous.st_uid, previous.st_gid):
                try:
                    os.chown(tmp, previous.st_uid, previous.st_gid)
                except PermissionError:
                    os.unlink(tmp)
                    _write_through(data, target, os.O_TRUNC)
                    return
            os.chmod(tmp, stat.S_IMODE(previous.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to ``path``, never leaving a partial file nor replacing what is not a file.

    - a regular file (or a new one) is written to a temporary file in its folder, then
      renamed over it; a replaced file keeps its mode and owner;
    - a symbolic link stays a link: its final target is written that way;
    - a FIFO, a device, or a path naming an open descriptor (``/dev/stdout``,
      ``/dev/fd/N``) is written to directly, without a rename.
    """
    raw = _bytes_like(data)
    if raw is None:
        raise UsageError(f"write_bytes_atomic() takes bytes, not {_kind(data)}")
    name = _check_path(path, "write_bytes_atomic")
    try:
        if _names_open_descriptor(name):
            _write_through(raw, name, os.O_APPEND)
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
            _write_through(raw, target, 0)
        else:
            _replace_atomically(raw, target, previous)
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc), path=name) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_destination(dst: object) -> None:
    if isinstance(dst, str | os.PathLike):
        _check_path(dst, "write")
        return
    if isinstance(dst, io.TextIOBase):
        raise UsageError(f"write() needs {_BINARY_STREAM_HINT}, not a text stream")
    if not callable(getattr(dst, "write", None)):
        raise UsageError(f"write() writes to a path, '-' (stdout) or {_BINARY_STREAM_HINT}, not {_kind(dst)}")


def _format_for(dst: Destination, format: str | None) -> str:
    if format is not None:
        return format
    if isinstance(dst, str | os.PathLike) and os.fspath(dst) != "-":
        found = writer_for_extension(Path(dst).suffix)
        if found:
            return found
        raise UsageError(f"cannot tell the output format from {os.fspath(dst)!r}: give format= (or -t)")
    raise UsageError("writing to a stream needs a format= (or -t)")


def _write_stdout(data: bytes) -> None:
    """``data`` to standard output; a reader gone away raises :class:`BrokenPipeError`."""
    stdout = sys.stdout
    if stdout is None:
        raise OutputError("standard output is closed", path="<stdout>")
    stream = getattr(stdout, "buffer", None)
    if stream is None:
        raise OutputError("standard output takes no bytes (it is a text stream)", path="<stdout>")
    try:
        stdout.flush()
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc), path="<stdout>") from None


def write(article: Article, dst: Destination, format: str | None = None, **options: Any) -> None:
    """Write ``article`` to a path (see :func:`write_bytes_atomic`), ``"-"`` (stdout) or a binary stream.

    ``format`` defaults to the one the file extension implies.
    """
    _check_article(article, "write")
    _check_destination(dst)
    fmt = _format_for(dst, _check_format(format, "write()'s format"))
    data = render(article, fmt, **options)
    if isinstance(dst, str | os.PathLike):
        if os.fspath(dst) == "-":
            _write_stdout(data)
        else:
            write_bytes_atomic(data, dst)
        return
    try:
        dst.write(data)
    except TypeError:
        raise UsageError(f"write() needs {_BINARY_STREAM_HINT}: this stream takes text") from None


def convert(
    src: Source,
    dst: Destination,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    **options: Any,
) -> Article:
    """Read ``src`` and write it to ``dst``; returns the article that was converted."""
    _check_format(from_format, "convert()'s from_format")
    _check_format(to_format, "convert()'s to_format")
    _check_destination(dst)
    article = read(src, from_format, **options)
    write(article, dst, to_format, **options)
    return article
