"""The article reader's metadata comes from the crosswalk: a transform sets any row's field by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

import convert.readers.article as article_reader
from convert.ir import crosswalk
from convert.ir.crosswalk import FIELDS, Field
from convert.ir.model import Metadata, Rights
from convert.readers.article import read_article
from convert.readers.article.draft import Draft, Transform

from .conftest import SAMPLE

TEXT = b"# A title\n\nBy Ann Example\n\nJanuary 2, 2020\n\nThe text of the article, in one paragraph.\n"


@dataclasses.dataclass(frozen=True)
class _MoodMetadata(Metadata):
    """Metadata with one more field, as a new model line would add it."""

    mood: str = ""


def _with_step(patch: pytest.MonkeyPatch, step: Transform) -> None:
    """Run ``step`` after the reader's own transforms."""
    patch.setattr(article_reader, "TRANSFORMS", (*article_reader.TRANSFORMS, step))


@pytest.fixture
def mood() -> Iterator[pytest.MonkeyPatch]:
    """The crosswalk with a throwaway ``mood`` row, and the metadata class that has the field."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crosswalk, "FIELDS", (*FIELDS, Field("mood", md="mood")))
        patch.setattr(crosswalk, "METADATA", _MoodMetadata)
        yield patch


def test_a_transform_sets_a_new_crosswalk_field(mood: pytest.MonkeyPatch) -> None:
    plain = read_article(TEXT).metadata

    def set_mood(draft: Draft) -> None:
        draft.fields["mood"] = "Sunny"

    _with_step(mood, set_mood)
    meta = read_article(TEXT).metadata
    assert isinstance(meta, _MoodMetadata)
    assert meta.mood == "Sunny"
    fields = {f.name: getattr(plain, f.name) for f in dataclasses.fields(Metadata)}
    assert meta == _MoodMetadata(**fields, mood="Sunny")


def test_a_new_field_left_unset_takes_its_default(mood: pytest.MonkeyPatch) -> None:
    meta = read_article(TEXT).metadata
    assert isinstance(meta, _MoodMetadata)
    assert meta.mood == ""
    assert (meta.title, meta.authors, str(meta.date)) == ("A title", ("Ann Example",), "2020-01-02")


def test_a_transform_sets_a_rights_row_the_reader_never_fills() -> None:
    def licence(draft: Draft) -> None:
        draft.fields["licence"] = "CC BY 4.0"

    with pytest.MonkeyPatch.context() as patch:
        _with_step(patch, licence)
        meta = read_article(TEXT).metadata
    assert meta.rights == Rights(licence="CC BY 4.0")


def test_the_reader_fills_only_crosswalk_rows() -> None:
    seen: list[str] = []

    def spy(draft: Draft) -> None:
        seen.extend(draft.fields)

    with pytest.MonkeyPatch.context() as patch:
        _with_step(patch, spy)
        meta = read_article(SAMPLE.read_bytes()).metadata
    assert {"title", "authors", "date", "subjects", "copyright", "source"} <= set(seen)
    assert set(seen) <= {row.name for row in FIELDS}
    assert meta.rights.copyright and meta.subjects
