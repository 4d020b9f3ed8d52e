"""URL inputs, against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import convert
from convert.cli import main
from convert.errors import InputError
from convert.ir.model import Link
from convert.ir.walk import query

from .validators import assert_valid_outputs

PROSE = " ".join(f"Sentence {i} tells of the ferry that crossed the bay twice a day in summer." for i in range(12))
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>The ferry across the bay | Harbour News</title>
<meta name="author" content="Lena Brandt"><meta property="article:published_time" content="2020-06-01">
</head><body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>The ferry across the bay</h1><p>{PROSE} <a href="/timetable">The timetable</a>.</p><p>{PROSE}</p></article>
</body></html>""".encode()
PAGES = {
    "/news/ferry.html": ("text/html; charset=utf-8", PAGE),
    "/notes.md": ("text/markdown", b"# Ferry notes\n\nBy Lena Brandt\n\nThe ferry runs twice a day in summer.\n"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/news/ferry.html")
            self.end_headers()
            return
        found = PAGES.get(self.path)
        if found is None:
            self.send_error(404)
            return
        content_type, body = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_by_url(server: str) -> None:
    article = convert.read(f"{server}/moved", allow_private=True, source_date_epoch=1_600_000_000)
    meta = article.metadata
    assert (meta.title, meta.authors, meta.date) == ("The ferry across the bay", ("Lena Brandt",), dt.date(2020, 6, 1))
    assert meta.source_url == f"{server}/news/ferry.html"  # after the redirect
    assert meta.retrieved == dt.date(2020, 9, 13)  # the fetch date, from SOURCE_DATE_EPOCH
    links = query(lambda n: (n.target,) if isinstance(n, Link) else (), article)
    assert f"{server}/timetable" in links  # resolved against the page's URL


def test_markdown_by_url_is_read_as_text(server: str) -> None:
    article = convert.read(f"{server}/notes.md", allow_private=True)
    assert article.metadata.title == "Ferry notes"
    assert article.metadata.authors == ("Lena Brandt",)


def test_private_addresses_are_refused_without_the_switch(server: str) -> None:
    with pytest.raises(InputError, match="private, local or reserved address"):
        convert.read(f"{server}/news/ferry.html")


def test_an_error_status_is_an_input_error_naming_the_url(server: str) -> None:
    with pytest.raises(InputError, match="404") as caught:
        convert.read(f"{server}/missing", allow_private=True)
    assert f"{server}/missing" in str(caught.value)


def test_cli_names_the_output_after_the_url(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main([f"{server}/news/ferry.html", "-t", "md,tei", "-o", f"{out}/", "--allow-private", "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ferry.md", "ferry.xml"]
    assert assert_valid_outputs(out) == 1  # the TEI, tei_all
    assert "retrieved:" in (out / "ferry.md").read_text(encoding="utf-8")
    assert main([f"{server}/news/ferry.html", "-t", "md,tei"]) == 2  # several formats need -o DIR
    assert "needs -o DIR" in capsys.readouterr().err
    assert main([f"{server}/gone.html", "-t", "md", "--allow-private", "-o", str(tmp_path / "x.md")]) == 1
    err = capsys.readouterr().err
    assert f"{server}/gone.html" in err and "Traceback" not in err
    assert not (tmp_path / "x.md").exists()
