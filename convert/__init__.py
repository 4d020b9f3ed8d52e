"""artconv: convert saved web articles into archival and reading formats.

The library API::

    import convert

    article = convert.read("article.md")            # -> convert.ir.Article
    convert.write(article, "article.epub")          # format from the extension
    data = convert.render(article, "tei")           # bytes, no file touched
    convert.convert("article.md", "out/article.pdf", paper="letter")

Readers and writers are plug-ins (entry points ``artconv.readers`` and
``artconv.writers``) loaded only when used.  Errors are subclasses of
:class:`convert.errors.ArtconvError` whose message is one line naming the file.
"""

from . import _imports

# The modules kept between runs are served from here on (see convert._imports).
_imports.install()

from ._collector import Pause as _Pause  # noqa: E402
from ._deferred import deferring as _deferring  # noqa: E402

# The collector is paused while the package is imported: the classes, functions and tables
# its modules make are no garbage (see convert._collector); standard modules that the imports
# bring in but nothing uses are imported on first use (see convert._deferred).
_importing = _Pause()
try:
    with _deferring():
        from ._version import __version__
        from .api import convert, make_options, parse, read, render, write
        from .errors import (
            ArtconvError,
            ArtconvWarning,
            InputError,
            IRTypeError,
            OutputError,
            UnknownFormatError,
            UsageError,
            WarningRecord,
            collect_warnings,
        )
        from .ir.model import Article, Metadata, Rights
        from .registry import Options, ReaderSpec, WriterSpec
finally:
    _importing.resume()
    del _Pause, _deferring, _importing

__all__ = [
    "Article",
    "ArtconvError",
    "ArtconvWarning",
    "IRTypeError",
    "InputError",
    "Metadata",
    "Options",
    "OutputError",
    "ReaderSpec",
    "Rights",
    "UnknownFormatError",
    "UsageError",
    "WarningRecord",
    "WriterSpec",
    "__version__",
    "collect_warnings",
    "convert",
    "make_options",
    "parse",
    "read",
    "render",
    "write",
]
