"""``artconv batch``: mirroring, failures, report, manifest, incremental re-runs, kill -9, crashes, progress."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import convert
from benchmarks.corpus import generate
from convert.batch import main
from convert.batch.inputs import output_stem
from convert.batch.local import run_local
from convert.batch.manifest import MANIFEST_NAME
from convert.batch.runner import REPORT_NAME, WORKERS_LOCK
from convert.batch.worker import Outcome, Task, convert_task
from convert.registry import Options

from .conftest import ROOT, SAMPLE
from .validators import assert_valid_outputs, assert_valid_tei

EXT = {"md": ".md", "tei": ".xml", "epub": ".epub", "json": ".json", "pdf": ".pdf", "html": ".html"}


def articles(folder: Path) -> list[Path]:
    """The article files under ``folder`` (what a batch picks up), sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".txt"))


def outputs_of(src: Path, inputs: Path, out: Path, formats: list[str]) -> list[Path]:
    stem = output_stem(src.relative_to(inputs).as_posix())
    return [out / (stem + EXT[f]) for f in formats]


def report(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    return data


def manifest_keys(out: Path) -> set[str]:
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        return {key for (key,) in db.execute("SELECT key FROM inputs")}


def tree(out: Path) -> dict[str, bytes]:
    """Every output file (not the manifest, the report or the locks) -> bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith((".", "artconv-"))
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve varied articles in a YEAR/MONTH tree, and two broken inputs."""
    folder = tmp_path_factory.mktemp("corpus")
    generate(folder, 12, seed=7, bad=2)
    return folder


@pytest.fixture(scope="module")
def first_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """One batch of the corpus to md, tei, epub and json with two workers: (outdir, exit status, stderr)."""
    out = tmp_path_factory.mktemp("out") / "out"
    cmd = [sys.executable, "-m", "convert", "batch", str(corpus), "-t", "md,tei,epub,json", "-o", str(out), "-j", "2"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)
    return out, done.returncode, done.stderr


# --------------------------------------------------------------------------- one run


def test_batch_mirrors_the_tree_and_writes_every_format(corpus: Path, first_run: tuple[Path, int, str]) -> None:
    out, status, _ = first_run
    good = [p for p in articles(corpus) if p.parent.name != "broken"]
    assert len(good) == 12
    for src in good:
        for path in outputs_of(src, corpus, out, ["md", "tei", "epub", "json"]):
            assert path.is_file() and path.stat().st_size > 0, path
    assert status == 1  # the two broken inputs
    assert not list(out.rglob("*.part"))
    assert assert_valid_outputs(out) == 24  # every TEI and EPUB of the twelve articles


def test_outputs_are_those_of_single_file_conversion(corpus: Path, first_run: tuple[Path, int, str]) -> None:
    out, _, _ = first_run
    for src in [p for p in articles(corpus) if p.parent.name != "broken"][:4]:
        article = convert.read(src)
        for fmt, path in zip(["md", "tei", "epub"], outputs_of(src, corpus, out, ["md", "tei", "epub"]), strict=True):
            assert path.read_bytes() == convert.render(article, fmt), path


def test_failures_are_reported_and_do_not_stop_the_batch(first_run: tuple[Path, int, str]) -> None:
    out, status, stderr = first_run
    data = report(out)
    assert status == 1
    assert (data["articles"], data["converted"], data["skipped"], data["failed"]) == (14, 12, 0, 2)
    failures = data["failures"]
    assert isinstance(failures, list) and len(failures) == 2
    reasons = {Path(f["file"]).name: f["reason"] for f in failures}
    assert reasons["000-broken-page.md"].startswith("binary data (PDF document)")
    assert reasons["001-empty.txt"] == "empty input"
    for name in reasons:
        assert name in stderr  # one line per failure, naming the file
    assert "artconv batch done: 12 converted, 0 skipped, 2 failed of 14" in stderr


def test_manifest_records_hash_formats_options_and_version(corpus: Path, first_run: tuple[Path, int, str]) -> None:
    out, _, _ = first_run
    import hashlib

    with sqlite3.connect(out / MANIFEST_NAME) as db:
        rows = db.execute("SELECT key, sha256, options, version FROM inputs ORDER BY key").fetchall()
        assert len(rows) == 12
        for key, sha, options, version in rows:
            assert sha == hashlib.sha256((corpus / key).read_bytes()).hexdigest()
            assert version == convert.__version__
            (opts_json,) = db.execute("SELECT json FROM options WHERE hash = ?", (options,)).fetchone()
            assert json.loads(opts_json)["options"]["md_flavor"] == "pandoc"
            formats = {f for (f,) in db.execute("SELECT format FROM outputs WHERE key = ?", (key,))}
            assert formats == {"md", "tei", "epub", "json"}


# --------------------------------------------------------------------------- re-runs


def batch(*args: str) -> int:
    """Run ``artconv batch`` in this process, quietly."""
    return main([*args, "-q"])


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in tree(out)}


def test_rerun_converts_only_what_changed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    generate(src, 6, seed=3)
    out = tmp_path / "out"
    assert batch(str(src), "-t", "md,tei", "-o", str(out), "-j", "1") == 0
    before = stamps(out)

    assert batch(str(src), "-t", "md,tei", "-o", str(out), "-j", "1") == 0
    assert report(out)["skipped"] == 6 and report(out)["converted"] == 0
    assert stamps(out) == before

    changed = articles(src)[2]
    changed.write_bytes(changed.read_bytes() + b"\nOne more paragraph at the end.\n")
    assert batch(str(src), "-t", "md,tei", "-o", str(out), "-j", "1") == 0
    assert (report(out)["converted"], report(out)["skipped"]) == (1, 5)
    rewritten = {name for name, stamp in stamps(out).items() if before.get(name) != stamp}
    assert rewritten == {p.relative_to(out).as_posix() for p in outputs_of(changed, src, out, ["md", "tei"])}

    # a new format converts every article, for that format only
    before = stamps(out)
    assert batch(str(src), "-t", "md,tei,json", "-o", str(out), "-j", "1") == 0
    assert report(out)["converted"] == 6
    after = stamps(out)
    assert {name: after[name] for name in before} == before
    assert len(after) == 18

    # other options: everything again
    assert batch(str(src), "-t", "md,tei,json", "-o", str(out), "-j", "1", "--md-flavor", "gfm") == 0
    assert report(out)["converted"] == 6

    # an output deleted (or truncated) by hand is made again
    victim = outputs_of(articles(src)[0], src, out, ["tei"])[0]
    victim.write_bytes(b"")
    assert batch(str(src), "-t", "md,tei,json", "-o", str(out), "-j", "1", "--md-flavor", "gfm") == 0
    assert (report(out)["converted"], report(out)["skipped"]) == (1, 5)
    assert victim.stat().st_size > 0

    # --force ignores the manifest
    assert batch(str(src), "-t", "md", "-o", str(out), "-j", "1", "--md-flavor", "gfm", "--force") == 0
    assert report(out)["converted"] == 6
    assert assert_valid_outputs(out) == 6  # the TEI of each article


def test_a_reader_named_otherwise_is_the_same_batch(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    assert batch(str(src), "-f", "markdown", "-t", "json", "-o", str(out), "-j", "1") == 0
    assert report(out)["converted"] == 1
    assert batch(str(src), "-f", "md", "-t", "json", "-o", str(out), "-j", "1") == 0
    assert (report(out)["converted"], report(out)["skipped"]) == (0, 1)


def test_kill_9_then_resume_converts_each_article_exactly_once(tmp_path: Path) -> None:
    src = tmp_path / "in"
    generate(src, 80, seed=11)
    out = tmp_path / "out"
    formats = ["md", "tei", "epub"]
    cmd = [sys.executable, "-m", "convert", "batch", str(src), "-t", ",".join(formats), "-o", str(out), "-j", "2", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        recorded = 0
        while recorded < 10:
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
            try:
                with sqlite3.connect(out / MANIFEST_NAME, timeout=0.1) as db:
                    recorded = db.execute("SELECT count(*) FROM inputs").fetchone()[0]
            except sqlite3.Error:
                recorded = 0
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # the killed batch's workers go away by themselves (they hold this lock while alive)
    fd = os.open(out / WORKERS_LOCK, os.O_RDWR)
    deadline = time.monotonic() + 20
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "workers outlived the killed batch"
            time.sleep(0.05)
    os.close(fd)

    done_before = manifest_keys(out)
    assert 10 <= len(done_before) < 80
    finished = [path for key in done_before for path in outputs_of(src / key, src, out, formats)]
    kept = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in finished}

    done = subprocess.run([*cmd[:-1]], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    data = report(out)
    assert (data["converted"], data["skipped"], data["failed"]) == (80 - len(done_before), len(done_before), 0)
    assert manifest_keys(out) == {p.relative_to(src).as_posix() for p in articles(src)}
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in kept} == kept  # not converted again
    for p in articles(src):
        for path in outputs_of(p, src, out, formats):
            assert path.is_file() and path.stat().st_size > 0
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    for p in articles(src):  # the EPUBs are those of single-file conversion, which EPUBCheck passes elsewhere
        (tei,) = outputs_of(p, src, out, ["tei"])
        assert_valid_tei(tei.read_bytes(), str(tei))


# --------------------------------------------------------------------------- inputs


def test_globs_several_inputs_and_collisions(tmp_path: Path) -> None:
    text = SAMPLE.read_bytes()
    for rel in ["a/x/one.md", "a/two.txt", "a/two.md", "b/three.md", "a/.hidden/four.md", "a/notes.json"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text)
    out = tmp_path / "out"
    status = batch(str(tmp_path / "a"), str(tmp_path / "b"), "-t", "md", "-o", str(out), "-j", "1")
    assert status == 2  # a/two.md and a/two.txt both want out/a/two.md: a usage error, nothing written
    assert not out.exists()
    (tmp_path / "a" / "two.txt").unlink()
    assert batch(str(tmp_path / "a"), str(tmp_path / "b"), "-t", "md", "-o", str(out), "-j", "1") == 0
    assert sorted(tree(out)) == ["a/two.md", "a/x/one.md", "b/three.md"]

    # two files of the same name given one by one: a usage error; the same file twice: converted once
    out1 = tmp_path / "out1"
    one, three = tmp_path / "a" / "x" / "one.md", tmp_path / "b" / "three.md"
    other_one = tmp_path / "b" / "one.md"
    other_one.write_bytes(text)
    assert batch(str(one), str(other_one), str(three), str(three), "-t", "md", "-o", str(out1), "-j", "1") == 2
    assert not out1.exists()
    assert batch(str(one), str(three), str(three), "-t", "md", "-o", str(out1), "-j", "1") == 0
    assert sorted(tree(out1)) == ["one.md", "three.md"]
    data = report(out1)
    assert (data["converted"], data["skipped"], data["failed"]) == (2, 1, 0)
    other_one.unlink()

    out2 = tmp_path / "out2"
    assert batch(str(tmp_path / "a" / "**" / "*.md"), "-t", "tei", "-o", str(out2), "-j", "1") == 0
    assert sorted(tree(out2)) == ["two.xml", "x/one.xml"]
    assert assert_valid_outputs(out2) == 2

    # an output folder inside the input folder is not read back
    inner = tmp_path / "b" / "converted"
    assert batch(str(tmp_path / "b"), "-t", "md", "-o", str(inner), "-j", "1") == 0
    assert batch(str(tmp_path / "b"), "-t", "md", "-o", str(inner), "-j", "1") == 0
    assert report(inner)["articles"] == 1


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "out")
    assert main([str(tmp_path / "missing"), "-t", "md", "-o", out]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main([str(SAMPLE), "-t", "nope", "-o", out]) == 2
    assert "unknown output format 'nope'" in capsys.readouterr().err
    assert main([str(tmp_path), "-t", "md", "-o", str(tmp_path)]) == 2
    with pytest.raises(SystemExit):
        main([str(SAMPLE), "-o", out])  # -t is required


@pytest.mark.parametrize("flag", ["--cover", "--extract-media"])
def test_one_conversion_options_are_refused(flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cover file or a media folder is for one book or page: a batch says so instead of ignoring it."""
    out = tmp_path / "out"
    assert main([str(SAMPLE), "-t", "epub,html", "-o", str(out), flag, str(tmp_path / "x")]) == 2
    assert f"{flag} applies to one conversion" in capsys.readouterr().err
    assert not out.exists()


def test_a_second_batch_on_the_same_outdir_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / ".artconv-batch.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert main([str(SAMPLE), "-t", "md", "-o", str(out)]) == 2
        assert "another artconv batch is writing to this folder" in capsys.readouterr().err
    finally:
        os.close(fd)


def test_leftover_temporary_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "2012").mkdir(parents=True)
    leftover = out / "2012" / ".a.xml.1234.0.part"
    leftover.write_bytes(b"half")
    assert batch(str(SAMPLE), "-t", "tei", "-o", str(out)) == 0
    assert not leftover.exists()
    assert assert_valid_outputs(out) == 1


# --------------------------------------------------------------------------- progress


def test_plain_progress_lines_and_summary(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(corpus), "-t", "md", "-o", str(tmp_path / "out"), "-j", "1", "--progress-interval", "0"])
    assert status == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "artconv batch: 14 articles"
    lines = [line for line in err if line.startswith("artconv batch: ") and "articles/s" in line]
    assert len(lines) == 14
    assert lines[-1].startswith("artconv batch: 14/14 (100%), ")
    assert "ETA" in lines[0] and "elapsed" in lines[0]
    assert err[-1].startswith("artconv batch done: 12 converted, 0 skipped, 2 failed of 14 in ")


def test_rich_bar_shows_count_rate_and_eta() -> None:
    import io

    from rich.console import Console

    from convert.batch.progress import Counts, RichReporter

    buffer = io.StringIO()
    reporter = RichReporter(Console(file=buffer, force_terminal=True, width=200))
    counts = Counts(total=10)
    reporter.start(counts)
    for i in range(10):
        counts.converted += 1
        if i == 3:
            counts.failed, counts.converted = 1, counts.converted - 1
            reporter.say("artconv: x.md: empty input")
        reporter.update(counts)
        time.sleep(0.01)
    reporter.close(counts)
    text = buffer.getvalue()
    assert "artconv: x.md: empty input" in text
    assert "10/10" in text and "articles/s" in text and "ETA" in text
    assert "9 converted, 0 skipped" in text and "1 failed" in text


def test_quiet_prints_only_failures(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(corpus), "-t", "md", "-o", str(tmp_path / "out"), "-j", "1", "-q"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("artconv: ") for line in err)


# --------------------------------------------------------------------------- workers


def crashing_worker(task: Task) -> Outcome:
    """A worker that dies on one article (as a crash in a native library would)."""
    if task.data.startswith(b"CRASH"):
        os._exit(3)
    return convert_task(task)


def test_an_article_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    text = SAMPLE.read_bytes()
    tasks = [
        Task(key=f"{i}.md", source=f"{i}.md", data=b"CRASH" if i == 2 else text, stem=str(i),
             formats=("md",), options=Options(), outdir=str(tmp_path))
        for i in range(6)
    ]  # fmt: skip
    outcomes: dict[str, Outcome] = {}
    run_local(
        tasks,
        lambda task, outcome: outcomes.__setitem__(task.key, outcome),
        jobs=2,
        formats=("md",),
        lock_path=str(tmp_path / "lock"),
        worker=crashing_worker,
    )
    assert sorted(outcomes) == [f"{i}.md" for i in range(6)]
    assert [k for k, o in outcomes.items() if not o.ok] == ["2.md"]
    assert "worker process died" in outcomes["2.md"].errors[0][1]
    assert all((tmp_path / f"{i}.md").is_file() for i in range(6) if i != 2)


def test_the_article_queued_behind_a_crash_is_converted_by_the_next_worker(tmp_path: Path) -> None:
    """Each worker has one article queued behind the one it converts; a crash does not lose it."""
    text = SAMPLE.read_bytes()
    tasks = [
        Task(key=f"{i}.md", source=f"{i}.md", data=b"CRASH" if i in (1, 2) else text, stem=str(i),
             formats=("md",), options=Options(), outdir=str(tmp_path))
        for i in range(5)
    ]  # fmt: skip
    outcomes: list[tuple[str, Outcome]] = []
    run_local(
        tasks,
        lambda task, outcome: outcomes.append((task.key, outcome)),
        jobs=1,
        formats=("md",),
        lock_path=str(tmp_path / "lock"),
        worker=crashing_worker,
    )
    assert sorted(k for k, _ in outcomes) == [f"{i}.md" for i in range(5)]  # each once
    assert sorted(k for k, o in outcomes if not o.ok) == ["1.md", "2.md"]
    assert all((tmp_path / f"{i}.md").is_file() for i in (0, 3, 4))


def test_convert_task_returns_bytes_when_it_does_not_write() -> None:
    task = Task(key="a.md", source="a.md", data=SAMPLE.read_bytes(), stem="x/a", formats=("tei", "nope"),
                options=Options())  # fmt: skip
    outcome = convert_task(task)
    [tei] = outcome.outputs
    assert tei.path == "x/a.xml" and tei.data == convert.render(convert.read(SAMPLE), "tei")
    assert outcome.errors[0][0] == "nope" and "unknown output format" in outcome.errors[0][1]


@pytest.mark.parametrize(
    ("key", "stem"),
    [("a/b.md", "a/b"), ("a.tei.xml", "a"), ("a.txt", "a"), ("noext", "noext"), (".md", ".md"), ("a.b.md", "a.b")],
)
def test_output_stem(key: str, stem: str) -> None:
    assert output_stem(key) == stem
