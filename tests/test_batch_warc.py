"""``artconv batch`` over a web archive and over a folder of saved pages."""

from __future__ import annotations

import json
from pathlib import Path

from convert.batch import main

from .test_warc import PAGE, write_warc
from .validators import assert_valid_outputs


def test_batch_converts_each_page_of_a_web_archive(tmp_path: Path) -> None:
    warc = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://example.org/news/harbour/", "text/html; charset=utf-8", PAGE, "200 OK", "response"),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "200 OK", "response"),
            ("https://example.org/about.html", "text/html", PAGE.replace(b"Harbour", b"Quay"), "200 OK", "response"),
        ],
    )
    out = tmp_path / "out"
    assert main([str(warc), "-t", "md,tei", "-o", str(out), "-j", "1", "-q"]) == 0
    written = sorted(
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    pages = [p for p in written if p.startswith("example.org/")]
    assert pages == ["example.org/about.md", "example.org/about.xml", "example.org/news/harbour/index.md",
                     "example.org/news/harbour/index.xml"]  # fmt: skip
    assert assert_valid_outputs(out) == 2  # both TEI documents, tei_all
    md = (out / "example.org/news/harbour/index.md").read_text(encoding="utf-8")
    assert "title: Harbour lights of the old town" in md
    assert 'source-url: "https://example.org/news/harbour/"' in md and "retrieved: 2021-05-06" in md
    # resumable like any batch: nothing to do the second time
    assert main([str(warc), "-t", "md,tei", "-o", str(out), "-j", "1", "-q"]) == 0
    report = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert (report["converted"], report["skipped"]) == (0, 2)


def test_batch_over_a_folder_of_pages_and_articles(tmp_path: Path) -> None:
    src = tmp_path / "saved"
    src.mkdir()
    (src / "page.html").write_bytes(PAGE)
    (src / "note.md").write_text("# A note\n\nThe harbour lights were lit each evening.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(src), "-t", "md", "-o", str(out), "-j", "1", "-q"]) == 0
    assert (out / "page.md").read_text(encoding="utf-8").startswith("---\ntitle: Harbour lights of the old town")
    assert (out / "note.md").exists()
