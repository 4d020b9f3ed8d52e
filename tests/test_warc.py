"""Web archives: which records are articles, how they are named, and reading one back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from convert.batch.warc import is_warc, iter_pages, read_page, url_key
from convert.errors import InputError

PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><title>Harbour lights of the old town | Example</title></head>"
    b"<body><nav><a href='/'>Home</a></nav><article><h1>Harbour lights of the old town</h1><p>"
    + b"The harbour lights were lit each evening by the keeper of the old town. " * 20
    + b"</p></article></body></html>"
)


def write_warc(path: Path, records: list[tuple[str, str, bytes, str, str]], *, gzip: bool = True) -> Path:
    """A WARC of response records: (url, content type, body, HTTP status line, record type)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, content_type, body, status, kind in records:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)] if content_type else [], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, kind, payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2021-05-06T07:08:09Z"},
            )  # fmt: skip
            writer.write_record(record)
    return path


@pytest.mark.parametrize("gzip", [True, False])
def test_only_first_html_responses_are_pages(tmp_path: Path, gzip: bool) -> None:
    warc = write_warc(
        tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"),
        [
            ("https://example.org/news/harbour/", "text/html; charset=utf-8", PAGE, "200 OK", "response"),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "200 OK", "response"),
            ("https://example.org/news/harbour/", "text/html", PAGE, "200 OK", "response"),  # captured again
            ("https://example.org/old", "text/html", b"", "301 Moved Permanently", "response"),
            ("https://example.org/missing", "text/html", b"<html>gone</html>", "404 Not Found", "response"),
            ("https://example.org/untyped", "", PAGE, "200 OK", "response"),
        ],
        gzip=gzip,
    )
    pages = list(iter_pages(warc))
    assert [p.url for p in pages] == ["https://example.org/news/harbour/", "https://example.org/untyped"]
    assert [p.key for p in pages] == ["example.org/news/harbour/index.html", "example.org/untyped.html"]
    assert pages[0].date == "2021-05-06T07:08:09Z"
    data, charset = read_page(warc, pages[0].offset, 10_000_000)
    assert data == PAGE and charset == "utf-8"
    assert read_page(warc, pages[1].offset, 10_000_000) == (PAGE, None)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://example.org/", "example.org/index.html"),
        ("https://Example.org/a/b.html", "example.org/a/b.html"),
        ("https://example.org/a/../../etc/passwd", "example.org/a/etc/passwd.html"),
        ("https://example.org/s/é%20x", "example.org/s/é_x.html"),
        ("https://example.org/list?page=2", "example.org/list-bc7c7eb0.html"),
    ],
)
def test_url_keys_stay_inside_the_output_folder(url: str, key: str) -> None:
    assert url_key(url) == key


def test_is_warc_by_name() -> None:
    assert all(is_warc(Path(n)) for n in ("a.warc", "a.WARC.GZ", "b.arc.gz"))
    assert not is_warc(Path("a.html"))


def test_a_file_that_is_not_an_archive_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a web archive\n" * 10)
    with pytest.raises(InputError, match="not a readable web archive"):
        list(iter_pages(bad))
