"""artconv's benchmarks: speed and memory against the tools people would use instead.

``nox -s bench`` (or ``python benchmarks/run.py [--quick] [--markdown FILE]``) measures, in one run:

* start-up: ``artconv SAMPLE -t tei`` against ``pandoc SAMPLE -s -t tei``
  (pypandoc's binary), median wall time of a fresh process each;
* batch: 200 generated articles to md, tei and epub with ``artconv batch``,
  against pandoc run once per article for TEI alone, in articles per second;
* DOCX through pandoc: ``artconv SAMPLE -t docx`` against ``pandoc SAMPLE -o
  sample.docx`` (fresh processes, medians), and the 200 articles to DOCX with
  ``artconv batch -j 2`` against pandoc run once per article;
* batch PDF: the same articles to PDF with 2 worker processes against 1;
* memory: peak memory of a 2,000-article md+tei batch against a 200-article
  one (the proportional set size of the batch and all its processes, sampled);
* resumption: a 2,000-article batch killed (``SIGKILL``) part-way, then run
  again: every article converted exactly once, no partial file left;
* the PDF writer against bare WeasyPrint (``benchmarks/pdf_bench.py``);
* hostile inputs (``tests/hostile.py``): the PDF of the nested-emphasis input,
  of a 30,000-character token, of a 16,000-character URL and of a 5.5 MB
  article, in seconds and peak memory (``--huge``: the 5.5 MB article also
  with the size limit lifted);
* Markdown reading: articles per second read by this checkout's parser
  (markdown-it-py) against the hand-written one it replaced, taken from the git
  history (``benchmarks/parse_bench.py``);
* a profile of the per-article hot path: time per stage, and the functions
  that take the most time of their own.

Every ratio is of two measurements made in this run, on this machine.  The
table is printed as Markdown (and written to ``--markdown FILE``), with the
machine it ran on; the raw numbers go to ``bench-out/results.json``.
Subprocesses run with bytecode caching on (in a private cache folder), as an
installed artconv would.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import json
import os
import platform
import pstats
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "russia-pakistan-relationship.md"
OUT = ROOT / "bench-out"

if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402


@dataclass
class Row:
    """One line of the table."""

    name: str
    value: float
    unit: str
    note: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Bench:
    """Settings and results of a run."""

    quick: bool
    work: Path
    env: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def add(self, *args: object, **kwargs: object) -> None:
        """Add a row and show it at once."""
        row = Row(*args, **kwargs)  # type: ignore[arg-type]
        self.rows.append(row)
        mark = "" if row.met is None else (" ok" if row.met else " NOT MET")
        print(f"  {row.name:34} {row.value:>12.4g} {row.unit:10} {row.target}{mark}", flush=True)


# --------------------------------------------------------------------------- helpers


def pandoc_path() -> str:
    """pandoc from pypandoc-binary (or on PATH)."""
    try:
        import pypandoc

        path: str = pypandoc.get_pandoc_path()
        return path
    except Exception:  # not installed, or no binary
        found = shutil.which("pandoc")
        if not found:
            raise SystemExit("pandoc not found: pip install pypandoc-binary") from None
        return found


def subprocess_env(cache: Path) -> dict[str, str]:
    """The environment of measured subprocesses: bytecode cached (as when installed), nothing else changed."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def artconv_command() -> list[str]:
    """The ``artconv`` console script next to this Python, or what it runs."""
    script = Path(sys.executable).parent / "artconv"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from convert.cli import main; sys.exit(main())"]


def timed(cmd: Sequence[str], env: dict[str, str], **kwargs: object) -> float:
    """Wall seconds of one run of ``cmd`` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start


def machine() -> dict[str, object]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --------------------------------------------------------------------------- memory


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    return kids


def _pss_kib(pid: int) -> int:
    """Proportional set size of a process (shared pages counted once overall), KiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Samples the memory of a process and all its descendants until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_pss = 0
        self.peak_rss = 0
        self.peak_one = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += _children(pid)
            rss = [_rss_kib(p) for p in tree]
            self.peak_pss = max(self.peak_pss, sum(_pss_kib(p) for p in tree))
            self.peak_rss = max(self.peak_rss, sum(rss))
            self.peak_one = max(self.peak_one, max(rss, default=0))
            self.processes = max(self.processes, len(tree))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()


def run_batch(
    bench: Bench, args: Sequence[str], *, measure: bool = False, kill_when: Callable[[], bool] | None = None
) -> tuple[float, TreeMemory | None, subprocess.CompletedProcess[str] | None]:
    """Run ``artconv batch ARGS``; (wall seconds, memory samples, finished process or None when killed)."""
    cmd = [sys.executable, "-m", "convert", "batch", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=bench.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mem = TreeMemory(proc.pid) if measure else None
    if kill_when is not None:
        while proc.poll() is None and not kill_when():
            time.sleep(0.01)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            if mem:
                mem.stop()
            return time.perf_counter() - start, mem, None
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if mem:
        mem.stop()
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return seconds, mem, done


def report(outdir: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((outdir / "artconv-report.json").read_text(encoding="utf-8"))
    return data


# --------------------------------------------------------------------------- benchmarks


def bench_startup(bench: Bench) -> None:
    """``artconv SAMPLE -t tei`` against ``pandoc SAMPLE -s -t tei``, fresh processes."""
    print("start-up (fresh process, median):", flush=True)
    runs = 11 if bench.quick else 31
    pandoc = [pandoc_path(), str(SAMPLE), "-s", "-t", "tei"]
    ours = [*artconv_command(), str(SAMPLE), "-t", "tei"]
    bare = [sys.executable, "-c", "pass"]
    # The same without site-packages' .pth files (an editable install's import hook, and whatever else the
    # environment adds to every Python start): what a regular installation comes close to.
    import site

    nosite_env = dict(bench.env, PYTHONPATH=os.pathsep.join([str(ROOT), *site.getsitepackages()]))
    main_code = "import sys; from convert.cli import main; sys.exit(main())"
    ours_nosite = [sys.executable, "-S", "-c", main_code, str(SAMPLE), "-t", "tei"]
    bare_nosite = [sys.executable, "-S", "-c", "pass"]
    commands = {
        "pandoc": (pandoc, bench.env),
        "artconv": (ours, bench.env),
        "python": (bare, bench.env),
        "artconv_nosite": (ours_nosite, nosite_env),
        "python_nosite": (bare_nosite, nosite_env),
    }
    for cmd, env in commands.values():  # warm caches (and write bytecode, the regex cache, the kept modules)
        timed(cmd, env)
    time.sleep(2.5)  # modules whose files changed in the last two seconds are kept by a later run
    for cmd, env in commands.values():
        timed(cmd, env)
        timed(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # alternate, so that load on the machine hits all alike
        for name, (cmd, env) in commands.items():
            times[name].append(timed(cmd, env))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    best = {k: min(v) * 1000 for k, v in times.items()}
    bench.add("startup.pandoc_tei_ms", med["pandoc"], "ms", f"median of {runs}: pandoc -s -t tei")
    bench.add("startup.artconv_tei_ms", med["artconv"], "ms", f"median of {runs}: {Path(ours[0]).name} ... -t tei")
    ratio = med["artconv"] / med["pandoc"]
    # 1.3x: the target set when the Markdown parser became markdown-it-py (whose import alone took more
    # instructions than pandoc's whole run); the target before it was 1.0x (see docs/performance.md)
    bench.add("startup.ratio", ratio, "x", "artconv / pandoc, medians", "<= 1.3", ratio <= 1.3)
    bench.add("startup.ratio_best", best["artconv"] / best["pandoc"], "x", "the same on the fastest runs")
    bench.add("startup.python_bare_ms", med["python"], "ms", "python -c pass: the interpreter and site alone")
    bench.add("startup.artconv_nosite_ms", med["artconv_nosite"], "ms", "artconv under python -S (no .pth files)")
    bench.add("startup.python_nosite_ms", med["python_nosite"], "ms", "python -S -c pass")
    bench.add("startup.ratio_nosite", med["artconv_nosite"] / med["pandoc"], "x", "artconv under python -S / pandoc")
    code = (
        "import json, sys; from convert.cli import main; main([sys.argv[1], '-t', 'tei']); "
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code, str(SAMPLE)], env=nosite_env, capture_output=True, text=True, check=True
    )
    unneeded = ("weasyprint", "ebooklib", "pypdf", "rich", "yaml", "sqlite3", "concurrent", "tempfile", "shutil",
                "convert.writers.pdf", "convert.writers.epub", "convert.writers.markdown", "convert.writers.html",
                "convert.writers.json", "convert.html", "convert.batch")  # fmt: skip
    heavy = [m for m in json.loads(done.stderr) if m.startswith(unneeded)]
    bench.facts["startup.unneeded_modules_for_tei"] = heavy
    print(f"  modules -t tei does not need, imported anyway: {heavy or 'none'}", flush=True)


def bench_batch(bench: Bench, corpus: Path, n: int) -> None:
    """200 articles to md, tei and epub against pandoc once per article for TEI."""
    print(f"batch of {n} articles:", flush=True)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    pandoc = pandoc_path()
    out = bench.work / "pandoc-out"
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    for i, path in enumerate(files):
        subprocess.run([pandoc, str(path), "-s", "-t", "tei", "-o", str(out / f"{i}.xml")], check=True)
    t_pandoc = time.perf_counter() - start
    rate_pandoc = len(files) / t_pandoc
    bench.add("batch.pandoc_tei_per_s", rate_pandoc, "articles/s", "pandoc -s -t tei, once per article, in turn")

    jobs = os.cpu_count() or 1
    runs = 1 if bench.quick else 3
    times = []
    for r in range(runs):
        outdir = bench.work / f"batch-{r}"
        seconds, _, done = run_batch(bench, [str(corpus), "-t", "md,tei,epub", "-o", str(outdir), "-q"])
        assert done is not None and done.returncode == 0, done and done.stderr
        assert report(outdir)["converted"] == len(files)
        times.append(seconds)
    rate = len(files) / statistics.median(times)
    bench.add(
        "batch.artconv_md_tei_epub_per_s",
        rate,
        "articles/s",
        f"artconv batch -t md,tei,epub -j {jobs}, whole command, median of {runs}",
    )
    ratio = rate / rate_pandoc
    bench.add("batch.ratio", ratio, "x", "artconv (3 formats) / pandoc (TEI only)", ">= 10", ratio >= 10)
    seconds, _, done = run_batch(bench, [str(corpus), "-t", "md,tei,epub", "-o", str(bench.work / "batch-0"), "-q"])
    assert done is not None and report(bench.work / "batch-0")["skipped"] == len(files)
    bench.add("batch.rerun_nothing_changed_s", seconds, "s", "second run: every article up to date, skipped")


def bench_docx(bench: Bench, corpus: Path, n: int) -> None:
    """DOCX through pandoc: one article against pandoc alone, and a batch against pandoc once per article."""
    print("docx (through pandoc):", flush=True)
    bench.facts["docx.load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out = bench.work / "docx"
    out.mkdir(exist_ok=True)
    runs = 11 if bench.quick else 21
    commands = {
        "pandoc": [pandoc_path(), str(SAMPLE), "-o", str(out / "pandoc.docx")],
        "artconv": [*artconv_command(), str(SAMPLE), "-t", "docx", "-o", str(out / "artconv.docx"), "-q"],
    }
    for cmd in commands.values():  # warm caches (and write bytecode)
        timed(cmd, bench.env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # alternate, so that load on the machine hits both alike
        for name, cmd in commands.items():
            times[name].append(timed(cmd, bench.env))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    bench.add("docx.pandoc_ms", med["pandoc"], "ms", f"median of {runs}: pandoc SAMPLE.md -o sample.docx")
    bench.add("docx.artconv_ms", med["artconv"], "ms", f"median of {runs}: artconv SAMPLE -t docx")
    ratio = med["artconv"] / med["pandoc"]
    bench.add("docx.ratio", ratio, "x", "artconv / pandoc, medians of the same run", "<= 1.2", ratio <= 1.2)

    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    pandoc = pandoc_path()
    start = time.perf_counter()
    for i, path in enumerate(files):
        subprocess.run([pandoc, str(path), "-f", "markdown", "-o", str(out / f"{i}.docx")], check=True)
    rate_pandoc = len(files) / (time.perf_counter() - start)
    bench.add("docx.batch_pandoc_per_s", rate_pandoc, "articles/s", f"pandoc -o N.docx, once per article, {n} in turn")
    batch_runs = 1 if bench.quick else 3
    seconds_each = []
    for r in range(batch_runs):
        outdir = bench.work / f"docx-batch-{r}"
        seconds, _, done = run_batch(bench, [str(corpus), "-t", "docx", "-j", "2", "-o", str(outdir), "-q"])
        assert done is not None and done.returncode == 0, done and done.stderr
        assert report(outdir)["converted"] == len(files)
        seconds_each.append(seconds)
    rate = len(files) / statistics.median(seconds_each)
    bench.add("docx.batch_artconv_per_s", rate, "articles/s", f"artconv batch -t docx -j 2, median of {batch_runs}")
    ratio = rate / rate_pandoc
    bench.add("docx.batch_ratio", ratio, "x", "artconv batch / pandoc once per article", ">= 1.5", ratio >= 1.5)
    bench.facts["docx.load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_parse(bench: Bench, corpus: Path) -> None:
    """Reading the corpus with markdown-it-py against the hand-written parser it replaced."""
    from benchmarks.parse_bench import BASELINE, compare

    print("markdown reading:", flush=True)
    runs = 3 if bench.quick else 7
    rates = compare(ROOT, bench.work, corpus, bench.env, runs=runs, rounds=3)
    if not rates:
        print("  skipped: not a git checkout (the parser before is taken from the history)", flush=True)
        return
    n = int(rates["count"])
    bench.add("parse.now_per_s", rates["now"], "articles/s", f"{n} articles read in one process, median of {runs}")
    bench.add("parse.before_per_s", rates["before"], "articles/s", f"the same with the parser of commit {BASELINE}")
    ratio = rates["now"] / rates["before"]
    bench.add("parse.ratio", ratio, "x", "now / before", ">= 1.0", ratio >= 1.0)
    bench_big_read(bench)


def bench_big_read(bench: Bench) -> None:
    """A 5 MB saved article (the sample's body repeated, notes and rights blocks included) read whole."""
    import statistics

    import convert

    sample = SAMPLE.read_text(encoding="utf-8")
    body = sample.split("\n\n", 3)[-1][:8000]
    parts = [sample]
    size = len(sample.encode())
    while size < 5_000_000:
        parts.append(body)
        size += len(body.encode()) + 2
    data = "\n\n".join(parts).encode()
    times = []
    for _ in range(1 if bench.quick else 3):
        start = time.perf_counter()
        convert.parse(data, name="big.md")
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    bench.add("read.5mb_s", seconds, "s", f"{len(data) / 1e6:.1f} MB article read (median of {len(times)})",
              "<= 2", seconds <= 2)  # fmt: skip


def bench_pdf(bench: Bench, corpus: Path, n: int) -> None:
    """Batch PDF with 2 workers against 1."""
    print(f"batch PDF, {n} articles:", flush=True)
    sub = bench.work / "pdf-corpus"
    for path in sorted(p for p in corpus.rglob("*") if p.is_file())[:n]:
        target = sub / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    rates = {}
    for jobs in (1, 2):
        outdir = bench.work / f"pdf-{jobs}"
        seconds, _, done = run_batch(bench, [str(sub), "-t", "pdf", "-o", str(outdir), "-q", "-j", str(jobs)])
        assert done is not None and report(outdir)["converted"] == n, done and done.stderr
        rates[jobs] = n / seconds
        note = f"artconv batch -t pdf -j {jobs}, whole command"
        bench.add(f"pdf_batch.j{jobs}_per_s", rates[jobs], "articles/s", note)
    ratio = rates[2] / rates[1]
    bench.add("pdf_batch.scaling", ratio, "x", "2 workers / 1 worker", ">= 1.8", ratio >= 1.8)


def bench_memory_and_resume(bench: Bench, small: Path, big: Path, n_small: int, n_big: int) -> None:
    """Peak memory of a big md+tei batch against a small one; a killed big batch resumed."""
    print(f"memory, {n_small} and {n_big} articles (md, tei):", flush=True)
    peaks = {}
    for n, corpus in ((n_small, small), (n_big, big)):
        outdir = bench.work / f"mem-{n}"
        seconds, mem, done = run_batch(bench, [str(corpus), "-t", "md,tei", "-o", str(outdir), "-q"], measure=True)
        assert mem is not None and done is not None and report(outdir)["converted"] == n
        peaks[n] = mem
        bench.add(f"memory.pss_peak_{n}_mib", mem.peak_pss / 1024, "MiB", f"all {mem.processes} processes, summed PSS")
        bench.add(f"memory.largest_process_{n}_mib", mem.peak_one / 1024, "MiB", "RSS of the largest process")
        if n == n_big:
            bench.add(f"batch.md_tei_{n}_per_s", n / seconds, "articles/s", "artconv batch -t md,tei, whole command")
    ratio = peaks[n_big].peak_pss / peaks[n_small].peak_pss
    bench.add("memory.ratio", ratio, "x", f"peak PSS, {n_big} / {n_small} articles", "<= 1.2", ratio <= 1.2)
    bench.add("memory.ratio_largest", peaks[n_big].peak_one / peaks[n_small].peak_one, "x", "the same, largest process")

    print(f"resumption, {n_big} articles (md, tei), killed part-way:", flush=True)
    outdir = bench.work / "resume"
    manifest = outdir / "artconv-manifest.sqlite"

    def recorded() -> int:
        try:
            with sqlite3.connect(manifest, timeout=0.1) as db:
                count: int = db.execute("SELECT count(*) FROM inputs").fetchone()[0]
                return count
        except sqlite3.Error:
            return 0

    args = [str(big), "-t", "md,tei", "-o", str(outdir), "--progress-interval", "2"]
    _, _, killed = run_batch(bench, args, kill_when=lambda: recorded() >= n_big * 2 // 5)
    at_kill = recorded()
    time.sleep(1.0)  # the killed batch's workers notice and end
    seconds, _, done = run_batch(bench, args)
    assert done is not None
    data = report(outdir)
    partial = [p for p in outdir.rglob("*") if p.name.endswith(".part")]
    lines = [line for line in done.stderr.splitlines() if "articles/s" in line]
    ok = (
        killed is None
        and data["converted"] == n_big - at_kill
        and data["skipped"] == at_kill
        and data["failed"] == 0
        and recorded() == n_big
        and not partial
    )
    bench.add(
        "resume.killed_at",
        at_kill,
        "articles",
        f"SIGKILL after {at_kill}/{n_big} recorded; rerun converted {data['converted']}, "
        f"skipped {data['skipped']}, {len(partial)} partial files, {len(lines)} progress lines",
        "each once",
        ok,
    )
    bench.facts["resume.progress_sample"] = lines[:2] + lines[-1:]


def bench_pdf_writer(bench: Bench) -> None:
    """The PDF writer against bare WeasyPrint (benchmarks/pdf_bench.py)."""
    print("PDF writer against bare WeasyPrint:", flush=True)
    from benchmarks import pdf_bench

    for name, value, note in pdf_bench.run(5 if bench.quick else 9):
        target, met = ("<= 1.15", value <= 1.15) if name == "pdf.sample.ratio" else ("", None)
        unit = "s" if name.endswith("_s") else ("x" if "ratio" in name else "")
        bench.add(name, value, unit, note, target, met)


#: Seconds within which each hostile input must become a PDF (or be refused).
HOSTILE_SECONDS = 10.0


def bench_pdf_hostile(bench: Bench, *, huge: bool = False) -> None:
    """The PDF of each hostile input in a fresh process: seconds and peak memory (benchmarks/pdf_bench.py)."""
    print("PDF of hostile inputs (fresh process each):", flush=True)
    from benchmarks import pdf_bench

    runs = 1 if bench.quick else 3
    for name, value, note in pdf_bench.run_hostile(runs, huge_unlimited=huge, env=bench.env):
        if name.endswith("_s"):
            timed = not name.startswith(("pdf.hostile.sample", "pdf.hostile.huge_unlimited"))
            target, met = (f"<= {HOSTILE_SECONDS:g}", value <= HOSTILE_SECONDS) if timed else ("", None)
            bench.add(name, value, "s", note, target, met)
        else:
            bench.add(name, value, "MiB", note)


def bench_profile(bench: Bench, corpus: Path, n: int) -> None:
    """Where a worker's time goes, per article: stages, then the functions with the most time of their own."""
    print(f"profile of the per-article hot path ({n} articles, md+tei+epub):", flush=True)
    from convert.batch.worker import preload, write_output
    from convert.readers.detect import detect_format
    from convert.registry import Options, get_reader, get_writer

    files = sorted(p for p in corpus.rglob("*") if p.is_file())[:n]
    formats = ("md", "tei", "epub")
    preload(formats)
    options = Options()
    out = bench.work / "profile-out"
    out.mkdir(exist_ok=True)
    stages = dict.fromkeys(["read input", "parse (IR)", *formats, "write outputs"], 0.0)

    def one(path: Path) -> None:
        t0 = time.perf_counter()
        data = path.read_bytes()
        t1 = time.perf_counter()
        article = get_reader(detect_format(data, path.suffix)).read(data, options)
        t2 = time.perf_counter()
        stages["read input"] += t1 - t0
        stages["parse (IR)"] += t2 - t1
        results = []
        for fmt in formats:
            t = time.perf_counter()
            results.append((fmt, get_writer(fmt).render(article, options)))
            stages[fmt] += time.perf_counter() - t
        t = time.perf_counter()
        for fmt, blob in results:
            write_output(blob, out / f"{path.stem}.{fmt}")
        stages["write outputs"] += time.perf_counter() - t

    for path in files[:5]:
        one(path)
    stages = dict.fromkeys(stages, 0.0)
    for path in files:
        one(path)
    total = sum(stages.values())
    for name, seconds in stages.items():
        per = seconds / len(files) * 1000
        bench.add(f"profile.{name.replace(' ', '_')}_ms", per, "ms/article", f"{seconds / total:.0%} of the total")
    bench.add("profile.total_ms", total / len(files) * 1000, "ms/article", "one worker, one core")

    prof = cProfile.Profile()
    prof.enable()
    for path in files:
        one(path)
    prof.disable()
    stats = pstats.Stats(prof)
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
    top = []
    for (filename, line, func), (_cc, _nc, tottime, cumtime, _callers) in rows[:12]:
        where = filename.replace(str(ROOT) + "/", "").replace(sys.base_prefix, "<python>")
        top.append((f"{where}:{line}({func})", tottime / len(files) * 1000, cumtime / len(files) * 1000))
    bench.facts["profile.top_self_time"] = top
    print("  top functions by own time (ms/article, own / cumulative):")
    for name, own, cum in top:
        print(f"    {own:6.2f} {cum:7.2f}  {name}")
    try:
        from pyinstrument import Profiler
    except ImportError:
        return
    profiler = Profiler()
    profiler.start()
    for path in files:
        one(path)
    profiler.stop()
    OUT.mkdir(exist_ok=True)
    (OUT / "profile.html").write_text(profiler.output_html(), encoding="utf-8")
    (OUT / "profile.txt").write_text(profiler.output_text(unicode=True), encoding="utf-8")


# --------------------------------------------------------------------------- table


def markdown(bench: Bench) -> str:
    """The table (and the machine) as Markdown."""
    m = bench.facts["machine"]
    assert isinstance(m, dict)
    quick = " (--quick)" if bench.quick else ""
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, "
        f"Python {m['python']}; load average (1, 5, 15 min) {m['load']} at the start, "
        f"{bench.facts['load_after']} at the end; {bench.facts['seconds']} s in all{quick}.",
        "",
        "| measure | value | unit | target | met | how |",
        "|---|---:|---|---|---|---|",
    ]
    for r in bench.rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        value = f"{r.value:.3g}" if abs(r.value) < 1000 else f"{r.value:.0f}"
        lines.append(f"| {r.name} | {value} | {r.unit} | {r.target} | {met} | {r.note} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the table; 1 when a target is not met."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (a smoke test, not the figures)")
    p.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    sections = "startup,batch,docx,parse,pdf,memory,writer,hostile,profile"
    p.add_argument("--skip", default="", help=f"sections to skip: {sections}")
    p.add_argument("--huge", action="store_true", help="also make the 5.5 MB article's PDF without the size limit")
    args = p.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    quick = args.quick
    n_batch, n_pdf, n_small, n_big, n_profile = (60, 8, 100, 1000, 30) if quick else (200, 40, 200, 2000, 100)

    # The corpus and the outputs live under bench-out/, on the project's file system, as a user's
    # archive would: some machines' /tmp is far slower at creating files than their disk.
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="work-", dir=OUT) as tmp:
        work = Path(tmp)
        bench = Bench(quick, work, subprocess_env(work / "pycache"))
        bench.facts["machine"] = machine()
        print(f"machine: {bench.facts['machine']}", flush=True)
        corpus = work / "corpus"
        count, mean = generate(corpus, n_batch, seed=1)
        big = work / "corpus-big"
        generate(big, n_big, seed=2)
        small = work / "corpus-small"
        generate(small, n_small, seed=2)
        bench.facts["corpus_mean_bytes"] = mean
        sample_kb = SAMPLE.stat().st_size / 1024
        print(f"corpus: {count} articles, {mean / 1024:.1f} kB on average (the sample: {sample_kb:.1f} kB)")
        started = time.perf_counter()
        if "startup" not in skip:
            bench_startup(bench)
        if "batch" not in skip:
            bench_batch(bench, corpus, n_batch)
        if "docx" not in skip:
            bench_docx(bench, corpus, n_batch)
        if "parse" not in skip:
            bench_parse(bench, corpus)
        if "pdf" not in skip:
            bench_pdf(bench, corpus, n_pdf)
        if "memory" not in skip:
            bench_memory_and_resume(bench, small, big, n_small, n_big)
        if "writer" not in skip:
            bench_pdf_writer(bench)
        if "hostile" not in skip:
            bench_pdf_hostile(bench, huge=args.huge)
        if "profile" not in skip:
            bench_profile(bench, corpus, n_profile)
        bench.facts["seconds"] = round(time.perf_counter() - started, 1)
        bench.facts["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"

    table = markdown(bench)
    print()
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table, encoding="utf-8")
    OUT.mkdir(exist_ok=True)
    results = {"rows": [r.__dict__ for r in bench.rows], "facts": bench.facts}
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    missed = [r.name for r in bench.rows if r.met is False]
    print(f"{len(missed)} target(s) not met: {', '.join(missed)}" if missed else "every target met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
