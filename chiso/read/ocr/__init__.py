"""Scanned pages: Tesseract `vie` on the page and on the cells of the tables it finds."""
