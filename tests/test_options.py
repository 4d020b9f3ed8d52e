"""Options declared once, and format facts on the specs: every consumer derives from them."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest

import convert
from convert import options as options_module
from convert import registry
from convert.batch import main as batch_main
from convert.batch.inputs import output_stem
from convert.cli import _stem, main
from convert.cliopts import add_writer_options, parse_formats, writer_options
from convert.errors import UsageError
from convert.options import Option, Options, declared_options, get_option, markdown_table, register_option
from convert.readers.detect import detect_format

from .conftest import ROOT, UPDATE

OPTIONS_DOC = ROOT / "docs" / "options.md"


def _help(run: object, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        run(argv)  # type: ignore[operator]
    assert exit_info.value.code == 0
    return capsys.readouterr().out


@pytest.fixture
def throwaway(monkeypatch: pytest.MonkeyPatch) -> Option:
    """A third-party writer's option, registered for one test only."""
    monkeypatch.setattr(options_module, "_registered", {})
    opt = Option(
        name="shout_level",
        hint=int,
        default=1,
        doc="how loudly the upper writer shouts",
        writers=("upper",),
        metavar="LEVEL",
    )
    register_option(opt)
    return opt


# -- options: one declaration, every consumer --------------------------------------------------


def test_a_throwaway_option_reaches_help_batch_and_the_api(
    throwaway: Option, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "--shout-level LEVEL" in _help(main, ["--help"], capsys)
    assert "--shout-level LEVEL" in _help(batch_main, ["--help"], capsys)
    assert convert.make_options(shout_level=3).extra == (("shout_level", "3"),)
    with pytest.raises(UsageError, match="option shout_level must be int"):
        convert.make_options(shout_level="loud")
    parser = argparse.ArgumentParser()
    add_writer_options(parser)
    assert writer_options(parser.parse_args(["--shout-level", "5"]))["shout_level"] == 5


def test_a_throwaway_option_with_choices_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from typing import Literal

    monkeypatch.setattr(options_module, "_registered", {})
    register_option(Option("case", Literal["upper", "title"], "upper", "letter case", writers=("upper",)))
    assert convert.make_options(case="title").extra == (("case", "title"),)
    with pytest.raises(UsageError, match="one of 'upper', 'title'"):
        convert.make_options(case="lower")
    with pytest.raises(ValueError, match="already declared"):
        register_option(Option("paper", str, "", "a clash"))


def test_every_field_of_options_is_declared_once() -> None:
    names = [o.name for o in declared_options()]
    assert names == [f.name for f in dataclasses.fields(Options)]
    assert len(set(names)) == len(names)
    for opt in declared_options():
        assert opt.doc, opt.name


def test_command_line_defaults_are_the_options_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    parser = argparse.ArgumentParser()
    add_writer_options(parser)
    args = parser.parse_args([])
    assert convert.make_options(**writer_options(args)) == Options()
    flags = {a.dest for a in parser._actions}
    assert {o.name for o in declared_options() if o.flag} <= flags
    assert "source_date_epoch" not in flags and "extra" not in flags


def test_choices_come_from_the_types() -> None:
    paper = get_option("paper")
    assert paper is not None and paper.choices == ("a4", "letter") and paper.cli_flag == "--paper"
    with pytest.raises(UsageError, match="option paper must be one of 'a4', 'letter'"):
        convert.make_options(paper="legal")


def test_pdf_names_the_declared_paper_sizes() -> None:
    pytest.importorskip("weasyprint")
    from convert.writers import pdf

    with pytest.raises(UsageError, match=r"unknown paper size 'legal' \(known: a4, letter\)"):
        pdf._check_options(Options(paper="legal"))  # type: ignore[arg-type]


def test_notes_placement_is_one_type() -> None:
    from typing import get_type_hints

    from convert.html import render

    assert not hasattr(render, "NotesMode")
    assert get_type_hints(render.HtmlContext)["notes"] is options_module.NotesPlacement


def test_options_doc_is_generated() -> None:
    text = markdown_table()
    if UPDATE:
        OPTIONS_DOC.write_text(text, encoding="utf-8")
    assert OPTIONS_DOC.read_text(encoding="utf-8") == text, "docs/options.md: regenerate (ARTCONV_UPDATE_GOLDEN=1)"
    for opt in declared_options():
        assert f"`{opt.name}`" in text


# -- format facts on the specs --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(registry.BUILTIN_WRITERS))
def test_builtin_writer_facts_match_their_modules(name: str) -> None:
    facts = registry.BUILTIN_WRITER_FACTS[name]
    spec = registry.get_writer(name)
    assert (spec.extension, spec.aliases, spec.media_type) == (facts.extension, facts.aliases, facts.media_type)
    assert spec.facts() == facts
    assert facts.options == tuple(o.name for o in declared_options() if name in o.writers)


@pytest.mark.parametrize("name", list(registry.BUILTIN_READERS))
def test_builtin_reader_facts_match_their_modules(name: str) -> None:
    assert registry.get_reader(name).facts() == registry.BUILTIN_READER_FACTS[name]


def test_writer_facts_say_binary_and_options() -> None:
    assert {n for n, f in registry.BUILTIN_WRITER_FACTS.items() if f.binary} == {"pdf", "epub", "docx", "odt"}
    assert "paper" in registry.writer_facts("pdf").options
    assert registry.writer_facts("md").options == ("md_flavor",)


def test_writer_facts_need_no_import_of_the_writer() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from convert.registry import writer_facts as f; "
        "[f(n) for n in ('pdf', 'epub', 'markdown', 'xml')]; "
        "print(' '.join(m for m in sys.modules if m.startswith('convert.writers') or m == 'weasyprint'))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    assert out.split() == []


def test_other_names_of_writers_come_from_the_facts() -> None:
    assert parse_formats("markdown,xml,ir,md") == ["md", "tei", "json"]
    assert registry.get_writer("markdown").name == "md"


def test_plugin_writer_facts_default_from_the_spec() -> None:
    spec = registry.WriterSpec("upper", ".up", "image/x-upper", "shouting", lambda a, o: b"", names=("shout",))
    facts = spec.facts()
    assert facts.binary and facts.names == ("shout",) and facts.extensions == (".up",)
    assert not dataclasses.replace(spec, media_type="text/x-upper").facts().binary


def test_detection_reads_the_reader_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert detect_format(b"plain words", ".json") == "json"
    assert detect_format(b"plain words", ".tei") == "tei"
    facts = dict(registry.BUILTIN_READER_FACTS)
    facts["json"] = facts["json"]._replace(extensions=(".json", ".irj"))
    monkeypatch.setattr(registry, "BUILTIN_READER_FACTS", facts)
    assert detect_format(b"plain words", ".irj") == "json"
    assert detect_format(b"plain words", ".txt") == "article"


@pytest.mark.parametrize(
    "name", ["a.md", "a.tei.xml", "a.txt", "noext", ".md", "a.b.md", "A.MARKDOWN", "a.json", "a.html", ".x.y"]
)
def test_command_and_batch_name_outputs_alike(name: str) -> None:
    assert _stem(name) == output_stem(name) == output_stem(f"dir/{name}").removeprefix("dir/")


def test_output_naming_follows_reader_extensions() -> None:
    assert output_stem("x/a.tei.xml") == "x/a" and output_stem("a.markdown") == "a"
    assert Path(_stem("-")).name == "stdin"


def test_list_formats_shows_other_names_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-formats"]) == 0
    out = capsys.readouterr().out
    assert "(also -t markdown)" in out and "options: --paper --notes" in out
