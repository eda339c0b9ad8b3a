"""Write dbt's landing sources (dbt_project/models/staging/sources.yml) from the landing contract.

`python scripts/write_sources.py` after changing chiso/load/contract.py; `--check` exits 1 when
the committed file is not what the contract gives (tests/test_landing_contract.py checks the same).

Each table and column is described as the contract describes it, so `make docs` shows the
loader's own words; a primary key is tested unique and not null, as the DDL declares it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from chiso.load.contract import LANDING, Column, Table

SOURCES = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging" / "sources.yml"
HEADER = "# Written by scripts/write_sources.py from chiso/load/contract.py: edit the contract, not this file.\n"
DESCRIPTION = (
    "Append-only tables written by the pipeline's loader (chiso/load/warehouse.py; tables and columns"
    " in chiso/load/contract.py). Observations of published documents; held cells are in held_observations."
)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as dbt's own examples write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _column(column: Column) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": column.name, "description": column.description}
    if column.primary_key:
        entry["data_tests"] = ["unique", "not_null"]
    return entry


def _table(table: Table) -> dict[str, Any]:
    return {"name": table.name, "description": table.description, "columns": [_column(c) for c in table.columns]}


def render() -> str:
    """sources.yml as the contract gives it."""
    sources = {
        "version": 2,
        "sources": [
            {"name": "landing", "description": DESCRIPTION, "schema": "landing", "tables": [_table(t) for t in LANDING]}
        ],
    }
    return HEADER + yaml.dump(sources, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = parser.parse_args()
    text = render()
    if args.check:
        if SOURCES.read_text(encoding="utf-8") != text:
            print(f"{SOURCES} is not what chiso/load/contract.py gives: run scripts/write_sources.py", file=sys.stderr)
            return 1
        return 0
    SOURCES.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
