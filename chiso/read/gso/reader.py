"""GSO statistical-database (PX-Web) CSV exports → observations.

These exports are complete, regular tables — one number per stub row and
header column — so the reader turns them into observations directly instead of
handing a raw grid to the table stage: every non-missing numeric cell becomes
one observation whose indicator comes from the title and the header's measure,
whose period comes from the year in the header or in a `Year` stub (with the
title's as-of day or the header's month), and whose entity is the row's place
(or crop, sector, station) as printed. Entity names are not resolved here; the
whole-country row and GSO's six regions are marked so they are never taken for
provinces. A national table without a place stub (`GDP by Year and Items`) is a
whole-country series and is labelled so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from chiso import budgets
from chiso.model import BadInputError, ExtractedDocument, Observation
from chiso.normalize.numbers import parse_number
from chiso.normalize.text import clean, fold
from chiso.read.gso.labels import (
    clean_measure,
    entity_level,
    indicator_base,
    indicator_label,
    infer_unit,
    split_title,
)
from chiso.read.gso.layout import PxTable, Stub, decode, is_missing, is_resaved, looks_like_pxweb, parse_pxweb
from chiso.read.gso.periods import (
    find_as_of,
    month_number,
    period_bounds,
    strip_period,
    title_year_span,
    value_status,
    year_span,
)
from chiso.resolve.entities import COUNTRY, resolve_label

WHOLE_COUNTRY = "WHOLE COUNTRY"
_SNIFF_BYTES = 8192
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_STATION_TITLE = re.compile(r"\bat (?:some )?(?:main )?stations?\b")
_PLACE_ROLES = {"place": None, "station": "station", "abroad": "foreign_country"}
"""Stub roles that name whom a row is about, and the entity level they fix (None: the name decides)."""


def is_pxweb_csv(path: Path) -> bool:
    """Cheap check on the first bytes: a PX-Web title line, a blank line and a header naming a title
    variable — or the doubled header of an export re-saved from R."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    text = decode(head)[0]
    return looks_like_pxweb(text) or is_resaved(text)


@dataclass(frozen=True)
class _Column:
    """What one data column contributes to its cells' observations."""

    index: int
    label: str
    measure: str
    level: str
    """`country`/`region` when the header names a place (regions across the top), else `unresolved`."""
    span: tuple[int, int] | None
    month: int | None
    status: str | None


@dataclass(frozen=True)
class _Row:
    """What the stub cells of one row contribute: period, status, entity and measure qualifiers."""

    label: str
    span: tuple[int, int] | None
    month: int | None
    status: str | None
    parts: tuple[str, ...]
    """The non-period stub cells, cleaned, in column order."""
    entity: int | None
    """Index into `parts` of the cell naming whom the row is about."""
    entity_is_place: bool
    """True when that cell is a place (the country, a region, a province, station or country abroad)."""
    level: str | None
    """`station` or `foreign_country` when the stub says so, else None (the name decides)."""


def _columns(table: PxTable) -> list[_Column]:
    """Each header read once: its period, month, status and measure hold for every row."""
    columns = []
    for index in range(len(table.stubs), len(table.header)):
        label = clean(table.header[index])
        month = month_number(label)
        measure = "" if month else strip_period(label)
        columns.append(
            _Column(
                index=index,
                label=label,
                measure=measure,
                level=entity_level(measure) if measure else "unresolved",
                span=year_span(label),
                month=month,
                status=value_status(label),
            )
        )
    return columns


def _row(stubs: list[Stub], cells: list[str]) -> _Row:
    """Read a row's stub cells.

    The entity is the cell that names the whole country or a region (GSO puts them
    even under `Items`), else the place stub, else the last stub that is neither a
    period nor a measure (crop, sector, station); none means a national series.
    """
    span = month = status = None
    parts: list[tuple[str, str]] = []
    for stub in stubs:
        cell = clean(cells[stub.index])
        if stub.role == "year":
            span, status = year_span(cell), value_status(cell)
        elif stub.role == "month":
            month = month_number(cell)
        else:
            parts.append((cell, stub.role))
    texts = tuple(text for text, _ in parts)
    places = [i for i, text in enumerate(texts) if entity_level(text) != "unresolved"]
    places += [i for i, (_, role) in enumerate(parts) if role in _PLACE_ROLES]
    others = [i for i, (_, role) in enumerate(parts) if role == "other"]
    entity = places[0] if places else (others[-1] if others else None)
    named = entity is not None and entity_level(texts[entity]) != "unresolved"  # 'Viet Nam' among countries
    return _Row(
        label=" | ".join(clean(cells[stub.index]) for stub in stubs if cells[stub.index].strip()),
        span=span,
        month=month,
        status=status,
        parts=texts,
        entity=entity,
        entity_is_place=bool(places),
        level=None if entity is None or named else _PLACE_ROLES.get(parts[entity][1]),
    )


def _number(cell: str) -> float | None:
    """English-format number; the plain form GSO writes almost everywhere skips the general parser."""
    if _PLAIN_NUMBER.match(cell):
        return float(cell)
    parsed = parse_number(cell, decimal=".")
    return None if parsed is None else parsed.value


def _who_and_what(row: _Row, column: _Column) -> tuple[str, str, tuple[str, ...], str]:
    """(entity, level, indicator qualifiers, measure) of one cell.

    Regions across the top (`Spatial cost of living … by Year, Commodity group and
    Region`) make the column the entity and the row's stub a qualifier.
    """
    if column.level != "unresolved" and not row.entity_is_place:
        return column.measure, column.level, tuple(clean_measure(p) for p in row.parts), ""
    if row.entity is None:
        return WHOLE_COUNTRY, "country", tuple(clean_measure(p) for p in row.parts), column.measure
    entity = row.parts[row.entity]
    qualifiers = tuple(clean_measure(p) for i, p in enumerate(row.parts) if i != row.entity)
    return entity, row.level or entity_level(entity), qualifiers, column.measure


def read_gso_csv(path: Path) -> ExtractedDocument:
    """One observation per non-missing numeric cell of a GSO PX-Web export."""
    budgets.check_delimited(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(f"cannot read the file: {error.strerror or error}") from error
    table = _stations_by_title(parse_pxweb(data, file_title=path.stem))
    what = split_title(table.title)[0]
    base = indicator_base(what)
    as_of = find_as_of(table.title)
    columns = _columns(table)
    title_span = title_year_span(table.title)
    warnings = list(table.warnings)
    if title_span is None:
        title_span = _only_header_year(columns, table.stubs, warnings)
    observations: list[Observation] = []
    unreadable = 0
    for cells in table.rows:
        row = _row(table.stubs, cells)
        for column in columns:
            cell = cells[column.index].strip()
            if is_missing(cell):
                continue
            value = _number(cell)
            if value is None:
                unreadable += 1
                continue
            entity, level, qualifiers, measure = _who_and_what(row, column)
            start, end = period_bounds(column.span or row.span or title_span, column.month or row.month, as_of)
            observations.append(
                Observation(
                    indicator_label=indicator_label(base, (*qualifiers, measure)),
                    value=value,
                    unit=infer_unit(" ".join((*qualifiers, measure)), what, "" if row.entity_is_place else entity),
                    entity_name=entity,
                    entity_level=level,
                    province=None,
                    period_start=start,
                    period_end=end,
                    page=None,
                    table_ref=table.title,
                    row_label=row.label,
                    column_label=column.label,
                    source_text=f"{row.label} | {column.label} | {cell}",
                    extraction_method="csv",
                    is_total=level == "country" or entity.upper() == "TOTAL",
                    status=column.status or row.status,
                )
            )
    if not observations:
        raise BadInputError("no numeric cells: every data cell is missing ('..') or not a number")
    observations = _national_categories(observations)
    if unreadable:
        warnings.append(f"{unreadable} cells are neither numbers nor missing-value marks")
    return ExtractedDocument(format="csv", pages=1, observations=observations, warnings=warnings)


def _stations_by_title(table: PxTable) -> PxTable:
    """'Mean air temperature at some stations by Cities, provinces …': the place stub names stations.

    GSO labels some station tables' stub 'Cities, provinces'; their rows ('Bãi Cháy',
    'Vinh') are weather stations, not the province or district of the same name.
    """
    if not _STATION_TITLE.search(fold(split_title(table.title)[0])):
        return table
    stubs = [replace(stub, role="station") if stub.role == "place" else stub for stub in table.stubs]
    return replace(table, stubs=stubs)


def _only_header_year(columns: list[_Column], stubs: list[Stub], warnings: list[str]) -> tuple[int, int] | None:
    """The one year a header prints, for its undated columns, when no title or stub gives one.

    `Surface area …; Population mid-year 2016 (Mill. pers.); Population density …`
    describes one year; the inference is stated in a warning, not made silently.
    """
    spans = {c.span for c in columns if c.span}
    undated = [c.label for c in columns if c.span is None]
    if len(spans) != 1 or not undated or any(s.role in ("year", "month") for s in stubs):
        return None
    span = spans.pop()
    warnings.append(f"columns without a year ({', '.join(undated)}) dated {span[0]}, the only year the header prints")
    return span


def _national_categories(observations: list[Observation]) -> list[Observation]:
    """A national table whose rows are categories (crops, stations, items) is about the whole country.

    When fewer than half of the row labels name a place, each row label becomes
    part of the indicator ("… — Grape") and the entity is the country, as the
    statistics office publishing the table means it: a crop that reads like a
    province ('Longan' ~ 'Long An') must not turn a crop table into a provincial
    one. Tables with place rows are left to entity resolution, which lists what
    it cannot place.
    """
    pending = {o.entity_name for o in observations if o.entity_level == "unresolved"}
    if not pending or 2 * sum(_is_place(name) for name in pending) >= len(pending):
        return observations
    return [
        replace(o, indicator_label=f"{o.indicator_label} — {o.entity_name}", entity_name=COUNTRY, entity_level="country")
        if o.entity_level == "unresolved"
        else o
        for o in observations
    ]


def _is_place(name: str) -> bool:
    entity = resolve_label(name, None)
    return entity is not None and entity.level in ("province", "district", "region")
