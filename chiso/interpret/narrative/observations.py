"""Facts stated in the running text of a report → `Observation`s.

Every quantity attached to an indicator in a sentence becomes one observation
with its label (the counted noun phrase), its entity (the place the sentence
attributes it to, else the document's own subject), its period (see
`narrative_periods`), and its provenance (page, sentence). Dates, document numbers,
targets, ranges and label-internal numbers are left out (see `narrative_quantities`).
The rules are general — keyword and punctuation based, on accent-free keys —
because the same extractor must handle other reports and OCR text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chiso.indicators.catalog import vocabulary
from chiso.indicators.dimensions import dimension_of
from chiso.interpret.narrative.labels import MAX_WORDS, is_generic, names_a_rate, phrase_after, phrase_before, priced
from chiso.interpret.narrative.periods import PeriodContext, act_dates
from chiso.interpret.narrative.places import Entity, PlaceScopes
from chiso.interpret.narrative.quantities import Quantity, find_quantities
from chiso.interpret.narrative.sections import TargetSections
from chiso.interpret.ocr_text import read_back
from chiso.interpret.sentences import Sentence, is_grid_line, key, paragraphs
from chiso.model import DocumentMeta, Observation, TextBlock
from chiso.normalize.ocr_spelling import printed_span, respelled_key
from chiso.normalize.text import clean

_BODY = {
    "tinh uy": "province", "uy ban nhan dan tinh": "province", "hoi dong nhan dan tinh": "province",
    "huyen uy": "district", "thanh uy": "district", "thi uy": "district", "quan uy": "district",
    "uy ban nhan dan huyen": "district", "uy ban nhan dan thanh pho": "district", "uy ban nhan dan thi xa": "district",
}
_ONE_OF = re.compile(r"\bmot trong (so )?(cac )?$")
"""'X là một trong 4 đơn vị': the group count belongs to the whole, not to X."""
_COMMITTEE_PREFIX = re.compile(r"^(ban thuong vu|ban chap hanh|thuong truc)\s+")
_ACTIONS = {
    "kiểm tra": r"kiem tra", "giám sát": r"giam sat", "kỷ luật": r"ky lu[ae]t", "khai trừ": r"khai tr[iu]r?",
    "khiển trách": r"khien trach", "cảnh cáo": r"canh cao", "cách chức": r"cach chuc", "kết nạp": r"ket nap",
}
"""Verbs whose object is the counted noun ('kiểm tra … 147 đảng viên' counts inspections, not members),
each with its accent-free pattern; OCR without Vietnamese writes 'luật' as 'luét' and 'trừ' as 'trir'."""
_ACTION = re.compile(r"\b(?:" + "|".join(f"({pattern})" for pattern in _ACTIONS.values()) + r")\b")
_ACTION_VERBS = list(_ACTIONS)
"""The verb of `_ACTION`'s n-th group is `_ACTION_VERBS[n - 1]`."""
_ACTION_SCOPE = re.compile(r"[;:]|\.(?!\d)")
_LETTER = re.compile(r"[^\W\d_]")
_PLANNED = re.compile(r"\b(phai|can) (?=\S)")
"""'biên chế phải giảm', 'người cần giảm': the noun names a target; the figure reached is 'đã …'."""
_REACHED_BEFORE = re.compile(r"\b(da|duoc)\s*$|\bda \S+( duoc)?\s*$")
"""The clause right before a number says it was reached: 'đã giảm 781 người', 'giảm được 144'."""
_PLAN_WORDS = {"ke hoach", "chi tieu", "muc tieu"}
_RATE_WORDS = 20
"""A rate named in full before its figure ('Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa đạt 85,9%') is longer than a counted noun."""
_TABLE_RULE = "|"
"""OCR of a ruled table read as prose prints its column rules as '|'."""


def default_entity(meta: DocumentMeta) -> Entity:
    """The subject of a report's unattributed numbers: the body that issued it.

    A provincial or district party committee or People's Committee reports on its
    province or district; another party committee ("Đảng ủy Khối …") reports on its
    own party organisation ("Đảng bộ Khối …"). Without an issuer, the province.
    """
    issuer = clean(meta.issuer)
    issuer_key = key(issuer)
    prefix = _COMMITTEE_PREFIX.match(issuer_key)
    if prefix:
        issuer, issuer_key = issuer[prefix.end():], issuer_key[prefix.end():]
    for body, level in sorted(_BODY.items(), key=lambda item: -len(item[0])):
        if issuer_key.startswith(body + " "):
            return Entity(issuer[len(body) + 1 :].strip(), level)
    if issuer_key.startswith("dang uy "):
        return Entity("Đảng bộ " + issuer[len("dang uy ") :], "party_org")
    return Entity(meta.province or issuer, "province")


def _chains(quantities: list[Quantity]) -> list[list[Quantity]]:
    """Group "a/b" sides together so they share the label printed after the ratio."""
    chains: list[list[Quantity]] = []
    for quantity in quantities:
        if quantity.role == "denominator" and chains:
            chains[-1].append(quantity)
        else:
            chains.append([quantity])
    return chains


class _SentenceLabels:
    """Labels for the numbers of one sentence, remembering the last counted noun."""

    def __init__(self, sentence: str, places: PlaceScopes, previous: str | None) -> None:
        self._sentence = sentence
        self.places = places
        self.last_count = previous
        """The last counted noun, carried over from the paragraph's earlier sentences."""
        self.floor = 0
        """End of the previous number: the subject of the next one starts after it."""

    def _subject(self, start: int, words: int = MAX_WORDS + 2) -> str:
        return phrase_before(self._sentence, start, self.places.names, self.floor, words)

    def count(self, chain: list[Quantity]) -> str | None:
        """The counted noun, or None when the number counts nothing the sentence names."""
        after = phrase_after(self._sentence, chain[-1].end)
        carried = False
        if is_generic(after):
            subject = self._subject(chain[0].start)
            if _is_rating(subject):
                # "… xếp loại 108, trong đó: Hoàn thành xuất sắc nhiệm vụ 21": the list's noun, the rating its breakdown
                return f"{self.last_count} — {subject}" if self.last_count else subject
            if len(subject.split()) < 3 and self.last_count:
                after, carried = self.last_count, True  # "huyện Tứ Kỳ giảm được 144/54": the previous figure's noun
            else:
                after = f"{subject} ({after})" if subject and after else subject or after
        if not _LETTER.search(after):
            return None  # "2.2, Khó khăn", "29 «&": a stray number (section, page, OCR debris)
        self.last_count = after
        if carried and len(chain) == 1 and _REACHED_BEFORE.search(key(self._sentence[: chain[0].start])):
            return _reached(after)  # "Chí Linh đã giảm 781 người" after "… người phải giảm": reached, not the target
        return _with_action(after, self._sentence, chain[0].start)

    def parts(self, counted: str, chain_length: int) -> tuple[str, str]:
        """Labels of 'a/b <noun>': a of the b the noun counts ('71/73 đảng bộ' → the 73 is 'tổng số đảng bộ'),
        except when the noun is a target ('697/620 biên chế phải giảm'): b is the target, a what was reached."""
        if chain_length > 1 and _PLANNED.search(key(counted)):
            return _reached(counted), counted
        return counted, f"tổng số {self.last_count}"

    def percent(self, quantity: Quantity) -> str:
        after = phrase_after(self._sentence, quantity.end)
        achieved = key(self._sentence[: quantity.start]).rstrip().endswith("dat")
        named = self._subject(quantity.start, _RATE_WORDS)
        if is_generic(after) and names_a_rate(named):
            return named
        subject = " ".join(named.split()[-(MAX_WORDS + 2) :])  # the usual subject: the last words of the same text
        if achieved and key(after) in _PLAN_WORDS and self.last_count:
            noun = f"đạt {after} {self.last_count}"  # "đạt 112% kế hoạch" of the target just counted
        elif not is_generic(after):
            noun = f"đạt {after}" if achieved else after
        else:
            noun = self.last_count or subject or ""
        return clean(f"tỷ lệ {noun}")


def _is_rating(subject: str) -> bool:
    """A rating standing for its figure's subject ('Hoàn thành tốt nhiệm vụ 80'): a breakdown, never a counted noun,
    so it takes the counted noun of its list and is never carried to the next figure as one."""
    found = dimension_of(subject) or dimension_of(respelled_key(subject))
    return found is not None and found[0] == "rating"


def _reached(label: str) -> str:
    """'biên chế phải giảm' → 'biên chế đã giảm': what was done against a target the label names."""
    found = _PLANNED.search(key(label))
    return label[: found.start()] + "đã " + label[found.end():] if found else label  # key() keeps every position


_DONE = {
    "rà soát": "ra soat", "thẩm định": "tham dinh", "ban hành": "ban hanh", "công bố": "cong bo",
    "tiếp nhận": "tiep nhan", "giải quyết": "giai quyet", "xử lý": "xu ly", "hoàn thành": "hoan thanh",
    "thành lập": "thanh lap", "giải thể": "giai the", "kiện toàn": "kien toan", "khen thưởng": "khen thuong",
    "tuyển dụng": "tuyen dung", "số hóa": "so hoa",
}
"""What an administration does to what it counts ('rà soát 734 văn bản QPPL', 'ban hành 36 Nghị quyết QPPL',
'đã hoàn thành đúng hạn 123/123 nhiệm vụ'): the reviewed, the issued and the completed are three series of one
noun. Only right before the number (`_DONE_NEAR`): these verbs also open clauses about other things."""
_DONE_NEAR = re.compile(
    r"\b(?P<verb>" + "|".join(_DONE.values()) + r")(?P<rest>(\s+(xong|dung han|truoc han|kip thoi|moi)\b)?)"
    r"(\s+(duoc|doi voi|cho|tai|them)\b)?\s*$"
)
_DONE_VERBS = {pattern: printed for printed, pattern in _DONE.items()}


def _with_action(label: str, sentence: str, start: int) -> str:
    """'đảng viên' → 'đảng viên được kiểm tra' when the clause before the number acts on what it counts.

    Without it, inspected, disciplined or newly admitted members would be filed as
    the stock of party members. The last such verb of the clause counts; an
    administration's verb (`_DONE`) only right before the number.
    """
    before = key(sentence[:start])
    done = _DONE_NEAR.search(before)
    if done and not _ACTION.search(done.group()):
        verb = _DONE_VERBS[done.group("verb")]
        how = sentence[done.start("rest") : done.end("rest")]  # 'xử lý xong', 'hoàn thành đúng hạn'
        if any(pattern in key(label) for pattern in _DONE_VERBS):
            return label
        return clean(f"{label} được {verb}{how}")
    clause = before[max((m.end() for m in _ACTION_SCOPE.finditer(before)), default=0) :]
    actions = list(_ACTION.finditer(clause))
    if not actions:
        return label
    group = actions[-1].lastindex
    assert group is not None, "every alternative of _ACTION is a group"
    verb = _ACTION_VERBS[group - 1]
    return label if key(verb) in key(label) else f"{label} được {verb}"


def _observations(
    sentence: Sentence, default: Entity, meta: DocumentMeta, periods: PeriodContext, labels: _SentenceLabels
) -> list[Observation]:
    text = sentence.text
    places = labels.places
    seen: set[tuple[float, str, Entity, str]] = set()
    out: list[Observation] = []
    if text.count(_TABLE_RULE) >= 2 or is_grid_line(text):
        return []  # a table's text: its ruling, or its columns of figures joined across lines
    for chain in _chains(find_quantities(text)):
        counted = labels.count(chain) if chain[0].unit != "percent" else None
        first, rest = labels.parts(counted, len(chain)) if counted is not None else ("", "")
        for index, quantity in enumerate(chain):
            if quantity.unit == "percent":
                label = labels.percent(quantity)
            elif counted is None:
                continue
            else:
                label = first if index == 0 else rest
            labels.floor = quantity.end
            entity = default if _ONE_OF.search(key(text[: quantity.start])) else places.at(quantity.start)
            if (quantity.value, quantity.unit, entity, label) in seen:
                continue  # the sentence repeats a fact it already stated
            seen.add((quantity.value, quantity.unit, entity, label))
            out.append(
                Observation(
                    indicator_label=label,
                    value=quantity.value,
                    unit="amount" if quantity.unit == "count" and priced(text, chain[-1].end) else quantity.unit,
                    entity_name=entity.name,
                    entity_level=entity.level,
                    province=meta.province,
                    period_end=periods.period_of(text, quantity.start),
                    page=sentence.page_at(quantity.start),
                    source_text=clean(text),
                    extraction_method=sentence.method,
                )
            )
    return out


def extract_narrative(texts: list[TextBlock], meta: DocumentMeta) -> list[Observation]:
    """Every quantity attached to an indicator in the report's running text.

    OCR's text is read with the words it mangled read back in the catalog's words ('t6 chire co sd
    dang' is tổ chức cơ sở đảng), so that the rules that find a figure's noun, unit and place read it
    as they read a printed report; each figure's sentence is still quoted as printed.
    """
    mended = [read_back(block, vocabulary()) for block in texts]
    out = _narrative(mended, meta)
    if mended == texts:
        return out
    printed, read = "\n".join(block.text for block in texts), "\n".join(block.text for block in mended)
    return [replace(obs, source_text=printed_span(printed, read, obs.source_text or "") or obs.source_text)
            for obs in out]


def _narrative(texts: list[TextBlock], meta: DocumentMeta) -> list[Observation]:
    default = default_entity(meta)
    periods = PeriodContext(meta, act_dates(" ".join(block.text for block in texts)))
    targets = TargetSections()
    out: list[Observation] = []
    for paragraph in paragraphs(texts):
        if paragraph.heading_level is not None:
            periods.enter_heading(paragraph.heading_level, paragraph.text)
            targets.enter_heading(paragraph.heading_level, paragraph.text)
        else:
            targets.enter_body()
        if targets.active:
            continue  # "IV. MỤC TIÊU, NHIỆM VỤ": every figure below is a target
        previous_label: str | None = None
        for sentence in paragraph.sentences:
            labels = _SentenceLabels(sentence.text, PlaceScopes(sentence.text, default, meta.province), previous_label)
            out.extend(_observations(sentence, default, meta, periods, labels))
            previous_label = labels.last_count
            if paragraph.heading_level is None:
                periods.after_sentence(sentence.text)
    return out
