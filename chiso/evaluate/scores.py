"""Measure the warehouse against independent ground truth.

Two references: the dev corpus' `truth/*.csv` (one row per printed fact) and
the Ministry of Finance extraction made by another project
(`reference_plan_cleaned.csv`). A truth row counts as found when the published
marts hold an observation from the same file with the exact value, the same
entity (accent-insensitive name) and the same period_end — the definition the
issues use. (Table names are not compared: a sheet often prints no "Biểu số".)
Precision is measured the other way round on narrative numbers: the share of
the sentences' published observations that are truth facts.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from chiso.interpret.dossier import PROSE_METHODS
from chiso.normalize.text import fold

_FACTS_SQL = """
select d.source_file, f.table_ref, f.value, e.name_vi, f.period_end
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
join marts.dim_entity e using (entity_id)
"""


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_file: dict[str, tuple[int, int]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def rate(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 0.0

    def render(self) -> str:
        lines = [f"{kind:>10}: {self.found[kind]}/{self.total[kind]} = {self.rate(kind):.1%}" for kind in sorted(self.total)]
        lines += [f"  {name}: {hit}/{count}" for name, (hit, count) in sorted(self.per_file.items())]
        return "\n".join(lines)


def fact_key(source_file: str, value: float, entity: str, period_end: object) -> tuple[Any, ...]:
    """What makes a truth fact found: same file, exact value, same entity (accent-insensitive), same period end."""
    return (source_file, round(float(value), 6), fold(entity), str(period_end))


def score_corpus(warehouse: Path, truth_dir: Path, files: set[str] | None = None) -> Score:
    """Share of distinct truth facts present in the warehouse, per kind (table_cell, narrative)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(_FACTS_SQL).fetchall()
    present = {fact_key(source_file, value, entity or "", period_end) for source_file, _, value, entity, period_end, *_ in facts}

    score = Score()
    for path in sorted(truth_dir.glob("*.csv")):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        distinct = {tuple(sorted(row.items())): row for row in rows}.values()
        hit = count = 0
        for row in distinct:
            if files is not None and row["source_file"] not in files:
                continue
            ok = fact_key(row["source_file"], float(row["value"]), row["entity_name"], row["period_end"]) in present
            score.total[row["kind"]] += 1
            count += 1
            if ok:
                score.found[row["kind"]] += 1
                hit += 1
            else:
                score.misses.append(row)
        if count:
            score.per_file[path.name.removesuffix(".csv")] = (hit, count)
    return score


_NARRATIVE_SQL = """
select d.source_file, f.value, e.name_vi, f.period_end
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
join marts.dim_entity e using (entity_id)
where f.extraction_method in ({methods}) and f.table_ref is null and f.row_label is null
"""


@dataclass
class Precision:
    """Share of published narrative numbers that are facts of the truth (value, entity, period_end).

    Only documents with narrative truth rows count: elsewhere nothing says what a fact is.
    """

    matched: int = 0
    published: int = 0
    per_file: dict[str, tuple[int, int]] = field(default_factory=dict)
    spurious: list[tuple[str, float, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.matched / self.published if self.published else 1.0

    def render(self) -> str:
        lines = [f"  narrative precision: {self.matched}/{self.published} = {self.rate:.1%} of published numbers are facts"]
        lines += [f"    {name}: {hit}/{count}" for name, (hit, count) in sorted(self.per_file.items())]
        return "\n".join(lines)


def _narrative_truth(truth_dir: Path, files: set[str] | None) -> dict[str, set[tuple[Any, ...]]]:
    """Per source file with narrative truth, the keys of its narrative facts."""
    keys: dict[str, set[tuple[Any, ...]]] = {}
    for path in sorted(truth_dir.glob("*.csv")):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["kind"] != "narrative" or (files is not None and row["source_file"] not in files):
                    continue
                keys.setdefault(row["source_file"], set()).add(
                    fact_key(row["source_file"], float(row["value"]), row["entity_name"], row["period_end"])
                )
    return keys


def narrative_precision_of(
    published: Iterable[tuple[str, float, str, object]], truth_dir: Path, files: set[str] | None = None
) -> Precision:
    """Precision of narrative observations given as (source_file, value, entity name, period_end)."""
    truth = _narrative_truth(truth_dir, files)
    result = Precision()
    counts: dict[str, list[int]] = {}
    for source_file, value, entity, period_end in published:
        if source_file not in truth:
            continue
        hit = fact_key(source_file, value, entity or "", period_end) in truth[source_file]
        tally = counts.setdefault(source_file, [0, 0])
        tally[0] += hit
        tally[1] += 1
        if not hit:
            result.spurious.append((source_file, float(value), entity or "", str(period_end)))
    result.per_file = {name: (hit, count) for name, (hit, count) in counts.items()}
    result.matched = sum(hit for hit, _ in result.per_file.values())
    result.published = sum(count for _, count in result.per_file.values())
    return result


def narrative_precision(warehouse: Path, truth_dir: Path, files: set[str] | None = None) -> Precision:
    """Precision of the warehouse's narrative observations (sentences, not table cells) against the truth."""
    methods = ", ".join(f"'{method}'" for method in sorted(PROSE_METHODS))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(_NARRATIVE_SQL.format(methods=methods)).fetchall()
    return narrative_precision_of(rows, truth_dir, files)


NON_TERRITORIAL = ("agency", "party_org", "country", "region", "station", "foreign_country")
"""Entities that are not GSO administrative units, hence documented without a GSO code."""

_LEVELS_SQL = """
select d.source_file, e.level, e.gso_code is not null as coded, e.province, e.name_vi, count(*) as n
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
join marts.dim_entity e using (entity_id)
group by all
"""


@dataclass
class Resolution:
    """How the observations of a set of files resolved: to a GSO-coded unit, a documented
    non-territorial entity, a commune (the pre-2025 reference has no communes), or nothing."""

    coded: int = 0
    non_territorial: int = 0
    commune: int = 0
    unresolved: int = 0
    districts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Province → GSO-coded districts observed."""

    @property
    def total(self) -> int:
        return self.coded + self.non_territorial + self.commune + self.unresolved

    def render(self) -> str:
        share = (self.coded + self.non_territorial) / self.total if self.total else 0.0
        lines = [
            f"  entities: {self.coded + self.non_territorial}/{self.total} = {share:.1%} resolved "
            f"({self.coded} to a GSO-coded unit, {self.non_territorial} to a documented non-territorial "
            f"entity); {self.commune} communes (no codes in the reference), {self.unresolved} unresolved"
        ]
        lines += [f"  districts of {p}: {len(names)} ({', '.join(sorted(names))})" for p, names in sorted(self.districts.items())]
        return "\n".join(lines)


def entity_resolution(warehouse: Path, files: set[str]) -> Resolution:
    """Share of the observations of `files` whose entity has a GSO code or is documented as non-territorial."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(_LEVELS_SQL).fetchall()
    result = Resolution()
    for source_file, level, coded, province, name, n in rows:
        if source_file not in files:
            continue
        if coded:
            result.coded += n
            if level == "district":
                result.districts[province].add(name)
        elif level in NON_TERRITORIAL:
            result.non_territorial += n
        elif level == "commune":
            result.commune += n
        else:
            result.unresolved += n
    return result


_MOF_SQL = """
select cast(year(f.period_end) as integer) as year, e.name_vi, f.value
from marts.fct_indicator_observation f
join marts.dim_document d using (document_id)
join marts.dim_entity e using (entity_id)
where d.source_file = 'Plan_' || cast(year(f.period_end) as varchar) || '.xls' and e.level = 'province'
"""


def score_mof(warehouse: Path, reference_csv: Path) -> dict[str, tuple[int, int, list[str]]]:
    """For total.rev and total.exp: (found, total, missing 'prov year') against the reference."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(_MOF_SQL).fetchall()
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    for year, name, value in rows:
        values[(year, _ascii_province(name))].append(value)

    result: dict[str, tuple[int, int, list[str]]] = {}
    with reference_csv.open(encoding="utf-8") as handle:
        reference = list(csv.DictReader(handle))
    for column in ("total.rev", "total.exp"):
        found, total, missing = 0, 0, []
        for row in reference:
            if not row[column] or row[column] == "NA":
                continue
            total += 1
            expected = float(row[column])
            candidates = values.get((int(row["year"]), _ascii_province(row["prov"])), [])
            if any(abs(v - expected) <= max(1.0, abs(expected) * 1e-6) for v in candidates):
                found += 1
            else:
                missing.append(f"{row['prov']} {row['year']}")
        result[column] = (found, total, missing)
    return result


def _ascii_province(name: str) -> str:
    """Compare province names without accents, spaces, hyphens or 'city/province' words."""
    key = fold(name).replace("-", " ").replace(".", " ")
    for noise in ("thanh pho", "tinh", "city", "province", "tp "):
        key = key.replace(noise, " ")
    return "".join(key.split())
