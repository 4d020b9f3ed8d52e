"""artconv's exceptions: one base class, each error a single readable line."""

from __future__ import annotations

import warnings

__all__ = [
    "ArtconvError",
    "ArtconvWarning",
    "IRTypeError",
    "InputError",
    "OutputError",
    "UnknownFormatError",
    "UsageError",
    "warn",
]


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
    """Something of the input was changed or could not be kept, and the conversion went on.

    The one warning channel of readers and writers: the ``artconv`` command prints each as
    ``artconv: warning: <file>: <message>``; a library user filters them like any Python
    warning (``warnings.simplefilter("error", convert.ArtconvWarning)`` makes them errors).
    """


def warn(message: str, category: type[ArtconvWarning] = ArtconvWarning) -> None:
    """Report, as one line, what was changed or lost (see :class:`ArtconvWarning`)."""
    warnings.warn(" ".join(message.split()), category, stacklevel=3)
