"""`chiso catalog`: what the catalog covers, and what to curate next.

A reviewer extends the catalog from the top of the list of unmapped measures
(ranked by how many published numbers they carry), so each entry added moves
the most numbers into named, comparable series. `draft_entries` writes those
measures as YAML entries marked `reviewed: false`, with the printed label as
an anchored pattern, for a person to rename, describe and merge before the
flag is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import yaml

from chiso.indicators.interpret import interpret
from chiso.normalize.text import fold


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    topic: str | None
    in_catalog: bool
    observations: int
    entities: int
    periods: int
    documents: int
    breakdowns: int


@dataclass(frozen=True)
class Unmapped:
    code: str
    label: str
    units: list[str]
    observations: int
    documents: int
    source_files: list[str]


def coverage(con: duckdb.DuckDBPyConnection) -> list[Coverage]:
    """Every measure of the warehouse with its coverage, catalogued ones first, then by observations."""
    rows = con.execute(
        "select indicator_code, coalesce(name_vi, ''), topic, in_catalog, n_observations, n_entities, n_periods,"
        " n_documents, n_breakdowns from marts.dim_indicator order by in_catalog desc, n_observations desc, indicator_code"
    ).fetchall()
    return [Coverage(*row) for row in rows]


def unmapped(con: duckdb.DuckDBPyConnection, limit: int, source: str | None = None) -> list[Unmapped]:
    """The unmapped measures carrying most observations; `source` (a regular expression) keeps those printed in matching files."""
    rows = con.execute(
        "select indicator_code, indicator_label, units, n_observations, n_documents, source_files"
        " from marts.dq_unmapped_indicators"
        " where ? is null or len(list_filter(source_files, lambda f: regexp_matches(f, ?))) > 0"
        " order by n_observations desc, indicator_code limit ?",
        [source, source or "", limit],
    ).fetchall()
    return [Unmapped(*row) for row in rows]


@dataclass(frozen=True)
class FamilyShare:
    family: str
    """The first folder of the documents' path under raw/ (`pci`, `mof-budget`, `ocr-text`), or `(all)`."""
    observations: int
    catalogued: float
    reviewed: float
    """Share carrying a catalogued measure whose entry a person reviewed (not a `chiso catalog --draft`)."""
    measures: int


def catalogued_share_by_family(con: duckdb.DuckDBPyConnection) -> list[FamilyShare]:
    """The catalogued share per source family, largest first, then all published observations (always there, last)."""
    rows = con.execute(
        """
        select coalesce(split_part(d.source_path, '/', 1), '(all)') as family, count(*),
               avg(i.in_catalog::int), avg((i.in_catalog and coalesce(i.reviewed, true))::int),
               count(distinct f.indicator_code)
        from marts.fct_indicator_observation f
        join marts.dim_document d using (document_id)
        join marts.dim_indicator i using (indicator_code)
        group by rollup (split_part(d.source_path, '/', 1))
        order by grouping(split_part(d.source_path, '/', 1)), 2 desc
        """
    ).fetchall()
    return [FamilyShare(str(r[0]), int(r[1]), float(r[2] or 0), float(r[3] or 0), int(r[4])) for r in rows]


def render_shares(shares: list[FamilyShare]) -> str:
    lines = [f"{'source family':<24} {'observations':>12} {'catalogued':>10} {'reviewed':>9} {'measures':>8}"]
    lines += [f"{s.family:<24} {s.observations:>12} {s.catalogued:>10.1%} {s.reviewed:>9.1%} {s.measures:>8}" for s in shares]
    return "\n".join(lines)


def render(covered: list[Coverage], todo: list[Unmapped], share: float, show_all: bool = False) -> str:
    """The catalog's coverage table and the curation list; catalog indicators this warehouse has no
    observation of are counted, and listed only with `show_all` (a province's warehouse holds few of the
    230 statistics entries)."""
    catalogued = [c for c in covered if c.in_catalog]
    absent = [c for c in catalogued if not c.observations]
    shown = catalogued if show_all else [c for c in catalogued if c.observations]
    lines = [
        f"{share:.1%} of published observations carry a catalogued measure "
        f"({len(catalogued)} catalog indicators, {len(covered) - len(catalogued)} unmapped measures)",
        "",
        f"{'indicator':<40} {'topic':<16} {'obs':>8} {'entities':>8} {'periods':>7} {'docs':>5} {'breakdowns':>10}",
    ]
    lines += [
        f"{c.code:<40} {(c.topic or ''):<16} {c.observations:>8} {c.entities:>8} {c.periods:>7} {c.documents:>5} {c.breakdowns:>10}"
        for c in shown
    ]
    if absent and not show_all:
        lines.append(f"({len(absent)} more catalog indicators have no observation here; --all lists them)")
    if todo:
        lines += ["", f"unmapped measures to curate, by observations carried (top {len(todo)}):"]
        lines += [
            f"{u.observations:>8}  {u.code:<48} {u.label[:70]!r} ({u.documents} docs: {', '.join(u.source_files[:2])})"
            for u in todo
        ]
    return "\n".join(lines)


def _pattern(label: str) -> str:
    return "^" + re.escape(fold(label)).replace("\\ ", " ") + "$"


_UNITS = {"count", "percent", "score", "ratio", "amount"}
"""Units a draft may take from its observations (`mixed` is a reviewer's decision)."""


def draft_entries(todo: list[Unmapped], topic: str) -> str:
    """YAML for a catalog file: one unreviewed entry per unmapped measure.

    The pattern is the measure text the label was read as (its breakdown
    words and category rows taken out), so the entry matches the measure in
    every breakdown it is printed with.
    """
    entries = [
        {
            "code": u.code,
            "name_vi": (measure := interpret(u.label).measure),
            "name_en": measure if measure.isascii() else "",  # GSO's exports name their tables in English
            "unit": next((unit for unit in u.units if unit in _UNITS), "count"),
            "additive": False,
            "reviewed": False,
            "description": f"Drafted from {u.observations} observations in {u.documents} document(s), e.g. {u.source_files[0]}.",
            "labels": [_pattern(interpret(u.label).measure)],
        }
        for u in todo
    ]
    header = f"# Drafted by `chiso catalog --draft`: every entry is `reviewed: false` until a person checks it.\ntopic: {topic}\n"
    return header + yaml.safe_dump({"indicators": entries}, allow_unicode=True, sort_keys=False, width=120)
