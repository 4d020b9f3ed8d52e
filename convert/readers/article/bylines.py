"""Bylines: who wrote the article, as the page says it above or below the text.

A byline starts with a word for "by" (``By``, ``by``, ``Par``, ``Von``, ``Por``, ``Di``, ``Door``,
``Av``, ``Przez``, ``Written by``; Arabic ``بقلم``, ``كتبه``, ``كتبها``, ``بواسطة``, Persian ``نوشته``,
Hebrew ``מאת``) or a label (``Author:``, ``Authors:``, ``Auteur :``, ``Autor:``,
``Автор:``, ``作者：``).  The names are the link texts when only separators lie between the links,
else the text split at ``,`` ``;`` ``&`` ``、`` ``،`` and the words for "and" (``and``, ``et``, ``und``,
``y``, ``e``, ``и``, ``og``, ``och``, ``و``, ``与``, ``和``); a full stop may close it.  Affiliations
in parentheses, e-mail addresses, URLs and roles (``Jane Doe, Senior Editor``, ``Jane Doe, for the
Example team``) are left out.  A byline whose names do not look like names (``By the end of the
season, ...``) is no byline, and a quotation credit (``— @name``) is none either.

:func:`trailing_byline` is the reader's step that takes a byline standing alone at the end of the
text (``_By Jane Doe, Example Agency_``) when the header gave no author.
"""

from __future__ import annotations

import functools
import re

from convert.recache import compile as recompile

from ...ir.model import Link, Paragraph
from ...ir.walk import plain_text, plain_text_blocks, query
from .._mdparse import parse_inlines
from .draft import Draft
from .memo import folded, memo_text, text_of, unemphasised

__all__ = ["byline", "byline_text", "dated_byline", "is_role", "names_of", "plausible_name", "trailing_byline"]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string."""
    return frozenset(text.split())


_BY_WORDS = (
    r"(?:(?:(?:written|posted|words|text|story|reported|edited|compiled)\s+)?(?:by|par|von|por|di|door|av|af|przez)"
    r"|بقلم|كتبه|كتبها|بواسطة|نوشته|מאת)"
)
_LABELS = (
    r"(?:authors?|author\(s\)|auteurs?|auteur\(s\)|autor(?:es|en|in|innen)?|autore|autori|autorzy"
    r"|авторы?|作者|著者|筆者|written by|byline)"
)


@functools.cache
def _byline_start() -> re.Pattern[str]:
    return recompile(rf"^\s*(?:{_BY_WORDS}\s+|{_LABELS}\s*[:：]\s*)(?=\S)", re.IGNORECASE)


_EMPHASIS = recompile(r"(?<!\w)[*_]+|[*_]+(?!\w)")
_LINK = recompile(r"\[([^\]]*)\]\([^)]*\)")
_SEPARATORS = recompile(r"\s*[,;、，；،؛]\s*|\s*&\s*|\s+(?:and|et|und|y|e|и|og|och|و)\s+|\s*[与和及]\s*", re.IGNORECASE)
_LEADING_AND = recompile(r"^(?:and|et|und|y|e|и|og|och|و)\s+", re.IGNORECASE)
#: What may lie between and after linked names: separators, words for "and", a closing full stop.
_RESIDUE = recompile(r"^(?:[\s,;&、，；،؛与和及]|\b(?:and|et|und|y|e|и|og|och|و)\b)*\.?\s*$", re.IGNORECASE)
_EMAIL = recompile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
_URL = recompile(r"<?https?://\S+>?")
_PARENS = recompile(r"\s*[(（][^()（）]*[)）]")
#: Words that make a part of a byline a role or an affiliation, not a name.
_ROLE_WORDS = _words(
    "department university universität université universidad università institute institut agency office "
    "foundation inc inc. ltd ltd. llc gmbh director editor editors professor manager engineer team group "
    "society association center centre school college ministry council company corporation laboratory "
    "laboratories labs lab press news times magazine gazette newspaper project committee staff writer "
    "reporter correspondent contributor administrator secretary president chair fellow researcher student "
    "analyst officer lead head founder ceo cto government administration commission bureau service "
    "services network research hospital museum library contributing senior junior chief deputy assistant "
    "associate authority board union federal national international embassy"
)
#: Lower-case words a name may hold (``Ludwig van Beethoven``, ``Ibn al-Haytham``).
_PARTICLES = _words("van von der den de da di du del della des la le bin ibn al el dos das y zu ten ter")


def _line_text(raw: str) -> str:
    """The plain text of one line of Markdown."""
    return plain_text(parse_inlines(raw, scraper=True)).strip()


#: :func:`_line_text`, once per line of an article (a header's lines are read more than once).
line_text = memo_text("line", _line_text)
_plain = line_text


def byline_text(raw: str) -> str | None:
    """What follows the "by" word or the author label of a byline (Markdown kept), or None."""
    bare = unemphasised(_EMPHASIS, raw).strip()
    m = _byline_start().match(bare)
    return bare[m.end() :].strip() if m else None


@functools.cache
def _by_word_after_a_year() -> re.Pattern[str]:
    """A "by" word after a short text that holds a year: ``on the third of May, 2023, by``."""
    return recompile(
        rf"^(?P<lead>[^\n]{{0,60}}?\b(?:1[89]|20)\d\d\b[^\n]{{0,8}}?)[\s,،]+(?={_BY_WORDS}\s)", re.IGNORECASE
    )


def dated_byline(raw: str) -> tuple[str, tuple[str, ...]] | None:
    """(the text before the "by" word, the names) of a byline line opened by a date in any words
    (``في الثالث من مايو، 2023، كتبه ...``, ``Published on the third of May, 2023, by ...``), or None.

    The text before the "by" word is short (at most 60 characters) and holds a year; the names must
    look like names, so that a sentence (``In the spring of 2023, by all accounts, ...``) is none.
    """
    if len(raw) > 600:
        return None
    bare = unemphasised(_EMPHASIS, raw).strip()
    m = _by_word_after_a_year().match(bare)
    if m is None:
        return None
    names = byline(bare[m.end() :])
    return (m.group("lead"), names) if names else None


def plausible_name(name: str) -> bool:
    """Whether ``name`` can be a person's or an organisation's name (not the start of a sentence)."""
    words = name.split()
    if not (0 < len(words) <= 6 and len(name) <= 80):
        return False
    if any(ch.isdigit() for ch in name) or any(ch in '!?;:"“”@#/|<>=' for ch in name):
        return False
    cased = [w for w in words if any(ch.isupper() or ch.islower() for ch in w)]
    if not cased:
        return True  # a script without case (寺田寅彦, دان أبراموف)
    lower = [w for w in cased if w[0].islower() and w.lower() not in _PARTICLES]
    return any(w[0].isupper() for w in cased) and len(lower) <= (1 if len(cased) > 2 else 0)


def is_role(part: str) -> bool:
    """Whether a part of a byline is a role or an affiliation (``Senior Editor``, ``for the Example team``)."""
    words = part.split()
    if not words:
        return True
    if words[0][0].islower() and words[0].lower() not in _PARTICLES:
        return True  # "for the Example team", "of the Example Review"
    return any(w.lower().strip(".,") in _ROLE_WORDS for w in words) or bool(re.search(r"\b[A-Z]\.[A-Z]\.", part))


def names_of(raw: str) -> tuple[str, ...]:
    """The names of a byline's text (Markdown), or () when they do not all look like names."""
    raw = _EMAIL.sub(" ", raw)
    linked = [text.strip() for text in _LINK.findall(raw) if text.strip()]
    if linked and _RESIDUE.match(_EMPHASIS.sub("", _LINK.sub(" ", raw))):
        parts = [_plain(text) for text in linked]
    else:
        text = _PARENS.sub("", _URL.sub(" ", _plain(raw)))
        parts = [_LEADING_AND.sub("", part.strip()) for part in _SEPARATORS.split(text.strip(" .,"))]
        parts = [part for part in parts if part]
        if len(parts) > 1:
            parts = [parts[0]] + [part for part in parts[1:] if not is_role(part)]
    names = [" ".join(_PARENS.sub("", part).split()).strip(" .,") for part in parts]
    names = [name for name in names if name]
    return tuple(dict.fromkeys(names)) if names and all(map(plausible_name, names)) else ()


def byline(raw: str) -> tuple[str, ...]:
    """The names a byline line (Markdown) gives, or () when the line is no byline."""
    if len(raw) > 600:
        return ()
    rest = byline_text(raw)
    return names_of(rest) if rest else ()


#: How near the end a trailing byline stands: among the last blocks of the text.
_TRAILING_WINDOW = 7


def trailing_byline(draft: Draft) -> None:
    """Take a byline standing alone near the end of the text (``_By Jane Doe, Example Agency_``).

    It gives the authors when the header gave none, or only user names (``jdoe``, ``jane-doe``), and
    is dropped from the text then, or when it names the authors the header gave; otherwise it stays
    where it is.  A cross-post credit (``This post was originally published on [X](URL) by Jane Doe``)
    gives the source URL and the author, and stays.  An author known by initials (``J. Doe``) gets the
    full name the text gives once (``Jane Doe``, in an author's address).
    """
    source = draft.fields.get("source")
    if isinstance(source, str) and len(source) <= 1000:  # a credit line the rights step took as the source
        _credit(draft, None, source)
    _trailing(draft)
    _expand_initials(draft)


def _trailing(draft: Draft) -> None:
    blocks = draft.blocks
    for i in range(len(blocks) - 1, max(0, len(blocks) - _TRAILING_WINDOW) - 1, -1):
        block = blocks[i]
        if not isinstance(block, Paragraph) or i == 0:
            continue
        text = text_of(block.content)
        names = byline(text) if len(text) <= 200 else ()
        if not names:
            if len(text) <= 1000:
                _credit(draft, block, text)
            continue
        if _weaker(draft.fields.authors):
            draft.fields.authors = names
        elif set(names) != set(draft.fields.authors):
            return
        del blocks[i]
        return


_INITIALS = recompile(r"^(?P<initial>[A-Z])\.(?:\s*[A-Z]\.)*\s+(?P<surname>[A-Z][\w'’-]+)$")


def _expand_initials(draft: Draft) -> None:
    """``J. Doe`` becomes ``Jane Doe`` when the text names one person ``J... Doe`` (an author's address, say)."""
    known = draft.fields.authors
    known = (known,) if isinstance(known, str) else known
    short = [m for m in map(_INITIALS.match, known) if m]
    if not short:
        return
    text = plain_text_blocks(draft.blocks)
    expanded = list(known)
    for m in short:
        pattern = rf"\b({m.group('initial')}[a-z]+(?:\s+[A-Z]\.)?)\s+{re.escape(m.group('surname'))}\b"
        first = set(re.findall(pattern, text))
        if len(first) == 1:
            expanded[expanded.index(m.group(0))] = f"{first.pop()} {m.group('surname')}"
    draft.fields.authors = tuple(expanded)


def _weaker(known: tuple[str, ...] | str) -> bool:
    """Whether the authors known so far are none, or only user names (a name the page shows is better)."""
    known = (known,) if isinstance(known, str) else known
    return not known or all(map(_is_slug, known))


@functools.cache
def _credit_sentence() -> re.Pattern[str]:
    return recompile(
        r"\b(?:this|the) (?:post|article|story|piece|essay|text) (?:was |is |has been )?(?:originally |first )?"
        r"(?:published|posted|appeared) (?:on|in|at|by) .{1,200}? by (?P<names>[^.;:]{2,300})",
        re.IGNORECASE,
    )


#: The verbs of a credit sentence: it has one of them, and `` by `` (a quick test before the pattern).
_CREDIT_VERBS = ("published", "posted", "appeared")


def _may_credit(text: str) -> bool:
    """Whether :func:`_credit_sentence` may be found in ``text`` (False: it is not there).

    (Looking for the words the pattern cannot be without, in :func:`~.memo.folded` text, is much
    quicker than a case-insensitive search of the text.)
    """
    fold = folded(text)
    return " by " in fold and any(map(fold.__contains__, _CREDIT_VERBS))


def _credit(draft: Draft, block: Paragraph | None, text: str) -> None:
    """A cross-post credit (``This post was [originally published on X](URL) by Jane Doe, Role.``): source and author.

    The sentence stays in the text: it is the page's own.
    """
    if not _may_credit(text):
        return
    m = _credit_sentence().search(text)
    if not m:
        return
    if block is not None and not draft.fields.get("source_url"):
        targets = query(lambda n: (n.target,) if isinstance(n, Link) else (), block)
        url = next((t for t in targets if t.startswith(("http://", "https://"))), "")
        if url:
            draft.fields["source_url"] = url
    names = names_of(m.group("names"))
    if names and _weaker(draft.fields.authors):
        draft.fields.authors = names


def _is_slug(name: str) -> bool:
    """A user name or a slug (``jdoe``, ``jane-doe``): a weaker credit than a name the page shows."""
    return " " not in name and not any(ch.isupper() for ch in name)
