"""Markdown reading throughput: this checkout against the hand-written parser artconv had before.

The parser was replaced by markdown-it-py; the issue that asked for it wants reading no slower than
before, measured in the same run.  The code before is taken from the git history
(:data:`BASELINE`, ``git archive``) into a folder of its own, and both read the same corpus in
fresh processes, alternately, each file through the reader its format is detected as (the
article reader for page dumps, the Markdown reader for files with front matter), in-process,
after one warm-up pass.  Outside a git checkout the section is skipped.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

#: A commit with the hand-written Markdown parser (the last one before the IR's version 2).
BASELINE = "6c649eb"

#: Read every file of the corpus ``rounds`` times; print the seconds of the fastest round.
_READ = r"""
import sys, time
from pathlib import Path
from convert.options import Options
from convert.readers.detect import detect_format
from convert.registry import get_reader
files = [(p.read_bytes(), p.suffix) for p in sorted(Path(sys.argv[1]).rglob("*")) if p.is_file()]
jobs = [(data, get_reader(detect_format(data, suffix))) for data, suffix in files]
options = Options()
for data, reader in jobs:
    reader.read(data, options)
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for data, reader in jobs:
        reader.read(data, options)
    best = min(best, time.perf_counter() - start)
print(best)
"""


def baseline_tree(root: Path, into: Path) -> Path | None:
    """The ``convert`` package of :data:`BASELINE` under ``into`` (``None`` outside a git checkout)."""
    try:
        tar = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", BASELINE, "convert"],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into


def read_seconds(tree: Path | None, corpus: Path, env: dict[str, str], rounds: int) -> float:
    """Seconds of the fastest pass over the corpus, reading with the ``convert`` of ``tree`` (None: installed)."""
    env = dict(env)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    out = subprocess.run(
        [sys.executable, "-c", _READ, str(corpus), str(rounds)],
        capture_output=True, text=True, check=True, env=env, cwd=str(tree or corpus),
    )  # fmt: skip
    return float(out.stdout)


def compare(root: Path, work: Path, corpus: Path, env: dict[str, str], *, runs: int, rounds: int) -> dict[str, float]:
    """Articles per second now and before (medians of ``runs`` processes each), or ``{}`` without git."""
    tree = baseline_tree(root, work / "baseline")
    if tree is None:
        return {}
    count = sum(1 for p in corpus.rglob("*") if p.is_file())
    now: list[float] = []
    before: list[float] = []
    for _ in range(runs):
        now.append(read_seconds(None, corpus, env, rounds))
        before.append(read_seconds(tree, corpus, env, rounds))
    return {"now": count / statistics.median(now), "before": count / statistics.median(before), "count": count}


if __name__ == "__main__":  # python benchmarks/parse_bench.py CORPUS
    root = Path(__file__).resolve().parent.parent
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "artconv-parse-bench"
    work.mkdir(exist_ok=True)
    print(compare(root, work, Path(sys.argv[1]), dict(os.environ), runs=5, rounds=3))
