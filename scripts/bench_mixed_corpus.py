"""A generated mixed corpus of N documents: first-run wall and peak RSS, then a one-document increment.

`python scripts/bench_mixed_corpus.py [--documents 1000] [--scans 10] [--keep DIR]`

The documents are made from templates, never committed: the variant generator
of tests/variants (the corpus and Lâm Đồng tables rebuilt with rows and columns
reordered, header levels changed, other provinces' units, other fonts…)
renders spreadsheets, born-digital PDFs and a few scanned PDFs; the corpus's
OCR-text reports are added with their figures changed, so every file is new
content. Each `chiso run` is a new process, as a user runs it; peak RSS is
that of its largest process (the kernel's accounting of the finished child).
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.variants.base import all_tables  # noqa: E402
from tests.variants.generate import realise, render, specs  # noqa: E402

SHARED = REPO.parent / "shared"


def generate(folder: Path, documents: int, scans: int, seed: int) -> int:
    """Write about `documents` files under `folder` (xlsx/, pdf/, scan/, txt/); return how many."""
    logging.disable(logging.WARNING)
    tables = {table.name: table for table in all_tables(SHARED / "corpus", SHARED / "real")}
    if not tables:
        raise SystemExit("no templates: ../shared/corpus and ../shared/real not found")
    agencies = [row.label for t in tables.values() if t.entity_level == "agency" for row in t.rows if row.kind == "entity"]
    texts = sorted((SHARED / "corpus" / "ocr-text").glob("*.txt"))
    rng = random.Random(seed)
    written = 0
    round_ = 0
    scans_left = scans
    while written < documents:
        plan = specs(tables, seed + round_, scans_left if round_ == 0 else 0)
        rng.shuffle(plan)
        for spec in plan:
            if written >= documents:
                break
            variant = realise(spec, tables, agencies)
            if variant is None:
                continue
            target = folder / spec.format / f"round{round_}"  # a spec's file name repeats across rounds
            target.mkdir(parents=True, exist_ok=True)
            render(variant, target)
            written += 1
            if spec.format == "scan":
                scans_left -= 1
            if texts and written < documents and written % 10 == 0:  # one OCR-text report in ten
                written += _text_copy(rng.choice(texts), folder / "txt", written, rng)
        round_ += 1
    return written


def _text_copy(template: Path, folder: Path, number: int, rng: random.Random) -> int:
    """An OCR-text report with its multi-digit figures changed: new content, same shape."""
    folder.mkdir(parents=True, exist_ok=True)
    text = template.read_text(encoding="utf-8")
    changed = re.sub(r"\b\d{2,3}\b", lambda m: str(max(10, int(m.group()) + rng.randint(-5, 5))), text)
    (folder / f"{number:05d}_{template.name}").write_text(changed, encoding="utf-8")
    return 1


def run(raw: Path, warehouse: Path, prefect_home: Path) -> tuple[float, float, str]:
    """One `chiso run` in a new process: wall seconds, peak RSS in MB of its largest process, last lines."""
    chiso = Path(sys.executable).with_name("chiso")
    env = {**__import__("os").environ, "PREFECT_HOME": str(prefect_home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([str(chiso), "run", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    output = (done.stdout + done.stderr).strip().splitlines()
    extraction = [line.split(" - ", 1)[-1] for line in output if "worker processes:" in line]
    tail = "\n  ".join(extraction + output[-3:])
    if done.returncode:
        tail = f"exit {done.returncode}: {tail}"
    # ru_maxrss of children is the largest child so far: a later, smaller run cannot be told apart.
    return wall, (peak if peak > before else float("nan")) / 1024, tail


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=10, help="scanned PDFs among them (Tesseract, seconds each)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", type=Path, default=None, help="generate into and keep this folder")
    parser.add_argument("--first-run-only", action="store_true", help="stop after the first run (make bench's memory line)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="chiso-mixed-") as tmp:
        base = args.keep or Path(tmp)
        raw, increment = base / "raw", base / "increment"
        started = time.perf_counter()
        count = generate(raw, args.documents, args.scans, args.seed)
        generate(increment, 1, 0, args.seed + 1000)
        kinds = {folder.name: sum(1 for path in folder.rglob("*") if path.is_file()) for folder in sorted(raw.iterdir())}
        print(f"generated {count} documents in {time.perf_counter() - started:.0f} s: {kinds}")
        warehouse, home = base / "warehouse" / "chiso.duckdb", base / "prefect"

        wall, rss, tail = run(raw, warehouse, home)
        print(f"first run:             {wall:7.1f} s wall, peak RSS {rss:7.0f} MB\n  {tail}")
        if args.first_run_only:
            return 0
        added = next(path for path in increment.rglob("*") if path.is_file())
        shutil.copy(added, raw / f"increment_{added.name}")
        wall, rss, tail = run(raw, warehouse, home)
        print(f"one-document increment: {wall:6.1f} s wall\n  {tail}")
        wall, _, tail = run(raw, warehouse, home)
        print(f"no-op night:            {wall:6.2f} s wall\n  {tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
