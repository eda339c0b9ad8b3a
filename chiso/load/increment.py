"""How tonight's `dbt build` runs: an increment of the documents that changed, or a full rebuild, and why.

The warehouse's heavy models are incremental by document (dbt_project:
int_changed_documents, int_observations_keyed, fct_indicator_observation) or
by measure (indicator_timeseries and its harmonised view): a night rewrites
what changed, not what the warehouse holds. That is only right while the rows
kept from earlier nights were computed by the same rules from the same
reference, so the whole warehouse is rebuilt (`dbt build --full-refresh`) when

- the user asks for it (`chiso run --full-refresh`);
- the indicator catalog or its vocabulary changed: the loader then re-reads
  every landed label (chiso.indicators.remap), and dim_indicator, the fact
  table and the series must all follow;
- the reference data changed (the administrative units read by
  stg_admin_units, the province successions seed): entity ids and names of
  every document depend on them;
- the warehouse models (dbt_project SQL) changed: a new release computes
  columns differently;
- the published warehouse has no record of how its marts were built (one
  from a release before incremental builds).

Each build is recorded in `landing.warehouse_builds` of the build copy (it is
published with the marts it describes, or discarded with them), with its mode,
the reasons and the digests compared next time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from chiso.indicators.catalog import catalog_digest
from chiso.load.contract import WAREHOUSE_BUILDS
from chiso.load.dbt import PROJECT_DIR

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "resolve" / "data"
REFERENCE_FILES = ("admin_units_2024.csv", "admin_units_2025.csv")
"""Read by dbt in place (stg_admin_units, var admin_units_dir)."""


def _digest(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def reference_digest() -> str:
    """The administrative units dbt reads and the seeds (province successions)."""
    files = [REFERENCE_DIR / name for name in REFERENCE_FILES] + list((PROJECT_DIR / "seeds").glob("*.csv"))
    return _digest((path for path in files if path.is_file()), PROJECT_DIR.parent)


def models_digest() -> str:
    """The SQL that computes the marts (models, macros) and the project's settings; not docs or tests."""
    files = [*PROJECT_DIR.glob("models/**/*.sql"), *PROJECT_DIR.glob("macros/**/*.sql"), PROJECT_DIR / "dbt_project.yml"]
    return _digest(files, PROJECT_DIR)


@dataclass(frozen=True)
class Digests:
    catalog: str
    reference: str
    models: str

    @classmethod
    def current(cls) -> Digests:
        return cls(catalog_digest(), reference_digest(), models_digest())


@dataclass(frozen=True)
class MartsPlan:
    """How the marts are built tonight."""

    full_refresh: bool
    """Pass --full-refresh to dbt: every incremental model is rebuilt from the landing tables."""
    reasons: tuple[str, ...]
    """Why a full rebuild (empty for an increment and for a warehouse's first build)."""
    first_build: bool
    """No marts yet: dbt builds every table from scratch without being asked."""
    digests: Digests

    @property
    def mode(self) -> str:
        return "first build" if self.first_build else "full rebuild" if self.full_refresh else "incremental"

    def dbt_args(self) -> list[str]:
        return ["build", "--full-refresh"] if self.full_refresh else ["build"]

    def line(self) -> str:
        """The run summary's line about the warehouse build."""
        if self.full_refresh:
            return f"warehouse: full rebuild ({'; '.join(self.reasons)})"
        if self.first_build:
            return "warehouse: first build"
        return "warehouse: incremental build (the documents that changed, the measures they carry)"


def _last_build(warehouse: Path) -> tuple[bool, Digests | None]:
    """(the warehouse has marts, the digests of the build that made them, if recorded)."""
    if not warehouse.exists():
        return False, None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            (schema, name)
            for schema, name in con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        }
        has_marts = ("marts", "fct_indicator_observation") in tables
        if ("landing", "warehouse_builds") not in tables:
            return has_marts, None
        row = con.execute(
            "select catalog_digest, reference_digest, models_digest from landing.warehouse_builds"
            " order by built_at desc limit 1"
        ).fetchone()
    return has_marts, Digests(*row) if row else None


def plan_marts(warehouse: Path, requested: bool = False, digests: Digests | None = None) -> MartsPlan:
    """Decide tonight's build of the marts from the published warehouse (see the module docstring)."""
    digests = digests or Digests.current()
    has_marts, last = _last_build(warehouse)
    reasons: list[str] = []
    if requested:
        reasons.append("asked for with --full-refresh")
    if has_marts and last is None:
        reasons.append("the warehouse has no record of how its marts were built (an earlier release)")
    elif has_marts and last is not None:
        if last.catalog != digests.catalog:
            reasons.append("the indicator catalog changed")
        if last.reference != digests.reference:
            reasons.append("the reference data changed (administrative units, province successions)")
        if last.models != digests.models:
            reasons.append("the warehouse models changed (dbt_project)")
    return MartsPlan(bool(reasons), tuple(reasons), not has_marts, digests)


def marts_outdated(warehouse: Path) -> bool:
    """True when the published marts must be rebuilt even on a night with no new file."""
    return plan_marts(warehouse).full_refresh


def record_build(building: Path, run_id: str, plan: MartsPlan, now: datetime) -> None:
    """Record tonight's build in the build copy, before dbt runs: a failed build discards both."""
    with duckdb.connect(str(building)) as con:
        con.execute(WAREHOUSE_BUILDS.ddl())
        con.execute(
            "insert into landing.warehouse_builds values (?, ?, ?, ?, ?, ?, ?)",
            [run_id, now, plan.mode, "; ".join(plan.reasons) or None,
             plan.digests.catalog, plan.digests.reference, plan.digests.models],
        )
