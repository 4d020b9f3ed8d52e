"""Readers and writers as plug-ins: entry points, laziness, third-party writers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import convert
from convert import registry

from .conftest import ROOT, SAMPLE

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_builtin_tables_match_pyproject_entry_points() -> None:
    eps = PYPROJECT["project"]["entry-points"]
    assert eps["artconv.readers"] == dict(registry.BUILTIN_READERS)
    assert eps["artconv.writers"] == dict(registry.BUILTIN_WRITERS)


def test_version_matches_pyproject() -> None:
    assert PYPROJECT["project"]["version"] == convert.__version__


@pytest.mark.parametrize("name", list(registry.BUILTIN_WRITERS))
def test_every_builtin_writer_loads(name: str) -> None:
    spec = registry.get_writer(name)
    assert spec.name == name and spec.extension.startswith(".")
    assert registry.writer_for_extension(spec.extension) == name


@pytest.mark.parametrize("name", list(registry.BUILTIN_READERS))
def test_every_builtin_reader_loads(name: str) -> None:
    assert registry.get_reader(name).name == name


def test_builtin_formats_resolve_without_scanning_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def no_scan(**kwargs: object) -> object:
        raise AssertionError("entry points scanned for a built-in format")

    monkeypatch.setattr(importlib.metadata, "entry_points", no_scan)
    registry.reset_cache()
    try:
        assert registry.get_writer("tei").name == "tei"
        assert registry.get_reader("article").name == "article"
        assert registry.writer_for_extension(".epub") == "epub"
    finally:
        registry.reset_cache()


def _modules_after(code: str) -> set[str]:
    script = f"import sys, convert\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env, cwd=ROOT
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("fmt", ["tei", "md", "json", "epub", "html"])
def test_non_pdf_conversions_never_import_weasyprint(fmt: str) -> None:
    modules = _modules_after(f"convert.render(convert.read({str(SAMPLE)!r}), {fmt!r})")
    assert "weasyprint" not in modules
    assert f"convert.writers.{'markdown' if fmt == 'md' else fmt}" in modules


def test_importing_convert_is_light() -> None:
    modules = _modules_after("")
    for heavy in ("weasyprint", "ebooklib", "lxml", "yaml", "importlib.metadata", "convert.writers.pdf"):
        assert heavy not in modules, heavy


@pytest.fixture()
def plugin(tmp_path: Path) -> Iterator[Path]:
    """A third-party distribution declaring an ``upper`` writer and a rogue ``md`` writer."""
    (tmp_path / "artconv_upper.py").write_text(
        textwrap.dedent(
            """
            from convert.ir.walk import plain_text_blocks
            from convert.registry import WriterSpec

            def render(article, options):
                return (article.metadata.title + "\\n\\n" + plain_text_blocks(article.body)).upper().encode()

            WRITER = WriterSpec(name="upper", extension=".up", media_type="text/plain",
                                description="the article in capitals", render=render)
            """
        )
    )
    dist = tmp_path / "artconv_upper-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: artconv-upper\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[artconv.writers]\nupper = artconv_upper:WRITER\nmd = artconv_upper:WRITER\n"
    )
    sys.path.insert(0, str(tmp_path))
    registry.reset_cache()
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop("artconv_upper", None)
    registry.reset_cache()


def test_third_party_writer_is_one_entry_point_away(plugin: Path, tmp_path: Path) -> None:
    assert "upper" in registry.available_writers()
    article = convert.read(SAMPLE)
    assert convert.render(article, "upper").startswith(b"TOWARDS A RUSSIA-PAKISTAN")
    out = tmp_path / "out.up"
    convert.write(article, out)  # the extension selects the plug-in
    assert out.read_bytes().startswith(b"TOWARDS")
    # a plug-in cannot shadow a built-in by accident
    assert registry.get_writer("md").render is not None and registry.get_writer("md").name == "md"


def test_third_party_writer_from_the_command_line(plugin: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(ROOT)])}
    listed = subprocess.run(
        [sys.executable, "-m", "convert", "--list-formats"], check=True, capture_output=True, text=True, env=env
    ).stdout
    assert "upper" in listed and "the article in capitals" in listed
    done = subprocess.run(
        [sys.executable, "-m", "convert", str(SAMPLE), "-t", "upper", "-o", f"{tmp_path}/o/"],
        check=False,
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o" / "russia-pakistan-relationship.up").read_bytes().startswith(b"TOWARDS")


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(convert.UnknownFormatError) as info:
        registry.get_writer("wordperfect")
    assert "wordperfect" in str(info.value) and "tei" in str(info.value)


@pytest.mark.parametrize(("other", "name"), [("markdown", "md"), ("ir", "json"), ("xml", "tei"), ("tex", "latex")])
def test_a_reader_answers_to_its_writer_s_other_names(other: str, name: str) -> None:
    """``-f markdown`` as ``-t markdown``: the other names a format's writer has, its reader has too."""
    assert registry.get_reader(other) is registry.get_reader(name)
    assert other in registry.BUILTIN_WRITER_FACTS[name].names
    assert registry.reader_name("wordperfect") == "wordperfect"


def test_read_and_the_command_take_a_reader_s_other_name(tmp_path: Path) -> None:
    article = convert.read(SAMPLE, "markdown")
    assert article == convert.read(SAMPLE, "md")
    done = subprocess.run(
        [sys.executable, "-m", "convert", str(SAMPLE), "-f", "markdown", "-t", "json", "-o", str(tmp_path / "a.json")],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    command = [sys.executable, "-m", "convert", "--list-formats"]
    listed = subprocess.run(command, check=True, capture_output=True, text=True)
    assert "(also -f markdown)" in listed.stdout
