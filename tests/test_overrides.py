"""Metadata set from outside the input: ``-M key=value`` and ``--metadata-file`` (command line and batch),
``metadata=`` of the API, and ``Article.with_metadata`` / ``with_rights``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import convert
from convert.api import make_options, parse
from convert.cli import main
from convert.errors import IRTypeError, UsageError
from convert.ir.model import Article, Metadata, Paragraph, Rights, Subject, Text
from convert.readers.markdown import read_markdown

from .validators import assert_valid_tei

SOURCE = b"""---
title: Found title
author: Ann Example
date: 2019-06-02
lang: en
subject:
  region:
  - Asia
tags:
- old
licence: All rights reserved
---

Text of the article.
"""


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "a.md"
    path.write_bytes(SOURCE)
    return path


# --------------------------------------------------------------------------- the API


def test_read_with_metadata_overrides_what_the_reader_found(src: Path) -> None:
    meta = convert.read(
        src,
        metadata={
            "title": "Given: a title",
            "author": ["Bo", "Cy"],
            "date": "2021-02",
            "site": "Example Site",
            "licence-url": "https://creativecommons.org/licenses/by/4.0/",
            "licence-id": "CC-BY-4.0",
            "lang": "fr",
        },
    ).metadata
    assert meta.title == "Given: a title"
    assert meta.authors == ("Bo", "Cy")
    assert (meta.date, meta.date_precision) == (dt.date(2021, 2, 1), "month")
    assert meta.site == "Example Site"
    assert meta.language == "fr"
    assert meta.rights.licence == "All rights reserved"  # not given: kept
    assert meta.rights.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert meta.rights.licence_id == "CC-BY-4.0"


def test_python_values_are_taken_as_they_are(src: Path) -> None:
    meta = convert.read(src, metadata={"date": dt.date(2020, 5, 6), "title": "2021", "description": "yes"}).metadata
    assert meta.date == dt.date(2020, 5, 6) and meta.date_precision == "day"
    assert meta.title == "2021" and meta.description == "yes"


def test_subjects_are_replaced_scheme_by_scheme(src: Path) -> None:
    meta = convert.read(src, metadata={"tags": ["new", "newer"]}).metadata
    assert meta.subjects == (Subject("Asia", "region"), Subject("new", "tag"), Subject("newer", "tag"))
    meta = convert.read(src, metadata={"subject": {"region": ["Europe"]}, "keywords": "k"}).metadata
    assert meta.subjects == (Subject("old", "tag"), Subject("Europe", "region"), Subject("k"))


def test_parse_takes_metadata_over_the_options() -> None:
    options = make_options(metadata={"title": "From options", "publisher": "P"})
    article = parse(SOURCE, "a.md", None, options, metadata={"title": "From parse"})
    assert (article.metadata.title, article.metadata.publisher) == ("From parse", "P")


def test_overrides_apply_after_every_reader(src: Path) -> None:
    for fmt in ("json", "tei"):
        data = convert.render(convert.read(src), fmt)
        if fmt == "tei":
            assert_valid_tei(data)
        assert parse(data, f"a.{fmt}", metadata={"site": "S"}).metadata.site == "S", fmt
    assert parse(b"A title\n\nSome text of an article.\n", "a.txt", metadata={"title": "T"}).metadata.title == "T"


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"titel": "x"}, "unknown metadata key 'titel'"),
        ({"date": "tomorrow"}, "metadata 'date' must be a date"),
        ({"copyright": {"year": "soon"}}, "'copyright.year' must be a year"),
        ({"copyright": "2019"}, "'copyright' must be a mapping"),
    ],
)
def test_a_bad_key_or_value_is_a_usage_error_naming_it(src: Path, metadata: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        convert.read(src, metadata=metadata)
    assert "\n" not in str(info.value)


def test_metadata_file(src: Path, tmp_path: Path) -> None:
    yaml_file = tmp_path / "meta.yaml"
    yaml_file.write_text("title: From the file\npublisher: File Press\ntags: [a, b]\n", encoding="utf-8")
    meta = convert.read(src, metadata_file=str(yaml_file), metadata={"title": "From -M"}).metadata
    assert (meta.title, meta.publisher) == ("From -M", "File Press")  # the given keys win over the file's
    assert [s.term for s in meta.subjects if s.scheme == "tag"] == ["a", "b"]
    json_file = tmp_path / "meta.json"
    json_file.write_text(json.dumps({"description": "From JSON", "modified": "2022-01-02"}), encoding="utf-8")
    meta = convert.read(src, metadata_file=json_file).metadata
    assert (meta.description, meta.modified) == ("From JSON", dt.date(2022, 1, 2))


@pytest.mark.parametrize(
    ("text", "message"),
    [("- a\n- b\n", "must be a mapping"), ("title: [a\n", "metadata file"), ("bogus: 1\n", "unknown metadata key")],
)
def test_a_bad_metadata_file_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        make_options(metadata_file=str(path))
    with pytest.raises(UsageError, match="no such file"):
        make_options(metadata_file=str(tmp_path / "missing.yaml"))


# --------------------------------------------------------------------------- the command line


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dash_m(src: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, str(src), "-t", "md", "-o", "-", "-M", "title=Given: a title", "-M", "author=Bo", "-M", "author=Cy",
        "-M", "date=2021", "-M", "tags=[x, y]", "--metadata", "lang=de", "-M", "description=yes",
    )  # fmt: skip
    assert code == 0
    meta = read_markdown(out.encode()).metadata
    assert meta.title == "Given: a title"  # not a YAML mapping: the text given
    assert meta.authors == ("Bo", "Cy")
    assert (meta.date, meta.date_precision) == (dt.date(2021, 1, 1), "year")
    assert 'date: "2021"' in out.splitlines()
    assert [s.term for s in meta.subjects if s.scheme == "tag"] == ["x", "y"]
    assert meta.language == "de" and meta.description == "yes"


def test_cli_metadata_file(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("site: Example Site\ntitle: From file\n", encoding="utf-8")
    code, out, _ = _run(capsys, str(src), "-t", "md", "-o", "-", "--metadata-file", str(path), "-M", "title=T")
    assert code == 0
    meta = read_markdown(out.encode()).metadata
    assert (meta.site, meta.title) == ("Example Site", "T")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-M", "titel=x"], "unknown metadata key 'titel'"),
        (["-M", "title"], "expected KEY=VALUE"),
        (["-M", "date=soon"], "metadata 'date' must be a date"),
        (["--metadata-file", "/nonexistent/m.yaml"], "no such file"),
    ],
)
def test_cli_bad_override_exits_2_in_one_line(
    src: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) if args[1] == "title" else _no_exit() as info:
        code = main([str(src), "-t", "md", "-o", "-", *args])
    _, err = capsys.readouterr()
    assert (info.value.code if info is not None else code) == 2
    assert message in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("artconv: error")]) == 1


class _no_exit:
    value = None

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_batch_takes_overrides(src: Path, tmp_path: Path) -> None:
    from convert.batch import main as batch_main

    out = tmp_path / "out"
    code = batch_main([str(src), "-t", "md", "-o", str(out), "-q", "-M", "site=Batch Site", "-M", "title=T"])
    assert code == 0
    meta = read_markdown(next(out.rglob("*.md")).read_bytes()).metadata
    assert (meta.site, meta.title) == ("Batch Site", "T")
    assert batch_main([str(src), "-t", "md", "-o", str(tmp_path / "o2"), "-q", "-M", "nope=1"]) == 2


def test_options_table_lists_the_flags() -> None:
    from convert.options import markdown_table

    table = markdown_table()
    assert "| `metadata` | `-M`, `--metadata` |" in table
    assert "| `metadata_file` | `--metadata-file` |" in table


# --------------------------------------------------------------------------- Article.with_metadata / with_rights


ARTICLE = Article(Metadata(title="T", rights=Rights(licence="L")), (Paragraph((Text("x"),)),))


def test_with_metadata_returns_a_new_checked_article() -> None:
    changed = ARTICLE.with_metadata(title="New", site="S", date=dt.date(2021, 2, 9), date_precision="month")
    assert changed is not ARTICLE and ARTICLE.metadata.title == "T"
    assert (changed.metadata.title, changed.metadata.site, changed.metadata.date) == ("New", "S", dt.date(2021, 2, 1))
    assert changed.body == ARTICLE.body and changed.metadata.rights == ARTICLE.metadata.rights
    assert ARTICLE.with_metadata() == ARTICLE
    with pytest.raises(IRTypeError, match=r"^Metadata\.title must be a str"):
        ARTICLE.with_metadata(title=3)
    with pytest.raises(TypeError, match="Metadata has no field 'titel'"):
        ARTICLE.with_metadata(titel="x")


def test_with_rights_returns_a_new_checked_article() -> None:
    changed = ARTICLE.with_rights(licence_url="https://creativecommons.org/licenses/by/4.0/", licence_id="CC-BY-4.0")
    assert changed.metadata.rights == Rights(
        licence="L", licence_url="https://creativecommons.org/licenses/by/4.0/", licence_id="CC-BY-4.0"
    )
    assert changed.metadata.title == "T" and ARTICLE.metadata.rights.licence_url == ""
    with pytest.raises(IRTypeError, match=r"^Rights\.licence_id must be a str"):
        ARTICLE.with_rights(licence_id=None)
    with pytest.raises(TypeError, match="Rights has no field 'copyright_year'"):
        ARTICLE.with_rights(copyright_year=2019)  # derived from the statement, not a field
