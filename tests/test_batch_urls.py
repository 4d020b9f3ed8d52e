"""``artconv batch`` over a list of URLs, honouring robots.txt, against local servers on 127.0.0.1 only."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from convert.batch import main
from convert.batch.urllist import is_url_list, iter_urls, web_url
from convert.robots import RobotsRules, Rules

from .validators import assert_valid_outputs

PROSE = " ".join(f"Sentence {i} tells of the lighthouse keeper who rowed out at dawn." for i in range(12))


def _page(title: str) -> bytes:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Coast News</title>
<meta name="author" content="Ines Varga"><meta property="article:published_time" content="2019-03-02">
</head><body><nav><a href="/">Home</a></nav><article><h1>{title}</h1><p>{PROSE}</p><p>{PROSE}</p></article>
</body></html>""".encode()


PAGES = {
    "/news/keeper.html": _page("The keeper of the light"),
    "/news/storm/": _page("The night of the storm"),
    "/private/ledger.html": _page("The ledger"),
    "/only-artconv/a.html": _page("A page kept from artconv"),
}
ROBOTS = b"""# rules for everyone, and stricter ones for artconv
User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private/
"""
ROBOTS_FOR_ARTCONV = b"User-agent: artconv\nDisallow: /only-artconv/\n\nUser-agent: *\nDisallow: /\n"

Server = tuple[str, list[str]]


def _serve(robots: int | bytes) -> tuple[ThreadingHTTPServer, list[str]]:
    """A server of PAGES whose robots.txt is ``robots`` (bytes), or answers that status; and its request log."""
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append(self.path)
            if self.path == "/robots.txt":
                if isinstance(robots, int):
                    self.send_error(robots)
                    return
                body, kind = robots, "text/plain"
            elif self.path in PAGES:
                body, kind = PAGES[self.path], "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd, log


@pytest.fixture
def serve() -> Iterator[Callable[[int | bytes], Server]]:
    started: list[ThreadingHTTPServer] = []

    def start(robots: int | bytes) -> Server:
        httpd, log = _serve(robots)
        started.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}", log

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def _batch(listing: Path, out: Path, *more: str) -> int:
    return main([str(listing), "-t", "md,tei", "-o", str(out), "-j", "1", "-q", "--allow-private", *more])


def _report(out: Path) -> dict[str, object]:
    report: dict[str, object] = json.loads((out / "artconv-report.json").read_text(encoding="utf-8"))
    return report


def _written(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".xml"))


def test_a_url_list_is_fetched_robots_honoured_and_bad_lines_named(
    serve: Callable[[int | bytes], Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, log = serve(ROBOTS)
    listing = tmp_path / "reading.txt"
    listing.write_text(
        f"# the week's reading\n\n{site}/news/keeper.html\n{site}/news/storm/#comments\n"
        f"{site}/private/ledger.html\nhtp:/example.org/typo\n{site}/news/keeper.html\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert _batch(listing, out) == 1  # the bad line fails; the rest is done
    assert _written(out) == [
        "127.0.0.1/news/keeper.md", "127.0.0.1/news/keeper.xml", "127.0.0.1/news/storm/index.md",
        "127.0.0.1/news/storm/index.xml"]  # fmt: skip
    assert assert_valid_outputs(out) == 2  # both TEI documents, tei_all
    md = (out / "127.0.0.1/news/keeper.md").read_text(encoding="utf-8")
    assert "title: The keeper of the light" in md and "Ines Varga" in md
    assert f'source-url: "{site}/news/keeper.html"' in md and "retrieved: " in md
    assert log.count("/robots.txt") == 1  # once per host
    assert "/private/ledger.html" not in log  # never fetched
    assert log.count("/news/keeper.html") == 1  # listed twice, fetched once
    err = capsys.readouterr().err
    assert f"{site}/private/ledger.html: skipped: disallowed by {site}/robots.txt" in err
    assert f"{listing}:6: not an http or https URL: 'htp:/example.org/typo'" in err
    report = _report(out)
    assert (report["converted"], report["skipped"], report["disallowed"], report["failed"]) == (2, 1, 1, 1)
    assert {"file": f"{site}/private/ledger.html", "message": f"skipped: disallowed by {site}/robots.txt"} in (
        report["warnings"]  # type: ignore[operator]
    )


def test_the_artconv_group_of_robots_txt_applies(serve: Callable[[int | bytes], Server], tmp_path: Path) -> None:
    site, log = serve(ROBOTS_FOR_ARTCONV)
    listing = tmp_path / "list.urls"
    listing.write_text(f"{site}/only-artconv/a.html\n{site}/news/keeper.html\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(listing, out) == 0
    assert _written(out) == ["127.0.0.1/news/keeper.md", "127.0.0.1/news/keeper.xml"]
    assert "/only-artconv/a.html" not in log
    assert _report(out)["disallowed"] == 1


def test_robots_missing_allows_and_robots_failing_disallows(
    serve: Callable[[int | bytes], Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing, missing_log = serve(404)
    failing, failing_log = serve(500)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{missing}/private/ledger.html\n{failing}/news/keeper.html\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(listing, out) == 0  # a disallowed URL is skipped, not failed
    assert _written(out) == ["127.0.0.1/private/ledger.md", "127.0.0.1/private/ledger.xml"]
    assert missing_log == ["/robots.txt", "/private/ledger.html"]
    assert failing_log == ["/robots.txt"]  # a server error: nothing of that host is fetched
    err = capsys.readouterr().err
    assert f"{failing}/news/keeper.html: skipped: {failing}/robots.txt could not be read" in err
    assert "500" in err
    assert _report(out)["disallowed"] == 1


def test_an_unreachable_host_disallows_and_private_addresses_need_the_switch(
    serve: Callable[[int | bytes], Server], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    site, _log = serve(ROBOTS)
    rules = RobotsRules(allow_private=True)
    assert rules.refusal(f"{site}/news/keeper.html") is None
    assert rules.refusal(f"{site}/private/x") == f"disallowed by {site}/robots.txt"
    with socket.socket() as free:  # a port nothing listens on: the host cannot be reached
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    refusal = rules.refusal(f"http://127.0.0.1:{port}/news/keeper.html")
    assert refusal is not None and refusal.startswith(f"http://127.0.0.1:{port}/robots.txt could not be read")
    listing = tmp_path / "urls.urls"
    listing.write_text(f"{site}/news/keeper.html\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(listing), "-t", "md", "-o", str(out), "-j", "1", "-q"]) == 1  # no --allow-private
    assert "private, local or reserved address" in capsys.readouterr().err
    assert _report(out)["failed"] == 1


def test_a_url_list_batch_resumes_without_fetching_again(
    serve: Callable[[int | bytes], Server], tmp_path: Path
) -> None:
    site, log = serve(ROBOTS)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site}/news/keeper.html\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _batch(listing, out) == 0
    listing.write_text(f"{site}/news/keeper.html\n{site}/news/storm/\n", encoding="utf-8")
    log.clear()
    assert _batch(listing, out) == 0
    assert log == ["/robots.txt", "/news/storm/"]  # the page done before is not fetched again
    report = _report(out)
    assert (report["converted"], report["skipped"]) == (1, 1)
    log.clear()
    assert _batch(listing, out) == 0
    assert log == []  # all done: no request at all
    assert _batch(listing, out, "--force") == 0
    assert log == ["/robots.txt", "/news/keeper.html", "/news/storm/"]


def test_which_files_are_url_lists(tmp_path: Path) -> None:
    listed = tmp_path / "a.txt"
    listed.write_text("\ufeff# mine\n\nhttps://example.org/a\nhttps://example.org/b?page=2#top\n", encoding="utf-8")
    article = tmp_path / "b.txt"
    article.write_text("https://example.org/a\n\nA note on that page, in sentences.\n", encoding="utf-8")
    words = tmp_path / "c.txt"
    words.write_text("Title\n\nhttps://example.org/a\n", encoding="utf-8")
    named = tmp_path / "d.urls"
    named.write_text("not-a-url\n", encoding="utf-8")
    assert [is_url_list(p) for p in (listed, article, words, named)] == [True, False, False, True]
    assert [(u.line, u.url, u.key) for u in iter_urls(listed)] == [
        (3, "https://example.org/a", "example.org/a.html"),
        (4, "https://example.org/b?page=2", "example.org/b-bc7c7eb0.html"),
    ]
    assert [(u.line, u.key) for u in iter_urls(named)] == [(1, "")]
    assert web_url("https://example.org:http/") is None and web_url("ftp://example.org/") is None


GROUPS = """User-agent: otherbot
Disallow: /

User-agent: ArtConv
User-agent: somebot
Disallow: /drafts/
Allow: /drafts/published/
Disallow: /*?session=
Disallow: /*.pdf$
Disallow: /tmp   # a comment
Sitemap: https://example.org/sitemap.xml

User-agent: *
Disallow: /
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/news/a.html", True),  # the artconv group (case-insensitive), not the * group
        ("/drafts/a.html", False),
        ("/drafts/published/a.html", True),  # the longest match wins, whatever the order
        ("/shop/list?session=1f", False),  # * matches any characters
        ("/shop/list?page=2&session=1f", True),  # but the rest is literal: "?session=", not "&session="
        ("/papers/a.pdf", False),  # $ ends the pattern
        ("/papers/a.pdf?download=1", True),
        ("/tmp", False),
        ("/tmpfiles/x", False),  # a pattern is a prefix
        ("/%7Ealice/", True),
    ],
)
def test_robots_rules_follow_rfc_9309(path: str, allowed: bool) -> None:
    assert Rules(GROUPS, "artconv").allows(f"https://example.org{path}") is allowed


def test_robots_rules_merge_groups_and_prefer_allow_on_ties() -> None:
    text = "User-agent: *\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\nAllow: /a\n"
    rules = Rules(text, "artconv")
    assert rules.allows("http://example.org/a/x")  # Allow /a and Disallow /a: allow
    assert not rules.allows("http://example.org/b/x")  # the two * groups are one
    assert Rules("User-agent: otherbot\nDisallow: /\n", "artconv").allows("http://example.org/x")
    encoded = Rules("User-agent: *\nDisallow: /caf%C3%A9/\n", "artconv")
    assert not encoded.allows("http://example.org/caf\u00e9/menu")  # compared percent-encoded
