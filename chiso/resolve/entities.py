"""Turn printed row labels and place mentions into entities.

Tables print their rows as "Huyện ủy Kim Thành", "UBND thị xã Kinh Môn",
"Sở KH&ĐT", "TP. HỒ CHÍ MINH", "Cộng"; OCR prints "Huyén uy Kim Thinh". The
warehouse needs one name per entity, in the document's province context, so
that figures from different reports line up: districts without prefix
("Kim Thành"), the provincial capital by its full name ("Thành phố Hải
Dương"), provinces without "Tỉnh"/"Thành phố" ("Hồ Chí Minh"), provincial
departments by their full name ("Sở Kế hoạch và Đầu tư").

Matching is on `fold`ed text (accents and case are unreliable in OCR and
upper-case spreadsheets), then on a compact key without spaces or
punctuation ("BÀ RỊA-VŨNG TÀU", "Bà Rịa - Vũng Tàu" and "Ba Ria Vung Tau"
are one key), and last, for OCR, on a fuzzy match restricted to the
districts of the document's province. Rows that are categories rather than
places ("Bí thư cấp ủy") resolve to None.

Besides the five levels of the corpus (province, district, commune,
party_org, agency), two are used for rows of national tables: `region`
(the statistical regions printed as subtotal rows, "TÂY NGUYÊN") and
`country` ("Cả nước", or a totals row in a document without a province).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from chiso.model import Observation
from chiso.normalize.text import clean, fold
from chiso.resolve.units import (
    REFORM,
    AdminUnit,
    central_agencies,
    communes,
    districts,
    province_by_code,
    provinces,
    successor_code,
)

COUNTRY = "Việt Nam"


@dataclass(frozen=True)
class Closeness:
    """How close an OCR-damaged name must be to a reference name (rapidfuzz ratio, 0-100) to be read as it:
    at least `threshold`, and ahead of the next-closest name by `margin`, so that of two near names
    ('Bảo Lâm 1' and 'Bảo Lâm 2', Hải Dương and Hà Đông) neither is guessed."""

    threshold: float
    margin: float


@dataclass(frozen=True)
class ResolveSettings:
    """Every tolerance of the resolver in one place, the way pdfplumber's `TableSettings` holds a table
    finder's (`RESOLVE` is the one a run uses). A name after its unit word ('huyện …', 'tỉnh …', 'UBND xã
    …') surely names a unit of that level, so it is read more loosely than a bare label."""

    district_after_unit_word: Closeness = Closeness(65, 15)
    district_bare: Closeness = Closeness(85, 10)
    province_after_unit_word: Closeness = Closeness(72, 8)
    province_bare: Closeness = Closeness(90, 8)
    commune_after_unit_word: Closeness = Closeness(88, 8)
    named_place: Closeness = Closeness(80, 8)
    """A place a letterhead, date line or title names ('Hai Duong'), seven letters or more (metadata.places)."""
    region_cutoff: float = 88
    """A statistical region printed oddly ('DUYấN HẢI' in a mis-encoded sheet): fuzz.ratio at least this."""
    looks_like_place: float = 80
    """An unresolved label this close to a province or district is listed as a place we failed to find."""


RESOLVE = ResolveSettings()


@dataclass(frozen=True)
class Entity:
    name_vi: str
    level: str
    """province, district, commune, party_org, agency, region or country."""
    province: str | None
    gso_code: str | None = None
    parent_name: str | None = None
    observed: bool = False
    """Named as printed, its level inferred from the label's unit word: no reference list knows it."""


# --- keys ---------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(folded: str) -> str:
    """'ba ria-vung tau' → 'ba ria vung tau': words only."""
    return _NON_ALNUM.sub(" ", folded).strip()


def _compact(folded: str) -> str:
    return _NON_ALNUM.sub("", folded)


# --- provinces and districts ----------------------------------------------------------------

_PROVINCE_ALIASES = {
    # compact key → GSO code: abbreviations, old and English spellings the folded name misses
    "hcm": "79", "hcmc": "79", "tphcm": "79", "saigon": "79", "hochiminhcity": "79",
    "hue": "46", "tthue": "46",
    "brvt": "77",
    "daclac": "66", "daclak": "66", "dacnong": "67",
    "baccan": "06",
    "hanoicity": "01",
}  # fmt: skip
_PROVINCE_SUFFIXES = re.compile(r"\W+(city|province|tinh)$")


@lru_cache(maxsize=1)
def _province_index() -> dict[str, AdminUnit]:
    index = {_compact(fold(unit.short_name)): unit for unit in provinces()}
    by_code = {unit.gso_code: unit for unit in provinces()}
    index.update({alias: by_code[code] for alias, code in _PROVINCE_ALIASES.items()})
    return index


@lru_cache(maxsize=1)
def _province_by_code() -> dict[str, AdminUnit]:
    return {unit.gso_code: unit for unit in provinces()}


@lru_cache(maxsize=128)
def _district_index(province_code: str | None) -> dict[str, list[AdminUnit]]:
    """Compact short name → districts (a list: Huyện and Thị xã Kỳ Anh share one)."""
    index: dict[str, list[AdminUnit]] = {}
    for unit in districts(province_code):
        index.setdefault(_compact(fold(unit.short_name)), []).append(unit)
    return index


def _find_province(folded: str) -> AdminUnit | None:
    index = _province_index()
    return index.get(_compact(folded)) or index.get(_compact(_PROVINCE_SUFFIXES.sub("", folded)))


@lru_cache(maxsize=256)
def province_unit(province: str | None) -> AdminUnit | None:
    """The province a document names, in any spelling ('Tỉnh Hải Dương', 'HẢI DƯƠNG')."""
    if not province:
        return None
    folded = fold(province)
    match = _PLAIN_UNIT.match(folded)
    if match and match.group("unit") in ("tinh", "thanh pho", "tp", "t p"):
        folded = folded[match.end() :]
    return _find_province(folded)


def _province_entity(unit: AdminUnit) -> Entity:
    return Entity(unit.entity_name, "province", unit.entity_name, unit.gso_code)


def _district_entity(unit: AdminUnit) -> Entity:
    parent = _province_by_code()[unit.parent_code or ""]
    return Entity(unit.entity_name, "district", parent.entity_name, unit.gso_code, parent.entity_name)


def _pick(candidates: list[AdminUnit], types: tuple[str, ...]) -> AdminUnit | None:
    """One district among same-named ones: the printed type decides, else it must be unique.

    A district keeps its name when upgraded (Huyện → Thị xã Kinh Môn, 2019), so
    an older report's type is no reason to reject the only candidate.
    """
    typed = [unit for unit in candidates if unit.division_type in types]
    if len(typed) == 1:
        return typed[0]
    return candidates[0] if len(candidates) == 1 else None


def _clear_best(key: str, choices: list[str], closeness: Closeness) -> str | None:
    """The choice closest to `key`, if it is close enough and ahead of the runner-up by the margin."""
    best = process.extract(key, choices, scorer=fuzz.ratio, limit=2)
    if not best or best[0][1] < closeness.threshold or (len(best) > 1 and best[0][1] - best[1][1] < closeness.margin):
        return None
    return str(best[0][0])


def _fuzzy_district(compact: str, context: AdminUnit, closeness: Closeness) -> AdminUnit | None:
    """OCR-damaged names ('kimthinh', 'tieky'): the clear best match among the context's districts.

    After a unit word ('Huyện ủy …') the row surely names a district, so a
    loose threshold with a wide margin over the runner-up is safe; a bare
    label must be much closer.
    """
    index = _district_index(context.gso_code)
    if len(compact) < 3 or not index:
        return None
    found = _clear_best(compact, list(index), closeness)
    return _pick(index[found], ()) if found else None


# --- prefixes -----------------------------------------------------------------------------

_ORG = r"(?:(?:uy ban nhan dan|ubnd|hdnd|hoi dong nhan dan|dang bo|dang uy|ban chap hanh dang bo)\W+)?"
# party committees, tolerant of OCR: "huyén uy", "huy¢n uy", "huyenuy", "thj uy", "thianh iy"
_COMMITTEE = re.compile(r"(?P<unit>tinh|th\w{0,2}nh|huy\W?\w?n|th[ij]|quan)\W*(?:u|i|t|1|d|g|tt|it)?y(?:\W+|$)")
_PLAIN_UNIT = re.compile(
    _ORG + r"(?P<unit>thanh pho|tp|t p|thi xa|tx|thi tran|tinh|huyen|quan|xa|phuong|dac khu)(?:\W+|$)"
)
_DISTRICT_TYPES = {
    "thanh pho": ("thành phố",), "tp": ("thành phố",), "t p": ("thành phố",),
    "huyen": ("huyện",), "thi xa": ("thị xã",), "tx": ("thị xã",), "quan": ("quận",),
}  # fmt: skip


def _committee_types(unit: str) -> tuple[str, ...] | None:
    """Division type of an OCR-tolerant committee word; None for the province ('tỉnh ủy')."""
    if unit == "tinh":
        return None
    if unit.startswith("huy"):
        return ("huyện",)
    if unit == "quan":
        return ("quận",)
    return ("thị xã",) if len(unit) == 3 else ("thành phố",)


# --- totals, country, regions --------------------------------------------------------------

_TOTAL = re.compile(
    r"^(?:c[oe0]ng|tong|tong cong|tong so|toan (?:tinh|thanh pho)"
    r"|(?:cong|tong cong|tong so) toan (?:tinh|thanh pho)|total|tong so total|tong cong total)$"
)
_COUNTRY = {"canuoc", "toanquoc", "vietnam", "tongsocanuoc", "tongcongcanuoc", "wholecountry"}
_REGIONS = {  # region → keys (folded words without 'và'/'and', joined), as national tables print them
    "Trung du và miền núi phía Bắc": (
        "trungdumiennuiphiabac", "miennuiphiabac", "northmountainousarea", "northernmidlandsandmountainareas",
    ),
    "Đông Bắc": ("dongbac", "northeast", "northeastern"),
    "Tây Bắc": ("taybac", "northwest", "northwestern"),
    "Đồng bằng sông Hồng": (
        "dongbangsonghong", "dongbangshong", "dbsonghong", "dbsh", "redriverdelta", "redriverdeltaarea",
    ),
    "Bắc Trung Bộ": ("bactrungbo", "northcentral", "centralnorth", "northerncentral"),
    "Bắc Trung Bộ và duyên hải miền Trung": (
        "bactrungboduyenhaimientrung", "bactbodhmientrung", "bactbodhmtrung", "northcentralcentralcoastarea",
        "northcentralareacentralcoastalarea", "northerncentralareacentralcoastalarea",
    ),
    "Duyên hải miền Trung": ("duyenhaimientrung", "centralcoast", "coastalcentral", "centralcoastalarea"),
    "Duyên hải Nam Trung Bộ": ("duyenhainamtrungbo", "namtrungbo", "southcentralcoast"),
    "Tây Nguyên": ("taynguyen", "centralhighlands", "highland"),
    "Đông Nam Bộ": ("dongnambo", "southeast", "southeastern", "southeasternarea", "eastsouthdelta"),
    "Đồng bằng sông Cửu Long": (
        "dongbangsongcuulong", "dongbangscuulong", "dongbangscl", "dbsongcuulong", "dbsongclong", "dbscuulong",
        "dbangsongcuulong", "dbscl", "mekongriverdelta", "cuulongriverdelta",
    ),
}  # fmt: skip
_REGION_INDEX = {alias: name for name, aliases in _REGIONS.items() for alias in aliases}


def _region(folded: str) -> Entity | None:
    """A statistical region; fuzzy for the odd spelling ('DUYấN HẢI' in a mis-encoded sheet)."""
    key = "".join(word for word in _key(folded).split() if word not in ("va", "and"))
    name = _REGION_INDEX.get(key)
    if name is None and len(key) >= 10:
        best = process.extractOne(key, list(_REGION_INDEX), scorer=fuzz.ratio, score_cutoff=RESOLVE.region_cutoff)
        name = _REGION_INDEX[best[0]] if best else None
    return Entity(name, "region", None) if name else None


def _total_entity(context: AdminUnit | None, province: str | None) -> Entity:
    """What a totals row stands for: the document's province, or the country in a national table."""
    if context is not None:
        return _province_entity(context)
    if province:
        return Entity(clean(province), "province", clean(province))
    return Entity(COUNTRY, "country", None)


# --- agencies and party organisations --------------------------------------------------------

# Provincial departments (sở) and other provincial agencies as the warehouse names them.
_DEPARTMENTS = [
    "Nội vụ", "Tư pháp", "Kế hoạch và Đầu tư", "Tài chính", "Công Thương",
    "Nông nghiệp và Phát triển nông thôn", "Giao thông vận tải", "Xây dựng",
    "Tài nguyên và Môi trường", "Thông tin và Truyền thông", "Lao động - Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thể thao", "Du lịch", "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo", "Y tế", "Ngoại vụ", "Quy hoạch - Kiến trúc",
    "Nông nghiệp và Môi trường", "Dân tộc và Tôn giáo", "Khoa học, Công nghệ và Truyền thông",
]  # fmt: skip
_OTHER_AGENCIES = [
    "Văn phòng UBND tỉnh", "Văn phòng HĐND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Thanh tra tỉnh",
    "Ban Quản lý các khu công nghiệp tỉnh", "Ban Quản lý Khu kinh tế tỉnh", "Ban Dân tộc tỉnh",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Cục Thuế tỉnh",
    "Cục Hải quan tỉnh", "Cục Thống kê tỉnh", "Kho bạc Nhà nước tỉnh", "Bảo hiểm xã hội tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh", "Trường Chính trị tỉnh", "Liên minh Hợp tác xã tỉnh",
]  # fmt: skip
_PARTY_BODIES = [
    "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
]  # fmt: skip
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "kcn": "khu cong nghiep",
    "kkt": "khu kinh te", "bql": "ban quan ly", "vp": "van phong", "dbqh": "doan dai bieu quoc hoi",
    "ptth": "phat thanh truyen hinh", "bhxh": "bao hiem xa hoi", "knn": "kho bac nha nuoc",
    "bchqs": "bo chi huy quan su", "ubkt": "uy ban kiem tra",
}  # fmt: skip
_CENTRAL_ABBREVIATIONS = {"ptnt": "phat trien nong thon", "tw": "trung uong", "ldtbxh": "lao dong thuong binh xa hoi"}
"""Spelt out only for ministries: 'Sở NN&PTNT' is matched by its initials, 'Bộ … và PTNT' by its words."""
_AGENCY_STOPWORDS = {"va", "cac", "tinh"}


def _agency_words(folded: str) -> list[str]:
    words: list[str] = []
    for word in _key(folded).split():
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return [word for word in words if word not in _AGENCY_STOPWORDS]


def _agency_key(folded: str) -> str:
    return "".join(_agency_words(folded))


@lru_cache(maxsize=1)
def _agency_index() -> dict[str, tuple[str, str]]:
    """Key → (canonical name, level); departments also by initials ('Sở KH&ĐT' → 'sokhdt')."""
    index: dict[str, tuple[str, str]] = {}
    initials: dict[str, list[str]] = {}
    for field in _DEPARTMENTS:
        name = f"Sở {field}"
        index[_agency_key(fold(name))] = (name, "agency")
        initials.setdefault("so" + "".join(w[0] for w in _agency_words(fold(field))), []).append(name)
    for key, names in initials.items():
        if len(names) == 1:  # Nội vụ and Ngoại vụ share 'NV': neither gets the abbreviation
            index.setdefault(key, (names[0], "agency"))
    index.update({_agency_key(fold(name)): (name, "agency") for name in _OTHER_AGENCIES})
    index.update({_agency_key(fold(name)): (name, "party_org") for name in _PARTY_BODIES})
    return index


@lru_cache(maxsize=1)
def _central_index() -> dict[str, tuple[str, str]]:
    """Ministries and national bodies (chiso/resolve/data/central_agencies.csv): national, no province."""
    return {_agency_key(fold(name)): (name, kind) for name, kind in central_agencies()}


def _central(text: str) -> Entity | None:
    words = _key(fold(_without_translation(clean(text)))).split()
    found = _central_index().get(_agency_key(" ".join(_CENTRAL_ABBREVIATIONS.get(w, w) for w in words)))
    return Entity(found[0], found[1], None) if found else None


def _strip_province_suffix(folded: str, context: AdminUnit | None) -> str:
    """'so noi vu tinh hai duong' → 'so noi vu tinh': the agency is the context's anyway."""
    if context is None:
        return folded
    name = fold(context.short_name)
    if folded.endswith(" " + name) and len(folded) > len(name) + 1:
        return folded[: -len(name) - 1].rstrip(" -,")
    return folded


def _agency(text: str, folded: str, context: AdminUnit | None) -> Entity | None:
    province = context.entity_name if context else None
    folded = _strip_province_suffix(folded, context)
    found = _agency_index().get(_agency_key(folded))
    if found:
        return Entity(found[0], found[1], province)
    if text[:3].lower() == "sở " and len(folded.split()) <= 8:  # a department we do not list
        return Entity(_sentence_case(text[: len(folded)].rstrip(" -,")), "agency", province, observed=True)
    return None


_PARTY_BLOCK = re.compile(r"^dang\W+(?:bo|uy)\W+(?P<kind>khoi|quan su|cong an|bo doi bien phong|bien phong)\b")
_PARTY_PROVINCE = re.compile(r"^dang\W+bo\W+tinh(?:\W+(?P<name>.+))?$")


def _party_org(text: str, folded: str, context: AdminUnit | None) -> Entity | None:
    """'Đảng ủy Khối các cơ quan tỉnh' → 'Đảng bộ Khối các cơ quan tỉnh Hải Dương'.

    The entity is the organisation (đảng bộ), not its committee (đảng ủy).
    """
    province = context.entity_name if context else None
    match = _PARTY_PROVINCE.match(folded)
    if match:
        unit = _find_province(match.group("name")) if match.group("name") else context
        if unit is None:
            return None
        return Entity(f"Đảng bộ tỉnh {unit.entity_name}", "party_org", unit.entity_name)
    match = _PARTY_BLOCK.match(folded)
    if not match or len(folded) != len(text):
        return None
    rest = _sentence_case(text[match.end("kind") :].strip(), lower_first=True)
    head = "Khối" if match.group("kind") == "khoi" else _sentence_case(text[match.start("kind") : match.end("kind")])
    name = f"Đảng bộ {head} {rest}".strip()
    if province and fold(name).endswith(" tinh " + fold(province)):
        name = name[: -len(province)] + province  # the province as spelt in the reference, not as printed
    elif province and fold(name).endswith(" tinh"):
        name = f"{name} {province}"
    return Entity(name, "party_org", province)


def _sentence_case(text: str, lower_first: bool = False) -> str:
    """Upper-case labels ('SỞ NGOẠI VỤ') get ordinary case; mixed-case ones are kept as printed."""
    if not text.isupper():
        return text
    lowered = text.lower()
    return lowered if lower_first else lowered[:1].upper() + lowered[1:]


# --- places ---------------------------------------------------------------------------------


def _district_in(name: str, types: tuple[str, ...], unit: AdminUnit | None) -> AdminUnit | None:
    code = unit.gso_code if unit else None
    return _pick(_district_index(code).get(_compact(name), []), types)


def _prefixed_place(text: str, folded: str, context: AdminUnit | None) -> Entity | None:
    """A label with a unit word: 'Huyện ủy X', 'UBND thị xã X', 'TP. X', 'Tỉnh X', 'xã X'."""
    match = _COMMITTEE.match(folded)
    if match:
        found = _place_after(folded[match.end() :], _committee_types(match.group("unit")), context)
        if found is not None:
            return found
    match = _PLAIN_UNIT.match(folded)  # also when a name merely looks like 'ủy' ('Huyện Ý Yên')
    if not match:
        return None
    unit_word = match.group("unit")
    if unit_word in ("xa", "phuong", "thi tran", "dac khu"):
        return _commune(text, folded[match.end() :], match.end(), context)
    types = None if unit_word == "tinh" else _DISTRICT_TYPES[unit_word]
    return _place_after(folded[match.end() :], types, context)


def _place_after(rest: str, types: tuple[str, ...] | None, context: AdminUnit | None) -> Entity | None:
    """The unit named after a unit word; `types` None means the word was 'tỉnh'."""
    name = re.split(r"\W+tinh\W+", rest)[0].strip(" -,.")
    if types is None:  # tỉnh ủy / tỉnh / UBND tỉnh
        unit = (_find_province(name) or _fuzzy_province(_compact(name), RESOLVE.province_after_unit_word)) if name else context
        return _province_entity(unit) if unit else None
    if not name:
        return None
    found = _district_in(name, types, context)
    if found is None and "thành phố" in types:  # a provincial capital, or a centrally-run city
        named = _find_province(name)
        if named is not None:
            found = _district_in(name, types, named)
            if found is None:
                return _province_entity(named)
    if found is None and context is not None:
        found = _fuzzy_district(_compact(name), context, RESOLVE.district_after_unit_word)
    if found is None:  # a district of another province (e.g. after a provincial merger)
        found = _district_in(name, types, None)
    return _district_entity(found) if found else None


@lru_cache(maxsize=64)
def _commune_index(province_code: str | None) -> dict[str, list[AdminUnit]]:
    """Compact short name → 2025 communes, wards and special zones (of one 2025 province, or all)."""
    index: dict[str, list[AdminUnit]] = {}
    for unit in communes(province_code):
        index.setdefault(_compact(fold(unit.short_name)), []).append(unit)
    return index


def _commune_entity(unit: AdminUnit) -> Entity:
    parent = province_by_code(unit.parent_code or "", "2025")
    province = parent.entity_name if parent else None
    return Entity(unit.entity_name, "commune", province, unit.gso_code, province)


def reference_commune(name: str, context: AdminUnit | None, fuzzy: bool = False) -> AdminUnit | None:
    """The 2025 commune a printed name ('1 Bảo Lộc', 'Phu Quy', 'Lâm Viên - Đà Lạt') denotes.

    In the context's 2025 province first (a pre-merger province's communes are
    its successor's); elsewhere only when the name is unique in the country.
    """
    key = _compact(fold(name))
    if not key:
        return None
    home = successor_code(context.gso_code) if context is not None else None
    if home:
        found = _commune_index(home).get(key, [])
        if len(found) == 1:
            return found[0]
    found = _commune_index(None).get(key, [])
    if len(found) == 1:
        return found[0]
    return _fuzzy_commune(key, home) if home and fuzzy else None


def _fuzzy_commune(key: str, province_code: str) -> AdminUnit | None:
    """An OCR-damaged name ('Đắk Mi]' for Đắk Mil): the clear best match among the province's communes.

    Only after a unit word ('UBND xã …'), within one 2025 province, close and
    well ahead of the runner-up, so 'Bảo Lâm 1' never becomes 'Bảo Lâm 2'.
    """
    index = _commune_index(province_code)
    if len(key) < 5 or not index:
        return None
    found = _clear_best(key, list(index), RESOLVE.commune_after_unit_word)
    return index[found][0] if found and len(index[found]) == 1 else None


def _commune(text: str, rest: str, end: int, context: AdminUnit | None) -> Entity | None:
    """'UBND phường 1 Bảo Lộc' → the 2025 ward with its GSO code; an unlisted name → an observed commune.

    A commune no reference lists (pre-2025 communes have none) is kept as
    printed when it looks like a name: capitalised or numbered ('Phường 1').
    """
    unit = reference_commune(rest, context, fuzzy=True)
    if unit is not None:
        return _commune_entity(unit)
    name = text[end:].strip(" -,.") if len(text) >= end else ""
    if not name or text.isupper() or not (name[0].isupper() or name[0].isdigit()):
        return None  # 'Xã hội hóa', 'Phường, thị trấn': words, not names
    province = context.entity_name if context else None
    return Entity(name, "commune", province, observed=True)


def _bare_place(folded: str, context: AdminUnit | None) -> Entity | None:
    province = _find_province(folded)
    if province is not None:
        return _province_entity(province)
    found = _district_in(folded, (), context)
    if found is not None:
        return _district_entity(found)
    region = _region(folded)
    if region:
        return region
    if context is not None:
        commune = reference_commune(folded, context)  # a 2025 commune printed without its unit word,
        is_district_name = bool(_district_index(context.gso_code).get(_compact(folded)))  # unless a district's
        if commune is not None and not is_district_name and successor_code(context.gso_code) == commune.parent_code:
            return _commune_entity(commune)
        found = _fuzzy_district(_compact(folded), context, RESOLVE.district_bare)
        if found is not None:
            return _district_entity(found)
    province = _fuzzy_province(_compact(folded))
    return _province_entity(province) if province else None


def _fuzzy_province(compact: str, closeness: Closeness = RESOLVE.province_bare) -> AdminUnit | None:
    """A province name with one damaged letter ('B�nh Dinh'); close pairs (Ninh/Bình Thuận) stay apart.

    After the unit word 'tỉnh' the words surely name a province, so OCR's worse damage ('tinh Hdi Dudng')
    is read with a looser threshold and a wider margin over the runner-up, as districts are."""
    if len(compact) < 6:
        return None
    found = _clear_best(compact, list(_province_index()), closeness)
    return _province_index()[found] if found else None


# --- entry points ---------------------------------------------------------------------------

_EDGE_PUNCTUATION = " |[](){}*•.,:;"
_NUMBERING = re.compile(r"^(?:[-+*•·]+|\(?(?:\d+(?:\.\d+)*|[IVXL]+|[a-zđ])[.)/]|\d+\s|[IVX]+\s(?=\S{2}))\s*")


def _candidates(label: str) -> list[str]:
    """The label, then its first line and its part before ' - ' (bilingual: 'TÂY NGUYÊN\\nHIGH LAND')."""
    text = _NUMBERING.sub("", clean(label).strip(_EDGE_PUNCTUATION), count=1).strip(_EDGE_PUNCTUATION)
    first_line = clean(str(label).split("\n")[0]).strip(_EDGE_PUNCTUATION)
    first_line = _NUMBERING.sub("", first_line, count=1).strip(_EDGE_PUNCTUATION)
    parts = [text, first_line, re.split(r"\s[-–]\s", first_line)[0]]
    parts.append(_unglued(parts[-1]))  # 'HuyénuyNinhGiang': OCR lost the spaces between the words
    return [part for i, part in enumerate(parts) if part and part not in parts[:i]]


def _unglued(text: str) -> str:
    """A space put back before a capital that follows a small letter inside a word: where OCR dropped the
    space between two words of a name, each of which is capitalised ('HuytnuyBinh Giang', 'ChiLinh')."""
    return "".join(f" {ch}" if i and ch.isupper() and text[i - 1].islower() else ch for i, ch in enumerate(text))


_OBSERVED_AGENCY = re.compile(
    r"^(?:so|ban|van phong|cuc|chi cuc|tong cuc|trung tam|thanh tra|cong an|bo|kho bac|bao hiem xa hoi"
    r"|dai|truong|vien|benh vien|uy ban|hoi|lien doan|doan)\s"
)
_NUMBER_OF = frozenset({"số", "sô", "sổ"})
"""'Số' (the number of) and what a careless font makes of it, printed with its accent: only the folded key
confuses it with 'Sở' (a department)."""
_OBSERVED_PARTY = re.compile(r"^(?:dang uy|dang bo|chi bo|ban thuong vu|ban chap hanh)\s")


def _observed_body(text: str, folded: str, context: AdminUnit | None) -> Entity | None:
    """An agency or party body no list knows, from its unit word: 'Sở Du lịch', 'Chi bộ Văn phòng'.

    Only when the words after the unit word start with a capital, or hold a
    proper name of two capitalised syllables ('… khu công nghệ cao Hoà Lạc'):
    'Chi bộ nông thôn' is a kind of chi bộ, a category row, not a body.
    """
    for pattern, level in ((_OBSERVED_PARTY, "party_org"), (_OBSERVED_AGENCY, "agency")):
        match = pattern.match(folded)
        if not match:
            continue
        if text.split()[0].lower() in _NUMBER_OF:
            return None  # 'Số VBQPPL do cấp tỉnh ban hành': a measure ('số', the number of), not a 'Sở'; folded, both read 'so'
        words = text[match.end() :].split()
        if not words or text.isupper():
            return None
        named = words[0][0].isupper() or words[0][0].isdigit()
        proper = sum(word[0].isupper() for word in words[1:]) >= 2  # 'Ban quản lý khu công nghệ cao Hoà Lạc'
        if not (named or proper):
            return None
        return Entity(_without_translation(clean(text)), level, context.entity_name if context else None, observed=True)
    return None


_TRANSLATION = re.compile(r"\s[-–]\s(?P<english>[A-Za-z][A-Za-z ,.&'()-]*)$")


def _without_translation(name: str) -> str:
    """'Bộ Y tế - Ministry of health' → 'Bộ Y tế': bilingual tables append the English name."""
    match = _TRANSLATION.search(name)
    return name[: match.start()] if match and any(w[1:].islower() for w in match.group("english").split()) else name


def _resolve_one(text: str, context: AdminUnit | None, province: str | None) -> Entity | None:
    folded = fold(text)
    key = _key(folded)
    if _TOTAL.match(key):
        return _total_entity(context, province)
    if _compact(folded) in _COUNTRY:
        return Entity(COUNTRY, "country", None)
    return (
        _central(text)
        or _party_org(text, folded, context)
        or _agency(text, folded, context)
        or _prefixed_place(text, folded, context)
        or _bare_place(folded, context)
    )


@lru_cache(maxsize=65536)
def resolve_label(label: str, province: str | None) -> Entity | None:
    """The entity a printed label names in a document of `province`, or None for a category row.

    Cached: a batch resolves the same few hundred labels hundreds of
    thousands of times.
    """
    context = province_unit(province)
    candidates = _candidates(label or "")
    for text in candidates:
        entity = _resolve_one(text, context, province)
        if entity is not None:
            return entity
    # No list knows it: an observed body named by its first line (the second is a translation).
    first_line = candidates[1] if len(candidates) > 1 and "\n" in (label or "") else (candidates or [""])[0]
    return _observed_body(first_line, fold(first_line), context) if first_line else None


_PLACE_HINT = re.compile(
    r"^(?:(?:uy ban nhan dan|ubnd|hdnd|dang bo|dang uy)\W+)?"
    r"(?:tinh|thanh pho|tp|huyen|quan|thi xa|ban quan ly)\b"
)


@lru_cache(maxsize=16384)
def looks_like_place(label: str, province: str | None) -> bool:
    """Whether an unresolved label probably names a place or agency we failed to find.

    True for labels starting with a unit word ('Huyện …', 'UBND tỉnh …',
    OCR'd committee words too) and for labels close to a province or to a
    district of the context; category rows ('Bí thư cấp ủy') are False.
    """
    folded = fold(label)
    if _PLACE_HINT.match(folded) or _COMMITTEE.match(folded):
        return True
    compact = _compact(folded)
    if len(compact) < 4:
        return False
    names = list(_province_index())
    context = province_unit(province)
    if context is not None:
        names.extend(_district_index(context.gso_code))
    best = process.extractOne(compact, names, scorer=fuzz.ratio)
    return best is not None and best[1] >= RESOLVE.looks_like_place


def subject_entity(issuer: str | None, province: str | None) -> Entity | None:
    """The territorial unit a document reports on, from its issuer ('Ban Thường vụ Huyện ủy Phong Thổ').

    Category rows of its tables (kinds of chi bộ, positions, ratings) are
    breakdowns of this unit; a district's report is about the district, a
    province's (or an agency's) about the province.
    """
    if not issuer:
        return None
    words = clean(issuer).split()
    for start in range(len(words)):
        tail = " ".join(words[start:])
        folded = fold(tail)
        if not (_COMMITTEE.match(folded) or _PLAIN_UNIT.match(folded)):
            continue
        entity = resolve_label(tail, province)
        if entity is not None and entity.level in ("district", "commune") and not entity.observed:
            return entity
    return None


def resolve_observations(
    observations: list[Observation], province: str | None, issuer: str | None = None
) -> tuple[list[Observation], list[str]]:
    """Give every observation its canonical entity; also return the labels left unresolved.

    Table rows arrive with `entity_level == "unresolved"` and the printed row
    label in `entity_name`. A row that names no place is a category row: it
    belongs to the document's province and its label moves into the indicator
    ("… — Bí thư cấp ủy", the corpus convention). Entities already set by the
    narrative stage are brought to their canonical names. The returned labels
    are those that look like places but matched nothing, for the quality report.

    Without a `province` (the metadata did not find one) the rows tell: rows
    naming districts of one province make it the document's province; rows
    naming several provinces make a national table, whose totals are the
    country. When neither holds, totals and category rows are left
    `unresolved` (and reported) rather than attributed to a guess.
    """
    if province_unit(province) is None and not province:
        province = _infer_province(observations)
    default = subject_entity(issuer, province) or _default_entity(observations, province)
    across = _entities_across(observations, province)
    resolved: list[Observation] = []
    unresolved: list[str] = []
    for obs in observations:
        if obs.entity_level == "unresolved":
            label = clean(obs.entity_name or obs.row_label)
            entity = default if obs.is_total else resolve_label(label, province)
            if entity is not None:
                resolved.append(_with_entity(obs, entity))
                continue
            column = across.get(_column_key(obs))
            if column is not None:  # the row names what is measured, the column whom
                place, rest = column
                resolved.append(_with_entity(obs, place, " / ".join(part for part in (rest, label) if part)))
                continue
            place_like = bool(label) and looks_like_place(label, province)
            if label and (default is None or place_like):
                unresolved.append(label)
            if default is None:
                resolved.append(obs)  # no subject to attach it to: the gate holds this row, with its label
                continue
            indicator = f"{obs.indicator_label} — {label}" if label else obs.indicator_label
            kept = _with_entity(obs, default, indicator)
            if place_like:
                note = f"row label {label!r} looks like a place no reference knows: kept as a breakdown of {default.name_vi}"
                kept = replace(kept, quality_flag=_with_flag(kept.quality_flag, note))
            resolved.append(kept)
        elif obs.entity_level == "province" and not obs.entity_name.strip():
            resolved.append(obs if default is None else _with_entity(obs, default))  # 'the document's subject'
        elif obs.entity_level in ("country", "region"):
            entity = resolve_label(obs.entity_name, None)  # 'WHOLE COUNTRY', 'Red River Delta': one name each
            same_level = entity is not None and entity.level == obs.entity_level
            resolved.append(_with_entity(obs, entity) if entity is not None and same_level else obs)
        elif obs.entity_level in ("province", "district"):
            entity = _recheck(obs, province)
            if entity is None:
                unresolved.append(obs.entity_name)
                resolved.append(_with_province(obs, default))
            else:
                resolved.append(_with_entity(obs, entity))
        else:
            resolved.append(_with_province(obs, default))
    return [_on_2025_map(obs) for obs in resolved], unresolved


_PLACE_LEVELS = frozenset({"province", "district", "commune", "country"})


def _column_key(obs: Observation) -> tuple[object, ...]:
    return obs.page, obs.table_ref, obs.table_title, obs.column_label


def _entities_across(observations: list[Observation], province: str | None) -> dict[tuple[object, ...], tuple[Entity, str]]:
    """Columns that name a place, in tables that list two places or more across their columns.

    A comparison table ('Bình Thuận / Thứ hạng', 'Lâm Đồng / Điểm số' over rows of PCI
    sub-indices) prints its entities in the header and its measures in the rows.
    Read the usual way, every row would be a category of the document's province
    and the place would end up inside the indicator. The header level that
    resolves to a place is the entity; the rest of the header and the row label
    name what is measured. One place in a header is not enough (a column 'Hà
    Nội' beside 'Cả nước' may be a breakdown of one table about many places).
    """
    by_table: dict[tuple[object, ...], dict[str, tuple[Entity, str] | None]] = {}
    for obs in observations:
        if obs.entity_level != "unresolved" or not obs.column_label or obs.is_total:
            continue
        columns = by_table.setdefault(_column_key(obs)[:3], {})
        if obs.column_label not in columns:  # each column read once, the ones naming no place too
            columns[obs.column_label] = _place_in(obs.column_label, province)
    across: dict[tuple[object, ...], tuple[Entity, str]] = {}
    for table, columns in by_table.items():
        places = {column: found for column, found in columns.items() if found is not None}
        if len({entity.name_vi for entity, _ in places.values()}) >= 2:
            across.update({(*table, column): found for column, found in places.items()})
    return across


def _place_in(column_label: str, province: str | None) -> tuple[Entity, str] | None:
    """The place one level of a header path names, with the path without that level; None when none does."""
    levels = [level.strip() for level in column_label.split(" / ")]
    for index, level in enumerate(levels):
        entity = resolve_label(level, province) if level else None
        if entity is not None and entity.level in _PLACE_LEVELS:
            return entity, " / ".join(levels[:index] + levels[index + 1 :])
    return None


def _on_2025_map(obs: Observation) -> Observation:
    """An agency, party body or commune dated after the merger hangs under its 2025 province.

    A Hà Giang report of August 2025 speaks of what is now part of Tuyên Quang;
    its departments and communes are Tuyên Quang's.
    """
    if obs.entity_level not in ("agency", "party_org", "commune") or not obs.province or not obs.period_end:
        return obs
    if obs.period_end < REFORM:
        return obs
    unit = province_unit(obs.province)
    code = successor_code(unit.gso_code) if unit else None
    if unit is None or code is None or code == unit.gso_code:
        return obs
    successor = province_by_code(code, "2025")
    return replace(obs, province=successor.entity_name) if successor else obs


def _row_entities(observations: list[Observation]) -> list[Entity]:
    """What the table rows name on their own, without a province context."""
    labels = {clean(o.entity_name or o.row_label) for o in observations if o.entity_level == "unresolved"}
    return [entity for label in labels if (entity := resolve_label(label, None)) is not None]


def _infer_province(observations: list[Observation]) -> str | None:
    """The province whose districts (or 2025 communes) the document names, if it names no other province.

    Table rows and the districts of narrative sentences count; a few
    mentions of a district elsewhere (OCR noise, a neighbour) may not outvote
    the rest, so the leading province needs four fifths of the mentions.
    """
    mentions = {o.entity_name for o in observations if o.entity_level == "district"}
    entities = _row_entities(observations) + [e for name in mentions if (e := resolve_label(name, None))]
    owners = Counter(e.province for e in entities if e.level == "district" or (e.level == "commune" and e.gso_code))
    if not owners:
        return None
    leader, count = owners.most_common(1)[0]
    others = {e.name_vi for e in entities if e.level == "province"} - {leader}
    return leader if count >= 0.8 * sum(owners.values()) and not others else None


def _default_entity(observations: list[Observation], province: str | None) -> Entity | None:
    """The entity of totals and category rows: the province, the country in a national table, else None."""
    if province:
        return _total_entity(province_unit(province), province)
    national = sum(e.level == "province" for e in _row_entities(observations)) >= 2
    return Entity(COUNTRY, "country", None) if national else None


def _with_province(obs: Observation, default: Entity | None) -> Observation:
    if obs.province or default is None or default.province is None:
        return obs
    return replace(obs, province=default.province)


def _recheck(obs: Observation, province: str | None) -> Entity | None:
    """Canonical form of an entity the narrative stage named ('thành phố Hải Dương', 'Kim Thành')."""
    context = obs.province or province
    entity = resolve_label(obs.entity_name, context)
    if obs.entity_level == "province" and (entity is None or entity.level != "province"):
        entity = resolve_label(f"tỉnh {obs.entity_name}", None)  # OCR's 'Hai Dwong': a province, not a district like it
    elif obs.entity_level == "district" and entity is None:  # OCR'd name: a known district is closer than any
        entity = resolve_label(f"huyện {obs.entity_name}", context)
    elif obs.entity_level == "district" and entity is not None and entity.level == "province":
        entity = resolve_label(f"thành phố {obs.entity_name}", context)  # 'Hải Dương' said of the city
    if entity is None or entity.level not in ("province", "district"):
        return None
    return entity


def _with_flag(flag: str | None, note: str) -> str:
    """A note added to the flags an observation already carries ('; ' between them)."""
    return f"{flag}; {note}" if flag else note


def _with_entity(obs: Observation, entity: Entity, indicator_label: str | None = None) -> Observation:
    """The observation on its entity; one no reference list knows is published with a flag saying so."""
    flag = obs.quality_flag
    if entity.observed:
        note = f"entity not in the reference lists: {obs.row_label or entity.name_vi!r} kept as an observed {entity.level}"
        flag = _with_flag(flag, note)
    return replace(
        obs,
        entity_name=entity.name_vi,
        entity_level=entity.level,
        province=entity.province or obs.province,
        indicator_label=indicator_label or obs.indicator_label,
        quality_flag=flag,
    )
