"""PDF benchmark: artconv's PDF conversion of the sample against bare WeasyPrint on the same HTML.

Both are measured in one process, alternating, after one warm-up each (fonts
and WeasyPrint's caches are then equally warm); the reported times are the
medians of the runs, and the ratio is also given on the fastest runs, which
suffer least from other work on the machine.  ``artconv`` is the whole conversion (read the Markdown,
build and sanitise the HTML, lay out, check footnote placement, write the PDF
with its metadata); ``bare`` is ``weasyprint.HTML(string=html).write_pdf()``
on the HTML that artconv hands to WeasyPrint.

Hostile inputs (``tests/hostile.py``): the PDF of the nested-emphasis input,
of a 30,000-character token, of a 16,000-character URL and of the 5.5 MB
article (refused by the size limit), each in a fresh process, with its peak
memory; the sample is measured the same way for comparison.  ``--huge`` also
renders the 5.5 MB article with the limit lifted (minutes and gigabytes).

Run: ``python benchmarks/pdf_bench.py [RUNS] [--huge]``; ``run()`` and
``run_hostile()`` return the rows (name, value, note) for ``benchmarks/run.py``.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
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


#: One PDF conversion in a fresh process: read, render (WeasyPrint imported beforehand), peak memory.
_CHILD = """
import json, resource, sys, time
import convert
import convert.writers.pdf, weasyprint
from convert.errors import OutputError
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    pdf = convert.render(convert.parse(data, "article.md"), "pdf", source_date_epoch=0, **json.loads(sys.argv[2]))
    outcome = ""
except OutputError as exc:
    pdf, outcome = b"", str(exc)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(pdf)).pages) if pdf else 0
print(json.dumps({"seconds": seconds, "peak_kib": peak, "pages": pages, "refused": outcome}))
"""


def _convert_in_child(path: Path, options: dict[str, object], env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), json.dumps(options)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_hostile(
    runs: int = 3, *, huge_unlimited: bool = False, env: dict[str, str] | None = None
) -> list[tuple[str, float, str]]:
    """Seconds (read + render) and peak memory of the PDF of each hostile input; medians of ``runs`` processes."""
    from tests.hostile import huge_article, long_token, long_url, nested_emphasis

    if env is None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    cases: list[tuple[str, bytes, dict[str, object], str]] = [
        ("sample", SAMPLE.read_bytes(), {}, "the sample (9 kB)"),
        ("nested_emphasis", nested_emphasis(), {}, "# Deep, *_ x 10,000, x, _* x 10,000"),
        ("long_token", long_token(), {}, "a 30,000-character word"),
        ("long_url", long_url(), {}, "a 16,000-character URL, autolink and link"),
        ("huge_article", huge_article(), {}, "the sample's body repeated to 5.5 MB, default limit"),
    ]
    if huge_unlimited:
        cases.append(("huge_unlimited", cases[-1][1], {"pdf_max_chars": 0}, "the same, --pdf-max-chars 0"))
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="artconv-hostile-") as tmp:
        for name, data, options, what in cases:
            path = Path(tmp) / f"{name}.md"
            path.write_bytes(data)
            results = [_convert_in_child(path, options, env) for _ in range(1 if name == "huge_unlimited" else runs)]
            seconds = statistics.median(float(str(r["seconds"])) for r in results)
            peak = statistics.median(float(str(r["peak_kib"])) for r in results) / 1024
            refused = str(results[0]["refused"])
            pages = int(str(results[0]["pages"]))
            outcome = f"refused: {refused}" if refused else f"{pages} page{'' if pages == 1 else 's'}"
            how = f"median of {len(results)} processes" if len(results) > 1 else "one process"
            rows.append((f"pdf.hostile.{name}_s", round(seconds, 3), f"{how}: read + render; {what}; {outcome}"))
            rows.append((f"pdf.hostile.{name}_peak_mib", round(peak, 1), f"{how}: peak RSS of the process"))
    return rows


def main() -> None:
    """Print the rows as a small table."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 9
    for name, value, note in run(runs):
        print(f"{name:28} {value:10.4f}  {note}")
    for name, value, note in run_hostile(3, huge_unlimited="--huge" in sys.argv):
        print(f"{name:34} {value:10.4f}  {note}")


if __name__ == "__main__":
    main()
