"""The data-quality gate: Great Expectations suites that decide what may be loaded.

Two suites live in a file-backed GX context under `expectations/gx/` (committed
JSON, so reviewers see every rule and its threshold in the diff):

* `observations` — one row per extracted number: required fields (the landing
  contract's non-nullable columns, chiso.load.contract), allowed
  units/methods/levels, plausible ranges;
* `table_totals` — one row per table column from chiso.quality.arithmetic:
  the printed grand total must equal the sum of the rows.

The whole run's frame goes through ONE checkpoint run per suite (GX's cost is
per expectation, not per row), with `result_format` COMPLETE so every failing
row comes back by index. Each expectation's `meta` says what it holds back
(`unit`) and how bad it is (`severity`), and gives the reason template
(`reason`) filled from the failing row:

* `unit: row` — the cell is impossible (a percentage of 84893, a negative
  count, no date): that observation is held, the rest of its table and
  document is published;
* `unit: document` — the document is an altered copy (a born-digital count
  table whose printed total contradicts its rows): nothing of it is published.

Holding the smallest wrong unit is the point: one bad row must never cost a
document its other numbers. What is doubtful but possible (an unknown entity,
an arithmetic slip in an OCR table, an ambiguous decimal mark) is not a GX
failure at all: it is published with a `quality_flag`. docs/quality-policy.md
lists every check with its unit and severity.

A third suite, `arithmetic`, holds nothing: it judges the tables' own arithmetic
(non-blocking totals and printed formulas, chiso.quality.severity) as *rounding*
(within the printed precision of the source) or a *discrepancy* (flagged). Its
thresholds are in the suite, like every other rule.

Every expectation's outcome per document, and every failing unit, come back in
`GateResult.checks` (stored as landing.check_results, marts.dq_check_results);
the GX validation results themselves in `GateResult.validations`, which
chiso.quality.history keeps, capped, beside the warehouse with GX Data Docs.

GX takes seconds to import, so it is imported inside the functions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import polars as pl

from chiso.columns import Columns
from chiso.load.contract import CHECK_RESULTS, OBSERVATIONS
from chiso.model import HELD_FLAGS, EntityLevel, Unit
from chiso.paths import PROJECT
from chiso.quality.unit_labels import UNIT_ONLY, narrative_measure
from chiso.read.registry import METHOD_NAMES

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.checkpoint import Checkpoint
    from great_expectations.expectations import Expectation

EXPECTATIONS_DIR = PROJECT / "expectations"
"""GX project root; the context itself is `expectations/gx/`."""

DATASOURCE = "chiso"
SUITES = ("observations", "table_totals", "arithmetic")
UNITS: tuple[str, ...] = get_args(Unit)
EXTRACTION_METHODS: tuple[str, ...] = METHOD_NAMES
ENTITY_LEVELS: tuple[str, ...] = get_args(EntityLevel)
MAX_REASONS_PER_CHECK = 3
"""Per document and check, list this many failing rows, then count the rest."""


class GateError(RuntimeError):
    """A check could not be evaluated (e.g. a missing column): a bug, not bad data."""



@dataclass
class GateResult:
    failed: dict[str, list[str]] = field(default_factory=dict)
    """document_id → reasons of the checks that hold the whole document; documents absent here publish."""
    held_rows: dict[str | None, list[str]] = field(default_factory=dict)
    """observation_id → reasons that observation is held (row-level checks); by id, not by position,
    because the frame that is loaded went through joins (arithmetic flags) after validation."""
    row_reasons: dict[str, list[str]] = field(default_factory=dict)
    """document_id → summary of its row-level holds, for the run summary and landing.quarantine."""
    checks_failed: int = 0
    """(check, document) pairs that failed."""
    checks_run: int = 0
    """(check, document) pairs evaluated: expectations × documents in the frame (holding suites only)."""
    checks: list[dict[str, Any]] = field(default_factory=list, compare=False)
    """Check results: per expectation, one passing row per document it held for and one row per
    failing unit (chiso.quality.history.CHECK_COLUMNS)."""
    arithmetic: pl.DataFrame | None = field(default=None, compare=False)
    """chiso.quality.severity.comparisons with the `arithmetic` suite's `severity`: rounding, discrepancy or null."""
    validations: list[Any] = field(default_factory=list, compare=False)
    """The GX ExpectationSuiteValidationResults of the run, by (identifier, result)."""


_MISSING = {
    "indicator_code": "indicator code",
    "entity_name": "entity (who the number is about)",
    "period_end": "period end date",
    "value": "numeric value",
}
"""How a reason names a required field whose column name does not read as words."""


def _observation_expectations() -> list[Expectation]:
    """The required fields are the landing contract's (chiso.load.contract: `nullable=False`)."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    def row(reason: str) -> dict[str, str]:
        return {"reason": reason, "unit": "row", "severity": "error"}

    def required(column: str) -> Expectation:
        what = _MISSING.get(column, column)
        return gxe.ExpectColumnValuesToNotBeNull(column=column, meta=row(f"missing {what}"))

    return [
        *(required(column.name) for column in OBSERVATIONS.columns if not column.nullable),
        gxe.ExpectColumnValuesToBeUnique(
            column="observation_id", meta=row("duplicate observation_id {observation_id}")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="unit",
            value_set=list(UNITS),
            meta=row("unit {unit!r} is not one of " + ", ".join(UNITS)),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="extraction_method",
            value_set=list(EXTRACTION_METHODS),
            meta=row("unknown extraction method {extraction_method!r}"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="entity_level",
            value_set=list(ENTITY_LEVELS),
            meta=row("no entity for {entity_name!r}: not a known place, agency or organisation"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            # A share is 0–100 %, an achievement rate can exceed 100 % ("đạt 266,7%"),
            # and a change can be negative down to -100 % (PCI "% thay đổi số DNNN").
            min_value=-100,
            max_value=1000,
            row_condition=Column("unit") == "percent",
            meta=row("percentage {value} outside -100–1000"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            row_condition=Column("unit") == "count",
            meta=row("negative count {value}"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="page", min_value=1, meta=row("page number {page} below 1")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="period_year",
            min_value=1945,
            max_value=2100,
            meta=row("implausible period end {period_end} (misread year?)"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="period_end",
            column_B="period_start",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=row("period starts {period_start} after it ends {period_end}"),
        ),
        gxe.ExpectColumnValuesToNotMatchRegex(
            column="quality_flag",  # set by readers and interpreters (chiso.model.HELD_FLAGS), kept on the held row
            regex=f"(?:^|; )(?:{'|'.join(HELD_FLAGS)})",
            meta=row("{quality_flag}"),
        ),
        gxe.ExpectColumnValuesToNotMatchRegex(
            column="narrative_measure",  # null for table cells (chiso.quality.unit_labels)
            regex=UNIT_ONLY,
            meta=row("the sentence names only a unit ({indicator_label!r}), not what the number counts"),
        ),
    ]


def _totals_expectations() -> list[Expectation]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    return [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="tolerance",
            column_B="abs_diff",
            or_equal=True,
            row_condition=Column("blocking") == True,  # noqa: E712 - a GX row condition, not a Python test
            meta={
                "reason": "totals mismatch: column {column}, {total_label} {total_value} "
                "vs sum {rows_sum} in {table_ref}",
                "unit": "document",
                "severity": "error",
            },
        )
    ]


def _arithmetic_expectations() -> list[Expectation]:
    """Thresholds in printed units (chiso.quality.severity): half the last printed digit per rounded figure."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    def judged(severity: str, reason: str) -> dict[str, str]:
        return {"reason": reason, "unit": "row", "severity": severity}

    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="diff_steps",
            max_value=0.5,
            row_condition=Column("rounded") == False,  # noqa: E712 - a GX row condition
            meta=judged("discrepancy", "{computed_from} gives {expected}, printed {printed}: counts must add up exactly"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="diff_per_figure",
            max_value=0.5,
            row_condition=Column("rounded") == True,  # noqa: E712 - a GX row condition
            meta=judged(
                "discrepancy",
                "{computed_from} gives {expected}, printed {printed}: more than rounding {figures} printed figures allows",
            ),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="diff_steps",
            max_value=0.5,
            row_condition=Column("rounded") == True,  # noqa: E712 - a GX row condition
            meta=judged("rounding", "{computed_from} gives {expected}, printed {printed}: within rounding {figures} printed figures"),
        ),
    ]


def build_context(root: Path = EXPECTATIONS_DIR) -> None:
    """Create the datasource, suites, validation definitions and checkpoints from code.

    Run once to produce the committed JSON (and again after changing a suite,
    deleting the old files first); tests check that the committed suites still
    match the definitions above. Each suite validates a whole-dataframe batch.
    """
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=root)
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE)
    definitions = {
        "observations": _observation_expectations,
        "table_totals": _totals_expectations,
        "arithmetic": _arithmetic_expectations,
    }
    for name, expectations in definitions.items():
        asset = datasource.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe("whole_run")
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations()))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[validation],
                actions=[],
                result_format={"result_format": "COMPLETE"},
            )
        )


@cache
def _checkpoints(root: Path) -> dict[str, Checkpoint]:
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=root)
    return {name: context.checkpoints.get(name) for name in SUITES}


def _display(value: Any) -> str:
    """157.0 → '157', dates as ISO, None → '∅': how a person reads the printed value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "∅"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()[:10]
    return str(value)


class _Row(dict[str, Any]):
    """A row for str.format_map: values shown as printed; `!r` keeps quotes on strings."""

    def __init__(self, row: dict[str, Any]) -> None:
        super().__init__({key: _Shown(value) for key, value in row.items()})


class _Shown:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        return format(_display(self.value), spec)

    def __repr__(self) -> str:
        return repr(_display(self.value))


def _where(row: dict[str, Any]) -> str:
    """Where the failing number was printed, so a person can find it in the file."""
    parts = [
        f"page {_display(row['page'])}" if row.get("page") is not None else "",
        _display(row.get("table_ref")) if row.get("table_ref") else "",
        f"row {row['row_label']!r}" if row.get("row_label") else "",
        f"column {row['column_label']!r}" if row.get("column_label") else "",
    ]
    located = ", ".join(part for part in parts if part)
    return f" ({located})" if located else ""


def _exception_message(info: dict[str, Any] | None) -> str:
    """GX nests exceptions per metric: {metric_id: {"exception_message": ...}}."""
    if not info:
        return "no failing rows reported"
    if "exception_message" in info:
        return str(info["exception_message"])
    return "; ".join(
        str(detail.get("exception_message")) for detail in info.values() if isinstance(detail, dict)
    )


CHECK_COLUMNS: Columns = CHECK_RESULTS.frame_schema()
"""One check result (landing.check_results without the run's stamps): `unit` is what was checked
(document, table or row), `holds` what a failure holds back (row, document, or none: a flag).
A passing row has no observation or place."""

_CHECKED_UNIT = {"observations": "row", "table_totals": "table"}


def _condition(kwargs: dict[str, Any]) -> str:
    """A GX row condition as a person reads it: "unit == 'percent'"."""
    condition = kwargs.get("row_condition")
    if not isinstance(condition, dict):
        return f" where {condition}" if condition else ""
    column = (condition.get("column") or {}).get("name", "?")
    return f" where {column} {condition.get('operator', '?')} {condition.get('parameter')!r}"


def expectation_name(config: Any) -> str:
    """'expect_column_values_to_be_between(value where unit == 'percent')': type, column, condition."""
    kwargs = config.kwargs
    columns = kwargs.get("column") or ", ".join(str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs)
    return f"{config.type}({columns}{_condition(kwargs)})"


def _expected(kind: str, kwargs: dict[str, Any]) -> str:
    """What the expectation asks of a value, in a few words."""
    if "value_set" in kwargs:
        return "one of " + ", ".join(map(str, kwargs["value_set"]))
    if "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        return f"{'' if low is None else _display(low)}…{'' if high is None else _display(high)}"
    if "column_A" in kwargs:
        return f"{kwargs['column_B']} ≤ {kwargs['column_A']}"
    return "unique" if "unique" in kind else "present"


def _check_row(
    suite: str, expectation: str, unit: str, holds: str, severity: str, success: bool, **found: Any
) -> dict[str, Any]:
    row = dict.fromkeys(CHECK_COLUMNS)
    row.update(suite=suite, expectation=expectation, unit=unit, holds=holds, severity=severity, success=success)
    row.update(found)
    return row


def _failure_values(suite: str, kind: str, kwargs: dict[str, Any], row: dict[str, Any]) -> tuple[str, str]:
    """(observed, expected) of a failing row, as printed."""
    if suite == "table_totals":
        return _display(row.get("total_value")), _display(row.get("rows_sum"))
    if suite == "arithmetic":
        return _display(row.get("printed")), _display(row.get("expected"))
    column: str = kwargs.get("column") or kwargs.get("column_A") or ""
    return _display(row.get(column)), _expected(kind, kwargs)


def _run_suite(
    name: str, frame: pl.DataFrame, result: GateResult, root: Path, locate: bool
) -> list[tuple[int, str, dict[str, Any]]]:
    """Validate `frame`; record outcomes in `result`.

    A holding suite's failing rows are recorded at once; a judging suite's
    (`arithmetic`) come back as (frame row, severity, check row) for the caller
    to keep the worst per row."""
    if frame.is_empty():
        return []
    df: pd.DataFrame = frame.to_pandas()
    documents = frame["document_id"].unique().to_list()
    checkpoint = _checkpoints(root)[name]
    run = checkpoint.run(batch_parameters={"dataframe": df})
    judged: list[tuple[int, str, dict[str, Any]]] = []
    holding = name != "arithmetic"
    for identifier, validation in run.run_results.items():
        result.validations.append((identifier, validation))
        for outcome in validation.results:
            config = outcome.expectation_config
            assert config is not None, "GX validation results carry their expectation's configuration"
            unit = config.meta.get("unit", "document")
            holds = unit if holding else "none"
            severity = config.meta.get("severity", "error")
            expectation = expectation_name(config)
            if holding:
                result.checks_run += len(documents)
            failing_rows = [] if outcome.success else outcome.result.get("unexpected_index_list")
            if failing_rows is None:  # GX reports a crashed check as failed, without rows
                raise GateError(
                    f"{name}: {config.type} {config.kwargs} could not run: "
                    + _exception_message(outcome.exception_info)
                )
            template = config.meta.get("reason", config.type)
            by_document: dict[str, list[str]] = defaultdict(list)
            for index in failing_rows:
                row = frame.row(index, named=True)
                reason = template.format_map(_Row(row)) + (_where(row) if locate else "")
                by_document[row["document_id"] or ""].append(reason)
                observed, expected = _failure_values(name, config.type, config.kwargs, row)
                checked = _CHECKED_UNIT.get(name) or ("table" if row.get("check") == "total" else "row")
                check = _check_row(
                    name, expectation, checked, holds, severity, False,
                    document_id=row.get("document_id"), observation_id=row.get("observation_id"),
                    page=row.get("page"), table_ref=row.get("table_ref"),
                    row_label=row.get("row_label") or row.get("total_label"),
                    column_label=row.get("column_label") or row.get("column_code") or row.get("column"),
                    observed_value=observed, expected_value=expected, reason=reason,
                )  # fmt: skip
                if not holding:
                    judged.append((index, severity, check))
                    continue
                result.checks.append(check)
                if unit == "row":
                    result.held_rows.setdefault(row.get("observation_id"), []).append(reason)
            for document_id in documents:
                if document_id not in by_document:
                    checked = _CHECKED_UNIT.get(name, "row")
                    result.checks.append(
                        _check_row(name, expectation, checked, holds, severity, True, document_id=document_id)
                    )
            if not holding:
                continue
            target = result.row_reasons if unit == "row" else result.failed
            for document_id, reasons in by_document.items():
                result.checks_failed += 1
                target.setdefault(document_id, []).extend(_summarised(reasons))
    return judged


def _judge_arithmetic(observations: pl.DataFrame, totals: pl.DataFrame, result: GateResult, root: Path) -> None:
    """Run the `arithmetic` suite; the worst failing expectation of a comparison is its severity."""
    from chiso.quality.severity import SEVERITY_ORDER, comparisons

    frame = comparisons(observations, totals)
    worst: dict[int, tuple[str, dict[str, Any]]] = {}
    for index, severity, check in _run_suite("arithmetic", frame, result, root, locate=False):
        if SEVERITY_ORDER.get(severity, 0) > SEVERITY_ORDER.get(worst.get(index, ("", {}))[0], 0):
            worst[index] = (severity, check)
    result.checks.extend(check for _, check in worst.values())
    result.arithmetic = frame.with_columns(
        severity=pl.Series([worst[i][0] if i in worst else None for i in range(frame.height)], dtype=pl.String)
    )


def _summarised(reasons: list[str]) -> list[str]:
    """The first few distinct reasons of one check, then a count of the rest."""
    shown = list(dict.fromkeys(reasons))
    extra = len(shown) - MAX_REASONS_PER_CHECK
    listed = shown[:MAX_REASONS_PER_CHECK]
    if extra > 0:
        listed.append(f"… and {extra} more rows failing the same check")
    return listed


def observations_checked(observations: pl.DataFrame) -> pl.DataFrame:
    """The frame the `observations` suite validates: the landing columns and two read from them."""
    return observations.with_columns(
        period_year=pl.col("period_end").dt.year(), narrative_measure=narrative_measure(observations)
    )


def validate_batch(
    observations: pl.DataFrame, totals: pl.DataFrame, root: Path = EXPECTATIONS_DIR
) -> GateResult:
    """Validate a run's observations and its totals checks; report failing documents.

    `observations` has the landing contract's columns (chiso.load.frames.OBSERVATION_SCHEMA);
    `totals` is chiso.quality.arithmetic.totals_checks(observations).
    """
    result = GateResult()
    _run_suite("observations", observations_checked(observations), result, root, locate=True)
    _run_suite("table_totals", totals, result, root, locate=False)
    _judge_arithmetic(observations, totals, result, root)
    return result
