"""The decimal mark of a column: decided from the column's other cells, the unit and the magnitude."""

from __future__ import annotations

from datetime import date

from chiso.interpret.tables.decimals import evidence, read_value
from chiso.interpret.tables.observations import table_observations
from chiso.interpret.tables.structure import structure_table
from chiso.model import RawTable


def _values(rows: list[list[str]], method: str = "pdf_table", mixed: bool = False) -> dict[tuple[str, str], tuple]:
    header = [["TT", "Đơn vị", "Điểm tối đa", "Điểm đạt", "Chỉ số (%)"]]
    table = structure_table(RawTable(header + rows, 1, method))  # type: ignore[arg-type]
    assert table is not None
    found = table_observations(table, date(2025, 12, 31), mixed_decimals=mixed)
    return {(o.row_label, o.column_label): (o.value, o.quality_flag) for o in found}


def test_a_column_with_english_decimals_reads_its_ambiguous_cells_the_same_way():
    values = _values([["1", "Sở Tư pháp", "9.50", "8.25", "86.842%"], ["2", "Sở Nội vụ", "10.00", "9.125", "91.250%"]])
    assert values[("Sở Nội vụ", "Điểm đạt")] == (9.125, None)  # '9.125' beside '8.25'
    assert values[("Sở Tư pháp", "Chỉ số (%)")][0] == 86.842


def test_vietnamese_thousands_stay_thousands():
    header_rows = [["1", "Huyện A", "1.234", "1.100", "89,1%"], ["2", "Huyện B", "2.000", "1.500", "75,0%"]]
    values = _values(header_rows)
    assert values[("Huyện A", "Điểm tối đa")] == (1234.0, None)
    assert values[("Huyện A", "Chỉ số (%)")] == (89.1, None)


def test_an_impossible_percentage_takes_the_decimal_reading_and_names_both():
    values = _values([["1", "Sở Y tế", "12", "9", "75.000%"]])
    value, flag = values[("Sở Y tế", "Chỉ số (%)")]
    assert value == 75.0
    assert flag is not None and "75000" in flag and "75" in flag


def test_a_document_mixing_conventions_flags_what_stays_ambiguous():
    value, flag = _values([["1", "Huyện A", "1.234", "1", "5"]], mixed=True)[("Huyện A", "Điểm tối đa")]
    assert value == 1234.0 and flag is not None and "1.234" in flag


def test_spreadsheet_native_numbers_give_no_evidence():
    """Excel's native 47.7 reaches the table as '47.7'; the typed-as-text '1.340' beside it is still 1340."""
    assert read_value("1.340", 1340.0, None, "count", 47.7, False).value == 1340.0
    values = _values([["1", "Huyện A", "47.7", "1.340", "5"]], method="xlsx")
    assert values[("Huyện A", "Điểm đạt")] == (1340.0, None)


def test_evidence():
    assert evidence(["9.50", "12.345"]) == "."
    assert evidence(["9,5", "1.234"]) == ","
    assert evidence(["1.234", "45"]) is None
    assert evidence(["9.5", "9,5"]) is None


def test_values_under_a_caption_ocr_misread_say_so():
    from chiso.interpret.tables.observations import garbled_caption
    from chiso.model import MISREAD_CAPTION

    header = [["TT", "Đơn vị", "Điểm tối đa", "@ ` >” r8 HH! g «@©"]]
    table = structure_table(RawTable(header + [["1", "Sở Y tế", "12", "9"]], 1, "ocr_table"))
    assert table is not None
    flags = {o.column_label: o.quality_flag for o in table_observations(table, date(2025, 12, 31))}
    assert flags["Điểm tối đa"] is None
    assert flags["@ ` >” r8 HH! g «@©"].startswith(MISREAD_CAPTION)
    assert not garbled_caption("Tỷ lệ % so với số phải giảm (4=3/2)") and not garbled_caption("Trình độ / Trung cấp, cao đẳng")
