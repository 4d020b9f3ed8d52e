"""The library API: :func:`read`, :func:`write`, :func:`convert`, :func:`render`.

Readers and writers are pure; this module does the file I/O (see
:func:`write_bytes_atomic` for how outputs are written).  Every public function
checks the types of its arguments and raises :class:`~convert.errors.UsageError`
(one line) when one is wrong.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal, Union, get_args, get_origin

from ._collector import collection_paused
from .errors import ArtconvError, InputError, OutputError, UsageError
from .ir.model import Article
from .options import Option, Options, declared_options
from .origin import _MEDIA_READERS, Origin, _fetch, _is_url, _with_origin
from .registry import get_reader, get_writer, writer_for_extension

__all__ = [
    "MAX_INPUT_BYTES", "Origin", "convert", "make_options", "parse", "read", "render", "write", "write_bytes_atomic",
]  # fmt: skip

#: Largest input artconv accepts (a saved article is kilobytes; this stops runaway inputs).
MAX_INPUT_BYTES = 64 * 1024 * 1024

Source = str | os.PathLike[str] | bytes | IO[bytes]

Destination = str | os.PathLike[str] | IO[bytes]

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


def _coerce_option(opt: Option, value: object) -> object:
    """``value`` for the option ``opt``, converted where the meaning is unambiguous, else checked."""
    name, hint = opt.name, opt.hint
    if name == "metadata":
        value = _metadata_pairs(value)
    elif name == "extra":
        if isinstance(value, Mapping):
            value = tuple(sorted((str(k), str(v)) for k, v in value.items()))
        elif isinstance(value, list | tuple):
            value = tuple(tuple(pair) if isinstance(pair, list | tuple) else pair for pair in value)
    elif hint is str and isinstance(value, os.PathLike):
        value = os.fspath(value)
    if opt.choices:
        if not _matches(value, hint):
            raise UsageError(f"option {name} must be one of {', '.join(map(repr, opt.choices))}, got {value!r}")
    elif not _matches(value, hint):
        raise UsageError(f"option {name} must be {_describe(hint)}, got {_kind(value)} {value!r}"[:300])
    if name == "lang" and isinstance(value, str):
        return _language_tag(value)
    if name == "metadata" and value:
        _check_overrides(_override_data(typing.cast(tuple[tuple[str, str], ...], value)), "")
    if name == "metadata_file" and isinstance(value, str) and value:
        _check_overrides(_metadata_file(value), f"metadata file {value}")
    if name == "encoding" and isinstance(value, str) and value:
        from .readers._text import check_encoding

        return check_encoding(value)
    return value


# --------------------------------------------------------------------------- metadata overrides


def _yaml_text(value: object) -> str:
    """A value given in Python (``metadata={"title": ...}``) as the YAML text ``-M`` would give."""
    import datetime as _dt
    import json

    if isinstance(value, _dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=lambda v: v.isoformat() if isinstance(v, _dt.date) else str(v))


def _metadata_pairs(value: object) -> object:
    """The ``metadata`` option as (key, YAML text) pairs: from a mapping of Python values, or pairs.

    A list value gives one pair a value, as a repeated ``-M`` key does.
    """
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, item in value.items():
            items = item if isinstance(item, list | tuple) else [item]
            pairs.extend((str(key), _yaml_text(v)) for v in items)
        return tuple(pairs)
    if isinstance(value, list | tuple):
        return tuple(tuple(pair) if isinstance(pair, list | tuple) else pair for pair in value)
    return value


#: Keys whose value may be a mapping (``-M 'subject={region: [Asia]}'``); any other value is text, a date or a list.
_MAPPING_KEYS = ("subject", "copyright")


def _override_data(pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """The front-matter data of ``-M`` pairs: each value read as YAML, a repeated key's values as a list.

    A value YAML reads as neither text, a date, a list nor (for a few keys) a mapping
    (``yes``, ``1.10``, ``A: B``, malformed YAML) is kept as the text given.
    """
    import datetime as _dt

    import yaml

    data: dict[str, Any] = {}
    for key, text in pairs:
        try:
            value: Any = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            value = text.strip()
        if not isinstance(value, str | list | _dt.date) and not (isinstance(value, dict) and key in _MAPPING_KEYS):
            value = text.strip()
        if key in data:  # a repeated key: a list of its values
            before = data[key] if isinstance(data[key], list) else [data[key]]
            data[key] = before + (value if isinstance(value, list) else [value])
        else:
            data[key] = value
    return data


def _metadata_file(path: str) -> dict[str, Any]:
    """The mapping of a YAML or JSON metadata file; :class:`UsageError` when it cannot be read or is not one."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"metadata file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"metadata file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UsageError(f"metadata file {path}{where}: {getattr(exc, 'problem', None) or 'malformed YAML'}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"metadata file {path}: must be a mapping of metadata keys, not {_kind(data)}")
    return {str(k): v for k, v in data.items()}


def _check_overrides(data: Mapping[str, Any], what: str) -> None:
    """:class:`UsageError` naming the key or value of ``data`` that sets no metadata field."""
    from .ir.crosswalk import override_metadata
    from .ir.model import Metadata

    try:
        override_metadata(Metadata(), data)
    except InputError as exc:
        raise UsageError((f"{what}: " if what else "") + exc.message) from None


def _overridden(article: Article, options: Options) -> Article:
    """``article`` with the metadata of ``options.metadata_file``, then of ``options.metadata``, over its own."""
    from .ir.crosswalk import override_metadata

    data = _metadata_file(options.metadata_file) if options.metadata_file else {}
    data.update(_override_data(options.metadata))
    try:
        metadata = override_metadata(article.metadata, data)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    return dataclasses.replace(article, metadata=metadata) if metadata is not article.metadata else article


def _language_tag(value: str) -> str:
    """The ``lang`` option's tag in canonical case; :class:`UsageError` if it is not a BCP 47 tag."""
    from .lang import normalize_tag

    try:
        return normalize_tag(value)
    except ValueError:
        hint = "a BCP 47 language tag such as ar, fa or pt-BR"
        raise UsageError(f"option lang must be {hint}, got {value!r}"[:300]) from None


def make_options(options: Options | None = None, /, **overrides: Any) -> Options:
    """An :class:`Options` from keyword arguments; ``SOURCE_DATE_EPOCH`` fills the timestamp.

    Unknown names, and values of the wrong type, raise :class:`~convert.errors.UsageError`.
    """
    if options is not None and not isinstance(options, Options):
        raise UsageError(f"make_options() takes a convert.Options or None, not {_kind(options)}")
    base = options or Options()
    declared = {opt.name: opt for opt in declared_options()}
    unknown = set(overrides) - set(declared)
    if unknown:
        raise UsageError(f"unknown option(s): {', '.join(sorted(unknown))}")
    checked: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, value in overrides.items():
        opt = declared[name]
        if opt.is_field:
            checked[name] = _coerce_option(opt, value)
        else:  # a third-party writer's option: to Options.extra, as text
            coerced = _coerce_option(opt, value)
            extra[name] = str(coerced).lower() if isinstance(coerced, bool) else str(coerced)
    result = dataclasses.replace(base, **checked)
    if extra:
        merged = {**dict(result.extra), **extra}
        result = dataclasses.replace(result, extra=tuple(sorted(merged.items())))
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
    if _is_url(src):
        assert isinstance(src, str)
        data, origin = _fetch(src, opts, MAX_INPUT_BYTES)
        try:
            return parse(data, "", format, opts, origin=origin)
        except ArtconvError as exc:
            raise exc.with_path(src) from None
    data, name = _read_source(src)
    try:
        return parse(data, "" if name.startswith("<") else name, format, opts)
    except ArtconvError as exc:
        raise exc.with_path(name) from None


def parse(
    data: bytes,
    name: str = "",
    format: str | None = None,
    options: Options | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    origin: Origin | None = None,
) -> Article:
    """The article in ``data`` (bytes already read); ``name``'s extension helps recognise the format.

    ``origin`` says where bytes that are not a file came from (a URL, a web archive's record):
    its media type helps recognise the format, a web page's links are resolved against its URL,
    which is the source URL when the article names none, and its date is the retrieval date.

    ``metadata`` (front-matter keys and values: ``{"title": ..., "date": "2021-02"}``) is set over
    what the reader found, after ``options.metadata_file`` and ``options.metadata`` (its keys win).

    Its images are read into ``Article.assets`` (:mod:`convert.assets`): relative ones from
    the folder of the file ``name`` names (from none without a name) and from ``asset_dir``.

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
    if metadata is not None:
        if not isinstance(metadata, Mapping):
            raise UsageError(f"parse()'s metadata must be a mapping of metadata keys, not {_kind(metadata)}")
        base = options or Options()
        given = _metadata_pairs(metadata)
        assert isinstance(given, tuple)
        kept = tuple(pair for pair in base.metadata if pair[0] not in {key for key, _ in given})
        options = make_options(base, metadata=kept + given)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    if not raw.strip():
        raise InputError("empty input")
    if format is None and origin is not None and origin.media_type in _MEDIA_READERS:
        format = _MEDIA_READERS[origin.media_type]
    if format is None:
        from .readers.detect import detect_format

        format = detect_format(raw, Path(name).suffix if name else "", encoding=options.encoding if options else "")
    options = options or Options()
    language = _language_tag(options.lang) if options.lang else ""
    try:
        with collection_paused():
            if origin is not None and format == "html":
                from .readers.html import read_html

                article = read_html(raw, url=origin.url, charset=origin.charset)
            else:
                article = get_reader(format).read(raw, options)
    except RecursionError:
        raise InputError("too deeply nested") from None
    if origin is not None:
        article = _with_origin(article, origin)
    if options.metadata or options.metadata_file:  # the metadata options override the reader's
        article = _overridden(article, options)
    if language and article.metadata.language != language:  # the lang option overrides the reader's
        article = dataclasses.replace(article, metadata=dataclasses.replace(article.metadata, language=language))
    from .assets import load_assets  # every reader's images, relative to the file ``name`` names

    return load_assets(article, base=os.path.dirname(os.path.abspath(name)) if name else None, options=options)


def render(article: Article, format: str, **options: Any) -> bytes:
    """The bytes of ``article`` in ``format`` (no file is touched)."""
    _check_article(article, "render")
    if _check_format(format, "render()'s format") is None:
        raise UsageError("render() needs a format name, not None")
    writer = get_writer(format)
    return writer.render(article, make_options(**options))


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> None:
    """Write ``data`` to ``path``, never leaving a partial file nor replacing what is not a file.

    - a regular file (or a new one) is written to a temporary file in its folder, then
      renamed over it; a replaced file keeps its mode and owner;
    - a symbolic link stays a link: its final target is written that way;
    - a FIFO, a device, or a path naming an open descriptor (``/dev/stdout``,
      ``/dev/fd/N``) is written to directly, without a rename.

    (:func:`convert.files.write_file`, with its arguments checked.)
    """
    raw = _bytes_like(data)
    if raw is None:
        raise UsageError(f"write_bytes_atomic() takes bytes, not {_kind(data)}")
    from .files import write_file  # not at start-up: writing to stdout does not need it

    write_file(raw, _check_path(path, "write_bytes_atomic"))


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

    ``format`` defaults to the one the file extension implies.  ``cover`` (an
    image file not among the article's images) is read here, and the files of
    ``extract_media`` are written here, named relative to the page.
    """
    _check_article(article, "write")
    _check_destination(dst)
    fmt = _format_for(dst, _check_format(format, "write()'s format"))
    opts = make_options(**options)
    media = _media_options(fmt, opts)
    if "cover" in media:
        from .html.media import with_cover

        article = with_cover(article, opts.cover)
    name_as = None
    if "extract_media" in media and isinstance(dst, str | os.PathLike) and os.fspath(dst) != "-":
        name_as = os.path.relpath(opts.extract_media, os.path.dirname(os.path.abspath(dst)))
        options = {**options, "extract_media": name_as}
    data = render(article, fmt, **options)
    if "extract_media" in media:
        from .html.media import write_media

        write_media(article, opts.extract_media, name_as)
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


def _media_options(fmt: str, opts: Options) -> set[str]:
    """Which of ``cover`` and ``extract_media`` are given and read by the writer of ``fmt``."""
    from .options import writer_option_names

    names = writer_option_names(get_writer(fmt).name)
    return {name for name in ("cover", "extract_media") if getattr(opts, name) and name in names}


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
