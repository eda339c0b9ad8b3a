"""`make bench`: speed figures, each as a ratio against its reference measured in the same run.

Printed, never asserted in tests. A shared machine drifts, so every figure is
paired with its reference taken side by side (A, B, A, B …) and the median of
the pairs is printed:

- born-digital PDFs end to end (`process_document`: tables, text, narrative,
  entities) in pages/s, against bare pdfplumber reading each page's text and
  tables, and against bare pypdfium2 reading each page's text — on the PDFs of
  `raw/` and the dev corpus, and on GSO's 126-page borderless projection PDF;
- OCR seconds per scanned page against bare Tesseract (`vie`, automatic
  layout) on the same 300 dpi renders, both two pages at a time (one per core);
- the same born-digital PDFs read in worker processes (both cores), as a
  night reads them, against bare pdfplumber reading them one by one;
- extraction of every corpus file in worker processes: wall and CPU%;
- first runs on generated mixed corpora of 250 and 1,000 documents
  (scripts/bench_mixed_corpus.py): wall, peak RSS (flat when memory is
  bounded) and the extraction's CPU%;
- `chiso run` as a user runs it (a new process each): a first run and a
  no-op night on the same warehouse, then the same no-op night under
  `chiso serve` (chiso.bench_serve);
- the warehouse (chiso.bench_warehouse): series and comparison queries on a
  10M-row synthetic fact table, sorted against arrival order, and the same
  one-document increment on a generated ~1,000-document corpus and on `raw/`
  (`make bench` takes ~30 min; `python -m chiso.bench_warehouse --keep DIR` alone).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from chiso.discover import SourceFile, discover, sha256_of
from chiso.paths import PROJECT
from chiso.process import process_document
from chiso.read.pdf.reader import read_pdf

REPO = PROJECT
SHARED = REPO.parent / "shared"
GSO_PDF = SHARED / "real" / "gso" / "population-projection-2014-2034_by-province.pdf"
CORPUS_FOLDERS = ("pdf", "scanned", "xlsx", "ocr-text")


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, sha256_of(path), path.stat().st_size)


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def paired(ours: Callable[[], object], reference: Callable[[], object], repeat: int = 3) -> tuple[float, float, float]:
    """Median seconds of `ours`, of `reference`, and median of the per-pair ratios reference/ours
    (> 1: ours is faster), the two run in turn so that drift of the machine hits both alike."""
    pairs = [(_seconds(ours), _seconds(reference)) for _ in range(repeat)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(b / a for a, b in pairs))


def bare_pdfplumber_seconds(path: Path) -> float:
    """What reading every page's text costs with pdfplumber alone (used by scripts/score_gso_pdf.py)."""
    return _seconds(lambda: bare_pdfplumber(path, tables=False))


def bare_pdfplumber(path: Path, tables: bool = True) -> None:
    """The reference reader: pdfplumber's text of every page, and its tables (default settings)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            if tables:
                page.extract_tables()
            page.close()


def bare_pypdfium2(path: Path) -> None:
    """The floor: pypdfium2's text of every page, no layout, no tables."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        document.close()


def _born_digital_pdfs() -> list[Path]:
    candidates = sorted(REPO.glob("raw/**/*.pdf")) + sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))
    good = []
    for path in candidates:
        try:
            if read_pdf(path).format == "pdf_text":
                good.append(path)
        except Exception:  # noqa: BLE001 - bad sample files are not benchmarked
            continue
    return good


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def _born_digital_line(label: str, paths: list[Path], repeat: int) -> None:
    pages = sum(_pages(p) for p in paths)
    sources = [_source(p) for p in paths]

    def ours() -> None:
        for source in sources:
            process_document(source)

    def plumber() -> None:
        for path in paths:
            bare_pdfplumber(path)

    def pdfium() -> None:
        for path in paths:
            bare_pypdfium2(path)

    ours_s, plumber_s, vs_plumber = paired(ours, plumber, repeat)
    _, pdfium_s, vs_pdfium = paired(ours, pdfium, repeat)
    print(f"{label}: {len(paths)} files, {pages} pages")
    print(f"  chiso end to end:            {pages / ours_s:8.1f} pages/s")
    print(f"  bare pdfplumber text+tables: {pages / plumber_s:8.1f} pages/s   chiso = {vs_plumber:5.2f}x pdfplumber")
    print(f"  bare pypdfium2 text:         {pages / pdfium_s:8.1f} pages/s   chiso = {vs_pdfium:5.3f}x pypdfium2")


def bench_born_digital(repeat: int = 3) -> None:
    pdfs = _born_digital_pdfs()
    if pdfs:
        _born_digital_line("born-digital PDFs (raw/ and corpus)", pdfs, repeat)
    else:
        print("born-digital PDFs: none found")
    if GSO_PDF.is_file():
        _born_digital_line("GSO projection PDF (borderless tables, OCR of broken titles)", [GSO_PDF], 1)
    else:
        print(f"GSO projection PDF: not found at {GSO_PDF}, skipped")


def _scanned_pages() -> list[tuple[Path, int]]:
    """(file, 1-based page) of every page without a text layer in the sample and corpus PDFs."""
    from chiso.read.pdf.scanned import _pages_without_text

    found = []
    for path in sorted(REPO.glob("raw/**/*.pdf")) + sorted((SHARED / "corpus" / "scanned").glob("*.pdf")):
        try:
            found += [(path, page) for page in _pages_without_text(read_pdf(path))]
        except Exception:  # noqa: BLE001 - bad sample files are not benchmarked
            continue
    return found


def bench_ocr(repeat: int = 2) -> None:
    """chiso's OCR of scanned pages (orientation, deskew, grid, cells, text) against bare Tesseract
    reading the same renders with automatic layout; both two pages at a time."""
    import numpy as np
    import pypdfium2 as pdfium
    import pytesseract

    from chiso.read.ocr.reader import ocr_pdf
    from chiso.read.ocr.settings import DEFAULT_SETTINGS

    pages = _scanned_pages()
    if not pages:
        print("OCR: no scanned pages found")
        return
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    renders = []
    for path, number in pages:
        document = pdfium.PdfDocument(path)
        page = document[number - 1]
        scale = DEFAULT_SETTINGS.dpi / 72
        renders.append(np.array(page.render(scale=scale, grayscale=True).to_pil().convert("L")))
        page.close()
        document.close()
    workers = 2

    def ours() -> None:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda item: ocr_pdf(item[0], pages=[item[1]]), pages))

    def bare() -> None:
        config = f"--dpi {DEFAULT_SETTINGS.dpi}"
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda image: pytesseract.image_to_string(image, lang=DEFAULT_SETTINGS.lang, config=config),
                          renders))

    ours_s, bare_s, ratio = paired(ours, bare, repeat)
    print(f"OCR: {len(pages)} scanned pages, {workers} at a time")
    print(f"  chiso (orientation, deskew, grid, cells, text): {ours_s / len(pages):5.2f} s/page")
    print(f"  bare tesseract {DEFAULT_SETTINGS.lang} on the same renders:      {bare_s / len(pages):5.2f} s/page"
          f"   chiso = {1 / ratio:4.2f}x bare tesseract's time")


def bench_extraction() -> None:
    """Every corpus file read as the flow reads them: in worker processes, one per core."""
    from chiso.run import workers

    corpus = SHARED / "corpus"
    sources = [s for s in (discover(corpus).files if corpus.is_dir() else [])
               if s.relative_path.split("/")[0] in CORPUS_FOLDERS]
    if not sources:
        print("extraction: dev corpus not found, skipped")
        return
    with workers.extraction_pool(len(sources)) as pool:
        with ThreadPoolExecutor(workers.default_jobs()) as threads:
            list(threads.map(lambda s: _quietly(workers.process, s), sources))
    if pool is not None:
        print(f"extraction of {len(sources)} corpus files in {pool.jobs} worker processes: {pool.usage}")


def _quietly(read: Callable[[SourceFile], object], source: SourceFile) -> object:
    try:
        return read(source)
    except Exception as error:  # noqa: BLE001 - a bad file is part of the corpus
        return error


def bench_runs() -> None:
    """`chiso run` as a user sees it: a first run on raw/, then a no-op night (new process each)."""
    chiso = Path(sys.executable).with_name("chiso")
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "bench.duckdb"
        command = [str(chiso), "run", "--raw-dir", str(REPO / "raw"), "--warehouse", str(warehouse)]
        env = {**os.environ, "PREFECT_HOME": str(Path(tmp) / "prefect")}
        walls = {}
        for label in ("first run", "no-op night", "no-op night again"):
            start = time.perf_counter()
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
            walls[label] = time.perf_counter() - start
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
            print(f"  chiso run ({label}): {walls[label]:6.2f} s wall ({status})")
        noop = statistics.median([walls["no-op night"], walls["no-op night again"]])
        print(f"  no-op night = {noop / walls['first run']:.3f}x the first run (target: <= 2 s from the CLI)")
        from chiso.bench_serve import bench_served_noop

        bench_served_noop(Path(tmp), REPO / "raw", warehouse)


def bench_born_digital_both_cores() -> None:
    """The born-digital PDFs read as a night reads them (worker processes, one per core), against
    bare pdfplumber reading them one after another, as a script without chiso would."""
    from chiso.run import workers

    paths = _born_digital_pdfs() + ([GSO_PDF] if GSO_PDF.is_file() else [])
    if len(paths) < 2:
        print("born-digital PDFs in worker processes: fewer than two files, skipped")
        return
    pages = sum(_pages(p) for p in paths)
    sources = [_source(p) for p in paths]
    pools = []

    def ours() -> None:
        with workers.extraction_pool(len(sources)) as pool:
            with ThreadPoolExecutor(len(sources)) as threads:
                list(threads.map(workers.process, sorted(sources, key=lambda s: -s.size)))
        pools.append(pool)

    def plumber() -> None:
        for path in paths:
            bare_pdfplumber(path)

    ours_s, plumber_s, ratio = paired(ours, plumber, 1)
    usage = pools[-1].usage if pools and pools[-1] is not None else None
    print(f"born-digital PDFs with the GSO PDF, {len(paths)} files, {pages} pages, in worker processes:")
    print(f"  chiso end to end:            {pages / ours_s:8.1f} pages/s   ({usage})")
    print(f"  bare pdfplumber, one by one: {pages / plumber_s:8.1f} pages/s   chiso = {ratio:5.2f}x pdfplumber")


def bench_mixed_corpus(sizes: tuple[int, ...] = (250, 1000)) -> None:
    """First runs on generated mixed corpora (scripts/bench_mixed_corpus.py) of growing size: wall,
    peak RSS and the extraction's CPU%. Memory is bounded when the peak does not grow with the files."""
    script = REPO / "scripts" / "bench_mixed_corpus.py"
    peaks = {}
    for documents in sizes:
        done = subprocess.run([sys.executable, str(script), "--documents", str(documents), "--first-run-only"],
                              cwd=REPO, capture_output=True, text=True)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        print(f"mixed corpus of {documents} documents:" + ("" if done.returncode == 0 else
                                                          f" exit {done.returncode}: {done.stderr.strip()[-300:]}"))
        for line in lines:
            print(f"  {line.strip()}")
            if line.startswith("first run:") and "peak RSS" in line:
                peaks[documents] = float(line.split("peak RSS")[1].split()[0])
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        print(f"  peak RSS, {large} vs {small} documents: {peaks[large] / peaks[small]:.2f}x "
              f"(target: flat; <= 1,500 MB for 1,000 documents)")


def main() -> None:
    bench_born_digital()
    bench_born_digital_both_cores()
    bench_ocr()
    bench_extraction()
    bench_mixed_corpus()
    print("runs on raw/ (new process each):")
    bench_runs()
    from chiso import bench_warehouse  # the warehouse's figures: queries on 10M rows, the one-document increment

    bench_warehouse.main(sys.argv[1:])


if __name__ == "__main__":
    main()
