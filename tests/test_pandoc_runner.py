"""Finding and running pandoc: the binary pypandoc-binary ships, found without importing pypandoc."""

from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from convert.pandoc import runner


@pytest.fixture(autouse=True)
def _fresh_path() -> object:
    runner.pandoc_path.cache_clear()
    yield
    runner.pandoc_path.cache_clear()


def _fake_package(tmp_path: Path, *, binary: bool) -> Path:
    """A ``pypandoc`` package folder, with an executable ``files/pandoc`` when ``binary``."""
    package = tmp_path / "pypandoc"
    (package / "files").mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('not to be imported')\n")
    exe = package / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
    if binary:
        exe.write_text("#!/bin/sh\necho 'pandoc 3.9'\n")
        exe.chmod(0o755)
    return exe


def _spec_at(package: Path) -> importlib.machinery.ModuleSpec:
    spec = importlib.machinery.ModuleSpec("pypandoc", None, origin=str(package / "__init__.py"), is_package=True)
    spec.submodule_search_locations = [str(package)]
    return spec


def test_the_shipped_binary_is_found_without_importing_pypandoc() -> None:
    code = (
        "import sys; from convert.pandoc.runner import pandoc_path; p = pandoc_path(); "
        "print(p); print('pypandoc' in sys.modules, 'urllib.request' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYPANDOC_PANDOC"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    path, imported = out.splitlines()
    assert Path(path).name.startswith("pandoc") and Path(path).parent.name == "files"
    assert os.access(path, os.X_OK)
    assert imported == "False False"


def test_the_package_folder_is_looked_up_not_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake_package(tmp_path, binary=True)
    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    monkeypatch.setattr(runner, "_find_spec", lambda name: _spec_at(exe.parent.parent))
    assert runner.pandoc_path() == str(exe)


def test_pypandoc_env_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake_package(tmp_path, binary=True)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(exe))
    monkeypatch.setattr(runner, "_find_spec", lambda name: pytest.fail("the package is not looked at"))
    assert runner.pandoc_path() == str(exe)


def test_without_a_shipped_binary_pypandoc_searches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake_package(tmp_path, binary=False)
    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    monkeypatch.setattr(runner, "_find_spec", lambda name: _spec_at(exe.parent.parent))
    calls: list[str] = []

    def search() -> str:
        calls.append("pypandoc")
        return "/usr/bin/pandoc"

    monkeypatch.setattr(runner, "_pypandoc_search", search)
    assert runner.pandoc_path() == "/usr/bin/pandoc"
    assert calls == ["pypandoc"]


def test_no_pandoc_anywhere_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    monkeypatch.setattr(runner, "_find_spec", lambda name: None)

    def search() -> str:
        raise OSError("No pandoc was found")

    monkeypatch.setattr(runner, "_pypandoc_search", search)
    with pytest.raises(runner.PandocError, match="pandoc was not found"):
        runner.pandoc_path()


def test_list_formats_marks_every_pandoc_format_and_no_other() -> None:
    from convert.readers.pandoc import PANDOC_INPUTS
    from convert.writers.pandoc import PANDOC_FORMATS

    out = subprocess.run(
        [sys.executable, "-m", "convert", "--list-formats"], capture_output=True, text=True, check=True
    ).stdout
    inputs, outputs = out.split("output formats (-t):")
    assert "-f pandoc:FORMAT" in inputs and "-t pandoc:FORMAT" in outputs

    def marked(section: str) -> dict[str, bool]:
        rows = [line.split() for line in section.splitlines()[1:] if line.startswith("  ") and line[2] != " "]
        return {row[0]: "[pandoc]" in row for row in rows}

    readers, writers = marked(inputs), marked(outputs)
    assert {name for name, m in readers.items() if m} == set(PANDOC_INPUTS)
    assert {name for name, m in writers.items() if m} == set(PANDOC_FORMATS)
    assert {"md", "tei", "html"} <= {name for name, m in readers.items() if not m}
    assert {"md", "tei", "epub", "pdf"} <= {name for name, m in writers.items() if not m}


def _served_article() -> object:
    import datetime as dt

    from convert.ir.model import Article, Metadata, Note, NoteRef, Paragraph, Rights, Text

    return Article(
        Metadata(
            title="Kept running",
            authors=("Ann Writer",),
            date=dt.date(2020, 2, 3),
            language="en",
            rights=Rights(copyright="© 2020 Ann Writer", disclaimer="Views are the writer's."),
        ),
        (Paragraph((Text("A paragraph, long enough to be wrapped " * 4), NoteRef("1"))),),
        (Note("1", (Paragraph((Text("The note."),)),)),),
    )


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> object:
    """A pandoc kept running from the first write on (the server is stopped afterwards)."""
    monkeypatch.setattr(runner, "SERVE_AFTER", 0)
    runner.stop_server()
    yield runner
    runner.stop_server()


def test_kept_running_pandoc_writes_what_one_run_writes(served: object) -> None:
    from convert.api import render
    from convert.writers.pandoc import PANDOC_FORMATS

    article = _served_article()
    for name in PANDOC_FORMATS:
        runner.SERVE_AFTER = 10**9
        once = render(article, name)
        runner.SERVE_AFTER = 0
        kept = render(article, name)
        assert kept == once, name
    assert runner.server_requests() == len(PANDOC_FORMATS)


def test_pandoc_is_kept_running_from_the_third_write(monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.api import render

    runner.stop_server()
    monkeypatch.setattr(runner._kept, "writes", 0)
    try:
        for _ in range(4):
            render(_served_article(), "pandoc:docx")
        assert runner.server_requests() == 4 - runner.SERVE_AFTER == 2
    finally:
        runner.stop_server()


def test_kept_running_pandoc_reports_errors_and_survives(served: object) -> None:
    with pytest.raises(runner.PandocError, match="pandoc failed"):
        runner.write(b'{"not": "a pandoc document"}', "docx", epoch=0)
    assert runner.write(json_doc(), "plain", epoch=0).strip() == b"x"


def test_a_dead_pandoc_is_replaced(served: object) -> None:
    assert runner.write(json_doc(), "plain", epoch=0).strip() == b"x"
    server = runner._kept.server
    assert server is not None
    server.proc.kill()
    server.proc.wait()
    assert runner.write(json_doc(), "plain", epoch=0).strip() == b"x"


def json_doc() -> bytes:
    return b'{"pandoc-api-version":[1,23,1],"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"x"}]}]}'


def test_a_kept_pandoc_that_does_not_answer_is_ended(served: object, monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.write(json_doc(), "plain", epoch=0).strip() == b"x"
    monkeypatch.setattr(runner, "TIMEOUT", 0.001)
    big = json_doc().replace(b'"blocks":[', b'"blocks":[' + b'{"t":"Para","c":[{"t":"Str","c":"y"}]},' * 20000)
    with pytest.raises(runner.PandocError, match="took more than"):
        runner.write(big, "docx", epoch=0)
    assert runner._kept.server is None
    monkeypatch.setattr(runner, "TIMEOUT", 300)
    assert runner.write(json_doc(), "plain", epoch=0).strip() == b"x"


def test_a_batch_to_docx_writes_what_single_conversions_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch worker keeps one pandoc for its articles (from its third): the DOCX are the same bytes."""
    from convert.api import read, render

    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"a{i}.md").write_text(
            f"---\ntitle: Article {i}\nauthor: Ann Writer\ndate: 2021-03-0{i + 1}\n---\n\nBody {i} with a note.[^1]\n\n"
            f"[^1]: Note {i}.\n",
            encoding="utf-8",
        )
    command = ["batch", str(src), "-t", "pandoc:docx", "-j", "1", "-o", str(tmp_path / "out"), "-q"]
    done = subprocess.run([sys.executable, "-m", "convert", *command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr(runner, "SERVE_AFTER", 10**9)
    for i in range(4):
        alone = render(read(str(src / f"a{i}.md")), "pandoc:docx")
        assert (tmp_path / "out" / f"a{i}.docx").read_bytes() == alone, i
