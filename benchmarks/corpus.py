"""A corpus of N varied articles for benchmarks and tests, made from the sample and synthetic variants.

Deterministic (same ``n`` and ``seed``: same bytes).  Articles are spread over
a ``YEAR/MONTH/`` tree, like a real archive, in four kinds:

* ``sample`` (about half): the sample article re-dressed, with another title,
  author(s), date, region and theme, its paragraphs subset and shuffled and
  its notes kept, saved as a ``.md`` page dump;
* ``structured``: a saved page with sub-headings, lists, a quotation, a
  figure caption and numeric notes, built from the sample's vocabulary;
* ``frontmatter``: clean Markdown with YAML front matter and ``[^n]`` notes
  (what artconv's own ``md`` writer emits);
* ``plain``: a ``.txt`` file, a title line and paragraphs.

Sizes vary from about half to one and a half times the sample's (about 9 kB);
:func:`generate` returns the count and the mean size.  ``bad`` adds that many
broken inputs (an HTML page, an empty file, undecodable bytes, a broken JSON
file) which a batch must report and survive.

Run: ``python benchmarks/corpus.py N DEST`` writes a corpus.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "russia-pakistan-relationship.md"

AUTHORS = (
    "Farooq Yousaf", "Amina Qureshi", "Daniel Ortega Ruiz", "Mei Lin", "Tomasz Wójcik", "Sara Haddad",
    "Jonas Berg", "Priya Raman", "Kofi Asante", "Elena Petrova", "Lucas Moreau", "Hana Sato",
)  # fmt: skip
REGIONS = ("Asia", "Russia and FSU", "Europe", "Middle East & North Africa", "Latin America & Caribbean", "Africa")
THEMES = ("Oil and Energy", "Global Economy", "Politics", "US NATO War Agenda", "Environment", "History")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@dataclass(frozen=True)
class _Sample:
    paragraphs: tuple[str, ...]
    notes: tuple[str, ...]  # the note texts (URLs), in order
    footer: str  # from "Articles by" down (chrome, disclaimer, fair use, contact)
    words: tuple[str, ...]


def _load_sample() -> _Sample:
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    theme = next(i for i, line in enumerate(lines) if line.startswith("Theme:"))
    notes_at = next(i for i, line in enumerate(lines) if line.startswith("#### Notes"))
    source_at = next(i for i, line in enumerate(lines) if line.startswith("The original source"))
    body = "\n".join(lines[theme + 1 : notes_at])
    paragraphs = tuple(
        p.strip() for p in re.split(r"\n\s*\n", body) if p.strip() and not p.strip().startswith("*Presidents")
    )
    notes = tuple(re.sub(r"^- \[ *[ivx]+ *\] ", "", line) for line in lines[notes_at + 1 : source_at] if line.strip())
    articles_by = next(i for i, line in enumerate(lines) if line.startswith("Articles by:"))
    footer = "\n".join(lines[articles_by + 1 :]).strip()
    words = tuple(w for w in re.findall(r"[A-Za-z][a-z']+", re.sub(r"\[[^\]]*\]|<[^>]*>|\(http[^)]*\)", "", body)))
    return _Sample(paragraphs, notes, footer, words)


def _sentence(rng: random.Random, words: tuple[str, ...], lo: int = 8, hi: int = 24) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(lo, hi))]
    return " ".join([chosen[0].capitalize(), *chosen[1:]]) + ("?" if rng.random() < 0.1 else ".")


def _paragraph(rng: random.Random, words: tuple[str, ...], sentences: tuple[int, int] = (3, 7)) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(*sentences)))


def _title(rng: random.Random, words: tuple[str, ...]) -> str:
    return " ".join(w.capitalize() for w in (rng.choice(words) for _ in range(rng.randint(4, 9))))


def _byline(names: list[str]) -> str:
    links = [f"[{n}](#)" for n in names]
    return links[0] if len(links) == 1 else ", ".join(links[:-1]) + " and " + links[-1]


def _header(rng: random.Random, title: str, names: list[str], date: tuple[int, int, int]) -> list[str]:
    year, month, day = date
    regions = ", ".join(f"[{r}](#)" for r in rng.sample(REGIONS, rng.randint(1, 2)))
    themes = ", ".join(f"[{t}](#)" for t in rng.sample(THEMES, rng.randint(1, 2)))
    return [
        f"# {title}",
        "",
        f"By {_byline(names)}",
        "",
        f"Global Research, {MONTHS[month - 1]} {day}, {year}",
        "",
        f"Region: {regions}",
        "",
        f"Theme: {themes}",
        "",
    ]


def _footer(sample: _Sample, names: list[str], year: int) -> list[str]:
    return [
        "The original source of this article is Global Research  ",
        f"Copyright © {_byline(names)}, Global Research, {year}",
        "",
        "---",
        "",
        f"Articles by: {_byline(names)}",
        "",
        sample.footer,
        "",
    ]


def _sample_kind(rng: random.Random, sample: _Sample, scale: float, date: tuple[int, int, int]) -> str:
    year = date[0]
    names = rng.sample(AUTHORS, rng.choice((1, 1, 1, 2, 3)))
    title = _title(rng, sample.words)
    count = max(3, min(len(sample.paragraphs), round(len(sample.paragraphs) * scale)))
    paragraphs = rng.sample(sample.paragraphs, count)
    while sum(map(len, paragraphs)) < 7000 * scale:  # long variants: add paragraphs in the sample's words
        paragraphs.append(_paragraph(rng, sample.words))
    out = _header(rng, title, names, date)
    out += [f"*{_sentence(rng, sample.words, 6, 12)[:-1]}*", ""]
    for p in paragraphs:
        out += [p, ""]
    out += ["#### Notes", ""]
    out += [f"- [ {ROMAN[i]} ] {note}" for i, note in enumerate(sample.notes)]
    out += [""]
    return "\n".join(out + _footer(sample, names, year))


def _structured_kind(rng: random.Random, sample: _Sample, scale: float, date: tuple[int, int, int]) -> str:
    year = date[0]
    names = rng.sample(AUTHORS, rng.choice((1, 2)))
    words = sample.words
    out = _header(rng, _title(rng, words), names, date)
    out += [f"Featured image: {_sentence(rng, words, 5, 10)[:-1]}", ""]
    notes = 0
    size = 0
    section = 0
    while size < 7500 * scale:
        section += 1
        out += [f"## {_title(rng, words)}", ""]
        for _ in range(rng.randint(2, 4)):
            para = _paragraph(rng, words)
            if rng.random() < 0.5:
                notes += 1
                para = para[:-1] + f"[{notes}]" + para[-1]
            out += [para, ""]
            size += len(para)
        shape = section % 3
        if shape == 0:
            items = [_sentence(rng, words, 4, 10) for _ in range(rng.randint(3, 6))]
            out += [f"- {item}" for item in items] + [""]
        elif shape == 1:
            items = [_sentence(rng, words, 4, 10) for _ in range(rng.randint(3, 5))]
            out += [f"{i}. {item}" for i, item in enumerate(items, 1)] + [""]
        else:
            out += [f"> {_paragraph(rng, words, (2, 3))}", ""]
        if rng.random() < 0.3:
            out += [f"*{_sentence(rng, words, 5, 9)[:-1]}*", ""]
    if notes:
        out += ["#### Notes", ""]
        out += [f"{i}. <https://example.org/sources/{year}/{rng.randrange(10**6)}>" for i in range(1, notes + 1)]
        out += [""]
    return "\n".join(out + _footer(sample, names, year))


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _frontmatter_kind(rng: random.Random, sample: _Sample, scale: float, date: tuple[int, int, int]) -> str:
    year, month, day = date
    words = sample.words
    names = rng.sample(AUTHORS, rng.choice((1, 2)))
    title = _title(rng, words)
    out = [
        "---",
        f"title: {_yaml(title)}",
        "author:",
        *[f"  - {_yaml(n)}" for n in names],
        f"date: {year:04d}-{month:02d}-{day:02d}",
        "publisher: Global Research",
        "lang: en",
        f"subject: [{_yaml(rng.choice(THEMES))}]",
        f"rights: {_yaml(f'Copyright © {names[0]}, Global Research, {year}')}",
        "---",
        "",
    ]
    notes: list[str] = []
    size = 0
    while size < 7500 * scale:
        out += [f"# {_title(rng, words)}", ""]
        for _ in range(rng.randint(2, 4)):
            para = _paragraph(rng, words)
            if rng.random() < 0.4:
                notes.append(_sentence(rng, words, 6, 14))
                para = para[:-1] + f"[^{len(notes)}]" + para[-1]
            out += [para, ""]
            size += len(para)
        if rng.random() < 0.3:
            out += ["```", *(f"{rng.choice(words)} = {rng.randrange(1000)}" for _ in range(3)), "```", ""]
        if rng.random() < 0.4:
            out += [f"- *{rng.choice(words)}*: {_sentence(rng, words, 3, 8)}" for _ in range(3)] + [""]
    for i, note in enumerate(notes, 1):
        out += [f"[^{i}]: {note}", ""]
    return "\n".join(out)


def _plain_kind(rng: random.Random, sample: _Sample, scale: float, date: tuple[int, int, int]) -> str:
    out = [_title(rng, sample.words), ""]
    size = 0
    while size < 7500 * scale:
        para = _paragraph(rng, sample.words)
        out += [para, ""]
        size += len(para)
    return "\n".join(out)


_KINDS = (("sample", _sample_kind, 0.5), ("structured", _structured_kind, 0.75),
          ("frontmatter", _frontmatter_kind, 0.9), ("plain", _plain_kind, 1.0))  # fmt: skip

_BAD = (
    ("broken-page.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("empty.txt", b""),
    ("undecodable.md", bytes(range(128, 256)) * 8),
    ("broken.json", b'{"ir-version": 1, "metadata": '),
)


def article(i: int, seed: int = 0) -> tuple[str, bytes]:
    """The relative path and bytes of article ``i`` of the corpus."""
    sample = _load_sample_cached()
    rng = random.Random(seed * 1_000_003 + i)
    year = 2008 + rng.randrange(12)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    scale = rng.uniform(0.5, 1.5)
    pick = rng.random()
    kind, make = next((k, f) for k, f, upto in _KINDS if pick < upto)
    text = make(rng, sample, scale, (year, month, day))
    ext = ".txt" if kind == "plain" else ".md"
    return f"{year}/{month:02d}/{kind}-{i:05d}{ext}", text.encode("utf-8")


_CACHE: list[_Sample] = []


def _load_sample_cached() -> _Sample:
    if not _CACHE:
        _CACHE.append(_load_sample())
    return _CACHE[0]


def generate(dest: Path, n: int, *, seed: int = 0, bad: int = 0) -> tuple[int, float]:
    """Write ``n`` articles (and ``bad`` broken inputs) under ``dest``; (files written, mean bytes per article)."""
    total = 0
    for i in range(n):
        rel, data = article(i, seed)
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    for j in range(bad):
        name, data = _BAD[j % len(_BAD)]
        path = dest / "broken" / f"{j:03d}-{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return n + bad, total / n if n else 0.0


def main() -> None:
    """``python benchmarks/corpus.py N DEST [SEED]``."""
    n, dest = int(sys.argv[1]), Path(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    count, mean = generate(dest, n, seed=seed)
    print(f"{count} articles in {dest}, {mean / 1024:.1f} kB on average")


if __name__ == "__main__":
    main()
