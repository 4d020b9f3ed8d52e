"""Kept modules (convert._imports): served only as the path finder would load them, else not at all."""

from __future__ import annotations

import importlib
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from convert import _imports, _imports_write
from convert._imports import Served, _Loader
from convert._imports_write import _save, kept_entry, write_kept

from .conftest import SAMPLE

_COUNT = itertools.count()

#: The attributes the import system gives a module from its spec.
_ATTRIBUTES = ("__name__", "__file__", "__cached__", "__package__", "__path__", "__doc__")


def settle(root: Path) -> None:
    """Date ``root`` and everything under it a minute back (changes younger than two seconds are not kept)."""
    past = time.time_ns() - 60_000_000_000
    for path in [*root.rglob("*"), root]:
        os.utime(path, ns=(past, past))


class Tree:
    """Synthetic modules under ``root``: a top-level module, a package, a submodule, a subpackage."""

    def __init__(self, base: Path) -> None:
        n = next(_COUNT)
        self.root = base / f"root{n}"
        self.top, self.pkg = f"kept_top_{os.getpid()}_{n}", f"kept_pkg_{os.getpid()}_{n}"
        self.names = [self.top, self.pkg, f"{self.pkg}.mod", f"{self.pkg}.sub", f"{self.pkg}.sub.leaf"]
        self.bundle = base / f"bundle{n}.bin"
        pkg = self.root / self.pkg
        (pkg / "sub").mkdir(parents=True)
        (self.root / f"{self.top}.py").write_text('"""Top."""\nVALUE = "top"\n')
        (pkg / "__init__.py").write_text('"""A package."""\nVALUE = "pkg"\n')
        mod = '"""A module."""\nfrom . import sub\nVALUE = ("mod", sub.VALUE)\n\n\ndef f(x):\n    return x + 1\n'
        (pkg / "mod.py").write_text(mod)
        (pkg / "sub" / "__init__.py").write_text('VALUE = "sub"\n')
        (pkg / "sub" / "leaf.py").write_text('"""Leaf."""\nimport json\nVALUE = json.dumps([1])\n')
        settle(self.root)

    def forget(self) -> None:
        for name in self.names:
            sys.modules.pop(name, None)
        importlib.invalidate_caches()

    def import_all(self, served: Served) -> dict[str, ModuleType]:
        """Each module imported with ``served`` before the path finder."""
        self.forget()
        sys.meta_path.insert(0, served)
        try:
            return {name: importlib.import_module(name) for name in self.names}
        finally:
            sys.meta_path.remove(served)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tree]:
    made = Tree(tmp_path)
    monkeypatch.setattr(sys, "path", [str(made.root), *sys.path])
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no __pycache__ to change the directories' times
    yield made
    made.forget()


def _kept_and_served(tree: Tree) -> tuple[dict[str, ModuleType], dict[str, ModuleType]]:
    """The modules imported the usual way (and kept), then imported again from the kept file."""
    first = Served(str(tree.bundle))
    usual = tree.import_all(first)
    write_kept(first)
    again = tree.import_all(Served(str(tree.bundle)))
    return usual, again


def _shape(module: ModuleType) -> dict[str, object]:
    spec = module.__spec__
    assert spec is not None
    found = {name: getattr(module, name, None) for name in _ATTRIBUTES}
    found["VALUE"] = module.VALUE
    found["spec"] = (
        spec.name,
        spec.origin,
        spec.cached,
        spec.parent,
        spec.has_location,
        spec.submodule_search_locations,
    )
    found["loader"] = (spec.loader.name, spec.loader.path)  # type: ignore[union-attr]
    return found


def test_served_modules_are_the_path_finder_s(tree: Tree) -> None:
    usual, again = _kept_and_served(tree)
    for name in tree.names:
        assert type(again[name].__loader__) is _Loader, name
        assert type(usual[name].__loader__) is not _Loader, name
        assert _shape(again[name]) == _shape(usual[name]), name
    assert again[f"{tree.pkg}.mod"].f(1) == 2
    assert again[f"{tree.pkg}.mod"].VALUE == ("mod", "sub")
    name = f"{tree.pkg}.mod"
    source = usual[name].__spec__.loader.get_source(name)  # type: ignore[union-attr]
    assert again[name].__spec__.loader.get_source(name) == source  # type: ignore[union-attr]


def test_a_change_of_the_last_seconds_is_not_kept_yet(tree: Tree) -> None:
    (tree.root / tree.pkg / "mod.py").touch()
    (tree.root / tree.pkg / "sub" / "new.txt").touch()
    first = Served(str(tree.bundle))
    tree.import_all(first)
    write_kept(first)
    assert set(Served(str(tree.bundle)).index) == {tree.top, tree.pkg, f"{tree.pkg}.sub"}


def test_a_changed_source_is_loaded_from_the_source(tree: Tree) -> None:
    _kept_and_served(tree)
    path = tree.root / tree.pkg / "mod.py"
    path.write_text(path.read_text().replace('"mod"', '"new"'))  # same size, a new time
    again = tree.import_all(Served(str(tree.bundle)))
    assert type(again[f"{tree.pkg}.mod"].__loader__) is not _Loader
    assert again[f"{tree.pkg}.mod"].VALUE == ("new", "sub")
    assert type(again[f"{tree.pkg}.sub.leaf"].__loader__) is _Loader  # the others are still served


def test_a_same_time_rewrite_is_seen_by_its_size(tree: Tree) -> None:
    _kept_and_served(tree)
    path = tree.root / tree.top
    source = path.with_suffix(".py")
    stat = source.stat()
    source.write_text('"""Top."""\nVALUE = "changed"\n')
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = tree.import_all(Served(str(tree.bundle)))
    assert again[tree.top].VALUE == "changed"


def test_a_file_that_would_shadow_a_module_is_seen(tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first_dir = tmp_path / "first"
    first_dir.mkdir()
    settle(first_dir)
    monkeypatch.setattr(sys, "path", [str(first_dir), *sys.path])
    _kept_and_served(tree)
    time.sleep(0.01)
    (first_dir / f"{tree.top}.py").write_text('VALUE = "shadow"\n')
    (tree.root / tree.pkg / "sub" / "leaf").mkdir()  # a package now takes the module's place
    (tree.root / tree.pkg / "sub" / "leaf" / "__init__.py").write_text('VALUE = "leaf package"\n')
    again = tree.import_all(Served(str(tree.bundle)))
    assert again[tree.top].VALUE == "shadow"
    assert again[f"{tree.pkg}.sub.leaf"].VALUE == "leaf package"
    assert type(again[f"{tree.pkg}.mod"].__loader__) is _Loader


def test_another_search_path_is_not_served(tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _kept_and_served(tree)
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setattr(sys, "path", [str(other), *sys.path])
    again = tree.import_all(Served(str(tree.bundle)))
    assert type(again[tree.top].__loader__) is not _Loader  # searched along another path
    assert type(again[f"{tree.pkg}.mod"].__loader__) is _Loader  # its package is where it was


def test_a_relative_search_path_is_not_kept(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    first = Served(str(tree.bundle))
    tree.import_all(first)
    write_kept(first)
    kept = Served(str(tree.bundle)).index
    assert tree.top not in kept and tree.pkg not in kept  # found after the working directory
    assert f"{tree.pkg}.mod" in kept


def test_a_damaged_record_is_loaded_from_the_source(tree: Tree) -> None:
    _kept_and_served(tree)
    data = bytearray(tree.bundle.read_bytes())
    served = Served(str(tree.bundle))
    place = served.index[f"{tree.pkg}.mod"]
    served.close()
    start, length = served._base + (place >> 32), place & 0xFFFFFFFF
    data[start : start + length] = b"\x00" * length
    tree.bundle.write_bytes(bytes(data))
    again = tree.import_all(Served(str(tree.bundle)))
    assert type(again[f"{tree.pkg}.mod"].__loader__) is not _Loader
    assert again[f"{tree.pkg}.mod"].VALUE == ("mod", "sub")
    assert type(again[f"{tree.pkg}.sub.leaf"].__loader__) is _Loader


@pytest.mark.parametrize("damage", ["empty", "magic", "truncated", "garbage"])
def test_a_damaged_file_serves_nothing(tree: Tree, damage: str) -> None:
    _kept_and_served(tree)
    data = tree.bundle.read_bytes()
    damaged = {"empty": b"", "magic": b"x" + data[1:], "truncated": data[:40], "garbage": data[:28] + b"\xff" * 64}
    tree.bundle.write_bytes(damaged[damage])
    served = Served(str(tree.bundle))
    assert served.index == {}
    again = tree.import_all(served)
    assert all(type(m.__loader__) is not _Loader for m in again.values())
    assert again[f"{tree.pkg}.mod"].VALUE == ("mod", "sub")


def test_a_module_kept_as_it_is_is_not_written_again(tree: Tree) -> None:
    _kept_and_served(tree)
    stamp = tree.bundle.stat().st_mtime_ns
    served = Served(str(tree.bundle))
    tree.import_all(served)
    served.missed.extend(tree.names)  # as if missed: each is kept as it is
    assert all(kept_entry(name, served.record(name)) is None for name in tree.names)
    write_kept(served)
    assert tree.bundle.stat().st_mtime_ns == stamp


def test_written_at_exit_only_where_bytecode_may_be(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    served = Served(str(tree.bundle))
    written: list[Served] = []
    monkeypatch.setattr(_imports, "_SERVED", [served])
    monkeypatch.setattr(_imports_write, "write_kept", written.append)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _save()
    assert written == []
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _save()
    assert written == [served]


def test_the_package_installs_one_finder_before_the_path_finder() -> None:
    from importlib.machinery import PathFinder

    finders = [f for f in sys.meta_path if isinstance(f, Served)]
    assert len(finders) == 1
    assert sys.meta_path.index(finders[0]) < sys.meta_path.index(PathFinder)
    _imports.install()  # once only
    assert len([f for f in sys.meta_path if isinstance(f, Served)]) == 1


def test_the_command_keeps_and_serves_its_modules(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    run = [sys.executable, "-m", "convert", str(SAMPLE), "-t", "tei", "-o", str(tmp_path / "first.xml")]
    for _ in range(2):  # the first may find directories changed just now (their __pycache__ made)
        subprocess.run(run, env=env, capture_output=True, text=True, check=True)
        time.sleep(2)
    probe = (
        "import sys; from convert.cli import main; main([sys.argv[1], '-t', 'tei', '-o', sys.argv[2]]); "
        "from convert._imports import _Loader; "
        "print(' '.join(n for n, m in sys.modules.items() if type(getattr(m, '__loader__', None)) is _Loader))"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(SAMPLE), str(tmp_path / "again.xml")], env=env,
                          capture_output=True, text=True, check=True, cwd=tmp_path)  # fmt: skip
    served = set(done.stdout.split())
    assert {"convert.api", "convert.readers.article", "convert.writers.tei", "markdown_it.main"} <= served
    assert (tmp_path / "again.xml").read_bytes() == (tmp_path / "first.xml").read_bytes()
