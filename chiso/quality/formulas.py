"""The formula self-check: a cell must agree with the formula printed over its column.

Vietnamese report tables number their columns and print the derivation of the
computed ones in that row: "9=7/1" (a rate in percent), "6=7+8+9" (a sum).
Recomputing each such cell from the cells of the same row catches both OCR
misreads (seed-000: "9" read for 92,4% = 97/105) and the source's own slips
(Biểu số 2, Ninh Giang: 53,7% printed for 46/86 = 53,5%). Either way the
printed value is kept: this module only reports and flags, never corrects.

A row's cells are matched by document, table (its `table_ref`, or its page
when unnamed, as in `chiso.quality.arithmetic`) and row label; a table continued
on the next page keeps its name, so its operands may sit on another page.
Tables are emitted column by column, so when a label repeats in one table the
i-th occurrence in each column is the i-th such row; if the columns disagree on
how often the label occurs, the row is skipped rather than guessed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import polars as pl

from chiso.columns import Columns

FORMULA_SCHEMA: Columns = {
    "document_id": pl.String,
    "table_ref": pl.String,
    "page": pl.Int32,
    "row_label": pl.String,
    "column_code": pl.String,
    "printed": pl.Float64,
    "expected": pl.Float64,
    "computed_from": pl.String,
    "tolerance": pl.Float64,
    "ok": pl.Boolean,
}

_CODE = re.compile(r"^\s*\(?\s*(\d+)\s*\)?\s*(?:=\s*(.+?))?\s*$")
"""A column-number cell: "7", "(7)", or "9=7/1" (number = formula)."""

_COLUMN_NUMBER = r"^\s*\(?\s*(\d+)\s*\)?\s*(?:=.*)?$"
"""The same pattern for Polars: the cell's own column number."""

_OPERATORS = str.maketrans({":": "/", "x": "*", "X": "*", "×": "*", "÷": "/", "–": "-", "−": "-"})
"""Ways tables print operators besides + - * /."""

_PRINTED_DECIMALS = re.compile(r"\d[.,](\d+)\D*$")

Formula = Callable[[dict[int, float]], float]


class _MissingOperand(Exception):
    """The row lacks a cell the formula needs (or it is ambiguous): nothing to check."""


@lru_cache(maxsize=1024)
def parse_formula(code: str) -> tuple[int, Formula, bool, int] | None:
    """"9=7/1" → (9, evaluator, has_division, number_of_terms); None when not a formula.

    The expression is parsed with `ast` and only + - * / and parentheses over
    column numbers are accepted, so a caption that merely contains "=" is ignored.
    """
    match = _CODE.match(code)
    if not match or not match.group(2):
        return None
    try:
        tree = ast.parse(match.group(2).translate(_OPERATORS), mode="eval").body
    except SyntaxError:
        return None
    ops = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__, ast.Div: float.__truediv__}
    has_division = False
    terms = 0

    def build(node: ast.AST) -> Formula | None:
        nonlocal has_division, terms
        if isinstance(node, ast.Constant) and type(node.value) is int:
            column = node.value
            terms += 1

            def operand(cells: dict[int, float]) -> float:
                if column not in cells:
                    raise _MissingOperand(column)
                return cells[column]

            return operand
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            left, right, op = build(node.left), build(node.right), ops[type(node.op)]
            if left is None or right is None:
                return None
            has_division |= isinstance(node.op, ast.Div)
            return lambda cells: op(left(cells), right(cells))
        return None

    evaluator = build(tree)
    return None if evaluator is None else (int(match.group(1)), evaluator, has_division, terms)


def printed_decimals(source_text: str | None, value: float) -> int:
    """Decimals as printed ("53,7%" → 1, "92%" → 0); from the value when the text is missing.

    Three digits after a separator are a thousands group ("1.401"), not decimals.
    """
    if source_text:
        match = _PRINTED_DECIMALS.search(source_text.strip())
        if match is None:
            return 0
        if len(match.group(1)) != 3:
            return len(match.group(1))
    return next(d for d in range(7) if d == 6 or abs(round(value, d) - value) < 1e-9)


@lru_cache(maxsize=1024)
def _template(code: str) -> tuple[str, tuple[int, ...]]:
    """"9=7/1" → ("{}/{}", (7, 1)): parsed once per code, filled once per row."""
    parsed = _CODE.match(code)
    assert parsed is not None and parsed.group(2), f"{code!r} is no formula code"
    expression = parsed.group(2).translate(_OPERATORS).replace(" ", "")
    return re.sub(r"\d+", "{}", expression), tuple(int(n) for n in re.findall(r"\d+", expression))


def _substituted(code: str, cells: dict[int, float]) -> str:
    """"9=7/1" with the row's cells → "97/105", for the reviewer's message."""
    template, columns = _template(code)
    return template.format(*(f"{cells[c]:g}" for c in columns))


def _checks(observations: pl.DataFrame) -> pl.DataFrame:
    """The checks, with `_row`: the position of the checked cell in `observations`."""
    schema = {
        "_row": pl.UInt32, **FORMULA_SCHEMA,
        "terms": pl.Int64, "has_division": pl.Boolean, "source_text": pl.String, "unit": pl.String,
    }
    frame = observations.with_row_index("_row")
    table_key = pl.coalesce(pl.col("table_ref"), pl.format("page {}", pl.col("page"))).alias("_table")
    tables = frame.filter(pl.col("column_code").str.contains("=")).select("document_id", table_key)
    if tables.is_empty():
        return pl.DataFrame(schema=schema)
    cells = (
        frame.with_columns(table_key)
        .join(tables.unique(), on=["document_id", "_table"], how="semi")
        .filter(pl.col("row_label").is_not_null() & pl.col("value").is_not_null())
        .with_columns(_column=pl.col("column_code").str.extract(_COLUMN_NUMBER).cast(pl.Int64))
        .filter(pl.col("_column").is_not_null())
        .sort("seq", "_row", nulls_last=True)
        .with_columns(
            _occurrence=pl.int_range(pl.len()).over("document_id", "_table", "row_label", "_column"),
            _occurrences=pl.len().over("document_id", "_table", "row_label", "_column"),
        )
    )
    rows: dict[tuple[Any, ...], dict[int, tuple[float, int]]] = {}
    records = cells.select(
        "document_id", "_table", "row_label", "_occurrence", "_occurrences", "_column", "value"
    ).iter_rows()
    for document_id, table, label, occurrence, occurrences, column, value in records:
        rows.setdefault((document_id, table, label, occurrence), {})[column] = (value, occurrences)

    results = []
    targets = cells.filter(pl.col("column_code").str.contains("=")).select(
        "_row", "document_id", "_table", "table_ref", "page", "row_label", "column_code",
        "value", "unit", "source_text", "_occurrence", "_occurrences",
    )
    for row, document_id, table, table_ref, page, label, code, value, unit, text, occ, n in targets.iter_rows():
        formula = parse_formula(code)
        if formula is None:
            continue
        _, evaluate, has_division, terms = formula
        row_cells = {c: v for c, (v, count) in rows[(document_id, table, label, occ)].items() if count == n}
        try:
            raw = evaluate(row_cells)
        except (_MissingOperand, ZeroDivisionError):
            continue
        decimals = printed_decimals(text, value)
        half_unit = 0.5 * 10.0**-decimals
        if has_division:
            raw *= 100.0 if unit == "percent" else 1.0
            tolerance, expected = half_unit + 1e-9, round(raw, max(decimals, 1))
        else:
            tolerance = (terms * half_unit if decimals else 0.0) + 1e-9 * max(1.0, abs(raw))
            expected = round(raw, 6)
        results.append(
            (row, document_id, table_ref, page, label, code, value, expected,
             _substituted(code, row_cells), tolerance, abs(value - raw) <= tolerance,
             terms, has_division, text, unit)
        )
    return pl.DataFrame(results, schema=schema, orient="row")


def formula_checks(observations: pl.DataFrame, with_rows: bool = False) -> pl.DataFrame:
    """One row per cell under a printed formula whose operands are all in its row.

    `expected` is the recomputed value (a ratio into a percent column is
    100 × a / b, shown to at least one decimal); `ok` allows the printed
    rounding: half a unit of the last printed decimal for ratios (0.5 for
    "92%", 0.05 for "53,7%"), exact for sums of whole counts.
    Rows with a missing operand or a zero divisor are not checked. `with_rows`
    keeps `_row`, the checked cell's position in `observations`, and `terms`,
    `has_division` and `source_text`, which the `arithmetic` suite needs to
    tell rounding from a discrepancy (chiso.quality.severity).
    """
    checks = _checks(observations)
    return checks if with_rows else checks.drop("_row", "terms", "has_division", "source_text", "unit")


def flag_formula_mismatches(observations: pl.DataFrame, discrepant: pl.DataFrame | None = None) -> pl.DataFrame:
    """The same frame with `quality_flag` set on cells that break their printed formula.

    `discrepant` (rows of `formula_checks(observations, with_rows=True)`) are the
    cells to flag, as the `arithmetic` suite judged them; without it, every cell
    that is not `ok`. The value stays as printed; an existing flag is kept and the
    new one appended.
    """
    failed = _checks(observations).filter(~pl.col("ok")) if discrepant is None else discrepant
    if failed.is_empty():
        return observations
    flags = failed.select(
        "_row",
        pl.format(
            "arithmetic: {} gives {} ({}), printed {}",
            pl.col("column_code"),
            pl.col("expected").map_elements(lambda v: f"{v:g}", return_dtype=pl.String),
            pl.col("computed_from"),
            pl.col("printed").map_elements(lambda v: f"{v:g}", return_dtype=pl.String),
        ).alias("_flag"),
    )
    return (
        observations.with_row_index("_row")
        .join(flags, on="_row", how="left")
        .with_columns(
            quality_flag=pl.when(pl.col("_flag").is_null())
            .then(pl.col("quality_flag"))
            .when(pl.col("quality_flag").is_null())
            .then(pl.col("_flag"))
            .otherwise(pl.concat_str(pl.col("quality_flag"), pl.lit("; "), pl.col("_flag")))
        )
        .sort("_row")
        .drop("_row", "_flag")
    )
