"""The command line read without argparse (``convert.cliopts.quick_parse``) gives argparse's answer.

``quick_parse`` reads plain command lines and hands anything else to argparse; on random command
lines (known flags and values, unusual spellings, help, bad values) each line it reads must give
the attributes argparse gives, and argparse must accept it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import subprocess
import sys
from typing import Any

import pytest

from convert import cli
from convert.cliopts import Argument, quick_parse

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "russia-pakistan-relationship.md"


def _arguments() -> list[Argument]:
    return [*cli._head(), *cli.writer_arguments(), *cli._tail(), *cli.warning_arguments()]


def _argparse(argv: list[str]) -> dict[str, Any] | None:
    """argparse's attributes for ``argv``, or None when it exits (an error, help, version)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(cli._parser().parse_args(argv))
        except SystemExit:
            return None


_VALUES = ["tei", "md,json", "a.md", "-", "", "x y", "-1", "k=v", "=v", "k=", "letter", "a4", "bogus", "12", "1_0",
           "-x", "fr", "gfm", "endnotes", "pdf/ua-1", "out/", "--", "all", "é.md", "0"]  # fmt: skip
_ODD = ["--qui", "--to=md", "-qv", "-tmd", "--", "-h", "--help", "--version", "-x", "--nope", "--lang=fr", "-M=k=v",
        "--output", "-o-"]  # fmt: skip


def _flags() -> list[str]:
    return [flag for flags, _ in _arguments() for flag in flags if flag.startswith("-")]


def _random_line(rng: random.Random, flags: list[str], plain: bool) -> list[str]:
    argv: list[str] = []
    inputs_at = rng.randrange(3)
    for i in range(rng.randrange(7)):
        if i == inputs_at or (not plain and rng.random() < 0.15):
            argv += [rng.choice(["a.md", "b.txt", "-", "x y.md", "batch"]) for _ in range(rng.randrange(1, 3))]
        if not plain and rng.random() < 0.2:
            argv.append(rng.choice(_ODD))
            continue
        flag = rng.choice(flags)
        argv.append(flag)
        if rng.random() < 0.8 or not plain:
            argv.append(rng.choice(_VALUES))
    return argv


@pytest.mark.parametrize("plain", [True, False])
def test_quick_parse_gives_argparse_attributes(plain: bool) -> None:
    rng = random.Random(11 if plain else 12)
    flags = _flags()
    arguments = _arguments()
    read = 0
    for _ in range(1500):
        argv = _random_line(rng, flags, plain)
        quick = quick_parse(argv, arguments)
        if quick is None:
            continue
        read += 1
        assert vars(quick) == _argparse(argv), argv
    assert read > 150  # the quick path is taken on many of them


@pytest.mark.parametrize(
    "argv",
    [
        [],
        [str(SAMPLE), "-t", "tei"],
        ["-q", "a.md", "b.md", "-o", "out/", "--lang", "fr", "-M", "k=v", "--metadata", "a=b=c"],
        ["-t", "md", "-", "-o", "-"],
        ["--list-formats"],
        ["a.md", "--pdf-max-chars", "0", "--paper", "letter", "--allow-remote", "-v", "--fail-on-warning"],
        ["a.md", "-t", "tei", "-t", "md", "--debug", "-f", "md"],
        ["--md-flavor", "gfm", "a.md", "--notes", "endnotes", "--pdf-variant", "pdf/a-3b"],
    ],
)
def test_plain_command_lines_are_read_quickly(argv: list[str]) -> None:
    quick = quick_parse(argv, _arguments())
    assert quick is not None
    assert vars(quick) == _argparse(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["-h"],
        ["--version"],
        ["a.md", "-q", "b.md"],  # inputs in two runs: argparse's error
        ["a.md", "--to=md"],
        ["a.md", "-qv"],
        ["a.md", "--qui"],
        ["a.md", "-t"],
        ["a.md", "-t", "-q"],
        ["a.md", "--paper", "a5"],
        ["a.md", "--pdf-max-chars", "many"],
        ["a.md", "-M", "novalue"],
        ["--", "-a.md"],
        ["-1"],
    ],
)
def test_other_command_lines_go_to_argparse(argv: list[str]) -> None:
    assert quick_parse(argv, _arguments()) is None


def test_unknown_keywords_and_actions_go_to_argparse() -> None:
    base: list[Argument] = [(("inputs",), {"nargs": "*"})]
    assert quick_parse(["-n", "1"], [*base, (("-n",), {"type": int, "nargs": 2})]) is None
    assert quick_parse(["-n"], [*base, (("-n",), {"action": "count"})]) is None
    assert quick_parse(["x"], [(("inputs",), {"nargs": "+"})]) is None
    assert quick_parse(["x"], [(("inputs",), {"nargs": "*", "type": int})]) is None
    assert quick_parse([], [*base, (("-n",), {"type": int, "default": "1"})]) is None  # argparse converts it
    small: list[Argument] = [*base, (("-n",), {"type": int}), (("--y-z",), {"action": "store_true"})]
    with_default: list[Argument] = [(("files",), {"nargs": "*", "default": ["x"]}), (("-a",), {"action": "append"})]
    for arguments, argv in [(small, ["-n", "3", "--y-z"]), (with_default, []), (with_default, ["-a", "1", "y"])]:
        parser = argparse.ArgumentParser()
        for flags, kwargs in arguments:
            parser.add_argument(*flags, **kwargs)
        quick = quick_parse(argv, arguments)
        assert quick is not None
        assert vars(quick) == vars(parser.parse_args(argv))


def test_a_plain_conversion_does_not_import_argparse() -> None:
    code = (
        "import sys; from convert.cli import main; status = main(sys.argv[1:]); "
        "print(status, 'argparse' in sys.modules, 'gettext' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE), "-t", "tei"], capture_output=True, text=True, check=True
    )
    assert done.stderr.split()[-3:] == ["0", "False", "False"]
    assert done.stdout.startswith("<?xml")
