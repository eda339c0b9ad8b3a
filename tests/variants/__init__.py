"""Generalization harness (issue 9, item 5): real tables, transformed the way real documents differ.

Base tables come from the dev corpus truth and the Lâm Đồng appendices' reference; `transforms`
changes them (row/column order, header levels, unit names, decimal convention), the renderers
print them as xlsx, born-digital PDF and scanned PDF, and `compare` checks that chiso reads back
exactly the transformed truth. `scripts/score_variants.py` runs hundreds of variants;
`test_variants.py` runs a small fixed sample in the suite.
"""
