"""The indicator catalog: what the warehouse knows by name, and which printed labels mean it.

The catalog lives as dbt seeds (`dbt_project/seeds/indicator_catalog.csv` and
`indicator_aliases.csv`) because the mapping is applied in the warehouse
(`int_indicator_map`, a join on DuckDB's `regexp_matches`): re-mapping after
an alias is added needs only `dbt build`, not a reload of every document.
This module reads the same files so that Python code (tests, exports,
review tools) sees the same catalog and maps a label exactly as dbt does:
`label_pattern` on the folded label, `source_pattern` on the folded file
name, title and issuer; aliases with a source condition first, then by code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from chiso.normalize.text import fold

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    topic: str
    additive: bool
    """True when values for parts add up to the whole, so merged provinces can be summed."""


@dataclass(frozen=True)
class Alias:
    code: str
    label_pattern: re.Pattern[str]
    source_pattern: re.Pattern[str] | None


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load_catalog() -> dict[str, Indicator]:
    """Catalog indicators by code, in file order."""
    return {
        row["indicator_code"]: Indicator(
            code=row["indicator_code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            unit=row["unit"],
            topic=row["topic"],
            additive=row["additive"].strip().lower() == "true",
        )
        for row in _rows("indicator_catalog.csv")
    }


@cache
def load_aliases() -> tuple[Alias, ...]:
    """Aliases in the order dbt tries them: with a source condition first, then by code."""
    aliases = [
        Alias(
            code=row["indicator_code"],
            label_pattern=re.compile(row["label_pattern"]),
            source_pattern=re.compile(row["source_pattern"]) if row["source_pattern"].strip() else None,
        )
        for row in _rows("indicator_aliases.csv")
    ]
    return tuple(sorted(aliases, key=lambda a: (a.source_pattern is None, a.code)))


def match_label(label: str, source: str = "") -> str | None:
    """Catalog code of a printed label, or None.

    `source` is what the document says about itself (file name, title,
    issuer, joined by spaces): it tells a PCI "Transparency" from a PAPI one
    and a MoF budget plan from its final accounts.
    """
    label_key, source_key = fold(label), fold(source)
    for alias in load_aliases():
        if alias.label_pattern.search(label_key) and (
            alias.source_pattern is None or alias.source_pattern.search(source_key)
        ):
            return alias.code
    return None
