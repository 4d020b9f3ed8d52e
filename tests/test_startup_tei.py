"""The TEI writer's own element tree (:mod:`convert.writers.tei.tree`) serialises as lxml does.

Random trees are built twice, with lxml and with the writer's tree, by the same operations the
writer uses (new last children, an element inserted at a position, children moved to another
parent, attributes set and reset, ``xml:`` attributes, text and tails with every character XML
escapes); the bytes must be equal.  The documents of the fixtures are compared in
``tests/test_tei.py`` (goldens) and by the snapshot of every output.
"""

from __future__ import annotations

import random
import subprocess
import sys
from typing import Any

import pytest
from lxml import etree

from convert.writers.tei import tree
from convert.xmlns import TEI_NS, XML_ID, XML_LANG, XML_SPACE, append_text, local_name, tei_local_name

_NAMES = ("p", "div", "hi", "lb", "note", "ref", "item", "list", "head")
_ATTRIBUTES = ("n", "type", "rend", "target", XML_ID, XML_LANG, XML_SPACE)
_CHARS = "ab \t\n\r&<>\"'é€😀]]>;#=-"


def _text(rng: random.Random) -> str | None:
    choice = rng.random()
    if choice < 0.25:
        return None
    if choice < 0.35:
        return ""
    return "".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 12)))


def _build(seed: int) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    tag = f"{{{TEI_NS}}}TEI"
    ours_root, theirs_root = tree.Element(tag), etree.Element(tag, nsmap={None: TEI_NS})  # type: ignore[dict-item]
    pairs: list[tuple[Any, Any]] = [(ours_root, theirs_root)]
    for _ in range(rng.randint(0, 40)):
        ours, theirs = rng.choice(pairs)
        operation = rng.random()
        name = f"{{{TEI_NS}}}{rng.choice(_NAMES)}"
        if operation < 0.45:
            pairs.append((tree.SubElement(ours, name), etree.SubElement(theirs, name)))
        elif operation < 0.6:
            index = rng.randint(0, len(ours))
            new = (tree.Element(name), etree.Element(name))
            ours.insert(index, new[0])
            theirs.insert(index, new[1])
            pairs.append(new)
        elif operation < 0.7 and len(pairs) > 2:  # move an element (not an ancestor of the target) under ``ours``
            moved_ours, moved_theirs = rng.choice(pairs[1:])
            ancestors = set()
            walk = ours
            while walk is not None:
                ancestors.add(id(walk))
                walk = walk.getparent()
            if id(moved_ours) not in ancestors:
                ours.append(moved_ours)
                theirs.append(moved_theirs)
        elif operation < 0.85:
            key = rng.choice(_ATTRIBUTES)
            value = _text(rng) or ""
            ours.set(key, value)
            theirs.set(key, value)
        elif operation < 0.93:
            text = _text(rng)
            ours.text = theirs.text = text
        elif ours is not ours_root:
            text = _text(rng)
            ours.tail = theirs.tail = text
        if rng.random() < 0.1:
            text = _text(rng) or ""
            append_text(ours, text)
            append_text(theirs, text)
    return tree.tostring(ours_root), etree.tostring(theirs_root, encoding="UTF-8", xml_declaration=False)


@pytest.mark.parametrize("seed", range(400))
def test_random_trees_serialise_as_lxml_does(seed: int) -> None:
    ours, theirs = _build(seed)
    assert ours == theirs


def test_find_and_parents_as_lxml() -> None:
    tei = tree.Element(f"{{{TEI_NS}}}TEI")
    header = tree.SubElement(tei, f"{{{TEI_NS}}}teiHeader")
    desc = tree.SubElement(header, f"{{{TEI_NS}}}encodingDesc")
    assert tei.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}encodingDesc") is desc
    assert tei.find(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}profileDesc") is None
    assert desc.getparent() is header and tei.getparent() is None
    assert [local_name(c) for c in tei] == ["teiHeader"] and len(header) == 1 and header[-1] is desc


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x20), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF, 0x7F, 0x85, 0xFDD0]])
def test_attribute_values_xml_cannot_carry_are_refused_as_lxml_refuses_them(char: str) -> None:
    def outcome(element: Any) -> type[BaseException] | None:
        try:
            element.set("n", f"a{char}b")
        except ValueError as exc:
            return type(exc)
        return None

    assert outcome(tree.Element("{x}a")) is outcome(etree.Element("a"))


def test_tei_local_name_as_lxml_qname() -> None:
    root = etree.fromstring(f'<TEI xmlns="{TEI_NS}"><p/><x:q xmlns:x="urn:other"/><!-- c --></TEI>'.encode())
    plain = etree.fromstring(b"<p><hi/></p>")
    for el in [root, *root, plain, *plain]:
        expected = ""
        if isinstance(el.tag, str):
            qname = etree.QName(el)
            expected = qname.localname if qname.namespace in (None, TEI_NS) else ""
        assert tei_local_name(el) == expected


def test_the_tei_writer_does_not_import_lxml() -> None:
    code = (
        "import sys, convert.readers.article, convert.writers.tei, convert;"
        "convert.render(convert.parse(b'# Title\\n\\nSome text.\\n', 'a.md'), 'tei');"
        "print('lxml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
