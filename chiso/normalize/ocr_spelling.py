"""Reading words that OCR without Vietnamese mangled: 'ddng chi' is 'đồng chí', 'chi bd' is 'chi bộ'.

Tesseract run with an English model on a Vietnamese page keeps the consonants
and loses the vowels that carry two marks: 'ồ' comes out as 'd' ('ddng'),
'ộ' as 'g' or 'd' ('chi bg', 'thudc'), an a with a mark as 'd' ('Hodn', 'ngdy',
'ndm'), 'ư' as 'ir' ('thir'), 'ô' as 'é'
('thén' for 'thôn'), 'o' as '6' ('c6'), 'l' as '1' ('1ap'). Folding (no
accents, lower case) already makes 'dang vién' read as 'dang vien'; these
words it cannot mend, so a catalog pattern or a series key never meets them.

`respelled_key` is `fold` with such words mended, one at a time and only when
the mending is unambiguous: a word is changed only when it is *not* a
Vietnamese syllable (Tesseract's own Vietnamese word list, a data file here)
and a small number of the confusions above turns it into one — the one among
the caller's `prefer`red words (the catalog's vocabulary) when several do. A
real syllable printed without accents is left alone: nothing in one word
tells 'thon' from 'then'. Abbreviations ('KDC', 'UBND') and English words
have no such mending and stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

from chiso.normalize.text import clean, fold

SYLLABLES_FILE = Path(__file__).with_name("data") / "syllables_vie.txt"
"""Written by scripts/export_syllables.py from Tesseract's vie word list."""

_WORD = re.compile(r"[^\s,;:/()\[\].…\-–—\"'“”%+=*]+")
SHAPE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")
"""A Vietnamese syllable's shape, folded: onset, one to three vowels, coda. A word OCR mangled into
'ddng', 'cudc' or 'thir' has none; a real syllable the word list lacks ('rộng') keeps it and is left alone."""
_ABBREVIATION = re.compile(r"[A-ZĐ]{2}\w*|[A-ZĐ]\d+")
"""'KDC', 'UBND', 'CTr', 'TTg', a survey question 'B2': capitals on purpose, not a mangled word."""
_FOREIGN_CAPITALS = frozenset("FJWZ")
"""A capital no Vietnamese word starts with begins a name in a minority language ('Cư Jút'), left as printed."""
_MISREAD_E = re.compile("[éè]")
"""An 'ô' or 'ê' with a tone printed as a plain 'é' ('thén' for 'thôn', 'mén' for 'môn')."""
_VOWELS = "oaeuiy"
_STANDS_FOR_VOWEL = "dgb"
"""Consonants the English model prints for 'ô' or 'ơ' with a tone mark, inside a word ('ddng', 'bg', 'thudc', 'tbt')."""
_STANDS_FOR_U = frozenset({"it", "tt", "tr", "ti", "li", "ii"})
"""Two letters the English model prints for 'ư', 'ữ' or 'ủ' ('nhitng' những, 'chtrc' chức, 'clia' của,
'chiic' chức); 'it', 'li' and 'ii' only before a final consonant ('nhitng', never 'titan')."""
_CODAS = frozenset("cmnpt")
_LOOKS_LIKE = {"w": "u", "j": "i", "m": "n"}
"""'dwoc' được, 'trj' trị, 'tjnh' tỉnh, 'dimg' dụng: letters drawn like the one meant (w before a vowel, j at the
end or after a consonant, m before g)."""
_DIGITS = {"6": "o", "0": "o", "1": "l", "4": "a", "8": "o"}
_CAPITALS_MISREAD = {"P": "d", "I": "l"}
"""A capital drawn like another letter: 'Pang' is 'Đảng' (the bar of Đ lost), 'Iuot' is 'lượt'."""
_VIETNAMESE_MARKS = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
"""Diacritics OCR without Vietnamese does not print ('é' and 'è' it does, for any marked vowel)."""
_MAX_LENGTH = 7
"""The longest Vietnamese syllable ('nghiêng') has seven letters: a longer word is not a mangled syllable."""
_MAX_EDITS = 2


@cache
def syllables() -> frozenset[str]:
    """Vietnamese syllables, lower case NFC, with their accents."""
    lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def folded_syllables() -> frozenset[str]:
    return frozenset(fold(s) for s in syllables())


def phrase_words(texts: Iterable[str]) -> frozenset[str]:
    """The folded words of `texts` and their two-word phrases: what a caller's `prefer` holds."""
    words: set[str] = set()
    for text in texts:
        tokens = re.findall(r"[a-z]+", fold(text))
        words.update(tokens)
        words.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return frozenset(words)


def _edits(word: str, a_for_d: bool = False) -> set[str]:
    """Every word one OCR confusion away from `word` (folded).

    Each confusion needs its signature, so that an English word ('red',
    'year', 'new') or an abbreviation has none: a 'd', 'g' or 'b' stands for a
    vowel only inside a word or after a consonant ('ngudi', 'bd', never 'red'),
    'ir' for 'ư' only after a consonant ('thir', never 'air'), 'w' for 'ư' only
    before a vowel ('dwoc').
    """
    found: set[str] = set()
    for i, ch in enumerate(word):
        head, tail = word[:i], word[i + 1 :]
        after_consonant = i > 0 and word[i - 1] not in _VOWELS and word[i - 1].isalpha()
        if ch in _DIGITS:
            found.add(head + _DIGITS[ch] + tail)
        elif not ch.isalnum() and ch != "\ufffd":  # U+FFFD: a broken file, not OCR
            found.update(head + v + tail for v in _VOWELS[:3])  # '¢', '&', '§': a vowel the model had no glyph for
        if i > 0 and ch in _STANDS_FOR_VOWEL and (tail or after_consonant):
            found.add(head + ("a" if ch == "d" and a_for_d else "o") + tail)  # ô, ơ and their tones; see _mend
        if ch in "iu" and tail.startswith("r") and after_consonant:
            found.add(head + "u" + tail[1:])  # 'thir' → 'thu', 'cur' → 'cu'
        if after_consonant and word[i : i + 2] in _STANDS_FOR_U and (word[i] == "t" or word[i + 2 : i + 3] in _CODAS):
            found.add(head + "u" + word[i + 2 :])  # 'nhitng' → 'nhung', 'ctia' → 'cua', 'chtrc' → 'chuc'
        if ch == "e" and not tail and i > 1 and word[i - 1] in "ir":
            found.add(head + "c")  # a final 'c' drawn as 'e' after 'ư' read as 'ir' ('chire' chức)
        if i > 0 and ((ch == "w" and tail[:1].isalpha() and tail[0] in _VOWELS) or (ch == "m" and tail[:1] == "g")
                      or (ch == "j" and (not tail or after_consonant))):
            found.add(head + _LOOKS_LIKE[ch] + tail)
    if len(word) == 1 and word.isalpha() and word not in _VOWELS:
        found.update(word + v for v in _VOWELS[:4])  # 'chi b': the vowel lost entirely
    return found


def _vowel_neighbours(word: str) -> set[str]:
    """`word` with one vowel changed: what a misread accent ('thén' for 'thôn') may hide."""
    return {word[:i] + v + word[i + 1 :] for i, ch in enumerate(word) if ch in _VOWELS for v in _VOWELS if v != ch}


@lru_cache(maxsize=65536)
def _mend(word: str, previous: str, following: str, prefer: frozenset[str]) -> str | None:
    """The syllable a folded non-syllable most likely was, or None when none or several are as near.

    Among several, the one that makes a catalog phrase with the word before
    it wins ('chi b' → 'chi bo'), then with the word after it ('déng b' →
    'dang bo'), then the one catalog word.
    """
    mended = _nearest(word, previous, following, prefer, a_for_d=False)
    if "d" in word[1:]:
        # a 'd' is also an a with a mark ('Hodn' hoàn, 'ngdy' ngày, 'ndm' năm), but less often than an ô
        # or ơ ('ddng' is đồng, not đằng): that reading is taken when the first finds no syllable at all,
        # or when it makes catalog phrases with more of its neighbours ('DDNG BD' is ĐẢNG BỘ)
        other = _nearest(word, previous, following, prefer, a_for_d=True)
        if mended is None or (other and _phrases(other, previous, following, prefer)
                              > _phrases(mended or "", previous, following, prefer)):
            mended = other
    return mended or None


def _phrases(word: str, previous: str, following: str, prefer: frozenset[str]) -> int:
    """How many of its neighbours a reading makes a catalog phrase with (0, 1 or 2)."""
    return int(f"{previous} {word}" in prefer) + int(bool(word) and bool(_before({word}, following, prefer)))


@lru_cache(maxsize=65536)
def _readings(word: str) -> frozenset[str]:
    """What a folded printed word may read as: itself, and the syllables one confusion or vowel away."""
    if not word:
        return frozenset()
    near = (_edits(word) | _vowel_neighbours(word)) & folded_syllables()
    return frozenset({word, *near})


def _before(hits: set[str], following: str, prefer: frozenset[str]) -> set[str]:
    """The hits that make a catalog phrase with some reading of the word after them (as printed)."""
    nexts = _readings(_folded(following))
    return {hit for hit in hits if any(f"{hit} {n}" in prefer for n in nexts)}


def _nearest(word: str, previous: str, following: str, prefer: frozenset[str], a_for_d: bool) -> str | None:
    """The one syllable nearest `word` (see _mend): None when none is; "" when several are as near."""
    frontier, seen = {word}, {word}
    for _ in range(_MAX_EDITS):
        frontier = {e for w in frontier for e in _edits(w, a_for_d)} - seen
        seen |= frontier
        hits = frontier & folded_syllables()
        if not hits:
            continue
        phrases = {hit for hit in hits if f"{previous} {hit}" in prefer}
        if len(phrases) == 1:
            return phrases.pop()
        phrases = _before(hits, following, prefer)
        if len(phrases) == 1:
            return phrases.pop()
        preferred = hits & prefer
        if len(preferred) == 1:
            return next(iter(preferred))
        if len(hits) == 1 and not preferred:
            return next(iter(hits))
        return ""
    return None


@lru_cache(maxsize=131072)
def _respell(printed: str, previous: str, following: str, prefer: frozenset[str], alone: bool, opens: bool = False,
             capitals: bool = False) -> str:
    """One word's folded reading; `alone` says a single consonant stands as a word ('chi b'), not an item ('b)').

    `previous` is the word before, as mended; `following` the word after, as printed; `opens`: the
    word opens the text; `capitals`: the text is printed in capitals (a letterhead), where a word in
    capitals is no abbreviation for that alone ('DDNG BD TINH' is ĐẢNG BỘ TỈNH)."""
    key = _folded(printed)
    if opens and len(key) == 1 and following[:1].islower() and key.isalpha() and key not in _VOWELS:
        # a label opening with a consonant alone ('t chirc', 'S cén bd'): only a catalog phrase with the
        # lower-case word after it makes it a word, as an item letter opens a label too ('B Chi NSNN')
        opened = _before(_edits(key) & folded_syllables(), following, prefer)
        return opened.pop() if len(opened) == 1 else key
    if (len(key) > _MAX_LENGTH or not any(ch.isalpha() for ch in key) or printed.lower() in syllables()
            or (_ABBREVIATION.fullmatch(printed) and not capitals) or printed[0] in _FOREIGN_CAPITALS
            or (len(key) == 1 and not alone)):
        return key
    if SHAPE.fullmatch(key) or SHAPE.fullmatch(key.rstrip("0123456789")):  # 'xã4': a footnote mark after a word
        if _MISREAD_E.search(printed) and key not in prefer:
            # no syllable with that accent ('thén'): a catalog word one vowel away is what was printed
            near = {e for e in _vowel_neighbours(key) if e in prefer and e in folded_syllables()}
            if len(near) > 1:  # 'cén b': 'can bo', not 'con'; 'co sé dang': 'co so', not 'su dung'
                best = max(_phrases(e, previous, following, prefer) for e in near)
                near = {e for e in near if _phrases(e, previous, following, prefer) == best} if best else near
            if len(near) == 1:
                return near.pop()
        if key in folded_syllables() or _VIETNAMESE_MARKS.search(printed):
            return key  # a syllable, or printed with its marks: whatever it was meant to be, nothing says otherwise
        return _reshaped(printed, key, previous, following, prefer) or _mend(key, previous, following, prefer) or key
    return _mend(key, previous, following, prefer) or key


def _reshaped(printed: str, key: str, previous: str, following: str, prefer: frozenset[str]) -> str | None:
    """The catalog word a word with a syllable's shape but no syllable ('Pang', 'cip', 'iy', 'ting') was.

    Such a word printed without marks is OCR's ('Pang' đảng, 'cip uy' cấp ủy, 'Iuot' lượt): a misread
    capital or one vowel changed makes it a syllable. Only catalog words are taken and, when another
    vowel makes a catalog word too, only one that makes a catalog phrase with a neighbour, so a name in a
    minority language ('Pắc Ta' is printed with its marks), a foreign word or a lone letter stays.
    """
    if len(key) < 2:
        return None
    near = _vowel_neighbours(key)
    if printed[0] in _CAPITALS_MISREAD:
        near.add(_CAPITALS_MISREAD[printed[0]] + key[1:])
    hits = near & folded_syllables()
    if len(hits) > 1 and (previous or following):  # 'ting' is tăng or tổng: only a phrase with a neighbour tells
        hits = {hit for hit in hits if f"{previous} {hit}" in prefer} or _before(hits, following, prefer)
    hits &= prefer  # a word standing alone ('Cing', a totals row) has no neighbour: the caller's words decide
    return hits.pop() if len(hits) == 1 else None


_CAPITALS_SHARE = 0.8
"""Share of a text's letters in capitals above which it is a letterhead or a heading printed in capitals."""


def _in_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 5 and sum(ch.isupper() for ch in letters) >= _CAPITALS_SHARE * len(letters)


def _read_words(printed: str, prefer: frozenset[str]) -> list[tuple[re.Match[str], str]]:
    """Each word of `printed` (clean) with its folded reading, mended where OCR mangled it."""
    capitals = _in_capitals(printed)
    matches = list(_WORD.finditer(printed))
    read: list[tuple[re.Match[str], str]] = []
    for index, match in enumerate(matches):
        start, end = match.start(), match.end()
        alone = (start >= 2 and printed[start - 1].isspace() and printed[start - 2].isalnum()
                 and (end == len(printed) or printed[end].isspace()))
        previous = read[-1][1] if read else ""
        after = matches[index + 1] if index + 1 < len(matches) else None
        following = after.group() if after is not None and printed[end:after.start()].isspace() else ""
        word = match.group()
        key = _folded(word)
        if key in folded_syllables() and not _MISREAD_E.search(word):
            read.append((match, key))  # a syllable as printed: what _respell returns, without its neighbours' cache
        else:
            read.append((match, _respell(word, previous, following, prefer, alone, start == 0, capitals)))
    return read


@lru_cache(maxsize=131072)
def _folded(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def respelled_key(text: str | None, prefer: frozenset[str] = frozenset()) -> str:
    """`fold(text)` with the words OCR mangled mended: 'Số ddng chi bd' → 'so dong chi bo'.

    `prefer`: the folded words and two-word phrases a reading should favour (the catalog's).
    """
    printed = clean(text)
    parts: list[str] = []
    last = 0
    for match, reading in _read_words(printed, prefer):
        parts.append(printed[last : match.start()].lower())  # spaces and punctuation: nothing to fold
        parts.append(reading)
        last = match.end()
    parts.append(printed[last:].lower())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


_UNMARKED_SYLLABLES = 0.4
_MARKED_AT_MOST = 0.3
_MANGLED_AT_LEAST = 0.05


@lru_cache(maxsize=256)
def reads_as_unmarked_ocr(text: str) -> bool:
    """Whether `text` reads as Vietnamese that OCR without Vietnamese made: most words are syllables printed
    without marks, and some are no syllable at all.

    A PDF's text layer may be a scanner's own OCR: it is read as the pipeline's OCR is. Measured on the
    corpus and Lâm Đồng: the real OCR seeds print 18-34% non-syllables and no marks; printed reports 0-3%
    non-syllables and ~90% marked words; English text has almost no syllables; Vietnamese typed without
    accents has no non-syllable, so nothing to read back. Cached: the metadata and narrative stages both ask.
    """
    words = [w for w in _WORD.findall(text) if w.isalpha() and len(w) >= 2 and not _ABBREVIATION.fullmatch(w)]
    if len(words) < 20:
        return False
    syllable = sum(_folded(w) in folded_syllables() for w in words) / len(words)
    marked = sum(bool(_VIETNAMESE_MARKS.search(w)) for w in words) / len(words)
    return syllable >= _UNMARKED_SYLLABLES and marked <= _MARKED_AT_MOST and 1 - syllable >= _MANGLED_AT_LEAST


def mended_text(text: str, prefer: frozenset[str] = frozenset()) -> str:
    """`text` line by line with only the words OCR mangled replaced by their reading, in the printed case
    ('PANG UY KHDI CAC C& QUAN' → 'DANG UY KHOI CAC CO QUAN'); every other character stays as printed.

    What a rule written for printed text (a letterhead's, a date line's) reads, so that the rule need
    not spell OCR's confusions itself; the reading has no accents, which such rules fold away anyway.
    """
    out: list[str] = []
    for line in text.split("\n"):
        parts: list[str] = []
        last = 0
        for match, reading in _read_words(line, prefer):
            word = match.group()
            if reading != _folded(word):
                reading = reading.upper() if word.isupper() else reading.capitalize() if word[0].isupper() else reading
                parts += [line[last : match.start()], reading]
                last = match.end()
        out.append("".join(parts) + line[last:])
    return "\n".join(out)


def respelled_word(text: str | None, keep: str = "") -> str:
    """`respelled_key` without the marks around its words ('ddng chi ¢' → 'dong chi', '(người)' → 'nguoi'):
    what a unit or counting word is compared by. `keep` lists marks that are words themselves ('%')."""
    edge = f"[^a-z{re.escape(keep)}]+"
    return re.sub(f"^{edge}|{edge}$", "", respelled_key(text))


@lru_cache(maxsize=8)
def _words_of(text: str) -> list[str]:
    return [match.group() for match in _WORD.finditer(text)]


@lru_cache(maxsize=8)
def _spans_of(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _WORD.finditer(text)]


def printed_span(printed: str, mended: str, snippet: str) -> str | None:
    """The printed words of `snippet`, a passage of `mended_text(printed)`, or None when it is not one.

    Mending replaces words one for one, so the n-th word of the mended text is
    the n-th printed word: a sentence read from the mended text is quoted, as
    its provenance, in the words the source printed.
    """
    found = list(_WORD.finditer(snippet))
    words = [match.group() for match in found]
    mended_words = _words_of(mended)
    printed_words = _spans_of(printed)
    if not words or len(mended_words) != len(printed_words):
        return None
    n = len(words)
    for i in range(len(mended_words) - n + 1):
        if mended_words[i] == words[0] and mended_words[i : i + n] == words:
            quoted = printed[printed_words[i][0] : printed_words[i + n - 1][1]]
            return clean(snippet[: found[0].start()] + quoted + snippet[found[-1].end() :])
    return None
