"""The artconv command: outputs, formats, exit codes, one-line errors, atomic writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import convert
from convert.cli import main

from .conftest import ROOT, SAMPLE
from .validators import assert_valid_outputs


def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "convert", *args],
        check=False,
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
    )


def test_issue_command_writes_md_and_json(tmp_path: Path) -> None:
    result = run(str(SAMPLE), "-t", "md,json", "-o", f"{tmp_path}/")
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "russia-pakistan-relationship.md").read_text(encoding="utf-8")
    assert md.startswith("---\ntitle: Towards A Russia-Pakistan")
    assert convert.read(tmp_path / "russia-pakistan-relationship.json") == convert.read(SAMPLE)


def test_format_from_output_extension(tmp_path: Path) -> None:
    assert main([str(SAMPLE), "-o", str(tmp_path / "x.md"), "-q"]) == 0
    assert (tmp_path / "x.md").read_text(encoding="utf-8").startswith("---\n")
    assert main([str(SAMPLE), "-o", str(tmp_path / "x.xml"), "-q"]) == 0
    assert b"<TEI" in (tmp_path / "x.xml").read_bytes()


def test_stdin_to_stdout() -> None:
    result = run("-", "-t", "md", "-o", "-", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0
    assert result.stdout.startswith(b"---\ntitle: Towards")


def test_text_format_without_output_goes_to_stdout() -> None:
    result = run(str(SAMPLE), "-t", "json")
    assert result.returncode == 0 and result.stdout.startswith(b"{\n")


def test_all_formats(tmp_path: Path) -> None:
    result = run(str(SAMPLE), "-t", "all", "-o", f"{tmp_path}/", "-q")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    stem = "russia-pakistan-relationship"
    assert names == sorted(f"{stem}{ext}" for ext in (".md", ".json", ".xml", ".html", ".epub", ".pdf", ".docx"))
    assert assert_valid_outputs(tmp_path) == 3  # TEI, EPUB, PDF


def test_list_formats_and_version() -> None:
    result = run("--list-formats")
    assert result.returncode == 0
    for name in ("article", "md", "json", "tei", "html", "epub", "pdf"):
        assert f"  {name} " in result.stdout.decode()
    assert run("--version").stdout.decode().strip() == f"artconv {convert.__version__}"
    help_text = run("--help").stdout.decode()
    assert "examples:" in help_text and "-t md,json,tei -o out/" in help_text


def test_schema_subcommand() -> None:
    result = run("schema")
    assert result.returncode == 0 and b'"$defs"' in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(SAMPLE), "-t", "wordperfect").returncode == 2
    assert run(str(SAMPLE)).returncode == 2  # no format
    assert run(str(SAMPLE), str(SAMPLE), "-t", "md", "-o", str(tmp_path / "one.md")).returncode == 2
    result = run()
    assert result.returncode == 2 and b"no input files" in result.stderr


def test_bad_input_one_line_no_traceback_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"ir-version": 1, "body": [{"type": "Bogus"}]}')
    missing = tmp_path / "missing.md"
    result = run(str(bad), str(missing), str(SAMPLE), "-t", "md", "-o", f"{tmp_path}/out/")
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    errors = [line for line in lines if "->" not in line]
    assert len(errors) == 2, lines
    assert any(str(bad) in line and "invalid IR JSON" in line for line in errors)
    assert any(str(missing) in line and "no such file" in line for line in errors)
    assert b"Traceback" not in result.stderr
    # the good file still converted
    assert (tmp_path / "out" / "russia-pakistan-relationship.md").exists()


def test_debug_shows_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    assert b"Traceback" in run(str(bad), "-t", "md", "--debug").stderr


def test_failed_conversion_leaves_existing_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "article.md"
    out.write_text("precious")
    bad = tmp_path / "article.json"
    bad.write_text("{")
    assert run(str(bad), "-t", "md", "-o", str(out)).returncode == 1
    assert out.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.json", "article.md"]


def test_writer_failure_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from convert import api

    out = tmp_path / "x.md"
    out.write_text("old")

    def explode(data: bytes, path: object) -> None:
        raise convert.OutputError("disk full", path=str(path))

    monkeypatch.setattr(api, "write_bytes_atomic", explode)
    assert main([str(SAMPLE), "-o", str(out), "-q"]) == 1
    assert out.read_text() == "old"


def test_atomic_write_cleans_up_on_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.api import write_bytes_atomic

    target = tmp_path / "f.bin"
    write_bytes_atomic(b"old", target)
    assert target.read_bytes() == b"old"

    def no_rename(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(convert.OutputError) as info:
        write_bytes_atomic(b"new", target)
    assert str(target) in str(info.value) and "No space left" in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]  # no temporary file left


def test_source_date_epoch_must_be_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(convert.UsageError):
        convert.make_options()


def test_same_input_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run(str(SAMPLE), "-t", "md,json,tei,html,epub", "-o", f"{tmp_path}/{name}/", "-q").returncode == 0
    for produced in (tmp_path / "a").iterdir():
        assert produced.read_bytes() == (tmp_path / "b" / produced.name).read_bytes(), produced.name
    assert assert_valid_outputs(tmp_path / "a") == 2  # TEI, EPUB (b's are the same bytes)


def test_option_values_are_checked() -> None:
    assert convert.make_options(md_flavor="gfm", paper="letter").paper == "letter"
    with pytest.raises(convert.UsageError) as info:
        convert.make_options(md_flavor="docx")
    assert "md_flavor" in str(info.value) and "'gfm'" in str(info.value)
    with pytest.raises(convert.UsageError):
        convert.make_options(no_such_option=True)
