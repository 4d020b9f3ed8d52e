"""Chrome sentences: the generic patterns of promotion, sign-up, paywall, donation and "share your
story" lines, and the site profiles that add a site's own wording (as data).

Part of :mod:`.chrome`, which uses :func:`is_chrome_text` on every line.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from convert.recache import compile as recompile

from .memo import fold_lowered

__all__ = ["SITE_PROFILES", "SiteProfile", "is_chrome_flat", "is_chrome_text"]


class SiteProfile(NamedTuple):
    """What one site adds to the generic rules, as data: its own chrome sentences and source lines."""

    name: str
    #: Patterns of whole chrome sentences (matched case-insensitively, as the generic ones).
    chrome: tuple[str, ...] = ()
    #: Patterns that start a source line of the rights (``The original source of this article is``).
    source: tuple[str, ...] = ()


#: The site profiles: each adds its wording to the generic rules, on every article.
SITE_PROFILES: tuple[SiteProfile, ...] = (
    SiteProfile(
        "Global Research",
        chrome=(r"support global research\b.*", r"comment on global research articles\b.*"),
        source=(r"the original source of this article is\b",),
    ),
)

_CHROME_SENTENCES = (
    # promotion and sharing
    r".*\bcan be read in \d+ languages\b.*",
    r"(?:note to readers:\s*)?(?:please\s+)?click the share buttons?\b.*",
    r"(?:visit and\s+)?follow us on\b.*",
    r"feel free to re-?post\b.*",
    r"forward this article to\b.*",
    r"crosspost on\b.*",
    r"share this (?:article|page|story|post)\b.*",
    r"comment on\b.*\b(?:facebook|twitter|articles|page)\b.*",
    r"articles by:.*",
    r"print this (?:article|page)\b.*",
    r"related articles?:?",
    r"read more:?",
    # newsletters
    r"to receive .*\bnewsletter\b.*",
    r".*\b(?:newsletter|subscribe|sign up|donate|donation|membership)\b.*\bclick here\b.*",
    r"(?:and\s+)?subscribe to (?:our|the)\b.*\b(?:channel|newsletter|feed|podcast|list|page)\b.*",
    r"(?:did you |do you )?(?:want|like|enjoy|love)\w*\b.{0,40}\blike this\s*\?",
    r"(?:please\s+)?(?:sign up|subscribe|register)\b.{0,60}"
    r"\b(?:newsletters?|mailing list|updates|digest|inbox|alerts)\b.*",
    r"(?:get|receive)\b.{0,60}\b(?:delivered |sent )?(?:straight |directly )?(?:to|in) your inbox\b.*",
    r"enter your e-?mail(?: address)?\b.*",
    r"join (?:our|the) (?:mailing list|newsletter)\b.*",
    r"never miss an? (?:story|post|update|article|issue)\b.*",
    r"(?:abonnez-vous|inscrivez-vous) (?:à|a) (?:notre|la) (?:newsletter|lettre d[’']information)\b.*",
    r"newsletter abonnieren\b.*|(?:jetzt )?(?:unseren )?newsletter abonnieren\b.*",
    r"suscr[ií]bete (?:a|al) (?:nuestro|nuestra|el|la) (?:bolet[ií]n|newsletter)\b.*",
    r"подпишитесь на (?:нашу |наш )?(?:рассылку|канал|новости)\b.*",
    # paywalls
    r"(?:subscribe|sign in|log in|register)(?: now)? to (?:continue|keep) reading\b.*",
    r"already a (?:subscriber|member)\?(?:\s*(?:sign|log) in\b.*)?",
    r"(?:sign|log) in\.?",
    r"you(?:[’']ve| have) (?:reached|read|used) (?:your|all your|all of your|the|\d+)\b.{0,40}\b(?:free|limit)\b.*",
    r"this (?:article|content|story|post) is (?:only )?(?:for|available to|reserved for) "
    r"(?:paid )?(?:subscribers|members)\b.*",
    r"unlock (?:this|the full|unlimited)\b.*",
    r"(?:start|try) (?:your )?(?:free )?trial\b.*",
    # donations
    r"(?:please\s+)?consider (?:donating|making a donation|supporting)\b.*",
    r"(?:please\s+)?(?:donate|make a donation)\b.*",
    r"support (?:us|our (?:work|journalism|reporting|mission)|independent (?:media|journalism))\b.*",
    r"if you (?:value|like|enjoy|appreciate)\b.{0,80}\b(?:support|donat|subscri|patron)\w*\b.*",
    r"your (?:donations?|support|contributions?) (?:helps?|makes?|keeps?|allows?|enables?)\b.*",
    r"buy me a coffee\b.*",
    r"(?:please\s+)?become a (?:patron|supporter|member|paid subscriber|subscriber)\b.*",
    r"become a member of\b.*",
    r"поддержите (?:нас|проект|редакцию)\b.*",
    # "share your story"
    r"(?:share|tell us) your (?:story|stories|experience|thoughts)\b.*",
    r"(?:do you have|have you got|got) an? (?:story|news tip|tip)\b.*",
    r"we (?:want|would love|[’']d love) to hear from you\b.*",
    r"(?:send|e-?mail) us your (?:tips|stories|story)\b.*",
    r"contact (?:us|our (?:newsroom|editors?|team|tip ?line))\b.*",
)
#: The white space between two sentences (group 1), after the stop that ends the first.
_SENTENCE_END = recompile("[.!?](\\s+)(?=[A-ZÀ-ÖØ-ÞА-ЯЁΑ-Ω\"\u201c\u2018'(\\[¿¡])")


#: Every generic chrome sentence has one of these words: the patterns are tried only on a line that has one.
_CHROME_WORDS = (
    "languages", "share", "follow", "post", "forward", "comment", "articles by", "print", "related", "read",
    "newsletter", "subscri", "sign", "regist", "inbox", "mail", "never miss", "abonn", "suscr", "подпиш", "log in",
    "member", "reached", "you’ve", "you've", "you have", "unlock", "trial", "donat", "support", "value", "enjoy",
    "like", "appreciat", "coffee", "patron", "поддерж", "story", "stories", "tip", "hear from", "contact",
    "contribution", "click", "want", "love",
)  # fmt: skip


#: What a generic chrome sentence starts with (in lower case), or holds when it does not start so.
_FIRST_WORDS = (
    "note", "please", "click", "visit", "follow", "feel", "forward", "crosspost", "share", "comment", "articles",
    "print", "related", "read", "to", "and", "subscri", "did", "do", "want", "like", "enjoy", "love", "sign",
    "regist", "get", "receive", "enter", "join", "never", "abonn", "inscri", "newsletter", "jetzt", "unseren", "suscr",
    "подпиш", "log", "already", "you", "this", "unlock", "start", "try", "consider", "donat", "make", "support", "if",
    "your", "buy", "become", "поддерж", "tell", "have", "got", "we", "send", "email", "e-mail", "contact",
)  # fmt: skip
_ANYWHERE = ("languages", "click here")


@functools.cache
def _profile_chrome() -> re.Pattern[str] | None:
    """The site profiles' chrome sentences (tried on every line: they have no keywords)."""
    patterns = [p for profile in SITE_PROFILES for p in profile.chrome]
    return recompile("(?:" + "|".join(patterns) + ")", re.I | re.S) if patterns else None


@functools.cache
def _chrome_sentence(anywhere: bool) -> re.Pattern[str]:
    """The generic chrome sentences that start with a word (or, ``anywhere``: those that do not, ``.*``)."""
    patterns = [p for p in _CHROME_SENTENCES if p.startswith(".*") == anywhere]
    return recompile("(?:" + "|".join(patterns) + ")", re.I | re.S)


def is_chrome_text(text: str) -> bool:
    """Whether a line of text is made only of chrome sentences ("Follow us on ...", ...)."""
    return is_chrome_flat(" ".join(text.split()))


def is_chrome_flat(text: str) -> bool:
    """:func:`is_chrome_text` of a text whose white space is collapsed already (the sentences read in turn)."""
    if not text or len(text) > 1000:  # chrome is a line or two, never a long paragraph
        return False
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if not _is_chrome_sentence(text[pos : m.start(1)].strip(" *_")):
            return False
        pos = m.end()
    return _is_chrome_sentence(text[pos:].strip(" *_"))


def _is_chrome_sentence(sentence: str) -> bool:
    if len(sentence) > 400:
        return False
    low = sentence.lower()
    fold = fold_lowered(low)
    # (what every pattern needs, tested first: its first word, or a word it holds anywhere)
    started = fold.startswith(_FIRST_WORDS)
    anywhere = any(map(fold.__contains__, _ANYWHERE))
    if (
        (started or anywhere)
        and any(map(low.__contains__, _CHROME_WORDS))
        and (
            (started and _chrome_sentence(False).fullmatch(sentence))
            or (anywhere and _chrome_sentence(True).fullmatch(sentence))
        )
    ):
        return True
    profile = _profile_chrome()
    return profile is not None and bool(profile.fullmatch(sentence))
