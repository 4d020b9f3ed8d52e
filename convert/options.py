"""Writer options, each declared once.

An option is one field of :class:`Options`: its name is the keyword of
:func:`convert.make_options` (and of ``read``/``write``/``render``), its type
annotation gives the values it takes (a ``Literal`` lists them), its default is
the field's, and :func:`about` gives its help line and the writers that read
it.  From these fields come, with nothing written again:

- the command-line flags of ``artconv`` and ``artconv batch``
  (:mod:`convert.cliopts`: ``--md-flavor`` for ``md_flavor``);
- the checks of :func:`convert.api.make_options` (names, types, closed sets);
- ``WriterSpec.options`` of the built-in writers (:mod:`convert.registry`);
- the table of ``docs/options.md`` (:func:`markdown_table`, kept equal by a test).

An option of a third-party writer is an :class:`Option` given to
:func:`register_option` (before the command line is built): it gets its flag,
is checked by ``make_options``, and reaches the writer in ``Options.extra``.
"""

from __future__ import annotations

import builtins
import dataclasses
import types
from collections.abc import Mapping
from dataclasses import field
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin, get_type_hints

from .ir._record import record

__all__ = [
    "MdFlavor",
    "NotesPlacement",
    "Option",
    "Options",
    "Paper",
    "PdfVariant",
    "declared_options",
    "get_option",
    "about",
    "markdown_table",
    "register_option",
    "writer_option_names",
]

#: The closed sets of option values (the command line offers exactly these).
MdFlavor = Literal["pandoc", "gfm", "commonmark"]
Paper = Literal["a4", "letter"]
NotesPlacement = Literal["footnotes", "endnotes"]
PdfVariant = Literal["", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1"]


def about(
    doc: str, *, writers: tuple[str, ...] = (), metavar: str | None = None, flag: bool = True, short: str = ""
) -> dict[str, Any]:
    """The ``metadata`` of a field of :class:`Options`: its help line, the writers that read it.

    ``flag=False``: not on the command line (set from the API or the environment);
    ``short``: a one-letter flag besides the long one (``-M``).  A field of pairs
    (``tuple[tuple[str, str], ...]``) is a repeatable ``KEY=VALUE`` flag.
    """
    return {"doc": doc, "writers": writers, "metavar": metavar, "flag": flag, "short": short}


@record  # a frozen dataclass, made for a fraction of dataclass(frozen=True)'s start-up cost
class Options:
    """Every writer option, typed; each field is the option's one declaration (see :func:`about`).

    Writers read only the fields that concern them; third-party writers get
    theirs in ``extra``.
    """

    md_flavor: MdFlavor = field(default="pandoc", metadata=about("Markdown dialect", writers=("md",)))
    paper: Paper = field(default="a4", metadata=about("PDF paper size", writers=("pdf",)))
    notes: NotesPlacement = field(
        default="footnotes",
        metadata=about("where the PDF puts notes: at the foot of the page or at the end", writers=("pdf",)),
    )
    pdf_variant: PdfVariant = field(
        default="", metadata=about("archival or tagged PDF (default: plain PDF)", writers=("pdf",))
    )
    allow_remote: bool = field(
        default=False,
        metadata=about("fetch the article's http(s) images when reading it (public addresses only)", writers=("pdf",)),
    )
    allow_private: bool = field(
        default=False,
        metadata=about(
            "let a URL input, or an image with --allow-remote, be on a private, local or loopback address",
            writers=("pdf",),
        ),
    )
    asset_dir: str = field(
        default="",
        metadata=about(
            "another folder images are read from, besides the input's own (it must exist)",
            writers=("pdf",),
            metavar="DIR",
        ),
    )
    source_date_epoch: int | None = field(
        default=None,
        metadata=about(
            "seconds since the epoch for every timestamp (from SOURCE_DATE_EPOCH; default: the article's date)",
            writers=("epub", "pdf", "docx", "odt"),
            flag=False,
        ),
    )
    pdf_max_chars: int = field(
        default=1_000_000,
        metadata=about(
            "refuse to make a PDF of more than N characters of text, about 350 A4 pages (0: no limit)",
            writers=("pdf",),
            metavar="N",
        ),
    )
    lang: str = field(
        default="",
        metadata=about(
            "the article's language, a BCP 47 tag such as ar, fa or pt-BR (default: the input's, else detected)",
            metavar="TAG",
        ),
    )
    encoding: str = field(
        default="",
        metadata=about(
            "the encoding of text inputs, such as cp1251 or shift_jis (default: UTF-8 or UTF-16, else detected)",
            metavar="NAME",
        ),
    )
    reference_doc: str = field(
        default="",
        metadata=about(
            "a DOCX or ODT file whose styles the output takes (pandoc's flag)", writers=("docx", "odt"), metavar="FILE"
        ),
    )
    extract_media: str = field(
        default="",
        metadata=about(
            "write the article's images into DIR and link them, instead of embedding them in the page (pandoc's flag)",
            writers=("html",),
            metavar="DIR",
        ),
    )
    cover: str = field(
        default="",
        metadata=about(
            "cover image of the book: an image file, or an image of the article (default: the first figure's)",
            writers=("epub",),
            metavar="IMAGE",
        ),
    )
    metadata: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=about(
            "set a metadata field over the input's: a front-matter key (title, author, date, lang, site, licence...)"
            " and a YAML value; repeat a key for a list",
            metavar="KEY=VALUE",
            short="-M",
        ),
    )
    metadata_file: str = field(
        default="",
        metadata=about(
            "metadata fields over the input's from a YAML or JSON mapping of front-matter keys (-M wins)",
            metavar="FILE",
        ),
    )
    extra: tuple[tuple[str, str], ...] = field(
        default=(),
        metadata=about("options of third-party writers, as name/value pairs (see register_option)", flag=False),
    )


class Option(NamedTuple):
    """One option as the command line, the API and the docs see it (a named tuple: cheap at start-up)."""

    #: Keyword of :func:`convert.make_options`; the flag is ``--`` and the name with ``-`` for ``_``.
    name: str
    #: The values it takes: ``str``, ``int``, ``bool``, a ``Literal[...]`` or an optional one.
    hint: Any
    #: Its value when not given.
    default: object
    #: One line of help.
    doc: str
    #: The writers that read it (``()``: none in particular).
    writers: tuple[str, ...] = ()
    #: Placeholder of the value in ``--help`` (default: from the name).
    metavar: str | None = None
    #: Whether the command line offers it.
    flag: bool = True
    #: A one-letter flag besides the long one (``"-M"``; ``""``: none).
    short: str = ""

    @property
    def choices(self) -> tuple[object, ...]:
        """The closed set of values (``()``: any value of the type)."""
        return get_args(self.hint) if get_origin(self.hint) is Literal else ()

    @property
    def value_type(self) -> type:
        """The type of a value: ``str``, ``int``, ``bool``, ..."""
        hint = self.hint
        if get_origin(hint) is Union or get_origin(hint) is types.UnionType:
            hint = next(arg for arg in get_args(hint) if arg is not type(None))
        if get_origin(hint) is Literal:
            return type(get_args(hint)[0])
        return get_origin(hint) or hint  # type: ignore[no-any-return]

    @property
    def cli_flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def is_field(self) -> bool:
        """Whether it is a field of :class:`Options` (else its value goes into ``Options.extra``)."""
        return self.name in _FIELD_NAMES


def _hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)`` for a class of this module with no annotated base.

    ``get_type_hints`` compiles every annotation (they are strings here), about a fifth of the cost
    of importing this module.  An annotation that is a bare name is looked up where ``eval`` would
    find it (this module, then the class, then builtins) and is that object; the others are left to
    ``get_type_hints``.  ``tests/test_startup_options.py`` compares the two.
    """
    namespace = globals()
    own = vars(cls)
    hints: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for name, annotation in cls.__annotations__.items():
        if isinstance(annotation, str) and annotation.isidentifier():
            for scope in (namespace, own, vars(builtins)):
                if annotation in scope:
                    hints[name] = scope[annotation]
                    break
            else:
                rest[name] = annotation
        else:
            rest[name] = annotation
    if rest:  # typing's own evaluation, looking in the same places (module first, as it does for cls)
        other = type(cls.__name__, (), {"__annotations__": rest})
        hints.update(get_type_hints(other, globalns=dict(own), localns=namespace))
    return {name: hints[name] for name in cls.__annotations__}


_HINTS = _hints(Options)
_BUILTIN: tuple[Option, ...] = tuple(
    Option(
        name=f.name,
        hint=_HINTS[f.name],
        default=f.default,
        doc=f.metadata["doc"],
        writers=f.metadata["writers"],
        metavar=f.metadata["metavar"],
        flag=f.metadata["flag"],
        short=f.metadata["short"],
    )
    for f in dataclasses.fields(Options)
)
_FIELD_NAMES = frozenset(o.name for o in _BUILTIN)
#: Options registered by third-party writers, by name.
_registered: dict[str, Option] = {}


def register_option(opt: Option) -> None:
    """Declare an option of a third-party writer (its value reaches the writer in ``Options.extra``).

    Call it before the command line is built (at import of the plug-in's package,
    for example).  Raises :class:`ValueError` for a name already declared.
    """
    if opt.name in _FIELD_NAMES or opt.name in _registered:
        raise ValueError(f"option {opt.name!r} is already declared")
    _registered[opt.name] = opt


def declared_options() -> tuple[Option, ...]:
    """Every declared option: the fields of :class:`Options`, then registered ones."""
    return (*_BUILTIN, *_registered.values())


def get_option(name: str) -> Option | None:
    """The declaration of option ``name``, or None."""
    return next((o for o in declared_options() if o.name == name), None)


def writer_option_names(writer: str) -> tuple[str, ...]:
    """Names of the options that the writer ``writer`` reads."""
    return tuple(o.name for o in declared_options() if writer in o.writers)


def _values(opt: Option) -> str:
    if opt.choices:
        return ", ".join(f"`{c}`" if c else '`""`' for c in opt.choices)
    hint = opt.hint
    text = str(hint.__name__ if isinstance(hint, type) else hint).replace("typing.", "").replace("NoneType", "None")
    return text.replace(" | ", " or ")


def _default(opt: Option) -> str:
    if opt.default in ("", ()):
        return "(none)"
    if isinstance(opt.default, bool) or opt.default is None:
        return f"`{opt.default}`"
    if isinstance(opt.default, int):
        return f"`{opt.default:_}`".replace("_", ",")
    return f"`{opt.default}`"


def markdown_table(options: Mapping[str, Option] | None = None) -> str:
    """The text of ``docs/options.md``: every option, its flag, values, default, writers, help."""
    opts = list(options.values()) if options is not None else list(declared_options())
    lines = [
        "# Writer options",
        "",
        "Generated from the declarations in `convert/options.py` (`convert.options.markdown_table()`);",
        "a test keeps this file equal to it. The same options are keywords of `convert.read`,",
        "`convert.write`, `convert.render`, `convert.convert` and `convert.make_options`, and flags of",
        "`artconv` and `artconv batch`.",
        "",
        "| option | flag | values | default | writers | meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for opt in opts:
        flag = (f"`{opt.short}`, " if opt.short else "") + f"`{opt.cli_flag}`" if opt.flag else "-"
        writers = ", ".join(opt.writers) or "-"
        doc = opt.doc.replace("|", "\\|")
        lines.append(f"| `{opt.name}` | {flag} | {_values(opt)} | {_default(opt)} | {writers} | {doc} |")
    return "\n".join(lines) + "\n"
