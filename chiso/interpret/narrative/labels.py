"""The indicator label of a narrative number: the noun phrase it counts.

Vietnamese puts the counted noun after the number ("677 tổ chức cơ sở đảng",
"8.341 đảng viên"), so the label is the words after it up to punctuation or a
linking word ("và", "trong đó", "đạt", "so với"). When those words are only a
unit ("656 đồng chí", "222 người") or missing ("là 5.112 (…"), the subject
before the number names the indicator ("ban chấp hành đảng bộ, chi bộ cơ sở").
A percentage is the rate of the nearest counted noun ("tỷ lệ …").
"""

from __future__ import annotations

import re

from chiso.interpret.sentences import key
from chiso.normalize.ocr_spelling import respelled_word
from chiso.normalize.text import clean
from chiso.normalize.unit_words import COUNTING, MONEY

_HARD_STOP = re.compile(r"[()\[\];:.=!?…\"“”/]|(?<![^\W\d_])\d")
"""Punctuation, or a digit that starts a number: OCR's 't6 chirc' (tổ chức) or 'c6' (có) keeps its word."""
_STOP_WORDS = re.compile(
    r"\b(va|trong do|trong d[06]?|la|dat|bang|so voi|tren tong so|cho|de|theo|nhung|nhu|voi|gom|con|khi)\b"
)
"""'trong d6', 'trong d': OCR's readings of 'trong đó'."""
_GENERIC = {"", "ca", "ho so", *MONEY, *COUNTING}
"""Nouns after a number that do not say what it counts: the sentence's subject does."""
_NOISE = re.compile(
    r"\b(?:tinh den|den het|den|tu)\s+(?:ngay\s+|thang\s+|nam\s+)?[\d/]+|\b(?:hien nay|den nay|toan tinh|toan huyen|"
    r"mot so|nhu sau|nhu vay|tuy nhien|ngoai ra|ben canh do|co ban)\b|[\d.,/]*\d\s*%?"
)
_TRAILING = re.compile(
    r"(\s|,|-|\b(la|co|duoc|da|gom|tong so|(?<!thieu )(?<!co )(?<!da )(?<!chi )so|con|bang|dat|chiem|hon|khoang|gan|tren)\b)+$"
)
"""Linking words between a subject and its figure ('… là', 'tổng số'), not 'số' of 'thiểu số', 'cơ sở', 'chỉ số'."""
_SUBJECT_OPENS = re.compile(r"(?<!\bso )\b(voi|trong do|bao gom)\s+(?=\S)")
"""'… thành lập mới với tổng vốn đăng ký hơn 18.000 tỷ đồng': the amount's subject starts after 'với'."""
_LEADING = re.compile(r"^(\s|[,=%)-])+")
_HAS = re.compile(r"\b(co|duy tri)\s+$")
_HELD_NUMBER = re.compile(r"\d{1,2}\b(?=\s+[^\W\d])")
"""A small number right after 'có' / 'duy trì' inside a noun ('thôn có 02 chi bộ'), as
`narrative.quantities` reads it (a label part, not a fact)."""
_NEXT_NUMBER = re.compile(r"\s\d[\d.,]*\s*(?P<noun>\w+)")
"""Where the phrase stopped, a number of its own (not OCR's 'c6' for 'có') and the noun it counts: when that
is this phrase's noun again, the list is parallel and its last item is the next number's qualifier."""


def _run_in_unit(text: str) -> str | None:
    """The unit word ('đồng chí', 'người') that opens `text` when a capitalised word follows it: the next
    heading, run into the sentence where OCR lost its line break ('đồng chí Học vấn phổ thông …')."""
    words = text.split()
    for size in (2, 1):
        after = words[size] if len(words) > size else ""
        if key(" ".join(words[:size])) in _GENERIC and after[:1].isupper() and after[1:2].islower():
            return " ".join(words[:size])
    return None

_DANGLING = re.compile(r"(,\s*(da|duoc|co|la|dang|se|con|cung)\b)+\s*$")
"""', đã' left of 'văn bản QPPL, đã đề xuất …' once the verb after it stopped the phrase: no part of the noun."""
MAX_WORDS = 10


def _words(text: str, limit: int) -> str:
    return " ".join(text.split()[:limit])


def phrase_after(sentence: str, start: int) -> str:
    """Words after a number up to a stop; short comma-separated items stay ("thôn, khu dân cư")."""
    text = sentence[start:]
    text_key = key(text)
    stop = _HARD_STOP.search(text_key)
    held = _HELD_NUMBER.match(text_key, stop.start()) if stop and _HAS.search(text_key, 0, stop.start()) else None
    if held:  # '21 thôn có 02 chi bộ': the second number is part of the first one's noun, not its end
        stop = _HARD_STOP.search(text_key, held.end())
    end = stop.start() if stop else len(text)
    word = _STOP_WORDS.search(text_key, 0, end)
    if word:
        end = word.start()
    phrase = text[:end]
    if phrase.lstrip().startswith(","):
        return ""  # the next item of a list, not this number's noun
    parts = phrase.split(",")
    kept = [parts[0]]
    for index, part in enumerate(parts[1:], 1):
        last = index == len(parts) - 1
        if len(part.split()) > 3 and not last:
            break
        if len(part.split()) > 3 and last and len(kept) < 2:
            break
        kept.append(part)
    parallel = _NEXT_NUMBER.match(text_key, end - 1) if stop and stop.start() == end else None
    if len(kept) == len(parts) > 1 and parallel and parallel.group("noun") == key(kept[0]).split()[0]:
        kept = kept[:1]  # "cấp tỉnh 1.946 TTHC, cấp xã 426 TTHC": the words before the next number qualify it
    phrase = clean(",".join(kept)).strip(" ,-")
    if parallel and (unit := _run_in_unit(phrase)):
        return unit  # '2.388 đồng chí Học vấn phổ thông Tiểu học 338': the next figure's heading ran into the line
    dangling = _DANGLING.search(key(phrase))
    return _words(phrase[: dangling.start()] if dangling else phrase, MAX_WORDS)


def phrase_before(sentence: str, end: int, exclude: list[tuple[int, int]], floor: int = 0, words: int = MAX_WORDS + 2) -> str:
    """The subject before a number in its clause, without places, dates and linking words: its last `words`.

    The clause starts after the last ";", "(" or ":" and after `floor`, the end of
    the previous number of the sentence (whose own label must not leak in).
    """
    breaks = (m.end() for m in re.finditer(r"[;(:]", sentence[:end]))
    clause_start = max(max(breaks, default=0), min(floor, end))
    chars = list(sentence[clause_start:end])
    for span_start, span_end in exclude:
        for index in range(max(span_start, clause_start), min(span_end, end)):
            chars[index - clause_start] = " "
    text = "".join(chars)
    for match in _NOISE.finditer(key(text)):
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    text = clean(text)
    opens = list(_SUBJECT_OPENS.finditer(key(text)))
    if opens:
        text = text[opens[-1].end() :]
    trailing = _TRAILING.search(key(text))
    text = text[: len(text) - len(trailing.group())] if trailing else text
    leading = _LEADING.match(text)
    text = text[len(leading.group()) :] if leading else text
    return " ".join(text.split()[-words:])


def names_a_rate(subject: str) -> bool:
    """'Tỷ lệ số hóa hồ sơ … đạt 82%': the subject names the rate itself, not a noun to take the rate of."""
    words = key(subject).split()
    return len(words) > 2 and words[:2] == ["ty", "le"]


def priced(sentence: str, end: int) -> bool:
    """'đạt 9.037/17.454 tỷ đồng': the number is money (an amount in the word's scale), not a count."""
    return key(phrase_after(sentence, end)).strip() in MONEY


def is_generic(phrase: str) -> bool:
    """A unit or counting word alone, OCR's mangled spelling too ('ddng chi', 'ngudi')."""
    return key(phrase).strip() in _GENERIC or respelled_word(phrase) in _GENERIC
