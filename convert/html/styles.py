"""Access to the stylesheets in ``styles/`` (shipped in the package as ``convert.styles``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["stylesheet"]

_SOURCE_TREE = Path(__file__).resolve().parents[2] / "styles"


@cache
def stylesheet(name: str) -> str:
    """The text of ``styles/<name>`` (e.g. ``"print.css"``)."""
    try:
        return resources.files("convert.styles").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (_SOURCE_TREE / name).read_text(encoding="utf-8")
