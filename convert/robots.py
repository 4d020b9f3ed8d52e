"""``robots.txt`` (RFC 9309) for the URLs that ``artconv batch`` fetches from a URL list.

:class:`RobotsRules` fetches each host's ``/robots.txt`` once per batch, through
:func:`convert.fetch.fetch` (the same limits, user agent and address policy as the pages), and
answers whether a URL may be fetched by the ``artconv`` user agent.  What a failed fetch means
follows RFC 9309 (section 2.3.1) and Google's crawlers:

* ``200``: the rules are read (:class:`Rules`); the groups of ``User-agent: artconv`` apply,
  else the ``*`` groups, else everything is allowed;
* ``4xx`` (no file, forbidden, gone...): there are no rules, everything is allowed;
* ``429``, ``5xx``, or a server that cannot be reached: the site may not want to be crawled
  now, so nothing of that host is fetched in this batch;
* a ``robots.txt`` larger than 500 KiB is not read, and its host is treated as unreachable;
* a ``robots.txt`` that is refused (a private address without ``--allow-private``, too many
  redirects) sets no rules: the page itself is then refused, or fetched, by the same policy.

The rules are read here rather than by :mod:`urllib.robotparser`, which predates RFC 9309: it
lets the first matching line of a group win instead of the longest, reads ``*`` and ``$`` in a
path literally (``Disallow: /*?session=`` would disallow nothing) and uses only the first group
of an agent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .fetch import FetchError, fetch

__all__ = ["ROBOTS_MAX_BYTES", "RobotsRules", "site_of"]

#: The most of a ``robots.txt`` that is read (RFC 9309 asks for at least 500 KiB).
ROBOTS_MAX_BYTES = 500 * 1024


def site_of(url: str) -> str:
    """``scheme://host:port`` of ``url``, lower case: what one ``robots.txt`` governs."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def _robots_url(site: str) -> str:
    """The ``robots.txt`` of ``site`` (the port named only when it is not the scheme's own)."""
    base, _, port = site.rpartition(":")
    default = (base.startswith("http:") and port == "80") or (base.startswith("https:") and port == "443")
    base = base if default else site
    return f"{base}/robots.txt"


class Rules:
    """The rules of one ``robots.txt`` for one user agent, read and matched as RFC 9309 says.

    The groups whose ``User-agent`` is the agent's product token (case-insensitive) apply, all of
    them together; if there are none, the ``*`` groups; if there are none either, nothing is
    disallowed.  Of the ``Allow`` and ``Disallow`` patterns that match a URL's path and query,
    the longest wins, ``Allow`` on a tie; ``*`` in a pattern matches any characters and a final
    ``$`` ends it.  Patterns and URLs are compared percent-encoded.
    """

    def __init__(self, text: str, agent: str) -> None:
        token = agent.split("/", 1)[0].strip().lower()
        groups: list[tuple[list[str], list[tuple[bool, str]]]] = []
        agents: list[str] = []
        rules: list[tuple[bool, str]] = []
        for raw in text.splitlines():
            key, colon, value = raw.split("#", 1)[0].partition(":")
            key, value = key.strip().lower(), value.strip()
            if not colon:
                continue
            if key == "user-agent":
                if rules:  # a user agent after rules starts the next group
                    agents, rules = [], []
                if not agents:
                    groups.append((agents, rules))
                agents.append(value.split("/", 1)[0].strip().lower())
            elif key in ("allow", "disallow") and agents and value:
                rules.append((key == "allow", _encoded(value)))
            elif key in ("allow", "disallow") and agents:
                rules.append((True, ""))  # an empty rule: matches nothing, but ends the group's agents
        mine = [rule for names, found in groups if token in names for rule in found]
        if not any(token in names for names, _ in groups):
            mine = [rule for names, found in groups if "*" in names for rule in found]
        self.rules = [(allow, pattern) for allow, pattern in mine if pattern]

    def allows(self, url: str) -> bool:
        """Whether ``url`` may be fetched."""
        parts = urlsplit(url)
        target = _encoded((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        best, allowed = -1, True
        for allow, pattern in self.rules:
            length = len(pattern)
            if (length > best or (length == best and allow)) and _matches(pattern, target):
                best, allowed = length, allow
        return allowed


def _encoded(text: str) -> str:
    """``text`` percent-encoded one way (what needs encoding encoded, in upper case; the rest not)."""
    from urllib.parse import quote, unquote

    return quote(unquote(text), safe="/?&=;:@!$'()*+,~-._")


def _matches(pattern: str, target: str) -> bool:
    """Whether ``target`` starts with ``pattern`` (``*``: any characters; a final ``$``: the end).

    A wildcard match without backtracking into earlier stars: time in the product of the lengths.
    """
    if pattern.endswith("$"):
        pattern = pattern[:-1]
    else:
        pattern += "*"
    p = t = 0
    star, mark = -1, 0
    while t < len(target):
        if p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif p < len(pattern) and pattern[p] == target[t]:
            p += 1
            t += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


class RobotsRules:
    """The ``robots.txt`` of every host a batch fetches from, each fetched once (see the module's doc)."""

    def __init__(self, *, allow_private: bool = False) -> None:
        from ._version import __version__

        self.agent = f"artconv/{__version__}"
        self.allow_private = allow_private
        #: site -> its rules, or the reason nothing of it is fetched, or None: everything allowed.
        self._sites: dict[str, Rules | str | None] = {}

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be fetched (its site's ``robots.txt`` disallows it, or cannot be read); None: it may."""
        site = site_of(url)
        if site not in self._sites:
            self._sites[site] = self._load(site)
        rules = self._sites[site]
        if rules is None:
            return None
        if isinstance(rules, str):
            return rules
        if rules.allows(url):
            return None
        return f"disallowed by {_robots_url(site)}"

    def _load(self, site: str) -> Rules | str | None:
        where = _robots_url(site)
        try:
            got = fetch(where, accept="text/plain", max_bytes=ROBOTS_MAX_BYTES, allow_private=self.allow_private)
        except FetchError as exc:
            status = exc.status
            if (400 <= status < 500 and status != 429) or exc.kind == "refused":
                return None  # no rules (refused: the page itself is refused, and says why)
            return f"{where} could not be read ({exc.reason}): nothing of that host is fetched"
        return Rules(got.body.decode("utf-8", "replace"), self.agent)
