"""Images read into the article's asset store: where from, what is refused, what is said."""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

import convert
from convert import assets
from convert.cli import main
from convert.errors import UsageError, WarningRecord, collect_warnings
from convert.ir.model import Article, Asset, Figure, Image, Metadata, Note, NoteRef, Paragraph, Text
from convert.options import Options

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b4944415478da636000020000050001"
    "e9fadcd80000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'


def md(*lines: str) -> str:
    return "---\ntitle: Assets\n---\n\n" + "\n\n".join(lines) + "\n"


def article(*blocks: object, notes: tuple[Note, ...] = ()) -> Article:
    return Article(Metadata(title="Assets"), tuple(blocks), notes)  # type: ignore[arg-type]


def figure(src: str, alt: str = "A photo") -> Figure:
    return Figure((Text(alt),), Image(src, alt))


def images(doc: Article) -> list[Image]:
    from convert.ir.walk import Node, query

    def pick(node: Node) -> tuple[Image, ...]:
        if isinstance(node, Image):
            return (node,)
        if isinstance(node, Figure) and node.image is not None:
            return (node.image,)
        return ()

    return query(pick, doc)


def codes(found: list[WarningRecord]) -> list[str]:
    return [w.code for w in found]


def load(doc: Article, base: Path | None = None, **options: object) -> tuple[Article, list[WarningRecord]]:
    with collect_warnings() as found:
        out = assets.load_assets(doc, base=None if base is None else str(base), options=convert.make_options(**options))
    return out, found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``art/a.md`` showing ``img/photo.png``, beside ``secret.png`` (outside the article's folder)."""
    (tmp_path / "art" / "img").mkdir(parents=True)
    (tmp_path / "art" / "img" / "photo.png").write_bytes(PNG)
    (tmp_path / "art" / "a.md").write_text(md("![A photo](img/photo.png)"), encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(PNG)
    return tmp_path


# --------------------------------------------------------------------------- local files


def test_an_image_is_read_relative_to_the_input_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)  # not the article's folder
    with collect_warnings() as found:
        doc = convert.read(tree / "art" / "a.md")
    assert found == []
    assert doc.assets == (Asset("img/photo.png", "image/png", PNG),)
    assert doc.asset("img/photo.png") is not None and doc.assets[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert [i.src for i in images(doc)] == ["img/photo.png"]  # a file keeps its reference


def test_the_asset_folder_is_an_extra_root_not_a_prefix(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --asset-dir img/ next to an article that says img/photo.png: not img/img/photo.png
    monkeypatch.chdir(tree / "art")
    with collect_warnings() as found:
        doc = convert.read("a.md", asset_dir="img/")
    assert found == [] and [a.ref for a in doc.assets] == ["img/photo.png"]
    # and an image found only in the asset folder
    (tree / "shared").mkdir()
    (tree / "shared" / "logo.gif").write_bytes(GIF)
    doc, found = load(article(figure("logo.gif")), tree / "art", asset_dir=str(tree / "shared"))
    assert found == [] and doc.assets == (Asset("logo.gif", "image/gif", GIF),)
    # a reference leaving the article's folder into the asset folder is inside a root
    doc, found = load(article(figure("../shared/logo.gif")), tree / "art", asset_dir=str(tree / "shared"))
    assert found == [] and [a.ref for a in doc.assets] == ["../shared/logo.gif"]


def test_the_command_reads_images_beside_the_input(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree / "art")
    assert main(["a.md", "-t", "json", "-o", "a.json", "--asset-dir", "img/", "-q"]) == 0
    held = json.loads((tree / "art" / "a.json").read_text(encoding="utf-8"))["assets"]
    assert [(a["ref"], a["media_type"]) for a in held] == [("img/photo.png", "image/png")]


def test_the_pdf_shows_an_image_beside_the_article_with_an_asset_folder(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.chdir(tree / "art")
    assert main(["a.md", "-t", "pdf", "-o", "a.pdf", "--asset-dir", "img/"]) == 0
    assert "warning" not in capsys.readouterr().err  # img/img/photo.png was looked for
    reader = pypdf.PdfReader(str(tree / "art" / "a.pdf"))
    assert [image for page in reader.pages for image in page.images]


def test_a_missing_asset_folder_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tree / "nowhere")
    args = [str(tree / "art" / "a.md"), "-t", "md", "-o", str(tree / "out.md"), "--asset-dir", missing]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and missing in err and "asset folder" in err
    assert not (tree / "out.md").exists()
    with pytest.raises(UsageError, match="nowhere"):
        convert.read(tree / "art" / "a.md", asset_dir=missing)
    (tree / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        convert.read(tree / "art" / "a.md", asset_dir=str(tree / "file"))


def test_a_missing_asset_folder_stops_a_batch(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from convert.batch import main as batch_main

    args = [str(tree / "art"), "-t", "md", "-o", str(tree / "out"), "-j", "1", "--asset-dir", str(tree / "nowhere")]
    assert batch_main(args) == 2
    assert str(tree / "nowhere") in capsys.readouterr().err


def test_dot_dot_out_of_the_roots_is_refused(tree: Path) -> None:
    doc, found = load(article(figure("../secret.png", "The secret")), tree / "art")
    assert codes(found) == ["asset.refused"]
    assert "'../secret.png'" in found[0].message and "alt text is kept" in found[0].message
    assert doc.assets == () and images(doc) == [Image("../secret.png", "The secret")]
    # an absolute path outside the roots too, as a file: URL
    doc, found = load(article(figure((tree / "secret.png").as_uri())), tree / "art")
    assert codes(found) == ["asset.refused"] and doc.assets == ()
    doc, found = load(article(figure(str(tree / "secret.png"))), tree / "art")
    assert codes(found) == ["asset.refused"] and doc.assets == ()


def test_a_symbolic_link_out_of_the_roots_is_refused(tree: Path) -> None:
    (tree / "art" / "img" / "link.png").symlink_to(tree / "secret.png")
    (tree / "art" / "img" / "inside.png").symlink_to(tree / "art" / "img" / "photo.png")
    doc, found = load(article(figure("img/link.png"), figure("img/inside.png")), tree / "art")
    assert codes(found) == ["asset.refused"] and "'img/link.png'" in found[0].message
    assert [a.ref for a in doc.assets] == ["img/inside.png"]
    (tree / "art" / "up").symlink_to(tree)  # a linked folder leading out
    doc, found = load(article(figure("up/secret.png")), tree / "art")
    assert codes(found) == ["asset.refused"] and doc.assets == ()


def test_a_reference_is_also_read_as_a_url(tree: Path) -> None:
    (tree / "art" / "img" / "my photo.png").write_bytes(PNG)
    doc, found = load(article(figure("img/my%20photo.png"), figure("img/photo.png?v=2#top")), tree / "art")
    assert found == [] and [a.ref for a in doc.assets] == ["img/my%20photo.png", "img/photo.png?v=2#top"]


def test_a_file_url_inside_the_folder_is_read(tree: Path) -> None:
    url = (tree / "art" / "img" / "photo.png").as_uri()
    doc, found = load(article(figure(url)), tree / "art")
    assert found == [] and [a.ref for a in doc.assets] == [url]


def test_a_missing_image_is_named_and_its_alt_kept(tree: Path) -> None:
    (tree / "art" / "b.md").write_text(md("![Lost photo](img/nope.png)"), encoding="utf-8")
    with collect_warnings() as found:
        doc = convert.read(tree / "art" / "b.md")
    assert codes(found) == ["asset.missing"]
    assert "'img/nope.png'" in found[0].message and "alt text is kept" in found[0].message
    assert doc.assets == () and images(doc) == [Image("img/nope.png", "Lost photo")]
    assert b"Lost photo" in convert.render(doc, "md")


def test_a_name_no_file_can_have_is_missing(tree: Path) -> None:
    doc, found = load(article(figure("img/a\0b.png"), figure("x" * 5000 + ".png")), tree / "art")
    assert codes(found) == ["asset.missing", "asset.missing"] and doc.assets == ()


def test_bytes_that_are_not_an_image_are_refused(tree: Path) -> None:
    (tree / "art" / "img" / "fake.png").write_bytes(b"<html><script>alert(1)</script></html>")
    (tree / "art" / "img" / "doc.svg").write_bytes(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>')
    doc, found = load(article(figure("img/fake.png"), figure("img/doc.svg")), tree / "art")
    assert codes(found) == ["asset.not-image", "asset.not-image"] and doc.assets == ()
    assert "'img/fake.png'" in found[0].message


def test_the_media_type_comes_from_the_bytes_not_the_name(tree: Path) -> None:
    folder = tree / "art" / "img"
    for name, data in (("jpeg.png", JPEG), ("gif.jpg", GIF), ("webp.gif", WEBP), ("drawing.png", SVG)):
        (folder / name).write_bytes(data)
    refs = ["img/jpeg.png", "img/gif.jpg", "img/webp.gif", "img/drawing.png"]
    doc, found = load(article(*(figure(r) for r in refs)), tree / "art")
    assert found == []
    assert [a.media_type for a in doc.assets] == ["image/jpeg", "image/gif", "image/webp", "image/svg+xml"]
    bom_svg = b"\xef\xbb\xbf<!-- a drawing -->\n<!DOCTYPE svg>\n<svg:svg xmlns:svg='http://www.w3.org/2000/svg'/>"
    assert assets.sniff(bom_svg) == "image/svg+xml"
    assert assets.sniff(b"<svg width='1'/>") is None  # no SVG namespace: not an SVG document
    assert assets.sniff(b"") is None


def test_images_in_notes_and_inline_are_loaded(tree: Path) -> None:
    note = Note("1", (Paragraph((Text("see "), Image("img/photo.png", "inline photo"))),))
    doc, found = load(article(Paragraph((Text("x"), NoteRef("1"))), notes=(note,)), tree / "art")
    assert found == [] and [a.ref for a in doc.assets] == ["img/photo.png"]


def test_an_oversized_image_and_an_oversized_total_are_refused(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets, "MAX_ASSET_BYTES", len(PNG) - 1)
    doc, found = load(article(figure("img/photo.png")), tree / "art")
    assert codes(found) == ["asset.too-large"] and doc.assets == ()
    monkeypatch.setattr(assets, "MAX_ASSET_BYTES", 1024)
    monkeypatch.setattr(assets, "MAX_TOTAL_BYTES", len(PNG) + len(GIF) - 1)
    (tree / "art" / "img" / "b.gif").write_bytes(GIF)
    doc, found = load(article(figure("img/photo.png"), figure("img/b.gif")), tree / "art")
    assert codes(found) == ["asset.too-large"] and "'img/b.gif'" in found[0].message
    assert [a.ref for a in doc.assets] == ["img/photo.png"]


# --------------------------------------------------------------------------- data: URIs


def data_uri(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode("ascii")


def test_a_data_uri_is_decoded_and_kept_as_the_reference() -> None:
    """The image keeps its data: URI: Markdown and TEI, which reference images, stay self-contained."""
    uri = data_uri(PNG)
    doc, found = load(article(figure(uri), Paragraph((Image(uri, "again"),))))
    assert found == []
    assert doc.assets == (Asset(uri, "image/png", PNG),)
    assert [i.src for i in images(doc)] == [uri, uri] and [i.alt for i in images(doc)] == ["A photo", "again"]
    again, _ = load(article(figure(uri)))
    assert again.assets == doc.assets  # the same bytes: the same reference, every run
    # whitespace and percent-encoding in the payload, a lying media type: the bytes decide
    spaced = "data:image/gif;base64," + " ".join(
        base64.b64encode(PNG).decode("ascii")[i : i + 8] for i in range(0, 80, 8)
    )
    spaced += base64.b64encode(PNG).decode("ascii")[80:]
    doc, found = load(article(figure(spaced)))
    assert found == [] and doc.assets == (Asset(spaced, "image/png", PNG),)
    plain = "data:image/svg+xml," + "%3Csvg%20xmlns='http://www.w3.org/2000/svg'/%3E"
    doc, found = load(article(figure(plain)))
    assert found == [] and doc.assets[0].media_type == "image/svg+xml" and doc.assets[0].ref == plain


def test_a_bad_data_uri_is_reported() -> None:
    doc, found = load(article(figure("data:text/html,<b>hi</b>"), figure("data:image/png;base64,@@@")))
    assert codes(found) == ["asset.not-image", "asset.unreadable"] and doc.assets == ()
    assert [i.src for i in images(doc)] == ["data:text/html,<b>hi</b>", "data:image/png;base64,@@@"]


@pytest.mark.parametrize("fmt", ["json", "tei"])
def test_every_reader_gets_its_data_images_decoded(fmt: str) -> None:
    uri = data_uri(GIF, "image/gif")
    text = convert.render(article(figure(uri, "A dot")), fmt)
    with collect_warnings() as found:
        doc = convert.parse(text)
    assert found == [] and [a.media_type for a in doc.assets] == ["image/gif"]
    assert images(doc) == [Image(doc.assets[0].ref, "A dot")]


# --------------------------------------------------------------------------- other schemes, stdin, JSON


def test_other_schemes_are_refused() -> None:
    doc, found = load(article(figure("ftp://example.org/a.png"), figure("javascript:alert(1)")))
    assert codes(found) == ["asset.refused", "asset.refused"] and doc.assets == ()


def test_standard_input_reads_only_the_asset_folder_and_data(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree / "art")  # the working folder is not a root
    text = convert.render(article(figure("img/photo.png"), figure(data_uri(GIF, "image/gif"), "A dot")), "tei")
    with collect_warnings() as found:
        doc = convert.read(io.BytesIO(text))
    assert codes(found) == ["asset.refused"] and "--asset-dir" in found[0].message
    assert [a.media_type for a in doc.assets] == ["image/gif"]
    with collect_warnings() as found:
        doc = convert.read(io.BytesIO(text), asset_dir=str(tree / "art"))
    assert found == [] and [a.media_type for a in doc.assets] == ["image/png", "image/gif"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))
    assert main(["-", "-t", "json", "-o", str(tree / "stdin.json"), "--asset-dir", str(tree / "art"), "-q"]) == 0
    held = json.loads((tree / "stdin.json").read_text(encoding="utf-8"))["assets"]
    assert [a["ref"] for a in held] == ["img/photo.png", data_uri(GIF, "image/gif")]


def test_a_json_article_keeps_the_assets_it_holds(tmp_path: Path) -> None:
    held = Asset("pics/a.png", "image/png", PNG)
    doc = Article(Metadata(title="Held"), (figure("pics/a.png"),), (), (held,))
    path = tmp_path / "held.json"
    path.write_bytes(convert.render(doc, "json"))
    with collect_warnings() as found:
        back = convert.read(path)
    assert found == [] and back == doc


def test_an_article_without_images_is_returned_as_it_is() -> None:
    doc = article(Paragraph((Text("no images"),)))
    assert assets.load_assets(doc, base=None, options=Options()) is doc


# --------------------------------------------------------------------------- batch


def test_batch_reads_each_articles_images_beside_it(tmp_path: Path) -> None:
    from convert.batch import main as batch_main

    archive = tmp_path / "archive"
    for name, data in (("one", PNG), ("two", GIF)):
        (archive / name / "img").mkdir(parents=True)
        (archive / name / "img" / "photo.png").write_bytes(data)
        (archive / name / f"{name}.md").write_text(md("![A photo](img/photo.png)"), encoding="utf-8")
    out = tmp_path / "out"
    assert batch_main([str(archive), "-t", "json", "-o", str(out), "-j", "1", "-q"]) == 0
    for name, media_type in (("one", "image/png"), ("two", "image/gif")):
        held = json.loads((out / name / f"{name}.json").read_text(encoding="utf-8"))["assets"]
        assert [(a["ref"], a["media_type"]) for a in held] == [("img/photo.png", media_type)]


# --------------------------------------------------------------------------- remote images


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path == "/photo.png":
            self._send(200, PNG, "image/png")
        elif self.path == "/tofile":
            self._redirect("file:///etc/hostname")
        elif self.path == "/moved":
            self._redirect("/photo.png")
        elif self.path.startswith("/loop"):
            self._redirect(f"/loop{len(self.path)}")
        elif self.path == "/text.png":
            self._send(200, b"<html>not an image</html>", "image/png")
        elif self.path == "/big.png":
            self._send(200, PNG + b"\0" * 4096, "image/png")
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 (never the internet); yields its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the fetcher reach 127.0.0.1 (a test-only switch: private addresses are refused otherwise)."""
    monkeypatch.setattr(assets, "_loopback_allowed", True)


def test_a_remote_image_is_not_fetched_without_allow_remote(server: str, loopback: None) -> None:
    doc, found = load(article(figure(f"{server}/photo.png")))
    assert codes(found) == ["asset.refused"] and "--allow-remote" in found[0].message
    assert doc.assets == () and _Handler.hits == []


@pytest.mark.usefixtures("loopback")
def test_a_remote_image_is_fetched_with_allow_remote(server: str) -> None:
    url = f"{server}/photo.png"
    doc, found = load(article(figure(url), figure(url)), allow_remote=True)
    assert found == [] and doc.assets == (Asset(url, "image/png", PNG),)
    assert _Handler.hits == ["/photo.png"]  # the same image twice: fetched once
    doc, found = load(article(figure(f"{server}/moved")), allow_remote=True)
    assert found == [] and doc.assets == (Asset(f"{server}/moved", "image/png", PNG),)


@pytest.mark.usefixtures("loopback")
def test_remote_limits(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc, found = load(article(figure(f"{server}/loop")), allow_remote=True)
    assert codes(found) == ["asset.refused"] and "redirects" in found[0].message
    assert len(_Handler.hits) == assets.MAX_REDIRECTS + 1
    doc, found = load(article(figure(f"{server}/text.png")), allow_remote=True)
    assert codes(found) == ["asset.not-image"]  # the server's Content-Type is not believed
    doc, found = load(article(figure(f"{server}/gone.png")), allow_remote=True)
    assert codes(found) == ["asset.unreadable"] and "404" in found[0].message
    doc, found = load(article(figure(f"{server}/ph\u00f6to graph.png")), allow_remote=True)
    assert codes(found) == ["asset.unreadable"] and _Handler.hits[-1] == "/ph%C3%B6to%20graph.png"
    monkeypatch.setattr(assets, "MAX_ASSET_BYTES", 1024)
    doc, found = load(article(figure(f"{server}/big.png")), allow_remote=True)
    assert codes(found) == ["asset.too-large"] and doc.assets == ()


def test_private_addresses_are_never_fetched(server: str) -> None:
    doc, found = load(article(figure(f"{server}/photo.png")), allow_remote=True)
    assert codes(found) == ["asset.refused"] and "private" in found[0].message and doc.assets == ()
    assert _Handler.hits == []
    for url in ("http://10.0.0.1/a.png", "http://[::1]/a.png", "http://169.254.169.254/latest", "http://0.0.0.0/a"):
        _, found = load(article(figure(url)), allow_remote=True)
        assert codes(found) == ["asset.refused"], url


@pytest.mark.usefixtures("loopback")
def test_a_redirect_to_another_scheme_is_refused(server: str, tree: Path) -> None:
    doc, found = load(article(figure(f"{server}/tofile")), tree / "art", allow_remote=True)
    assert codes(found) == ["asset.refused"] and doc.assets == ()
