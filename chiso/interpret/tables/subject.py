"""Which province a table is about, when its title says so.

Statistical yearbooks put one province per table and name it in the title
("TABLE B.2.7. HANOI, PROJECTED POPULATION …"); their rows are categories
(age groups), so the rows cannot tell. A national document has no province of
its own, so without this the rows would have no entity at all.
"""

from __future__ import annotations

import re

from chiso.resolve.entities import resolve_label

_TABLE_NUMBER = re.compile(r"^\s*(?:table|tale|bang|bảng|biểu|bieu)\s*(?:số\s*)?[\w.]*\d[\w.]*\s*", re.IGNORECASE)


def table_province(context: list[str]) -> str | None:
    """The single province named by a comma-separated segment of the table's title lines."""
    found: set[str] = set()
    for line in context:
        for segment in line.split(","):
            candidate = _TABLE_NUMBER.sub("", segment).strip(" .:;-")
            if not candidate or len(candidate) > 40:
                continue
            entity = resolve_label(candidate, None)
            if entity is not None and entity.level == "province":
                found.add(entity.name_vi)
    return found.pop() if len(found) == 1 else None
