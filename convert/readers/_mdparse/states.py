"""markdown-it's block and inline parser states, pushing the same tokens for less.

A 5 MB article makes some 150,000 tokens; markdown-it makes each by calling the
``Token`` dataclass, whose generated ``__init__`` and ``__post_init__`` (which turns
an ``attrs`` list into a dict) cost as much as the rest of a ``push``.  The states
here set the token's fields directly (:data:`TOKEN_FIELDS`, the values the dataclass
gives them); everything else is markdown-it's.  The parser (:mod:`.engine`) uses
them through :func:`parse_block` and :func:`parse_inline`, markdown-it's own
``ParserBlock.parse`` and ``ParserInline.parse`` with these states.
``tests/test_mdparse_shortcuts.py`` checks that the tokens are the same, field by field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = [
    "TOKEN_FIELDS",
    "make_token",
    "FastStateBlock",
    "FastStateInline",
    "parse_block",
    "parse_inline",
    "text_token",
]

#: The fields of a ``Token`` the states set (a field markdown-it adds would be missing: the tests compare).
TOKEN_FIELDS = (
    "type",
    "tag",
    "nesting",
    "attrs",
    "map",
    "level",
    "children",
    "content",
    "markup",
    "info",
    "meta",
    "block",
    "hidden",
)

_new = object.__new__


def make_token(ttype: str, tag: str, nesting: Literal[-1, 0, 1], *, content: str, block: bool, level: int) -> Token:
    """``Token(ttype, tag, nesting, content=content, block=block, level=level)``, made without the dataclass's calls.

    Every field of :data:`TOKEN_FIELDS` is set here, once, to what the dataclass gives it.
    """
    token: Token = _new(Token)
    token.type = ttype
    token.tag = tag
    token.nesting = nesting
    token.attrs = {}
    token.map = None
    token.level = level
    token.children = None
    token.content = content
    token.markup = ""
    token.info = ""
    token.meta = {}
    token.block = block
    token.hidden = False
    return token


class FastStateBlock(StateBlock):
    """markdown-it's ``StateBlock``; :meth:`push` is its own, the token made without the dataclass's calls."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        if nesting < 0:
            self.level -= 1  # closing tag
        token = make_token(ttype, tag, nesting, content="", block=True, level=self.level)
        if nesting > 0:
            self.level += 1  # opening tag
        self.tokens.append(token)
        return token


class FastStateInline(StateInline):
    """markdown-it's ``StateInline``; :meth:`push` and :meth:`pushPending` are its own, tokens made as above."""

    def pushPending(self) -> Token:
        token = make_token("text", "", 0, content=self.pending, block=False, level=self.pendingLevel)
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        if self.pending:
            self.pushPending()
        token_meta = None
        if nesting < 0:
            self.level -= 1  # closing tag
            self.delimiters = self._prev_delimiters.pop()
        token = make_token(ttype, tag, nesting, content="", block=False, level=self.level)
        if nesting > 0:
            self.level += 1  # opening tag
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


def text_token(content: str) -> Token:
    """``Token("text", "", 0)`` holding ``content``: a whole plain inline text (see :mod:`.plain`)."""
    return make_token("text", "", 0, content=content, block=False, level=0)


def parse_block(src: str, md: MarkdownIt, env: Any, out: list[Token]) -> list[Token] | None:
    """markdown-it's ``ParserBlock.parse``, with :class:`FastStateBlock`."""
    if not src:
        return None
    state = FastStateBlock(src, md, env, out)
    md.block.tokenize(state, state.line, state.lineMax)
    return state.tokens


def parse_inline(src: str, md: MarkdownIt, env: Any, out: list[Token]) -> list[Token]:
    """markdown-it's ``ParserInline.parse``, with :class:`FastStateInline`."""
    state = FastStateInline(src, md, env, out)
    md.inline.tokenize(state)
    for rule in md.inline.ruler2.getRules(""):
        rule(state)
    return state.tokens
