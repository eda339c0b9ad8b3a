"""A printed label → measure code + breakdown dimensions.

Labels arrive as the readers print them: a header path joined by " / "
("Người hoạt động không chuyên trách xã / Tổng số"), then any category row
or GSO stub parts after " — " ("Chỉ số CCHC — Bí thư cấp ủy", "Average
population — Female"). The split is done by vocabulary, never by position:

1. every part that is a breakdown word (`dimensions.dimension_of`: sex, age
   group, rating, statistic, budget basis, price basis, urban/rural) becomes a
   dimension; a part that only says "total" is dropped;
2. the parts after " — " that are not breakdown words are the category
   (`category=`), since a category row is a breakdown of its table's measure;
   header levels under a catalogued heading that has items are its `item`;
3. what is left of the header path is the measure text, matched against the
   catalog's label patterns (with their source condition); a composite index's
   component becomes `component=<code>`;
4. when nothing is left (a column "Xếp hạng", "Female — 0-4"), the measure is
   the table's subject — its caption or sheet name, then the document's
   title — or, failing that, the one composite index the document is about
   (its `sources`);
5. a measure the catalog does not know, in a table about one component of a
   composite index (a PCI sheet "Chi phí gia nhập thị trường"), is one of the
   indicators that component is computed from: the catalog's `items_of`
   measure for that index, with the component and the printed indicator as
   its `item` — and a "Sub-Index 1" column there is the component's score;
6. any other unknown measure that opens with a catalogued counted noun (an
   entry's `heads`: "đảng viên bị xóa tên", "hồ sơ TTHC tiếp nhận trực
   tuyến") is that measure, the rest of the label its `item`; a rate of such
   a count ("tỷ lệ thôn, KDC", "tỷ lệ đảng viên nữ") is the count with
   `statistic=share`.

Header levels that are a statistician's variable names ("c3_1",
"sub1_entry", printed under the caption) are provenance, not meaning: they are
dropped from the measure.

What the catalog does not know keeps a code generated from the measure text
alone, so the same unknown measure still forms one series across documents,
and `dq_unmapped_indicators` ranks it for curation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from chiso.indicators.catalog import Indicator, document_dimensions, load_catalog, vocabulary
from chiso.indicators.dimensions import CATEGORY, COMPONENT, DESCRIPTIONS, ITEM, breakdown_text, canonical_value, dimension_of, is_lead, is_total
from chiso.normalize.labels import indicator_code
from chiso.normalize.ocr_spelling import respelled_key, respelled_word
from chiso.normalize.text import clean, fold
from chiso.normalize.unit_words import COUNTING, MONEY

_SOURCE_NOISE = re.compile(r"[_\-.]+")
_LEVEL = re.compile(r" / |: ")
"""Header levels: readers join them with " / "; reports write "Cán bộ, công chức xã: tổng số"."""
_NUMBERING = re.compile(r"^([IVXLC]+|\d{1,2}|[a-zđ])[.)]\s+")
_RANK_SUFFIX = re.compile(r"^(?P<measure>.+?)[ ,:-]+(ranking|rank|xep hang)$")
_VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]{1,3}\d+[a-z0-9]*$")
"""A data set's variable name printed as a header level: 'c3_1', 'b4_1_4', 'sub2_land', 'd1', 'e8'."""
_FOOTNOTE_MARK = re.compile(r"\s*(\(\d{1,2}\)|\(\*+\)|\*+)$|^(\(\*+\)|\*+)\s*")
"""'(1)', '(*)' or '*' after a caption, or '(*)' before it: a pointer to a footnote, not part of the name."""
_ENGLISH_TAIL = re.compile(r"\s+-\s*[A-Za-z][A-Za-z ,&()/.-]*$")
_INDEX_NUMBER = re.compile(r"^(chi so|sub ?-?index) (thanh phan )?\d+$")
"""'Chỉ số 5' before 'Chi phí không chính thức': the sub-index's number, a level of its own once ': ' splits it off."""
_TRAILING_REFERENCE = re.compile(
    r"\s+(chi so (thanh phan )?\d+|nhom (cac )?chi tieu thanh phan\b.*|cau hoi dieu tra\b.*|mang \d+(\.\d+)*)$"
)
"""What a caption prints after the name to point elsewhere: the sub-index's number again, its group of
sub-indicators ('Nhóm chỉ tiêu thành phần 4.1'), the survey question it comes from ('Câu hỏi điều tra PCI: C4')."""
_CONSTITUENTS = re.compile(r"^(cac )?chi tieu (su dung trong|cau thanh|thanh phan cua) (chi so )?(thanh phan )?(?P<name>.+)$")
"""'Các chỉ tiêu cấu thành chỉ số thành phần Chi phí thời gian': a table of the indicators one sub-index is computed from."""
_FUSED_TOTAL = re.compile(r"^(?P<head>.+?)[\s,:-]+(tong so|tong cong|total)$")


def _search_folded(pattern: re.Pattern[str], printed: str) -> re.Match[str] | None:
    """`pattern` searched in the folded text, only when folding kept the printed text's length, so that
    a span of the match is the same span of the printed text (which keeps its accents)."""
    key = fold(printed)
    return pattern.search(key) if len(key) == len(printed) else None


def _tidy(part: str) -> str:
    """A header level without what only decorates it: a footnote mark ('THU NSNN TRÊN ĐỊA BÀN (1)'), the
    English line of a bilingual caption ('Bổ sung cân đối - Balance transfers') and a fused total word
    ('BỔ SUNG CÓ MỤC TIÊU TỔNG SỐ', a merged caption over its 'Tổng số' column) and the unit the count is
    in ('Đảng viên chính thức (đồng chí)', 'Số đã giảm (người)')."""
    part = _FOOTNOTE_MARK.sub("", part).strip()
    reference = _search_folded(_TRAILING_REFERENCE, part)
    if reference and reference.start() > 0:
        part = part[: reference.start()]
    fused = _search_folded(_FUSED_TOTAL, part)
    if fused:
        part = part[: fused.end("head")]
    tail = _ENGLISH_TAIL.search(part)
    if tail and not part[: tail.start()].isascii():
        part = part[: tail.start()]
    unit = _TRAILING_UNIT.search(part)
    if unit and unit.start() > 0 and _unit_word(unit.group("unit")):
        part = part[: unit.start()]
    return part.strip()


_TRAILING_UNIT = re.compile(r"\s*\((?P<unit>[^()]{1,20})\)\s*$")
_UNIT_WORDS = frozenset((*MONEY, *COUNTING))


def _unit_word(text: str) -> bool:
    """'(đồng chí)', '(người)', OCR's '(ddng chi)', '(triệu đồng)': what the number is counted in, not what it counts."""
    word = respelled_word(text)
    return word in _UNIT_WORDS or re.sub(r"^(nghin|ngan|trieu|ty) ", "", word) in _UNIT_WORDS  # '(nghìn người)'


@dataclass(frozen=True)
class Interpretation:
    code: str
    dimensions: dict[str, str] = field(default_factory=dict)
    catalogued: bool = False
    measure: str = ""
    """The printed measure text the code was read from (for review lists)."""

    @property
    def breakdown(self) -> str:
        return breakdown_text(self.dimensions)


def source_key(*texts: str | None) -> str:
    """File name, title and issuer as one folded key; '-', '_' and '.' read as spaces."""
    return _SOURCE_NOISE.sub(" ", fold(" ".join(t for t in texts if t)))


_TABLE_NUMBER = re.compile(
    r"^(ministry of finance |bo tai chinh )?(table|bieu( mau)?( so)?|phu luc( so)?|mau( so)?) [0-9a-z]{1,4}([/.-][0-9a-z]+)*[:.]?\s+"
)
"""'MINISTRY OF FINANCE Table 06/CKTC-NSNN', 'Biểu số 03/CKTC-NSĐP', 'Phụ lục số 2': which table, not what it holds."""
_SUBJECT_BASIS = re.compile(r"^(?P<basis>(so )?du toan|(so )?quyet toan|uoc thuc hien|ke hoach)\s+")
_SUBJECT_PERIOD = re.compile(r"[\s,(]+(nam|giai doan|nhiem ky|thoi ky|6 thang|quy [ivx1-4]+)( nam)? (19|20)\d\d\b.*$")
"""'… năm 2013 (Kèm theo Quyết định …) Đơn vị tính: tỷ đồng': the period and what follows it (the decision the
table is attached to, the unit) end a table's caption."""


_CAPTION_LEAD = re.compile(
    r"^((bieu )?tong h\w?p|thong ke|bao cao( tong hop)?)?\s*((ket qua|tinh hinh|so lieu|so luong)\s+)?"
    r"((danh gi\w,? xep loai|danh gi\w|xep loai|kiem diem)\s+)?(?=\S)"
)
"""'TỔNG HỢP Kết quả đánh giá, xếp loại tổ chức cơ sở đảng …' (OCR 'TONG HQP … danh gis'): what the form does with
the numbers, before the noun they count."""
_OCR_RULE = re.compile(r"\s*[|\[\]]")
"""A table rule OCR printed as '|' or '[': the caption ended before it; what follows is header debris."""


def _subject_measure(subject: str) -> tuple[str, dict[str, str]]:
    """The measure a table's caption names, and the budget basis it prints first.

    A caption dates its table and numbers it ('QUYẾT TOÁN CHI NGÂN SÁCH TRUNG
    ƯƠNG THEO LĨNH VỰC NĂM 2013 (Kèm theo …)'); the year is the period of every
    number in it, the basis one of their dimensions, the table number its
    provenance. Kept in the measure, any of them would split one series into
    one code per year or per appendix; so the caption's measure is what is
    left ('chi ngân sách trung ương theo lĩnh vực').
    """
    text, dimensions = clean(subject), {}
    text = _OCR_RULE.split(text)[0].strip()
    if number := _search_folded(_TABLE_NUMBER, text):
        text = text[number.end() :]
    if lead := _search_folded(_CAPTION_LEAD, text):
        text = text[lead.end() :]
    if basis := _search_folded(_SUBJECT_BASIS, text):
        if (found := dimension_of(basis.group("basis"))) is not None:
            dimensions[found[0]] = found[1]
        text = text[basis.end() :]
    if (period := _search_folded(_SUBJECT_PERIOD, text)) and period.start() > 0:
        text = text[: period.start()]
    return " / ".join(_split(text)[0]), dimensions


_CATEGORY_MARK = re.compile(r"(?:^|\s+)—\s+")
"""' — ' before a category row's label; at the start ('— Số nhiệm vụ …') the column it is under has no caption."""


def _split(label: str) -> tuple[list[str], list[str], dict[str, str]]:
    """(measure parts, category parts, dimensions) of a printed label."""
    head, *tail = [part.strip() for part in _CATEGORY_MARK.split(clean(label))]
    levels = [level.strip(" /:") for level in _LEVEL.split(head)]
    dimensions: dict[str, str] = {}
    measure: list[str] = []
    categories: list[str] = []
    for index, part in enumerate([*levels, *tail]):
        in_head = index < len(levels)
        part = _tidy(_NUMBERING.sub("", part))
        if not part or is_total(part) or is_lead(part):
            continue
        if 0 < index < len(levels) and _VARIABLE_NAME.match(fold(part)):
            continue
        if index + 1 < len(levels) and _INDEX_NUMBER.match(fold(part)):
            continue
        found = dimension_of(part) or dimension_of(respelled_key(part, vocabulary()))  # OCR's 'Hoan thanh tét'
        if found is not None:
            name, value = found
            if value:
                dimensions[name] = value
            continue
        (measure if in_head else categories).append(part)
    return measure, categories, dimensions


Match = tuple[Indicator, str | None, dict[str, str]]
"""(indicator, component code or None, dimensions captured by the pattern)."""


def _captured(match: re.Match[str], printed: str) -> dict[str, str]:
    """Named groups of a catalog pattern that are dimensions: `(?P<category>xa|thon)` puts the printed 'thôn' in the breakdown.

    Patterns run on the folded text, which has the printed text's length
    (folding maps each letter to one letter), so a group's span is cut from
    the printed text to keep its accents.
    """
    aligned = len(printed) == len(match.string)
    captured = {}
    for name, value in match.groupdict().items():
        if not value or name not in DESCRIPTIONS:
            continue
        text = printed[match.start(name) : match.end(name)] if aligned else value
        known = dimension_of(text)  # a vocabulary word takes its canonical value ('chưa có trọng số' → unweighted)
        captured[name] = known[1] if known is not None and known[0] == name and known[1] else canonical_value(text)
    return captured


def _match(measure: str, source: str) -> Match | None:
    """The catalog indicator (and component) a measure text names.

    An indicator's own labels ("Chỉ số CCHC năm 2020", "PCI 2013") name it in
    any document; a component's ("Tính minh bạch") only in a document about
    its index (the index's `sources`), since PCI and PAPI both have one.
    """
    printed, key = clean(measure), respelled_key(measure, vocabulary())  # OCR's 'chi bd' is read as 'chi bo'
    catalog = load_catalog().values()
    for indicator in catalog:
        for pattern in indicator.labels:
            if found := pattern.search(key):
                return indicator, None, _captured(found, printed)
    for indicator in catalog:
        if indicator.sources is not None and not indicator.sources.search(source):
            continue
        for component in indicator.components:
            for pattern in component.labels:
                if found := pattern.search(key):
                    return indicator, component.code, _captured(found, printed)
    return None


_RATE = re.compile(r"\bty le\b|%")


_PRICED = re.compile(r"\((" + "|".join(MONEY) + r")\)")
"""'(tỷ đồng)' after a label: its figure is money, never a count of the noun that opens it."""


def _by_head(measure: str, priced: bool = False) -> Match | None:
    """A measure no label pattern knows, named by a catalogued counted noun at its start (the entries' `heads`).

    Tried last, so every specific pattern wins; never for a rate ('tỷ lệ đảng
    viên …', 'Đảng viên / Tỷ lệ %'), since a head names what is counted and a
    share of it is another measure, nor a count's head for money ('doanh
    nghiệp còn pháp nhân, vốn đăng ký (tỷ đồng)' is capital, not enterprises).
    """
    printed, key = clean(measure), respelled_key(measure, vocabulary())
    if _RATE.search(key):
        return None
    for indicator in load_catalog().values():
        if priced and indicator.unit == "count":
            continue
        for pattern in indicator.heads:
            if found := pattern.search(key):
                return indicator, None, _captured(found, printed)
    return None


_SHARE = re.compile(r"^t[yi] le( %| \(%\))? (?!dat )")
"""'Tỷ lệ thôn, KDC …', 'tỷ lệ đảng viên nữ': a share of a counted measure ('tỷ lệ đạt kế hoạch' is no share of it)."""


def _share_of(measure: str, source: str) -> Match | None:
    """A rate of a catalogued count ('tỷ lệ đảng viên nữ' 48%): that measure, `statistic=share`.

    What is counted and its breakdown are the count's own; only the statistic
    (and the unit, percent) differ, so the share and the count sit side by side.
    """
    share = _search_folded(_SHARE, measure) or _SHARE.search(respelled_key(measure))
    if share is None:
        return None
    rest = measure[share.end() :]  # measure texts are clean: the folded or respelled match has their offsets
    found = _match(rest, source) or _by_head(rest)
    if found is None or found[0].unit != "count":
        return None
    indicator, component, captured = found
    return indicator, component, {**captured, "statistic": "share"}


def _by_heading(parts: list[str], source: str) -> tuple[Match | None, list[str], list[str]]:
    """A header path under a catalogued heading that has items: the heading is the measure.

    "III. Chi thường xuyên / Chi y tế, dân số và KHHGĐ" is recurrent
    expenditure with the item "Chi y tế, …": the deeper levels of a measure
    that the catalog says is broken down by `item` are its items.
    Returns (match, measure parts, item parts); no match leaves the path whole.
    """
    for cut in range(len(parts) - 1, 0, -1):
        found = _match(" / ".join(parts[:cut]), source)
        if found is not None and found[1] is None and ITEM in found[0].dimensions:
            return found, parts[:cut], parts[cut:]
    return None, parts, []


def _index_of_source(source: str) -> Match | None:
    """The one composite index a document is about, with the one component its source names.

    A document is about an index when its source matches the index's
    `sources`, or names exactly one of its components (Lâm Đồng's "Phụ lục II
    - … cải cách thể chế": the PAR index, component institutions).
    """
    candidates: list[Match] = []
    for index in load_catalog().values():
        if not index.components:
            continue
        named = [c.code for c in index.components if c.sources is not None and c.sources.search(source)]
        about = index.sources is not None and index.sources.search(source)
        if about or len(named) == 1:
            candidates.append((index, named[0] if len(named) == 1 else None, {}))
    return candidates[0] if len(candidates) == 1 else None


def _fitting(found: Match | None, dimensions: dict[str, str]) -> Match | None:
    """The document's index as the measure of a bare label only when the label's breakdown is one the index has:
    'Xếp hạng' in a PAR report is the index's rank, 'Thực hiện (tỷ đồng)' (a budget basis) is no PAR score."""
    return found if found is not None and set(dimensions) <= set(found[0].dimensions) else None


def _about_component(subject: str, source: str) -> Match | None:
    """The composite index and component a table is about, when its subject names one (and nothing else)."""
    parts, _, _ = _split(subject) if subject else ([], [], {})
    text = " / ".join(parts)
    constituents = _search_folded(_CONSTITUENTS, text)
    if constituents:
        text = text[constituents.start("name") :]
    found = _match(text, source) if text else None
    return found if found is not None and found[1] is not None else None


def _component_item(measure: str, subject: str, source: str) -> Match | None:
    """An uncatalogued measure in a table about one component: that index's `items_of` measure, or the component's score.

    The tables of a PCI sub-index print, beside its score ("Sub-Index 1"),
    the survey indicators it is computed from; each is an `item` of the
    component, read under one measure so that every year's indicators stay
    comparable without a catalog entry per survey question.
    """
    about = _about_component(subject, source)
    if about is None:
        return None
    index, component, _ = about
    key = fold(measure)
    if any(pattern.search(key) for pattern in index.component_labels):
        return index, component, {}
    holder = next((i for i in load_catalog().values() if i.items_of == index.code), None)
    if holder is None:
        return None
    return holder, component, {ITEM: canonical_value(measure)}


@lru_cache(maxsize=65536)
def interpret(label: str, source: str = "", subject: str = "", title: str = "") -> Interpretation:
    """Measure and breakdown of one printed label.

    `source` is `source_key(file name, title, issuer)`; `subject` is what the
    table is about (its caption or sheet name) and `title` the document's
    title: they give the measure of a label that is nothing but breakdown
    words, and the subject tells a composite index's sub-indicator (rule 5).
    """
    measure_parts, categories, dimensions = _split(label)
    measure = " / ".join(measure_parts)
    found = _match(measure, source) if measure else None
    ranked = _RANK_SUFFIX.match(fold(measure)) if found is None else None
    if ranked and (found := _match(ranked.group("measure"), source)):
        dimensions["statistic"] = "rank"  # "PCI 2013 ranking": the rank of a catalogued measure
    if found is None and len(measure_parts) > 1:
        found, measure_parts, items = _by_heading(measure_parts, source)
        measure = " / ".join(measure_parts)
        if items:
            dimensions[ITEM] = canonical_value(" / ".join(items))
    uncaptioned = not _CATEGORY_MARK.split(clean(label))[0]
    priced = bool(_PRICED.search(fold(label)))
    if categories and found is None and not measure and uncaptioned:
        # a value column without a caption ('Chỉ tiêu | Kết quả' read as one unnamed column): the row names the measure
        named = " / ".join(categories)
        if found := _match(named, source) or _by_head(named, priced) or _share_of(named, source):
            measure, categories = named, []
    if categories:
        dimensions[CATEGORY] = canonical_value(" / ".join(categories))
    if found is None and not measure:
        subjects = [read for text in (subject, title) if text and (read := _subject_measure(text))[0]]
        found, measure, told = next(((m, text, told) for text, told in subjects
                                     if (m := _match(text, source) or _by_head(text))), (None, "", {}))
        if found is None and (found := _fitting(_index_of_source(source), dimensions)) is None:
            measure, told = subjects[0] if subjects else ("", {})  # what the table is about, uncatalogued
        for name, value in told.items():
            dimensions.setdefault(name, value)  # the column's own basis, when it prints one, is the cell's
    elif found is None:
        found = _component_item(measure, subject, source) or _by_head(measure, priced) or _share_of(measure, source)
    for name, value in document_dimensions(source).items():
        dimensions.setdefault(name, value)
    if found is not None:
        indicator, component, captured = found
        if component:
            dimensions[COMPONENT] = component
        for name, value in captured.items():
            dimensions[name] = f"{dimensions[name]} / {value}" if name in dimensions else value
        return Interpretation(indicator.code, dimensions, True, measure or indicator.name_vi)
    if not measure:
        # Nothing but breakdown words and no subject: the header itself names the (unknown) measure,
        # and a category row stays a dimension, so an agency's name never enters the code.
        head = clean(label).split(" — ")[0]
        kept = {k: v for k, v in dimensions.items() if k in (CATEGORY, *document_dimensions(source))}
        return Interpretation(indicator_code(head), kept, False, head)
    # an unknown measure's code from its mended spelling: OCR's 'chi bd' and 'chi bo' are one series
    return Interpretation(indicator_code(respelled_key(measure, vocabulary())), dimensions, False, measure)
