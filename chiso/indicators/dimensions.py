"""The breakdown vocabulary: which printed words are a dimension, not a measure.

A header path such as "Dân số dự báo / Nữ / 20-24" or a GSO label
"Population projection — Male — 0-4" names one measure broken down by sex and
age. Baking the breakdown into the code gives an analyst 54 names for one
series; reading it as `sex=female; age_group=20-24` gives one measure and two
filters (SDMX's data-structure idea). The vocabulary below knows the words
that mean a dimension value in Vietnamese reports and GSO's English exports;
anything it does not know stays in the measure, so an unknown word never
disappears — it only costs a less general code.

A part that only says "total" ("Tổng số", "Both sexes", "Chung") is the
absence of a breakdown, so it is dropped: the total of a measure is the
measure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from chiso.normalize.text import clean, fold


@dataclass(frozen=True)
class Dimension:
    """One breakdown dimension: its name in `breakdown` text, and what it means."""

    name: str
    description: str
    values: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]

    def value_of(self, part: str) -> str | None:
        """Canonical value when the folded header part is one of this dimension's words."""
        for pattern, value in self.values:
            match = pattern.fullmatch(part)
            if match:
                return value if isinstance(value, str) else value(match)
        return None


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _age(match: re.Match[str]) -> str:
    low, high = match.group("low"), match.groupdict().get("high")
    if high:
        return f"{int(low)}-{int(high)}"
    return f"{int(low)}+"


def _under(match: re.Match[str]) -> str:
    return f"<{int(match.group('high'))}"


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "sex",
        "Sex of the persons counted (Vietnamese nam/nữ, GSO male/female).",
        (
            (_p(r"(so )?(nam|nam gioi|male|males|men)"), "male"),
            (_p(r"(so )?(nu|nu gioi|phu nu|female|females|women)"), "female"),
        ),
    ),
    Dimension(
        "age_group",
        "Age band of the persons counted, in years: '20-24', '80+' (and over), '<30' (under).",
        (
            (_p(r"(tu )?(?P<low>\d{1,3}) ?(-|–|den|to) ?(?P<high>\d{1,3})( tuoi| years?( old)?)?"), _age),
            (_p(r"(tu )?(?P<low>\d{1,3})( tuoi)? tro len"), _age),
            (_p(r"(?P<low>\d{1,3}) ?\+"), _age),
            (_p(r"(?P<low>\d{1,3}) (years )?(and|or) (over|older|above)"), _age),
            (_p(r"(duoi|under|below|less than) (?P<high>\d{1,3})( tuoi| years?( old)?)?"), _under),
        ),
    ),
    Dimension(
        "rating",
        "Rating of a party organisation or member in the annual review (xếp loại).",
        (
            # 'XS' is how the tables abbreviate 'xuất sắc'; a caption may wrap before 'vụ' is read. OCR without
            # Vietnamese prints 'thành' as 'thinh', 'tốt' as 't&t', 't5t' or 't t', 'xuất sắc' as 'xuét sic',
            # 'vụ' as 'vy', 'vững' as 'viing': the letters around each word's vowel are allowed to vary.
            (_p(r"(xep loai )?hoan th\w{1,2}nh (xuat sac|xs|xu\w{1,2}t s\w{1,2}c)( nhi\wm( v\w)?)?"), "hoàn thành xuất sắc nhiệm vụ"),
            (_p(r"(xep loai )?hoan th\w{1,2}nh t\W?\w?t( nhi\wm( v\w)?)?"), "hoàn thành tốt nhiệm vụ"),
            (_p(r"(xep loai )?khong hoan th\w{1,2}nh( nhi\wm( v\w)?)?"), "không hoàn thành nhiệm vụ"),
            (_p(r"(xep loai )?hoan th\w{1,2}nh( nhi\wm( v\w)?)?"), "hoàn thành nhiệm vụ"),
            # the scale before 2018 (Quy định 1046-QĐ/TW, Hướng dẫn 07): two grades of 'clean and strong', then 'weak'
            (_p(r"(xep loai |dat )?trong sach,? v\w{1,3}ng m\w{1,2}nh,? ti\wu bi\wu"), "trong sạch, vững mạnh tiêu biểu"),
            (_p(r"(xep loai |dat )?trong sach,? v\w{1,3}ng m\w{1,2}nh"), "trong sạch, vững mạnh"),
            (_p(r"(xep loai )?yeu,? kem"), "yếu kém"),
        ),
    ),
    Dimension(
        "statistic",
        "What the number says of the measure when it is not the measure itself: its rank, maximum score, self-assessed score, index (a score as a share of the maximum), unweighted score (PCI before its weights) or share (a 'tỷ lệ' of a counted measure, in percent) (a plain 'Điểm' / 'Score' is the measure, so it adds nothing).",
        (
            (_p(r"(xep hang|thu hang|thu tu xep hang|rank|ranking|xh)( chung)?"), "rank"),
            (_p(r"(diem|so diem)? ?toi da|diem chuan( toi da)?|max(imum)?( score)?"), "max_score"),
            (_p(r"(diem )?tu (danh gia|cham)( diem)?|self[- ]assess(ed|ment)( score)?"), "self_assessed"),
            (_p(r"(chi so|index)( \(%\))?"), "index"),
            (_p(r"\(?(chua co|khong co|khong) trong so\)?|unweighted"), "unweighted"),
            (_p(r"(diem|so diem|diem dat duoc|diem danh gia|diem tham dinh|diem thuc te|score|scores|points?)"), ""),
        ),
    ),
    Dimension(
        "budget_basis",
        "Stage of a planned figure: plan (dự toán, kế hoạch), estimate (ước thực hiện), actual (thực hiện) or final accounts (quyết toán).",
        (
            (_p(r"(so )?du toan( (duoc )?giao| nam \d{4})?|ke hoach|plan"), "plan"),
            (_p(r"uoc (thuc hien|th)( nam \d{4})?|estimate"), "estimate"),
            (_p(r"(so )?quyet toan( nam \d{4})?|final( accounts?)?"), "final"),
            (_p(r"(so )?thuc hien( nam \d{4})?|actual|outturn"), "actual"),
        ),
    ),
    Dimension(
        "budget_level",
        "Level of the budget a figure belongs to: the state budget as a whole (NSNN), the central (NSTW) or the local budgets (NSĐP).",
        (
            (_p(r"(nstw|ngan sach trung uong)( central budget)?|central budget"), "central"),
            (_p(r"(nsdp|ngan sach dia phuong)( local budget)?|local budget"), "local"),
            (_p(r"(nsnn|ngan sach nha nuoc)( state budget)?|state budget"), "state"),
        ),
    ),
    Dimension(
        "capital_type",
        "What budget money is for, as the MoF tables split a programme's funds: development investment (vốn ĐTPT) or recurrent (vốn / kinh phí sự nghiệp); and where it comes from: domestic (vốn trong nước) or foreign (vốn ngoài nước).",
        (
            (_p(r"von (dtpt|dau tu phat trien|dau tu)"), "investment"),
            (_p(r"(von|kinh phi) (su nghiep|sn)"), "recurrent"),
            (_p(r"von trong nuoc"), "domestic"),
            (_p(r"von (ngoai nuoc|nuoc ngoai)"), "foreign"),
        ),
    ),
    Dimension(
        "price_basis",
        "Prices of a money aggregate: current prices or constant prices of a base year.",
        (
            (_p(r"(theo )?gia hien hanh|(at )?current prices"), "current"),
            (_p(r"(theo )?gia so sanh( (nam )?(?P<year>\d{4}))?|(at )?constant (?P<year2>\d{4}) prices"), lambda m: f"constant {m.group('year') or m.group('year2') or ''}".strip()),
        ),
    ),
    Dimension(
        "qualification",
        "Level of professional or political-theory training of the persons counted (trình độ).",
        (
            (_p(r"(trinh do )?(tren dai hoc|sau dai hoc|thac si, tien si)"), "trên đại học"),
            (_p(r"(trinh do )?dai hoc"), "đại học"),
            (_p(r"(trinh do )?cao dang"), "cao đẳng"),
            (_p(r"(trinh do )?trung cap"), "trung cấp"),
            (_p(r"(trinh do )?so cap"), "sơ cấp"),
            (_p(r"cu nhan, cao cap|cao cap, cu nhan"), "cử nhân, cao cấp"),
            (_p(r"cao cap"), "cao cấp"),
            (_p(r"cu nhan"), "cử nhân"),
            (_p(r"chuyen vien cao cap"), "chuyên viên cao cấp"),
            (_p(r"chuyen vien chinh"), "chuyên viên chính"),
            (_p(r"chuyen vien"), "chuyên viên"),
            (_p(r"chua qua (dao tao|boi duong)"), "chưa qua đào tạo"),
        ),
    ),
    Dimension(
        "area",
        "Urban or rural part of a territory (thành thị / nông thôn).",
        (
            (_p(r"thanh thi|urban"), "urban"),
            (_p(r"nong thon|rural"), "rural"),
        ),
    ),
)

BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}

COMPONENT = "component"
CATEGORY = "category"
ITEM = "item"
"""Three dimensions with open vocabularies: a composite index's component
(listed per index in the catalog), a category row of the table (a kind of chi
bộ, a position: the row's label), and an item of the header under a
catalogued heading (a budget line under "Chi thường xuyên", "có 2 chi bộ")."""

DESCRIPTIONS: dict[str, str] = {
    **{d.name: d.description for d in DIMENSIONS},
    COMPONENT: "Component of a composite index (a PAR-index area, a PCI sub-index, a PAPI dimension), by its catalog code.",
    CATEGORY: "A category row of the table (a kind of party cell, a position, a type of unit), as printed.",
    ITEM: "An item of the header under a catalogued heading (a budget line under its heading, a kind of village), or what a label says of the counted noun that names its measure ('bị xóa tên' of 'đảng viên bị xóa tên'), as printed.",
}

_TOTAL = re.compile(r"(tong so|tong|tong cong|cong|chung|both sexes|total|all|toan bo|ca nuoc chung)")
_LEAD = re.compile(r"^((trong do|tr\.? ?do|in which|of which|chia ra|chia theo|phan theo|by|including)[: ,-]*)+")


def is_lead(part: str) -> bool:
    """A header part that only introduces what follows ('Trong đó', 'Chia ra:'): no measure, no dimension."""
    return not _LEAD.sub("", fold(part)).strip(" .:-()")


def is_total(part: str) -> bool:
    """A header part that only says 'all of it' ('Tổng số', 'Both sexes')."""
    return bool(_TOTAL.fullmatch(fold(part).strip(" .:-()")))


def dimension_of(part: str) -> tuple[str, str] | None:
    """(dimension, value) when a printed header part is a breakdown word, else None.

    An empty value means the word names the measure itself ('Điểm' of a score
    table): the part is dropped without adding a dimension.
    """
    key = _LEAD.sub("", fold(part)).strip(" .:-()")
    for dimension in DIMENSIONS:
        value = dimension.value_of(key)
        if value is not None:
            return dimension.name, value
    return None


def canonical_value(text: str) -> str:
    """A printed category as a breakdown value: clean text without the separators of `breakdown`.

    A heading printed in capitals ("CHI Y TẾ") is the same item as the one in
    sentence case ("Chi y tế") of another year's sheet, so capitals become
    sentence case; mixed-case text is kept as printed.
    """
    value = clean(text).replace(";", ",").replace("=", "-")
    if value.isupper():
        value = value[:1] + value[1:].lower()
    return value


def breakdown_text(dimensions: dict[str, str]) -> str:
    """The contract: `dimension=value` pairs sorted by dimension, joined by '; ' (empty when none)."""
    return "; ".join(f"{name}={dimensions[name]}" for name in sorted(dimensions))
