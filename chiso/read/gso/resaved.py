"""GSO exports that went through R before they were shared: undo R's renaming.

Some files of the GSO collection were read into R and written out again. They
lost the title line (the file name still carries it: the exporter names files
after the title), their header row appears twice, header names went through
`make.names` (`X2008`, `Pre..2016`, `X2010.General.average`, `Cities..provinces`)
and some stub cells through snake_case (`whole_country`, `prel_2016`,
`total_thous_pers_`). Undoing those mechanical changes gives back headers and
cells the PX-Web reader understands. What R dropped (commas, ampersands) cannot
be recovered, so the reader warns that the names were rebuilt.
"""

from __future__ import annotations

import re

from chiso.normalize.text import clean

REBUILT_WARNING = (
    "re-saved from R: title taken from the file name, header and row names rebuilt from R's renaming"
)
_MAKE_NAMES_YEAR = re.compile(r"^X(?=(?:19|20)\d\d)")
_SNAKE_CASE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]*)+$")


def unmangle_header(name: str) -> str:
    """'X2010.General.average' → '2010 General average'; 'Pre..2016' → 'Pre 2016'; 'Cities..provinces' → 'Cities provinces'."""
    return clean(_MAKE_NAMES_YEAR.sub("", name.strip()).replace(".", " "))


def unmangle_cell(cell: str) -> str:
    """'whole_country' → 'whole country', 'prel_2016' → 'prel 2016'; any other cell as it is."""
    text = cell.strip()
    return clean(text.replace("_", " ")) if _SNAKE_CASE.match(text) else cell
