"""What a document says about itself: number, issuer, date, province, title, data date.

A report opens with its header block (see `metadata_header`), then the kind
("BÁO CÁO") and the title. Spreadsheets and appendix tables have no such title:
the pipeline passes the lines printed above each table as extra text blocks, and
those carry a header block of their own, "Biểu số N" and a caption, and for an
annex the report it is attached to ("Kèm theo Báo cáo số …", see
`metadata_sheet`). The sources are read in order of authority: the attached
report, the first block's header, then the other blocks' headers; each field
takes the first value found. The committee that signs ("T/M BAN THƯỜNG VỤ") or
reports ("Ban Thường vụ … báo cáo") is the issuer of a party committee's report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from chiso.interpret.metadata import header as header_block
from chiso.interpret.metadata.places import find_place, province_name
from chiso.interpret.metadata.sheet import Attachment, appendix_title, caption, find_attachment
from chiso.interpret.ocr_text import read_back
from chiso.interpret.sentences import is_appendix_title, is_doc_kind_line, is_upper_line, key, paragraphs, title_span
from chiso.model import DocumentMeta, TextBlock
from chiso.normalize.dates import find_as_of_date, find_period, parse_issue_date
from chiso.normalize.ocr_spelling import phrase_words
from chiso.normalize.text import clean, nfc
from chiso.resolve.units import provinces

_LEADING = 15
"""Header, "Biểu số" and caption lines are printed within the first lines of a page or sheet."""
_SIGNING = re.compile(r"\bt\s*/?\s*m\.?\s+(ban th\w{1,3}ng vu|ban chap hanh)\b")
_REPORTING = re.compile(r"\b(ban th\w{1,3}ng vu|ban chap hanh)\b[^.;:]{0,120}?\bb\w{1,2}o c\w{1,2}o\b")
_DATA_PHRASE = re.compile(r"so lieu tinh (den|toi)")
_OPENING_PROVINCE = re.compile(r"\btinh\s+(?!uy\b)(\w+\s+\w+)")


_LETTERHEAD_PHRASES = (
    "dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc",
    "dang bo tinh", "dang uy khoi cac co quan va doanh nghiep", "ban thuong vu tinh uy", "ban thuong vu huyen uy",
    "thanh uy", "ban chap hanh dang bo", "uy ban nhan dan", "hoi dong nhan dan", "ban to chuc", "van phong",
    "ngay thang nam", "so", "bao cao nhu sau", "to trinh", "ke hoach", "tong ket danh gia",
)
"""What letterheads, a report's kind and its opening sentence print: the words an OCR misreading is read as."""


@cache
def _letterhead_words() -> frozenset[str]:
    """`_LETTERHEAD_PHRASES` and the provinces' names, as words and two-word phrases (see ocr_spelling)."""
    return phrase_words((*_LETTERHEAD_PHRASES, *(p.short_name for p in provinces())))


@dataclass
class _Source:
    """What one header block or "Kèm theo" line says."""

    number: str | None = None
    issued: tuple[date | None, bool] = (None, False)
    province: str | None = None
    organisation: str | None = None
    party: str | None = None
    """The party committee the organisation is or belongs to, which a signing standing committee leads."""


def _leading_lines(lines: list[str]) -> list[str]:
    """Without a "BÁO CÁO" line, the header is what precedes the first paragraph, heading, "Biểu số" or annex line."""
    out = []
    for line in lines[:_LEADING]:
        text = clean(line)
        if len(text) > 70 or re.match(r"^([IVX]+|\d+)[.)-]\s", text) or is_appendix_title(text) or text.startswith("("):
            break
        out.append(text)
    return out


def _block_header(lines: list[str]) -> header_block.Header:
    """The header block at the top of `lines`, else the first one further down.

    An appendix printed after a report's text (an OCR file of the whole
    document) starts with its own header: a line "<Place>, ngày …" whose place
    is a known province or district, preceded by nothing but organisation lines.
    """
    span = title_span(lines)
    found = header_block.read_header(lines[: span[0]] if span else _leading_lines(lines))
    if found:
        return found
    for index, line in enumerate(lines):
        if header_block.DATE_LINE.search(key(line)):
            prefix, place = header_block.split_date_line(clean(line))
            if place and find_place(place) and (len(prefix) <= 2 or is_upper_line(prefix)):
                return header_block.read_header(lines[max(0, index - 6) : index + 1])
    return found


def _from_header(header: header_block.Header) -> _Source:
    province = header_block.province(header)
    organisation, party = header_block.organisation(header.orgs, header_block.place_of(header), province)
    issued = parse_issue_date(header.date_line) if header.date_line else (None, False)
    return _Source(header.number, issued, province, organisation, party)


def _from_attachment(attachment: Attachment) -> _Source:
    organisation = header_block.organisation_name(attachment.issuer) if attachment.issuer else None
    province = header_block.province(header_block.Header(orgs=[attachment.issuer])) if attachment.issuer else None
    party = organisation if organisation and header_block.PARTY_COMMITTEE.match(key(organisation)) else None
    return _Source(attachment.number, (attachment.issued, False), province, organisation, party)


def _opening_province(lines: list[str]) -> str | None:
    """A document without any header: the province its opening sentences name ("Tỉnh Tuyên Quang được …")."""
    opening = key(" ".join(clean(line) for line in lines[:_LEADING]))
    for match in _OPENING_PROVINCE.finditer(opening):
        unit = find_place(match.group(1))
        if unit:
            return province_name(unit)
    return None


def _committee(texts: list[TextBlock]) -> str | None:
    """'Ban Thường vụ' when the report is signed or presented by the standing committee."""
    body = key(" ".join(nfc(block.text).replace("\n", " ") for block in texts))
    match = _SIGNING.search(body) or _REPORTING.search(body[:3000])
    if not match:
        return None
    return "Ban Chấp hành" if match.group(1) == "ban chap hanh" else "Ban Thường vụ"


_REPORTING_BODY = re.compile(
    r"\b(ban th\w{1,3}ng vu|ban chap hanh)\s+(?P<org>(?P<party>[dpb]\w{1,3}ng \w{1,2}y)\s+(?P<rest>[^.;:]{3,80}?)"
    r"|(?P<committee>(tinh|huy\w{1,2}n|th\w{1,2}nh|thi|quan) \w{1,2}y)\b(?P<place>[^.;:]{0,40}?))\s+b\w{1,2}o c\w{1,2}o\b"
)
"""'…, Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh báo cáo như sau' (OCR: 'Ban Thudng vu Pang ty
Khéi …'): the reporting body, named in the opening sentence of a report whose letterhead is lost."""
_COMMITTEE_NAMES = ((re.compile(r"tinh"), "Tỉnh ủy"), (re.compile(r"huy\w{1,2}n"), "Huyện ủy"),
                    (re.compile(r"th\w{1,2}nh"), "Thành ủy"), (re.compile(r"thi"), "Thị ủy"), (re.compile(r"quan"), "Quận ủy"))
"""The unit word of `_REPORTING_BODY`'s committee, as OCR may spell it, and the committee it names."""


def _reporting_body(texts: list[TextBlock]) -> str | None:
    """The party committee an opening sentence says is reporting, for a report without a readable letterhead.

    OCR of a scan often loses the letterhead's two columns; the first sentence
    still names who reports. Its committee words are read through OCR's
    misreadings ('Pang ty' is Đảng ủy, 'Huyén ty' Huyện ủy); the rest of the
    name is kept as printed.
    """
    body = " ".join(nfc(block.text).replace("\n", " ") for block in texts)[:3000]
    match = _REPORTING_BODY.search(key(body))
    if not match:
        return None
    if match.group("party"):
        return clean(f"Đảng ủy {body[match.start('rest') : match.end('rest')]}")
    unit = match.group("committee").split()[0]
    head = next(name for pattern, name in _COMMITTEE_NAMES if pattern.fullmatch(unit))
    return clean(f"{head} {body[match.start('place') : match.end('place')]}")


def _report_title(lines: list[str]) -> str | None:
    span = title_span(lines)
    if not span or span[1] >= len(lines):
        return None
    title = clean(" ".join(lines[span[1] : span[2]]))
    kind = next((clean(line) for line in lines if is_doc_kind_line(line)), "")
    return f"{kind.capitalize()} {title}" if title and title[0].islower() else title or None


def _header_end(lines: list[str]) -> int:
    """Index of the first line after the header block (organisations, mottos, number, place and date)."""
    for index, raw in enumerate(lines[:_LEADING]):
        line = header_block.strip_mottos(raw)
        line_key = key(line)
        is_header = (
            not line
            or header_block.DATE_LINE.search(line_key)
            or header_block.DOC_NUMBER.search(line)
            or (is_upper_line(line) and header_block.ORG_START.match(line_key))
        )
        if not is_header:
            return index
    return min(len(lines), _LEADING)


def _sheet_title(lines: list[str]) -> str | None:
    """'Biểu số N - <caption>', or a caption in capitals printed under the header."""
    appendix = appendix_title(lines[: _LEADING + 6])
    if appendix and appendix[0] < _LEADING:
        return appendix[1]
    start = _header_end(lines)
    if start < len(lines) and is_upper_line(clean(lines[start])):
        return caption(lines[start : start + 6])
    return None


def _is_report(block: TextBlock) -> bool:
    """A block with prose paragraphs: its own title rules, appendix captions do not name the document."""
    return any(p.heading_level is None and len(p.text) > 200 for p in paragraphs([block]))


def _title(texts: list[TextBlock], blocks: list[list[str]]) -> str | None:
    title = _report_title(blocks[0]) or _sheet_title(blocks[0])
    if title or _is_report(texts[0]):
        return title
    return next((found for found in map(_sheet_title, blocks[1:]) if found), None)


def _data_date(texts: list[TextBlock], blocks: list[list[str]], title: str | None, issued: date | None) -> date | None:
    """The as-of date of the report's figures.

    A "số liệu tính đến …" statement wins; otherwise the as-of date the body states
    most often; otherwise one printed under a table's caption ("(Tính đến 31/7/2022)");
    otherwise the end of a period named in the title ("… năm 2023", "nhiệm kỳ 2020 -
    2025"), if that period is over when the report is issued, or if the report
    states no date at all (a term summary describes its term).
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
    for lines in blocks:
        for line in lines[:_LEADING]:
            when = find_as_of_date(line) if clean(line).startswith("(") else None
            if when:
                return when
    period = find_period(title) if title else None
    if period and (issued is None or period[1] <= issued):
        return period[1]
    return None


def extract_metadata(texts: list[TextBlock]) -> DocumentMeta:
    """Read the header blocks, title and as-of date of a document's text and table captions."""
    if not texts:
        return DocumentMeta()
    texts = [read_back(block, _letterhead_words()) for block in texts]  # 'PANG UY KHDI' is ĐẢNG ỦY KHỐI
    blocks = [nfc(block.text).split("\n") for block in texts]
    attachment = next((found for found in (find_attachment(lines[:_LEADING]) for lines in blocks) if found), None)
    headers = [_from_header(_block_header(lines)) for lines in blocks]
    sources = ([_from_attachment(attachment)] if attachment else []) + headers
    own = sources[: len(sources) - len(headers) + 1]  # a number is the document's own or its parent report's
    number = next((source.number for source in own if source.number), None)
    issue_date, month_only = next((source.issued for source in sources if source.issued[0]), (None, False))
    province = next((source.province for source in sources if source.province), None) or _opening_province(blocks[0])
    issuing = next((source for source in sources if source.organisation), None)
    if issuing is None:
        reporting = _reporting_body(texts)
        if reporting:
            reporting = header_block.with_province(reporting, province)
        party = reporting if reporting and header_block.PARTY_COMMITTEE.match(key(reporting)) else None
        issuing = _Source(None, (None, False), None, reporting, party)
    committee = _committee(texts) if issuing.party else None
    title = _title(texts, blocks)
    return DocumentMeta(
        doc_number=number,
        issuer=f"{committee} {issuing.party}" if committee else issuing.organisation,
        issue_date=issue_date,
        issue_month_only=month_only,
        province=province,
        title=title,
        data_date=_data_date(texts, blocks, title, issue_date),
    )
