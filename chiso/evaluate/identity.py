"""Does one indicator land under one name? Pairwise identity against the corpus truth.

The corpus truth names each fact's indicator (`indicator_label`, with a
category row's label after " — ") and unit. Two truth facts are *the same
indicator* when both agree; two warehouse observations are when their measure
(`indicator_code`), `breakdown` and unit agree. Over every pair of truth facts
found in the warehouse, precision is the share of pairs the warehouse calls the
same that the truth calls the same, and recall the share of the truth's
same-indicator pairs that the warehouse keeps together — the clustering view of
"the same indicator printed in two documents lands under one code", which a
per-fact hit rate cannot see.

Pairs are counted from a contingency table (n·(n-1)/2 per cell), so a corpus of
thousands of facts costs nothing.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from chiso.evaluate.scores import fact_key
from chiso.normalize.text import fold

_OBSERVATIONS_SQL = """
select d.source_file, f.value, e.name_vi, f.period_end, f.row_label, coalesce(f.meaning_label, f.column_label),
       f.indicator_code, f.breakdown, f.unit
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
join marts.dim_entity e using (entity_id)
"""

TruthKey = tuple[str, str]
WarehouseKey = tuple[str, str, str]


@dataclass
class Identity:
    """Pair counts over the truth facts matched to one warehouse observation each."""

    matched: int = 0
    unmatched: int = 0
    pairs_truth: int = 0
    pairs_warehouse: int = 0
    pairs_both: int = 0
    split: list[tuple[str, list[WarehouseKey]]] = field(default_factory=list)
    merged: list[tuple[WarehouseKey, list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_both / self.pairs_warehouse if self.pairs_warehouse else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_both / self.pairs_truth if self.pairs_truth else 1.0

    def render(self, examples: int = 5) -> str:
        lines = [
            f"indicator identity over {self.matched} matched facts ({self.unmatched} not matched): "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}",
        ]
        for label, keys in self.split[:examples]:
            lines.append(f"  split: {label!r} → {len(keys)} measures: " + "; ".join(_show(k) for k in keys[:4]))
        for key, labels in self.merged[:examples]:
            lines.append(f"  merged: {_show(key)} ← " + " | ".join(labels[:3]))
        return "\n".join(lines)


def _show(key: WarehouseKey) -> str:
    code, breakdown, unit = key
    return f"{code}[{breakdown}]({unit})" if breakdown else f"{code}({unit})"


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def indicator_identity(warehouse: Path, truth_dir: Path, files: set[str] | None = None) -> Identity:
    """Pairwise precision and recall of the warehouse's indicator identity against the truth's.

    Each truth fact is matched to an observation of the same file, value,
    entity and period; among several candidates the one whose printed row and
    column labels agree wins (a count of 12 appears in many columns). A
    candidate is used once, so two facts never share an observation.
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(_OBSERVATIONS_SQL).fetchall()
    candidates: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for source_file, value, entity, period_end, row_label, column_label, code, breakdown, unit in rows:
        candidates[fact_key(source_file, value, entity or "", period_end)].append(
            (fold(row_label or ""), fold(column_label or ""), (code, breakdown or "", unit))
        )

    identity = Identity()
    cells: Counter[tuple[TruthKey, WarehouseKey]] = Counter()
    for path in sorted(truth_dir.glob("*.csv")):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8") as handle:
            facts = {tuple(sorted(r.items())): r for r in csv.DictReader(handle)}.values()
        for fact in facts:
            if files is not None and fact["source_file"] not in files:
                continue
            pool = candidates.get(fact_key(fact["source_file"], float(fact["value"]), fact["entity_name"], fact["period_end"]))
            if not pool:
                identity.unmatched += 1
                continue
            row, column = fold(fact["row_label"]), fold(fact["column_label"])
            best = max(range(len(pool)), key=lambda i: ((pool[i][1] == column) + (pool[i][0] == row), -i))
            warehouse_key = pool.pop(best)[2]
            cells[((fold(fact["indicator_label"]), fact["unit"]), warehouse_key)] += 1
            identity.matched += 1

    by_truth: Counter[TruthKey] = Counter()
    by_warehouse: Counter[WarehouseKey] = Counter()
    for (truth_key, warehouse_key), n in cells.items():
        by_truth[truth_key] += n
        by_warehouse[warehouse_key] += n
        identity.pairs_both += _pairs(n)
    identity.pairs_truth = sum(_pairs(n) for n in by_truth.values())
    identity.pairs_warehouse = sum(_pairs(n) for n in by_warehouse.values())

    truth_to_warehouse: dict[TruthKey, list[WarehouseKey]] = defaultdict(list)
    warehouse_to_truth: dict[WarehouseKey, list[str]] = defaultdict(list)
    for truth_key, warehouse_key in cells:
        truth_to_warehouse[truth_key].append(warehouse_key)
        warehouse_to_truth[warehouse_key].append(truth_key[0])
    identity.split = sorted(
        ((t[0], ks) for t, ks in truth_to_warehouse.items() if len(ks) > 1), key=lambda item: -len(item[1])
    )
    identity.merged = sorted(
        ((k, ts) for k, ts in warehouse_to_truth.items() if len(ts) > 1), key=lambda item: -len(item[1])
    )
    return identity
