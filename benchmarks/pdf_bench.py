"""PDF benchmark: artconv's PDF conversion of the sample against bare WeasyPrint on the same HTML.

Both are measured in one process, alternating, after one warm-up each (fonts
and WeasyPrint's caches are then equally warm); the reported times are the
medians of the runs, and the ratio is also given on the fastest runs, which
suffer least from other work on the machine.  ``artconv`` is the whole conversion (read the Markdown,
build and sanitise the HTML, lay out, check footnote placement, write the PDF
with its metadata); ``bare`` is ``weasyprint.HTML(string=html).write_pdf()``
on the HTML that artconv hands to WeasyPrint.

Run: ``python benchmarks/pdf_bench.py [RUNS]``; ``run()`` returns the rows
(name, value, note) for ``benchmarks/run.py``.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "russia-pakistan-relationship.md"

if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


def run(runs: int = 9) -> list[tuple[str, float, str]]:
    """Median seconds of artconv's PDF conversion and of bare WeasyPrint, and their ratio."""
    import weasyprint

    from convert import api
    from convert.api import make_options
    from convert.writers.pdf import build_html, html_to_pdf

    options = make_options(source_date_epoch=0)
    article = api.read(SAMPLE)
    html = build_html(article, options)

    def ours() -> bytes:
        return api.render(api.read(SAMPLE), "pdf", source_date_epoch=0)

    def bare() -> bytes:
        data: bytes = weasyprint.HTML(string=html).write_pdf()
        return data

    ours()
    bare()
    times: dict[str, list[float]] = {"artconv": [], "bare": []}
    for _ in range(runs):
        for name, func in (("artconv", ours), ("bare", bare)):
            gc.collect()
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    t_ours = statistics.median(times["artconv"])
    t_bare = statistics.median(times["bare"])

    # how many layouts the footnote check needed (1: the first one was right)
    import weasyprint.document as wdoc

    layouts = 0
    original = wdoc.layout_document

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal layouts
        layouts += 1
        return original(*args, **kwargs)

    wdoc.layout_document = counting
    try:
        html_to_pdf(html, options, article=article)
    finally:
        wdoc.layout_document = original

    pages = len(weasyprint.HTML(string=html).render().pages)
    return [
        ("pdf.sample.artconv_s", round(t_ours, 4), f"median of {runs}: read + render + metadata, {pages} pages"),
        ("pdf.sample.weasyprint_s", round(t_bare, 4), f"median of {runs}: bare WeasyPrint on the same HTML"),
        ("pdf.sample.ratio", round(t_ours / t_bare, 3), "artconv / bare WeasyPrint, medians (aim: <= 1.15)"),
        ("pdf.sample.ratio_best", round(min(times["artconv"]) / min(times["bare"]), 3), "the same on the fastest runs"),
        ("pdf.sample.layouts", float(layouts), "layout passes artconv needed to keep footnotes on their page"),
    ]


def main() -> None:
    """Print the rows as a small table."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    for name, value, note in run(runs):
        print(f"{name:28} {value:10.4f}  {note}")


if __name__ == "__main__":
    main()
