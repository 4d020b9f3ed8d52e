"""``artconv batch --scheduler``: the same batch on a Dask cluster (one started here, on 127.0.0.1).

The cluster is a ``LocalCluster`` with one worker process (its own interpreter,
reached over TCP like a remote one); the worker gets the articles' bytes and
returns the outputs' bytes, which the client writes.  The outputs must be those
of a local run, byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import distributed  # the optional extra artconv[dask], which the test session installs
import pytest

from benchmarks.corpus import generate
from convert.batch import main
from convert.batch.manifest import MANIFEST_NAME
from convert.batch.runner import REPORT_NAME

from .validators import assert_valid_outputs


def tree(out: Path) -> dict[str, bytes]:
    """Every output file (not the manifest, the report or the locks) -> bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith((".", "artconv-"))
    }


def bounded(args: list[str], seconds: float = 120) -> int:
    """``artconv batch ARGS`` in a thread; the test fails if it has not ended after ``seconds``."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(args)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"artconv batch {' '.join(args)} did not end in {seconds} s"
    return result[0]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A one-worker Dask cluster on 127.0.0.1 for this module, torn down after it."""
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
        yield cluster.scheduler_address
    finally:
        cluster.close(timeout=30)


def test_dask_outputs_are_identical_to_a_local_run(tmp_path: Path, scheduler: str) -> None:
    src = tmp_path / "in"
    generate(src, 4, seed=5, bad=1)
    formats = "md,tei,epub,json"
    local = tmp_path / "local"
    remote = tmp_path / "remote"
    assert main([str(src), "-t", formats, "-o", str(local), "-j", "1", "-q"]) == 1  # the broken input
    assert bounded([str(src), "-t", formats, "-o", str(remote), "--scheduler", scheduler, "-q"]) == 1

    ours, theirs = tree(local), tree(remote)
    assert len(ours) == 16
    assert ours == theirs
    assert assert_valid_outputs(local) == 8  # every TEI and EPUB (the remote ones are the same bytes)

    data = json.loads((remote / REPORT_NAME).read_text(encoding="utf-8"))
    assert data["backend"] == f"dask {scheduler}"
    assert (data["converted"], data["failed"]) == (4, 1)
    assert data["failures"][0]["reason"].startswith("binary data (PDF document)")
    with sqlite3.connect(remote / MANIFEST_NAME) as db:
        assert db.execute("SELECT count(*) FROM outputs").fetchone()[0] == 16

    # the manifest works the same: nothing to do the second time
    assert bounded([str(src), "-t", formats, "-o", str(remote), "--scheduler", scheduler, "-q"]) == 1
    data = json.loads((remote / REPORT_NAME).read_text(encoding="utf-8"))
    assert (data["converted"], data["skipped"], data["failed"]) == (0, 4, 1)


def test_unreachable_scheduler_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from convert.batch import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2.0)
    src = tmp_path / "in"
    generate(src, 1)
    args = [str(src), "-t", "md", "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9", "-q"]
    assert bounded(args, 60) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
