"""The IR <-> pandoc JSON AST bridge: an identity on every article the strategies draw; pandoc reads it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings

from convert.ir.model import (
    Article,
    BibEntry,
    Bibliography,
    Figure,
    Image,
    Metadata,
    Note,
    NoteRef,
    Paragraph,
    Rights,
    Span,
    Table,
    TableCell,
    Text,
)
from convert.pandoc.bridge import RIGHTS_KEY, from_pandoc, to_pandoc
from tests.strategies import articles


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_bridge_round_trip_is_identity(article: Article) -> None:
    doc = to_pandoc(article)
    assert from_pandoc(json.loads(json.dumps(doc))) == article


def test_jats_metadata_keys() -> None:
    rights = Rights(
        copyright="Copyright © 2020 Ann Author, The Press",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        disclaimer="Views are the author's.",
    )
    meta = to_pandoc(Article(Metadata(title="T", language="ar", rights=rights), ()), exact=False)["meta"]
    assert meta["dir"] == {"t": "MetaString", "c": "rtl"}
    assert meta["copyright"]["c"]["year"]["c"] == "2020"
    assert meta["copyright"]["c"]["holder"]["c"] == "Ann Author, The Press"
    assert meta["license"]["c"]["link"]["c"] == rights.licence_url
    assert meta[RIGHTS_KEY]["c"]["disclaimer"]["c"] == rights.disclaimer
    assert "artconv" not in meta


def _sample() -> Article:
    return Article(
        Metadata(
            title="A title",
            authors=("Ann One", "Bob Two"),
            date=dt.date(2021, 3, 4),
            language="fr",
            rights=Rights(copyright="© 2021 Ann One", disclaimer="No warranty."),
        ),
        (
            Paragraph((Text("Hello "), Span((Text("monde"),), "fr"), Text(" again"), NoteRef("1"))),
            Table((), ((TableCell((Text("a"),)), TableCell((Text("b"),), colspan=1)),), ("left", "right")),
            Figure((Text("A caption"),), Image("https://x.example/a.png", "alt text")),
            Bibliography((BibEntry((Text("Smith, J. 2019. A book."),), "smith2019"),), (Text("References"),)),
        ),
        (Note("1", (Paragraph((Text("The note."),)),)),),
    )


@pytest.mark.parametrize("exact", [True, False])
def test_pandoc_reads_our_ast_back(exact: bool) -> None:
    from convert.pandoc.runner import run_json

    article = _sample()
    doc = run_json(json.dumps(to_pandoc(article, exact=exact)).encode(), "json")
    back = from_pandoc(doc)
    if exact:
        assert back == article
    else:
        assert back.body == article.body and back.notes == article.notes
        assert back.metadata.rights == article.metadata.rights
        assert back.metadata.authors == article.metadata.authors


def test_pandoc_version_is_recorded_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from convert.pandoc import runner

    assert runner.pandoc_version().split(".")[0] == "3"
    assert runner.api_version()[:2] == (1, 23)
    runner.api_version.cache_clear()
    monkeypatch.setattr(runner, "API_VERSION", (1, 99, 0))
    try:
        with pytest.raises(runner.PandocError, match="pandoc-types"):
            runner.api_version()
    finally:
        runner.api_version.cache_clear()


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_pandoc_reads_generated_asts_back(article: Article) -> None:
    from convert.pandoc.runner import run_json

    assert from_pandoc(run_json(json.dumps(to_pandoc(article)).encode(), "json")) == article
