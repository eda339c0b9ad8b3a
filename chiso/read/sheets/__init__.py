"""Spreadsheets: xlsx, xls, csv and html grids, found as tables in their sheets.

The real type is told from the first bytes (chiso.read.sheets.reader.sniff_format):
an HTML table saved as .xls is read as HTML, a BIFF8 workbook as xls.
"""

from chiso.read.spec import OLE2_MAGIC, ZIP_MAGIC, Method, Reader

READER = Reader(
    name="sheets",
    suffixes=(".xlsx", ".xlsm", ".xls", ".csv", ".htm", ".html"),
    read="chiso.read.sheets.reader:read_spreadsheet",
    methods=(Method("xlsx", typed_cells=True), Method("xls", typed_cells=True), Method("html"), Method("csv")),
    formats=("xlsx", "xls", "xls_html", "csv"),
    magic=(ZIP_MAGIC, OLE2_MAGIC, b"<"),
    grid="chiso.read.sheets.reader:sheet_grid",
)
