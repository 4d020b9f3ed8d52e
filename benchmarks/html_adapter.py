"""artconv's HTML reader as an extractor for an HTML article scorer.

Prints (or writes) one JSON object a page: ``title``, ``authors``, ``date`` (ISO), ``body_text``
(the article's text: its body, then its notes, as a reader shows a page; images are not text, so
their descriptions are left out), ``license`` and ``_seconds`` (time in the reader).

    python benchmarks/html_adapter.py PAGE.html [--url URL]       # JSON on stdout
    python benchmarks/html_adapter.py --batch LIST.tsv            # html<TAB>url<TAB>out.json a line

With the development corpus of HTML pages and its scorer (``score.py``)::

    python score.py --name artconv --batch-cmd 'python benchmarks/html_adapter.py --batch {list}'
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def article_text(article: Any) -> str:
    """The text of the article's body and notes, without the images' descriptions."""
    from convert.ir.model import Image
    from convert.ir.walk import plain_text_blocks, walk_inlines

    def no_images(seq: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(node for node in seq if not isinstance(node, Image))

    parts = [walk_inlines(no_images, article.body), *(walk_inlines(no_images, n.blocks) for n in article.notes)]
    return "\n\n".join(text for text in map(plain_text_blocks, parts) if text)


def extract(data: bytes, url: str) -> dict[str, Any]:
    """The scorer's fields of one page."""
    from convert.errors import ArtconvError
    from convert.readers.html import read_html

    start = time.perf_counter()
    try:
        article = read_html(data, url=url)
    except ArtconvError as exc:
        return {"title": None, "authors": [], "date": None, "body_text": "", "license": None, "error": str(exc)}
    meta, rights = article.metadata, article.metadata.rights
    return {
        "title": meta.title or None,
        "authors": list(meta.authors),
        "date": meta.date.isoformat() if meta.date else None,
        "body_text": article_text(article),
        "license": rights.licence or rights.copyright or None,
        "_seconds": time.perf_counter() - start,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("html", nargs="?")
    p.add_argument("--url", default="")
    p.add_argument("--batch")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    if args.batch:
        for line in Path(args.batch).read_text(encoding="utf-8").splitlines():
            path, url, out = line.split("\t")
            result = extract(Path(path).read_bytes(), url)
            Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    elif args.html:
        json.dump(extract(Path(args.html).read_bytes(), args.url), sys.stdout, ensure_ascii=False)
    else:
        p.error("give an HTML file or --batch LIST")
    return 0


if __name__ == "__main__":
    sys.exit(main())
