"""The report's charts, drawn with Plotly and rendered offline from the bundled plotly.js.

Each function returns an HTML fragment (a <div> and the script that fills it);
the page loads plotly.js once from `assets/`, copied out of the installed
plotly package, so the report opens from the file system with no network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

PLOTLY_ASSET = "assets/plotly.min.js"
_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def write_plotly_js(out: Path) -> Path:
    """Copy the plotly.js that ships with the plotly package (the same version the figures were made for)."""
    from plotly.offline import get_plotlyjs

    target = out / PLOTLY_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    script = get_plotlyjs()
    if not target.exists() or target.stat().st_size != len(script.encode("utf-8")):
        target.write_text(script, encoding="utf-8")
    return target


def _html(figure: Any, div_id: str) -> str:
    return str(figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, config=_CONFIG, default_width="100%"
    ))


def _layout(figure: Any, title: str, height: int = 300) -> None:
    figure.update_layout(
        title={"text": title, "font": {"size": 14}}, height=height, margin={"l": 50, "r": 20, "t": 40, "b": 40},
        template="plotly_white", legend={"orientation": "h", "y": -0.2},
    )


def run_trend(runs: pl.DataFrame, column: str, title: str, div_id: str) -> str:
    """One line over the runs (x: start time), a marker per run so two runs show two points."""
    import plotly.graph_objects as go

    figure = go.Figure(
        go.Scatter(
            x=runs["started_at"].to_list(), y=runs[column].to_list(), mode="lines+markers", name=title,
            hovertext=runs["run_id"].to_list(),
        )
    )
    _layout(figure, title)
    return _html(figure, div_id)


def checks_failed_by_suite(checks: pl.DataFrame, div_id: str) -> str:
    """Failed checks per run, one line per suite; rounding is not a failure and is left out."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for suite in sorted(checks["suite"].unique().to_list()) if checks.height else []:
        rows = checks.filter(pl.col("suite") == suite).sort("run_started_at")
        figure.add_trace(
            go.Scatter(x=rows["run_started_at"].to_list(), y=rows["failed"].to_list(), mode="lines+markers", name=suite)
        )
    _layout(figure, "Checks failed by suite (rounding not counted)")
    return _html(figure, div_id)


def coverage_heatmaps(coverage: pl.DataFrame, indicators: list[str], div_id: str) -> str:
    """Indicator × year (provinces covered), and below it province × year for one indicator, chosen in a menu."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    subset = coverage.filter(pl.col("indicator_code").is_in(indicators))
    years = sorted(subset["year"].unique().to_list()) if subset.height else []
    provinces = sorted(subset["province"].unique().to_list()) if subset.height else []
    wide = subset.group_by("indicator_code", "year").agg(pl.col("province").n_unique().alias("provinces"))
    lookup = {(r["indicator_code"], r["year"]): r["provinces"] for r in wide.iter_rows(named=True)}
    figure = make_subplots(
        rows=2, cols=1, row_heights=[0.45, 0.55], vertical_spacing=0.08,
        subplot_titles=("Provinces covered: indicator × year", "Observations: province × year of the chosen indicator"),
    )  # fmt: skip
    figure.add_trace(
        go.Heatmap(
            x=years, y=indicators, z=[[lookup.get((i, y)) for y in years] for i in indicators],
            colorscale="Blues", colorbar={"title": "provinces", "y": 0.78, "len": 0.42},
            hovertemplate="%{y}<br>%{x}: %{z} provinces<extra></extra>",
        ),
        row=1, col=1,
    )  # fmt: skip
    per_indicator = []
    for indicator in indicators:
        rows = subset.filter(pl.col("indicator_code") == indicator)
        cells = {(r["province"], r["year"]): r["observations"] for r in rows.iter_rows(named=True)}
        per_indicator.append([[cells.get((p, y)) for y in years] for p in provinces])
    figure.add_trace(
        go.Heatmap(
            x=years, y=provinces, z=per_indicator[0] if per_indicator else [], colorscale="Greens",
            colorbar={"title": "obs.", "y": 0.27, "len": 0.5},
            hovertemplate="%{y}<br>%{x}: %{z} observations<extra></extra>",
        ),
        row=2, col=1,
    )  # fmt: skip
    figure.update_layout(
        updatemenus=[{
            "buttons": [
                {"label": indicator, "method": "restyle", "args": [{"z": [z]}, [1]]}
                for indicator, z in zip(indicators, per_indicator)
            ],
            "x": 0.0, "xanchor": "left", "y": 0.56, "yanchor": "bottom", "direction": "down",
        }] if indicators else [],
    )  # fmt: skip
    _layout(figure, "Coverage", height=max(700, 18 * (len(indicators) + len(provinces)) + 200))
    figure.update_yaxes(automargin=True, tickfont={"size": 9})
    return _html(figure, div_id)
