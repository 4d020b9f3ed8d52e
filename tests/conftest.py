"""Shared fixtures: the sample article, golden-file comparison."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import convert
from convert.ir.model import Article

# CI runs the properties derandomised, so that a run is repeatable; locally they explore.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE = SAMPLES / "russia-pakistan-relationship.md"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ARTCONV_UPDATE_GOLDEN") == "1"


def check_golden(name: str, data: bytes) -> None:
    """Compare ``data`` with ``tests/golden/<name>``; ARTCONV_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written: check it and commit it")
    assert data == path.read_bytes(), f"output differs from tests/golden/{name} (ARTCONV_UPDATE_GOLDEN=1 to accept)"


@pytest.fixture(scope="session")
def sample_article() -> Article:
    """The real sample, read once."""
    return convert.read(SAMPLE)
