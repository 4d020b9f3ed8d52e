"""The rights rules of the article reader: copyright lines in any script, licences, disclaimers,
reprint permissions, where in the article they are taken from, and rights in HTML comments.

Synthetic strings only: each rule is shown on text invented for it, in several scripts.
"""

from __future__ import annotations

import pytest

from convert.ir.model import BulletList, Heading, Paragraph, Text
from convert.ir.rights import parse_copyright
from convert.readers._mdparse import parse_blocks
from convert.readers.article import read_article
from convert.readers.article.draft import Draft, Fields
from convert.readers.article.rights import classify_line, licence_of, take_rights

# --------------------------------------------------------------------------- copyright statements


@pytest.mark.parametrize(
    ("statement", "holders", "year"),
    [
        ("Copyright © Иван Петров, 2019", ("Иван Петров",), 2019),
        ("© Øystein Berg, 2019", ("Øystein Berg",), 2019),
        ("Copyright © 東京新聞, 2019", ("東京新聞",), 2019),
        ("Copyright © the author, 2019", ("the author",), 2019),
        ("Copyright (c) 2023 Ana Lima. All rights reserved.", ("Ana Lima",), 2023),
        ("Copyright (C) The Example Society (1998).  All Rights Reserved.", ("The Example Society",), 1998),
        ("Copyright 1999, Kenji Sato", ("Kenji Sato",), 1999),
        ("© 2019–2023 Nadia Haddad", ("Nadia Haddad",), 2019),
        ("Copyright © 2019-2023 Ann Example and Example Press", ("Ann Example", "Example Press"), 2019),
        ("© 2021 Мария Иванова. Все права защищены.", ("Мария Иванова",), 2021),
        ("Copyright © 2020 Jean Dupont. Tous droits réservés.", ("Jean Dupont",), 2020),
        ("©2018 Beispiel GmbH, alle Rechte vorbehalten", ("Beispiel GmbH",), 2018),
        ("Copyright: © 2017 Λίνα Παππά", ("Λίνα Παππά",), 2017),
        ("Copyright © 2020 Smith & Sons", ("Smith & Sons",), 2020),
        ("© 2021 Anna Beispiel und Beispiel Verlag", ("Anna Beispiel", "Beispiel Verlag"), 2021),
        ("© 2022 山田太郎、佐藤花子", ("山田太郎", "佐藤花子"), 2022),
    ],
)
def test_copyright_holders_and_year_in_any_script(statement: str, holders: tuple[str, ...], year: int) -> None:
    assert parse_copyright(statement) == (holders, year)
    assert classify_line(statement) == ("copyright", " ".join(statement.split()))


@pytest.mark.parametrize(
    "text",
    [
        "Copyright Notice",
        "Copyright law protects the expression of ideas, not the ideas themselves.",
        "The copyright of this article, the author said, stays with her.",
        "© symbols appear on many products.",
        "Copyrights",
    ],
)
def test_copyright_look_alikes_are_not_statements(text: str) -> None:
    assert classify_line(text) is None


# --------------------------------------------------------------------------- licences


@pytest.mark.parametrize(
    ("line", "spdx", "url"),
    [
        ("This article is licensed under CC BY 4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
        (
            "The text is licensed under a Creative Commons Attribution 3.0 License",
            "CC-BY-3.0",
            "https://creativecommons.org/licenses/by/3.0/",
        ),
        (
            "Licensed under a Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International License.",
            "CC-BY-NC-SA-4.0",
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        ),
        ("SPDX-License-Identifier: CC-BY-4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
        ("CC0", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("Ce texte est publié sous licence CC BY-NC-ND 4.0.", "CC-BY-NC-ND-4.0", ""),
        ("Dieser Artikel steht unter der Lizenz CC BY-SA 3.0 DE.", "CC-BY-SA-3.0-DE", ""),
        ("Текст доступен по лицензии CC BY 4.0.", "CC-BY-4.0", ""),
        ("The content of this page is licensed under the MIT License.", "MIT", ""),
        ("This documentation is available under the Apache License, Version 2.0.", "Apache-2.0", ""),
        ("Docs released under the BSD 3-Clause License.", "BSD-3-Clause", ""),
        ("License: CC BY 4.0", "CC-BY-4.0", ""),
    ],
)
def test_licence_lines_give_the_spdx_id_and_the_url(line: str, spdx: str, url: str) -> None:
    assert classify_line(line) == ("licence", line)
    found = licence_of(line)
    assert found[0] == spdx
    if url:
        assert found[1] == url
    elif spdx.startswith("CC-"):
        assert found[1].startswith("https://creativecommons.org/licenses/")


def test_a_licence_link_gives_its_own_url() -> None:
    draft = _draft(
        "Text of the article, long enough to be prose in the body.\n\n"
        "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/deed.fr)\n"
    )
    take_rights(draft)
    assert draft.fields["licence"] == "CC BY-SA 4.0"
    assert draft.fields["licence_id"] == "CC-BY-SA-4.0"
    assert draft.fields["licence_url"] == "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"


@pytest.mark.parametrize(
    "line",
    [
        "This document has been placed in the public domain.",
        "This work is dedicated to the public domain.",
        "Reprinted with permission from The Example Review.",
        "Republished with permission of Example Press.",
        "Перепечатано с разрешения редакции.",
    ],
)
def test_public_domain_and_reprint_permissions_are_licence_lines(line: str) -> None:
    assert classify_line(line) == ("licence", line)


@pytest.mark.parametrize(
    "text",
    [
        "The library we wrote about is licensed under many terms, which we discuss below at length.",
        "We asked for permission to reprint the letter, and the family agreed after a week.",
        "The public domain is larger than most people think.",
    ],
)
def test_licence_look_alikes(text: str) -> None:
    assert classify_line(text) is None


# --------------------------------------------------------------------------- disclaimers and sources


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Disclaimer: The views are mine alone.", "The views are mine alone."),
        ("The views expressed here are those of the author alone.", None),
        ("All opinions are my own and do not reflect those of my employer.", None),
        ("EPA Editor’s Note: The views expressed here are intended to explain agency policy.", None),
        ("Reference to any non-federal entity does not constitute or imply its endorsement by the agency.", None),
        ("This site links to outside websites; we neither endorse nor guarantee their content.", None),
        (
            "Haftungsausschluss: Die Autorin gibt ihre eigene Meinung wieder.",
            "Die Autorin gibt ihre eigene Meinung wieder.",
        ),
        ("Отказ от ответственности: мнение автора может не совпадать с мнением редакции.", None),
        ("免責事項：本記事は情報提供のみを目的としています。", None),
    ],
)
def test_disclaimers(line: str, value: str | None) -> None:
    found = classify_line(line)
    assert found is not None and found[0] == "disclaimer"
    if value is not None:
        assert found[1] == value
    else:
        assert found[1].endswith(line.split(":", 1)[-1].split("：", 1)[-1].strip())


@pytest.mark.parametrize(
    "line",
    [
        "This article was originally published on Example News.",
        "Originally published in The Harbour Gazette, May 2019.",
        "This post first appeared on the Example Blog.",
    ],
)
def test_source_lines(line: str) -> None:
    assert classify_line(line) == ("source", line)


# --------------------------------------------------------------------------- where rights are taken


PROSE = "A paragraph of the article's own text, which goes on for a while and ends properly."


def _draft(text: str) -> Draft:
    doc = parse_blocks(text, scraper=True)
    return Draft(Fields(), doc.blocks, doc.footnotes)


def _texts(draft: Draft) -> list[str]:
    from convert.ir.walk import plain_text

    return [plain_text(b.content) if isinstance(b, Paragraph | Heading) else type(b).__name__ for b in draft.blocks]


def test_rights_at_the_end_after_lists_are_taken() -> None:
    draft = _draft(
        f"{PROSE}\n\n{PROSE}\n\nBibliography\n\n1. One book.\n2. Another book.\n\n---\n\nCopyright 1999, Kenji Sato\n"
    )
    take_rights(draft)
    assert draft.fields["copyright"] == "Copyright 1999, Kenji Sato"
    assert "Copyright 1999, Kenji Sato" not in _texts(draft)
    assert isinstance(draft.blocks[3], type(draft.blocks[3])) and "OrderedList" in _texts(draft)


def test_a_disclaimer_before_the_text_is_taken() -> None:
    draft = _draft(f"_Reference to any outside entity does not constitute or imply its endorsement._\n\n{PROSE}\n")
    take_rights(draft)
    assert draft.fields["disclaimer"].startswith("Reference to any outside entity")
    assert _texts(draft) == [PROSE]


def test_a_rights_line_in_the_middle_of_the_prose_stays() -> None:
    text = "\n\n".join([PROSE] * 3 + ["Copyright © Ann Example, 2019"] + [PROSE] * 4)
    draft = _draft(text)
    take_rights(draft)
    assert "copyright" not in draft.fields
    assert "Copyright © Ann Example, 2019" in _texts(draft)


def test_a_copyright_section_is_taken_whole() -> None:
    text = "\n\n".join(
        [PROSE] * 3
        + [
            "Full Copyright Statement",
            "Copyright (C) The Example Society (2001).  All Rights Reserved.",
            "This document may be copied and furnished to others, provided that the notice is kept.",
            'This document is provided on an "AS IS" basis and the society disclaims all warranties.',
        ]
    )
    draft = _draft(text)
    take_rights(draft)
    assert _texts(draft) == [PROSE] * 3
    assert draft.fields["copyright"].startswith("Copyright (C) The Example Society (2001). All Rights Reserved.\n\n")
    assert "may be copied" in draft.fields["copyright"]
    assert draft.fields["disclaimer"].startswith('This document is provided on an "AS IS" basis')


def test_a_copyright_heading_with_a_licence_under_it() -> None:
    text = "\n\n".join([PROSE] * 3 + ["## Copyright", "This document has been placed in the public domain."])
    draft = _draft(text)
    take_rights(draft)
    assert _texts(draft) == [PROSE] * 3
    assert draft.fields["licence"] == "This document has been placed in the public domain."


def test_a_section_called_copyright_with_prose_stays() -> None:
    text = "\n\n".join([PROSE, "## Copyright", "Copyright law differs from one country to the next, as we saw.", PROSE])
    draft = _draft(text)
    take_rights(draft)
    assert "copyright" not in draft.fields and len(draft.blocks) == 4


def test_a_notice_at_the_top_under_its_own_heading() -> None:
    text = "\n\n".join(
        [
            "Status of this Memo",
            PROSE,
            "Copyright Notice",
            "Copyright (C) The Example Society (2001).  All Rights Reserved.",
            "Abstract",
            PROSE,
            PROSE,
            PROSE,
            PROSE,
        ]
    )
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["copyright"] == "Copyright (C) The Example Society (2001). All Rights Reserved."
    assert "Copyright Notice" not in _texts(draft) and "Abstract" in _texts(draft)


def test_emphasised_parts_of_one_paragraph_are_read_apart() -> None:
    text = (
        f"{PROSE}\n\n_Editor’s Note: The views expressed here are the author’s own._ "
        "_This post was [originally published on the Example Blog](https://blog.example/post) by Ann Example._\n"
    )
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["disclaimer"] == "Editor’s Note: The views expressed here are the author’s own."
    assert draft.fields["source"] == "This post was originally published on the Example Blog by Ann Example."
    assert _texts(draft) == [PROSE]


def test_weak_lines_only_after_a_strong_one() -> None:
    draft = _draft(f"{PROSE}\n\nContact: editors@example.org\n")
    take_rights(draft)
    assert "contact" not in draft.fields
    draft = _draft(f"{PROSE}\n\nCopyright 2020 Example Press\n\nContact: editors@example.org\n")
    take_rights(draft)
    assert draft.fields["contact"] == "Contact: editors@example.org"


def test_a_note_that_is_a_disclaimer_is_also_the_disclaimer() -> None:
    text = (
        f"{PROSE} See the links.[^1]\n\n"
        "[^1]: We provide these links as a public service only; the agency neither endorses nor guarantees them.\n"
    )
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["disclaimer"].startswith("We provide these links")
    assert len(draft.footnotes) == 1  # the note stays a note


def test_the_same_statement_twice_is_kept_once() -> None:
    line = "Copyright (C) The Example Society (2001). All Rights Reserved."
    text = "\n\n".join(["Copyright Notice", line, PROSE, PROSE, "Full Copyright Statement", line])
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["copyright"] == line


def test_rights_in_other_scripts_at_the_end() -> None:
    text = "\n\n".join(["Текст статьи, достаточно длинный, чтобы быть прозой в теле статьи.", "© Иван Петров, 2019"])
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["copyright"] == "© Иван Петров, 2019"
    text = "\n\n".join(
        ["本文の段落です。これは記事の本文で、十分な長さがあります。日本語の文章です。", "Copyright © 東京新聞, 2019"]
    )
    draft = _draft(text)
    take_rights(draft)
    assert draft.fields["copyright"] == "Copyright © 東京新聞, 2019"


def test_list_items_are_never_rights() -> None:
    draft = _draft(f"{PROSE}\n\n- Copyright 2020 Example Press\n- another item\n")
    take_rights(draft)
    assert "copyright" not in draft.fields and isinstance(draft.blocks[1], BulletList)


# --------------------------------------------------------------------------- HTML comments


def test_rights_in_html_comments_are_read() -> None:
    text = (
        "<!-- Copyright (c) 2023 Ana Lima. All rights reserved. -->\n"
        "<!-- SPDX-License-Identifier: CC-BY-4.0 -->\n"
        "<!-- This file is part of a blog -->\n\n"
        "# A title\n\n"
        f"{PROSE}\n\n"
        "```html\n<!-- Copyright 1999 Someone Else -->\n```\n"
    )
    article = read_article(text.encode(), detect_language=False)
    rights = article.metadata.rights
    assert rights.copyright == "Copyright (c) 2023 Ana Lima. All rights reserved."
    assert rights.copyright_holders == ("Ana Lima",)
    assert rights.licence == "SPDX-License-Identifier: CC-BY-4.0"
    if hasattr(rights, "licence_id"):
        assert rights.licence_id == "CC-BY-4.0"
        assert rights.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert not any(
        isinstance(b, Paragraph) and b.content == (Text("This file is part of a blog"),) for b in article.body
    )


def test_an_ordinary_comment_gives_no_rights() -> None:
    article = read_article(
        b"<!-- draft: check the figures -->\n\n# A title\n\n" + PROSE.encode(), detect_language=False
    )
    assert article.metadata.rights.is_empty()
