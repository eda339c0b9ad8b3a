"""GSO PX-Web CSV exports (real files from the GSO statistical database) → observations."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from chiso.model import BadInputError
from chiso.read.gso.periods import strip_period, value_status, year_span
from chiso.read.gso.reader import is_pxweb_csv, read_gso_csv


@pytest.fixture(scope="module")
def gso(real: Path) -> Path:
    folder = real / "gso" / "statistics-csv"
    if not folder.is_dir():
        pytest.skip(f"GSO exports not found at {folder}")
    return folder


def _by_cell(path: Path) -> dict[tuple[str, str], object]:
    return {(o.row_label, o.column_label): o for o in read_gso_csv(path).observations}


def test_average_population_has_every_province_year_cell(gso: Path) -> None:
    """Re-read the file with the csv module alone: every non-missing cell must be one observation."""
    path = gso / "Population and Employment" / "Average population by province.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    rows = list(csv.reader(io.StringIO("\n".join(lines[2:])), delimiter=";"))
    header, body = rows[0], [row for row in rows[1:] if row]
    expected = {
        (" ".join(row[0].split()), " ".join(column.split())): float(cell)
        for row in body
        for column, cell in zip(header[1:], row[1:])
        if cell.strip() not in ("..", "")
    }
    observations = read_gso_csv(path).observations
    got = {(o.row_label, o.column_label): o for o in observations}

    assert len(observations) == len(expected) == len(got)
    assert {key: o.value for key, o in got.items()} == expected
    for (row_label, column_label), o in got.items():
        assert o.entity_name == row_label
        year = int(re.search(r"\d{4}", column_label).group())
        assert (o.period_start, o.period_end) == (date(year, 1, 1), date(year, 12, 31))
        assert o.status == ("preliminary" if "Prel." in column_label else None)
        measure = column_label.split()[0]
        assert o.indicator_label == f"Average population — {measure}"
        assert o.unit == "count"
        assert o.extraction_method == "csv" and o.page is None and o.province is None
        assert o.source_text.startswith(f"{row_label} | {column_label} | ")


def test_average_population_marks_country_and_regions(gso: Path) -> None:
    cells = _by_cell(gso / "Population and Employment" / "Average population by province.csv")
    whole = cells[("WHOLE COUNTRY", "Total 1995")]
    assert (whole.entity_level, whole.is_total) == ("country", True)
    levels = {o.entity_name: o.entity_level for o in cells.values()}
    regions = {name for name, level in levels.items() if level == "region"}
    assert regions == {
        "Red River Delta",
        "Northern midlands and mountain areas",
        "Northern Central area and Central coastal area",
        "Central Highlands",
        "South East",
        "Mekong River Delta",
    }
    assert levels["Ha Noi"] == levels["Ca Mau"] == levels["Thai Nguyen"] == "unresolved"


def test_header_that_puts_the_year_first(gso: Path) -> None:
    path = gso / "Administrative Unit, Land and Climate" / "Number of administrative units as of 31 December by province.csv"
    document = read_gso_csv(path)
    wards = {(o.row_label, o.column_label): o for o in document.observations}[("WHOLE COUNTRY", "2009 Wards")]
    assert wards.indicator_label == "Number of administrative units — Wards"
    assert (wards.value, wards.unit, wards.period_end) == (1366.0, "count", date(2009, 12, 31))
    # This export is Windows-1252, not UTF-8: the reader says so and keeps the accent.
    assert "not UTF-8: decoded as Windows-1252" in document.warnings
    assert "Bình Dinh" in {o.entity_name for o in document.observations}


def test_monthly_station_table_has_month_periods(gso: Path) -> None:
    path = gso / "Administrative Unit, Land and Climate" / "Monthly rainfall at some stations.csv"
    cells = _by_cell(path)
    january = cells[("2016 | Lai Chau", "Jan.")]
    assert (january.value, january.entity_name, january.unit) == (74.0, "Lai Chau", "amount")
    assert (january.period_start, january.period_end) == (date(2016, 1, 1), date(2016, 1, 31))
    assert ("2016 | Tuyen Quang", "Dec") not in cells  # printed "..": missing, not zero


def test_regions_across_the_top_become_the_entity(gso: Path) -> None:
    path = gso / "Trade, Price and Tourism" / "Spatial cost of living index among regions by commodity group (Red River Delta = 100).csv"
    o = _by_cell(path)[("2016 | Food and foodstuff", "Northern midlands and mountain areas")]
    assert (o.entity_name, o.entity_level, o.value, o.unit) == ("Northern midlands and mountain areas", "region", 101.23, "ratio")
    assert o.indicator_label == "Spatial cost of living index among regions (Red River Delta = 100) — Food and foodstuff"


def test_period_from_a_range_stub_or_the_title(gso: Path) -> None:
    cells = _by_cell(gso / "Investment and Construction" / "Foreign direct investment projects licensed in period 1988 - 2016.csv")
    total = cells[("Total", "Number of projects")]
    assert (total.period_start, total.period_end, total.entity_level, total.unit) == (
        date(1988, 1, 1), date(2016, 12, 31), "country", "count")
    early = cells[("1988-1990", "Total registered capital (Mill. USD) (*)")]
    assert (early.period_start, early.period_end, early.unit) == (date(1988, 1, 1), date(1990, 12, 31), "amount")


def test_school_year_counted_as_of_30_september(gso: Path) -> None:
    cells = _by_cell(gso / "Education" / "Kindergarten education as of 30 September.csv")
    o = cells[("Total | Class", "Prel. 2016-2017")]
    assert (o.value, o.status, o.period_end) == (150.3, "preliminary", date(2016, 9, 30))
    assert o.indicator_label == "Kindergarten education — Total — Class"
    index = cells[("Index (Previous year = 100) - % | Class", "2015-2016")]
    assert index.unit == "ratio"


def test_units_follow_measure_then_title(gso: Path) -> None:
    structure = read_gso_csv(gso / "Administrative Unit, Land and Climate" / "Structure of used land by province (As of 31 December 2015).csv")
    assert {o.unit for o in structure.observations} == {"percent"}
    assert {o.period_end for o in structure.observations} == {date(2015, 12, 31)}
    crops = _by_cell(gso / "Agriculture, Forestry and Fishery" / "Planted area of main annual crops.csv")
    area = crops[("Planted area (Thous. ha) | 2000", "Paddy")]
    assert (area.unit, area.entity_name, area.value) == ("amount", "WHOLE COUNTRY", 7666.3)
    assert area.indicator_label == "Planted area of main annual crops — Planted area (Thous. ha) — Paddy"


def test_vietnamese_and_estimate_marks(gso: Path) -> None:
    justice = read_gso_csv(gso / "Health, Culture and Living Standard" / "Justice.csv").observations
    assert {o.status for o in justice if o.column_label == "Sơ bộ 2016"} == {"preliminary"}
    assert not any("Sơ bộ" in o.indicator_label for o in justice)
    revenue = read_gso_csv(gso / "National Accounts" / "State budget revenue final accounts.csv").observations
    assert {o.status for o in revenue if "Est." in o.column_label} == {"estimated"}


def test_resaved_data_frame_is_read_with_the_file_name_as_title(gso: Path) -> None:
    """An export re-saved from R (doubled header, no title) reads like the PX-Web original."""
    path = gso / "Population and Employment" / "Average population by sex.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[2:]
    document = read_gso_csv(path)
    assert any("re-saved from R" in w for w in document.warnings)
    cells = {(o.indicator_label, o.column_label, o.period_end.year): o for o in document.observations}
    assert len(cells) == len(document.observations) == 2 * len(rows)
    first, last = rows[0], rows[-1]
    male_1990 = cells[("Average population — total thous pers — Male", "Male", int(first[1]))]
    assert (male_1990.value, male_1990.entity_level, male_1990.status) == (float(first[2]), "country", None)
    assert last[1].startswith("Prel.")
    female_last = cells[("Average population — structure — Female", "Female", int(last[1].split()[-1]))]
    assert (female_last.value, female_last.unit, female_last.status) == (float(last[3]), "percent", "preliminary")


def test_resaved_headers_and_snake_case_rows_are_rebuilt(gso: Path) -> None:
    """`X2008`/`Pre..2016` headers and `whole_country`/`prel_2016` rows keep their years, places and marks."""
    poverty = read_gso_csv(gso / "Health, Culture and Living Standard" / "General poverty rate by region.csv")
    assert {o.entity_level for o in poverty.observations} == {"country", "region"}
    assert {o.column_label for o in poverty.observations} >= {"1998", "Pre 2016"}
    assert {o.period_end.year for o in poverty.observations if o.status == "preliminary"} == {2016}
    jobless = read_gso_csv(
        gso / "Population and Employment"
        / "Unemployment and underemployment rate of labour force at working age by region.csv"
    )
    preliminary = [o for o in jobless.observations if o.status == "preliminary"]
    assert preliminary and {o.period_end.year for o in preliminary} == {2016}
    assert "Unemployment rate Urban" in {o.column_label for o in jobless.observations}
    markets = read_gso_csv(gso / "Trade, Price and Tourism" / "Number of markets as of annual December 31st by province.csv")
    assert {(o.period_end.month, o.period_end.day) for o in markets.observations} == {(12, 31)}
    assert "Ha Noi" in {o.entity_name for o in markets.observations}


def test_every_export_reads_or_is_refused(gso: Path) -> None:
    """All real exports: the sniff and the reader agree, and nothing but BadInputError escapes."""
    read = refused = 0
    for path in sorted(gso.rglob("*.csv")):
        if is_pxweb_csv(path):
            assert read_gso_csv(path).observations, path
            read += 1
        else:
            with pytest.raises(BadInputError):
                read_gso_csv(path)
            refused += 1
    assert read == len(list(gso.rglob("*.csv"))) and refused == 0


def test_a_csv_that_is_neither_layout_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "Population by province.csv"
    path.write_text("Province;2019;2020\nHa Noi;8;8.2\n", encoding="utf-8")
    assert not is_pxweb_csv(path)
    with pytest.raises(BadInputError, match="not a PX-Web table: fewer than three lines"):
        read_gso_csv(path)


@pytest.mark.parametrize(
    ("header", "measure", "status", "span"),
    [
        ("Total Prel. 2017", "Total", "preliminary", (2017, 2017)),
        ("Pre. 2016 Less-temporary house", "Less-temporary house", "preliminary", (2016, 2016)),
        ("2008(*) Natural forest", "Natural forest", None, (2008, 2008)),
        ("2010 over 2009", "", None, (2010, 2010)),
        ("1995 -1996", "", None, (1995, 1996)),
        ("Incremental capital outputratio(ICOR) at constant 2010 prices",
         "Incremental capital outputratio(ICOR) at constant 2010 prices", None, None),
        ("Structure (%) Est.2016", "Structure (%)", "estimated", (2016, 2016)),
        ("Pre-school", "Pre-school", None, None),
        ("Population mid-year 2016 (Mill. pers.)", "Population mid-year (Mill. pers.)", None, (2016, 2016)),
        ("Index (Year 2010 = 100)", "Index (Year 2010 = 100)", None, None),
    ],
)
def test_header_parts(header: str, measure: str, status: str | None, span: tuple[int, int] | None) -> None:
    assert (strip_period(header), value_status(header), year_span(header)) == (measure, status, span)


def test_stations_are_their_own_entities(gso: Path) -> None:
    """Weather stations stay stations, even under a 'Cities, provinces' stub ('Bãi Cháy' is no province)."""
    land = gso / "Administrative Unit, Land and Climate"
    sea = read_gso_csv(land / "Average of sea level at some stations.csv").observations
    temperature = read_gso_csv(land / "Mean air temperature at some stations.csv").observations
    assert {o.entity_level for o in sea} == {o.entity_level for o in temperature} == {"station"}
    assert {"Cua Ong", "Lai Chau"} <= {o.entity_name for o in sea} | {o.entity_name for o in temperature}


def test_a_crop_that_reads_like_a_province_keeps_the_table_national(gso: Path) -> None:
    """'Longan' folds to 'Long An': one such row must not make a crop table provincial."""
    crops = read_gso_csv(gso / "Agriculture, Forestry and Fishery" / "Area having product of main perennial crops.csv")
    assert {o.entity_level for o in crops.observations} == {"country"}
    assert any(o.indicator_label.endswith("— Longan") for o in crops.observations)


def test_foreign_countries_and_the_only_header_year(gso: Path) -> None:
    """Countries abroad are not Việt Nam; a header's single year dates its undated columns, with a warning."""
    world = read_gso_csv(gso / "International Statistics" / "Surface area and population of some countries and territories.csv")
    levels = {o.entity_name: o.entity_level for o in world.observations}
    assert levels["Algeria"] == "foreign_country" and "country" in levels.values()
    assert {o.period_end for o in world.observations} == {date(2016, 12, 31)}
    assert any("dated 2016" in w for w in world.warnings)


def test_a_means_of_transport_stays_in_the_indicator(gso: Path) -> None:
    """'… by the road by province' is not the all-modes total: three tables, three indicators."""
    folder = gso / "Transport, Postal Services and Telecommunications"
    names = ("Volume of freight carried by province.csv", "Volume of freight carried by the road by province.csv",
             "Volume of freight carried by the waterway by province.csv")
    labels = [{o.indicator_label.split(" — ")[0] for o in read_gso_csv(folder / name).observations} for name in names]
    assert labels == [{"Volume of freight carried"}, {"Volume of freight carried by the road"},
                      {"Volume of freight carried by the waterway"}]


def test_a_price_basis_after_the_breakdown_stays_in_the_indicator(gso: Path) -> None:
    """GDP at constant 2010 prices and at current prices are different indicators."""
    folder = gso / "National Accounts"
    bases = [
        {o.indicator_label.split(" — ")[0] for o in read_gso_csv(folder / f"Gross domestic product by expenditure category at {basis} prices.csv").observations}
        for basis in ("constant 2010", "current")
    ]
    assert bases == [{"Gross domestic product at constant 2010 prices"}, {"Gross domestic product at current prices"}]
