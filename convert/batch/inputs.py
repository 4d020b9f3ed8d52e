"""Finding the articles of a batch, and where their outputs go.

Each command-line input is a folder (walked recursively), a file, or a glob
pattern (``'archive/**/*.md'``, quoted so that the shell leaves it alone).
Every article found gets a *key*, its path relative to the input, with ``/``
separators, and its outputs are written under OUTDIR at the same relative
place, so OUTDIR mirrors the input tree::

    archive/2012/09/a.md   ->   out/2012/09/a.pdf, out/2012/09/a.xml, ...

With several inputs, each folder or glob keeps its own name as a first level
(``out/archive-a/...``, ``out/archive-b/...``) and single files go to the top.

Folders are walked lazily, in name order, one directory listing at a time:
nothing holds the list of the whole archive.  Hidden files and folders (a name
starting with ``.``), symbolic links to folders and OUTDIR itself are skipped.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ..errors import UsageError

__all__ = ["DEFAULT_EXTENSIONS", "InputRoot", "Source", "count_sources", "iter_sources", "output_stem", "plan_inputs"]

#: File extensions a folder walk picks up unless ``--ext`` says otherwise (saved articles).
DEFAULT_EXTENSIONS: tuple[str, ...] = (".md", ".markdown", ".txt")

#: Suffixes removed from an input's name to make the stem of its outputs (longest first).
_FORMAT_SUFFIXES = (".tei.xml", ".markdown", ".json", ".md", ".txt", ".xml", ".tei")


@dataclass(frozen=True, slots=True)
class Source:
    """One article of the batch."""

    #: The file to read.
    path: Path
    #: Its place in the mirrored tree: relative path with ``/`` separators (the manifest key).
    key: str


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


def output_stem(key: str) -> str:
    """The relative path of an article's outputs without extension: ``"2012/a.md"`` -> ``"2012/a"``."""
    path = PurePosixPath(key)
    name = path.name
    lower = name.lower()
    for suffix in _FORMAT_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    else:
        if path.suffix and len(path.stem) > 0:
            name = path.stem
    return str(path.with_name(name))


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
        if root.kind == "file":
            yield Source(Path(root.arg), root.prefix + Path(root.arg).name)
        elif root.kind == "dir":
            for path in _walk(root.base, out, exts):
                yield Source(path, root.prefix + path.relative_to(root.base).as_posix())
        else:
            for name in sorted(glob.iglob(root.arg, recursive=True)):
                path = Path(name)
                if path.is_file() and not _inside(path, out):
                    yield Source(path, root.prefix + path.relative_to(root.base).as_posix())


def count_sources(roots: Sequence[InputRoot], outdir: Path, extensions: Sequence[str]) -> int:
    """How many articles :func:`iter_sources` will yield (a walk that keeps nothing)."""
    return sum(1 for _ in iter_sources(roots, outdir, extensions))
