"""How a batch shows its progress: a rich bar on a terminal, plain lines otherwise, or nothing.

All three take the same calls from the runner: :meth:`Reporter.start` with the
number of articles, :meth:`Reporter.update` after each one, :meth:`Reporter.say`
for a line that must be seen (a failure), :meth:`Reporter.close` at the end.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, TextIO

__all__ = ["Counts", "PlainReporter", "QuietReporter", "Reporter", "RichReporter", "make_reporter"]


@dataclass(slots=True)
class Counts:
    """Running totals of a batch."""

    total: int = 0
    converted: int = 0
    skipped: int = 0
    failed: int = 0
    #: Of the failed, those that ran past the time limit.
    timed_out: int = 0
    #: Warnings from readers and writers (listed in the report).
    warnings: int = 0
    #: Of the skipped, the URLs their site's ``robots.txt`` disallows (or that could not be checked).
    disallowed: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        """Articles dealt with so far."""
        return self.converted + self.skipped + self.failed

    @property
    def elapsed(self) -> float:
        """Seconds since the batch started."""
        return time.monotonic() - self.started


class Reporter:
    """Shows nothing; the base of the others."""

    def start(self, counts: Counts) -> None:
        """The batch starts: ``counts.total`` articles."""

    def update(self, counts: Counts) -> None:
        """One more article is done."""

    def say(self, message: str) -> None:
        """A line that must be seen (a failure)."""
        print(message, file=sys.stderr, flush=True)

    def close(self, counts: Counts) -> None:
        """The batch is over (or interrupted)."""


class QuietReporter(Reporter):
    """``--quiet``: no progress; failures are still listed on stderr and in the report."""


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class PlainReporter(Reporter):
    """Not a terminal: one line every ``interval`` seconds, with rate and ETA."""

    def __init__(self, stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        #: (time, done) samples of the last 30 seconds, for the rate.
        self._window: deque[tuple[float, int]] = deque()

    def start(self, counts: Counts) -> None:
        """Say how many articles there are."""
        self._last = time.monotonic()
        self._window.append((self._last, 0))
        plural = "" if counts.total == 1 else "s"
        print(f"artconv batch: {counts.total} article{plural}", file=self.stream, flush=True)

    def rate(self, counts: Counts) -> float:
        """Articles per second over the last 30 seconds."""
        now = time.monotonic()
        self._window.append((now, counts.done))
        while len(self._window) > 2 and now - self._window[0][0] > 30:
            self._window.popleft()
        t0, d0 = self._window[0]
        return (counts.done - d0) / (now - t0) if now > t0 else 0.0

    def line(self, counts: Counts) -> str:
        """The progress line."""
        rate = self.rate(counts)
        pct = 100 * counts.done / counts.total if counts.total else 100.0
        left = counts.total - counts.done
        eta = _duration(left / rate) if rate > 0 else "?"
        return (
            f"artconv batch: {counts.done}/{counts.total} ({pct:.0f}%), {rate:.1f} articles/s, "
            f"elapsed {_duration(counts.elapsed)}, ETA {eta}; "
            f"{counts.converted} converted, {counts.skipped} skipped, {counts.failed} failed"
        )

    def update(self, counts: Counts) -> None:
        """Print a line when ``interval`` seconds have passed since the last one."""
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            print(self.line(counts), file=self.stream, flush=True)

    def say(self, message: str) -> None:
        """Print the message."""
        print(message, file=self.stream, flush=True)


class RichReporter(Reporter):
    """A terminal: a live bar with count, rate, elapsed time and ETA (rich)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.1f} articles/s" if speed else "", style="progress.data.speed")

        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]artconv batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"),
            console=self.console,
            speed_estimate_period=30,
        )
        self.task = self.progress.add_task("batch", total=None, status="", start=False)

    def _status(self, counts: Counts) -> str:
        failed = f", [red]{counts.failed} failed[/red]" if counts.failed else ""
        return f"{counts.converted} converted, {counts.skipped} skipped{failed}"

    def start(self, counts: Counts) -> None:
        """Show the bar."""
        self.progress.start()
        self.progress.update(self.task, total=counts.total, status=self._status(counts))
        self.progress.start_task(self.task)

    def update(self, counts: Counts) -> None:
        """Move the bar."""
        self.progress.update(self.task, completed=counts.done, status=self._status(counts))

    def say(self, message: str) -> None:
        """Print above the bar."""
        from rich.markup import escape

        self.progress.console.print(escape(message), highlight=False, soft_wrap=True)

    def close(self, counts: Counts) -> None:
        """Leave the final bar on screen."""
        self.progress.update(self.task, completed=counts.done, status=self._status(counts))
        self.progress.stop()


def make_reporter(quiet: bool, interval: float | None = None, stream: TextIO | None = None) -> Reporter:
    """The reporter for this run: quiet, a rich bar on a terminal, or plain lines."""
    if quiet:
        return QuietReporter()
    out = stream or sys.stderr
    if interval is None and out.isatty():
        return RichReporter()
    return PlainReporter(out, interval if interval is not None else 10.0)
