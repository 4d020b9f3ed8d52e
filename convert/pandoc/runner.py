"""Running pandoc: the binary ``pypandoc-binary`` ships, its version checked once.

pandoc reads and writes its JSON AST on a pipe (``-f json`` / ``-t json``); the
binary is found with :func:`pypandoc.get_pandoc_path` (no system install needed).
The pandoc-types API version of its JSON must have the major numbers this
bridge writes (:data:`convert.pandoc.bridge.API_VERSION`: ``1.23``).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ArtconvError
from .bridge import API_VERSION

__all__ = ["PandocError", "api_version", "pandoc_path", "pandoc_version", "run", "run_json"]

#: Seconds one pandoc run may take.
TIMEOUT = 300


class PandocError(ArtconvError):
    """pandoc is missing, too old or too new, or failed on the document."""


@functools.cache
def pandoc_path() -> str:
    """The path of the pandoc binary (pypandoc's)."""
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise PandocError(f"pypandoc is not installed: {exc}") from None
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise PandocError(f"pandoc was not found: {exc}") from None


@functools.cache
def pandoc_version() -> str:
    """pandoc's version (``"3.9"``)."""
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, check=True, timeout=60).stdout
    return out.decode("utf-8", "replace").split("\n", 1)[0].split()[-1]


@functools.cache
def api_version() -> tuple[int, ...]:
    """The pandoc-types API version of pandoc's JSON, checked against the bridge's."""
    doc = run_json(b"", "markdown", check=False)
    version = tuple(doc["pandoc-api-version"])
    if version[:2] != API_VERSION[:2]:
        raise PandocError(
            f"pandoc {pandoc_version()} speaks pandoc-types {'.'.join(map(str, version))}; "
            f"artconv needs {'.'.join(map(str, API_VERSION[:2]))}.x (pandoc 3.x)"
        )
    return version


def run(data: bytes, args: Sequence[str], *, epoch: int | None = None, check: bool = True) -> bytes:
    """pandoc's output for ``data`` on its standard input, with ``args`` (``-f``, ``-t``, ...).

    No process is spent on checking pandoc's version beforehand: when pandoc fails, ``check``
    tells first whether its pandoc-types API is not the bridge's (:func:`api_version`).
    """
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        proc = subprocess.run(
            [pandoc_path(), *args], input=data, capture_output=True, timeout=TIMEOUT, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PandocError(f"pandoc could not run: {exc}") from None
    if proc.returncode != 0:
        if check:
            api_version()
        message = proc.stderr.decode("utf-8", "replace").strip().replace("\n", " ")
        raise PandocError(f"pandoc failed ({proc.returncode}): {message[:300]}")
    return proc.stdout


def run_json(data: bytes, from_format: str, *, args: Sequence[str] = (), check: bool = True) -> Mapping[str, Any]:
    """pandoc's JSON AST of ``data`` read as ``from_format``."""
    out = run(data, ["-f", from_format, "-t", "json", *args], check=check)
    doc: Mapping[str, Any] = json.loads(out)
    if check and tuple(doc.get("pandoc-api-version", ()))[:2] != API_VERSION[:2]:
        api_version()  # raises, naming both versions
    return doc
