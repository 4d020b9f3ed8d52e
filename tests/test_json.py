"""The IR's JSON form: lossless round trip, schema, errors."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import convert
from convert.ir.jsonio import article_from_json, article_to_json, json_schema
from convert.ir.model import Article

from .conftest import check_golden
from .strategies import articles


def test_sample_golden(sample_article: Article) -> None:
    check_golden("articles/russia-pakistan-relationship.json", article_to_json(sample_article).encode())


def test_sample_validates_against_published_schema(sample_article: Article) -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(article_to_json(sample_article)), schema)


def test_published_schema_file_is_current() -> None:
    from .conftest import ROOT

    published = json.loads((ROOT / "docs" / "ir.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "docs/ir.schema.json is stale: run `artconv schema > docs/ir.schema.json`"


_VALIDATOR: list[Any] = []
_SEEN: list[int] = []


def _validate(data: object) -> None:
    """Validate against the IR's schema (its validator built once: building it is most of the cost)."""
    if not _VALIDATOR:
        schema = json_schema()
        _VALIDATOR.append(jsonschema.validators.validator_for(schema)(schema))
    _VALIDATOR[0].validate(data)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(assets=True))
def test_json_round_trip(article: Article) -> None:
    text = article_to_json(article)
    assert article_from_json(text) == article
    _SEEN.append(1)
    if len(_SEEN) % 5 == 1:  # the schema check is slow (a oneOf per node): one article in five
        _validate(json.loads(text))


def test_json_reader_through_api(sample_article: Article) -> None:
    data = convert.render(sample_article, "json")
    assert convert.read(data) == sample_article
    assert convert.read(data, format="json") == sample_article


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON"),
        ('{"ir-version": 99}', "unsupported IR version"),
        ('{"ir-version": 1, "metadata": {}, "body": [{"type": "Nope"}]}', "expected one of"),
        ('{"ir-version": 1, "metadata": {"title": 3}, "body": []}', "expected a string"),
        ('{"ir-version": 1, "metadata": {}, "body": [], "extra": 1}', "unknown field"),
        ('{"ir-version": 1, "metadata": {"date": "2012-13-40"}, "body": []}', "metadata.date"),
    ],
)
def test_bad_json_is_one_line_error(text: str, message: str) -> None:
    with pytest.raises(convert.InputError) as info:
        convert.read(text.encode(), format="json")
    assert message in str(info.value)
    assert "\n" not in str(info.value)
