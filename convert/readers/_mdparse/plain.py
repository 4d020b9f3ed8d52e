"""Text that markdown-it's inline parser would return as it is: read without the parser.

Most paragraphs of real articles are plain text, or plain text with bracketed note markers
(``[1]``, ``[iv]``); the inline parser spends as long refusing every rule on them as on real
markup. :func:`is_plain` says when its result is known beforehand: one text token holding the
whole text. ``tests/test_mdparse_shortcuts.py`` checks this against the parser itself.
"""

from __future__ import annotations

from collections.abc import Container

from convert.recache import compile as recompile

__all__ = ["RULE_STARTS", "is_plain"]

#: The characters some inline rule in use starts at, and ``]`` (a link's label ends there): where
#: markdown-it's ``text`` rule stops (the engine's ``terminator_re`` is made of them).
RULE_STARTS = "\n!$&*<[\\]^_`{~"
#: A character some inline rule other than a link's or an entity's starts at, or one the parser
#: normalises (``\r``, NUL); the commonest in articles first.  Looked for one by one (``in``: a scan
#: in C at memory speed), which takes about two thirds of the time one search of the set as a
#: character class takes on a text that has none of them (most paragraphs).
_MARKUP = tuple(dict.fromkeys("*<\n_^\\" + RULE_STARTS.translate({ord(c): None for c in "[]&"}) + "\r\0"))
#: Brackets that can be syntax: a link or image (``](``, ``][``), a span's attributes (``]{``),
#: a note reference (``[^``), an image (``![``: ``!`` is markup anyway), a definition (``]:``).
_BRACKET_SYNTAX = recompile(r"\][(\[{:]|\[\^")


def is_plain(text: str, references: Container[str] | None = None) -> bool:
    """Whether markdown-it reads ``text`` as one text token equal to it.

    A ``&`` is plain when the text has no ``;`` (every entity ends with one).  Brackets are plain
    when they cannot open a link: no inline link, reference or span syntax, and no reference
    definitions (``references``) that a shortcut ``[label]`` could name.
    """
    if any(map(text.__contains__, _MARKUP)):
        return False
    if "&" in text and ";" in text:  # an entity (``&amp;``, ``&#38;``) ends with one; a ``&`` alone is text
        return False
    if "[" not in text and "]" not in text:
        return True
    return not references and _BRACKET_SYNTAX.search(text) is None
