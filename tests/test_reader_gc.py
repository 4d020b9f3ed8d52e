"""Readers run with Python's cycle collector paused, and it is resumed after, whatever happens."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

import convert
from convert import api
from convert.errors import InputError
from convert.ir.model import Article, Metadata, Paragraph, Text


def _reader(seen: list[bool], fail: BaseException | None = None) -> object:
    def read(data: bytes, options: object) -> Article:
        seen.append(gc.isenabled())
        if fail is not None:
            raise fail
        return Article(Metadata(title="T"), (Paragraph((Text("x"),)),))

    return SimpleNamespace(read=read)


def test_paused_while_reading_and_resumed(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(api, "get_reader", lambda name: _reader(seen))
    assert gc.isenabled()
    convert.parse(b"# T\n\nx\n", name="a.md")
    assert seen == [False]
    assert gc.isenabled()


def test_resumed_after_a_failed_read(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(api, "get_reader", lambda name: _reader(seen, RecursionError()))
    with pytest.raises(InputError):
        convert.parse(b"# T\n\nx\n", name="a.md")
    assert seen == [False]
    assert gc.isenabled()


def test_left_paused_when_the_caller_paused_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(api, "get_reader", lambda name: _reader(seen))
    gc.disable()
    try:
        convert.parse(b"# T\n\nx\n", name="a.md")
        assert not gc.isenabled()
    finally:
        gc.enable()
