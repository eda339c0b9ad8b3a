"""Generalization harness, full run: `python scripts/score_variants.py [--kinds K,..] [--limit N] [--seed S]`.

Generates variants of the corpus and Lâm Đồng tables (rows and columns reordered, header
levels added and removed, other provinces' units, English decimals, other fonts, cell formats,
all combined) as xlsx, born-digital PDF and scanned PDF, runs chiso on each and prints the
share of truth cells published exactly, per variant kind and format, with the extra numbers;
then the corpus reports' prose rewritten (no diacritics, English-model OCR, other thousands marks
and line widths: tests/variants/prose.py) with the narrative facts found and the extra ones.
`--keep DIR` keeps the generated files and writes DIR/failures.txt. Exit code 0 unless the
harness itself breaks: the figures are the result.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.variants.base import all_tables  # noqa: E402
from tests.variants.generate import FORMATS, KINDS, Variant, realise, specs  # noqa: E402
from tests.variants.prose import REPORTS, TRANSFORMS, run_prose  # noqa: E402
from tests.variants.prose import render as render_prose  # noqa: E402
from tests.variants.run import Report, Result, run_variant  # noqa: E402

SHARED = REPO.parent / "shared"


def _run(variant: Variant, folder: Path, keep: bool) -> Result:
    logging.disable(logging.WARNING)
    result = run_variant(variant, folder)
    if not keep:
        result.path.unlink(missing_ok=True)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated variant kinds")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: xlsx,pdf,scan,ocrtext")
    parser.add_argument("--limit", type=int, default=None, help="at most N variants (spread over the list)")
    parser.add_argument("--scans", type=int, default=80, help="number of scanned variants (Tesseract, ~2-6 s each)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (the machine's cores are shared)")
    parser.add_argument("--keep", type=Path, default=None, help="keep generated files and failures.txt here")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--real", type=Path, default=SHARED / "real")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
    tables = {table.name: table for table in all_tables(args.corpus, args.real)}
    if not tables:
        print(f"no base tables: neither {args.corpus} nor {args.real} found")
        return 0
    agencies = [row.label for table in tables.values() if table.entity_level == "agency"
                for row in table.rows if row.kind == "entity"]
    plan = specs(tables, args.seed, args.scans, kinds, tuple(args.formats.split(",")))
    if args.limit is not None and args.limit < len(plan):
        step = len(plan) / args.limit
        plan = [plan[int(i * step)] for i in range(args.limit)]

    variants = [v for v in (realise(spec, tables, agencies) for spec in plan) if v is not None]
    report = Report()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chiso-variants-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        work = partial(_run, folder=folder, keep=args.keep is not None)
        if args.jobs > 1:
            # Workers started by forkserver, as chiso's own are: a child forked from this process,
            # whose Polars thread pool is running, inherits its locks held.
            with multiprocessing.get_context("forkserver").Pool(args.jobs) as pool:
                results = pool.map(work, variants, chunksize=4)
        else:
            results = [work(v) for v in variants]
        for result in results:
            report.add(result)
    elapsed = time.monotonic() - started
    print(f"chiso generalization harness: {len(report.results)} variants of {len(tables)} base tables, "
          f"seed {args.seed}, {elapsed:.0f} s\n")
    print(report.render())
    failures = report.failures()
    if args.keep is not None:
        (args.keep / "failures.txt").write_text(failures + "\n", encoding="utf-8")
        print(f"\nfiles and failures.txt in {args.keep}")
    print("\nimperfect variants (first 40 lines):")
    print("\n".join(failures.splitlines()[:40]) or "  none")
    if (args.corpus / "truth").is_dir():
        with tempfile.TemporaryDirectory(prefix="chiso-prose-") as tmp:
            prose = [run_prose(args.corpus, report, kind, args.seed, Path(tmp)) for report in REPORTS for kind in TRANSFORMS]
        print("\nreport prose rewritten (tests/variants/prose.py): narrative truth facts found, published numbers that are facts")
        print(render_prose(prose))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
