"""The DOCX writer's own ``word/styles.xml``: the style ids of pandoc's default reference document.

The ids (``Title``, ``Author``, ``BodyText``, ``Heading1``, ``VerbatimChar``, ...) and names are those
Word users and pandoc's DOCX reader know (pandoc maps the Title, Subtitle, Author, Date and Abstract
paragraphs to metadata); the definitions are artconv's: a serif text face at 11 pt with a little
line spacing, sans-serif headings, a monospaced face for code.  Only the document defaults depend
on the article (its language), so the styles are built once and the defaults filled in per document.

With ``--reference-doc`` the reference document's ``styles.xml`` is used instead, and every style
the writer uses that it does not define is added to it (:func:`merged_styles`).
"""

from __future__ import annotations

from convert.recache import compile as recompile

from .markup import W_NS, attr

__all__ = ["STYLE_IDS", "merged_styles", "styles_xml"]

_TEXT_FONT = "Cambria"
_HEADING_FONT = "Calibri"
_CODE_FONT = "Consolas"
_COMPLEX_FONT = "Times New Roman"  # Arabic, Hebrew and other complex scripts
_ACCENT = "1F3864"


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}"/>'


def _style(
    kind: str,
    ident: str,
    name: str,
    *,
    based: str = "",
    next_: str = "",
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    custom: bool = True,
    default: bool = False,
    ui: int | None = None,
) -> tuple[str, str]:
    """(id, the ``w:style`` element) — children in the schema's order."""
    head = f'<w:style w:type="{kind}"' + (' w:default="1"' if default else "")
    head += ' w:customStyle="1"' if custom else ""
    body = f'<w:name w:val="{name}"/>'
    body += f'<w:basedOn w:val="{based}"/>' if based else ""
    body += f'<w:next w:val="{next_}"/>' if next_ else ""
    body += f'<w:uiPriority w:val="{ui}"/>' if ui is not None else ""
    body += "<w:qFormat/>"
    body += f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    body += f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return ident, f'{head} w:styleId="{ident}">{body}{extra}</w:style>'


def _heading(level: int) -> tuple[str, str]:
    before, after, size = {1: (480, 160, 32), 2: (360, 120, 28), 3: (280, 100, 26)}.get(level, (240, 80, 22))
    rpr = _fonts(_HEADING_FONT) + ("<w:b/><w:bCs/>" if level < 5 else "") + ("<w:i/><w:iCs/>" if level >= 4 else "")
    rpr += f'<w:color w:val="{_ACCENT}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    ppr = f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/>'
    ppr += f'<w:outlineLvl w:val="{level - 1}"/>'
    return _style("paragraph", f"Heading{level}", f"heading {level}", based="Normal", next_="BodyText", ppr=ppr,
                  rpr=rpr, custom=False, ui=9)  # fmt: skip


_CENTRED = '<w:keepNext/><w:spacing w:before="0" w:after="120"/><w:jc w:val="center"/>'
_SMALL = '<w:sz w:val="20"/><w:szCs w:val="20"/>'
_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
)
_RULE = 'w:val="single" w:sz="6" w:space="0" w:color="808080"'

#: Every style of the document, in the order written: (id, definition).
_STYLES: tuple[tuple[str, str], ...] = (
    _style("paragraph", "Normal", "Normal", custom=False, default=True),
    _style("character", "DefaultParagraphFont", "Default Paragraph Font", custom=False, default=True, ui=1),
    _style("table", "TableNormal", "Normal Table", custom=False, default=True, ui=99,
           extra=f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{_CELL_MARGINS}</w:tblPr>'),
    _style("paragraph", "BodyText", "Body Text", based="Normal", custom=False,
           ppr='<w:spacing w:before="120" w:after="120"/>'),
    _style("paragraph", "FirstParagraph", "First Paragraph", based="BodyText", next_="BodyText"),
    _style("paragraph", "Compact", "Compact", based="BodyText", ppr='<w:spacing w:before="36" w:after="36"/>'),
    _style("paragraph", "Title", "Title", based="Normal", next_="BodyText", custom=False, ui=10,
           ppr='<w:keepNext/><w:spacing w:before="240" w:after="120" w:line="240" w:lineRule="auto"/>'
               '<w:jc w:val="center"/>',
           rpr=_fonts(_HEADING_FONT) + f'<w:b/><w:bCs/><w:color w:val="{_ACCENT}"/><w:sz w:val="48"/>'
               '<w:szCs w:val="48"/>'),
    _style("paragraph", "Subtitle", "Subtitle", based="Title", next_="BodyText", custom=False, ui=11,
           ppr='<w:spacing w:before="0" w:after="160"/>',
           rpr='<w:b w:val="0"/><w:bCs w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
    _style("paragraph", "Author", "Author", based="Normal", next_="BodyText", ppr=_CENTRED),
    _style("paragraph", "Date", "Date", based="Normal", next_="BodyText", custom=False, ppr=_CENTRED),
    _style("paragraph", "AbstractTitle", "Abstract Title", based="Normal", next_="Abstract",
           ppr='<w:keepNext/><w:spacing w:before="300" w:after="0"/><w:jc w:val="center"/>', rpr="<w:b/><w:bCs/>"),
    _style("paragraph", "Abstract", "Abstract", based="Normal", next_="BodyText",
           ppr='<w:spacing w:before="120" w:after="240"/><w:ind w:left="720" w:right="720"/>', rpr=_SMALL),
    *(_heading(level) for level in range(1, 7)),
    _style("paragraph", "BlockText", "Block Text", based="BodyText", next_="BodyText", custom=False,
           ppr='<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="BFBFBF"/></w:pBdr>'
               '<w:spacing w:before="100" w:after="100"/><w:ind w:left="480" w:right="480"/>'),
    _style("paragraph", "FootnoteText", "footnote text", based="Normal", custom=False,
           ppr='<w:spacing w:before="0" w:after="60" w:line="240" w:lineRule="auto"/>', rpr=_SMALL),
    _style("paragraph", "DefinitionTerm", "Definition Term", based="Normal", next_="Definition",
           ppr='<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="0"/>', rpr="<w:b/><w:bCs/>"),
    _style("paragraph", "Definition", "Definition", based="Normal", ppr='<w:ind w:left="480"/>'),
    _style("paragraph", "Caption", "caption", based="Normal", custom=False,
           ppr='<w:spacing w:before="0" w:after="120"/>', rpr="<w:i/><w:iCs/>" + _SMALL),
    _style("paragraph", "TableCaption", "Table Caption", based="Caption", ppr="<w:keepNext/>"),
    _style("paragraph", "ImageCaption", "Image Caption", based="Caption"),
    _style("paragraph", "Figure", "Figure", based="Normal", ppr='<w:jc w:val="center"/>'),
    _style("paragraph", "CaptionedFigure", "Captioned Figure", based="Figure", ppr="<w:keepNext/>"),
    _style("paragraph", "Bibliography", "Bibliography", based="Normal", custom=False,
           ppr='<w:spacing w:before="0" w:after="80"/><w:ind w:left="480" w:hanging="480"/>'),
    _style("paragraph", "SourceCode", "Source Code", based="Normal",
           ppr='<w:shd w:val="clear" w:color="auto" w:fill="F4F4F4"/><w:wordWrap w:val="off"/>'
               '<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>',
           rpr=_fonts(_CODE_FONT) + _SMALL),
    _style("character", "VerbatimChar", "Verbatim Char", based="DefaultParagraphFont", rpr=_fonts(_CODE_FONT) + _SMALL),
    _style("character", "FootnoteReference", "footnote reference", based="DefaultParagraphFont", custom=False,
           rpr='<w:vertAlign w:val="superscript"/>'),
    _style("character", "Hyperlink", "Hyperlink", based="DefaultParagraphFont", custom=False,
           rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>'),
    _style("table", "Table", "Table", based="TableNormal",
           extra=f"<w:tblPr><w:tblBorders><w:top {_RULE}/><w:bottom {_RULE}/></w:tblBorders>{_CELL_MARGINS}</w:tblPr>"
                 '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
                 f"<w:tcPr><w:tcBorders><w:bottom {_RULE}/></w:tcBorders></w:tcPr></w:tblStylePr>"),
)  # fmt: skip

#: The ids of the styles the writer defines (and uses).
STYLE_IDS = frozenset(ident for ident, _ in _STYLES)

_DEFAULT_FONTS = (
    f'<w:rFonts w:ascii="{_TEXT_FONT}" w:hAnsi="{_TEXT_FONT}" w:eastAsia="{_TEXT_FONT}" w:cs="{_COMPLEX_FONT}"/>'
)
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
_BODY = "\n".join(definition for _, definition in _STYLES)


def styles_xml(language: str, rtl: bool) -> str:
    """The styles part, with the document's language (and, right to left, its complex-script language)."""
    lang = ""
    if language:
        value = attr(language)
        lang = f'<w:lang w:val="{value}"' + (f' w:bidi="{value}"' if rtl else "") + f' w:eastAsia="{value}"/>'
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_DEFAULT_FONTS}"
        f'<w:sz w:val="22"/><w:szCs w:val="22"/>{lang}</w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    return f"{_HEAD}\n{defaults}\n{_BODY}\n</w:styles>\n"


_STYLE_ID = recompile(r'w:styleId="([^"]*)"')


def merged_styles(reference: str) -> str:
    """A reference document's styles part with the writer's styles it lacks added (as pandoc does; only
    where it names WordprocessingML's namespace ``w:``, as the added definitions do)."""
    have = set(_STYLE_ID.findall(reference))
    missing = "".join(definition for ident, definition in _STYLES if ident not in have)
    end = reference.rfind("</w:styles>")
    if not missing or end < 0 or f'xmlns:w="{W_NS}"' not in reference:
        return reference
    return reference[:end] + missing + reference[end:]
