"""``artconv batch`` never stalls on one article and never lets two inputs write one output.

* a per-article time limit (``--timeout``): the article is ended, reported as timed out, leaves
  no partial file, and the rest goes on; a re-run does not spend the time again unless asked;
* a memory ceiling per worker (``--max-memory``);
* a worker that dies is replaced, and only the article it was converting fails;
* worker processes that cannot start at all (a script without ``if __name__ == "__main__":``)
  stop the batch with one line saying why, instead of failing every article;
* two inputs that would write one output path are a usage error before anything is written.

The slow, hungry and crashing articles come from a test plug-in writer (``slow``), registered
through a temporary ``dist-info`` folder as a third-party writer would be, and from worker
functions handed to :func:`convert.batch.local.run_local`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from convert.batch import main
from convert.batch.local import run_local
from convert.batch.manifest import MANIFEST_NAME
from convert.batch.runner import REPORT_NAME
from convert.batch.worker import Outcome, Task, convert_task
from convert.registry import Options

from .conftest import ROOT, SAMPLE

PLUGIN = '''
"""A writer that takes forever, eats memory or dies, as the article's title says."""

import os
import time

from convert.registry import WriterSpec


def render(article, options):
    title = article.metadata.title
    if "HANG" in title:
        time.sleep(3600)
    if "HOG" in title:
        bytearray(16 * 1024**3)
    if "DIE" in title:
        os._exit(9)
    return title.encode()


WRITER = WriterSpec(name="slow", extension=".slow", media_type="text/plain",
                    description="the title, slowly", render=render)
'''


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    """A folder holding the ``slow`` writer and its distribution metadata (put it on PYTHONPATH)."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "artconv_slow.py").write_text(textwrap.dedent(PLUGIN))
    dist = folder / "artconv_slow-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: artconv-slow\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[artconv.writers]\nslow = artconv_slow:WRITER\n")
    return folder


def artconv_batch(plugin: Path, *args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(ROOT)])}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "convert", "batch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    return done, time.monotonic() - started


def report(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / REPORT_NAME).read_text(encoding="utf-8"))
    return data


def reasons(out: Path) -> dict[str, str]:
    failures = report(out)["failures"]
    assert isinstance(failures, list)
    return {Path(f["file"]).name: f["reason"] for f in failures}


def partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def article(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n\nA paragraph of the article, long enough to be one.\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- time and memory limits


def test_an_article_past_the_timeout_is_ended_and_the_batch_goes_on(plugin: Path, tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    for name, title in [("a.md", "Fine"), ("b.md", "HANG forever"), ("c.md", "Fine too"),
                        ("d.md", "HOG memory"), ("e.md", "DIE now"), ("f.md", "Fine at last")]:  # fmt: skip
        article(src, name, title)
    done, seconds = artconv_batch(
        plugin, str(src), "-t", "slow", "-o", str(out), "-j", "2", "--timeout", "2", "--max-memory", "1000"
    )
    assert done.returncode == 1, done.stderr
    assert seconds < 60
    why = reasons(out)
    assert why["b.md"] == "timed out after 2 s"
    assert why["d.md"] == "slow: ran out of memory (limit 1000 MB)"
    assert "worker process died" in why["e.md"]
    assert set(why) == {"b.md", "d.md", "e.md"}
    assert sorted(p.name for p in out.glob("*.slow")) == ["a.slow", "c.slow", "f.slow"]
    assert not partial_files(out)
    data = report(out)
    assert (data["converted"], data["failed"], data["timed_out"]) == (3, 3, 1)
    assert f"artconv: {src / 'b.md'}: timed out after 2 s" in done.stderr
    summary = done.stderr.strip().splitlines()[-1]
    assert "3 converted, 0 skipped, 3 failed (1 timed out:" in summary and str(src / "b.md") in summary

    # the timeout is in the manifest: a re-run with the same limit does not spend it again
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        assert db.execute("SELECT key, seconds FROM timeouts").fetchall() == [("b.md", 2.0)]
    again, _ = artconv_batch(
        plugin, str(src), "-t", "slow", "-o", str(out), "-j", "2", "--timeout", "2", "--max-memory", "1000"
    )
    assert again.returncode == 1, again.stderr
    assert reasons(out)["b.md"].startswith("timed out after 2 s in an earlier run")
    assert (report(out)["skipped"], report(out)["timed_out"]) == (3, 1)

    # edited, it converts; its timeout is forgotten
    article(src, "b.md", "Fine now")
    for name in ("d.md", "e.md"):
        (src / name).unlink()
    third, _ = artconv_batch(plugin, str(src), "-t", "slow", "-o", str(out), "-j", "2", "--timeout", "2")
    assert third.returncode == 0, third.stderr
    assert (out / "b.slow").read_text() == "Fine now"
    with sqlite3.connect(out / MANIFEST_NAME) as db:
        assert db.execute("SELECT count(*) FROM timeouts").fetchone()[0] == 0


def hanging_worker(task: Task) -> Outcome:
    """A worker stuck in the middle of writing an output (its temporary file half written)."""
    if task.data.startswith(b"HANG"):
        from convert.batch.worker import temp_path

        assert task.outdir is not None
        part = temp_path(Path(task.outdir) / (task.stem + ".md"))
        part.write_bytes(b"half an output")
        time.sleep(3600)
    return convert_task(task)


def hungry_worker(task: Task) -> Outcome:
    """A worker that asks for far more memory than it may have."""
    if task.data.startswith(b"HOG"):
        bytearray(16 * 1024**3)
    return convert_task(task)


def tasks(folder: Path, marker: bytes, at: int, n: int = 5) -> list[Task]:
    text = SAMPLE.read_bytes()
    return [
        Task(key=f"{i}.md", source=f"{i}.md", data=marker if i == at else text, stem=str(i),
             formats=("md",), options=Options(), outdir=str(folder))
        for i in range(n)
    ]  # fmt: skip


def test_a_killed_worker_leaves_no_temporary_file(tmp_path: Path) -> None:
    outcomes: dict[str, Outcome] = {}
    started = time.monotonic()
    run_local(  # type: ignore[call-arg]
        tasks(tmp_path, b"HANG", 1),
        lambda task, outcome: outcomes.__setitem__(task.key, outcome),
        jobs=2,
        formats=("md",),
        lock_path=str(tmp_path / "lock"),
        worker=hanging_worker,
        timeout=2,
    )
    assert time.monotonic() - started < 60
    assert sorted(outcomes) == [f"{i}.md" for i in range(5)]
    assert outcomes["1.md"].errors == (("", "timed out after 2 s"),)
    assert outcomes["1.md"].timed_out  # type: ignore[attr-defined]
    assert all(outcomes[f"{i}.md"].ok for i in (0, 2, 3, 4))
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".md") == ["0.md", "2.md", "3.md", "4.md"]
    assert not partial_files(tmp_path)


def test_memory_ceiling_per_worker(tmp_path: Path) -> None:
    outcomes: dict[str, Outcome] = {}
    run_local(  # type: ignore[call-arg]
        tasks(tmp_path, b"HOG", 2),
        lambda task, outcome: outcomes.__setitem__(task.key, outcome),
        jobs=1,
        formats=("md",),
        lock_path=str(tmp_path / "lock"),
        worker=hungry_worker,
        max_memory=1000,
    )
    assert outcomes["2.md"].errors == (("", "ran out of memory (limit 1000 MB)"),)
    assert all(outcomes[f"{i}.md"].ok for i in (0, 1, 3, 4))


@pytest.mark.parametrize("option", [["--timeout", "-1"], ["--timeout", "soon"], ["--max-memory", "0"]])
def test_limits_must_be_sensible(option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([str(SAMPLE), "-t", "md", "-o", str(tmp_path / "out"), *option])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option[0]}: " in err and "unrecognized" not in err


def test_timeout_has_a_default_and_zero_means_none() -> None:
    from convert.batch import _parser
    from convert.batch.runner import BatchConfig

    assert _parser().parse_args(["x", "-t", "md", "-o", "o"]).timeout == 300
    assert _parser().parse_args(["x", "-t", "md", "-o", "o", "--timeout", "0"]).timeout == 0
    assert BatchConfig(inputs=("x",), formats=("md",), outdir=Path("o")).timeout == 300  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- workers that cannot start

UNGUARDED = """\
from pathlib import Path

from convert.batch import BatchConfig, run

summary = run(BatchConfig(inputs=("archive/",), formats=("md",), outdir=Path("out"), jobs=2))
print("converted", summary.converted, "failed", summary.failed)
"""


def test_a_script_without_main_guard_stops_with_one_line_saying_why(tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / "archive" / name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "script.py").write_text(UNGUARDED)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "script.py"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "converted" not in done.stdout
    last = done.stderr.strip().splitlines()[-1]
    assert "worker processes could not start" in last
    assert 'if __name__ == "__main__":' in last
    assert "worker process died" not in done.stderr  # no article is blamed
    assert not list((tmp_path / "out").glob("*.md"))


def test_the_command_stops_when_workers_cannot_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "archive").mkdir()
    for name in ("a.md", "b.md"):
        (tmp_path / "archive" / name).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    # far too little memory for a worker to load the writers
    assert main([str(tmp_path / "archive"), "-t", "md", "-o", str(out), "-j", "2", "--max-memory", "20"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("artconv batch: error: worker processes could not start")
    assert "--max-memory" in err[-1]
    assert not any("worker process died" in line for line in err)


# --------------------------------------------------------------------------- output collisions


def test_two_inputs_for_one_output_are_a_usage_error_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE.read_bytes()
    for rel in ["a/one.md", "a/two.md", "a/two.txt", "b/one.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text)
    out = tmp_path / "out"
    assert main([str(tmp_path / "a"), "-t", "md,tei", "-o", str(out), "-j", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("artconv batch: error: ")
    assert str(tmp_path / "a" / "two.md") in err[0] and str(tmp_path / "a" / "two.txt") in err[0]
    assert not [p for p in out.rglob("*") if p.suffix in (".md", ".xml")] if out.exists() else True

    # two files of one name given one by one
    one, other = tmp_path / "a" / "one.md", tmp_path / "b" / "one.md"
    assert main([str(one), str(other), "-t", "md", "-o", str(out), "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert str(one) in err and str(other) in err
    assert not (out / "one.md").exists()

    # the same file twice is converted once
    assert main([str(one), str(one), "-t", "md", "-o", str(out), "-j", "1", "-q"]) == 0
    assert (report(out)["converted"], report(out)["skipped"]) == (1, 1)
    assert (out / "one.md").is_file()


# --------------------------------------------------------------------------- the same limit on a Dask cluster


def test_dask_article_past_the_timeout_is_given_up_and_its_worker_restarted(
    plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    import threading

    from convert import registry

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(plugin), str(ROOT)]))
    monkeypatch.syspath_prepend(str(plugin))
    registry.reset_cache()
    src, out = tmp_path / "in", tmp_path / "out"
    for name, title in [("a.md", "Fine"), ("b.md", "HANG forever"), ("c.md", "Fine too")]:
        article(src, name, title)
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        protocol="tcp://",
        dashboard_address="127.0.0.1:0",
        worker_dashboard_address="127.0.0.1:0",
        timeout=60,
    )
    try:
        result: list[int] = []
        args = [
            str(src),
            "-t",
            "slow",
            "-o",
            str(out),
            "--scheduler",
            cluster.scheduler_address,
            "--timeout",
            "2",
            "-q",
        ]
        thread = threading.Thread(target=lambda: result.append(main(args)), daemon=True)
        thread.start()
        thread.join(120)
        assert not thread.is_alive(), "the batch did not end"
    finally:
        cluster.close(timeout=30)
        sys.modules.pop("artconv_slow", None)
        registry.reset_cache()
    assert result == [1]
    assert reasons(out) == {"b.md": "timed out after 2 s"}
    assert sorted(p.name for p in out.glob("*.slow")) == ["a.slow", "c.slow"]
    assert report(out)["timed_out"] == 1


def test_an_output_is_never_written_over_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "sub" / "sub").mkdir(parents=True)
    inputs = [out / "a.md", out / "sub" / "a.md", out / "sub" / "sub" / "a.md"]
    for path in inputs:
        path.write_bytes(SAMPLE.read_bytes())
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "a.md").symlink_to(out / "a.md")
    for args in (
        [str(out / "a.md")],  # out/a.md -> out/a.md
        [str(out / "sub")],  # out/sub/sub/a.md -> out/sub/a.md, itself an input
        [str(tmp_path / "links")],  # links/a.md -> out/a.md, the file the link points to
    ):
        assert main([*args, "-t", "md,tei", "-o", str(out), "-j", "1"]) == 2
        err = capsys.readouterr().err
        assert "is an input, and" in err and "would be written over it" in err
    assert all(path.read_bytes() == SAMPLE.read_bytes() for path in inputs)
    assert not list(out.rglob("*.xml"))
    assert main([str(out / "a.md"), "-t", "tei", "-o", str(out), "-j", "1", "-q"]) == 0  # out/a.xml: no clash
