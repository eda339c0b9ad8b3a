"""Indicator names, units and entity levels for GSO PX-Web tables.

A PX-Web title is "<what> by <breakdowns> by <variable>, <variable> and <variable>"
(the Vietnamese interface writes "chia theo … và …"). The indicator is the
"<what>": the trailing variable list and the descriptive "by province"/"by kinds
of economic activity" breakdowns go (rows and columns carry those), as do
footnote marks and the "as of" day (the period carries it). What changes the
meaning stays: bracketed qualifiers ("(Previous year = 100)", "(Accumulation of
projects …)"), a price basis after the breakdown ("… by expenditure category at
constant 2010 prices") and a means ("Volume of freight carried by the road" is
not the all-modes total). The header's measure ("Wards", "Male") and any stub cell
that names a measure rather than an entity ("Area (Thous. ha)") are appended.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chiso.model import Unit
from chiso.normalize.text import clean, fold

_VARIABLES = re.compile(r" (?:by|chia theo) (?!.* (?:by|chia theo) )")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_BREAKDOWN = re.compile(r" by (?!the )")
_PRICE_BASIS = re.compile(r"(?i)\bat (?:current|constant (?:19|20)\d\d) prices\b")
"""'… by province', '… by kinds of economic activity' break a table down; 'by the road' says what is counted."""
_FOOTNOTE = re.compile(r"\(\*+\)|\*+")
_AS_OF_PHRASE = re.compile(r"(?i)\s+as of\b[^()]*")
_AS_OF_ONLY = re.compile(r"(?i)^\(\s*as of\b[^()]*\)$")

_RATIO_FIRST = re.compile(r"\bindex\b|=\s*100")
_PERCENT = re.compile(r"%|\bpercent(?:age)?\b|\bstructure\b|\bproportion\b|\bhumidity\b")
_RATIO = re.compile(r"\brates?\b|\bratio\b|\bicor\b|\bgini\b|\bper \d|\bper (?:class|teacher|woman)\b")
_SCALE = re.compile(r"\b(?:thous|mill|million|bill|billion)\b")
_COUNT = re.compile(r"^number\b|\bnumber of\b")
_AMOUNT = re.compile(
    r"\b(?:dongs?|vnd|usd|kg|tons?|ha|km2?|m2|m3|quintal)\b"
    r"|\b(?:area|land|production|productivity|output|yield|income|expenditure|investment|capital|gdp|gni"
    r"|revenue|turnover|sales|value|capacity|volume|weight|consumption|rainfall|temperature|sunshine"
    r"|precipitation|sea level|water flow|water level|average age|life expectancy"
    r"|gross domestic product|gross national income|exports?|imports?)\b"
)

_REGIONS = re.compile(
    r"^(?:red river delta|northern midlands and mou?n?tain areas?"
    r"|north(?:ern)? central (?:area )?and central coastal areas?"
    r"|central highlands|south ?east|mekong river delta)$"
)
_COUNTRY = re.compile(r"^(?:whole country|viet ?nam)$")


def split_title(title: str) -> tuple[str, str]:
    """'Average population by province by Cities, provincies and Year' → (what, variable list)."""
    title = clean(title)
    match = _VARIABLES.search(title)
    if match is None:
        return title, ""
    return title[: match.start()], title[match.end() :]


def indicator_base(what: str) -> str:
    """The indicator a title names, without breakdowns, footnotes or as-of day."""
    what = clean(_FOOTNOTE.sub(" ", what))
    breakdown = _BREAKDOWN.search(what)
    head, tail = (what[: breakdown.start()], what[breakdown.end() :]) if breakdown else (what, "")
    qualifiers = [q for q in _PARENTHESIS.findall(tail) if not _AS_OF_ONLY.match(q)]
    qualifiers += [m.group(0) for m in _PRICE_BASIS.finditer(tail) if m.group(0) not in head]
    head = _PARENTHESIS.sub(lambda m: " " if _AS_OF_ONLY.match(m.group(0)) else m.group(0), head)
    head = _AS_OF_PHRASE.sub("", head)
    return clean(" ".join([head, *qualifiers]))


def clean_measure(text: str) -> str:
    """A stub cell or header measure as an indicator part: footnote marks and stray dashes removed."""
    return clean(_FOOTNOTE.sub(" ", text)).strip(" -:")


@lru_cache(maxsize=4096)
def indicator_label(base: str, parts: tuple[str, ...]) -> str:
    """'Number of administrative units' + ['Wards'] → 'Number of administrative units — Wards'."""
    return " — ".join([base, *(p for p in parts if p)])


@lru_cache(maxsize=4096)
def infer_unit(measure: str, what: str, entity: str) -> Unit:
    """Unit from the most specific text that tells it.

    An index ("Previous year = 100") is a ratio even when GSO appends "- %"; a
    share ("%", "Percentage", "Structure") is a percent; a rate (per 1000, growth
    rate, sex ratio) is a ratio. Those kinds are read from the measure, then the
    title, because a title's "Structure of used land" governs a "Forestry land"
    column. Failing them, a value with a scale ("Thous.") or a physical or money
    measure is an amount and "Number of …" is a count, read from the measure,
    then the title. A row label speaks last because in national tables it is
    often a measure itself ("Rice (Kg)"). Called once per cell, hence cached.
    """
    keys = [fold(measure), fold(what)]
    for unit in [*(_relative_unit(key) for key in keys), *(_absolute_unit(key) for key in keys)]:
        if unit is not None:
            return unit
    entity_key = fold(entity)
    return _relative_unit(entity_key) or _absolute_unit(entity_key) or "count"


def _relative_unit(key: str) -> Unit | None:
    if _RATIO_FIRST.search(key):
        return "ratio"
    if _PERCENT.search(key):
        return "percent"
    if _RATIO.search(key):
        return "ratio"
    return None


def _absolute_unit(key: str) -> Unit | None:
    if _SCALE.search(key):
        return "amount"
    if _COUNT.search(key):
        return "count"
    if _AMOUNT.search(key):
        return "amount"
    return None


@lru_cache(maxsize=4096)
def entity_level(name: str) -> str:
    """`country` for the whole-country row, `region` for GSO's six socio-economic regions."""
    key = fold(name).replace("_", " ")
    if _COUNTRY.match(key):
        return "country"
    if _REGIONS.match(key):
        return "region"
    return "unresolved"
