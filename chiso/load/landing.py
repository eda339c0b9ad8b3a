"""The landing schema the loader writes and dbt reads, created from the landing contract.

Every table and column is declared once in chiso/load/contract.py; the DDL here is
derived from it, as are the frames' schemas, the gate's required fields and dbt's
sources.yml, so a column added to the contract cannot silently go missing on one side.
"""

from __future__ import annotations

import duckdb

from chiso.load.contract import ddl

LANDING_DDL: str = ddl()
"""Idempotent: tables missing from an older warehouse are created, columns added since are added."""


def ensure_landing(con: duckdb.DuckDBPyConnection) -> None:
    """Create the landing schema and tables if missing (idempotent)."""
    con.execute(LANDING_DDL)
