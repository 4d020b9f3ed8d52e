"""Paths naming an open descriptor are recognised without compiling a pattern, as the pattern would."""

from __future__ import annotations

import random
import re

import pytest

from convert.files import _FD_PATH, _is_descriptor_path

_PIECES = ["/", "/", "dev", "proc", "fd", "self", "thread-self", "stdout", "stderr", "0", "12", "٣", "x", "\n", "-", ""]
_KNOWN = [
    "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/", "/dev/fd/1/", "/dev/fd/x", "/dev/fd/٣", "/dev/stdout/",
    "/proc/self/fd/3", "/proc/thread-self/fd/12", "/proc/123/fd/4", "/proc//fd/4", "/proc/self/fd/", "/proc/self/fd",
    "/proc/self/fdinfo/3", "/proc/selfish/fd/3", "/proc/1/fd/2\n", "/dev/fd/1\n", "dev/stdout", "/dev/stdin", "",
]  # fmt: skip


@pytest.mark.parametrize("path", _KNOWN)
def test_known_paths(path: str) -> None:
    assert _is_descriptor_path(path) == bool(re.fullmatch(_FD_PATH, path))


def test_random_paths_as_the_pattern() -> None:
    rng = random.Random(7)
    for _ in range(20000):
        parts = [rng.choice(_PIECES) for _ in range(rng.randint(1, 7))]
        path = "/" + "/".join(parts) if rng.random() < 0.7 else "".join(parts)
        assert _is_descriptor_path(path) == bool(re.fullmatch(_FD_PATH, path)), path
