"""What ``artconv`` and ``artconv batch`` share on their command lines.

Both commands import this module (neither imports the other's): the help
formatter (from :mod:`convert.cliparse`), the writer options (one flag per option
declared in :mod:`convert.options`), and ``-t`` parsing.  Flags the two commands share
that are not writer options (the warning flags, for instance) belong here too.
Arguments are declared as data (:data:`Argument`), so that :func:`quick_parse` can
read a plain command line without :mod:`argparse`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from .options import Option, declared_options

if TYPE_CHECKING:
    import argparse

    from .cliparse import HelpFormatter

__all__ = [
    "Argument",
    "HelpFormatter",
    "add_warning_options",
    "add_writer_options",
    "parse_formats",
    "quick_parse",
    "warning_arguments",
    "writer_arguments",
    "writer_options",
]

#: One argument of a command line: the positional and keyword arguments of ``add_argument``.
Argument = tuple[tuple[str, ...], dict[str, Any]]


def __getattr__(name: str) -> Any:
    if name == "HelpFormatter":  # argparse's side, imported when a parser is built (see convert.cliparse)
        from .cliparse import HelpFormatter

        return HelpFormatter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _help(opt: Option, kind: type) -> str:
    text = opt.doc
    if opt.writers:
        text += f" [{', '.join(opt.writers)}]"
    if kind is not bool and opt.default not in ("", None, ()):
        default = f"{opt.default:,}" if isinstance(opt.default, int) else str(opt.default)
        text += f" (default: {default})"
    return text.replace("%", "%%")


def _key_value(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` of a repeatable option as a pair (the value may be empty)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        import argparse

        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def _argument(opt: Option) -> Argument:
    flags = (*((opt.short,) if opt.short else ()), opt.cli_flag)
    kind = opt.value_type  # (a property: read once)
    if kind is bool:
        return flags, {"dest": opt.name, "action": "store_true", "default": opt.default, "help": _help(opt, kind)}
    help_text = _help(opt, kind)
    if kind is tuple:  # pairs, one a flag: KEY=VALUE, repeatable
        pair = opt.metavar or "KEY=VALUE"
        return flags, {"dest": opt.name, "action": "append", "type": _key_value, "metavar": pair, "help": help_text}
    choices = [c for c in opt.choices if c != ""] or None  # "": the default, not given on the command line
    metavar = None if choices else (opt.metavar or opt.name.rsplit("_", 1)[-1].upper())
    return flags, {
        "dest": opt.name,
        "type": kind,
        "choices": choices,
        "default": opt.default,
        "metavar": metavar,
        "help": help_text,
    }


def writer_arguments() -> list[Argument]:
    """A flag for every writer option on the command line (see :mod:`convert.options`)."""
    return [_argument(opt) for opt in declared_options() if opt.flag]


def add_writer_options(p: argparse.ArgumentParser) -> None:
    """The flags of :func:`writer_arguments`, as one group of the help."""
    group = p.add_argument_group("writer options")
    for flags, kwargs in writer_arguments():
        group.add_argument(*flags, **kwargs)


def writer_options(args: argparse.Namespace | SimpleNamespace) -> dict[str, object]:
    """The keyword options (for :func:`convert.api.make_options`) given by :func:`add_writer_options`."""
    out: dict[str, object] = {}
    for opt in declared_options():
        if opt.flag and hasattr(args, opt.name):
            value = getattr(args, opt.name)
            out[opt.name] = tuple(value or ()) if opt.value_type is tuple else value  # an appended list, or none
    return out


def parse_formats(spec: str) -> list[str]:
    """Writer names from ``-t`` (comma-separated; ``all``: every registered writer but those through pandoc)."""
    from .registry import PANDOC_WRITERS, available_writers, writer_name

    names = [n.strip() for n in spec.split(",") if n.strip()]
    if "all" in names:
        return [n for n in available_writers() if n not in PANDOC_WRITERS]
    return list(dict.fromkeys(writer_name(n) for n in names))


def warning_arguments() -> list[Argument]:
    """``-v`` and ``--fail-on-warning``, the same for ``artconv`` and ``artconv batch``."""
    return [
        (("-v", "--verbose"), {"action": "store_true", "help": "also show details (such as each resource read)"}),
        (("--fail-on-warning",), {"action": "store_true", "help": "exit status 1 when anything gave a warning"}),
    ]


def add_warning_options(p: argparse.ArgumentParser) -> None:
    """The flags of :func:`warning_arguments`."""
    for flags, kwargs in warning_arguments():
        p.add_argument(*flags, **kwargs)


def _dest(flags: tuple[str, ...], kwargs: dict[str, Any]) -> str:
    """argparse's attribute for an option: ``dest``, else the first long flag's name, else the first flag's."""
    if "dest" in kwargs:
        return str(kwargs["dest"])
    name = next((flag for flag in flags if flag.startswith("--")), flags[0])
    return name.lstrip("-").replace("-", "_")


#: The keywords of ``add_argument`` that :func:`quick_parse` follows as argparse does: for a flag, for the inputs.
_FLAG_KEYWORDS = frozenset({"dest", "action", "type", "choices", "default", "metavar", "help"})
_INPUT_KEYWORDS = frozenset({"dest", "nargs", "default", "metavar", "help"})


def quick_parse(argv: Sequence[str], arguments: Iterable[Argument]) -> SimpleNamespace | None:
    """What argparse's ``parse_args(argv)`` gives for a parser of ``arguments``, for plain command lines.

    Importing argparse (with gettext and locale) and building the parser cost about as much as
    converting the sample, so a plain command line is read here.  Plain: the inputs in one run
    (a single ``nargs="*"`` argument), each flag spelled in full and alone (no ``-qv``, no
    ``--to=md``, no abbreviation, no ``--``), its value the next argument, not starting with
    ``-`` unless it is ``-``, accepted by its ``type`` and among its ``choices``; the actions
    ``store``, ``store_true`` and ``append``.  Anything else (help, version, errors, an
    unusual spelling) is None: argparse parses it, and says what is wrong.  The attributes
    are argparse's (``tests/test_startup_args.py`` compares the two on random command lines).
    """
    values: dict[str, Any] = {}
    options: dict[str, tuple[str, str, Any, Any]] = {}  # flag -> dest, action, type, choices
    inputs = ""
    for flags, kwargs in arguments:
        if not flags[0].startswith("-"):  # the inputs
            if inputs or len(flags) != 1 or kwargs.get("nargs") != "*" or not set(kwargs) <= _INPUT_KEYWORDS:
                return None
            inputs = _dest(flags, kwargs)
            values[inputs] = kwargs.get("default")
            continue
        action = kwargs.get("action", "store")
        if action not in ("store", "store_true", "append") or not set(kwargs) <= _FLAG_KEYWORDS:
            for flag in flags:  # help, version: argparse's
                options[flag] = ("", "", None, None)
            continue
        dest = _dest(flags, kwargs)
        default = kwargs.get("default", False if action == "store_true" else None)
        kind = kwargs.get("type")
        if isinstance(default, str) and kind not in (None, str):
            return None  # argparse would pass the default through the type
        values.setdefault(dest, default)
        for flag in flags:
            options[flag] = (dest, action, kind, kwargs.get("choices"))
    found: list[str] = []
    ended = False  # whether the run of inputs is over
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        if not token.startswith("-") or token == "-":
            if ended or not inputs:
                return None  # inputs in two runs: argparse's business
            found.append(token)
            continue
        ended = ended or bool(found)
        known = options.get(token)
        if known is None or not known[0]:
            return None
        dest, action, kind, choices = known
        if action == "store_true":
            values[dest] = True
            continue
        if i == len(argv) or (argv[i].startswith("-") and argv[i] != "-"):
            return None
        text = argv[i]
        i += 1
        try:
            value = text if kind is None else kind(text)
        except Exception:
            return None
        if choices is not None and value not in choices:
            return None
        if action == "append":
            values[dest] = [*(values[dest] or ()), value]
        else:
            values[dest] = value
    if inputs:
        values[inputs] = found if found or values[inputs] is None else values[inputs]
    return SimpleNamespace(**values)
