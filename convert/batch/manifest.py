"""The batch manifest: what has been converted, from what, with what.

An SQLite database in OUTDIR (``artconv-manifest.sqlite``).  For every input
(by its key, the relative path mirrored under OUTDIR) it records the SHA-256
of the input's bytes, a hash of the options, the artconv version, and for each
format the output written and its size.  A format of an input is *up to date*
when all of these match and the output file is still there with that size; a
batch converts only what is not.

Rows are written in one transaction per input, after all of that input's
outputs have been renamed into place, so a run killed at any moment (even
``kill -9``) leaves the manifest describing only complete outputs.  The
database runs in WAL mode: a commit survives the death of the process without
waiting for the disk.

It also records the articles that ran past the batch's time limit (with the
limit, the input's hash, the options and the version), so that a re-run does
not spend that time on them again unless the input, the options or the
version changed, the limit is longer, or ``--force`` is given.

A run also keeps, in temporary tables that never reach memory in full, the
failures and warnings it will list in the report.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

__all__ = ["MANIFEST_NAME", "Manifest", "RecordedOutput"]

#: File name of the manifest inside OUTDIR.
MANIFEST_NAME = "artconv-manifest.sqlite"
#: Version of the manifest's tables; a manifest from another version is refused.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    key TEXT PRIMARY KEY,          -- relative input path, mirrored under OUTDIR
    source TEXT NOT NULL,          -- the path the input was read from
    sha256 TEXT NOT NULL,          -- of the input's bytes
    options TEXT NOT NULL,         -- options hash (see the options table)
    version TEXT NOT NULL,         -- artconv version that wrote the outputs
    converted_at TEXT NOT NULL     -- UTC, ISO 8601
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (
    key TEXT NOT NULL REFERENCES inputs(key) ON DELETE CASCADE,
    format TEXT NOT NULL,
    path TEXT NOT NULL,            -- relative to OUTDIR
    size INTEGER NOT NULL,
    PRIMARY KEY (key, format)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS options (hash TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS timeouts (
    key TEXT PRIMARY KEY,          -- relative input path
    sha256 TEXT NOT NULL,          -- of the input's bytes
    options TEXT NOT NULL,         -- options hash
    version TEXT NOT NULL,         -- artconv version
    seconds REAL NOT NULL,         -- the time limit it ran past
    at TEXT NOT NULL               -- UTC, ISO 8601
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS failures (seq INTEGER PRIMARY KEY, file TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS warnings (seq INTEGER PRIMARY KEY, file TEXT NOT NULL, message TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class RecordedOutput:
    """One output of an input, as the manifest records it."""

    format: str
    #: Relative to OUTDIR, ``/`` separators.
    path: str
    size: int


class Manifest:
    """The manifest of one OUTDIR (open it with ``with Manifest(outdir) as m:``)."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.path = outdir / MANIFEST_NAME
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise UsageError(f"{self.path}: cannot open the manifest: {exc}") from None
        try:
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise UsageError(
                    f"{self.path}: manifest version {row[0]}, this artconv reads version {SCHEMA_VERSION}: "
                    "use another output folder, or delete the manifest to convert everything again"
                )
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise UsageError(f"{self.path}: not a usable manifest: {exc}") from None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (checkpointing the WAL)."""
        self._db.close()

    # ------------------------------------------------------------------ planning

    def pending_formats(
        self, key: str, sha256: str, options: str, version: str, formats: Sequence[str]
    ) -> tuple[str, ...]:
        """The formats of ``formats`` that are not up to date for this input."""
        row = self._db.execute("SELECT sha256, options, version FROM inputs WHERE key = ?", (key,)).fetchone()
        if row is None or tuple(row) != (sha256, options, version):
            return tuple(formats)
        recorded = {
            fmt: (path, size)
            for fmt, path, size in self._db.execute("SELECT format, path, size FROM outputs WHERE key = ?", (key,))
        }
        pending = []
        for fmt in formats:
            found = recorded.get(fmt)
            if found is None or not self._intact(found[0], found[1]):
                pending.append(fmt)
        return tuple(pending)

    def done_before(self, key: str, options: str, version: str, formats: Sequence[str]) -> bool:
        """Whether every format of ``formats`` was made for ``key`` with these options and version, whatever its bytes.

        A fetched URL is not fetched again to know: its outputs from an earlier run stand (``--force`` fetches).
        """
        row = self._db.execute("SELECT options, version FROM inputs WHERE key = ?", (key,)).fetchone()
        if row is None or tuple(row) != (options, version):
            return False
        recorded = {
            fmt: (path, size)
            for fmt, path, size in self._db.execute("SELECT format, path, size FROM outputs WHERE key = ?", (key,))
        }
        return all(fmt in recorded and self._intact(*recorded[fmt]) for fmt in formats)

    def _intact(self, path: str, size: int) -> bool:
        try:
            return os.stat(self.outdir / path).st_size == size
        except OSError:
            return False

    def earlier_timeout(self, key: str, sha256: str, options: str, version: str) -> float | None:
        """The time limit this very input (same bytes, options and version) ran past in an earlier run."""
        row = self._db.execute(
            "SELECT seconds FROM timeouts WHERE key = ? AND sha256 = ? AND options = ? AND version = ?",
            (key, sha256, options, version),
        ).fetchone()
        return None if row is None else float(row[0])

    # ------------------------------------------------------------------ recording

    def record(
        self,
        *,
        key: str,
        source: str,
        sha256: str,
        options: str,
        version: str,
        outputs: Sequence[RecordedOutput],
    ) -> None:
        """Record ``outputs`` (all written) for this input, in one transaction.

        When the input, the options or the version changed, the formats recorded
        before are forgotten: their files are from another input.
        """
        now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT sha256, options, version FROM inputs WHERE key = ?", (key,)).fetchone()
            if row is not None and tuple(row) != (sha256, options, version):
                db.execute("DELETE FROM outputs WHERE key = ?", (key,))
            db.execute(
                "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "source = excluded.source, sha256 = excluded.sha256, options = excluded.options, "
                "version = excluded.version, converted_at = excluded.converted_at",
                (key, source, sha256, options, version, now),
            )
            db.executemany(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                [(key, out.format, out.path, out.size) for out in outputs],
            )
            db.execute("DELETE FROM timeouts WHERE key = ?", (key,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def record_timeout(self, *, key: str, sha256: str, options: str, version: str, seconds: float) -> None:
        """Record that this input ran past the time limit ``seconds``."""
        now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._db.execute(
            "INSERT OR REPLACE INTO timeouts VALUES (?, ?, ?, ?, ?, ?)", (key, sha256, options, version, seconds, now)
        )

    def remember_options(self, options_hash: str, options_json: str) -> None:
        """Keep the options behind a hash, for people reading the manifest."""
        self._db.execute("INSERT OR IGNORE INTO options VALUES (?, ?)", (options_hash, options_json))

    def add_failure(self, file: str, reason: str) -> None:
        """Note a failure of this run for the report."""
        self._db.execute("INSERT INTO temp.failures (file, reason) VALUES (?, ?)", (file, reason))

    def add_warning(self, file: str, message: str) -> None:
        """Note a writer's warning of this run for the report."""
        self._db.execute("INSERT INTO temp.warnings (file, message) VALUES (?, ?)", (file, message))

    def failures(self) -> Iterator[tuple[str, str]]:
        """(file, reason) of this run's failures, in the order they happened."""
        yield from self._db.execute("SELECT file, reason FROM temp.failures ORDER BY seq")

    def warnings(self) -> Iterator[tuple[str, str]]:
        """(file, message) of this run's warnings, in the order they happened."""
        yield from self._db.execute("SELECT file, message FROM temp.warnings ORDER BY seq")

    # ------------------------------------------------------------------ reading

    def keys(self) -> Iterator[str]:
        """Keys of every recorded input."""
        for (key,) in self._db.execute("SELECT key FROM inputs ORDER BY key"):
            yield key

    def outputs(self, key: str) -> list[RecordedOutput]:
        """The recorded outputs of an input."""
        return [
            RecordedOutput(fmt, path, size)
            for fmt, path, size in self._db.execute(
                "SELECT format, path, size FROM outputs WHERE key = ? ORDER BY format", (key,)
            )
        ]
