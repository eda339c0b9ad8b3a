"""The totals self-check: a printed grand-total row must equal the sum of its rows.

Government tables print their own control sum ("Cộng", "Tổng cộng", "TỔNG").
When it disagrees with the rows, either the extraction misread a cell or the
source copy was altered, and in both cases the document must not be published
unseen. This module only *computes* the comparison, one row per table column;
the Great Expectations suite `table_totals` (chiso/quality/gate.py) decides.

Only additive units are checked (`count`, `amount`): percentages, scores and
ratios of a totals row are not sums of the rows.

Counts read from a born-digital file block publication: a count table's total
is by definition the sum of its units, so a mismatch means an altered copy.
Counts read by OCR do not: a misread digit is the likely cause, and the
document is loaded with the mismatch flagged for review (`blocking` is false).
Money amounts do not block either:
budget tables' national totals legitimately include lines not allocated to any
province (the Ministry of Finance's Plan_2010 prints a TỔNG SỐ above the sum of
its 63 provinces, which agree with the regional subtotals). Their mismatches are
kept as printed and flagged on the total row (`flag_total_mismatches`).
"""

from __future__ import annotations

import re

import polars as pl

from chiso.columns import Columns
from chiso.normalize.labels import totals_key
from chiso.read.registry import OCR_METHODS  # tables whose digits may be misread: arithmetic reported, not enforced

ADDITIVE_UNITS = ("count", "amount")

_GRAND_TOTAL_LABELS = frozenset(
    {"cong", "tong cong", "tong", "tong so", "toan tinh", "cong toan tinh", "tong cong toan tinh"}
)
"""Folded labels of a grand-total row. Regional subtotals ("Cộng khối huyện") are not here."""

_BREAKDOWN_PREFIXES = ("trong do", "trong so", "rieng", "bao gom")
"""Rows that detail the row above them ("Trong đó: nữ") and so are not summed."""

_NOISE = re.compile(r"\(.*?\)|[^\w\s]")

TOTALS_SCHEMA: Columns = {
    "document_id": pl.String,
    "table_ref": pl.String,
    "page": pl.Int32,
    "column_label": pl.String,
    "column_code": pl.String,
    "column": pl.String,
    "unit": pl.String,
    "total_label": pl.String,
    "total_value": pl.Float64,
    "rows_sum": pl.Float64,
    "compared_with": pl.String,
    "diff": pl.Float64,
    "abs_diff": pl.Float64,
    "tolerance": pl.Float64,
    "blocking": pl.Boolean,
    "terms": pl.Int64,
    "method": pl.String,
}


def _label_key(label: str) -> str:
    """Folded, without marks, totals words read back where OCR mangled them ('Téng cing:' → 'tong cong')."""
    return " ".join(_NOISE.sub(" ", totals_key(label)).split())


def is_grand_total_label(label: str | None) -> bool:
    """'TỔNG', 'Tổng cộng:', 'Cộng (toàn tỉnh)' → True; 'Cộng khối huyện' → False."""
    return label is not None and _label_key(label) in _GRAND_TOTAL_LABELS


def _is_breakdown_label(label: str | None) -> bool:
    return label is not None and _label_key(label).startswith(_BREAKDOWN_PREFIXES)


def _label_flags(labels: pl.Series) -> pl.DataFrame:
    """Classify each distinct label once (fold is Python; tables repeat labels a lot)."""
    distinct = labels.drop_nulls().unique()
    return pl.DataFrame(
        {
            "row_label": distinct,
            "_grand": [is_grand_total_label(v) for v in distinct],
            "_breakdown": [_is_breakdown_label(v) for v in distinct],
        },
        schema={"row_label": pl.String, "_grand": pl.Boolean, "_breakdown": pl.Boolean},
    )


def totals_checks(observations: pl.DataFrame) -> pl.DataFrame:
    """One row per document × table × additive column that prints exactly one grand total.

    The table is its `table_ref` (a table continued on the next page keeps its
    name), or its page when unnamed. The grand total is compared with the sum
    of the ordinary rows and, when the table has regional subtotal rows (also
    `is_total`), with the sum of the subtotals; the closer of the two is
    reported, so a table passes if either adds up. `tolerance` is 0.5 for
    counts and 1 + 1e-6 × |total| for amounts (printed rounding).
    """
    cells = observations.filter(
        pl.col("unit").is_in(ADDITIVE_UNITS)
        & pl.col("row_label").is_not_null()
        & (pl.col("column_label").is_not_null() | pl.col("column_code").is_not_null())
        & pl.col("value").is_not_null()
    )
    if cells.is_empty():
        return pl.DataFrame(schema=TOTALS_SCHEMA)

    cells = (
        cells.join(_label_flags(cells["row_label"]), on="row_label", how="left")
        .with_columns(
            table_key=pl.coalesce(pl.col("table_ref"), pl.format("page {}", pl.col("page"))),
            is_total=pl.col("is_total").fill_null(False),
        )
        .with_columns(
            grand=pl.col("is_total") & pl.col("_grand"),
            subtotal=pl.col("is_total") & ~pl.col("_grand"),
            ordinary=~pl.col("is_total") & ~pl.col("_breakdown"),
        )
    )
    keys = ["document_id", "table_key", "column_label", "column_code"]
    grouped = (
        cells.group_by(keys, maintain_order=True)
        .agg(
            n_grand=pl.col("grand").sum(),
            n_rows=pl.col("ordinary").sum(),
            n_sub=pl.col("subtotal").sum(),
            table_ref=pl.col("table_ref").filter(pl.col("grand")).first(),
            page=pl.col("page").filter(pl.col("grand")).first(),
            unit=pl.col("unit").filter(pl.col("grand")).first(),
            method=pl.col("extraction_method").filter(pl.col("grand")).first(),
            total_label=pl.col("row_label").filter(pl.col("grand")).first(),
            total_value=pl.col("value").filter(pl.col("grand")).first(),
            rows_total=pl.col("value").filter(pl.col("ordinary")).sum(),
            sub_total=pl.col("value").filter(pl.col("subtotal")).sum(),
        )
        .filter((pl.col("n_grand") == 1) & (pl.col("n_rows") >= 1))
    )
    diff_rows = pl.col("total_value") - pl.col("rows_total")
    diff_sub = pl.col("total_value") - pl.col("sub_total")
    use_sub = (pl.col("n_sub") > 0) & (diff_sub.abs() < diff_rows.abs())
    return (
        grouped.with_columns(
            rows_sum=pl.when(use_sub).then(pl.col("sub_total")).otherwise(pl.col("rows_total")),
            compared_with=pl.when(use_sub).then(pl.lit("subtotals")).otherwise(pl.lit("rows")),
            terms=pl.when(use_sub).then(pl.col("n_sub")).otherwise(pl.col("n_rows")),
            column=pl.coalesce(pl.col("column_code"), pl.col("column_label")),
        )
        .with_columns(diff=pl.col("total_value") - pl.col("rows_sum"))
        .with_columns(
            abs_diff=pl.col("diff").abs(),
            tolerance=pl.when(pl.col("unit") == "amount")
            .then(1.0 + 1e-6 * pl.col("total_value").abs())
            .otherwise(pl.lit(0.5)),
            blocking=(pl.col("unit") == "count") & ~pl.col("method").is_in(sorted(OCR_METHODS)),
        )
        .select([pl.col(name).cast(dtype) for name, dtype in TOTALS_SCHEMA.items()])
    )


def flag_total_mismatches(
    observations: pl.DataFrame, totals: pl.DataFrame, discrepant: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Set `quality_flag` on printed totals that differ from their rows without blocking the document.

    `discrepant` (rows of `totals`) are the mismatches to flag, as the `arithmetic`
    suite judged them (chiso.quality.severity: a difference within the printed
    rounding is not flagged); without it, every difference beyond `tolerance`.
    """
    if discrepant is None:
        discrepant = totals.filter(~pl.col("blocking") & (pl.col("abs_diff") > pl.col("tolerance")))
    mismatched = discrepant
    if mismatched.is_empty():
        return observations
    flags = mismatched.select(
        "document_id",
        "table_ref",
        "column_label",
        pl.col("total_label").alias("row_label"),
        pl.lit(True).alias("is_total"),
        pl.format(
            "printed total {} differs from the sum of its rows {} ({}); kept as printed",
            pl.col("total_value"),
            pl.col("rows_sum"),
            pl.col("compared_with"),
        ).alias("_flag"),
    ).unique(subset=["document_id", "table_ref", "column_label", "row_label"])
    keys = ["document_id", "table_ref", "column_label", "row_label", "is_total"]
    return (
        observations.join(flags, on=keys, how="left", nulls_equal=True)
        .with_columns(quality_flag=pl.coalesce(pl.col("quality_flag"), pl.col("_flag")))
        .drop("_flag")
    )
