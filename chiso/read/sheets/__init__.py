"""Spreadsheets: xlsx, xls, csv and html grids, found as tables in their sheets."""
