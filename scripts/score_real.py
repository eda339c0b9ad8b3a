"""Load every real file of ../shared/real into one warehouse and report what arrived.

`python scripts/score_real.py [REAL_DIR] [WAREHOUSE]`: MoF budgets, PCI, PAPI,
the 334 GSO statistical-database CSVs, the GSO projection PDF and the Lâm Đồng
2025 documents (without their reference.csv and README files). Prints the
run summary, the MoF reference comparison, the coverage of GSO "Average
population by province" (every province × year cell of the CSV, re-read here
with the csv module, must be in the warehouse with its province and year), the
Lâm Đồng scores of `chiso.evaluate.lamdong`, and per file its status and the
cells published, flagged and held (a file held whole is quarantined).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from pathlib import Path

import duckdb

from chiso.evaluate.lamdong import copy_documents, document_outcomes, render_outcomes, score_lamdong
from chiso.evaluate.scores import score_mof
from chiso.indicators.review import catalogued_share_by_family, render_shares
from chiso.resolve.entities import resolve_label
from flows.cli import prefect_environment

REPO = Path(__file__).resolve().parents[1]
AVERAGE_POPULATION = "Population and Employment/Average population by province.csv"
LAMDONG = "lamdong-2025"


def average_population_coverage(warehouse: Path, path: Path) -> tuple[int, int]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header = next(r for r in rows if r and r[0].startswith("Cities"))
    body = rows[rows.index(header) + 1 :]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = set(con.execute(
            "select e.name_vi, year(f.period_end), f.value from marts.fct_indicator_observation f"
            " join marts.dim_entity e using (entity_id) join marts.dim_document d using (document_id)"
            " where d.source_file = 'Average population by province.csv' and e.level = 'province'"
        ).fetchall())
    found = total = 0
    for row in body:
        entity = resolve_label(row[0], None) if row and row[0] else None
        if entity is None or entity.level != "province":
            continue
        for caption, cell in zip(header[1:], row[1:]):
            if not cell.strip() or cell.strip() == "..":
                continue
            total += 1
            year = int(caption.split()[-1])
            found += (entity.name_vi, year, float(cell)) in present
    return found, total


def main(argv: list[str]) -> None:
    real = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "real"
    prefect_environment()
    from flows.nightly import nightly

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        for folder in ("mof-budget", "pci", "papi", "gso"):
            shutil.copytree(real / folder, raw / folder, ignore=shutil.ignore_patterns("reference_*"))
        if (real / LAMDONG).is_dir():
            copy_documents(real / LAMDONG, raw / LAMDONG)
        warehouse = Path(argv[2]) if len(argv) > 2 else Path(tmp) / "real.duckdb"
        nightly(raw_dir=str(raw), warehouse=str(warehouse))
        for column, (found, total, missing) in score_mof(warehouse, real / "mof-budget" / "reference_plan_cleaned.csv").items():
            print(f"MoF {column}: {found}/{total} = {found / total:.1%}  missing: {', '.join(missing) or 'none'}")
        found, total = average_population_coverage(warehouse, real / "gso" / "statistics-csv" / AVERAGE_POPULATION)
        print(f"GSO average population by province: {found}/{total} province-year values = {found / total:.1%}")
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.sql(
                "select d.format, count(distinct d.document_id) as documents, count(*) as observations"
                " from marts.fct_indicator_observation f join marts.dim_document d using (document_id) group by 1 order by 1"
            ).show()
            print("== published observations carrying a catalogued measure, per source family")
            print(render_shares(catalogued_share_by_family(con)))
            con.sql(
                "select indicator_code, count(distinct entity_id) as provinces, min(year(period_end)) as first_year,"
                " max(year(period_end)) as last_year, count(*) as values"
                " from marts.indicator_timeseries where indicator_code in ('pci_overall', 'papi_overall')"
                " group by 1"
            ).show()
        if (real / LAMDONG).is_dir():
            print(score_lamdong(warehouse, real / LAMDONG).render())
        print("== per file: cells published / flagged / held")
        print(render_outcomes(document_outcomes(warehouse)))


if __name__ == "__main__":
    main(sys.argv)
