"""The header block of a Vietnamese administrative or party document.

It has two columns: the issuing body on the left in capitals ("ĐẢNG BỘ TỈNH HÀ
TĨNH / ĐẢNG ỦY KHỐI CÁC CƠ QUAN / VÀ DOANH NGHIỆP TỈNH") above its number ("Số
489-BC/HU"), the national motto on the right above the place and date ("Hà
Tĩnh, ngày   tháng 10 năm 2021"). Text extraction interleaves the columns line
by line, and spreadsheets or OCR may merge them into one line ("BAN TỔ CHỨC Hải
Dương, ngày 04 tháng 8 năm 2022"), so each line is classified on its own and a
date line is split into the organisation printed before the place and the place.
Matching is done on `key()`, so OCR output without diacritics ("ngay 29 thang 01
nim 2024", "S6 489-BC/HU") is read by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chiso.interpret.metadata.places import accented, find_place, party_committee, province_name
from chiso.interpret.sentences import is_upper_line, key
from chiso.normalize.text import clean
from chiso.resolve.entities import resolve_label
from chiso.resolve.units import AdminUnit

_MOTTOS = re.compile(
    r"\w?ang c\w{1,2}ng s\w{1,2}n vi\w{1,2}t nam|c\w{1,2}ng h\w{1,2} x\w h\w{1,2}i ch\w{1,2} ngh\S* vi\w{1,2}t nam"
    r"|d\S?c \S+\s*-\s*t\S+ do\s*-\s*h\S*nh ph\S*"
)
DOC_NUMBER = re.compile(
    r"(?:^|\s)S\S{0,2}\s*:?\s*(\d{1,5}(?:\s*/\s*\d{4})?\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*(?:\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*)+)"
)
_BLANK_NUMBER = re.compile(r"^s\S{0,2}\s*:?\s*[-/]")
ORG_START = re.compile(
    r"^(tinh|huyen|thanh|thi|quan|xa|phuong|dang|uy ban|ubnd|hoi dong|ban|so|bo|van phong|cong an|toa an|"
    r"vien kiem sat|mat tran|doan|hoi|\w?ang bo|\w?ang uy)\b"
)
DATE_LINE = re.compile(r"ng\w{1,2}y\s*\d{0,2}\s*th\w{1,2}ng\s*\d{1,2}\s*n\w{1,2}m\s*\d{4}")
_UNIT = r"tinh|huyen|thanh pho|thi xa|quan|xa|phuong|thi tran"
_PROVINCE = re.compile(r"\btinh\s+(?!uy\b)(\S.*)$|\btinh uy\s+(\S.*)$")
_JOINERS = ("va ", "cac ", "cua ")
"""Words that continue an organisation line ("VÀ DOANH NGHIỆP TỈNH"; OCR's "VD" is read back as VÀ)."""
_TEMPLATE = re.compile(r"^(?:(?:tinh|huyen|thanh|thi|quan|dang) uy\W*)+$")
"""'HUYỆN ỦY, THÀNH ỦY': a form printed for every district, naming none."""
_CANONICAL = {
    "tinh uy": "Tỉnh ủy", "huyen uy": "Huyện ủy", "thanh uy": "Thành ủy", "thi uy": "Thị ủy", "quan uy": "Quận ủy",
    "dang uy khoi": "Đảng ủy Khối", "dang uy": "Đảng ủy", "dang bo": "Đảng bộ",
    "uy ban nhan dan": "Ủy ban nhân dân", "ubnd": "Ủy ban nhân dân", "hoi dong nhan dan": "Hội đồng nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "ban to chuc": "Ban Tổ chức", "ban tuyen giao": "Ban Tuyên giáo", "ban dan van": "Ban Dân vận",
    "ban noi chinh": "Ban Nội chính", "uy ban kiem tra": "Ủy ban Kiểm tra", "van phong": "Văn phòng",
    "ban thuong vu": "Ban Thường vụ", "ban chap hanh": "Ban Chấp hành", "so": "Sở",
}  # fmt: skip
_UNIT_WORDS = {"tinh": "tỉnh", "huyen": "huyện", "phuong": "phường"}
_PLACE_KINDS = {"thanh pho": "thành phố", "thi xa": "thị xã", "thi tran": "thị trấn"}
_PLACE_BODIES = {"tinh uy", "huyen uy", "thanh uy", "thi uy", "quan uy"}
_SUBORDINATE = ("ban ", "van phong", "uy ban kiem tra", "so ")
_PARTY_BAN = re.compile(r"^(ban (?!quan ly)|van phong|uy ban kiem tra)")
"""Party committee departments: a 'Ban Tổ chức' without a parent line belongs to the place's committee."""
PARTY_COMMITTEE = re.compile(r"(tinh|huyen|thanh|thi|quan|dang) uy\b")


@dataclass
class Header:
    """What one header block prints: organisation lines, place and date line, number."""

    orgs: list[str] = field(default_factory=list)
    date_line: str | None = None
    place: str | None = None
    number: str | None = None

    def __bool__(self) -> bool:
        return bool(self.orgs or self.date_line or self.number)


def strip_mottos(line: str) -> str:
    for match in reversed(list(_MOTTOS.finditer(key(line)))):
        line = line[: match.start()] + line[match.end():]
    return clean(line.replace("*", " "))


def _is_name_word(word: str) -> bool:
    """'Dương', 'Tho', 'Hiti': a capitalised word of a place name, not a word in capitals ('CHỨC')."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def split_date_line(line: str) -> tuple[str, str | None]:
    """'BAN TỔ CHỨC Hải Dương, ngày 04 …' → ('BAN TỔ CHỨC', 'Hải Dương'): what precedes the place, and the place."""
    found = DATE_LINE.search(key(line))
    words = line[: found.start()].rstrip(" ,").split() if found else []
    size = 0
    while size < min(len(words), 4) and _is_name_word(words[len(words) - 1 - size]):
        size += 1
    for length in range(size, 0, -1):
        if find_place(" ".join(words[len(words) - length :])):
            size = length
            break
    return " ".join(words[: len(words) - size]), " ".join(words[len(words) - size :]) or None


_OCR_COMMITTEE = re.compile(r"\b(?:tinh|huyen|thanh|thi|quan|dang) (?P<uy>(?:[itgy@1]|tt|it)y|ui)\b")
"""'TINH YY', 'HUYEN TY', 'Pang Gy': 'ủy' after a committee's unit word, as OCR without Vietnamese reads it."""


def mend_committee(line: str) -> str:
    """The committee word 'ủy' back where OCR misread it, so the line is known for a party committee."""
    for match in reversed(list(_OCR_COMMITTEE.finditer(key(line)))):
        word = "ỦY" if line[match.start("uy") : match.end("uy")].isupper() else "ủy"
        line = line[: match.start("uy")] + word + line[match.end("uy") :]
    return line


def read_header(lines: list[str]) -> Header:
    """Classify the lines of a header block."""
    header = Header()
    joinable = False  # an organisation continues only on the next organisation-like line
    for raw in lines:
        line = mend_committee(strip_mottos(raw))
        if not line:
            continue
        found = DOC_NUMBER.search(line)
        if found and header.number is None:
            header.number = re.sub(r"\s+", "", found.group(1))
            line = clean(line[: found.start()] + " " + line[found.end():])
        if DATE_LINE.search(key(line)) and header.date_line is None:
            header.date_line = line
            line, header.place = split_date_line(line)
        elif found or _BLANK_NUMBER.match(key(line)):
            continue
        line_key = key(line)
        if not line or not is_upper_line(line) or len(line) > 70:
            continue
        orgs = header.orgs
        starts_place = re.match(rf"({_UNIT})\b", line_key)
        continues = joinable and (
            line_key.startswith(_JOINERS) or (starts_place and not re.search(rf"\b({_UNIT})\b", key(orgs[-1])))
        )
        if continues:
            orgs[-1] = f"{orgs[-1]} {line}"
        elif ORG_START.match(line_key):
            orgs.append(line)
        else:
            break  # a caption in capitals: the header block is over
        joinable = bool(orgs) and (continues or ORG_START.match(line_key) is not None)
    return header


def _proper_case(upper: str) -> str:
    """'ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH' → 'Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh'."""
    words = upper.split()
    out: list[str] = []
    place = False
    index = 0
    while index < len(words):
        for size in (4, 3, 2, 1):
            phrase = key(" ".join(words[index : index + size]))
            if len(words[index : index + size]) == size and phrase in _CANONICAL:
                out.append(_CANONICAL[phrase])
                place = phrase in _PLACE_BODIES
                index += size
                break
        else:
            two = key(" ".join(words[index : index + 2]))
            if two in _PLACE_KINDS:
                out.append(_PLACE_KINDS[two])
                place, index = True, index + 2
                continue
            if key(words[index]) in _UNIT_WORDS or words[index].lower() in ("quận", "xã"):
                out.append(_UNIT_WORDS.get(key(words[index]), words[index].lower()))
                place = True
            else:
                out.append(words[index].title() if place else words[index].lower())
            index += 1
    return _accent_place(" ".join(out))


def _accent_place(name: str) -> str:
    """'Ủy ban nhân dân tỉnh Hai Duong' → '… tỉnh Hải Dương': the place after a unit word, spelt officially."""
    words = name.split()
    for size in (3, 2, 1):
        if len(words) > size and key(words[-size - 1]) in ("tinh", "huyen", "uy", "pho", "xa", "quan"):
            tail = " ".join(words[-size:])
            if accented(tail) != tail:
                return " ".join([*words[:-size], accented(tail)])
    return name


def place_of(header: Header) -> AdminUnit | None:
    return find_place(header.place) if header.place else None


def province(header: Header) -> str | None:
    """The province named by an organisation line ('ĐẢNG BỘ TỈNH LAI CHÂU'), else by the place of the date."""
    for org in header.orgs:
        match = _PROVINCE.search(key(org))
        named = org[match.start(1) if match.group(1) else match.start(2):] if match else ""
        unit = find_place(named) if named else None
        if unit:
            return province_name(unit)
        known = resolve_label(f"tỉnh {named}", None) if named else None  # after 'tỉnh' only a province: OCR's 'HAI DWONG'
        if known is not None and known.level == "province" and known.province:
            return known.province
    place = place_of(header)
    return province_name(place) if place else None


def organisation(orgs: list[str], place: AdminUnit | None, province_: str | None) -> tuple[str | None, str | None]:
    """(issuing body, the party committee it is or belongs to) from the organisation lines.

    The issuer is the lowest line, completed by its parent where it is a
    department ("Ban Tổ chức" of "Tỉnh ủy Hải Dương"); a department printed
    under a form line naming no place ("HUYỆN ỦY, THÀNH ỦY") belongs to the
    committee of the place in the date line.
    """
    orgs = [org for org in orgs if not _TEMPLATE.match(key(org))]
    if not orgs:
        return None, None
    name = _proper_case(orgs[-1])
    parent = None
    if key(orgs[-1]).startswith(_SUBORDINATE):
        if len(orgs) > 1:
            parent = _proper_case(orgs[-2])
        elif place and _PARTY_BAN.match(key(orgs[-1])):
            parent = party_committee(place)
        name = f"{name} {parent}" if parent else name
    else:
        name = with_province(name, province_)
    party = next((body for body in (name, parent) if body and PARTY_COMMITTEE.match(key(body))), None)
    return name, party


def with_province(name: str, province_: str | None) -> str:
    """'Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh' → '… tỉnh Hà Tĩnh': a body named after 'the province' (or
    district) it belongs to, completed by the document's province."""
    return f"{name} {province_}" if province_ and key(name).endswith((" tinh", " huyen")) else name


def organisation_name(text: str) -> str:
    """An issuer as printed in running text ('UBND tỉnh Hải Dương', 'Bộ trưởng Bộ Tài chính') in its full form."""
    if is_upper_line(text) or re.match(r"(ubnd|hdnd)\b", key(text)):
        return _proper_case(text)
    return text
