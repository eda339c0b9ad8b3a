"""Base tables: grids rebuilt from truth files, with what a renderer needs to print them.

A truth file lists one fact per printed cell (row label × column header path); the grid is
rebuilt from those, in their printed order. The decimals of each value are kept as written in
the truth (`14.50` keeps two), because a document prints a column with a fixed number of
decimals and a variant must print exactly what a real one would.
"""

from __future__ import annotations

import csv
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

_TOTAL = re.compile(r"^(cộng|tổng cộng|tổng|tổng số)$", re.I)
_STAT = re.compile(r"^chỉ số (cao nhất|trung bình|thấp nhất)$", re.I)


@dataclass(frozen=True)
class Cell:
    """One printed number: its value and how many decimals the document prints."""

    value: float
    decimals: int


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell | None, ...]
    """One per column; None is a blank cell (not a fact)."""
    kind: str = "entity"
    """`entity`, `category` (a row that names no place), `total` or `stat` (max/mean/min rows)."""


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]
    """Header captions top to bottom; the truth's column label is them joined with ' / '."""
    unit: str
    """count, percent or score."""

    @property
    def label(self) -> str:
        return " / ".join(self.path)


@dataclass(frozen=True)
class BaseTable:
    """A table as a document prints it, before and after a variant's transform."""

    name: str
    """Stable id of the base (e.g. `corpus:Biểu số 1`), used in reports and seeds."""
    table_ref: str
    """'Biểu số 1', or a section heading such as 'I. ĐỐI VỚI CẤP SỞ'."""
    title: str
    as_of: str
    """'(Tính đến 31/7/2022)' or 'NĂM 2025'."""
    province: str
    """As the title prints it: 'TỈNH HẢI DƯƠNG' (changes when the units are replaced)."""
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    entity_level: str
    """Level of the entity rows: district, commune, agency or category."""
    label_caption: str = "Đơn vị"
    additive: bool = False
    """Counts whose totals row is the sum of the rows (sums are recomputed after transforms)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def truth(self) -> list[tuple[str, str, float]]:
        """(row label, column label, value) of every printed number."""
        return [
            (row.label, column.label, cell.value)
            for row in self.rows
            for column, cell in zip(self.columns, row.cells)
            if cell is not None
        ]

    def with_rows(self, rows: list[Row]) -> BaseTable:
        return replace(self, rows=tuple(rows))


def decimals_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _grid(records: list[dict[str, str]], value_key: str = "value") -> tuple[list[str], list[str], dict]:
    rows: OrderedDict[str, None] = OrderedDict()
    cols: OrderedDict[str, None] = OrderedDict()
    cells: dict[tuple[str, str], Cell] = {}
    for record in records:
        rows[record["row_label"]] = None
        cols[record["column_label"]] = None
        text = record[value_key]
        cells[(record["row_label"], record["column_label"])] = Cell(float(text), decimals_of(text))
    return list(rows), list(cols), cells


def _row_kind(label: str, level: str) -> str:
    if _TOTAL.match(label.strip()):
        return "total"
    if _STAT.match(label.strip()):
        return "stat"
    return "category" if level == "category" else "entity"


def _build(name: str, table_ref: str, title: str, as_of: str, province: str, records: list[dict[str, str]],
           units: dict[str, str], level: str, caption: str, additive: bool) -> BaseTable:
    row_labels, col_labels, cells = _grid(records)
    columns = tuple(Column(tuple(label.split(" / ")), units.get(label, "count")) for label in col_labels)
    rows = tuple(
        Row(label, tuple(cells.get((label, col)) for col in col_labels), _row_kind(label, level))
        for label in row_labels
    )
    return BaseTable(name, table_ref, title, as_of, province, columns, rows, level, caption, additive)


_CORPUS_TABLES = {
    # (truth file, table_ref) → title line, as-of line, label column caption, level of the rows
    ("haiduong_tong-ket-de-an-01_2022.pdf.csv", "Biểu số 1"): (
        "KẾT QUẢ THỰC HIỆN BÍ THƯ CHI BỘ ĐỒNG THỜI LÀ TRƯỞNG THÔN, KHU DÂN CƯ",
        "(Tính đến 31/7/2022)", "Đơn vị", "district"),
    ("haiduong_tong-ket-de-an-01_2022.pdf.csv", "Biểu số 2"): (
        "KẾT QUẢ SẮP XẾP, TINH GIẢN BIÊN CHẾ CÁN BỘ, CÔNG CHỨC VÀ NGƯỜI HOẠT ĐỘNG KHÔNG CHUYÊN TRÁCH",
        "(Tính đến 30/6/2022)", "Đơn vị", "district"),
    ("haiduong_tong-ket-de-an-01_2022.pdf.csv", "Biểu số 3"): (
        "KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ CƠ SỞ NHIỆM KỲ 2015 - 2020",
        "(Tính đến 31/12/2020)", "Chức danh", "category"),
    ("haiduong_bieu04_can-bo-chu-chot_scan.pdf.csv", "Biểu số 4"): (
        "TRÌNH ĐỘ CÁN BỘ CHỦ CHỐT CẤP XÃ",
        "(Tính đến 30/6/2022)", "Đơn vị", "district"),
    ("haiduong_bieu06_luan-chuyen-can-bo_2016-2021.xlsx.csv", "Biểu số 6"): (
        "KẾT QUẢ LUÂN CHUYỂN CÁN BỘ GIAI ĐOẠN 2016 - 2021",
        "NĂM 2016 - 2021", "Chức danh", "category"),
}


def corpus_tables(corpus: Path) -> list[BaseTable]:
    """The corpus appendix tables and the two CCHC score sheets, as grids."""
    tables: list[BaseTable] = []
    for (file_name, ref), (title, as_of, caption, level) in _CORPUS_TABLES.items():
        records = [r for r in _read(corpus / "truth" / file_name)
                   if r["kind"] == "table_cell" and r["table_ref"] == ref]
        units = {r["column_label"]: r["unit"] for r in records if not _TOTAL.match(r["row_label"])}
        tables.append(_build(f"corpus:{ref}", ref, title, as_of, "TỈNH HẢI DƯƠNG", records, units, level, caption,
                             additive=True))
    cchc_file = corpus / "truth" / "haiduong_chi-so-cchc-2022_SYNTHETIC.xlsx.csv"
    cchc = [r for r in _read(cchc_file) if r["kind"] == "table_cell"]
    for page, level, caption in (("1", "agency", "Cơ quan, đơn vị"), ("2", "district", "Đơn vị")):
        records = [r for r in cchc if r["page"] == page]
        units = {r["column_label"]: r["unit"] for r in records}
        tables.append(_build(f"corpus:Chỉ số CCHC {page}", "Chỉ số CCHC", "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022",
                             "NĂM 2022", "TỈNH HẢI DƯƠNG", records, units, level, caption, additive=False))
    return tables


def lamdong_tables(real: Path) -> list[BaseTable]:
    """The 7 Lâm Đồng appendices × (agencies, communes): 4 score columns each."""
    folder = real / "lamdong-2025" / "lamdong_phu-luc-I-VII_chi-so-cchc-2025"
    records = _read(folder / "reference.csv")
    by_table: OrderedDict[tuple[str, str], list[dict[str, str]]] = OrderedDict()
    for record in records:
        by_table.setdefault((record["source_file"], record["table_ref"]), []).append(record)
    tables = []
    for (source, ref), rows in by_table.items():
        appendix = re.search(r"phu-luc-([IVX]+)_", source).group(1)  # type: ignore[union-attr]
        units = {label: "percent" if label == "Chỉ số" else "score" for label in {r["column_label"] for r in rows}}
        level = "agency" if "SỞ" in ref else "commune"
        caption = "Tên cơ quan, đơn vị" if level == "agency" else "Tên đơn vị"
        tables.append(_build(f"lamdong:{appendix}:{'so' if level == 'agency' else 'xa'}", ref,
                             f"PHỤ LỤC {appendix}: KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "NĂM 2025",
                             "TỈNH LÂM ĐỒNG", rows, units, level, caption, additive=False))
    return tables


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def all_tables(corpus: Path | None, real: Path | None) -> list[BaseTable]:
    tables: list[BaseTable] = []
    if corpus is not None and corpus.is_dir():
        tables.extend(corpus_tables(corpus))
    if real is not None and (real / "lamdong-2025").is_dir():
        tables.extend(lamdong_tables(real))
    return tables
