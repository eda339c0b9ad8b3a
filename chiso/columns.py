"""The type of a frame's column declarations: names → Polars types, as classes or instances.

Polars accepts `pl.String` and `pl.Datetime("us")` alike in a schema; one alias
lets every declared schema (landing, checks, comparisons) say so once.
"""

from __future__ import annotations

from typing import TypeAlias

import polars as pl
from polars.datatypes import DataTypeClass

Columns: TypeAlias = dict[str, DataTypeClass | pl.DataType]
