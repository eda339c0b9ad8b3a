"""What a report says about itself: number, issuer, date, province, title, data date.

A Vietnamese administrative or party document opens with a two-column header:
the issuing body on the left in capitals ("ĐẢNG BỘ TỈNH HÀ TĨNH / ĐẢNG ỦY KHỐI
CÁC CƠ QUAN / VÀ DOANH NGHIỆP TỈNH") above its number ("Số 489-BC/HU"), the
national motto on the right above the place and date ("Hà Tĩnh, ngày   tháng 10
năm 2021"), then the kind ("BÁO CÁO") and the title. Text extraction interleaves
the two columns line by line, so each line is classified on its own. The
committee that signs ("T/M BAN THƯỜNG VỤ") or reports ("Ban Thường vụ … báo cáo")
is the issuer of a party committee's report.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from chiso.extract.sentences import is_doc_kind_line, is_upper_line, key, paragraphs, title_span
from chiso.model import DocumentMeta, TextBlock
from chiso.normalize.dates import find_as_of_date, find_period, parse_issue_date
from chiso.normalize.text import clean, nfc

_MOTTOS = re.compile(
    r"\w?ang cong san viet nam|cong hoa xa hoi chu ngh\S* viet nam|d\S?c \S+\s*-\s*t\S+ do\s*-\s*h\S*nh ph\S*"
)
_DOC_NUMBER = re.compile(
    r"(?:^|\s)S\S{0,2}\s*:?\s*(\d{1,5}\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*(?:\s*[-/]\s*[A-ZĐ][A-Za-zĐđ&]*)+)"
)
_BLANK_NUMBER = re.compile(r"^s\S{0,2}\s*:?\s*[-/]")
_ORG_START = re.compile(
    r"^(tinh|huyen|thanh|thi|quan|xa|phuong|dang|uy ban|ubnd|hoi dong|ban|so|bo|van phong|cong an|toa an|"
    r"vien kiem sat|mat tran|doan|hoi|\w?ang bo|\w?ang uy)\b"
)
_DATE_LINE = re.compile(r"ngay\s*\d{0,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}")
_UNIT = r"tinh|huyen|thanh pho|thi xa|quan|xa|phuong|thi tran"
_PROVINCE = re.compile(r"\btinh\s+(?!uy\b)(\S.*)$|\btinh uy\s+(\S.*)$")
_DISTRICT_BODY = re.compile(r"^(huyen|thanh|thi|quan) uy\b|\b(huyen|thi xa|quan)\s+\S")
_JOINERS = ("va ", "cac ", "cua ")
_CANONICAL = {
    "tinh uy": "Tỉnh ủy", "huyen uy": "Huyện ủy", "thanh uy": "Thành ủy", "thi uy": "Thị ủy", "quan uy": "Quận ủy",
    "dang uy khoi": "Đảng ủy Khối", "dang uy": "Đảng ủy", "dang bo": "Đảng bộ",
    "uy ban nhan dan": "Ủy ban nhân dân", "hoi dong nhan dan": "Hội đồng nhân dân",
    "ban to chuc": "Ban Tổ chức", "ban tuyen giao": "Ban Tuyên giáo", "ban dan van": "Ban Dân vận",
    "ban noi chinh": "Ban Nội chính", "uy ban kiem tra": "Ủy ban Kiểm tra", "van phong": "Văn phòng",
    "ban thuong vu": "Ban Thường vụ", "ban chap hanh": "Ban Chấp hành", "so": "Sở",
}
_PLACE_BODIES = {"tinh uy", "huyen uy", "thanh uy", "thi uy", "quan uy"}
_SUBORDINATE = ("ban ", "van phong", "uy ban kiem tra", "so ")
_SIGNING = re.compile(r"\bt\s*/?\s*m\.?\s+(ban thuong vu|ban chap hanh)\b")
_REPORTING = re.compile(r"\b(ban thuong vu|ban chap hanh)\b[^.;:]{0,120}?\bbao cao\b")
_PARTY_COMMITTEE = re.compile(r"(tinh|huyen|thanh|thi|quan|dang) uy\b")
_DATA_PHRASE = re.compile(r"so lieu tinh (den|toi)")


def _strip_mottos(line: str) -> str:
    for match in reversed(list(_MOTTOS.finditer(key(line)))):
        line = line[: match.start()] + line[match.end():]
    return clean(line)


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
            if two in ("thanh pho", "thi xa", "thi tran"):
                out.append(two.replace("thanh pho", "thành phố").replace("thi xa", "thị xã").replace("thi tran", "thị trấn"))
                place, index = True, index + 2
                continue
            if key(words[index]) in ("tinh", "huyen", "phuong") or words[index].lower() in ("quận", "xã"):
                out.append(words[index].lower())
                place = True
            else:
                out.append(words[index].title() if place else words[index].lower())
            index += 1
    return " ".join(out)


def _header(lines: list[str]) -> tuple[list[str], str | None, str | None]:
    """(organisation lines, date line, document number) of the header block."""
    orgs: list[str] = []
    date_line = number = None
    for raw in lines:
        line = _strip_mottos(raw)
        line_key = key(line)
        if not line or line == "*":
            continue
        found = _DOC_NUMBER.search(line)
        if found and number is None:
            number = re.sub(r"\s+", "", found.group(1))
            line = clean(line[: found.start()] + " " + line[found.end():])
            line_key = key(line)
        if _DATE_LINE.search(line_key) and date_line is None:
            date_line = line
        elif found or _BLANK_NUMBER.match(line_key):
            continue
        elif is_upper_line(line) and len(line) <= 70 and (orgs or _ORG_START.match(line_key)):
            starts_place = re.match(rf"({_UNIT})\b", line_key)
            continues = line_key.startswith(_JOINERS) or (
                starts_place and orgs and not re.search(rf"\b({_UNIT})\b", key(orgs[-1]))
            )
            if continues and orgs:
                orgs[-1] = f"{orgs[-1]} {line}"
            else:
                orgs.append(line)
    return orgs, date_line, number


def _leading_lines(lines: list[str]) -> list[str]:
    """Without a "BÁO CÁO" line, the header is what precedes the first paragraph or heading."""
    out = []
    for line in lines[:15]:
        text = clean(line)
        if len(text) > 70 or re.match(r"^([IVX]+|\d+)[.)-]\s", text):
            break
        out.append(text)
    return out


def _province(orgs: list[str], date_line: str | None) -> str | None:
    for org in orgs:
        match = _PROVINCE.search(key(org))
        if match:
            start = match.start(1) if match.group(1) else match.start(2)
            return org[start:].strip().title()
    if date_line and not any(_DISTRICT_BODY.search(key(org)) for org in orgs):
        place = re.search(r"((?:[A-ZĐÀ-Ỹ][^\s,]*\s*)+),", date_line)
        return place.group(1).strip() if place else None
    return None


def _organisation(orgs: list[str], province: str | None) -> str | None:
    """The issuing body: the lowest header line, completed by its parent where needed."""
    if not orgs:
        return None
    name = _proper_case(orgs[-1])
    if len(orgs) > 1 and key(orgs[-1]).startswith(_SUBORDINATE):
        return f"{name} {_proper_case(orgs[-2])}"  # "Ban Tổ chức" of "Tỉnh ủy Hải Dương"
    if key(name).endswith((" tinh", " huyen")) and province:
        return f"{name} {province}"
    return name


def _committee(texts: list[TextBlock]) -> str | None:
    """'Ban Thường vụ' when the report is signed or presented by the standing committee."""
    body = key(" ".join(nfc(block.text).replace("\n", " ") for block in texts))
    match = _SIGNING.search(body) or _REPORTING.search(body[:3000])
    return {"ban thuong vu": "Ban Thường vụ", "ban chap hanh": "Ban Chấp hành"}[match.group(1)] if match else None


def _title(lines: list[str]) -> str | None:
    span = title_span(lines)
    if not span or span[1] >= len(lines):
        return None
    title = clean(" ".join(lines[span[1] : span[2]]))
    kind = next((clean(line) for line in lines if is_doc_kind_line(line)), "")
    return f"{kind.capitalize()} {title}" if title and title[0].islower() else title or None


def _data_date(texts: list[TextBlock], title: str | None, issued: date | None) -> date | None:
    """The as-of date of the report's figures.

    A "số liệu tính đến …" statement wins; otherwise the as-of date the body states
    most often; otherwise the end of a period named in the title ("… năm 2023"),
    if that period is over when the report is issued.
    """
    counts: Counter[date] = Counter()
    for paragraph in paragraphs(texts):
        for sentence in paragraph.sentences:
            when = find_as_of_date(sentence.text)
            if when and _DATA_PHRASE.search(key(sentence.text)):
                return when
            if when:
                counts[when] += 1
    if counts:
        return counts.most_common(1)[0][0]
    period = find_period(title) if title else None
    if period and issued and period[1] <= issued:
        return period[1]
    return None


def extract_metadata(texts: list[TextBlock]) -> DocumentMeta:
    """Read the header block, title and as-of date of a report's text."""
    if not texts:
        return DocumentMeta()
    lines = nfc(texts[0].text).split("\n")
    span = title_span(lines)
    orgs, date_line, number = _header(lines[: span[0]] if span else _leading_lines(lines))
    issue_date, month_only = parse_issue_date(date_line) if date_line else (None, False)
    province = _province(orgs, date_line)
    organisation = _organisation(orgs, province)
    committee = _committee(texts) if organisation and _PARTY_COMMITTEE.match(key(organisation)) else None
    issuer = f"{committee} {organisation}" if committee and organisation else organisation
    title = _title(lines)
    return DocumentMeta(
        doc_number=number,
        issuer=issuer,
        issue_date=issue_date,
        issue_month_only=month_only,
        province=province,
        title=title,
        data_date=_data_date(texts, title, issue_date),
    )
