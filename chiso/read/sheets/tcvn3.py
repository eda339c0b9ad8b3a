"""Text typed in the legacy TCVN3 (ABC) font encoding → Unicode.

Before Unicode, Vietnamese offices typed with ".VnTime" fonts that draw
Vietnamese letters in place of Latin-1 symbols: the cell holds "Bé Tµi
chÝnh" and the screen shows "Bộ Tài chính". Old MoF workbooks (Plan_2003)
still carry such sheets. Upper-case letters came from a second font
(".VnTimeH") with the same codes, so decoded text may be lower-case where
the sheet showed capitals; matching is case-insensitive anyway.
"""

from __future__ import annotations

import re

_TCVN3 = (
    "µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
    "ïóñòô" "\xadõøö÷ù" "úýûüþ" "¡¢§£¤¥¦"
)
_UNICODE = (
    "àáảãạ" "ăằắẳẵặ" "âầấẩẫậ" "đ" "èéẻẽẹ" "êềếểễệ" "ìíỉĩị" "òóỏõọ" "ôồốổỗộ" "ơờớởỡợ"
    "ùúủũụ" "ưừứửữự" "ỳýỷỹỵ" "ĂÂĐÊÔƠƯ"
)
_TABLE = str.maketrans(_TCVN3, _UNICODE)
_TELLTALE = re.compile("[µ¸¶·¹¨»¾¼½Æ©®ª«¬\xadÎÏÑÒÓÖ×ØÜÞßäåæçëîïñö÷ûüþ¡¢§£¤¥¦]")
"""Code points a Unicode Vietnamese text never uses, but TCVN3 text is full of."""


def looks_tcvn3(texts: list[str]) -> bool:
    """True when many of a sheet's word cells carry TCVN3 letters."""
    words = [text for text in texts if any(ch.isalpha() for ch in text)]
    marked = sum(1 for text in words if _TELLTALE.search(text))
    return marked >= 3 and marked * 4 >= len(words)


def decode_tcvn3(text: str) -> str:
    return text.translate(_TABLE)
