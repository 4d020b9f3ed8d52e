"""What makes a local batch start fast, and the worker's output folders made once.

* the forkserver, the common parent of the worker processes, imports what a
  worker needs before it forks them (:func:`convert.batch.worker.preload_modules`
  must name every module :func:`~convert.batch.worker.preload` imports);
* the batch process itself never imports a writer or a reader;
* a worker makes each output folder once, and makes it again if it was removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from multiprocessing import forkserver
from pathlib import Path

import pytest

from convert.batch import local
from convert.batch.worker import preload_modules, write_output
from convert.errors import OutputError

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


def test_the_batch_process_imports_no_writer_and_no_reader(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE, tmp_path / "in" / "a.md")
    code = f"""
import json, sys
from convert.batch import main
if __name__ == "__main__":
    status = main([{str(tmp_path / "in")!r}, "-t", "md,tei,epub", "-o", {str(tmp_path / "out")!r}, "-q", "-j", "1"])
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
