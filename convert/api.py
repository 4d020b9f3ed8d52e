"""The library API: :func:`read`, :func:`write`, :func:`convert`, :func:`render`.

Readers and writers are pure; this module does the file I/O.  Outputs are
written to a temporary file in the destination folder and renamed into
place, so an existing file is never replaced by a partial one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, get_args, get_origin, get_type_hints

from .errors import ArtconvError, InputError, OutputError, UsageError
from .ir.model import Article
from .registry import Options, get_reader, get_writer, writer_for_extension

__all__ = ["MAX_INPUT_BYTES", "convert", "make_options", "parse", "read", "render", "write", "write_bytes_atomic"]

#: Largest input artconv accepts (a saved article is kilobytes; this stops runaway inputs).
MAX_INPUT_BYTES = 64 * 1024 * 1024

Source = str | os.PathLike[str] | bytes | IO[bytes]
Destination = str | os.PathLike[str] | IO[bytes]

_OPTION_FIELDS = {f.name for f in dataclasses.fields(Options)}
#: Options whose values form a closed set, from their ``Literal`` types.
_CHOICES: dict[str, tuple[object, ...]] = {
    name: get_args(tp) for name, tp in get_type_hints(Options).items() if get_origin(tp) is Literal
}


def make_options(options: Options | None = None, /, **overrides: Any) -> Options:
    """An :class:`Options` from keyword arguments; ``SOURCE_DATE_EPOCH`` fills the timestamp.

    Unknown names raise :class:`~convert.errors.UsageError`.
    """
    base = options or Options()
    unknown = set(overrides) - _OPTION_FIELDS
    if unknown:
        raise UsageError(f"unknown option(s): {', '.join(sorted(unknown))}")
    if "extra" in overrides and isinstance(overrides["extra"], Mapping):
        overrides["extra"] = tuple(sorted((str(k), str(v)) for k, v in overrides["extra"].items()))
    for name, value in overrides.items():
        choices = _CHOICES.get(name)
        if choices is not None and value not in choices:
            raise UsageError(f"option {name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    result = dataclasses.replace(base, **overrides)
    if result.source_date_epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        raw = os.environ["SOURCE_DATE_EPOCH"].strip()
        try:
            result = dataclasses.replace(result, source_date_epoch=int(raw))
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH must be an integer, got {raw!r}") from None
    return result


def _read_source(src: Source) -> tuple[bytes, str]:
    """(bytes, name for messages) of a path, bytes or binary stream."""
    if isinstance(src, bytes):
        return src, "<bytes>"
    if isinstance(src, str | os.PathLike):
        path = Path(src)
        name = str(src)
        if name == "-":
            return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1), "<stdin>"
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
    data = src.read(MAX_INPUT_BYTES + 1)
    if not isinstance(data, bytes):
        raise UsageError("read() needs a binary stream (open the file with 'rb')")
    return data, getattr(src, "name", "<stream>")


def read(src: Source, format: str | None = None, **options: Any) -> Article:
    """Read an article from a path, ``"-"`` (stdin), bytes or a binary stream.

    ``format`` names a reader (``article``, ``md``, ``json``, ``tei``, or a
    plug-in); by default it is recognised from the content and the extension.
    Raises :class:`~convert.errors.InputError` naming the file on bad input.
    """
    data, name = _read_source(src)
    try:
        return parse(data, "" if name.startswith("<") else name, format, make_options(**options))
    except ArtconvError as exc:
        raise exc.with_path(name) from None


def parse(data: bytes, name: str = "", format: str | None = None, options: Options | None = None) -> Article:
    """The article in ``data`` (bytes already read); ``name``'s extension helps recognise the format.

    Raises :class:`~convert.errors.InputError` (without a path: the caller knows it).
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        raise InputError("empty input")
    if format is None:
        from .readers.detect import detect_format

        format = detect_format(data, Path(name).suffix if name else "")
    try:
        return get_reader(format).read(data, options or Options())
    except RecursionError:
        raise InputError("too deeply nested") from None


def render(article: Article, format: str, **options: Any) -> bytes:
    """The bytes of ``article`` in ``format`` (no file is touched)."""
    writer = get_writer(format)
    return writer.render(article, make_options(**options))


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    import tempfile  # not at start-up: writing to stdout does not need it

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(exc.strerror or str(exc), path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(exc.strerror or str(exc), path=str(path)) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _format_for(dst: Destination, format: str | None) -> str:
    if format is not None:
        return format
    if isinstance(dst, str | os.PathLike) and str(dst) != "-":
        found = writer_for_extension(Path(dst).suffix)
        if found:
            return found
        raise UsageError(f"cannot tell the output format from {str(dst)!r}: give format= (or -t)")
    raise UsageError("writing to a stream needs a format= (or -t)")


def write(article: Article, dst: Destination, format: str | None = None, **options: Any) -> None:
    """Write ``article`` to a path (atomically), ``"-"`` (stdout) or a binary stream.

    ``format`` defaults to the one the file extension implies.
    """
    fmt = _format_for(dst, format)
    data = render(article, fmt, **options)
    if isinstance(dst, str | os.PathLike):
        if str(dst) == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_bytes_atomic(data, dst)
    else:
        stream: BinaryIO = dst  # type: ignore[assignment]
        stream.write(data)


def convert(
    src: Source,
    dst: Destination,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    **options: Any,
) -> Article:
    """Read ``src`` and write it to ``dst``; returns the article that was converted."""
    article = read(src, from_format, **options)
    write(article, dst, to_format, **options)
    return article
