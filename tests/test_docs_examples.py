"""Every Python example of README.md and docs/*.md runs, as written, saved as a script.

Each ```python block is saved as ``example.py`` in a fresh folder holding the files the examples
name (the sample article as ``article.md`` and under ``samples/``, a small ``archive/``), and run
with this interpreter.  An example must exit with status 0, and no traceback (of the example or of
a process it started) may reach stderr.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

FENCE = re.compile(r"^(?P<indent>[ \t]*)```python[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples() -> list[tuple[str, str]]:
    """(``file:line``, code) of every Python block of the docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            indent = match.group("indent")
            body = "".join(
                line_[len(indent) :] if line_.startswith(indent) else line_
                for line_ in match.group("body").splitlines(keepends=True)
            )
            found.append((f"{doc.relative_to(ROOT).as_posix()}:{line}", body))
    return found


def test_the_docs_have_python_examples() -> None:
    places = [place for place, _ in examples()]
    assert any(p.startswith("README.md:") for p in places)
    assert any(p.startswith("docs/batch.md:") for p in places)


@pytest.mark.parametrize(("place", "code"), examples(), ids=[place for place, _ in examples()])
def test_python_example_runs_as_a_script(place: str, code: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    shutil.copy(SAMPLE, tmp_path / "article.md")
    (tmp_path / "archive" / "2012").mkdir(parents=True)
    shutil.copy(SAMPLE, tmp_path / "archive" / "2012" / "a.md")
    shutil.copy(SAMPLE, tmp_path / "archive" / "b.md")
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, f"{place}: the example failed:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, f"{place}: the example (or a process it started) raised:\n{done.stderr}"
