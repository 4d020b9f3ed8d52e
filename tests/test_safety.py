"""The artconv command never destroys a user's file, and the library checks what it is given.

Inputs are never written; outputs that are inputs, or that two inputs would share, are usage
errors found before anything is written; special files (FIFOs, devices, symlinks, /dev/stdout)
are written through, not replaced; binary formats go to stdout only when it is not a terminal;
a closed or broken stdout gives one line or a quiet exit.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import convert
from convert import api, files
from convert.cli import main
from convert.errors import warn

from .conftest import ROOT, SAMPLE

MD_HEAD = b"---\ntitle: Towards"


def run(
    *args: str,
    cwd: Path,
    stdin: bytes | int | None = None,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m convert ARGS`` in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    feed = stdin if isinstance(stdin, bytes) else None
    return subprocess.run(
        [sys.executable, "-m", "convert", *args],
        check=False,
        input=feed,
        stdin=stdin if isinstance(stdin, int) else None,
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """``sh -c COMMAND`` where ``artconv`` is ``python -m convert``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ARTCONV": f"{sys.executable} -m convert"}
    return subprocess.run(["sh", "-c", command], check=False, capture_output=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the sample, with its site chrome, as ``article.md`` in a temporary folder."""
    path = tmp_path / "article.md"
    shutil.copyfile(SAMPLE, path)
    return path


def one_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text and "internal error" not in text and "Exception ignored" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- an input is never written -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-t", "md,json"],
        ["-t", "all"],
        ["-t", "md,json", "-o", "."],
        ["-t", "md,json", "-o", "./"],
        ["-t", "md", "-o", "article.md"],
        ["-t", "md", "-o", "./sub/../article.md"],
        ["-o", "article.md"],
    ],
)
def test_output_that_is_the_input_is_a_usage_error(article: Path, args: list[str]) -> None:
    (article.parent / "sub").mkdir()
    before = article.read_bytes()
    result = run("article.md", *args, cwd=article.parent)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "article.md" in line and "input" in line
    assert article.read_bytes() == before
    assert listing(article.parent) == ["article.md", "sub"]  # nothing else written either


def test_several_formats_without_output_say_to_use_an_output_folder(article: Path) -> None:
    result = run("article.md", "-t", "md,json", cwd=article.parent)
    assert result.returncode == 2 and "-o DIR" in one_line(result.stderr)


def test_output_reaching_the_input_through_links_is_refused(article: Path) -> None:
    folder = article.parent
    before = article.read_bytes()
    (folder / "soft.md").symlink_to("article.md")
    os.link(article, folder / "hard.md")
    (folder / "alias").symlink_to(folder)
    for out in ("soft.md", "hard.md", "alias/", "alias/article.md", str(article)):
        result = run("article.md", "-t", "md", "-o", out, cwd=folder)
        assert result.returncode == 2, out
        assert "input" in one_line(result.stderr), out
        assert article.read_bytes() == before, out
    # the input named through a link, the output by its own name
    result = run("soft.md", "-t", "md", "-o", "article.md", cwd=folder)
    assert result.returncode == 2 and article.read_bytes() == before


def test_an_input_is_not_written_as_another_inputs_output(tmp_path: Path) -> None:
    shutil.copyfile(SAMPLE, tmp_path / "a.txt")
    ir = run("a.txt", "-t", "json", cwd=tmp_path).stdout
    (tmp_path / "a.json").write_bytes(ir)
    result = run("a.txt", "a.json", "-t", "json,md", "-o", "./", cwd=tmp_path)
    assert result.returncode == 2 and "a.json" in one_line(result.stderr)
    assert (tmp_path / "a.json").read_bytes() == ir
    assert listing(tmp_path) == ["a.json", "a.txt"]


def test_stdout_redirected_onto_the_input_is_refused(article: Path) -> None:
    before = article.read_bytes()
    for command in (
        "$ARTCONV article.md -t md >> article.md",
        "$ARTCONV article.md -t md -o /proc/self/fd/1 >> article.md",
    ):
        result = shell(command, cwd=article.parent)
        assert result.returncode == 2, command
        assert "input article.md" in one_line(result.stderr), command
        assert article.read_bytes() == before, command


def test_several_formats_go_beside_the_input_when_names_differ(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copyfile(SAMPLE, folder / "notes.txt")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    result = run(str(folder / "notes.txt"), "-t", "md,json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert listing(folder) == ["notes.json", "notes.md", "notes.txt"]
    assert listing(elsewhere) == []


def test_stdin_input_may_be_written_to_its_output(tmp_path: Path) -> None:
    result = run("-", "-t", "md", "-o", "-", cwd=tmp_path, stdin=SAMPLE.read_bytes())
    assert result.returncode == 0 and result.stdout.startswith(MD_HEAD)


# --- two inputs, one output --------------------------------------------------------------------------


def test_two_inputs_writing_one_output_is_a_usage_error(tmp_path: Path) -> None:
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        shutil.copyfile(SAMPLE, tmp_path / sub / "a.md")
    result = run("x/a.md", "y/a.md", "-t", "md", "-o", "coll/", cwd=tmp_path)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "x/a.md" in line and "y/a.md" in line and "coll/a.md" in line
    assert not (tmp_path / "coll").exists()  # nothing written, not even the folder


def test_two_inputs_beside_each_other_sharing_outputs(tmp_path: Path) -> None:
    shutil.copyfile(SAMPLE, tmp_path / "a.md")
    shutil.copyfile(SAMPLE, tmp_path / "a.txt")
    result = run("a.md", "a.txt", "-t", "json,tei", cwd=tmp_path)
    assert result.returncode == 2 and "a.json" in one_line(result.stderr)
    assert listing(tmp_path) == ["a.md", "a.txt"]


# --- special outputs are written through, not replaced ---------------------------------------------


def test_fifo_output_is_written_not_replaced(article: Path) -> None:
    fifo = article.parent / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer's open does not block
    try:
        result = run("article.md", "-t", "md", "-o", "pipe", "-q", cwd=article.parent)
        assert result.returncode == 0, result.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        got = b""
        while chunk := os.read(reader, 1 << 16):
            got += chunk
    finally:
        os.close(reader)
    assert got.startswith(MD_HEAD)
    assert listing(article.parent) == ["article.md", "pipe"]


def make_null_device(path: Path) -> None:
    """A /dev/null-like character device at ``path`` (root only)."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("device nodes cannot be made here")


def test_character_device_output_is_written_not_replaced(article: Path) -> None:
    device = article.parent / "null"
    make_null_device(device)
    result = run("article.md", "-t", "md", "-o", "null", "-q", cwd=article.parent)
    assert result.returncode == 0, result.stderr
    info = os.lstat(device)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert listing(article.parent) == ["article.md", "null"]


def test_device_through_a_symlink_stays_a_device(article: Path) -> None:
    device = article.parent / "null"
    make_null_device(device)
    (article.parent / "out.md").symlink_to("null")
    assert run("article.md", "-o", "out.md", "-q", cwd=article.parent).returncode == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode) and os.readlink(article.parent / "out.md") == "null"


def make_full_device(path: Path) -> None:
    """A /dev/full-like character device at ``path`` (root only): every write fails with ENOSPC."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("device nodes cannot be made here")


def test_full_device_output_is_one_error_and_stays_a_device(article: Path) -> None:
    device = article.parent / "full"
    make_full_device(device)
    result = run("article.md", "-t", "md", "-o", "full", cwd=article.parent)
    assert result.returncode == 1
    assert "No space left on device" in one_line(result.stderr)
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert listing(article.parent) == ["article.md", "full"]


@pytest.mark.parametrize("args", [["article.md", "-t", "md"], ["schema"], ["--list-formats"]])
def test_stdout_on_a_full_device_is_one_error(article: Path, args: list[str]) -> None:
    device = article.parent / "full"
    make_full_device(device)
    with device.open("wb") as fh:
        result = run(*args, cwd=article.parent, stdout=fh.fileno())
    assert result.returncode == 1
    assert "No space left on device" in one_line(result.stderr)


def test_symlink_output_stays_a_link_and_its_target_gets_the_bytes(tmp_path: Path, article: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "target.md"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    chain = tmp_path / "chain.md"
    chain.symlink_to("link.md")
    result = run("article.md", "-o", "chain.md", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert chain.is_symlink() and os.readlink(chain) == "link.md"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes().startswith(MD_HEAD)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(tmp_path / "real") == ["target.md"]  # no temporary file left


def test_dangling_symlink_output_creates_its_target(article: Path) -> None:
    link = article.parent / "link.md"
    link.symlink_to("new.md")
    assert run("article.md", "-o", "link.md", "-q", cwd=article.parent).returncode == 0
    assert link.is_symlink() and (article.parent / "new.md").read_bytes().startswith(MD_HEAD)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_replaced_file_keeps_its_mode(article: Path, mode: int) -> None:
    out = article.parent / "out.md"
    out.write_text("old")
    out.chmod(mode)
    assert main([str(article), "-o", str(out), "-q"]) == 0
    assert out.read_bytes().startswith(MD_HEAD)
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_replaced_file_keeps_its_owner(article: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    out = article.parent / "out.md"
    out.write_text("old")
    os.chown(out, 4321, 4322)
    assert main([str(article), "-o", str(out), "-q"]) == 0
    info = out.stat()
    assert (info.st_uid, info.st_gid) == (4321, 4322)
    assert out.read_bytes().startswith(MD_HEAD)


@pytest.mark.parametrize("out", ["/proc/self/fd/1", "stdout-link"])
def test_descriptor_output_is_written_to_the_open_stdout(article: Path, tmp_path: Path, out: str) -> None:
    # /proc/self/fd/1 (nothing can be renamed there) and a link to it stand for /dev/stdout:
    # a test must not risk the machine's own /dev.
    (tmp_path / "stdout-link").symlink_to("/proc/self/fd/1")
    captured = tmp_path / "captured.txt"
    captured.write_bytes(b"kept\n")
    inode = captured.stat().st_ino
    with captured.open("ab") as fh:  # as `>> captured.txt`
        result = run("article.md", "-t", "md", "-o", out, "-q", cwd=article.parent, stdout=fh.fileno())
    assert result.returncode == 0, result.stderr
    assert captured.stat().st_ino == inode  # not replaced
    assert captured.read_bytes().startswith(b"kept\n" + MD_HEAD)
    assert (tmp_path / "stdout-link").is_symlink()
    assert listing(tmp_path) == ["article.md", "captured.txt", "stdout-link"]


def test_paths_naming_open_descriptors(tmp_path: Path) -> None:
    for path in ("/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/1", "/proc/123/fd/4"):
        assert files._names_open_descriptor(path), path
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("/dev/stdout")
    assert files._names_open_descriptor(str(tmp_path / "a"))
    for path in ("/dev/stdoutx", str(tmp_path / "out.md"), "/proc/self/fdinfo/1"):
        assert not files._names_open_descriptor(path), path


def test_atomic_write_api_on_special_files(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        api.write_bytes_atomic(b"through the pipe", fifo)
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "link"
    link.symlink_to("file")
    api.write_bytes_atomic(b"one", link)
    api.write_bytes_atomic(b"two", link)
    assert link.is_symlink() and (tmp_path / "file").read_bytes() == b"two"
    assert listing(tmp_path) == ["fifo", "file", "link"]


# --- binary formats and stdout ---------------------------------------------------------------------


def test_binary_from_stdin_goes_to_redirected_stdout(tmp_path: Path) -> None:
    out = tmp_path / "out.epub"
    with out.open("wb") as fh:
        result = run("-", "-t", "epub", cwd=tmp_path, stdin=SAMPLE.read_bytes(), stdout=fh.fileno())
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"PK")
    assert listing(tmp_path) == ["out.epub"]  # no ./stdin.epub


@pytest.mark.slow
def test_pdf_from_stdin_goes_to_redirected_stdout(tmp_path: Path) -> None:
    result = shell('cat "$1" | $ARTCONV - -t pdf > out.pdf'.replace("$1", str(SAMPLE)), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert listing(tmp_path) == ["out.pdf"]


def test_binary_of_a_file_goes_to_redirected_stdout(article: Path, tmp_path: Path) -> None:
    result = run("article.md", "-t", "epub", cwd=article.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"PK")
    assert listing(tmp_path) == ["article.md"]


def test_binary_is_refused_on_a_terminal(article: Path) -> None:
    leader, follower = os.openpty()
    try:
        for args in (["-", "-t", "epub"], ["article.md", "-t", "pdf"], ["article.md", "-t", "epub", "-o", "-"]):
            stdin = SAMPLE.read_bytes() if args[0] == "-" else None
            result = run(*args, cwd=article.parent, stdin=stdin, stdout=follower)
            assert result.returncode == 2, args
            line = one_line(result.stderr)
            assert "terminal" in line and "-o" in line, args
    finally:
        os.close(follower)
        os.close(leader)
    assert listing(article.parent) == ["article.md"]


def test_stdin_with_several_formats_needs_an_output_folder(tmp_path: Path) -> None:
    result = run("-", "-t", "md,json", cwd=tmp_path, stdin=SAMPLE.read_bytes())
    assert result.returncode == 2 and "-o DIR" in one_line(result.stderr)
    assert listing(tmp_path) == []


# --- closed and broken standard streams --------------------------------------------------------------


def test_closed_stdout_is_one_line(article: Path) -> None:
    for command in ("$ARTCONV article.md -t md >&-", "$ARTCONV article.md -t md -o - >&-", "$ARTCONV schema >&-"):
        result = shell(command, cwd=article.parent)
        assert result.returncode == 2, command
        assert "standard output is closed" in one_line(result.stderr), command
    assert listing(article.parent) == ["article.md"]


def test_closed_stdout_does_not_matter_when_writing_files(article: Path) -> None:
    result = shell("$ARTCONV article.md -t json -o out.json >&-", cwd=article.parent)
    assert result.returncode == 0, result.stderr
    assert (article.parent / "out.json").read_bytes().startswith(b"{")


def test_closed_stdin_is_one_line(tmp_path: Path) -> None:
    result = shell("$ARTCONV - -t md <&-", cwd=tmp_path)
    assert result.returncode == 2
    assert "standard input is closed" in one_line(result.stderr)


def test_closed_stderr_and_stdout_exit_without_a_crash(article: Path) -> None:
    result = shell("$ARTCONV article.md -t md >&- 2>&-; echo $?", cwd=article.parent)
    assert result.stdout.strip() == b"2"


@pytest.mark.parametrize(
    "args", [["article.md", "-t", "md"], ["article.md", "-t", "epub"], ["schema"], ["--help"], ["--list-formats"]]
)
def test_broken_pipe_exits_quietly(article: Path, args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as after `| head -c1`
    try:
        result = run(*args, cwd=article.parent, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == 141


def test_head_of_a_pipe_is_quiet(article: Path) -> None:
    result = shell("$ARTCONV article.md -t html | head -c1", cwd=article.parent)
    assert result.stdout == b"<" and result.stderr == b""


def test_broken_stderr_does_not_crash(article: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "convert", "article.md", "-t", "md", "-o", "out.md"],
            cwd=article.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=write_end,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode in (0, 141)
    assert result.stdout == b""
    assert (article.parent / "out.md").read_bytes().startswith(MD_HEAD)


# --- subcommands are never shadowed by files ---------------------------------------------------------


def test_subcommands_are_not_shadowed_by_files(article: Path) -> None:
    folder = article.parent
    shutil.copyfile(article, folder / "schema")
    shutil.copyfile(article, folder / "batch")
    result = run("schema", cwd=folder)
    assert result.returncode == 0 and b'"$defs"' in result.stdout
    result = run("batch", "--help", cwd=folder)
    assert result.returncode == 0 and b"artconv batch" in result.stdout
    result = run("./batch", "-t", "md", cwd=folder)
    assert result.returncode == 0 and result.stdout.startswith(MD_HEAD)
    result = run("./schema", "-t", "md", cwd=folder)
    assert result.returncode == 0 and result.stdout.startswith(MD_HEAD)


def test_schema_takes_no_arguments(tmp_path: Path) -> None:
    result = run("schema", "-t", "md", cwd=tmp_path)
    assert result.returncode == 2 and "./schema" in one_line(result.stderr)


def test_help_says_how_to_reach_files_named_like_subcommands(tmp_path: Path) -> None:
    text = run("--help", cwd=tmp_path).stdout.decode()
    assert "./batch" in text and "./schema" in text


# --- warnings ------------------------------------------------------------------------------------------


@pytest.fixture
def warning_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every render warns once (twice the same message: shown once per input)."""
    real = api.render

    def render(article: convert.Article, format: str, **options: object) -> bytes:
        warn("test.changed", "a thing was   changed")
        warn("test.changed", "a thing was changed")
        return real(article, format, **options)

    monkeypatch.setattr(api, "render", render)


def test_warnings_are_one_line_naming_the_input(
    article: Path, warning_writer: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = article.parent / "out"
    assert main([str(article), "-t", "md,json", "-o", f"{out}/"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err.count(f"artconv: warning: {article}: a thing was changed [test.changed]") == 1
    assert f"{article} -> {out}/article.md" in err
    assert all(line.startswith("artconv: warning: ") or " -> " in line for line in err), err


def test_quiet_drops_warnings_unless_verbose(
    article: Path, warning_writer: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(article), "-t", "md", "-o", str(article.parent / "out.md"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main([str(article), "-t", "md", "-o", str(article.parent / "out.md"), "-q", "-v"]) == 0
    shown = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("artconv: info:")]
    assert shown == [f"artconv: warning: {article}: a thing was changed [test.changed]"]


# --- the library checks its arguments ------------------------------------------------------------------


def usage_error(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(convert.UsageError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message
    assert isinstance(info.value, convert.ArtconvError)
    return message


def test_parse_needs_bytes() -> None:
    assert "bytes" in usage_error(convert.parse, "a str")
    usage_error(convert.parse, 3)
    usage_error(convert.parse, SAMPLE.read_bytes(), name=3)
    usage_error(convert.parse, SAMPLE.read_bytes(), format=3)
    usage_error(convert.parse, SAMPLE.read_bytes(), options={"paper": "a4"})
    assert convert.parse(bytearray(SAMPLE.read_bytes())) == convert.parse(SAMPLE.read_bytes())


def test_read_checks_its_source() -> None:
    usage_error(convert.read, 3)
    usage_error(convert.read, None)
    assert "binary" in usage_error(convert.read, io.StringIO("text"))
    usage_error(convert.read, SAMPLE, format=["md"])
    usage_error(convert.read, "")
    assert convert.read(memoryview(SAMPLE.read_bytes())).metadata.title


def test_write_needs_an_article_and_a_binary_destination(sample_article: convert.Article, tmp_path: Path) -> None:
    assert "binary" in usage_error(convert.write, sample_article, io.StringIO(), "md")
    usage_error(convert.write, "not an article", tmp_path / "x.md")
    usage_error(convert.write, sample_article, 3, "md")
    usage_error(convert.write, sample_article, None, "md")
    usage_error(convert.write, sample_article, "", "md")
    usage_error(convert.write, sample_article, tmp_path / "x.md", format=3)
    assert listing(tmp_path) == []
    sink = io.BytesIO()
    convert.write(sample_article, sink, "md")
    assert sink.getvalue().startswith(MD_HEAD)


def test_write_to_a_text_like_stream_is_a_usage_error(sample_article: convert.Article) -> None:
    class TextOnly:
        def write(self, text: str) -> int:
            if not isinstance(text, str):
                raise TypeError("write() argument must be str, not bytes")
            return len(text)

    assert "binary" in usage_error(convert.write, sample_article, TextOnly(), "md")


def test_render_checks_its_arguments(sample_article: convert.Article) -> None:
    usage_error(convert.render, b"bytes", "md")
    usage_error(convert.render, sample_article, None)
    usage_error(convert.render, sample_article, "md", paper=4)


def test_convert_checks_its_arguments(tmp_path: Path) -> None:
    usage_error(convert.convert, SAMPLE, tmp_path / "x.md", from_format=3)
    usage_error(convert.convert, SAMPLE, tmp_path / "x.md", to_format=b"md")
    usage_error(convert.convert, 3.5, tmp_path / "x.md")
    usage_error(convert.convert, SAMPLE, io.StringIO(), to_format="md")
    assert listing(tmp_path) == []


def test_make_options_checks_types() -> None:
    usage_error(convert.make_options, "a4")
    assert "allow_remote" in usage_error(convert.make_options, allow_remote="yes")
    usage_error(convert.make_options, asset_dir=3)
    usage_error(convert.make_options, source_date_epoch="1700000000")
    usage_error(convert.make_options, source_date_epoch=True)
    usage_error(convert.make_options, extra=[("a", 1)])
    assert convert.make_options(asset_dir=Path("imgs")).asset_dir == "imgs"
    assert convert.make_options(extra={"k": "v"}).extra == (("k", "v"),)
    assert convert.make_options(convert.make_options(paper="letter")).paper == "letter"


def test_write_bytes_atomic_checks_its_arguments(tmp_path: Path) -> None:
    usage_error(api.write_bytes_atomic, "text", tmp_path / "x")
    usage_error(api.write_bytes_atomic, b"data", 3)
    usage_error(api.write_bytes_atomic, b"data", "")
    assert listing(tmp_path) == []
