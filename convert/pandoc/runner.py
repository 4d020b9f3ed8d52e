"""Running pandoc: the binary ``pypandoc-binary`` ships, its version checked once.

pandoc reads and writes its JSON AST on a pipe (``-f json`` / ``-t json``); the
binary is found in pypandoc's package folder without importing pypandoc (no system
install needed; :func:`pandoc_path`).  :func:`write` runs pandoc once per document,
or, from a process's third write on, hands the documents to one pandoc kept running.
The pandoc-types API version of its JSON must have the major numbers this
bridge writes (:data:`convert.pandoc.bridge.API_VERSION`: ``1.23``).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ArtconvError
from .json_ast import API_VERSION

__all__ = [
    "PandocError",
    "api_version",
    "pandoc_path",
    "pandoc_version",
    "run",
    "run_json",
    "server_requests",
    "stop_server",
    "write",
]

#: Seconds one pandoc run may take.
TIMEOUT = 300


class PandocError(ArtconvError):
    """pandoc is missing, too old or too new, or failed on the document."""


def _find_spec(name: str) -> importlib.machinery.ModuleSpec | None:
    """Where the top-level package ``name`` is, without importing it."""
    return importlib.util.find_spec(name)


def _pypandoc_search() -> str:
    """pypandoc's own search (its ``files/``, ``PATH``, usual places): runs ``pandoc --version`` for each."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _shipped_binary() -> str | None:
    """The pandoc that pypandoc-binary puts in ``pypandoc/files/``, found without importing pypandoc."""
    try:
        spec = _find_spec("pypandoc")
    except (ImportError, ValueError):  # pragma: no cover - a broken installation
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    for folder in spec.submodule_search_locations:
        path = os.path.join(folder, "files", name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


@functools.cache
def pandoc_path() -> str:
    """The path of the pandoc binary.

    ``PYPANDOC_PANDOC`` when set (pypandoc's own override), else the binary pypandoc-binary ships
    (looked up in its package folder: importing pypandoc and its search would cost a ``pandoc
    --version`` run per candidate), else what pypandoc finds (a system pandoc).
    """
    override = os.environ.get("PYPANDOC_PANDOC")
    if override:
        import shutil

        found = shutil.which(os.path.expanduser(override))
        if found is None:
            raise PandocError(f"pandoc was not found: PYPANDOC_PANDOC={override!r} is not an executable")
        return found
    shipped = _shipped_binary()
    if shipped is not None:
        return shipped
    try:
        return _pypandoc_search()
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise PandocError(f"pypandoc is not installed: {exc}") from None
    except OSError as exc:
        raise PandocError(f"pandoc was not found: {' '.join(str(exc).split())[:200]}") from None


@functools.cache
def pandoc_version() -> str:
    """pandoc's version (``"3.9"``)."""
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, check=True, timeout=60).stdout
    return out.decode("utf-8", "replace").split("\n", 1)[0].split()[-1]


@functools.cache
def api_version() -> tuple[int, ...]:
    """The pandoc-types API version of pandoc's JSON, checked against the bridge's."""
    doc = run_json(b"", "markdown", check=False)
    version = tuple(doc["pandoc-api-version"])
    if version[:2] != API_VERSION[:2]:
        raise PandocError(
            f"pandoc {pandoc_version()} speaks pandoc-types {'.'.join(map(str, version))}; "
            f"artconv needs {'.'.join(map(str, API_VERSION[:2]))}.x (pandoc 3.x)"
        )
    return version


def run(data: bytes, args: Sequence[str], *, epoch: int | None = None, check: bool = True) -> bytes:
    """pandoc's output for ``data`` on its standard input, with ``args`` (``-f``, ``-t``, ...).

    No process is spent on checking pandoc's version beforehand: when pandoc fails, ``check``
    tells first whether its pandoc-types API is not the bridge's (:func:`api_version`).
    """
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        proc = subprocess.run(
            [pandoc_path(), *args], input=data, capture_output=True, timeout=TIMEOUT, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PandocError(f"pandoc could not run: {exc}") from None
    if proc.returncode != 0:
        if check:
            api_version()
        message = proc.stderr.decode("utf-8", "replace").strip().replace("\n", " ")
        raise PandocError(f"pandoc failed ({proc.returncode}): {message[:300]}")
    return proc.stdout


def run_json(data: bytes, from_format: str, *, args: Sequence[str] = (), check: bool = True) -> Mapping[str, Any]:
    """pandoc's JSON AST of ``data`` read as ``from_format``."""
    out = run(data, ["-f", from_format, "-t", "json", *args], check=check)
    doc: Mapping[str, Any] = json.loads(out)
    if check and tuple(doc.get("pandoc-api-version", ()))[:2] != API_VERSION[:2]:
        api_version()  # raises, naming both versions
    return doc


# --------------------------------------------------------------------------- writing, kept running

#: The writes of a process that run pandoc once each; later writes go to one pandoc kept running
#: (a pandoc that starts costs about as much as the first writes it would do; each later write, a
#: third less than a pandoc run of its own).
SERVE_AFTER = 2
#: The pandoc writers a pandoc kept running serves: those whose output was checked to be
#: byte-identical to a pandoc run's (the formats of :mod:`convert.writers.pandoc`).
SERVED = frozenset(
    {"docx", "odt", "jats_archiving", "latex", "rst", "asciidoc", "typst", "org", "mediawiki", "rtf", "plain"}
)

#: The Lua program of the pandoc kept running (``pandoc lua``): one request after another on its
#: standard input, a line ``LENGTH EPOCH FORMAT STANDALONE(s|-) WRAP(-|none|...) REFERENCE(hex|-)``
#: then LENGTH bytes of JSON; the answer a line ``ok LENGTH`` or ``error LENGTH``, then the bytes.
_SERVER_LUA = r"""
local stdin, stdout = io.stdin, io.stdout
stdout:setvbuf('full')
stdout:write('artconv-pandoc ', tostring(PANDOC_VERSION), ' ', tostring(PANDOC_API_VERSION), '\n')
stdout:flush()
local templates = {}
local function unhex(h) return (h:gsub('..', function(c) return string.char(tonumber(c, 16)) end)) end
while true do
  local line = stdin:read('l')
  if not line then break end
  local length, epoch, format, standalone, wrap, reference =
    line:match('^(%d+) (%d+) (%S+) (%S) (%S+) (%S+)$')
  local body = stdin:read(tonumber(length) or 0)
  local ok, result = pcall(function()
    if not length then error('bad request: ' .. line) end
    local doc = pandoc.read(body, 'json')
    local opts = {}
    if standalone == 's' then
      templates[format] = templates[format] or pandoc.template.compile(pandoc.template.default(format))
      opts.template = templates[format]
    end
    if wrap ~= '-' then opts.wrap_text = wrap end
    if reference ~= '-' then opts.reference_doc = unhex(reference) end
    local env = pandoc.system.environment()
    env.SOURCE_DATE_EPOCH = epoch
    return pandoc.system.with_environment(env, function() return pandoc.write(doc, format, opts) end)
  end)
  if ok then
    stdout:write('ok ', #result, '\n', result)
  else
    local message = tostring(result)
    stdout:write('error ', #message, '\n', message)
  end
  stdout:flush()
end
"""


class _Server:
    """One ``pandoc lua`` process writing one document after another (see :data:`_SERVER_LUA`)."""

    def __init__(self, path: str) -> None:
        self.pid = os.getpid()
        self.requests = 0
        self.proc = subprocess.Popen(
            [path, "lua", "-e", _SERVER_LUA], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        hello = self._answer_line().split()
        if len(hello) != 3 or hello[0] != b"artconv-pandoc":
            self.stop()
            raise OSError(f"pandoc lua answered {b' '.join(hello)[:80]!r}")
        api = tuple(int(n) for n in hello[2].split(b".")[:2])
        if api != API_VERSION[:2]:
            self.stop()
            raise OSError(f"pandoc-types {hello[2].decode()}")

    def _answer_line(self) -> bytes:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    def write(self, data: bytes, fmt: str, *, standalone: bool, wrap: str, reference: str, epoch: int) -> bytes:
        """The document ``data`` (pandoc JSON) written as ``fmt``; OSError when pandoc is gone."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        ref = reference.encode("utf-8").hex() if reference else "-"
        header = f"{len(data)} {max(epoch, 0)} {fmt} {'s' if standalone else '-'} {wrap or '-'} {ref}\n"
        timed_out = threading.Event()

        def end() -> None:  # a pandoc that does not answer is ended: its answer never comes
            timed_out.set()
            self.proc.kill()

        timer = threading.Timer(TIMEOUT, end)
        timer.start()
        status, size, body, broken = b"", b"", b"", False
        try:
            self.proc.stdin.write(header.encode("ascii") + data)
            self.proc.stdin.flush()
            status, _, size = self._answer_line().partition(b" ")
            body = self.proc.stdout.read(int(size or 0))
        except (ValueError, OSError):  # a closed or broken pipe, or no answer
            broken = True
        finally:
            timer.cancel()
        if timed_out.is_set():  # (killed while still reading the document: a broken pipe too)
            self.proc.wait()
            raise PandocError(f"pandoc could not run: it took more than {TIMEOUT} s")
        if broken:
            raise OSError("pandoc stopped")
        if status not in (b"ok", b"error") or len(body) != int(size or 0):
            raise OSError("pandoc stopped")
        self.requests += 1
        if status == b"error":
            message = " ".join(body.decode("utf-8", "replace").split())
            raise PandocError(f"pandoc failed: {message[:300]}")
        return body

    def stop(self) -> None:
        """End the process (its outputs are all read: nothing is lost by killing it)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # what was still buffered for it
                    pipe.close()


class _Kept:
    """This process's pandoc kept running, and how many writes it has made."""

    def __init__(self) -> None:
        self.server: _Server | None = None
        self.failed = False  # no pandoc lua (an older pandoc): one run per write
        self.writes = 0
        self.lock = threading.Lock()


_kept = _Kept()


def server_requests() -> int:
    """How many documents the pandoc kept running by this process has written (0: none runs)."""
    server = _kept.server
    return server.requests if server is not None and server.pid == os.getpid() else 0


def stop_server() -> None:
    """End the pandoc kept running by this process, if any (a later write starts another)."""
    if _kept.server is not None and _kept.server.pid == os.getpid():
        _kept.server.stop()
    _kept.server = None
    _kept.failed = False


def _served(data: bytes, fmt: str, *, standalone: bool, wrap: str, reference: str, epoch: int) -> bytes | None:
    """The output of the pandoc kept running, or None when there is none to use (then pandoc runs once)."""
    if not _kept.lock.acquire(blocking=False):  # another thread is writing: this one runs a pandoc of its own
        return None
    try:
        if _kept.server is not None and _kept.server.pid != os.getpid():  # forked: the pipes are the parent's
            _kept.server, _kept.failed = None, False
        if _kept.failed:
            return None
        for attempt in (1, 2):
            if _kept.server is None:
                try:
                    _kept.server = _Server(pandoc_path())
                except OSError:
                    _kept.failed = True
                    return None
                atexit.register(stop_server)
            try:
                return _kept.server.write(data, fmt, standalone=standalone, wrap=wrap, reference=reference, epoch=epoch)
            except PandocError:
                if _kept.server.proc.poll() is not None:  # ended for taking too long: the next write starts another
                    _kept.server.stop()
                    _kept.server = None
                raise
            except OSError:  # it died (killed, out of memory): a new one, once
                _kept.server.stop()
                _kept.server = None
                if attempt == 2:
                    raise PandocError("pandoc stopped while writing") from None
        return None  # pragma: no cover - the loop returns or raises
    finally:
        _kept.lock.release()


def write(
    data: bytes,
    fmt: str,
    *,
    epoch: int,
    standalone: bool = True,
    wrap: str = "",
    reference_doc: str = "",
    extra_args: Sequence[str] = (),
) -> bytes:
    """The pandoc JSON document ``data`` written as ``fmt`` (``wrap``: ``none``, ...; ``reference_doc``: a path).

    The first :data:`SERVE_AFTER` writes of a process run pandoc once each; later writes of the
    :data:`SERVED` formats go to one pandoc kept running (``pandoc lua``), which writes the same
    bytes.  pandoc reads no file but the reference document: the writer gives it every image of
    the formats that embed them as a ``data:`` URI, and any other format's writer runs with
    ``--sandbox``.
    """
    _kept.writes += 1
    if _kept.writes > SERVE_AFTER and fmt in SERVED and not extra_args:
        out = _served(data, fmt, standalone=standalone, wrap=wrap, reference=reference_doc, epoch=epoch)
        if out is not None:
            return out
    args = ["-f", "json", "-t", fmt, *(["-s"] if standalone else []), "-o", "-", *extra_args]
    if wrap:
        args.append(f"--wrap={wrap}")
    if reference_doc:
        args += ["--reference-doc", reference_doc]
    if fmt not in SERVED:
        args.append("--sandbox")  # (which also gives DOCX and ODT the date 1970-01-01, whatever the epoch)
    return run(data, args, epoch=epoch)
