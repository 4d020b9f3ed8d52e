"""The command's start-up: the cycle collector paused while it starts and converts its first input."""

from __future__ import annotations

import contextlib
import gc
import io
import subprocess
import sys
from pathlib import Path

import pytest

from convert import api, cli
from convert._collector import Pause


def _run(argv: list[str]) -> tuple[int | str | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status: int | str | None = cli.main(argv)
        except SystemExit as exc:
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def test_pause_and_resume() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    pause = Pause()
    assert not gc.isenabled()
    garbage: list[object] = []
    garbage.append(garbage)
    del garbage
    pause.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # nothing left frozen
    assert gc.collect() >= 1  # the cycle made while paused is still found
    pause.resume()
    assert gc.isenabled()


def test_pause_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        pause = Pause()
        pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pause_never_unfreezes_what_others_froze() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        Pause().resume()
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_command_pauses_for_its_first_input_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    read = api.read

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "read", spy)
    for name in "abc":
        (tmp_path / f"{name}.md").write_text(f"# {name}\n\nText.\n", encoding="utf-8")
    inputs = [str(tmp_path / f"{name}.md") for name in "abc"]
    assert cli.main([*inputs, "-q", "-t", "json", "-o", str(tmp_path / "out") + "/"]) == 0
    assert seen == [False, True, True]
    assert gc.isenabled()
    assert cli.main([str(tmp_path / "missing.md"), "-q", "-t", "json", "-o", str(tmp_path / "x.json")]) == 1
    assert gc.isenabled()
    assert _run(["--help"])[0] == 0
    assert gc.isenabled()


def test_import_leaves_the_collector_running() -> None:
    code = "import gc, convert; print(gc.isenabled(), gc.get_freeze_count(), hasattr(convert, '_importing'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "0", "False"]
