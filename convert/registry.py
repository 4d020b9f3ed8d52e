"""Where readers and writers are found.

Readers and writers are registered through the Python entry-point groups
``artconv.readers`` and ``artconv.writers``; artconv's own are declared there
too (see ``pyproject.toml``).  Each entry point names a module attribute that
is a :class:`ReaderSpec` or :class:`WriterSpec`; the module is imported only
when its format is used, so converting to TEI never imports WeasyPrint.

Scanning every installed distribution's entry points is slow on machines with
many packages, so the built-in formats are resolved from :data:`BUILTIN_READERS`
and :data:`BUILTIN_WRITERS` (the same targets as in ``pyproject.toml``; a test
keeps the two in step) and the scan happens only for a name that is not
built-in, for ``--list-formats`` and for ``-t all``.  A third-party entry point
with a built-in name is ignored (built-ins cannot be shadowed by accident).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from .errors import UnknownFormatError
from .ir.model import Article

__all__ = [
    "BUILTIN_READERS",
    "BUILTIN_WRITERS",
    "Options",
    "ReaderSpec",
    "WriterSpec",
    "available_readers",
    "available_writers",
    "get_reader",
    "get_writer",
    "writer_for_extension",
]

READER_GROUP = "artconv.readers"
WRITER_GROUP = "artconv.writers"


#: The closed sets of option values (the command line offers exactly these).
MdFlavor = Literal["pandoc", "gfm", "commonmark"]
Paper = Literal["a4", "letter"]
NotesPlacement = Literal["footnotes", "endnotes"]
PdfVariant = Literal["", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"]


@dataclass(frozen=True)
class Options:
    """Every writer and reader option, typed and documented in one place.

    Writers read only the fields that concern them; third-party writers get
    theirs in ``extra``.
    """

    #: Markdown dialect of the ``md`` writer: ``pandoc`` (default), ``gfm`` or ``commonmark``.
    md_flavor: MdFlavor = "pandoc"
    #: Paper size of the ``pdf`` writer.
    paper: Paper = "a4"
    #: Where the ``pdf`` writer puts notes: at the foot of the page or at the end.
    notes: NotesPlacement = "footnotes"
    #: PDF variant: ``""`` (plain PDF), ``"pdf/a-3b"``, ``"pdf/a-3u"`` or ``"pdf/ua-1"``.
    pdf_variant: PdfVariant = ""
    #: Let renderers fetch remote resources (images, fonts); off by default.
    allow_remote: bool = False
    #: Folder from which local resources may be read (nothing else is readable).
    asset_dir: str = ""
    #: Seconds since the epoch used for every timestamp the writers need
    #: (from ``SOURCE_DATE_EPOCH``); ``None``: derive from the article.
    source_date_epoch: int | None = None
    #: Most characters of text (body and notes) the ``pdf`` writer lays out; a longer article is
    #: refused at once instead of taking minutes and gigabytes (about 350 A4 pages; 0: no limit).
    pdf_max_chars: int = 1_000_000
    #: Options for third-party readers and writers, as name/value pairs.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WriterSpec:
    """A writer: a pure function of (article, options) to bytes, with its facts."""

    #: Format name used on the command line (``-t NAME``).
    name: str
    #: File extension of the output, with the dot.
    extension: str
    #: IANA media type of the output.
    media_type: str
    #: One line for ``--list-formats``.
    description: str
    #: The writer itself.
    render: Callable[[Article, Options], bytes]
    #: Other extensions that select this writer in ``-o FILE``.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReaderSpec:
    """A reader: bytes (and options) to an article."""

    #: Format name used on the command line (``-f NAME``).
    name: str
    #: One line for ``--list-formats``.
    description: str
    #: File extensions this reader claims (with the dot).
    extensions: tuple[str, ...]
    #: The reader itself; raises :class:`~convert.errors.InputError` on bad input.
    read: Callable[[bytes, Options], Article]


#: Built-in readers: name -> "module:attribute" (mirrors pyproject.toml).
BUILTIN_READERS: Mapping[str, str] = {
    "json": "convert.readers.json:READER",
    "tei": "convert.readers.tei:READER",
    "md": "convert.readers.markdown:READER",
    "article": "convert.readers.article:READER",
}

#: Built-in writers: name -> "module:attribute" (mirrors pyproject.toml).
BUILTIN_WRITERS: Mapping[str, str] = {
    "md": "convert.writers.markdown:WRITER",
    "json": "convert.writers.json:WRITER",
    "tei": "convert.writers.tei:WRITER",
    "html": "convert.writers.html:WRITER",
    "epub": "convert.writers.epub:WRITER",
    "pdf": "convert.writers.pdf:WRITER",
}

#: Output extensions of the built-in writers, known without importing them.
BUILTIN_EXTENSIONS: Mapping[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".xml": "tei",
    ".tei": "tei",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".epub": "epub",
    ".pdf": "pdf",
}

_loaded: dict[tuple[str, str], object] = {}
_external: dict[str, dict[str, str]] = {}


def _load(target: str) -> object:
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    obj: object = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _scan(group: str) -> dict[str, str]:
    """Entry points of ``group`` that are not built-in: name -> target (scanned once)."""
    if group not in _external:
        from importlib.metadata import entry_points

        builtin = BUILTIN_READERS if group == READER_GROUP else BUILTIN_WRITERS
        found: dict[str, str] = {}
        for ep in entry_points(group=group):
            if ep.name not in builtin and ep.name not in found:
                found[ep.name] = ep.value
        _external[group] = found
    return _external[group]


def _resolve(group: str, name: str) -> object:
    builtin = BUILTIN_READERS if group == READER_GROUP else BUILTIN_WRITERS
    target = builtin.get(name) or _scan(group).get(name)
    kind = "reader" if group == READER_GROUP else "writer"
    if target is None:
        names = ", ".join(sorted({*builtin, *_scan(group)}))
        direction = "input" if kind == "reader" else "output"
        raise UnknownFormatError(f"unknown {direction} format {name!r} (known: {names})")
    key = (group, name)
    if key not in _loaded:
        try:
            _loaded[key] = _load(target)
        except ImportError as exc:
            raise UnknownFormatError(f"the {name} {kind} cannot be loaded: {exc}") from None
    return _loaded[key]


def get_writer(name: str) -> WriterSpec:
    """The writer registered as ``name`` (imports its module on first use)."""
    spec = _resolve(WRITER_GROUP, name)
    if not isinstance(spec, WriterSpec):
        raise UnknownFormatError(f"entry point for writer {name!r} is not a WriterSpec")
    return spec


def get_reader(name: str) -> ReaderSpec:
    """The reader registered as ``name`` (imports its module on first use)."""
    spec = _resolve(READER_GROUP, name)
    if not isinstance(spec, ReaderSpec):
        raise UnknownFormatError(f"entry point for reader {name!r} is not a ReaderSpec")
    return spec


def available_writers() -> list[str]:
    """Names of all writers: built-in first, then installed plug-ins (scans entry points)."""
    return [*BUILTIN_WRITERS, *sorted(_scan(WRITER_GROUP))]


def available_readers() -> list[str]:
    """Names of all readers: built-in first, then installed plug-ins (scans entry points)."""
    return [*BUILTIN_READERS, *sorted(_scan(READER_GROUP))]


def writer_for_extension(suffix: str) -> str | None:
    """The writer name for an output file extension, or None."""
    suffix = suffix.lower()
    if suffix in BUILTIN_EXTENSIONS:
        return BUILTIN_EXTENSIONS[suffix]
    for name in sorted(_scan(WRITER_GROUP)):
        spec = get_writer(name)
        if suffix == spec.extension or suffix in spec.aliases:
            return name
    return None


def reset_cache() -> None:
    """Forget scanned entry points (for tests that install plug-ins at run time)."""
    _external.clear()
    _loaded.clear()
