"""Writers through pandoc: the rights where each format keeps them, read back with the formats' own tools."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree

from convert.api import render
from convert.ir.model import Article, Figure, Image, Metadata, Note, NoteRef, Paragraph, Rights, Subject, Text
from convert.registry import get_writer, writer_facts

RIGHTS = Rights(
    copyright="Copyright © 2019 Ann Writer, Example Press",
    disclaimer="The views are the writer's own.\n\nThe press takes no responsibility.",
    fair_use="Quoted under fair use.",
    licence="Creative Commons Attribution 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    licence_id="CC-BY-4.0",
    contact="desk@press.example",
)
ARTICLE = Article(
    Metadata(
        title="A Made-up Title",
        authors=("Ann Writer", "Ben Second"),
        date=dt.date(2019, 5, 6),
        language="en",
        publisher="Example Press",
        description="What it is about.",
        subjects=(Subject("Rivers", "keyword"), Subject("Asia", "region")),
        rights=RIGHTS,
    ),
    (
        Paragraph((Text("First paragraph with a note"), NoteRef("1"), Text("."))),
        Figure((Text("A remote picture"),), Image("https://img.example/p.png", "picture")),
    ),
    (Note("1", (Paragraph((Text("The note text."),)),)),),
)


def test_docx_core_and_custom_properties_and_rights_section() -> None:
    import docx

    data = render(ARTICLE, "docx", source_date_epoch=1_600_000_000)
    document = docx.Document(io.BytesIO(data))
    core = document.core_properties
    assert core.title == "A Made-up Title"
    assert core.author == "Ann Writer; Ben Second" or "Ann Writer" in core.author
    assert core.language == "en"
    assert "Rivers" in core.keywords
    custom = zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml").decode()
    assert "artconv-rights-copyright" in custom and "Example Press" in custom
    assert "artconv-rights-licence-url" in custom and RIGHTS.licence_url in custom
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Rights")
    tail = "\n".join(texts[start:])
    assert "Copyright: Copyright © 2019 Ann Writer, Example Press" in tail
    assert "The press takes no responsibility." in tail and "Fair use: Quoted under fair use." in tail


def test_docx_is_deterministic() -> None:
    options = {"source_date_epoch": 1_600_000_000}
    assert render(ARTICLE, "docx", **options) == render(ARTICLE, "docx", **options)


def test_odt_meta_and_rights_section() -> None:
    from odf import meta, text  # type: ignore[import-untyped]
    from odf.opendocument import load  # type: ignore[import-untyped]

    doc = load(io.BytesIO(render(ARTICLE, "odt")))
    titles = [str(t) for t in doc.meta.getElementsByType(meta.UserDefined)]
    names = [t.getAttribute("name") for t in doc.meta.getElementsByType(meta.UserDefined)]
    assert "artconv-rights-disclaimer" in names and any("no responsibility" in t for t in titles)
    from odf import dc

    assert str(doc.meta.getElementsByType(dc.Title)[0]) == "A Made-up Title"
    body = " ".join(str(p) for p in doc.getElementsByType(text.P))
    assert "Ann Writer, Example Press" in body and "desk@press.example" in body


def test_jats_permissions_and_disclaimer_notes() -> None:
    root = etree.fromstring(render(ARTICLE, "jats"))
    perm = root.find(".//article-meta/permissions")
    assert perm is not None
    assert " ".join(perm.findtext("copyright-statement", "").split()) == RIGHTS.copyright
    assert perm.findtext("copyright-year") == "2019"
    assert perm.findtext("copyright-holder") == "Ann Writer, Example Press"
    licence = perm.find("license")
    assert licence is not None and RIGHTS.licence_url in etree.tostring(licence, encoding="unicode")
    notes = root.findall(".//back/notes[@notes-type='disclaimer']/p")
    assert [n.text for n in notes] == ["The views are the writer's own.", "The press takes no responsibility."]
    assert root.find(".//back/notes[@notes-type='fair-use']") is not None


def test_typst_output_compiles(tmp_path: pytest.TempPathFactory) -> None:
    typst = pytest.importorskip("typst")
    source = render(ARTICLE, "typst")
    assert b"Colophon" in source and b"Example Press" in source
    path = tmp_path / "a.typ"  # type: ignore[operator]
    path.write_bytes(source)
    pdf = typst.compile(str(path))
    assert pdf[:5] == b"%PDF-"


@pytest.mark.parametrize("name", ["latex", "rst", "asciidoc", "org", "mediawiki", "rtf", "plain"])
def test_text_writers_keep_rights(name: str) -> None:
    out = render(ARTICLE, name).decode("utf-8")
    assert "Example Press" in out and "fair use" in out
    assert ("Colophon" if name == "latex" else "Rights") in out


def test_remote_images_are_not_fetched_for_embedding_formats() -> None:
    from convert.errors import collect_warnings

    with collect_warnings() as seen:
        render(ARTICLE, "odt")
    assert any(w.code == "pandoc.image-left-out" for w in seen)


def test_any_pandoc_writer_by_prefix() -> None:
    spec = get_writer("pandoc:html5")
    assert spec.name == "pandoc:html5" and writer_facts("pandoc:html5").extension == ".html"
    assert writer_facts("pandoc:dokuwiki").extension == ".txt" and get_writer("pandoc:fb2").extension == ".fb2"
    assert b"A Made-up Title" in render(ARTICLE, "pandoc:html5")
    assert get_writer("pandoc:pptx").facts().binary


def test_reference_doc(tmp_path: pytest.TempPathFactory) -> None:
    from convert.errors import OutputError

    reference = tmp_path / "ref.docx"  # type: ignore[operator]
    reference.write_bytes(render(ARTICLE, "docx"))
    assert render(ARTICLE, "docx", reference_doc=str(reference))[:2] == b"PK"
    with pytest.raises(OutputError):
        render(ARTICLE, "docx", reference_doc=str(tmp_path / "missing.docx"))  # type: ignore[operator]


def test_the_sample_as_typst_compiles_with_its_colophon(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from convert.api import read

    typst = pytest.importorskip("typst")
    sample = read(Path(__file__).resolve().parent.parent / "samples" / "russia-pakistan-relationship.md")
    source = render(sample, "typst")
    assert b"[Colophon]" in source and b"Fair use:" in source
    path = tmp_path / "sample.typ"  # type: ignore[operator]
    path.write_bytes(source)
    assert typst.compile(str(path))[:5] == b"%PDF-"
