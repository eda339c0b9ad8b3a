"""Which place a sentence attributes each of its numbers to.

Reports name places with their administrative prefix ("huyện Ninh Giang: 03 thôn",
"Thành phố Chí Linh đã giảm 781 người", "Thị xã Kinh Môn 108/112") and, inside a
list that already named one, sometimes without it ("…, Thanh Hà giảm 60/46").
A mention governs the numbers after it until the next mention, the end of its
clause (";") or the closing bracket it was opened in. Numbers before any mention,
or after "toàn tỉnh", belong to the document's own subject (the default entity).
Prefixes are matched on the accent-free key so OCR text works too; the name is
taken as printed (capitalised words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chiso.interpret.sentences import key
from chiso.normalize.text import fold
from chiso.resolve.entities import resolve_label

_UNIT_WORDS = {
    "thanh pho": r"thanh pho", "thi xa": r"thi xa", "thi tran": r"thi tran",
    "huyen uy": r"huyen uy", "thanh uy": r"thanh uy", "thi uy": r"thi uy", "tinh uy": r"tinh uy", "quan uy": r"quan uy",
    "huyen": r"huyen", "quan": r"quan", "tinh": r"tinh", "xa": r"xa", "phuong": r"phuong", "tp.": r"tp\.",
}
"""Unit words before a place name (OCR's 'Thi xd Kinh Mon', 'huyén', 'phirong' are read back before)."""
_PREFIX = re.compile(r"\b(?P<prefix>" + "|".join(f"(?:{pattern})" for pattern in _UNIT_WORDS.values()) + r")\s+")
_UNIT_OF = [(word, re.compile(pattern)) for word, pattern in _UNIT_WORDS.items()]


def _unit_word(printed: str) -> str:
    return next(word for word, pattern in _UNIT_OF if pattern.fullmatch(printed))
_LEVEL = {
    "tinh": "province", "tinh uy": "province",
    "xa": "commune", "phuong": "commune", "thi tran": "commune",
}
_WHOLE = re.compile(r"\btoan (tinh|huyen|thanh pho|thi xa|khoi|dang bo)\b|\bdang bo (tinh|huyen|khoi)\b")
_NOT_PLACE_WORDS = {"bí", "phó", "chủ", "ban", "đảng", "ủy", "sở", "hội", "trưởng", "thường", "văn", "bộ", "nhà", "ubnd", "hđnd"}
_LIST_ITEM = re.compile(r"(?<=[,;:(] )(?=[A-ZĐÀ-Ỹ])")


@dataclass(frozen=True)
class Entity:
    name: str
    level: str


@dataclass(frozen=True)
class _Mention:
    start: int
    name_end: int
    scope_end: int
    entity: Entity | None
    """None means the document's default entity."""


def _name_at(text: str, position: int, max_words: int = 4) -> tuple[str, int] | None:
    """Capitalised words printed from `position` ("Kim Thành không …" → "Kim Thành")."""
    words: list[str] = []
    end = position
    for match in re.finditer(r"\S+", text[position:]):
        raw = match.group()
        word = raw.rstrip(".,;:)!?…")
        if not word or not word[0].isupper() or not word.isalpha() or (len(word) > 1 and word.isupper()):
            break
        if match.start() > 0 and text[position + match.start() - 1] not in " ":
            break
        words.append(word)
        end = position + match.start() + len(word)
        if word != raw or len(words) == max_words:
            break
    return (" ".join(words), end) if words else None


_NEXT_WORD = re.compile(r"[ \n]+([^\W\d_]+)")
_PLACE_LEVELS = ("province", "district", "commune")
_COMMITTEE_WORDS = {"uy", "iy"}


def _completed(sentence: str, named: tuple[str, int], province: str | None) -> tuple[str, int]:
    """A name OCR cut short ('huyện Kim thành', 'huyện T ky', 'huyện Nam⏎Sách') completed by its next words.

    The capitalised words alone may name no place of the province; then one or
    two following words are taken when that makes a known place.
    """
    name, end = named
    if province is None or resolve_label(name, province) is not None:
        return named
    for _ in range(2):
        following = _NEXT_WORD.match(sentence, end)
        if following is None:
            break
        name, end = f"{name} {following.group(1)}", following.end()
        entity = resolve_label(name, province)
        if entity is not None and entity.level in _PLACE_LEVELS:
            return name, end
    return named


def _scope_end(sentence: str, start: int) -> int:
    """Where a mention stops governing: ";" at its bracket depth, or the bracket closing it."""
    depth = 0
    for index in range(start, len(sentence)):
        char = sentence[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
        elif char == ";" and depth == 0:
            return index
    return len(sentence)


def _entity(prefix: str, name: str, province: str | None, default: Entity) -> Entity | None:
    level = _LEVEL.get(prefix, "district")
    if fold(name) == fold(default.name) and level == default.level:
        return None
    if level == "province":
        known = resolve_label(f"tỉnh {name}", None)  # OCR's 'tinh Hdi Dudng' is Hải Dương
        name = known.name_vi if known is not None and known.level == "province" else name
        own = default.level == "province" and province and fold(name) == fold(province)
        return None if own else Entity(name, "province")
    if prefix in ("thanh pho", "tp.") and province and fold(name) == fold(province):
        return Entity(f"Thành phố {name}", "district")  # the provincial capital
    return Entity(name, level)


def _mentions(sentence: str, default: Entity, province: str | None) -> list[_Mention]:
    sentence_key = key(sentence)
    mentions: list[_Mention] = []
    for match in _PREFIX.finditer(sentence_key):
        named = _name_at(sentence, match.end())
        if named and fold(named[0].split()[0]) in _COMMITTEE_WORDS:
            continue  # 'Tỉnh ủy' (OCR: 'Tinh Iy'): the committee, not a place named after the prefix
        if named:
            named = _completed(sentence, named, province)
            entity = _entity(_unit_word(match.group("prefix")), named[0], province, default)
            mentions.append(_Mention(match.start(), named[1], _scope_end(sentence, named[1]), entity))
    for match in _WHOLE.finditer(sentence_key):
        mentions.append(_Mention(match.start(), match.end(), _scope_end(sentence, match.end()), None))
    named_levels = [m.entity.level for m in mentions if m.entity]
    if named_levels:
        first = min(m.start for m in mentions if m.entity)
        for match in _LIST_ITEM.finditer(sentence, first):
            named = _name_at(sentence, match.start(), max_words=3)
            if not named or len(named[0].split()) < 2 or named[0].split()[0].lower() in _NOT_PLACE_WORDS:
                continue
            if any(fold(word) in _COMMITTEE_WORDS for word in named[0].split()):
                continue
            if any(m.start <= match.start() < m.start + 12 for m in mentions):
                continue
            entity = Entity(named[0], named_levels[0])
            mentions.append(_Mention(match.start(), named[1], _scope_end(sentence, named[1]), entity))
    return sorted(mentions, key=lambda m: m.start)


class PlaceScopes:
    """The entity governing each position of one sentence."""

    def __init__(self, sentence: str, default: Entity, province: str | None) -> None:
        self._default = default
        self._mentions = _mentions(sentence, default, province)
        self.names = [(m.start, m.name_end) for m in self._mentions]
        """Spans of the printed mentions ("huyện Nam Sách", "toàn tỉnh"), to keep them out of labels."""

    def at(self, position: int) -> Entity:
        current = self._default
        for mention in self._mentions:
            if mention.start <= position < mention.scope_end:
                current = mention.entity or self._default
        return current
