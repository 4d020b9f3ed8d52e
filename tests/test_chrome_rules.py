"""The chrome rules of the article reader: what a site or a saving tool adds around an article.

Synthetic strings only, in several languages; each rule has look-alikes that must stay.
"""

from __future__ import annotations

import logging

import pytest

from convert.errors import collect_warnings
from convert.ir.walk import plain_text
from convert.readers._mdparse import parse_blocks
from convert.readers.article.chrome import SITE_PROFILES, is_chrome_text, strip_chrome
from convert.readers.article.draft import Draft, Fields

PROSE = "A paragraph of the article's own text, which goes on for a while and ends properly."


def _strip(text: str, **fields: object) -> list[str]:
    doc = parse_blocks(text, scraper=True)
    draft = Draft(Fields(fields), doc.blocks, doc.footnotes)
    strip_chrome(draft)
    out: list[str] = []
    for block in draft.blocks:
        content = getattr(block, "content", None)
        out.append(plain_text(content) if isinstance(content, tuple) else type(block).__name__)
    return out


# --------------------------------------------------------------------------- chrome sentences


@pytest.mark.parametrize(
    "line",
    [
        # newsletters
        "Want to read more great content like this? Sign up for our weekly newsletter!",
        "Sign up for our newsletter to get the latest stories in your inbox.",
        "Get our best stories delivered to your inbox every morning.",
        "Enter your email address to subscribe.",
        "Abonnez-vous à notre newsletter.",
        "Newsletter abonnieren",
        "Подпишитесь на нашу рассылку.",
        "Suscríbete a nuestro boletín.",
        # paywalls
        "Subscribe to continue reading.",
        "You have reached your limit of free articles this month.",
        "Already a subscriber? Log in.",
        "This article is for subscribers only.",
        # donations
        "Please consider donating to keep this site independent.",
        "Support our journalism with a donation today.",
        "If you value our reporting, please become a supporter.",
        "Your donation helps us keep the lights on.",
        "Buy me a coffee",
        "Поддержите нас.",
        # share your story
        "Share your story with us.",
        "Do you have a story to share? Contact our newsroom.",
        "We want to hear from you.",
    ],
)
def test_chrome_sentences(line: str) -> None:
    assert is_chrome_text(line)
    assert _strip(f"{PROSE}\n\n{line}\n") == [PROSE]


@pytest.mark.parametrize(
    "line",
    [
        "She signed up for the newsletter in 2019 and has read every issue since, she told us.",
        "Readers who subscribe to several papers, the survey found, read more of each of them.",
        "The charity asked for donations after the flood, and the town gave generously.",
        "He wanted to share his story with the court, but the judge refused to hear it.",
        "Подписка на газеты в деревне падала каждый год, пишет автор исследования.",
    ],
)
def test_prose_that_mentions_chrome_words_stays(line: str) -> None:
    assert not is_chrome_text(line)
    assert _strip(f"{PROSE}\n\n{line}\n") == [PROSE, line]


def test_a_site_profile_is_data() -> None:
    assert all(profile.name and (profile.chrome or profile.source) for profile in SITE_PROFILES)
    assert is_chrome_text("Support Global Research today.")


# --------------------------------------------------------------------------- blocks


@pytest.mark.parametrize(
    "block",
    [
        '{% include references.md %}\n{% include linkers/issues.md v=2 issues="1,2" %}',
        '{{< ref "/topics/x" >}}',
        "{{ page.title }}",
        "\\toc",
        "[TOC]",
        "Local Variables:\nmode: indented-text\nfill-column: 70\nEnd:",
        "vim: set ts=4 sw=4 et:",
        "table { font-size: 1rem; }\n.note p { color: #333; margin: 0 }",
        "<style>\ntable { font-size: 1rem; }\n</style>",
        "</script>",
        "\\<style\\>\ntable { font-size: 1rem; }\n\\</style\\>",
        "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}",
        "PubMed Abstract | CrossRef Full Text | Google Scholar",
        "[Documents](https://ex.org/doc/) [Packages](https://ex.org/pkg/) [Help](https://ex.org/help/)submit search",
        "[Terms of Service](https://ex.org/tos) \\|\n[Privacy Policy](https://ex.org/privacy) \\|\n[Source](https://ex.org/src)",
    ],
)
def test_chrome_blocks(block: str) -> None:
    assert _strip(f"{PROSE}\n\n{block}\n\n{PROSE}\n") == [PROSE, PROSE]


@pytest.mark.parametrize(
    ("block", "text"),
    [
        ("The template used {{ double braces }} around its names, as this article explains.", None),
        ("We set `font-size: 1rem` in the stylesheet, and the table became readable again.", None),
        (
            "See [the first study](https://ex.org/a), [the second](https://ex.org/b) and [a third](https://ex.org/c).",
            "See the first study, the second and a third.",
        ),
        ("Local variables are kept on the stack, as the next section shows at length.", None),
        ("Copyright notices and PubMed Abstract pages are discussed in the next part.", None),
        ('{{< figure src="harbour.png" alt="The harbour at dawn" >}}', None),
        ('{{image "maps/harbour.png" 600}}', None),
    ],
)
def test_look_alike_blocks_stay(block: str, text: str | None) -> None:
    assert _strip(f"{PROSE}\n\n{block}\n") == [PROSE, text or block.replace("`", "")]


def test_a_scholarly_row_at_the_end_of_a_reference_is_cut_off() -> None:
    ref = "Smith, J. (2019). A study of things. Journal of Examples 12, 3–4. doi: 10.1000/xyz"
    assert _strip(f"{PROSE}\n\n{ref}\nPubMed Abstract | CrossRef Full Text | Google Scholar\n") == [PROSE, ref]


@pytest.mark.parametrize(
    "heading",
    [
        "## Related articles",
        "#### Next article",
        "Trackbacks:",
        "### You may also like",
        "## Похожие статьи",
        "## Artículos relacionados",
        "## 関連記事",
    ],
)
def test_related_lists_go_with_their_heading(heading: str) -> None:
    text = f"{PROSE}\n\n{heading}\n\n- [One](https://ex.org/1)\n- [Two](https://ex.org/2)\n"
    assert _strip(text) == [PROSE]
    text = f"{PROSE}\n\n{heading}\n\n[One more](https://ex.org/1)\n"
    assert _strip(text) == [PROSE]


def test_a_related_heading_over_prose_stays() -> None:
    text = f"{PROSE}\n\n## Related work\n\n{PROSE}\n\n## Related articles\n\n{PROSE}\n"
    assert _strip(text) == [PROSE, "Related work", PROSE, "Related articles", PROSE]


@pytest.mark.parametrize(
    "heading", ["## Table of contents", "**Contents**", "## Inhaltsverzeichnis", "## Содержание", "## 目次"]
)
def test_tables_of_contents(heading: str) -> None:
    text = f"{heading}\n\n- [Introduction](#intro)\n- [Method](#method)\n\n{PROSE}\n"
    assert _strip(text) == [PROSE]


def test_a_list_of_the_headings_at_the_top_is_a_table_of_contents() -> None:
    sections = f"## Introduction\n\n{PROSE}\n\n## Method\n\n{PROSE}\n"
    text = f"- [Introduction](#intro)\n- [Method](#method)\n\n{PROSE}\n\n{sections}"
    assert _strip(text) == [PROSE, "Introduction", PROSE, "Method", PROSE]
    # a list of other things at the top, or the same list further down, is the article's
    text = f"- Boats\n- Harbours\n\n{PROSE}\n\n## Boats\n\n{PROSE}\n"
    assert _strip(text) == ["BulletList", PROSE, "Boats", PROSE]
    text = f"{PROSE}\n\n- Introduction\n- Method\n\n## Introduction\n\n{PROSE}\n\n## Method\n"
    assert _strip(text) == [PROSE, "BulletList", "Introduction", PROSE, "Method"]


def test_a_contents_heading_over_prose_stays() -> None:
    text = f"## Contents\n\n{PROSE}\n"
    assert _strip(text) == ["Contents", PROSE]


@pytest.mark.parametrize(
    "heading", ["## About the author", "**About the Author**", "## Об авторе", "## Über die Autorin"]
)
def test_author_bio_boxes(heading: str) -> None:
    bio = "Ann Example writes about harbours. She lives by the sea."
    assert _strip(f"{PROSE}\n\n{heading}\n\n{bio}\n") == [PROSE]


def test_a_bio_that_starts_with_the_authors_name_at_the_end() -> None:
    bio = "*Ann Example is a reporter at The Example Gazette. She covers the harbour.*"
    assert _strip(f"{PROSE}\n\n{PROSE}\n\n{bio}\n", authors=("Ann Example",)) == [PROSE, PROSE]
    # in the middle of the article, or for someone else, it is text
    assert len(_strip(f"{PROSE}\n\n{bio}\n\n{PROSE}\n", authors=("Ann Example",))) == 3
    assert len(_strip(f"{PROSE}\n\n{bio}\n", authors=("Bob Other",))) == 2


def test_navigation_above_the_article() -> None:
    text = f"[The Example Site](https://ex.org/)\n\n▽\n\n[Blog index](https://ex.org/blog/index)\n\n{PROSE}\n"
    assert _strip(text) == [PROSE]


def test_a_lone_link_in_the_article_stays() -> None:
    text = f"{PROSE}\n\n[The full report](https://ex.org/report.pdf)\n"
    assert _strip(text) == [PROSE, "The full report"]


def test_dropped_blocks_are_counted() -> None:
    with collect_warnings(level=logging.INFO) as found:
        _strip(f"{PROSE}\n\nSubscribe to continue reading.\n\n{{% include x.md %}}\n")
    assert [w.code for w in found] == ["chrome.dropped"]
    assert "2 blocks" in found[0].message
    with collect_warnings() as found:
        _strip(f"{PROSE}\n\nSubscribe to continue reading.\n")
    assert found == []
