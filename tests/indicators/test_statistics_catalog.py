"""The GSO statistics catalog (statistics.yml) is reviewed, and it covers what the GSO exports print.

The entries were drafted from the GSO table titles; once reviewed they must read
like the rest of the catalog (a Vietnamese name, a description naming the unit
and the source table, no drafting notes), and every number of the real GSO
exports must land on a reviewed entry whose listed dimensions include the
breakdowns the reader finds in it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.indicators.catalog import load_catalog
from chiso.load.frames import observations_frame
from chiso.process import process_document

STATISTICS = "statistics"


def _dimension_names(breakdown: str) -> set[str]:
    """'area=urban; category=Total' → {'area', 'category'} (values never hold '; ' or '=', see canonical_value)."""
    return {part.split("=", 1)[0] for part in breakdown.split("; ") if part}


def _statistics() -> dict:
    return {code: i for code, i in load_catalog().items() if i.topic == STATISTICS}


def test_every_statistics_entry_is_reviewed_and_named_in_vietnamese() -> None:
    problems = []
    for code, indicator in _statistics().items():
        if not indicator.reviewed:
            problems.append(f"{code}: not reviewed")
        if unicodedata.normalize("NFC", indicator.name_vi) != indicator.name_vi:
            problems.append(f"{code}: name_vi is not NFC")
        if indicator.name_vi.isascii() or indicator.name_vi == indicator.name_en:
            problems.append(f"{code}: name_vi {indicator.name_vi!r} is not a Vietnamese name")
        if "Drafted from" in indicator.description or "GSO statistical database table" not in indicator.description:
            problems.append(f"{code}: description does not name its GSO source table")
    assert not problems, "\n".join(problems)


def test_every_gso_export_lands_on_a_reviewed_entry_with_its_dimensions(real: Path) -> None:
    folder = real / "gso" / "statistics-csv"
    if not folder.is_dir():
        pytest.skip(f"GSO exports not found at {folder}")
    paths = sorted(folder.rglob("*.csv"))
    documents = [process_document(SourceFile(p, p.name, sha256_of(p), p.stat().st_size)) for p in paths]
    frame = observations_frame(documents)
    catalog = load_catalog()
    problems: dict[str, set[str]] = defaultdict(set)
    for code, breakdown, label in frame.select("indicator_code", "breakdown", "indicator_label").unique().iter_rows():
        indicator = catalog.get(code)
        if indicator is None:
            problems[f"uncatalogued {code}"].add(label)
            continue
        if indicator.topic == STATISTICS and not indicator.reviewed:
            problems[f"unreviewed {code}"].add(label)
        unlisted = _dimension_names(breakdown) - set(indicator.dimensions)
        if indicator.topic == STATISTICS and unlisted:
            problems[f"{code} lacks dimensions {sorted(unlisted)}"].add(label)
    assert len(paths) > 300
    assert not problems, "\n".join(f"{what}: e.g. {sorted(labels)[0]!r}" for what, labels in sorted(problems.items()))


@pytest.mark.parametrize(("printed", "value"), [
    ("Hoàn thành XS nhiệm vụ", "hoàn thành xuất sắc nhiệm vụ"),  # the tables' abbreviation
    ("Hoàn thành tốt nhiệm", "hoàn thành tốt nhiệm vụ"),          # a caption wrapped before 'vụ' was read
    ("Không hoàn thành nhiệm vụ", "không hoàn thành nhiệm vụ"),
])
def test_ratings_are_read_from_their_abbreviated_and_wrapped_captions(printed: str, value: str) -> None:
    from chiso.indicators.dimensions import dimension_of

    assert dimension_of(printed) == ("rating", value)
