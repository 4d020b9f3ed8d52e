"""A page's metadata from every source it offers, merged by one stated precedence.

Sources, each read into the same field names (:class:`PageMeta`):

* ``jsonld``: JSON-LD objects of an article type (``Article``, ``NewsArticle``, ``BlogPosting``,
  ``ScholarlyArticle``, ``Report``, ... and ``WebPage`` last), ``@graph`` flattened, references
  (``"author": {"@id": ...}``) followed; ``dateCreated`` is a source of its own
  (``jsonld-created``), weaker than a published time the page states elsewhere;
* ``citation``: Highwire Press ``citation_*`` tags (scholarly pages);
* ``dc``: Dublin Core ``DC.*`` and ``dcterms.*`` tags;
* ``og``: OpenGraph ``og:*`` and ``article:*`` (``og:article:*`` too);
* ``meta``: plain ``<meta name=author|date|description|keywords|copyright|...>``, ``parsely-*``,
  ``sailthru.*``;
* ``twitter``: Twitter cards;
* ``microdata``: ``itemprop`` (``headline``, ``author``, ``datePublished``, ...), on elements and on
  ``<meta>`` tags;
* ``page``: what the page shows (:mod:`.meta_page`): ``<html lang>``, ``<link rel=canonical|license>``,
  ``<time datetime>``, the byline, ``<h1>`` and ``<title>``.

:data:`PRECEDENCE` says, per field, which source wins: the structured ones the publisher wrote for
machines first, then what the page shows.  The first source with a usable value gives the field
(an author that is a URL, a handle or a user name is not usable; a date must parse).  A date-time
in UTC yields its day to the publisher's local day when another source gives the same instant
with its offset (``2017-02-24T01:18Z`` and ``2017-02-23T17:18-08:00`` are the 23rd).

Every source is read by a few XPath queries over the parsed page (evaluated by libxml2 in C); the
page is not walked element by element in Python, and the byline is looked for only when no
structured source names an author.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from convert.recache import compile as recompile

from .meta_names import clean, day_of, is_address, names, parse_date, person_names, stamp, unescape
from .meta_page import page_title, read_page

__all__ = ["PRECEDENCE", "PageMeta", "clean", "page_meta", "page_title", "parse_date"]

#: Field -> sources in the order they are tried.
PRECEDENCE: Mapping[str, tuple[str, ...]] = {
    "title": ("jsonld", "citation", "dc", "og", "meta", "twitter", "microdata", "page", "traf"),
    "authors": ("jsonld", "citation", "dc", "meta", "og", "microdata", "page", "traf"),
    "date": ("jsonld", "citation", "og", "dc", "meta", "microdata", "jsonld-created", "traf", "page"),
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
    "liveblogposting", "medicalscholarlyarticle", "advertisercontentarticle", "askpublicnewsarticle",
    "satiricalarticle", "discussionforumposting", "apireference", "creativework", "review", "webpage",
)  # fmt: skip

_JSON_WRAPPERS = recompile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


#: Fields whose value is a name.
_NAMED = frozenset({"publisher", "site"})


@dataclass
class PageMeta:
    """Candidate values by source (``values[field][source]``) and the merged choice."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (field, source) pairs whose list is complete: a later kind of tag adds nothing to it.
    closed: set[tuple[str, str]] = field(default_factory=set)
    #: The instant behind a date, when the source gave a date-time with an offset: ``stamps[field][source]``.
    stamps: dict[str, dict[str, _dt.datetime]] = field(default_factory=dict)
    #: The JSON-LD headline when the title is the JSON-LD name and the two differ.
    headline: str = ""

    def extend(self, fld: str, source: str, items: list[str]) -> None:
        """Add ``items`` to the list of ``fld`` from ``source`` (repeated tags: one author each)."""
        if not items or (fld, source) in self.closed:
            return
        kept: list[str] = self.values.setdefault(fld, {}).setdefault(source, [])
        seen = {i.casefold() for i in kept}
        for item in items:
            if item.casefold() not in seen:  # "Jane Doe" and "JANE DOE" are one author
                seen.add(item.casefold())
                kept.append(item)

    def close(self) -> None:
        """Close every list read so far."""
        self.closed.update((fld, source) for fld, by_source in self.values.items() for source in by_source)

    def offer(self, fld: str, source: str, value: Any) -> None:
        """Record ``value`` for ``fld`` from ``source`` unless that source already gave one.

        A publisher or site given as an address (``article:publisher`` is often a social network
        page) is no name: it is not recorded.
        """
        if value in (None, "", [], ()):
            return
        if fld in _NAMED and isinstance(value, str) and is_address(value):
            return
        self.values.setdefault(fld, {}).setdefault(source, value)

    def offer_date(self, fld: str, source: str, value: Any, *, any_shape: bool = False) -> None:
        """Record the day of ``value`` (ISO; ``any_shape``: the shapes of :func:`.meta_names.day_of`)."""
        if fld in self.values and source in self.values[fld]:
            return
        found = stamp(value)
        if found is None:
            if any_shape and isinstance(value, str):
                self.offer(fld, source, day_of(value))
            return
        self.offer(fld, source, found[0])
        if found[1] is not None:
            self.stamps.setdefault(fld, {})[source] = found[1]

    def get(self, fld: str) -> Any:
        """The value of ``fld`` from the first source of :data:`PRECEDENCE` that has one."""
        by_source = self.values.get(fld, {})
        for source in PRECEDENCE.get(fld, ()):
            if source in by_source:
                return by_source[source]
        return None

    def choose_title(self) -> None:
        """The JSON-LD headline instead of its name when the headline is the page's title and the name is not."""
        page = self.values.get("title", {}).get("page", "")
        name = self.values.get("title", {}).get("jsonld", "")
        if self.headline and page and similarity(self.headline, page) > 0.75 and similarity(name, page) <= 0.75:
            self.values["title"]["jsonld"] = self.headline

    def local_days(self) -> None:
        """A UTC date-time's day replaced by the local day of the same instant another source states."""
        for fld, stamps in self.stamps.items():
            local = [when for when in stamps.values() if when.utcoffset()]
            for source, when in stamps.items():
                if when.utcoffset():
                    continue
                same = next((other for other in local if abs(other - when) <= _dt.timedelta(minutes=1)), None)
                if same is not None:
                    self.values[fld][source] = same.date()


def _jsonld_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document, in document order (lists, ``@graph`` and ``mainEntity`` entered)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            inner = [item["@graph"]] if "@graph" in item else []
            if isinstance(item.get("mainEntity"), dict):
                inner.append(item["mainEntity"])
            stack.extend(reversed(inner))


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return [str(k).lower().rsplit("/", 1)[-1] for k in kinds]


def _text(value: Any) -> str:
    """A JSON-LD string value, white space collapsed and HTML escapes undone ("" if it is no string)."""
    if isinstance(value, list) and value:
        value = value[0]
    return unescape(clean(value)) if isinstance(value, str) else ""


def _name_of(value: Any, ids: Mapping[str, dict[str, Any]] | None = None) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        if "name" not in value and ids and isinstance(value.get("@id"), str):
            value = ids.get(value["@id"], value)
        value = value.get("name") or ""
    return _text(value)


_TOKEN = recompile(r"\W+")


def similarity(text: str, other: str) -> float:
    """The share of ``other``'s text made of words that ``text`` has too (Readability's measure)."""
    words = [w for w in _TOKEN.split(text.lower()) if w]
    others = [w for w in _TOKEN.split(other.lower()) if w]
    if not words or not others:
        return 0.0
    known = set(words)
    return 1 - len(" ".join(w for w in others if w not in known)) / len(" ".join(others))


def _url_of(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    return value.strip() if isinstance(value, str) else ""


_XPATHS: dict[str, etree.XPath] = {}


def _select(name: str, node: Any) -> Any:
    """What the query ``name`` gives from ``node`` (a list of elements or strings; a number for a count)."""
    return _xpath(name)(node)


def _xpath(name: str) -> etree.XPath:
    """The compiled query ``name`` (compiled on first use)."""
    found = _XPATHS.get(name)
    if found is None:
        # parts of the properties' names that hold no capital: "datePublished" and "datepublished"
        props = " or ".join(f"contains(.,'{part}')" for part in ("eadline", "uthor", "reator", "ublished", "odified"))
        expr = {
            "microdata": f"//@itemprop[{props}]/..",
            "name": ".//*[contains(concat(' ',normalize-space(@itemprop),' '),' name ')]",
            "text": ".//text()[not(parent::script or parent::style)]",
        }[name]
        found = _XPATHS[name] = etree.XPath(expr, smart_strings=False)
    return found


def _read_jsonld(scripts: list[Any], meta: PageMeta) -> None:
    best: tuple[int, dict[str, Any]] | None = None
    ids: dict[str, dict[str, Any]] = {}
    for script in scripts:
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        raw = _JSON_WRAPPERS.sub("", script.text).strip().rstrip(";")
        try:
            data = json.loads(raw, strict=False)  # line breaks and tabs inside strings, as pages write them
        except (ValueError, RecursionError):
            continue
        for obj in _jsonld_objects(data):
            if isinstance(obj.get("@id"), str) and len(obj) > 1:
                ids.setdefault(obj["@id"], obj)
            kinds = _types(obj)
            if not any(k in _ARTICLE_TYPES for k in kinds):
                continue
            rank = 1 if kinds == ["webpage"] else 0
            if best is None or rank < best[0]:
                best = (rank, obj)
    if best is not None:
        _offer_jsonld(best[1], ids, meta)


def _offer_jsonld(obj: dict[str, Any], ids: dict[str, dict[str, Any]], meta: PageMeta) -> None:
    name, headline = _text(obj.get("name")), _text(obj.get("headline"))
    publisher = _name_of(obj.get("publisher"), ids)
    site = _name_of(obj.get("isPartOf"), ids) if isinstance(obj.get("isPartOf"), dict) else ""
    # the name first (as Readability does), unless it is the publisher's or the site's; the
    # headline when it is the page's title and the name is not (see :meth:`PageMeta.choose_title`)
    if name and name not in (publisher, site):
        meta.offer("title", "jsonld", name)
        if headline and headline != name:
            meta.headline = headline
    else:
        meta.offer("title", "jsonld", headline)
    meta.offer("authors", "jsonld", person_names(obj.get("author") or obj.get("creator"), ids))
    meta.offer_date("date", "jsonld", _text(obj.get("datePublished")), any_shape=True)
    meta.offer_date("date", "jsonld-created", _text(obj.get("dateCreated")), any_shape=True)
    meta.offer_date("modified", "jsonld", _text(obj.get("dateModified")), any_shape=True)
    meta.offer("publisher", "jsonld", publisher)
    meta.offer("site", "jsonld", site)
    lang = obj.get("inLanguage")
    meta.offer(
        "language", "jsonld", _name_of(lang) if isinstance(lang, dict) else clean(lang if isinstance(lang, str) else "")
    )
    meta.offer("description", "jsonld", _text(obj.get("description")))
    meta.offer("image", "jsonld", _url_of(obj.get("image")))
    meta.offer("source_url", "jsonld", _url_of(obj.get("url") or obj.get("mainEntityOfPage")))
    keywords = obj.get("keywords")
    if isinstance(keywords, str):
        keywords = [k for k in (clean(k) for k in keywords.split(",")) if k]
    if isinstance(keywords, list):
        meta.offer("keywords", "jsonld", [clean(str(k)) for k in keywords if clean(str(k))])
    licence = obj.get("license")
    meta.offer("licence_url", "jsonld", _url_of(licence) if not isinstance(licence, str) else licence.strip())
    holder = _name_of(obj.get("copyrightHolder"), ids)
    year = obj.get("copyrightYear")
    notice = obj.get("copyrightNotice")
    if _text(notice):
        meta.offer("copyright", "jsonld", _text(notice))
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
    "dcterms.created": ("date", "dc"),
    "dc.date.created": ("date", "dc"),
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
    "article:published": ("date", "og"),
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


def _offer_meta(meta: PageMeta, fld: str, source: str, content: str) -> None:
    content = clean(content)
    if not content:
        return
    if fld == "authors":
        # Highwire and Dublin Core give one creator a tag, often "Surname, Given"
        meta.extend(fld, source, names(content, one=source in ("citation", "dc")))
        return
    if fld == "keywords":
        meta.extend(fld, source, [k for k in (clean(k) for k in content.split(",")) if k])
        return
    if fld in ("date", "modified"):
        meta.offer_date(fld, source, content, any_shape=True)
        return
    if fld == "language":
        content = content.replace("_", "-").split(",")[0].strip()
    meta.offer(fld, source, content)


_DC_PREFIX = recompile(r"^(dcterms?|dc)[:.]")


def _key(name: str) -> str:
    """The tag's name as :data:`_META_MAP` spells it.

    ``dc:``/``DC.`` -> ``dc.``, ``dcterm:``/``dcterms:``/``DCTERMS.`` -> ``dcterms.``; ``og:article:`` -> ``article:``.
    """
    if not name.startswith(("dc", "og:article:")):
        return name
    if name.startswith("og:article:"):
        return name[3:]
    return _DC_PREFIX.sub(lambda m: "dc." if m.group(1) == "dc" else "dcterms.", name)


#: The attributes of a ``<meta>`` tag that name it, in the order they are read: a property wins.
_ATTRIBUTES = ("property", "name", "http-equiv")


def _read_meta_tags(tags: list[Any], meta: PageMeta) -> None:
    # ``property`` (RDFa, OpenGraph) is read before ``name``: where both give a field, the property wins
    found: list[list[tuple[str, str, str]]] = [[] for _ in _ATTRIBUTES]
    for tag in tags:
        content = tag.get("content")
        if content is None:
            continue
        for rank, attr in enumerate(_ATTRIBUTES):
            for key in (tag.get(attr) or "").lower().split():
                if attr == "http-equiv" and key not in ("content-language", "last-modified"):
                    continue
                target = _META_MAP.get(_key(key))
                if target is not None:
                    found[rank].append((target[0], target[1], content))
    for kind in found:
        for fld, source, content in kind:
            _offer_meta(meta, fld, source, content)
        meta.close()


_MICRODATA: Mapping[str, str] = {
    "headline": "title",
    "author": "authors",
    "creator": "authors",
    "datepublished": "date",
    "datemodified": "modified",
}


def _text_of(el: Any) -> str:
    return clean("".join(_select("text", el)))


def _scope(el: Any) -> Any:
    """The item ``el`` is a property of (its nearest ancestor with ``itemscope``), or None."""
    return next((up for up in el.iterancestors() if up.get("itemscope") is not None), None)


def _read_microdata(tree: Any, meta: PageMeta) -> None:
    author_scope: Any = False
    for el in _select("microdata", tree):
        for prop in (el.get("itemprop") or "").lower().split():
            fld = _MICRODATA.get(prop)
            if fld is None or (fld in meta.values and "microdata" in meta.values[fld] and fld != "authors"):
                continue
            content = el.get("content")
            if fld in ("date", "modified"):
                meta.offer_date(fld, "microdata", el.get("datetime") or content or _text_of(el), any_shape=True)
            elif fld == "authors":
                scope = _scope(el)
                if author_scope is not False and scope is not author_scope:
                    continue  # the authors of the first item that has some, not those of related items
                author_scope = scope
                name_els = _select("name", el)
                name = content or (name_els[0].get("content") or _text_of(name_els[0]) if name_els else _text_of(el))
                _offer_meta(meta, "authors", "microdata", name)
            else:
                meta.offer(fld, "microdata", content or _text_of(el))


#: The elements every page is searched for, in one pass.
_GATHERED = ("meta", "script", "link", "time", "title", "h1")


def page_meta(tree: Any) -> PageMeta:
    """Every metadata candidate of the page (see the module's doc).

    ``tree`` is the parsed page (lxml, HTML parser: element names in lower case); it is read, not changed.
    """
    meta = PageMeta()
    found: dict[str, list[Any]] = {tag: [] for tag in _GATHERED}
    for el in tree.iter(*_GATHERED):
        found[el.tag].append(el)
    _read_jsonld(found["script"], meta)
    _read_meta_tags(found["meta"], meta)
    _read_microdata(tree, meta)
    read_page(tree, meta, found)
    meta.choose_title()
    meta.local_days()
    return meta
