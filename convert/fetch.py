"""Fetching one URL safely: the remote images of an article and the pages given as URLs.

:func:`fetch` reads an ``http:``/``https:`` URL with the limits a converter needs when the
URL comes from a document it was handed:

* a timeout for every network operation and a deadline for the whole body;
* at most ``max_redirects`` redirects, to ``http:``/``https:`` only;
* at most ``max_bytes`` of body (the ``Content-Length`` is checked first when there is one);
* never an address that is not public (loopback, private, link-local, multicast, reserved
  ranges) unless ``allow_private``: every address of the host is checked and the connection goes
  to the address that was checked, not to a second look-up of the name (DNS rebinding);
* a ``User-Agent`` naming artconv; no compression asked for (the body's size is its size).

The standard library's ``http.client`` is enough for this, and lets the connection be pinned to
the checked address, which is the point: no HTTP client library is imported.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from .urls import WEB_SCHEMES

if TYPE_CHECKING:
    import http.client
    import socket
    from collections.abc import Callable

__all__ = ["FetchError", "Fetched", "content_type", "fetch"]

#: Characters kept as they are when a URL's path is sent (the rest is percent-encoded).
_URL_SAFE = "/%?&=:;@!$'()*+,~-._[]"

FailureKind = Literal["refused", "unreadable", "too-large"]


class FetchError(Exception):
    """Why a URL was not read: ``kind`` (refused, unreadable, too-large), a reason, the HTTP status if any."""

    def __init__(self, kind: FailureKind, reason: str, status: int = 0) -> None:
        super().__init__(reason)
        self.kind: FailureKind = kind
        self.reason = reason
        #: The server's answer when it was not 200 (or a redirect): 404, 503...; 0 when there was none.
        self.status = status


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A body fetched: the URL it finally came from (after redirects) and its content type."""

    url: str
    body: bytes
    #: The media type of the ``Content-Type`` header, lower case (``"text/html"``), or ``""``.
    media_type: str = ""
    #: The ``charset`` parameter of the ``Content-Type`` header, if any.
    charset: str | None = None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def public_address(host: str, port: int, *, allow_private: bool = False) -> tuple[str, int]:
    """An address of ``host`` to connect to, when every address it has is public (or ``allow_private``)."""
    import ipaddress
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError("unreadable", f"host {host} not found ({exc})") from None
    chosen: tuple[str, int] | None = None
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = str(sockaddr[0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        public = ip.is_global and not ip.is_multicast
        if not public and not allow_private:
            raise FetchError("refused", f"{host} is a private, local or reserved address ({ip}): never fetched")
        chosen = chosen or (address, int(sockaddr[1]))
    if chosen is None:
        raise FetchError("unreadable", f"host {host} has no internet address")
    return chosen


def fetch(
    url: str,
    *,
    accept: str,
    max_bytes: int,
    allow_private: bool = False,
    timeout: float = 10.0,
    deadline: float = 30.0,
    max_redirects: int = 5,
) -> Fetched:
    """The body of ``url`` (see the module's documentation for the limits); :class:`FetchError` if not."""
    import http.client
    import ssl
    import time
    from urllib.parse import quote, urljoin, urlsplit

    from ._version import __version__

    ends = time.monotonic() + deadline
    for _ in range(max_redirects + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in WEB_SCHEMES:
            raise FetchError("refused", f"redirected to a {scheme}: URL, which is never read")
        try:
            host, port = parts.hostname, parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError("unreadable", "not a valid URL") from None
        if not host:
            raise FetchError("unreadable", "a URL without a host")
        address = public_address(host, port, allow_private=allow_private)
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        # connect to the address that was checked, not to a second look-up of the name
        setattr(conn, "_create_connection", _connector(address))  # noqa: B010
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
        headers = {"User-Agent": f"artconv/{__version__}", "Accept": accept, "Accept-Encoding": "identity"}
        try:
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError("unreadable", f"the server answered {response.status} without a Location")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                reason = f"the server answered {response.status} {response.reason}".rstrip()
                raise FetchError("unreadable", reason, response.status)
            length = response.getheader("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise FetchError("too-large", f"larger than {_size(max_bytes)}")
            media_type, charset = content_type(response.getheader("Content-Type") or "")
            return Fetched(url, _body(response, ends, deadline, max_bytes), media_type, charset)
        except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: a malformed request
            raise FetchError("unreadable", f"could not be fetched ({type(exc).__name__}: {exc})") from None
        finally:
            conn.close()
    raise FetchError("refused", f"more than {max_redirects} redirects")


def content_type(header: str) -> tuple[str, str | None]:
    """(media type in lower case, ``charset`` parameter or None) of a ``Content-Type`` header."""
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


def _connector(address: tuple[str, int]) -> Callable[..., socket.socket]:
    """A ``socket.create_connection`` that connects to ``address`` whatever it is asked."""
    import socket

    def connect(_asked: object, timeout: float, source: tuple[str, int] | None = None) -> socket.socket:
        return socket.create_connection(address, timeout, source)

    return connect


def _body(response: http.client.HTTPResponse, ends: float, deadline: float, max_bytes: int) -> bytes:
    import time

    read = response.read
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too-large", f"larger than {_size(max_bytes)}")
        if time.monotonic() > ends:
            raise FetchError("unreadable", f"took more than {deadline:g} s")
        chunks.append(chunk)
