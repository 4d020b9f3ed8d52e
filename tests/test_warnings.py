"""The one warning channel: every dropped or degraded thing is reported once, with a documented code."""

from __future__ import annotations

import ast
import json
import logging
import os
import re
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest

import convert
from convert.cli import main
from convert.errors import INFO, ArtconvWarning, WarningRecord, collect_warnings, inform, warn
from convert.html.fetch import FetchPolicy, FetchRefusedError
from convert.ir.model import Article, Figure, Image, Link, Metadata, Paragraph, Text
from convert.writers.pdf import build_html

from .conftest import ROOT

DOC = ROOT / "docs" / "warnings.md"


def codes(found: list[WarningRecord]) -> list[str]:
    return [w.code for w in found]


def article(*blocks: object) -> Article:
    return Article(Metadata(title="Warnings"), tuple(blocks), ())  # type: ignore[arg-type]


def para_link(target: str) -> Paragraph:
    return Paragraph((Text("see "), Link((Text("this"),), target)))


# --------------------------------------------------------------------------- the channel


def test_a_warning_is_collected_with_its_code_and_logger() -> None:
    with collect_warnings() as found:
        warn("test.thing", "a  thing\nwas changed", logger="convert.writers.test")
        warn("test.thing", "a thing was changed", logger="convert.writers.test")
    assert found == [WarningRecord("test.thing", "a thing was changed", "convert.writers.test")]
    assert str(found[0]) == "a thing was changed [test.thing]"


def test_a_warning_without_a_code_is_still_reported() -> None:
    with collect_warnings() as found:
        warn("something was lost")
    assert found == [WarningRecord("unclassified", "something was lost")]


def test_nothing_in_the_package_warns_around_the_channel() -> None:
    for path in (ROOT / "convert").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "errors.py":
            assert "warnings.warn(" not in text and ".warning(" not in text, path


def test_details_are_collected_only_when_asked() -> None:
    with collect_warnings() as plain:
        inform("test.detail", "read something")
    with collect_warnings(level=INFO) as verbose:
        inform("test.detail", "read something")
    assert plain == [] and codes(verbose) == ["test.detail"]


def test_a_plugins_python_warning_reaches_the_same_channel() -> None:
    with collect_warnings() as found:
        warnings.warn("the plug-in lost something", ArtconvWarning, stacklevel=1)
    assert found == [WarningRecord("plugin.warning", "the plug-in lost something")]


def test_other_threads_warnings_are_not_collected() -> None:
    def other() -> None:
        with collect_warnings():
            warn("test.other", "from another thread")

    with collect_warnings() as found:
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        warn("test.mine", "from this thread")
    assert codes(found) == ["test.mine"]


def test_an_application_logging_config_gets_the_records(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="convert"):
        warn("test.logged", "seen by logging", logger="convert.writers.test")
    record = next(r for r in caplog.records if r.name == "convert.writers.test")
    assert record.getMessage() == "seen by logging [test.logged]"
    assert record.artconv_code == "test.logged"  # type: ignore[attr-defined]


def test_without_a_collector_python_prints_them_on_stderr(tmp_path: Path) -> None:
    code = "from convert.errors import warn; warn('test.shown', 'shown by default')"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stderr == "shown by default [test.shown]\n"


# --------------------------------------------------------------------------- what each format drops


def test_pdf_relative_image_without_asset_folder_is_reported() -> None:
    doc = article(Figure((Text("A map"),), Image("figs/map.png")))
    with collect_warnings() as found:
        html = build_html(doc, convert.make_options())
    assert "<img" not in html
    assert codes(found) == ["pdf.image-relative"]
    assert "'figs/map.png'" in found[0].message and "--asset-dir" in found[0].message


def test_pdf_data_url_that_is_not_an_image_is_reported() -> None:
    doc = article(Figure((Text("x"),), Image("data:text/html,<b>hi</b>")))
    with collect_warnings() as found:
        build_html(doc, convert.make_options())
    assert codes(found) == ["pdf.image-not-image"]


def test_pdf_remote_image_refused_once() -> None:
    web = Image("https://example.org/a.png")
    doc = article(Figure((Text("x"),), web), Figure((Text("y"),), web))
    with collect_warnings() as found:
        html = build_html(doc, convert.make_options())
    assert "<img" not in html
    assert codes(found) == ["fetch.refused"]
    assert "--allow-remote" in found[0].message


def test_the_fetcher_reports_each_refusal() -> None:
    policy = FetchPolicy()
    with collect_warnings() as found:
        for url in ("ftp://example.org/x.png", "file:///etc/passwd"):
            with pytest.raises(FetchRefusedError):
                policy.check(url)
    assert codes(found) == ["fetch.refused", "fetch.refused"]
    assert found[0].logger == "convert.html.fetch"


def test_epub_captionless_figure_is_reported() -> None:
    doc = article(Paragraph((Text("text"),)), Figure((), Image("figs/a.png")))
    with collect_warnings() as found:
        convert.render(doc, "epub")
    assert codes(found) == ["epub.figure-dropped"]


def test_epub_local_image_with_caption_is_reported() -> None:
    doc = article(
        Figure((Text("A map"),), Image("figs/a.png")), Figure((Text("Online"),), Image("https://example.org/b.png"))
    )
    with collect_warnings() as found:
        convert.render(doc, "epub")
    assert codes(found) == ["epub.image-left-out"]


def test_epub_unrepairable_link_is_reported() -> None:
    doc = article(para_link("http://exa mple.org/page"))
    with collect_warnings() as found:
        convert.render(doc, "epub")
    assert codes(found) == ["epub.link-dropped"]


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_unsafe_link_is_reported(fmt: str) -> None:
    doc = article(para_link("javascript:alert(1)"))
    with collect_warnings() as found:
        data = convert.render(doc, fmt)
    assert b"javascript" not in data
    assert codes(found) == ["html.link-dropped"]


@pytest.mark.parametrize("src", ["javascript:alert(1)", "figs/a.png", "mailto:a@example.org"])
def test_html_image_it_cannot_show_is_reported(src: str) -> None:
    with collect_warnings() as found:
        data = convert.render(article(Figure((Text("cap"),), Image(src))), "html")
    assert b"<img" not in data
    assert codes(found) == ["html.image-dropped"]


def test_html_web_image_gives_no_warning() -> None:
    with collect_warnings() as found:
        data = convert.render(article(Figure((Text("cap"),), Image("https://example.org/a.png"))), "html")
    assert b'src="https://example.org/a.png"' in data and found == []


def test_markdown_script_link_is_reported() -> None:
    with collect_warnings() as found:
        doc = convert.parse(b"---\ntitle: t\n---\n\nA [link](javascript:alert(1)) here.\n", "a.md", "md")
    assert codes(found) == ["markdown.link-refused"]
    assert "link" in convert.render(doc, "md").decode()


def test_tei_problems_each_have_a_code() -> None:
    from convert.ir.model import BulletList, Heading

    with collect_warnings() as found:
        convert.render(article(BulletList(()), Heading(0, (Text("h"),))), "tei")
    assert codes(found) == ["tei.empty-list", "tei.heading-level"]


# --------------------------------------------------------------------------- the command


@pytest.fixture
def lossy(tmp_path: Path) -> Path:
    path = tmp_path / "lossy.md"
    path.write_text("---\ntitle: Lossy\n---\n\nA [link](javascript:alert(1)) here.\n", encoding="utf-8")
    return path


LINE = "link to 'javascript:alert(1)' kept as text"


def test_the_command_shows_warnings_with_their_code(lossy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(lossy), "-t", "md", "-o", str(lossy.with_suffix(".out.md"))]) == 0
    err = capsys.readouterr().err.splitlines()
    shown = [line for line in err if line.startswith(f"artconv: warning: {lossy}: {LINE}")]
    assert len(shown) == 1 and shown[0].endswith("[markdown.link-refused]")


def test_quiet_drops_warnings_but_fail_on_warning_still_counts_them(
    lossy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(lossy.with_suffix(".out.md"))
    assert main([str(lossy), "-t", "md", "-o", out, "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main([str(lossy), "-t", "md", "-o", out]) == 0
    assert LINE in capsys.readouterr().err
    assert main([str(lossy), "-t", "md", "-o", out, "-q", "--fail-on-warning"]) == 1


def test_fail_on_warning_gives_status_1_and_still_writes(lossy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = lossy.with_suffix(".out.md")
    assert main([str(lossy), "-t", "md", "-o", str(out), "--fail-on-warning"]) == 1
    assert out.exists() and "--fail-on-warning" in capsys.readouterr().err
    clean = lossy.with_name("clean.md")
    clean.write_text("---\ntitle: Clean\n---\n\nNothing lost.\n", encoding="utf-8")
    assert main([str(clean), "-t", "md", "-o", str(out), "--fail-on-warning"]) == 0


def test_verbose_shows_details(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.svg").write_text(SVG, encoding="utf-8")
    src = tmp_path / "a.md"
    src.write_text("---\ntitle: Image\n---\n\n![A square](a.svg)\n", encoding="utf-8")
    args = [str(src), "-t", "pdf", "-o", str(tmp_path / "a.pdf"), "--asset-dir", str(tmp_path / "assets")]
    assert main([*args, "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main([*args, "-q", "-v"]) == 0
    err = capsys.readouterr().err
    assert f"artconv: info: {src}: read image 'a.svg'" in err and "[asset.read]" in err  # read with the article


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def test_batch_reports_warnings_per_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from convert.batch import main as batch_main

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "lossy.md").write_text("---\ntitle: L\n---\n\nA [link](javascript:alert(1)) here.\n", encoding="utf-8")
    (archive / "clean.md").write_text("---\ntitle: C\n---\n\nNothing lost.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch_main([str(archive), "-t", "md", "-o", str(out), "-j", "1", "-q", "-v"]) == 0
    report = json.loads((out / "artconv-report.json").read_text(encoding="utf-8"))
    assert [w["file"] for w in report["warnings"]] == [str(archive / "lossy.md")]
    assert report["warnings"][0]["message"].endswith("[markdown.link-refused]")
    assert "artconv batch: warning: " in capsys.readouterr().err
    assert batch_main([str(archive), "-t", "md", "-o", str(out), "-j", "1", "-q", "--force", "--fail-on-warning"]) == 1


# --------------------------------------------------------------------------- the documentation


def documented() -> set[str]:
    return set(re.findall(r"^\| `([a-z]+\.[a-z-]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def call_sites() -> list[tuple[str, str]]:
    """(place, code) of every ``warn(...)`` and ``inform(...)`` call in the package."""
    found = []
    for path in sorted((ROOT / "convert").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in ("warn", "inform") or path.name == "errors.py":
                continue
            place = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0] if node.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), f"{place}: code not a literal"
            found.append((place, first.value))
    return found


def test_every_warning_code_is_documented() -> None:
    sites = call_sites()
    assert len(sites) >= 15
    missing = [(place, code) for place, code in sites if code not in documented()]
    assert not missing, missing


def test_every_documented_code_is_used() -> None:
    used = {code for _, code in call_sites()} | {"plugin.warning", "log.warning"}
    assert documented() - used == set()


# --------------------------------------------------------------------------- shared helpers


def test_namespaces_and_url_schemes_are_spelled_once() -> None:
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "convert").rglob("*.py")}
    tei = [p.name for p, text in sources.items() if '"http://www.tei-c.org/ns/1.0"' in text]
    xml = [p.name for p, text in sources.items() if '"{http://www.w3.org/XML/1998/namespace}' in text]
    assert tei == ["xmlns.py"] and xml == []
    # a list of schemes: script schemes, "http" beside "https", "tel"
    schemes = re.compile(r"""["']javascript:?["']|["']https?["'],\s*["']https?["']|["']tel["']""")
    assert [p.name for p, text in sources.items() if schemes.search(text)] == ["urls.py"]


def test_batch_report_leaves_out_deprecation_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library's deprecation notice is about the installation, not the article: not in its report."""
    from convert.batch import worker
    from convert.registry import Options

    real_read = worker._read

    def read(task: worker.Task) -> Article:
        warnings.warn("HarfBuzz-Subset will be required", DeprecationWarning, stacklevel=1)
        warnings.warn("a library's own warning about this article", UserWarning, stacklevel=1)
        return real_read(task)

    monkeypatch.setattr(worker, "_read", read)
    data = (ROOT / "samples" / "russia-pakistan-relationship.md").read_bytes()
    outcome = worker.convert_task(worker.Task("a.md", "a.md", data, "a", ("md",), Options()))
    assert not outcome.errors
    assert outcome.warnings == ("a library's own warning about this article",)
