"""Score MoF budget extraction against the independent reference: `python scripts/score_mof.py [REAL_DIR]`.

Runs the nightly flow on Plan_2006.xls … Plan_2015.xls into a temporary
warehouse and compares total revenue and total balanced expenditure per
province and year with `reference_plan_cleaned.csv`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from chiso.evaluate.scores import score_mof
from flows.cli import prefect_environment

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    real = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared" / "real"
    prefect_environment()
    from flows.nightly import nightly

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for year in range(2006, 2016):
            shutil.copy(real / "mof-budget" / f"Plan_{year}.xls", raw)
        warehouse = Path(tmp) / "mof.duckdb"
        nightly(raw_dir=str(raw), warehouse=str(warehouse))
        for column, (found, total, missing) in score_mof(warehouse, real / "mof-budget" / "reference_plan_cleaned.csv").items():
            print(f"{column}: {found}/{total} = {found / total:.1%}  missing: {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main(sys.argv)
