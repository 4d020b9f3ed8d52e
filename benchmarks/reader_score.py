"""Score the article readers on a corpus of real files with hand-written expectations.

A corpus is a folder of article files and an ``EXPECTED.jsonl``: one JSON object a line with
``file``, ``title``, ``authors``, ``date`` (ISO), ``language``, ``publisher_or_site``,
``source_url``, ``notes`` (a count), ``rights`` (a line of the rights furniture, verbatim) and
``chrome`` (lines that must not be left in the body).  Each file is read the way ``artconv FILE``
reads it (format detected), and each field is compared:

* ``title``, ``site``, ``source_url``: equal after collapsing white space (``site`` matches the
  publisher or the site name);
* ``authors``: the same names in any order;
* ``date``: the same day (an expected ``YYYY-MM`` matches a date of that month);
* ``language``: the same primary language subtag;
* ``notes``: the same count;
* ``rights``: the expected line (markup and entities removed) is inside one of the rights fields;
* ``chrome``: none of the lines is left in the body.

A field is scored over the files where the expectation has a value ("files that have them");
``extra`` counts files where the expectation is empty and the reader found something anyway.  The
script also counts files refused and paragraphs over 5,000 characters.

Run: ``python benchmarks/reader_score.py [CORPUS] [--verbose]``; the default corpus is
``tests/fixtures/corpus`` (a copy of the development corpus).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT / "tests" / "fixtures" / "corpus"
FIELDS = ("title", "authors", "date", "language", "site", "source_url", "notes", "rights", "chrome")
#: The fields of the issue's target (90 % of the files that have them).
TARGET = ("title", "authors", "date", "language", "rights")
LONG_PARAGRAPH = 5000


def _norm(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split()).strip()


_LABEL = re.compile(r"^(?:disclaimer|licen[cs]e|copyright notice|note|editor's note)\s*:\s*", re.IGNORECASE)


@dataclass
class Score:
    right: int = 0
    total: int = 0
    extra: int = 0
    wrong: list[str] = field(default_factory=list)


def _rights_texts(article: Any) -> list[str]:
    r = article.metadata.rights
    return [_norm(v) for v in (r.copyright, r.disclaimer, r.fair_use, r.licence, r.source, r.contact) if v]


def _paragraphs(article: Any) -> list[Any]:
    from convert.ir.model import Paragraph
    from convert.ir.walk import query

    return query(lambda n: (n,) if isinstance(n, Paragraph) else (), article)


def _body_text(article: Any) -> str:
    from convert.ir.walk import plain_text

    parts = [plain_text(p.content) for p in _paragraphs(article)]
    return _norm("\n".join(parts))


def _got(article: Any, name: str) -> Any:
    m = article.metadata
    match name:
        case "title":
            return _norm(m.title) or None
        case "authors":
            return sorted(_norm(a) for a in m.authors) or None
        case "date":
            return m.date.isoformat() if m.date else None
        case "language":
            return m.language.split("-")[0].lower() or None
        case "site":
            names = [_norm(v) for v in (m.publisher, getattr(m, "site", "")) if v]
            return names or None
        case "source_url":
            return m.source_url or None
        case "notes":
            return len(article.notes)
        case "rights":
            return _rights_texts(article) or None
    raise ValueError(name)


def _right(name: str, want: Any, got: Any, article: Any) -> bool:
    match name:
        case "title" | "source_url":
            return bool(got) and _norm(str(want)) == got
        case "authors":
            return got == sorted(_norm(a) for a in want)
        case "date":
            return bool(got) and str(got).startswith(str(want))
        case "language":
            return got == str(want).split("-")[0].lower()
        case "site":
            return bool(got) and _norm(str(want)) in got
        case "notes":
            return bool(got == want)
        case "rights":
            # the rights record keeps a statement without its label ("Disclaimer: ..." -> "...")
            line = _norm(str(want))
            unlabelled = _LABEL.sub("", line)
            return bool(got) and any(line in text or unlabelled in text for text in got)
        case "chrome":
            body = _body_text(article)
            return not any(_norm(line) and _norm(line) in body for line in want)
    raise ValueError(name)


def score(corpus: Path, verbose: bool = False) -> dict[str, Any]:
    """Per-field scores of reading every file of ``corpus`` (see the module's doc)."""
    from convert import api
    from convert.errors import ArtconvError
    from convert.ir.walk import plain_text

    scores = {name: Score() for name in FIELDS}
    refused: list[str] = []
    long_paragraphs: list[str] = []
    perfect = 0
    rows = [json.loads(line) for line in (corpus / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        path = corpus / row["file"]
        try:
            article = api.parse(path.read_bytes(), name=str(path))
        except ArtconvError as exc:
            refused.append(f"{row['file']}: {exc}")
            for name in FIELDS:
                scores[name].total += 1
            continue
        longest = max((len(plain_text(p.content)) for p in _paragraphs(article)), default=0)
        if longest > LONG_PARAGRAPH:
            long_paragraphs.append(f"{row['file']}: {longest} characters")
        all_right = True
        for name in FIELDS:
            want = row.get("publisher_or_site" if name == "site" else name)
            got = None if name == "chrome" else _got(article, name)
            s = scores[name]
            if want in (None, [], ""):
                if got not in (None, [], 0) and name != "chrome":
                    s.extra += 1
                continue
            s.total += 1
            if _right(name, want, got, article):
                s.right += 1
            else:
                all_right = False
                s.wrong.append(f"{row['file']}: want {want!r} got {got!r}"[:300])
        perfect += all_right
    result = {
        "files": len(rows),
        "perfect": perfect,
        "refused": refused,
        "long_paragraphs": long_paragraphs,
        "fields": {name: {"right": s.right, "total": s.total, "extra": s.extra} for name, s in scores.items()},
    }
    if verbose:
        for name, s in scores.items():
            for line in s.wrong:
                print(f"  {name}: {line}")
    return result


def table(result: dict[str, Any]) -> str:
    """The scores as a Markdown table."""
    lines = ["| field | right | of | % | found where none expected |", "|---|---:|---:|---:|---:|"]
    for name, s in result["fields"].items():
        pct = 100 * s["right"] / s["total"] if s["total"] else 100.0
        mark = " (target)" if name in TARGET else ""
        lines.append(f"| {name}{mark} | {s['right']} | {s['total']} | {pct:.0f} | {s['extra']} |")
    lines.append("")
    lines.append(
        f"{result['files']} files, {result['perfect']} with every field right, {len(result['refused'])} refused, "
        f"{len(result['long_paragraphs'])} with a paragraph over {LONG_PARAGRAPH:,} characters."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", nargs="?", default=str(DEFAULT), help="folder with article files and EXPECTED.jsonl")
    p.add_argument("--verbose", "-v", action="store_true", help="print every wrong field")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = p.parse_args(argv)
    import warnings

    warnings.simplefilter("ignore")
    result = score(Path(args.corpus), verbose=args.verbose)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(table(result))
        for line in result["refused"] + result["long_paragraphs"]:
            print(f"  {line}")
    missed = [
        n
        for n in TARGET
        if result["fields"][n]["total"] and result["fields"][n]["right"] < 0.9 * result["fields"][n]["total"]
    ]
    return 1 if missed or result["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
