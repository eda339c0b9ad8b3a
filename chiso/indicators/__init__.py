"""What a printed number measures: a catalogued measure plus its breakdown.

`interpret.interpret` reads a printed label (a header path, a category row,
a GSO title) as measure + dimensions with the vocabulary of `dimensions` and
the curated catalog of `catalog` (one YAML file per topic under `catalog/`).
"""
