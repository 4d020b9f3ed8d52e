"""The URL fetcher of the renderers: nothing is read or fetched unless it is allowed.

The article text is untrusted, and an HTML renderer such as WeasyPrint fetches
whatever a document names: images, stylesheets, fonts, attachments.  Every
such request goes through :class:`FetchPolicy`:

* ``data:`` URLs are decoded in place (they reach nothing);
* ``file:`` URLs are read only from inside the asset folder (``--asset-dir``),
  after symbolic links and ``..`` are resolved; anything else on the disk is
  refused, and with no asset folder every local file is refused;
* ``http:`` and ``https:`` are fetched only with ``--allow-remote``;
* every other scheme (``ftp:``, ``javascript:``, ...) is refused.

This module does not import WeasyPrint: :func:`weasyprint_fetcher` builds the
WeasyPrint-specific fetcher when the PDF writer asks for it.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import pathname2url, url2pathname

from convert.recache import compile as recompile

from ..errors import inform, warn
from ..registry import Options
from ..urls import WEB_SCHEMES, fetch_schemes

__all__ = [
    "FetchPolicy",
    "FetchRefusedError",
    "MAX_LOCAL_BYTES",
    "weasyprint_fetcher",
]

#: Largest local file a document may read (an image, a font).
MAX_LOCAL_BYTES = 64 * 1024 * 1024

_SCHEME = recompile(r"^([A-Za-z][A-Za-z0-9.+-]*):")


class FetchRefusedError(ValueError):
    """A URL the policy does not allow (the message says which and why)."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What a renderer may fetch: local files inside ``asset_dir``, the network if ``allow_remote``."""

    #: Let renderers fetch ``http:`` and ``https:`` URLs.
    allow_remote: bool = False
    #: Folder from which local files may be read (``""``: none may).
    asset_dir: str = ""
    #: URLs refused so far (filled in by :meth:`check`, for reporting).
    refused: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_options(cls, options: Options) -> FetchPolicy:
        """The policy the options ask for (``allow_remote``, ``asset_dir``)."""
        return cls(allow_remote=options.allow_remote, asset_dir=options.asset_dir)

    @property
    def asset_root(self) -> Path | None:
        """The asset folder, absolute with symbolic links resolved; None when there is none."""
        if not self.asset_dir:
            return None
        return Path(os.path.realpath(self.asset_dir))

    def base_url(self) -> str | None:
        """A ``file:`` URL of the asset folder (ending in ``/``), to resolve relative references."""
        root = self.asset_root
        if root is None:
            return None
        return "file://" + pathname2url(str(root)).rstrip("/") + "/"

    def resolve(self, reference: str) -> str | None:
        """The absolute URL a document reference stands for, or None when it cannot be resolved.

        Relative references are resolved against the asset folder (when there is one);
        the result still has to pass :meth:`check` before anything is read.
        """
        reference = reference.strip()
        if not reference:
            return None
        if _SCHEME.match(reference):
            return reference
        base = self.base_url()
        return urljoin(base, reference) if base else None

    def local_path(self, url: str) -> Path:
        """The file a ``file:`` URL names, when it is inside the asset folder; else refused."""
        root = self.asset_root
        if root is None:
            raise self._refuse(url, "local files are not read (give an asset folder to allow some)")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "file URLs naming another host are not read")
        real = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if real != root and root not in real.parents:
            raise self._refuse(url, f"outside the asset folder {self.asset_dir}")
        if not real.is_file():
            raise self._refuse(url, "no such file in the asset folder")
        return real

    def check(self, url: str) -> str:
        """The scheme of ``url`` when the policy lets it be fetched; raises :class:`FetchRefusedError`."""
        match = _SCHEME.match(url)
        if match is None:
            raise self._refuse(url, "not an absolute URL")
        scheme = match.group(1).lower()
        if scheme == "data":
            return scheme
        if scheme == "file":
            self.local_path(url)
            return scheme
        if scheme in WEB_SCHEMES:
            if not self.allow_remote:
                raise self._refuse(url, "remote resources are not fetched (allow them with --allow-remote)")
            return scheme
        raise self._refuse(url, f"the {scheme}: scheme is never fetched")

    def read_local(self, url: str) -> tuple[bytes, str]:
        """(content, media type) of a ``file:`` URL inside the asset folder."""
        path = self.local_path(url)
        with path.open("rb") as fh:
            data = fh.read(MAX_LOCAL_BYTES + 1)
        if len(data) > MAX_LOCAL_BYTES:
            raise self._refuse(url, f"larger than {MAX_LOCAL_BYTES // (1024 * 1024)} MiB")
        media_type = mimetypes.guess_type(path.name, strict=False)[0] or "application/octet-stream"
        return data, media_type

    def _refuse(self, url: str, reason: str) -> FetchRefusedError:
        shown = url if len(url) <= 200 else url[:200] + "..."
        self.refused.append(url)
        warn("fetch.refused", f"not fetched: {shown}: {reason}", logger=__name__, subject=url.strip())
        return FetchRefusedError(f"{shown}: {reason}")


def _fetched(url: str) -> None:
    shown = url if len(url) <= 200 else url[:200] + "..."
    if not url.lower().startswith("data:"):
        inform("fetch.read", f"read {shown}", logger=__name__)


def weasyprint_fetcher(policy: FetchPolicy) -> Any:
    """A WeasyPrint URL fetcher that asks ``policy`` before every fetch (imports WeasyPrint).

    WeasyPrint 68 and later take a :class:`weasyprint.urls.URLFetcher`; earlier
    versions take a function returning a dict: both are provided.
    """
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:
        return _function_fetcher(policy)

    class _PolicyFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses what the policy refuses; reads allowed local files itself."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = policy.check(url)
            _fetched(url)
            if scheme == "file":
                data, media_type = policy.read_local(url)
                return URLFetcherResponse(url, body=data, headers={"Content-Type": media_type})
            return super().fetch(url, headers)

    # Only the protocols the policy may allow reach urllib at all; redirects
    # to other schemes are refused by urllib itself.
    allowed = list(fetch_schemes(policy.allow_remote))
    return _PolicyFetcher(timeout=15, allowed_protocols=allowed)


def _function_fetcher(policy: FetchPolicy) -> Any:
    """The fetcher for WeasyPrint before 68: a function returning a dict."""
    from weasyprint.urls import default_url_fetcher

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        scheme = policy.check(url)
        _fetched(url)
        if scheme == "file":
            data, media_type = policy.read_local(url)
            return {"string": data, "mime_type": media_type, "redirected_url": url}
        return default_url_fetcher(url, timeout=15)

    return fetch
