"""The inline nodes of the IR (:data:`Inline`, a closed union) and the check of an inline sequence.

Part of :mod:`convert.ir.model`, which re-exports every name here: import them from there.
"""

from __future__ import annotations

from typing import TypeAlias, get_args

from ._record import record
from .checks import bool_ as _bool
from .checks import choice as _choice
from .checks import fail as _fail
from .checks import str_ as _str
from .checks import tuple_ as _tuple

__all__ = [
    "DIRECTIONS",
    "Code",
    "Emph",
    "Image",
    "Inline",
    "LineBreak",
    "Link",
    "Math",
    "NoteRef",
    "SmallCaps",
    "Span",
    "Strikeout",
    "Strong",
    "Subscript",
    "Superscript",
    "Text",
]


def _inlines(node: object, name: str, value: object) -> None:
    if type(value) is tuple:  # the common case, checked here without a further call
        for item in value:
            if not isinstance(item, _INLINES):
                break
        else:
            return
    _tuple(node, name, value, _INLINES, one="an Inline node", many="Inline nodes")


@record
class Text:
    """A run of plain text (no markup; whitespace already normalised)."""

    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            _fail(self, "text", "a str", self.text)


@record
class Emph:
    """Emphasised (usually italic) inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class Strong:
    """Strongly emphasised (usually bold) inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class Link:
    """A hyperlink; ``target`` is an absolute URL, ``mailto:`` or ``#fragment``."""

    content: tuple[Inline, ...]
    target: str
    title: str = ""

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)
        _str(self, "target", self.target)
        _str(self, "title", self.title)


@record
class NoteRef:
    """A reference to the :class:`Note` of the article with the same ``label``."""

    label: str

    def __post_init__(self) -> None:
        _str(self, "label", self.label)


@record
class Code:
    """Inline code or other verbatim text."""

    text: str

    def __post_init__(self) -> None:
        _str(self, "text", self.text)


@record
class LineBreak:
    """A hard line break inside a paragraph."""


@record
class Strikeout:
    """Struck-out (deleted) inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class Superscript:
    """Superscript inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class Subscript:
    """Subscript inline content."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


@record
class SmallCaps:
    """Inline content in small capitals."""

    content: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)


#: Writing directions a :class:`Span` may give (``""``: that of the text around it).
DIRECTIONS = ("", "ltr", "rtl")


@record
class Span:
    """Inline content in another language (BCP 47 ``lang``) or writing direction (``dir``)."""

    content: tuple[Inline, ...]
    lang: str = ""
    dir: str = ""

    def __post_init__(self) -> None:
        _inlines(self, "content", self.content)
        _str(self, "lang", self.lang)
        _choice(self, "dir", self.dir, DIRECTIONS)


@record
class Image:
    """An image: ``src`` is a URL, or the ``ref`` of one of the article's :class:`Asset` records.

    ``alt`` is its text alternative (plain text), ``title`` its advisory title.
    """

    src: str
    alt: str = ""
    title: str = ""

    def __post_init__(self) -> None:
        _str(self, "src", self.src)
        _str(self, "alt", self.alt)
        _str(self, "title", self.title)


@record
class Math:
    """A formula as TeX source; ``display`` for one set on a line of its own."""

    tex: str
    display: bool = False

    def __post_init__(self) -> None:
        _str(self, "tex", self.tex)
        _bool(self, "display", self.display)


Inline: TypeAlias = (
    Text
    | Emph
    | Strong
    | Link
    | NoteRef
    | Code
    | LineBreak
    | Strikeout
    | Superscript
    | Subscript
    | SmallCaps
    | Span
    | Image
    | Math
)
_INLINES: tuple[type, ...] = get_args(Inline)
