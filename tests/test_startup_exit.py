"""The console script's quick end (``convert.cli.command``) looks like the normal end of ``main``.

``command`` ends the process without tearing the interpreter down; run both ways, the same
command lines must give the same exit status, the same stdout and stderr, the same files, and
run the same ``atexit`` functions; a thread still running, ``--help`` and a closed stdout take
the normal way out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SAMPLE = str(ROOT / "samples" / "russia-pakistan-relationship.md")

NORMAL = "import sys; from convert.cli import main; sys.exit(main())"
QUICK = "from convert.cli import command; command()"

#: Code run before the command: an ``atexit`` function that writes to both streams.
AT_EXIT = (
    "import atexit, sys; "
    "atexit.register(lambda: (sys.stdout.write('stdout at exit\\n'), sys.stderr.write('stderr at exit\\n'))); "
)
#: Code run before the command: a thread that writes after the conversion is done.
THREAD = (
    "import threading, time, sys; "
    "threading.Thread(target=lambda: (time.sleep(0.5), sys.stdout.write('thread done\\n'))).start(); "
)


#: The environment of the runs: buffered streams, as usual (a flush forgotten loses output).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}


def _run(prefix: str, code: str, args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", prefix + code, *args], check=False, capture_output=True, cwd=cwd, env=ENV, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


CASES = [
    ("", [SAMPLE, "-t", "tei"]),
    ("", [SAMPLE, "-t", "md"]),
    ("", [SAMPLE, "-t", "json", "-o", "-"]),
    ("", ["missing.md", "-t", "tei"]),
    ("", []),
    ("", ["--help"]),
    ("", [SAMPLE, "-t", "nosuchformat"]),
    (AT_EXIT, [SAMPLE, "-t", "tei"]),
    (AT_EXIT, ["missing.md"]),
    (THREAD, [SAMPLE, "-t", "tei"]),
]


@pytest.mark.parametrize(("prefix", "args"), CASES)
def test_the_quick_end_gives_what_the_normal_end_gives(prefix: str, args: list[str], tmp_path: Path) -> None:
    normal = _run(prefix, NORMAL, args, tmp_path)
    quick = _run(prefix, QUICK, args, tmp_path)
    assert quick == normal
    if prefix:
        marker = b"thread done" if prefix == THREAD else b"stdout at exit"
        assert marker in quick[1]


def test_files_written_are_complete(tmp_path: Path) -> None:
    for name, code in (("normal", NORMAL), ("quick", QUICK)):
        (tmp_path / name).mkdir()
        status, _, _ = _run("", code, [SAMPLE, "-t", "md,tei,json", "-o", name + "/"], tmp_path)
        assert status == 0
    normal = {path.name: path.read_bytes() for path in (tmp_path / "normal").iterdir()}
    quick = {path.name: path.read_bytes() for path in (tmp_path / "quick").iterdir()}
    assert quick == normal
    assert len(quick) == 3


def test_a_closed_stdout_ends_alike(tmp_path: Path) -> None:
    results = []
    for code in (NORMAL, QUICK):
        process = subprocess.Popen(
            [sys.executable, "-c", code, SAMPLE, "-t", "json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=ENV,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        results.append((process.wait(timeout=120), process.stderr.read()))
        process.stderr.close()
    assert results[1] == results[0]


def test_the_console_script_is_the_quick_end() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'artconv = "convert.cli:command"' in text
