"""The curated indicator catalog: one reviewed YAML file per topic.

Each file (`chiso/indicators/catalog/<topic>.yml`, the owid/etl habit of
metadata beside the step) lists its indicators: code, Vietnamese and English
name, unit, description, whether values of parts add up to the whole, the
dimensions it may be broken down by, and the printed labels that mean it —
regular expressions on the folded (accent-free, lower-case) measure text, OCR
spellings included. A composite index (the PAR index, PCI, PAPI) lists its
components the same way: a printed "Cải cách thể chế" in a PAR-index table is
the index with `component=institutions`, not an indicator of its own.

A composite index's sub-indicators (the survey questions a PCI sub-index is
computed from) are not catalogued one by one: an entry with `items_of: <index>`
is the measure that holds them, with the component their table is about and
the indicator as printed as its `item` (`chiso.indicators.interpret`, rule 5);
the index's `component_labels` say which column of such a table is the
component's own score. Its unit may be `mixed` (each observation says).

A measure the text names by its counted noun and then qualifies in words no
pattern foresaw ("đảng viên bị xóa tên do bỏ sinh hoạt đảng", "dự thảo văn
bản QPPL được thẩm định") is caught by the entry's `heads`: the noun at the
start of the label, the rest kept as the `item`, so the number joins its
measure without a pattern per phrasing — and stays its own series.

`sources` (optional) is a regular expression the document's folded file
name, title and issuer must match: it tells a PCI "Transparency" from a PAPI
one. The catalog's digest is stored with each run, so a change to any file
re-interprets every landed label (`chiso.indicators.remap`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from chiso.indicators.dimensions import CATEGORY, COMPONENT, DESCRIPTIONS, ITEM
from chiso.normalize import ocr_spelling

CATALOG_DIR = Path(__file__).with_name("catalog")
UNITS = frozenset({"count", "percent", "score", "ratio", "amount", "mixed"})
"""`mixed`: a measure whose items have units of their own (a PCI sub-indicator is days, a share or a score); each observation's `unit` says."""


@dataclass(frozen=True)
class Component:
    code: str
    name_vi: str
    name_en: str
    labels: tuple[re.Pattern[str], ...]
    sources: re.Pattern[str] | None
    """Words of a file name or title naming a document about this component alone (Lâm Đồng's 'phụ lục II: cải cách thể chế')."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    topic: str
    description: str
    additive: bool
    """True when values for parts add up to the whole, so merged provinces can be summed."""
    dimensions: tuple[str, ...]
    labels: tuple[re.Pattern[str], ...]
    sources: re.Pattern[str] | None
    components: tuple[Component, ...]
    reviewed: bool
    """False for entries drafted by `chiso catalog --draft` that nobody has read yet."""
    items_of: str | None = None
    """The composite index whose components' sub-indicators this measure holds, as `item`s (see `interpret`, rule 5)."""
    component_labels: tuple[re.Pattern[str], ...] = ()
    """Labels meaning 'this component's own score' in a table about one component ('Sub-Index 3', 'Chỉ số thành phần')."""
    heads: tuple[re.Pattern[str], ...] = ()
    """The counted noun that names this measure at the start of a label no `labels` pattern knows, with what the
    label says about it as the `item` group: '^(so )?dang vien (?P<item>.+)$' reads 'đảng viên bị xóa tên' as
    party members, item 'bị xóa tên'. Tried after every other entry's labels (see `interpret`)."""


class CatalogError(ValueError):
    """A catalog file breaks the format: named file and entry."""


def _patterns(values: object, where: str) -> tuple[re.Pattern[str], ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise CatalogError(f"{where}: 'labels' must be a list of regular expressions")
    try:
        return tuple(re.compile(v) for v in values)
    except re.error as error:
        raise CatalogError(f"{where}: bad regular expression: {error}") from error


def _indicator(entry: dict[str, Any], topic: str, where: str) -> Indicator:
    missing = [key for key in ("code", "name_vi", "unit") if not entry.get(key)]
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
    if entry["unit"] not in UNITS:
        raise CatalogError(f"{where}: unit {entry['unit']!r} is not one of {sorted(UNITS)}")
    dimensions = tuple(entry.get("dimensions") or ())
    unknown = [d for d in dimensions if d not in DESCRIPTIONS]
    if unknown:
        raise CatalogError(f"{where}: unknown dimensions {unknown}; known: {sorted(DESCRIPTIONS)}")
    components = tuple(
        Component(
            code=str(c["code"]),
            name_vi=str(c.get("name_vi", "")),
            name_en=str(c.get("name_en", "")),
            labels=_patterns(c.get("labels"), f"{where} component {c.get('code')}"),
            sources=re.compile(c["sources"]) if c.get("sources") else None,
        )
        for c in entry.get("components") or ()
    )
    if components and COMPONENT not in dimensions:
        dimensions = (*dimensions, COMPONENT)
    heads = _patterns(entry.get("heads"), f"{where} heads")
    if any("item" not in head.groupindex for head in heads):
        raise CatalogError(f"{where}: every 'heads' pattern needs an (?P<item>…) group for what follows the noun")
    if heads and ITEM not in dimensions:
        dimensions = (*dimensions, ITEM)
    return Indicator(
        code=str(entry["code"]),
        name_vi=str(entry["name_vi"]),
        name_en=str(entry.get("name_en", "")),
        unit=str(entry["unit"]),
        topic=topic,
        description=str(entry.get("description", "")).strip(),
        additive=bool(entry.get("additive", False)),
        dimensions=dimensions,
        labels=_patterns(entry.get("labels"), where),
        sources=re.compile(entry["sources"]) if entry.get("sources") else None,
        components=components,
        reviewed=bool(entry.get("reviewed", True)),
        items_of=str(entry["items_of"]) if entry.get("items_of") else None,
        component_labels=_patterns(entry.get("component_labels"), f"{where} component_labels"),
        heads=heads,
    )


def catalog_files() -> list[Path]:
    return sorted(CATALOG_DIR.glob("*.yml"))


@cache
def load_catalog() -> dict[str, Indicator]:
    """Catalog indicators by code, topic files in name order; a duplicate code is an error."""
    indicators: dict[str, Indicator] = {}
    for path in catalog_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        topic = str(document.get("topic") or path.stem)
        for number, entry in enumerate(document.get("indicators") or (), start=1):
            where = f"{path.name} entry {number} ({entry.get('code', '?')})"
            indicator = _indicator(entry, topic, where)
            if indicator.code in indicators:
                raise CatalogError(f"{where}: code {indicator.code!r} is already defined")
            indicators[indicator.code] = indicator
    for indicator in indicators.values():
        if indicator.items_of is not None and not indicators.get(indicator.items_of, indicator).components:
            raise CatalogError(f"{indicator.code}: items_of {indicator.items_of!r} is not a composite index of the catalog")
    return indicators


@cache
def vocabulary() -> frozenset[str]:
    """The folded words and two-word phrases the catalog's labels and names are written in.

    When OCR mangled a word into a non-word that two syllables are equally
    near ('chi b': 'bo' or 'ba'), the one the catalog speaks of is the reading
    (`chiso.normalize.ocr_spelling`).
    """
    texts: list[str] = []
    for indicator in load_catalog().values():
        texts += [indicator.name_vi, *(p.pattern for p in (*indicator.labels, *indicator.heads))]
        texts += [text for c in indicator.components for text in (c.name_vi, *(p.pattern for p in c.labels))]
    return ocr_spelling.phrase_words(texts)


@cache
def catalog_digest() -> str:
    """Digest of every catalog file, the dimension vocabulary and the OCR spelling: when it changes, labels are re-read."""
    digest = hashlib.sha256()
    spelling = Path(ocr_spelling.__file__)
    for path in [*catalog_files(), Path(__file__).with_name("dimensions.py"), Path(__file__).with_name("interpret.py"),
                 spelling, ocr_spelling.SYLLABLES_FILE]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class DocumentDimension:
    """A dimension the whole document states once (a MoF 'Plan_2010' file is the plan): every number of it has it."""

    dimension: str
    value: str
    sources: re.Pattern[str]


@cache
def load_document_dimensions() -> tuple[DocumentDimension, ...]:
    rules: list[DocumentDimension] = []
    for path in catalog_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for number, rule in enumerate(document.get("document_dimensions") or (), start=1):
            where = f"{path.name} document_dimensions entry {number}"
            if rule.get("dimension") not in DESCRIPTIONS or not rule.get("value") or not rule.get("sources"):
                raise CatalogError(f"{where}: needs a known dimension, a value and a sources pattern")
            rules.append(DocumentDimension(rule["dimension"], str(rule["value"]), re.compile(rule["sources"])))
    return tuple(rules)


@cache
def document_dimensions(source: str) -> dict[str, str]:
    """The dimensions a document's folded source key states for all its numbers (first rule per dimension wins)."""
    found: dict[str, str] = {}
    for rule in load_document_dimensions():
        if rule.dimension not in found and rule.sources.search(source):
            found[rule.dimension] = rule.value
    return found


def dimension_names() -> list[str]:
    return sorted({*DESCRIPTIONS, CATEGORY, COMPONENT})
