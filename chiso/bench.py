"""`make bench`: speed figures, printed, never asserted in tests.

- born-digital PDF extraction in pages/second (reader alone, and the whole
  per-document processing), on the PDFs of `raw/` and the dev corpus;
- OCR seconds per scanned page, and pages OCR'd versus skipped;
- pages/second of `read_pdf` on GSO's 126-page borderless projection PDF (when
  `../shared/real` is present) next to bare pdfplumber `extract_text` on it;
- the wall time of a first and a no-op second `chiso run` on `raw/`, as a
  user sees them (a new process each, ephemeral Prefect included).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chiso.discover import SourceFile, sha256_of
from chiso.extract.pdf import read_pdf
from chiso.process import process_document

REPO = Path(__file__).resolve().parents[1]


def _born_digital_pdfs() -> list[Path]:
    candidates = sorted(REPO.glob("raw/**/*.pdf")) + sorted((REPO.parent / "shared/corpus/pdf").glob("*.pdf"))
    good = []
    for path in candidates:
        try:
            if read_pdf(path).format == "pdf_text":
                good.append(path)
        except Exception:  # noqa: BLE001 - bad sample files are not benchmarked
            continue
    return good


def bench_pdf(repeat: int = 3) -> None:
    pdfs = _born_digital_pdfs()
    if not pdfs:
        print("pdf: no born-digital PDFs found")
        return
    pages = sum(read_pdf(p).pages for p in pdfs)
    start = time.perf_counter()
    for _ in range(repeat):
        for path in pdfs:
            read_pdf(path)
    reader = time.perf_counter() - start
    sources = [SourceFile(p, p.name, sha256_of(p), p.stat().st_size) for p in pdfs]
    start = time.perf_counter()
    for _ in range(repeat):
        for source in sources:
            process_document(source)
    full = time.perf_counter() - start
    print(f"born-digital PDFs: {len(pdfs)} files, {pages} pages")
    print(f"  read_pdf:          {pages * repeat / reader:7.1f} pages/s")
    print(f"  process_document:  {pages * repeat / full:7.1f} pages/s (tables, narrative, entities)")


def bench_ocr() -> None:
    """OCR seconds per page on scanned PDFs, and how many pages of every PDF were OCR'd or skipped."""
    from chiso.process import read_document

    pdfs = sorted(REPO.glob("raw/**/*.pdf")) + sorted((REPO.parent / "shared/corpus").glob("*/*.pdf"))
    ocr_pages = skipped = 0
    ocr_seconds = 0.0
    for path in pdfs:
        start = time.perf_counter()
        try:
            extracted = read_document(path)
        except Exception:  # noqa: BLE001 - bad sample files are not benchmarked
            continue
        elapsed = time.perf_counter() - start
        ocr_pages += len(extracted.ocr_pages)
        skipped += extracted.pages - len(extracted.ocr_pages)
        if extracted.ocr_pages:
            ocr_seconds += elapsed
    print(f"OCR: {ocr_pages} pages OCR'd, {skipped} pages with a text layer skipped (never OCR'd)")
    if ocr_pages:
        print(f"  {ocr_seconds / ocr_pages:5.1f} s per OCR'd page (one single-threaded tesseract per core, {os.cpu_count()} cores)")


GSO_PDF = REPO.parent / "shared" / "real" / "gso" / "population-projection-2014-2034_by-province.pdf"


def bare_pdfplumber_seconds(path: Path) -> float:
    """What reading every page's text costs with pdfplumber alone: the baseline of a PDF reader."""
    import pdfplumber

    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
    return time.perf_counter() - start


def bench_gso_pdf(path: Path = GSO_PDF) -> None:
    """The borderless-table reader (OCR of untrustworthy titles included) against bare pdfplumber text."""
    if not path.is_file():
        print(f"GSO projection PDF: not found at {path}, skipped")
        return
    start = time.perf_counter()
    extracted = read_pdf(path)
    reader = time.perf_counter() - start
    plain = bare_pdfplumber_seconds(path)
    print(f"GSO projection PDF: {extracted.pages} pages, {sum(len(t.rows) for t in extracted.tables)} table rows")
    print(f"  read_pdf (tables, OCR of broken titles): {extracted.pages / reader:5.1f} pages/s")
    print(f"  bare pdfplumber extract_text:            {extracted.pages / plain:5.1f} pages/s")


def bench_runs() -> None:
    chiso = Path(sys.executable).with_name("chiso")
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "bench.duckdb"
        command = [str(chiso), "run", "--raw-dir", str(REPO / "raw"), "--warehouse", str(warehouse)]
        env = {**os.environ, "PREFECT_HOME": str(Path(tmp) / "prefect")}
        for label in ("first run", "no-op second run"):
            start = time.perf_counter()
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
            print(f"  chiso run ({label}): {elapsed:6.1f} s wall ({status})")


def main() -> None:
    bench_pdf()
    bench_ocr()
    bench_gso_pdf()
    print("runs on raw/ (new process each, ephemeral Prefect):")
    bench_runs()


if __name__ == "__main__":
    main()
