"""The table stage: raw grids of cell text → structured tables → observations."""

from chiso.interpret.tables.observations import table_observations
from chiso.interpret.tables.structure import BodyRow, StructuredTable, join_continuations, structure_table

__all__ = ["BodyRow", "StructuredTable", "join_continuations", "structure_table", "table_observations"]
