"""What makes a local batch start fast, and the worker's output folders made once.

* the forkserver, the common parent of the worker processes, imports what a
  worker needs before it forks them (:func:`convert.batch.worker.preload_modules`
  must name every module :func:`~convert.batch.worker.preload` imports);
* a batch run from a script never imports a writer or a reader in the script's process;
* ``artconv batch`` forks its workers from its own process (which imported them), only
  while it runs no other thread, and they close its lock on OUTDIR; the outputs are
  those of workers started by the forkserver;
* a worker makes each output folder once, and makes it again if it was removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from convert.batch import BatchConfig, local, run
from convert.batch.local import run_local
from convert.batch.worker import Outcome, Task, preload_modules, write_output
from convert.errors import OutputError
from convert.registry import Options

from .conftest import ROOT, SAMPLE

FORMATS = ("md", "tei", "epub", "json", "html", "pdf", "docx")


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=True, cwd=ROOT
    )
    return done.stdout


def test_the_preloaded_modules_are_all_a_worker_imports_before_its_first_article() -> None:
    code = f"""
import importlib, json, sys
from convert.batch.worker import preload, preload_modules
for name in preload_modules({FORMATS!r}):
    importlib.import_module(name)
before = set(sys.modules)
preload({FORMATS!r})
print(json.dumps(sorted(m for m in set(sys.modules) - before if m.startswith("convert"))))
"""
    assert json.loads(_python(code)) == []


def test_preload_modules_names_the_readers_and_the_writers_asked_for() -> None:
    names = preload_modules(("md", "epub", "no-such-plugin"))
    assert names[0] == "convert.batch.local"
    assert "convert.writers.markdown" in names and "convert.writers.epub" in names
    assert "convert.writers.tei" not in names
    assert "convert.readers.markdown" in names and "convert.readers.html" in names
    assert len(names) == len(set(names))


def test_the_forkserver_is_asked_to_preload_them_keeping_what_was_asked_before() -> None:
    server = forkserver._forkserver
    saved = list(getattr(server, "_preload_modules"))  # noqa: B009 - no public getter
    try:
        forkserver.set_forkserver_preload(["__main__", "json"])
        local._preload_in_forkserver(("md", "tei"))
        assert getattr(server, "_preload_modules") == ["__main__", "json", *preload_modules(("md", "tei"))]  # noqa: B009
    finally:
        forkserver.set_forkserver_preload(saved)


def test_a_script_s_batch_process_imports_no_writer_and_no_reader(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE, tmp_path / "in" / "a.md")
    code = f"""
import json, sys
from pathlib import Path
from convert.batch import BatchConfig, run
if __name__ == "__main__":
    config = BatchConfig(({str(tmp_path / "in")!r},), ("md", "tei", "epub"), Path({str(tmp_path / "out")!r}))
    status = 0 if run(config).ok else 1
    loaded = sorted(m for m in sys.modules if m.startswith(("convert.writers.", "convert.readers.")))
    print(json.dumps([status, loaded]))
"""
    status, imported = json.loads(_python(code))
    assert status == 0
    assert imported == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(("artconv", "."))) == [
        "a.epub",
        "a.md",
        "a.xml",
    ]


def test_an_output_folder_removed_meanwhile_is_made_again(tmp_path: Path) -> None:
    write_output(b"one", tmp_path / "x" / "y" / "a.md")
    shutil.rmtree(tmp_path / "x")
    write_output(b"two", tmp_path / "x" / "y" / "b.md")
    assert (tmp_path / "x" / "y" / "b.md").read_bytes() == b"two"
    assert sorted(p.name for p in (tmp_path / "x" / "y").iterdir()) == ["b.md"]


def test_an_output_folder_that_is_a_file_is_an_output_error(tmp_path: Path) -> None:
    write_output(b"one", tmp_path / "x" / "a.md")
    shutil.rmtree(tmp_path / "x")
    (tmp_path / "x").write_bytes(b"a file")
    with pytest.raises(OutputError):
        write_output(b"two", tmp_path / "x" / "b.md")
    assert (tmp_path / "x").read_bytes() == b"a file"


# --------------------------------------------------------------------------- workers forked by the command


#: A descriptor the forked workers are asked to close, and its file's inode (set before they fork).
_PRIVATE: list[int] = []


def _where(task: Task) -> Outcome:
    """A worker telling its parent process and whether it still has the descriptor of ``_PRIVATE``."""
    try:  # (its number may since name another file; a worker that imported this module anew has no number)
        held = "open" if _PRIVATE and os.fstat(_PRIVATE[0]).st_ino == _PRIVATE[1] else "closed"
    except OSError:
        held = "closed"
    return Outcome(task.key, warnings=(str(os.getppid()), held))


def _ask(tmp_path: Path, *, fork: bool, private: tuple[int, ...] = ()) -> set[tuple[str, ...]]:
    """What the two workers of a local run say (see :func:`_where`)."""
    said: set[tuple[str, ...]] = set()
    tasks = [
        Task(key=str(i), source=str(i), data=b"", stem=str(i), formats=("md",), options=Options()) for i in range(6)
    ]
    run_local(
        tasks,
        lambda task, outcome: said.add(outcome.warnings),
        jobs=2,
        formats=("md",),
        lock_path=str(tmp_path / "lock"),
        worker=_where,
        fork=fork,
        private=private,
    )
    return said


def _alone(check: str, tmp_path: Path) -> None:
    """Run ``check(tmp_path)`` of this module in a new process (a test run may have left threads in this one)."""
    code = f"""
from pathlib import Path
from tests.test_batch_speed_workers import {check}
if __name__ == "__main__":
    {check}(Path({str(tmp_path)!r}))
    print("checked")
"""
    assert _python(code).split() == ["checked"]


def _check_forked_workers(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "private", os.O_RDWR | os.O_CREAT, 0o644)
    _PRIVATE[:] = [fd, os.fstat(fd).st_ino]
    try:
        assert local._may_fork()
        assert _ask(tmp_path, fork=True, private=(fd,)) == {(str(os.getpid()), "closed")}
        assert _ask(tmp_path, fork=True) == {(str(os.getpid()), "open")}  # only those it is given
        # a script's batch: the forkserver's children (which never had it)
        (said,) = _ask(tmp_path, fork=False)
        assert said[0] != str(os.getpid()) and said[1] == "closed"
    finally:
        os.close(fd)


def test_the_command_forks_its_workers_and_they_close_its_private_descriptors(tmp_path: Path) -> None:
    _alone("_check_forked_workers", tmp_path)


def _check_no_fork_beside_a_thread(tmp_path: Path) -> None:
    _PRIVATE[:] = [-1, 0]
    assert local._may_fork()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not local._may_fork()
        (said,) = _ask(tmp_path, fork=True)
        assert said[0] != str(os.getpid())  # started by the forkserver instead
    finally:
        stop.set()
        other.join()
    deadline = time.monotonic() + 10
    while not local._may_fork():  # a joined thread's system thread ends a moment later
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_no_worker_is_forked_while_another_thread_runs(tmp_path: Path) -> None:
    _alone("_check_no_fork_beside_a_thread", tmp_path)


def _check_same_outputs(tmp_path: Path) -> None:
    generate(tmp_path / "in", 12, seed=7, bad=2)
    formats = ("md", "tei", "epub", "json", "html")
    trees = []
    for fork in (True, False):
        assert local._may_fork()
        out = tmp_path / f"out-{fork}"
        summary = run(BatchConfig((str(tmp_path / "in"),), formats, out, jobs=2), fork_workers=fork)
        assert (summary.converted, summary.failed) == (12, 2)
        trees.append(
            {
                p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*"))
                if p.is_file() and not p.name.startswith((".", "artconv-"))
            }
        )
    assert len(trees[0]) == 12 * len(formats)
    assert trees[0] == trees[1]


def test_forked_workers_write_what_the_forkserver_s_write(tmp_path: Path) -> None:
    _alone("_check_same_outputs", tmp_path)


def test_the_rehearsal_converts_cleanly_to_every_format_it_warms_up() -> None:
    from convert.batch import worker

    outcome = worker.convert_task(
        Task(
            key="", source="r.md", data=worker._REHEARSAL, stem="r", formats=tuple(worker.REHEARSED), options=Options()
        )
    )
    assert outcome.ok and not outcome.warnings
    assert sorted(out.format for out in outcome.outputs) == sorted(worker.REHEARSED)


def test_after_the_rehearsal_a_worker_s_first_article_imports_nothing(tmp_path: Path) -> None:
    generate(tmp_path / "in", 3, seed=5)
    code = f"""
import json, sys
from pathlib import Path
from convert.batch.worker import Task, convert_task, preload, rehearse
from convert.registry import Options
formats = ("md", "tei", "epub")
preload(formats)
rehearse(formats)
before = set(sys.modules)
for path in sorted(p for p in Path({str(tmp_path / "in")!r}).rglob("*") if p.is_file()):
    task = Task(key="a", source=str(path), data=path.read_bytes(), stem="a", formats=formats, options=Options())
    assert convert_task(task).ok
print(json.dumps(sorted(set(sys.modules) - before)))
"""
    assert json.loads(_python(code)) == []


def test_no_worker_starts_when_there_is_nothing_to_convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a worker was started")

    monkeypatch.setattr(local, "_Pool", no_pool)
    run_local([], lambda task, outcome: None, jobs=2, formats=("md",), lock_path=str(tmp_path / "lock"), fork=True)
