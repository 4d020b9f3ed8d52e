"""The URL policy: which schemes artconv keeps, links to or fetches, for each use, in one place.

* a link in an output (HTML, EPUB, PDF) points to :data:`LINK_SCHEMES` or a ``#fragment``;
* an image in rendered HTML uses :data:`IMAGE_SCHEMES` (``data:`` only for ``image/*``) or a
  relative address, and the fetch policy (:mod:`convert.html.fetch`) then decides what is read;
* only :data:`WEB_SCHEMES` reach the network, and only when remote fetching is allowed;
  :data:`LOCAL_FETCH_SCHEMES` are read in place (``data:``) or from the asset folder (``file:``);
* a link read from an input never keeps :data:`REFUSED_LINK_SCHEMES`: they run code or reach
  the disk of whoever opens the output.
"""

from __future__ import annotations

from convert.recache import compile as recompile

__all__ = [
    "IMAGE_SCHEMES",
    "LINK_SCHEMES",
    "LOCAL_FETCH_SCHEMES",
    "REFUSED_LINK_SCHEMES",
    "WEB_SCHEMES",
    "fetch_schemes",
    "image_allowed",
    "link_url",
    "scheme",
]

#: Schemes of the web.
WEB_SCHEMES = ("http", "https")
#: Schemes a link in an output may point to.
LINK_SCHEMES = frozenset({*WEB_SCHEMES, "mailto", "ftp", "tel"})
#: Schemes an image of rendered HTML may name (``data:`` only as ``data:image/...``).
IMAGE_SCHEMES = frozenset({*WEB_SCHEMES, "file", "data"})
#: Schemes a renderer may fetch without the network.
LOCAL_FETCH_SCHEMES = ("data", "file")
#: Schemes a link read from an input never keeps.
REFUSED_LINK_SCHEMES = ("javascript", "vbscript", "data", "file")

_SCHEME = recompile(r"^([A-Za-z][A-Za-z0-9.+-]*):")


def scheme(url: str) -> str:
    """The scheme of ``url``, lower-cased; ``""`` for a relative reference."""
    match = _SCHEME.match(url.strip())
    return match.group(1).lower() if match else ""


def link_url(url: str) -> str | None:
    """``url`` (stripped) if an output may link to it: a ``#fragment`` or one of :data:`LINK_SCHEMES`."""
    url = url.strip()
    if url.startswith("#") or scheme(url) in LINK_SCHEMES:
        return url
    return None


def image_allowed(url: str) -> bool:
    """Whether rendered HTML may name ``url`` as an image (relative, or one of :data:`IMAGE_SCHEMES`)."""
    url = url.strip()
    found = scheme(url)
    if found == "data":
        return url[5:].lower().startswith("image/")
    return not found or found in IMAGE_SCHEMES


def fetch_schemes(allow_remote: bool) -> tuple[str, ...]:
    """The schemes a renderer's fetcher may be asked for."""
    return LOCAL_FETCH_SCHEMES + (WEB_SCHEMES if allow_remote else ())
