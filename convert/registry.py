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

A format's facts (extensions, other ``-t`` names, binary or text, media type,
the options it reads) are fields of its spec.  For the built-in formats they are
also known without importing any writer or reader, from
:data:`BUILTIN_WRITER_FACTS` and :data:`BUILTIN_READER_FACTS` (a test keeps them
equal to the modules' specs): the command line, batch, format detection and
output naming read them there (:func:`writer_facts`, :func:`reader_for_extension`,
:func:`input_stem`).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from typing import NamedTuple

from .errors import UnknownFormatError
from .ir._record import record
from .ir.model import Article
from .options import MdFlavor, NotesPlacement, Options, Paper, PdfVariant, writer_option_names

__all__ = [
    "BUILTIN_READERS",
    "BUILTIN_READER_FACTS",
    "BUILTIN_WRITERS",
    "BUILTIN_WRITER_FACTS",
    "MdFlavor",
    "NotesPlacement",
    "Options",
    "Paper",
    "PdfVariant",
    "ReaderFacts",
    "ReaderSpec",
    "WriterFacts",
    "WriterSpec",
    "available_readers",
    "available_writers",
    "get_reader",
    "get_writer",
    "input_stem",
    "reader_for_extension",
    "reader_name",
    "writer_facts",
    "writer_for_extension",
    "writer_name",
]

READER_GROUP = "artconv.readers"
WRITER_GROUP = "artconv.writers"


class WriterFacts(NamedTuple):
    """What the command line, batch and the API know of a writer without importing it.

    (A named tuple rather than a dataclass: a fraction of the cost at start-up.)
    """

    #: Format name used on the command line (``-t NAME``).
    name: str
    #: File extension of the output, with the dot.
    extension: str
    #: IANA media type of the output.
    media_type: str
    #: Other extensions that select this writer in ``-o FILE``.
    aliases: tuple[str, ...] = ()
    #: Other names ``-t`` accepts for it.
    names: tuple[str, ...] = ()
    #: Whether the output is binary (never sent to a terminal).
    binary: bool = False
    #: Names of the options it reads (see :mod:`convert.options`).
    options: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every extension that selects this writer, its own first."""
        return (self.extension, *self.aliases)


def _is_textual(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type.endswith(("+xml", "/xml", "/json", "+json"))


@record  # a frozen dataclass (see convert.ir._record: cheaper at start-up)
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
    #: Other names ``-t`` accepts for it.
    names: tuple[str, ...] = ()
    #: Whether the output is binary; None: judged from the media type (``text/*``, XML and JSON are text).
    binary: bool | None = None
    #: Names of the options it reads; None: those whose declaration names this writer.
    options: tuple[str, ...] | None = None

    def facts(self) -> WriterFacts:
        """Its facts, the defaults resolved."""
        return WriterFacts(
            name=self.name,
            extension=self.extension,
            media_type=self.media_type,
            aliases=self.aliases,
            names=self.names,
            binary=not _is_textual(self.media_type) if self.binary is None else self.binary,
            options=writer_option_names(self.name) if self.options is None else self.options,
        )


class ReaderFacts(NamedTuple):
    """What detection and output naming know of a reader without importing it."""

    #: Format name used on the command line (``-f NAME``).
    name: str
    #: File extensions this reader claims (with the dot).
    extensions: tuple[str, ...]
    #: Whether a file with one of these extensions is this format whatever its content.
    decisive: bool = False
    #: Other names ``-f`` accepts for it (a built-in reader: those of its format's writer, ``-f markdown``).
    names: tuple[str, ...] = ()


@record  # a frozen dataclass
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
    #: Whether a file with one of ``extensions`` is this format whatever its content.
    decisive: bool = False

    def facts(self) -> ReaderFacts:
        """Its facts; a built-in reader's other names are the registry's (:data:`BUILTIN_READER_FACTS`)."""
        known = BUILTIN_READER_FACTS.get(self.name)
        return ReaderFacts(self.name, self.extensions, self.decisive, known.names if known else ())


#: Built-in readers: name -> "module:attribute" (mirrors pyproject.toml).
BUILTIN_READERS: Mapping[str, str] = {
    "json": "convert.readers.json:READER",
    "tei": "convert.readers.tei:READER",
    "md": "convert.readers.markdown:READER",
    "article": "convert.readers.article:READER",
    "html": "convert.readers.html:READER",
    # through pandoc (convert.pandoc): -f pandoc:FORMAT reaches any other pandoc reader
    "docx": "convert.readers.pandoc:DOCX",
    "odt": "convert.readers.pandoc:ODT",
    "rst": "convert.readers.pandoc:RST",
    "latex": "convert.readers.pandoc:LATEX",
    "org": "convert.readers.pandoc:ORG",
    "epub": "convert.readers.pandoc:EPUB",
    "jats": "convert.readers.pandoc:JATS",
    "mediawiki": "convert.readers.pandoc:MEDIAWIKI",
    "textile": "convert.readers.pandoc:TEXTILE",
}

#: Built-in writers: name -> "module:attribute" (mirrors pyproject.toml).
BUILTIN_WRITERS: Mapping[str, str] = {
    "md": "convert.writers.markdown:WRITER",
    "json": "convert.writers.json:WRITER",
    "tei": "convert.writers.tei:WRITER",
    "html": "convert.writers.html:WRITER",
    "epub": "convert.writers.epub:WRITER",
    "pdf": "convert.writers.pdf:WRITER",
    "docx": "convert.writers.docx:WRITER",
    # through pandoc (convert.pandoc): -t pandoc:FORMAT reaches any other pandoc writer (pandoc:docx its DOCX)
    "odt": "convert.writers.pandoc:ODT",
    "jats": "convert.writers.pandoc:JATS",
    "latex": "convert.writers.pandoc:LATEX",
    "rst": "convert.writers.pandoc:RST",
    "asciidoc": "convert.writers.pandoc:ASCIIDOC",
    "typst": "convert.writers.pandoc:TYPST",
    "org": "convert.writers.pandoc:ORG",
    "mediawiki": "convert.writers.pandoc:MEDIAWIKI",
    "rtf": "convert.writers.pandoc:RTF",
    "plain": "convert.writers.pandoc:PLAIN",
}

#: The prefix of ``-t pandoc:FORMAT`` / ``-f pandoc:FORMAT``: any format of pandoc's own.
PANDOC_PREFIX = "pandoc:"
#: Built-in writers that run pandoc (``--list-formats`` marks them).
PANDOC_WRITERS = frozenset(n for n, target in BUILTIN_WRITERS.items() if target.startswith("convert.writers.pandoc:"))
#: Built-in readers that run pandoc (``--list-formats`` marks them).
PANDOC_READERS = frozenset(n for n, target in BUILTIN_READERS.items() if target.startswith("convert.readers.pandoc:"))


def _writer(
    name: str, extension: str, media_type: str, aliases: tuple[str, ...] = (), names: tuple[str, ...] = ()
) -> WriterFacts:
    binary = not _is_textual(media_type)
    return WriterFacts(name, extension, media_type, aliases, names, binary, writer_option_names(name))


#: Facts of the built-in writers, known without importing them: the command line, batch and
#: the API read these.  The writer modules' specs give the same extensions and media types (a
#: test checks); ``names``, ``binary`` and ``options`` are given here only.
BUILTIN_WRITER_FACTS: Mapping[str, WriterFacts] = {
    f.name: f
    for f in (
        _writer("md", ".md", "text/markdown", (".markdown",), ("markdown",)),
        _writer("json", ".json", "application/json", names=("ir",)),
        _writer("tei", ".xml", "application/tei+xml", (".tei",), ("xml",)),
        _writer("html", ".html", "text/html", (".htm", ".xhtml")),
        _writer("epub", ".epub", "application/epub+zip"),
        _writer("pdf", ".pdf", "application/pdf"),
        _writer("docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        _writer("odt", ".odt", "application/vnd.oasis.opendocument.text"),
        _writer("jats", ".jats.xml", "application/jats+xml"),
        _writer("latex", ".tex", "text/x-tex", names=("tex",)),
        _writer("rst", ".rst", "text/x-rst"),
        _writer("asciidoc", ".adoc", "text/asciidoc", (".asciidoc",)),
        _writer("typst", ".typ", "text/x-typst"),
        _writer("org", ".org", "text/x-org"),
        _writer("mediawiki", ".wiki", "text/x-mediawiki", (".mediawiki",)),
        _writer("rtf", ".rtf", "text/rtf"),
        _writer("plain", ".txt", "text/plain", names=("txt",)),
    )
}

def _reader(name: str, extensions: tuple[str, ...], decisive: bool = False) -> ReaderFacts:
    """A built-in reader's facts; its other names are those of its format's writer (``-f markdown``)."""
    writer = BUILTIN_WRITER_FACTS.get(name)
    return ReaderFacts(name, extensions, decisive, writer.names if writer else ())


#: Facts of the built-in readers, known without importing them (detection and output naming
#: read these; the reader modules' specs give the same extensions, a test checks).
BUILTIN_READER_FACTS: Mapping[str, ReaderFacts] = {
    "json": _reader("json", (".json",), decisive=True),
    "tei": _reader("tei", (".xml", ".tei"), decisive=True),
    "md": _reader("md", (".md", ".markdown")),
    "article": _reader("article", (".txt", ".md", ".markdown")),
    "html": _reader("html", (".html", ".htm", ".xhtml"), decisive=True),
    "docx": _reader("docx", (".docx",), decisive=True),
    "odt": _reader("odt", (".odt",), decisive=True),
    "rst": _reader("rst", (".rst",), decisive=True),
    "latex": _reader("latex", (".tex", ".latex"), decisive=True),
    "org": _reader("org", (".org",), decisive=True),
    "epub": _reader("epub", (".epub",), decisive=True),
    "jats": _reader("jats", (".jats",), decisive=True),
    "mediawiki": _reader("mediawiki", (".wiki", ".mediawiki"), decisive=True),
    "textile": _reader("textile", (".textile",), decisive=True),
}

#: Output extensions of the built-in writers, known without importing them.
BUILTIN_EXTENSIONS: Mapping[str, str] = {ext: f.name for f in BUILTIN_WRITER_FACTS.values() for ext in f.extensions}

#: ``-t`` names of the built-in writers, aliases included.
_BUILTIN_WRITER_NAMES: Mapping[str, str] = {
    alias: f.name for f in BUILTIN_WRITER_FACTS.values() for alias in (f.name, *f.names)
}

#: ``-f`` names of the built-in readers, their other names included.
_BUILTIN_READER_NAMES: Mapping[str, str] = {
    alias: f.name for f in BUILTIN_READER_FACTS.values() for alias in (f.name, *f.names)
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
    if name.startswith(PANDOC_PREFIX) and (group, name) not in _loaded:
        kind_module = "readers.pandoc:generic_reader" if group == READER_GROUP else "writers.pandoc:generic_writer"
        make = _load(f"convert.{kind_module}")
        assert callable(make)
        _loaded[(group, name)] = make(name[len(PANDOC_PREFIX) :])
    if name.startswith(PANDOC_PREFIX):
        return _loaded[(group, name)]
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
    """The writer registered as ``name`` or one of its other names (imports its module on first use).

    A built-in writer's spec carries the facts of :data:`BUILTIN_WRITER_FACTS`.
    """
    name = writer_name(name)
    spec = _resolve(WRITER_GROUP, name)
    if not isinstance(spec, WriterSpec):
        raise UnknownFormatError(f"entry point for writer {name!r} is not a WriterSpec")
    facts = BUILTIN_WRITER_FACTS.get(name)
    if facts is not None and (spec.names, spec.binary, spec.options) != (facts.names, facts.binary, facts.options):
        spec = dataclasses.replace(spec, names=facts.names, binary=facts.binary, options=facts.options)
        _loaded[(WRITER_GROUP, name)] = spec
    return spec


def get_reader(name: str) -> ReaderSpec:
    """The reader registered as ``name`` or one of its other names (imports its module on first use)."""
    name = reader_name(name)
    spec = _resolve(READER_GROUP, name)
    if not isinstance(spec, ReaderSpec):
        raise UnknownFormatError(f"entry point for reader {name!r} is not a ReaderSpec")
    facts = BUILTIN_READER_FACTS.get(name)
    if facts is not None and spec.decisive != facts.decisive:
        spec = dataclasses.replace(spec, decisive=facts.decisive)
        _loaded[(READER_GROUP, name)] = spec
    return spec


def reader_name(name: str) -> str:
    """The registered name of the reader ``-f name`` selects (a built-in reader's other name resolved)."""
    return _BUILTIN_READER_NAMES.get(name, name)


def writer_name(name: str) -> str:
    """The registered name of the writer ``-t name`` selects (another name of a writer resolved).

    Built-in names resolve without scanning; a name that is not a plug-in's is
    looked up among the plug-ins' other names (which loads them), and is returned
    unchanged when none has it (:func:`get_writer` then reports it unknown).
    """
    if name in _BUILTIN_WRITER_NAMES:
        return _BUILTIN_WRITER_NAMES[name]
    if name.startswith(PANDOC_PREFIX):
        return name
    plugins = _scan(WRITER_GROUP)
    if name in plugins:
        return name
    for other in sorted(plugins):
        spec = _resolve(WRITER_GROUP, other)
        if isinstance(spec, WriterSpec) and name in spec.names:
            return other
    return name


def writer_facts(name: str) -> WriterFacts:
    """The facts of writer ``name``: a built-in's without importing it, a plug-in's from its spec."""
    name = writer_name(name)
    facts = BUILTIN_WRITER_FACTS.get(name)
    return facts if facts is not None else get_writer(name).facts()


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
        if suffix in get_writer(name).facts().extensions:
            return name
    return None


#: (extension, all extensions of its reader) for every built-in reader, longest extension first.
_INPUT_EXTENSIONS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    sorted(
        {(ext, f.extensions) for f in BUILTIN_READER_FACTS.values() for ext in f.extensions},
        key=lambda pair: (-len(pair[0]), pair),
    )
)


def reader_for_extension(suffix: str) -> str | None:
    """The built-in reader that a file extension decides, whatever the content (``.json``: json), or None."""
    suffix = suffix.lower()
    return next((f.name for f in BUILTIN_READER_FACTS.values() if f.decisive and suffix in f.extensions), None)


def input_stem(name: str) -> str:
    """A file name without its input extension: the stem of its outputs' names.

    The longest extension a built-in reader claims is removed (``a.md`` -> ``a``),
    and then another extension of the same reader (``a.tei.xml`` -> ``a``); any
    other extension is removed as such (``a.html`` -> ``a``).  A name that is only
    an extension (``.md``) is kept.
    """
    lower = name.lower()
    for ext, extensions in _INPUT_EXTENSIONS:
        if lower.endswith(ext) and len(name) > len(ext):
            rest = name[: -len(ext)]
            inner = next((e for e in extensions if e != ext and rest.lower().endswith(e) and len(rest) > len(e)), "")
            return rest[: len(rest) - len(inner)]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def reset_cache() -> None:
    """Forget scanned entry points (for tests that install plug-ins at run time)."""
    _external.clear()
    _loaded.clear()
