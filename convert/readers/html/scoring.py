"""What finding the article (:mod:`.extract`) measures: class and id hints, text and link lengths.

The patterns are Readability's (Mozilla's reader view), matched against an element's ``class`` and
``id`` in lower case: :data:`UNLIKELY` marks what cannot be the article (unless :data:`MAYBE`
also matches), :data:`POSITIVE` and :data:`NEGATIVE` weigh an element up or down by 25.
"""

from __future__ import annotations

from typing import Any

from convert.recache import compile as recompile

__all__ = [
    "BYLINE", "CHAR_THRESHOLD", "CLEAN", "COMMAS", "DIV_TO_P", "KEEP_AS_BLOCK", "MAYBE", "NEGATIVE", "PHRASING",
    "POSITIVE", "REMOVED", "SHARE", "STRIP", "TAG_SCORE", "TO_SCORE", "UNLIKELY", "UNLIKELY_ROLES", "VIDEO",
    "WEIGHT", "PAGE_CHROME", "class_and_id", "class_weight", "has_ancestor", "inner_text", "is_chrome",
    "link_density", "visible",
]  # fmt: skip

UNLIKELY = recompile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends"
    r"|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate"
    r"|pagination|pager|popup|yom-remote|cookie|consent|newsletter|subscribe"
)
MAYBE = recompile(r"and|article|body|column|content|main|mathjax|shadow")
POSITIVE = recompile(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story")
NEGATIVE = recompile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta"
    r"|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget"
)
BYLINE = recompile(r"byline|author|dateline|writtenby|p-author")
SHARE = recompile(r"(?:\b|_)(?:share|sharedaddy)(?:\b|_)")
COMMAS = recompile("[\u002c\u060c\ufe50\ufe10\ufe11\u2941\u2e34\u2e41\u3001\uff0c]")
HIDDEN_STYLE = recompile(r"display\s*:\s*none|visibility\s*:\s*hidden")
VIDEO = recompile(
    r"//(?:www\.)?(?:dailymotion\.com|youtube\.com|youtube-nocookie\.com|player\.vimeo\.com|v\.qq\.com"
    r"|archive\.org|upload\.wikimedia\.org|player\.twitch\.tv)"
)
UNLIKELY_ROLES = frozenset({"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"})
TO_SCORE = frozenset({"section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"})
DIV_TO_P = frozenset({"blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"})
PHRASING = frozenset(
    {
        "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn", "em", "embed", "i",
        "img", "input", "kbd", "label", "mark", "math", "meter", "noscript", "object", "output", "progress", "q",
        "ruby", "samp", "script", "select", "small", "span", "strong", "sub", "sup", "textarea", "time", "var", "wbr",
    }
)  # fmt: skip
KEEP_AS_BLOCK = frozenset({"div", "article", "section", "p"})
REMOVED = ("script", "style", "noscript", "template", "link", "meta", "title")

#: Step 1 (unlikely candidates), class weights, step 6 (conditional cleaning).
STRIP, WEIGHT, CLEAN = 1, 2, 4
#: The article must have this many characters, or the page is read again with fewer rules.
CHAR_THRESHOLD = 500


def inner_text(el: Any) -> str:
    """The text of ``el``, white space collapsed."""
    return " ".join(el.text_content().split())


#: Class or id tokens of what only screen readers and editors see: skip links, "[edit]" links.
PAGE_CHROME = recompile(
    r"(?:mw-)?editsection|mw-jump-link|skip-?link|skip-to-(?:content|main)|screen-reader-text|sr-only|visually-hidden"
)


def is_chrome(marks: str) -> bool:
    """Whether the class and id ``marks`` (see :func:`class_and_id`) name page chrome (:data:`PAGE_CHROME`)."""
    return bool(PAGE_CHROME.search(marks)) and any(PAGE_CHROME.fullmatch(token) for token in marks.split())


def class_and_id(el: Any) -> str:
    """``el``'s class and id, in lower case (the patterns above are matched against that)."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def visible(el: Any) -> bool:
    style = el.get("style")
    if style and HIDDEN_STYLE.search(style.lower()):
        return False
    if el.get("hidden") is not None:
        return False
    return el.get("aria-hidden") != "true" or "fallback-image" in (el.get("class") or "")


def has_ancestor(el: Any, tags: tuple[str, ...], depth: int = 3) -> bool:
    for n, up in enumerate(el.iterancestors(), 1):
        if depth and n > depth:
            return False
        if up.tag in tags:
            return True
    return False


def link_density(el: Any, text_length: int | None = None) -> float:
    """The share of ``el``'s text that is link text (in-page links count 0.3)."""
    length = len(inner_text(el)) if text_length is None else text_length
    if not length:
        return 0.0
    links = 0.0
    for a in el.iter("a"):
        href = a.get("href") or ""
        links += len(inner_text(a)) * (0.3 if href.startswith("#") else 1.0)
    return links / length


def class_weight(el: Any, flags: int) -> int:
    if not flags & WEIGHT:
        return 0
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            lowered = value.lower()
            if NEGATIVE.search(lowered):
                weight -= 25
            if POSITIVE.search(lowered):
                weight += 25
    return weight


TAG_SCORE = {"div": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3, "ul": -3, "dl": -3}
TAG_SCORE.update(dict.fromkeys(("dd", "dt", "li", "form"), -3))
TAG_SCORE.update(dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6", "th"), -5))
