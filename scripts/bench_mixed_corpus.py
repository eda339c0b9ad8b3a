"""A generated mixed corpus of N documents: first-run wall and peak RSS, then a one-document increment.

`python scripts/bench_mixed_corpus.py [--documents 1000] [--scans 10] [--keep DIR] [--first-run-only]`

The documents are made from templates, never committed: the variant generator
of tests/variants (the corpus and Lâm Đồng tables rebuilt with rows and columns
reordered, header levels changed, other provinces' units, other fonts…)
renders spreadsheets, born-digital PDFs and a few scanned PDFs; the corpus's
OCR-text reports are added with their figures changed, so every file is new
content. Each `chiso run` is a new process, as a user runs it; peak RSS is
that of its largest process (the kernel's accounting of the finished child),
CPU% its and its children's user + system time over its wall time (200% is
both cores of a 2-core machine). The load average is printed beside each run:
on a shared machine it says how much of the wall time was someone else's.
With `--keep DIR` the corpus is generated once and reused by later calls
(delete DIR/raw to generate a new one); the full log of each run is kept there.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
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


PHASES = ("worker processes:", "landed ", "dbt build", "quality report:")
"""Log lines that say where a run's time went: extraction, batches (gate, landing), dbt, report."""


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def run(raw: Path, warehouse: Path, prefect_home: Path, log: Path | None = None) -> tuple[float, float, str]:
    """One `chiso run` in a new process: wall seconds, peak RSS in MB of its largest process, what it reported."""
    chiso = Path(sys.executable).with_name("chiso")
    env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
    load = _load()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as captured:
        child = subprocess.Popen([str(chiso), "run", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                                 cwd=REPO, env=env, stdout=captured, stderr=subprocess.STDOUT, text=True)
        # wait4: this run's own usage (it and the processes it waited for), not the largest child so far
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        captured.seek(0)
        text = captured.read()
    cpu = usage.ru_utime + usage.ru_stime
    if log is not None:
        log.write_text(text, encoding="utf-8")
    output = text.strip().splitlines()
    phases = [line.split(" - ", 1)[-1] for line in output if any(mark in line for mark in PHASES)]
    lines = [f"CPU {cpu:.0f} s = {100 * cpu / wall:.0f}% of the wall time; load average {load} before, {_load()} after",
             *phases, *output[-2:]]
    tail = "\n  ".join(lines)
    if child.returncode:
        tail = f"exit {child.returncode}: {tail}"
    return wall, usage.ru_maxrss / 1024, tail


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
        if args.keep and raw.is_dir() and increment.is_dir():  # a corpus generated by an earlier call
            for added in raw.glob("increment_*"):  # what an earlier call's increment night added
                added.unlink()
            count = sum(1 for path in raw.rglob("*") if path.is_file())
            print(f"reusing the {count} documents of {raw}")
        else:
            shutil.rmtree(raw, ignore_errors=True)
            shutil.rmtree(increment, ignore_errors=True)
            count = generate(raw, args.documents, args.scans, args.seed)
            generate(increment, 1, 0, args.seed + 1000)
            print(f"generated {count} documents in {time.perf_counter() - started:.0f} s")
        kinds = {folder.name: sum(1 for path in folder.rglob("*") if path.is_file()) for folder in sorted(raw.iterdir())}
        print(f"  {kinds}")
        warehouse, home = base / "warehouse" / "chiso.duckdb", base / "prefect"
        shutil.rmtree(warehouse.parent, ignore_errors=True)  # a first run starts from no warehouse
        log = base / "first-run.log" if args.keep else None

        wall, rss, tail = run(raw, warehouse, home, log)
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
