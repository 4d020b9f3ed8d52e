"""A page's metadata from every source it offers, merged by one stated precedence.

Sources, each read into the same field names (:class:`PageMeta`):

* ``jsonld``: JSON-LD objects of an article type (``Article``, ``NewsArticle``, ``BlogPosting``,
  ``ScholarlyArticle``, ``Report``, ... and ``WebPage`` last), ``@graph`` flattened;
* ``citation``: Highwire Press ``citation_*`` tags (scholarly pages);
* ``dc``: Dublin Core ``DC.*`` and ``dcterms.*`` tags;
* ``og``: OpenGraph ``og:*`` and ``article:*``;
* ``meta``: plain ``<meta name=author|date|description|keywords|copyright|...>``, ``parsely-*``,
  ``sailthru.*``;
* ``twitter``: Twitter cards;
* ``microdata``: ``itemprop`` (``headline``, ``author``, ``datePublished``, ...);
* ``page``: what the page shows: ``<html lang>``, ``<link rel=canonical|license>``, ``<time
  datetime>``, elements marked as the byline (``rel=author``, ``class`` with *byline* or *author*),
  ``<h1>`` and ``<title>``.

:data:`PRECEDENCE` says, per field, which source wins: the structured ones the publisher wrote for
machines first, then what the page shows.  The first source with a usable value gives the field
(an author that is a URL or a handle is not usable; a date must parse).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from ...xmlns import XML_NS

__all__ = ["PRECEDENCE", "PageMeta", "page_meta"]

#: Field -> sources in the order they are tried.
PRECEDENCE: Mapping[str, tuple[str, ...]] = {
    "title": ("jsonld", "citation", "dc", "og", "meta", "twitter", "microdata", "page", "traf"),
    "authors": ("jsonld", "citation", "dc", "meta", "og", "microdata", "page", "traf"),
    "date": ("jsonld", "citation", "og", "dc", "meta", "microdata", "traf", "page"),
    "modified": ("jsonld", "og", "dc", "meta", "microdata"),
    "publisher": ("jsonld", "citation", "dc", "meta", "og"),
    "site": ("og", "jsonld", "citation", "meta", "traf"),
    "language": ("page", "jsonld", "citation", "dc", "og", "meta"),
    "description": ("jsonld", "og", "dc", "meta", "twitter", "traf"),
    "image": ("og", "jsonld", "twitter", "meta"),
    "source_url": ("page", "og", "jsonld"),
    "keywords": ("jsonld", "citation", "meta", "og", "dc"),
    "licence_url": ("page", "jsonld", "dc", "meta"),
    "copyright": ("jsonld", "dc", "meta"),
    "doi": ("citation", "dc", "jsonld"),
}

_ARTICLE_TYPES = (
    "article", "newsarticle", "blogposting", "scholarlyarticle", "report", "techarticle", "reportagenewsarticle",
    "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
    "liveblogposting", "medicalscholarlyarticle", "creativework", "review", "webpage",
)  # fmt: skip

_JSON_WRAPPERS = recompile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")
_ISO_DATE = recompile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = recompile(r"(\d{4})-(\d{2})(?!\d)")
_SPACE = recompile(r"\s+")
_HANDLE = recompile(r"^@\w+$")
_URLISH = recompile(r"^(?:https?:)?//|^www\.", re.IGNORECASE)


@dataclass
class PageMeta:
    """Candidate values by source (``values[field][source]``) and the merged choice."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (field, source) pairs whose list is complete: a later kind of tag adds nothing to it.
    closed: set[tuple[str, str]] = field(default_factory=set)

    def extend(self, fld: str, source: str, items: list[str]) -> None:
        """Add ``items`` to the list of ``fld`` from ``source`` (repeated tags: one author each)."""
        if not items or (fld, source) in self.closed:
            return
        kept: list[str] = self.values.setdefault(fld, {}).setdefault(source, [])
        kept.extend(i for i in items if i not in kept)

    def close(self) -> None:
        """Close every list read so far."""
        self.closed.update((fld, source) for fld, by_source in self.values.items() for source in by_source)

    def offer(self, fld: str, source: str, value: Any) -> None:
        """Record ``value`` for ``fld`` from ``source`` unless that source already gave one."""
        if value in (None, "", [], ()):
            return
        self.values.setdefault(fld, {}).setdefault(source, value)

    def get(self, fld: str) -> Any:
        """The value of ``fld`` from the first source of :data:`PRECEDENCE` that has one."""
        by_source = self.values.get(fld, {})
        for source in PRECEDENCE.get(fld, ()):
            if source in by_source:
                return by_source[source]
        return None


def clean(text: str | None) -> str:
    """White space collapsed, ends stripped."""
    return _SPACE.sub(" ", text or "").strip()


def parse_date(value: Any) -> _dt.date | None:
    """The day an ISO-like date-time string names (``2019-03-04T10:00:00Z`` -> 2019-03-04); None if none."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.search(value)
    if not match:
        return None
    try:
        return _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _person_names(value: Any) -> list[str]:
    """Names from a JSON-LD author value: a string, a Person/Organization, or a list of those."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            out.extend(_split_names(item))
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
            if isinstance(name, str):
                out.extend(_split_names(name))
    return [n for n in out if _usable_name(n)]


def _split_names(text: str) -> list[str]:
    text = clean(re.sub(r"^(?:by|von|par|por|di|door)\b\s*:?\s*", "", clean(text), flags=re.IGNORECASE))
    text = clean(re.split(r"\s+[•·|]\s+", text, maxsplit=1)[0])
    if not text:
        return []
    parts = re.split(r"\s*(?:;|,\s*(?:and|&)\s+|,|\s+and\s+|\s+&\s+)\s*", text)
    # "Surname, Given" (two parts, one word each) is one name, not two
    if len(parts) == 2 and "," in text and all(len(p.split()) == 1 for p in parts) and " and " not in text:
        return [text]
    return [clean(p) for p in parts if clean(p)]


def _uninvert(name: str) -> str:
    """``Surname, Given`` -> ``Given Surname`` (one comma, no more than four words a side)."""
    parts = [clean(p) for p in name.split(",")]
    if len(parts) == 2 and all(parts) and all(len(p.split()) <= 4 for p in parts):
        return f"{parts[1]} {parts[0]}"
    return clean(name)


def _usable_name(name: str) -> bool:
    return bool(name) and not _URLISH.match(name) and not _HANDLE.match(name) and len(name) <= 100


def _jsonld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _jsonld_objects(data["@graph"])
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield from _jsonld_objects(main)


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return [str(k).lower().rsplit("/", 1)[-1] for k in kinds]


def _name_of(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or ""
    return clean(value) if isinstance(value, str) else ""


def _url_of(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    return value.strip() if isinstance(value, str) else ""


def _read_jsonld(tree: Any, meta: PageMeta) -> None:
    best: tuple[int, dict[str, Any]] | None = None
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        raw = _JSON_WRAPPERS.sub("", script.text).strip().rstrip(";")
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _jsonld_objects(data):
            kinds = _types(obj)
            rank = min((_ARTICLE_TYPES.index(k) for k in kinds if k in _ARTICLE_TYPES), default=None)
            if rank is None:
                continue
            rank = 1 if kinds == ["webpage"] else 0
            if best is None or rank < best[0]:
                best = (rank, obj)
    if best is None:
        return
    obj = best[1]
    name, headline = obj.get("name"), obj.get("headline")
    title = name if isinstance(name, str) and clean(name) else headline
    meta.offer("title", "jsonld", clean(title) if isinstance(title, str) else "")
    meta.offer("authors", "jsonld", _person_names(obj.get("author") or obj.get("creator")))
    meta.offer("date", "jsonld", parse_date(obj.get("datePublished") or obj.get("dateCreated")))
    meta.offer("modified", "jsonld", parse_date(obj.get("dateModified")))
    meta.offer("publisher", "jsonld", _name_of(obj.get("publisher")))
    meta.offer("site", "jsonld", _name_of(obj.get("isPartOf")) if isinstance(obj.get("isPartOf"), dict) else "")
    lang = obj.get("inLanguage")
    meta.offer(
        "language", "jsonld", _name_of(lang) if isinstance(lang, dict) else clean(lang if isinstance(lang, str) else "")
    )
    description = obj.get("description")
    meta.offer("description", "jsonld", clean(description) if isinstance(description, str) else "")
    meta.offer("image", "jsonld", _url_of(obj.get("image")))
    meta.offer("source_url", "jsonld", _url_of(obj.get("url") or obj.get("mainEntityOfPage")))
    keywords = obj.get("keywords")
    if isinstance(keywords, str):
        keywords = [k for k in (clean(k) for k in keywords.split(",")) if k]
    if isinstance(keywords, list):
        meta.offer("keywords", "jsonld", [clean(str(k)) for k in keywords if clean(str(k))])
    licence = obj.get("license")
    meta.offer("licence_url", "jsonld", _url_of(licence) if not isinstance(licence, str) else licence.strip())
    holder = _name_of(obj.get("copyrightHolder"))
    year = obj.get("copyrightYear")
    notice = obj.get("copyrightNotice")
    if isinstance(notice, str) and clean(notice):
        meta.offer("copyright", "jsonld", clean(notice))
    elif holder:
        meta.offer("copyright", "jsonld", f"© {year} {holder}" if year else f"© {holder}")


#: ``<meta>`` names and properties -> (field, source).
_META_MAP: Mapping[str, tuple[str, str]] = {
    "citation_title": ("title", "citation"),
    "citation_author": ("authors", "citation"),
    "citation_publication_date": ("date", "citation"),
    "citation_date": ("date", "citation"),
    "citation_online_date": ("date", "citation"),
    "citation_publisher": ("publisher", "citation"),
    "citation_journal_title": ("site", "citation"),
    "citation_language": ("language", "citation"),
    "citation_keywords": ("keywords", "citation"),
    "citation_doi": ("doi", "citation"),
    "dc.title": ("title", "dc"),
    "dc.title.alternative": ("subtitle", "dc"),
    "dcterms.title": ("title", "dc"),
    "dc.creator": ("authors", "dc"),
    "dcterms.creator": ("authors", "dc"),
    "dc.date": ("date", "dc"),
    "dcterms.date": ("date", "dc"),
    "dcterms.issued": ("date", "dc"),
    "dc.date.issued": ("date", "dc"),
    "dcterms.modified": ("modified", "dc"),
    "dc.language": ("language", "dc"),
    "dcterms.language": ("language", "dc"),
    "dc.publisher": ("publisher", "dc"),
    "dcterms.publisher": ("publisher", "dc"),
    "dc.rights": ("copyright", "dc"),
    "dcterms.rights": ("copyright", "dc"),
    "dcterms.license": ("licence_url", "dc"),
    "dc.description": ("description", "dc"),
    "dcterms.description": ("description", "dc"),
    "dc.subject": ("keywords", "dc"),
    "dc.identifier": ("doi", "dc"),
    "og:title": ("title", "og"),
    "og:site_name": ("site", "og"),
    "og:description": ("description", "og"),
    "og:image": ("image", "og"),
    "og:url": ("source_url", "og"),
    "og:locale": ("language", "og"),
    "article:published_time": ("date", "og"),
    "article:modified_time": ("modified", "og"),
    "og:updated_time": ("modified", "og"),
    "article:author": ("authors", "og"),
    "article:tag": ("keywords", "og"),
    "article:publisher": ("publisher", "og"),
    "twitter:title": ("title", "twitter"),
    "twitter:description": ("description", "twitter"),
    "twitter:image": ("image", "twitter"),
    "title": ("title", "meta"),
    "parsely-title": ("title", "meta"),
    "author": ("authors", "meta"),
    "parsely-author": ("authors", "meta"),
    "sailthru.author": ("authors", "meta"),
    "byl": ("authors", "meta"),
    "date": ("date", "meta"),
    "pubdate": ("date", "meta"),
    "publish-date": ("date", "meta"),
    "publish_date": ("date", "meta"),
    "publication_date": ("date", "meta"),
    "parsely-pub-date": ("date", "meta"),
    "sailthru.date": ("date", "meta"),
    "article.published": ("date", "meta"),
    "last-modified": ("modified", "meta"),
    "description": ("description", "meta"),
    "keywords": ("keywords", "meta"),
    "news_keywords": ("keywords", "meta"),
    "copyright": ("copyright", "meta"),
    "rights": ("copyright", "meta"),
    "license": ("licence_url", "meta"),
    "application-name": ("site", "meta"),
    "publisher": ("publisher", "meta"),
    "language": ("language", "meta"),
    "content-language": ("language", "meta"),
}

_LIST_FIELDS = ("authors", "keywords")


def _offer_meta(meta: PageMeta, fld: str, source: str, content: str) -> None:
    content = clean(content)
    if not content:
        return
    if fld == "authors":
        # Highwire and Dublin Core give one creator a tag, often "Surname, Given"
        names = _split_names(content) if source not in ("citation", "dc") else [_uninvert(content)]
        meta.extend(fld, source, [n for n in names if _usable_name(n)])
        return
    if fld == "keywords":
        meta.extend(fld, source, [k for k in (clean(k) for k in content.split(",")) if k])
        return
    if fld in ("date", "modified"):
        meta.offer(fld, source, parse_date(content) or _month_date(content))
        return
    if fld == "language":
        content = content.replace("_", "-").split(",")[0].strip()
    meta.offer(fld, source, content)


def _month_date(text: str) -> _dt.date | None:
    match = _ISO_MONTH.search(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return _dt.date(int(match.group(1)), int(match.group(2)), 1)
    return None


_DC_PREFIX = recompile(r"^(dcterms?|dc)[:.]")


def _dc_key(match: re.Match[str]) -> str:
    """``dc:``/``DC.`` -> ``dc.``, ``dcterm:``/``dcterms:``/``DCTERMS.`` -> ``dcterms.``."""
    return "dc." if match.group(1) == "dc" else "dcterms."


def _read_meta_tags(tree: Any, meta: PageMeta) -> None:
    # ``property`` (RDFa, OpenGraph) is read before ``name``: where both give a field, the property wins
    tags = list(tree.iterfind(".//meta"))
    for attr in ("property", "name", "itemprop", "http-equiv"):
        for tag in tags:
            content = tag.get("content")
            if content is None:
                continue
            for key in (tag.get(attr) or "").lower().split():
                if attr == "http-equiv" and key not in ("content-language", "last-modified"):
                    continue
                target = _META_MAP.get(_DC_PREFIX.sub(_dc_key, key))
                if target is not None:
                    _offer_meta(meta, target[0], target[1], content)
        meta.close()


_MICRODATA: Mapping[str, str] = {
    "headline": "title",
    "author": "authors",
    "creator": "authors",
    "datepublished": "date",
    "datemodified": "modified",
}


def _text_of(el: Any) -> str:
    return clean(etree.tostring(el, method="text", encoding="unicode", with_tail=False))


def _read_microdata(tree: Any, meta: PageMeta) -> None:
    for el in tree.iterfind(".//*[@itemprop]"):
        if el.tag == "meta" or not isinstance(el.tag, str):
            continue
        for prop in (el.get("itemprop") or "").lower().split():
            fld = _MICRODATA.get(prop)
            if fld is None:
                continue
            if fld in ("date", "modified"):
                meta.offer(fld, "microdata", parse_date(el.get("datetime") or el.get("content") or _text_of(el)))
            elif fld == "authors":
                name_el = next(iter(el.iterfind(".//*[@itemprop='name']")), None)
                name = el.get("content") or (_text_of(name_el) if name_el is not None else _text_of(el))
                _offer_meta(meta, "authors", "microdata", name)
            else:
                meta.offer(fld, "microdata", el.get("content") or _text_of(el))


_BYLINE_CLASS = recompile(r"\b(?:byline|author|writer|creator)\b", re.IGNORECASE)
_BYLINE_NOT = recompile(r"\b(?:comment|avatar|bio|about|image|photo|img|related)\b", re.IGNORECASE)


def _read_page(tree: Any, meta: PageMeta) -> None:
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    lang = root.get("lang") or root.get(f"{{{XML_NS}}}lang")
    if lang:
        meta.offer("language", "page", clean(lang).replace("_", "-"))
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel:
            meta.offer("source_url", "page", href)
        if "license" in rel:
            meta.offer("licence_url", "page", href)
    for a in tree.iterfind(".//a[@rel]"):
        if "license" in (a.get("rel") or "").lower().split():
            meta.offer("licence_url", "page", (a.get("href") or "").strip())
    for time_el in tree.iterfind(".//time"):
        meta.offer("date", "page", parse_date(time_el.get("datetime") or ""))
    for el in tree.iterfind(".//*[@rel='author']"):
        _offer_meta(meta, "authors", "page", _text_of(el))
    if "authors" not in meta.values or "page" not in meta.values["authors"]:
        for el in tree.iter():
            if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "style", "img", "body", "html"):
                continue
            marks = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
            if _BYLINE_CLASS.search(marks) and not _BYLINE_NOT.search(marks):
                text = _text_of(el)
                if 0 < len(text) < 100:
                    _offer_meta(meta, "authors", "page", text)
                    break
    title_el = next(iter(tree.iterfind(".//title")), None)
    title = _text_of(title_el) if title_el is not None else ""
    h1s = [_text_of(h) for h in tree.iterfind(".//h1")]
    headings = [*h1s, *(_text_of(h) for h in tree.iterfind(".//h2"))] if ": " in title else h1s
    meta.offer("title", "page", page_title(title, h1s if len(h1s) == 1 and ": " not in title else headings))


_SEPARATOR = recompile(r" [|\-\\/>»] ")
_HIERARCHICAL = recompile(r" [\\/>»] ")
_SEPARATOR_CHARS = recompile(r"[|\-\\/>»]+")


def _words(text: str) -> int:
    return len(text.split())


def page_title(title: str, headings: list[str]) -> str:
    """The article's title from the ``<title>`` and the page's headings, as Readability chooses it.

    ``Headline | Site`` loses the part after its last separator (the part before the first, when
    that leaves fewer than three words); ``Site: Headline`` its part before the colon unless a
    heading says the whole; a title that is too short or too long gives way to the only ``<h1>``.
    A result of four words or fewer is only kept when it came from a hierarchical separator.
    """
    original = clean(title)
    current = original
    hierarchical = False
    if _SEPARATOR.search(current):
        hierarchical = bool(_HIERARCHICAL.search(current))
        last = list(_SEPARATOR.finditer(original))[-1]
        current = original[: last.start()]
        if _words(current) < 3:
            current = re.sub(r"^[^|\-\\/>»]*[|\-\\/>»]", "", original, count=1)
    elif ": " in current:
        if not any(clean(h) == current for h in headings):
            current = original[original.rindex(":") + 1 :]
            if _words(current) < 3:
                current = original[original.index(":") + 1 :]
            elif _words(original[: original.index(":")]) > 5:
                current = original
    elif len(current) > 150 or len(current) < 15:
        h1s = list(headings[:1])
        if h1s and h1s[0]:
            current = h1s[0]
    current = clean(current)
    count = _words(current)
    if count <= 4 and (not hierarchical or count != _words(_SEPARATOR_CHARS.sub("", original)) - 1):
        current = original
    return current


def page_meta(tree: Any) -> PageMeta:
    """Every metadata candidate of the page (see the module's doc)."""
    meta = PageMeta()
    _read_jsonld(tree, meta)
    _read_meta_tags(tree, meta)
    _read_microdata(tree, meta)
    _read_page(tree, meta)
    return meta
