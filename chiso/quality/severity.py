"""Rounding or discrepancy: how far an arithmetic self-check misses, in the source's printed precision.

A budget table prints whole million VND; its provinces' figures are each rounded,
so their sum may miss the printed total by up to half a unit per figure. A sum of
percentages printed to one decimal ("6=7+8+9") may miss by 0.05 per figure. Such
a difference is *rounding*: the source could not have printed it otherwise, and
flagging it buries the real *discrepancies* (a formula cell that contradicts its
row, a national total with unallocated lines) under noise.

This module turns the non-blocking totals (chiso.quality.arithmetic) and the
formula checks (chiso.quality.formulas) into one frame of comparisons measured in
printed units, which the Great Expectations suite `arithmetic` judges. The
thresholds are the suite's (expectations/gx/expectations/arithmetic.json), not
this module's: this module only says what a printed unit is and how many rounded
figures a comparison involves.

* `diff_steps` — |printed − expected| in units of the last printed digit;
* `figures` — rounded figures behind the comparison: each summed operand and the
  printed result (a ratio of counts: only its result);
* `diff_per_figure` — `diff_steps / figures`;
* `rounded` — false for counts, which are exact: any difference is a discrepancy.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from chiso.columns import Columns
from chiso.quality.formulas import printed_decimals
from chiso.read.registry import TYPED_CELL_METHODS

SPREADSHEET_METHODS = TYPED_CELL_METHODS
"""Cells that store more digits than they display: their amounts are taken as printed in whole units."""

EXACT_UNITS = ("count",)
"""Counts are whole by nature; the other units are rounded figures."""

COMPARISON_SCHEMA: Columns = {
    "check": pl.String,
    "document_id": pl.String,
    "table_ref": pl.String,
    "page": pl.Int32,
    "row_label": pl.String,
    "column_label": pl.String,
    "column_code": pl.String,
    "unit": pl.String,
    "method": pl.String,
    "printed": pl.Float64,
    "expected": pl.Float64,
    "computed_from": pl.String,
    "abs_diff": pl.Float64,
    "rel_diff": pl.Float64,
    "step": pl.Float64,
    "figures": pl.Int64,
    "diff_steps": pl.Float64,
    "diff_per_figure": pl.Float64,
    "rounded": pl.Boolean,
    "key": pl.Int64,
}
"""`check` is `total` or `formula`; `key` is the row of the totals frame, or of the observations
frame for a formula cell, so a discrepancy can be flagged where it was printed."""

SEVERITY_ORDER = {"discrepancy": 2, "rounding": 1}


def _step(unit: str | None, method: str | None, source_text: str | None, value: float) -> float:
    """The value of the last printed digit: 1 for '2.099.023', 0.1 for '53,7%'."""
    if unit == "amount" and method in SPREADSHEET_METHODS:
        return 1.0
    return 10.0 ** -printed_decimals(source_text, value)


def comparisons(observations: pl.DataFrame, totals: pl.DataFrame) -> pl.DataFrame:
    """Every non-blocking total and every formula cell, as one frame for the `arithmetic` suite."""
    from chiso.quality.formulas import formula_checks

    rows: list[tuple[Any, ...]] = []
    for key, row in enumerate(totals.iter_rows(named=True)):
        if row["blocking"]:
            continue  # an altered copy: the `table_totals` suite holds the document
        step = _step(row["unit"], row["method"], None, row["total_value"])
        rows.append((
            "total", row["document_id"], row["table_ref"], row["page"], row["total_label"],
            row["column_label"], row["column_code"], row["unit"], row["method"], row["total_value"],
            row["rows_sum"], f"sum of {row['terms']} {row['compared_with']}", row["abs_diff"],
            step, (row["terms"] or 0) + 1, key,
        ))  # fmt: skip
    formulas = formula_checks(observations, with_rows=True)
    methods = observations["extraction_method"] if formulas.height else None
    for row in formulas.iter_rows(named=True):
        method = methods[row["_row"]] if methods is not None else None
        step = _step(row["unit"], method, row["source_text"], row["printed"])
        figures = 1 if row["has_division"] else row["terms"] + 1
        rows.append((
            "formula", row["document_id"], row["table_ref"], row["page"], row["row_label"],
            None, row["column_code"], row["unit"], method, row["printed"], row["expected"],
            f"{row['column_code']}: {row['computed_from']}", abs(row["printed"] - row["expected"]),
            step, figures, row["_row"],
        ))  # fmt: skip
    names = [n for n in COMPARISON_SCHEMA if n not in ("rel_diff", "diff_steps", "diff_per_figure", "rounded")]
    base = {n: COMPARISON_SCHEMA[n] for n in names}
    frame = pl.DataFrame(rows, schema=base, orient="row")
    return frame.with_columns(
        rel_diff=pl.col("abs_diff") / pl.max_horizontal(pl.col("expected").abs(), pl.lit(1e-12)),
        diff_steps=pl.col("abs_diff") / pl.col("step"),
        diff_per_figure=pl.col("abs_diff") / pl.col("step") / pl.col("figures").clip(lower_bound=1),
        rounded=~pl.col("unit").is_in(EXACT_UNITS),
    ).select(list(COMPARISON_SCHEMA))


def flag_discrepancies(
    observations: pl.DataFrame, totals: pl.DataFrame, judged: pl.DataFrame
) -> pl.DataFrame:
    """`quality_flag` on the cells whose comparison the suite judged a discrepancy; rounding is not flagged.

    `judged` is `comparisons(...)` with the suite's `severity` column (chiso.quality.gate).
    """
    from chiso.quality.arithmetic import flag_total_mismatches
    from chiso.quality.formulas import flag_formula_mismatches, formula_checks

    bad = judged.filter(pl.col("severity") == "discrepancy")
    total_rows = bad.filter(pl.col("check") == "total")["key"].to_list()
    flagged = flag_total_mismatches(observations, totals, totals[total_rows] if total_rows else totals.clear())
    formula_rows = set(bad.filter(pl.col("check") == "formula")["key"].to_list())
    if not formula_rows:
        return flagged
    checks = formula_checks(flagged, with_rows=True)
    return flag_formula_mismatches(flagged, checks.filter(pl.col("_row").is_in(sorted(formula_rows))))
