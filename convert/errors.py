"""artconv's errors and warnings: one base class of errors, one channel of warnings.

Errors are :class:`ArtconvError` subclasses, each a single readable line.

Warnings say what a reader or writer changed, dropped or could not render while the
conversion went on.  They go through one channel, :mod:`logging`: :func:`warn` logs a
record on a logger of the ``convert`` tree (``convert.writers.epub``, ...) carrying a
stable code (``epub.figure-dropped``), listed with its message in ``docs/warnings.md``.
:func:`collect_warnings` gathers them as :class:`WarningRecord` values (the ``artconv``
command and ``artconv batch`` use it, per input); without a collector or a logging
configuration, Python's last-resort handler prints them on stderr.
"""

from __future__ import annotations

import _thread
import contextlib
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import logging

__all__ = [
    "ArtconvError",
    "ArtconvWarning",
    "IRTypeError",
    "InputError",
    "INFO",
    "LOGGER_NAME",
    "OutputError",
    "UnknownFormatError",
    "UsageError",
    "WARNING",
    "WarningRecord",
    "collect_warnings",
    "inform",
    "warn",
]

#: Root of artconv's logger tree; each module logs on its own child (``convert.html.fetch``).
LOGGER_NAME = "convert"
#: Code of a :class:`ArtconvWarning` issued with :func:`warnings.warn` (by a plug-in).
PLUGIN_CODE = "plugin.warning"
#: Code of a warning given without one (``warn(message)``).
UNCLASSIFIED = "unclassified"
#: The levels of :mod:`logging` used here (that module is imported only when something is logged).
WARNING, INFO = 30, 20


class ArtconvError(Exception):
    """Base class of every error artconv raises on purpose.

    ``str(error)`` is one line: ``"<file>: <problem>"`` when a file is known.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def with_path(self, path: str) -> ArtconvError:
        """The same error, naming ``path`` (kept if one is already set)."""
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        text = " ".join(self.message.split())
        return f"{self.path}: {text}" if self.path else text


class InputError(ArtconvError):
    """The input cannot be read or understood."""


class OutputError(ArtconvError):
    """An output cannot be produced or written."""


class UnknownFormatError(ArtconvError):
    """No reader or writer is registered under the requested name."""


class UsageError(ArtconvError):
    """The command line or API call is wrong (exit status 2)."""


class IRTypeError(UsageError, TypeError):
    """An IR node was built with a value of the wrong type (``Metadata.date`` a free-form str...)."""


class ArtconvWarning(UserWarning):
    """A warning a plug-in issues with :func:`warnings.warn`.

    artconv itself warns through :func:`warn` (logging); :func:`collect_warnings`
    also catches this category, so a plug-in that uses it still reaches the one
    channel (code ``plugin.warning``).
    """


class WarningRecord(NamedTuple):
    """One warning: its stable code, its one-line message and the logger that issued it.

    (A named tuple rather than a dataclass: a fraction of the cost at start-up.)
    """

    #: Stable identifier, ``area.what`` (``pdf.image-relative``), listed in ``docs/warnings.md``.
    code: str
    #: What was changed or lost, one line.
    message: str
    #: The logger of the ``convert`` tree it was logged on (``convert.writers.pdf``).
    logger: str = LOGGER_NAME
    #: ``logging.WARNING``, or ``logging.INFO`` for a detail (:func:`inform`).
    level: int = WARNING
    #: What the warning is about (an image's reference), when several steps may report the same thing.
    subject: str = ""

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _log(level: int, code: str, message: str, logger: str, subject: str = "") -> None:
    import logging

    if not (logger == LOGGER_NAME or logger.startswith(LOGGER_NAME + ".")):
        logger = f"{LOGGER_NAME}.{logger}"
    _install()
    text = _one_line(message)
    extra = {"artconv_code": code, "artconv_message": text, "artconv_subject": subject}
    logging.getLogger(logger).log(level, "%s [%s]", text, code, extra=extra)


def warn(code: str, message: str | None = None, *, logger: str = LOGGER_NAME, subject: str = "") -> None:
    """Report, as one line, what was changed or lost: ``warn("epub.link-dropped", "...", logger=__name__)``.

    ``code`` must be listed in ``docs/warnings.md`` (a test checks every call).  A call
    with the message alone still reports it, as ``unclassified`` (and fails that test).
    ``subject`` names what the warning is about when several steps may report it (an
    image's reference: the reader that could not read it, then the writer that leaves it
    out): a collector keeps the first warning about a subject and drops the later ones.
    """
    if message is None:
        code, message = UNCLASSIFIED, code
    _log(WARNING, code, message, logger, subject)


def inform(code: str, message: str, *, logger: str = LOGGER_NAME) -> None:
    """A detail worth showing on request (``artconv -v``), such as a resource that was read."""
    _log(INFO, code, message, logger)


class _Collector:
    """The records one :func:`collect_warnings` block keeps, each distinct one once."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.records: list[WarningRecord] = []
        self._seen: set[WarningRecord] = set()
        self._subjects: set[str] = set()

    def add(self, record: WarningRecord) -> None:
        if record.level < self.level or record in self._seen:
            return
        if record.subject:
            if record.subject in self._subjects and record.level >= WARNING:
                return  # reported already, by an earlier step
            if record.level >= WARNING:
                self._subjects.add(record.subject)
        self._seen.add(record)
        self.records.append(record)


#: The open collectors of each thread (innermost last).
_ACTIVE: dict[int, list[_Collector]] = {}
_INSTALLED: list[logging.Handler] = []


def _install() -> None:
    """Put the handler that feeds the collectors on the ``convert`` logger (once, when logging is in use)."""
    if _INSTALLED:
        return
    import logging

    class Dispatch(logging.Handler):
        """Hands each record to the collectors of its thread; with none, shows it as logging would."""

        def emit(self, record: logging.LogRecord) -> None:
            collectors = _ACTIVE.get(record.thread or 0)
            if collectors:
                code = getattr(record, "artconv_code", "")
                message = getattr(record, "artconv_message", None)
                if not code:  # logged directly on a convert.* logger, without warn()
                    code, message = "log." + record.levelname.lower(), record.getMessage()
                subject = getattr(record, "artconv_subject", "")
                found = WarningRecord(code, _one_line(str(message)), record.name, record.levelno, subject)
                for collector in collectors:
                    collector.add(found)
            elif not self._others(record.name):
                last = logging.lastResort
                if last is not None and record.levelno >= last.level:
                    last.handle(record)

        def _others(self, name: str) -> bool:
            """Whether another handler gets records of logger ``name``."""
            node: logging.Logger | None = logging.getLogger(name)
            while node is not None:
                if any(h is not self for h in node.handlers):
                    return True
                node = node.parent if node.propagate else None
            return False

    handler = Dispatch()
    logging.getLogger(LOGGER_NAME).addHandler(handler)
    _INSTALLED.append(handler)


@contextlib.contextmanager
def collect_warnings(*, level: int = WARNING) -> Iterator[list[WarningRecord]]:
    """Collect the warnings issued inside the block: a list of :class:`WarningRecord`, in order.

    ``with convert.collect_warnings() as found: convert.convert("a.md", "a.pdf")``
    leaves in ``found`` each distinct warning once.  Records still reach the
    handlers an application configured; only Python's last-resort output (the
    message on stderr when logging is not configured) gives way to the collector.
    Only the calling thread's records are collected; ``level=logging.INFO`` adds
    the details of :func:`inform`.  A plug-in's :class:`ArtconvWarning` (issued
    with :func:`warnings.warn`) is collected too.
    """
    collector = _Collector(level)
    thread = _thread.get_ident()
    saved_level = None
    if level < WARNING or "logging" in sys.modules:  # (else logging is imported by the first warning)
        import logging

        _install()
        logger = logging.getLogger(LOGGER_NAME)
        if logger.getEffectiveLevel() > level:
            saved_level = logger.level
            logger.setLevel(level)
    _ACTIVE.setdefault(thread, []).append(collector)
    try:
        with warnings.catch_warnings():
            shown = warnings.showwarning

            def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
                if issubclass(category, ArtconvWarning):
                    collector.add(WarningRecord(PLUGIN_CODE, _one_line(str(message))))
                else:
                    shown(message, category, *args, **kwargs)

            warnings.simplefilter("always", ArtconvWarning)
            warnings.showwarning = show
            yield collector.records
    finally:
        stack = _ACTIVE[thread]
        stack.remove(collector)
        if not stack:
            del _ACTIVE[thread]
        if saved_level is not None:
            import logging

            logging.getLogger(LOGGER_NAME).setLevel(saved_level)
