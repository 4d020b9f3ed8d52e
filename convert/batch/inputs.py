"""Finding the articles of a batch, and where their outputs go.

Each command-line input is a folder (walked recursively), a file, or a glob
pattern (``'archive/**/*.md'``, quoted so that the shell leaves it alone).
Every article found gets a *key*, its path relative to the input, with ``/``
separators, and its outputs are written under OUTDIR at the same relative
place, so OUTDIR mirrors the input tree::

    archive/2012/09/a.md   ->   out/2012/09/a.pdf, out/2012/09/a.xml, ...

With several inputs, each folder or glob keeps its own name as a first level
(``out/archive-a/...``, ``out/archive-b/...``) and single files go to the top.

A web archive (:mod:`.warc`) or a list of URLs (:mod:`.urllist`) named on the
command line is a set of articles, one a page or URL, keyed by URL
(``example.org/news/a-story/index.html``).

Folders are walked lazily, in name order, one directory listing at a time:
nothing holds the list of the whole archive.  Hidden files and folders (a name
starting with ``.``), symbolic links to folders and OUTDIR itself are skipped.

Before anything is converted, :class:`Claims` walks the names once (no file is
read) and gives each output name to one input: two inputs that would write the
same output are a usage error, and a file reached twice is converted once.
The claims live in a temporary SQLite database on disk, so that pass too keeps
its memory flat whatever the size of the archive.
"""

from __future__ import annotations

import glob
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ..errors import UsageError
from ..registry import BUILTIN_READER_FACTS, input_stem
from .urllist import is_url_list, iter_urls
from .warc import is_warc, iter_pages

__all__ = ["DEFAULT_EXTENSIONS", "Claims", "InputRoot", "Source", "iter_sources", "output_stem", "plan_inputs"]

#: File extensions a folder walk picks up unless ``--ext`` says otherwise: saved articles and web pages.
DEFAULT_EXTENSIONS: tuple[str, ...] = (
    *BUILTIN_READER_FACTS["article"].extensions,
    *BUILTIN_READER_FACTS["html"].extensions,
)


@dataclass(frozen=True, slots=True)
class Source:
    """One article of the batch: a file, one page of a web archive, or one URL of a URL list."""

    #: The file to read.
    path: Path
    #: Its place in the mirrored tree: relative path with ``/`` separators (the manifest key).
    key: str
    #: A page of a web archive: where its record starts in ``path`` (-1: the whole file is the article).
    offset: int = -1
    #: The page's URL and capture date (``WARC-Date``), for a page of a web archive.
    url: str = ""
    date: str = ""
    #: A URL to fetch: its line in the URL list ``path`` (0: not a URL of a list).  A line that is
    #: not an http(s) URL has its text in ``url`` and no ``key`` of its own (it fails).
    line: int = 0

    @property
    def ident(self) -> str:
        """What the article is, whatever path reached it: the absolute path (and record offset), or the URL."""
        path = os.path.abspath(self.path)
        if self.line:
            return self.url if self.valid_url else f"{path}:{self.line}"
        return path if self.offset < 0 else f"{path}#{self.offset}"

    @property
    def shown(self) -> str:
        """How messages name it: the path, and a web archive page's URL; a listed URL itself."""
        if self.line:
            return self.url if self.valid_url else f"{self.path}:{self.line}"
        return str(self.path) if self.offset < 0 else f"{self.path} {self.url}"

    @property
    def valid_url(self) -> bool:
        """A listed URL that can be fetched (not a line of the list that is no http(s) URL)."""
        return bool(self.line) and not self.key.endswith(_BAD_LINE)


@dataclass(frozen=True, slots=True)
class InputRoot:
    """One command-line input, resolved."""

    kind: Literal["dir", "file", "glob"]
    #: The folder keys are relative to (for a file: its folder).
    base: Path
    #: The argument as given (a glob pattern for ``glob``).
    arg: str
    #: Prefix of every key from this input: ``""`` or ``"name/"``.
    prefix: str


#: The end of the key of a URL list's line that is not an http(s) URL (nothing is written under it).
_BAD_LINE = ".not-a-url"


def output_stem(key: str) -> str:
    """The relative path of an article's outputs without extension: ``"2012/a.md"`` -> ``"2012/a"``.

    The extension removed is the one :func:`convert.registry.input_stem` removes, as for a single file.
    """
    path = PurePosixPath(key)
    return str(path.with_name(input_stem(path.name)))


def _is_glob(arg: str) -> bool:
    return glob.has_magic(arg)


def _glob_base(pattern: str) -> Path:
    """The longest leading folder of ``pattern`` without wildcards."""
    parts = Path(pattern).parts
    base: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def plan_inputs(args: Sequence[str], outdir: Path) -> list[InputRoot]:
    """Resolve the command-line inputs; raises :class:`UsageError` for a missing one or a name clash."""
    if not args:
        raise UsageError("no inputs: give folders, files or glob patterns")
    roots: list[InputRoot] = []
    several = len(args) > 1
    out = outdir.resolve()
    for arg in args:
        if _is_glob(arg) and not Path(arg).exists():
            base = _glob_base(arg)
            prefix = f"{base.resolve().name}/" if several else ""
            roots.append(InputRoot("glob", base, arg, prefix))
            continue
        path = Path(arg)
        if path.is_dir():
            if path.resolve() == out:
                raise UsageError(f"{arg}: the output folder cannot also be an input")
            prefix = f"{path.resolve().name}/" if several else ""
            roots.append(InputRoot("dir", path, arg, prefix))
        elif path.is_file():
            roots.append(InputRoot("file", path.parent, arg, ""))
        else:
            raise UsageError(f"{arg}: no such file or folder")
    prefixes: dict[str, str] = {}
    for root in roots:
        if root.prefix:
            other = prefixes.setdefault(root.prefix, root.arg)
            if other != root.arg:
                raise UsageError(
                    f"{other} and {root.arg} would both be mirrored into {root.prefix!r} under the output folder: "
                    "convert them in separate batches"
                )
    return roots


def _walk(folder: Path, out: Path, extensions: tuple[str, ...]) -> Iterator[Path]:
    """Files under ``folder`` with one of ``extensions``, depth first in name order, lazily."""
    stack: list[Iterator[os.DirEntry[str]]] = []

    def listing(path: str) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(path) as it:
                entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:
            return iter(())
        return iter(entries)

    stack.append(listing(str(folder)))
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                if Path(entry.path).resolve() != out:
                    stack.append(listing(entry.path))
            elif entry.is_file() and entry.name.lower().endswith(extensions):
                yield Path(entry.path)
        except OSError:
            continue


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except ValueError:
        return False
    return True


def iter_sources(roots: Sequence[InputRoot], outdir: Path, extensions: Sequence[str]) -> Iterator[Source]:
    """Every article of the batch, in a stable order, one at a time."""
    out = outdir.resolve()
    exts = tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions)
    for root in roots:
        if root.kind == "file" and is_warc(Path(root.arg)):
            for page in iter_pages(Path(root.arg)):
                yield Source(Path(root.arg), root.prefix + page.key, page.offset, page.url, page.date)
        elif root.kind == "file" and is_url_list(Path(root.arg)):
            for item in iter_urls(Path(root.arg)):
                key = item.key or f"{Path(root.arg).name}-{item.line}{_BAD_LINE}"
                yield Source(Path(root.arg), root.prefix + key, url=item.url, line=item.line)
        elif root.kind == "file":
            yield Source(Path(root.arg), root.prefix + Path(root.arg).name)
        elif root.kind == "dir":
            for path in _walk(root.base, out, exts):
                yield Source(path, root.prefix + path.relative_to(root.base).as_posix())
        else:
            for name in sorted(glob.iglob(root.arg, recursive=True)):
                path = Path(name)
                if path.is_file() and not _inside(path, out):
                    yield Source(path, root.prefix + path.relative_to(root.base).as_posix())


class Claims:
    """The output name (stem) of every article of a batch, each given to one input file.

    :meth:`claim_all` walks the inputs once, names only; :meth:`take` then
    lets each input through once, in the second walk that converts.
    """

    def __init__(self) -> None:
        # "": a private temporary database, on disk once it outgrows its cache
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute(
            "CREATE TABLE claims (stem TEXT PRIMARY KEY, source TEXT NOT NULL, shown TEXT NOT NULL, "
            "taken INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
        )

    def __enter__(self) -> Claims:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def claim_all(
        self, roots: Sequence[InputRoot], outdir: Path, extensions: Sequence[str], outputs: Sequence[str] = ()
    ) -> int:
        """Give every output name to one input; how many articles there are (a file reached twice counts twice).

        ``outputs`` are the extensions the batch writes.  Raises :class:`UsageError`
        naming two inputs that would write the same output, or an input that an
        output would be written over.
        """
        count = 0
        clashes: list[tuple[str, str, str]] = []
        more = 0
        out = outdir.resolve()
        db = self._db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS inside (rel TEXT PRIMARY KEY, shown TEXT NOT NULL) WITHOUT ROWID")
        db.execute("BEGIN")
        try:
            for root in roots:
                # only these can hold inputs inside OUTDIR (a walk skips OUTDIR, a glob what is in it)
                near = root.kind == "file" or (root.kind == "dir" and _inside(root.base, out))
                for src in iter_sources([root], outdir, extensions):
                    count += 1
                    if near or src.path.is_symlink():
                        real = src.path.resolve()
                        if real.is_relative_to(out):
                            rel = real.relative_to(out).as_posix()
                            db.execute("INSERT OR IGNORE INTO inside VALUES (?, ?)", (rel, str(src.path)))
                    more += self._claim(src, clashes)
            self._overwritten(outdir, outputs)
        finally:
            db.execute("COMMIT")
        if clashes:
            first, second, stem = clashes[0]
            others = f" (and {more - 1} more such clashes)" if more > 1 else ""
            raise UsageError(
                f"{first} and {second} would both be written to {outdir / stem}.*{others}: "
                "rename one of them, or convert them in separate batches"
            )
        return count

    def _overwritten(self, outdir: Path, outputs: Sequence[str]) -> None:
        """Raise :class:`UsageError` when an output of the batch would be written over one of its inputs."""
        db = self._db
        for rel, shown in db.execute("SELECT rel, shown FROM inside").fetchall():
            for ext in outputs:
                if rel.endswith(ext) and len(rel) > len(ext):
                    row = db.execute("SELECT shown FROM claims WHERE stem = ?", (rel[: -len(ext)],)).fetchone()
                    if row is not None:
                        whose = f"its {ext} output" if row[0] == shown else f"the {ext} output of {row[0]}"
                        raise UsageError(
                            f"{shown}: is an input, and {whose} would be written over it: "
                            "use an output folder apart from the inputs"
                        )

    def _claim(self, src: Source, clashes: list[tuple[str, str, str]]) -> int:
        """Claim the output name of ``src``; 1 when another input has it (noted in ``clashes`` if first)."""
        db = self._db
        stem = output_stem(src.key)
        source = src.ident
        row = db.execute("SELECT source, shown FROM claims WHERE stem = ?", (stem,)).fetchone()
        if row is None:
            db.execute("INSERT INTO claims (stem, source, shown) VALUES (?, ?, ?)", (stem, source, src.shown))
        elif row[0] != source:
            if not clashes:
                clashes.append((row[1], src.shown, stem))
            return 1
        return 0

    def take(self, src: Source) -> str | None:
        """``None`` the first time ``src`` comes by: convert it.

        Else ``""`` when the same file comes again (overlapping inputs: once is
        enough), or the input whose output name it is (a file that appeared
        since :meth:`claim_all`, with the name of another).
        """
        stem, source = output_stem(src.key), src.ident
        db = self._db
        if db.execute(
            "UPDATE claims SET taken = 1 WHERE stem = ? AND source = ? AND taken = 0", (stem, source)
        ).rowcount:
            return None
        row = db.execute("SELECT source, shown FROM claims WHERE stem = ?", (stem,)).fetchone()
        if row is None:  # new since the first walk
            db.execute("INSERT INTO claims VALUES (?, ?, ?, 1)", (stem, source, src.shown))
            return None
        return "" if row[0] == source else str(row[1])
