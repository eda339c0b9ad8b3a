"""Write chiso/normalize/data/syllables_vie.txt from Tesseract's Vietnamese word list.

`python scripts/export_syllables.py [TRAINEDDATA]` unpacks `vie.traineddata`
(tesseract-ocr-vie, Apache-2.0) with `combine_tessdata -u`, lists its word
DAWG with `dawg2wordlist`, and keeps the lower-case NFC words made only of
Vietnamese letters in a syllable's shape: the syllables that tell a word OCR mangled ("ddng",
"thén") from a real one. Run it again when the language data changes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from chiso.normalize.ocr_spelling import SHAPE, SYLLABLES_FILE
from chiso.normalize.text import fold

_MISSPELT = re.compile(r"k[aou]|c[eiy]|gh[aou]|ngh[aou]|q(?!u)|ng[ei]")
"""Onsets Vietnamese spelling never writes ('ko', 'ce'): chat spellings in the list, not syllables."""
DEFAULT_TRAINEDDATA = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
_LETTERS = re.compile(r"[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]+")


def main(argv: list[str]) -> None:
    traineddata = Path(argv[1]) if len(argv) > 1 else DEFAULT_TRAINEDDATA
    with tempfile.TemporaryDirectory() as tmp:
        prefix = f"{tmp}/vie."
        subprocess.run(["combine_tessdata", "-u", str(traineddata), prefix], check=True, capture_output=True)
        words = Path(tmp) / "words.txt"
        subprocess.run(["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", str(words)],
                       check=True, capture_output=True)
        syllables = {
            word
            for line in words.read_text(encoding="utf-8").splitlines()
            if _LETTERS.fullmatch(word := unicodedata.normalize("NFC", line.strip()).lower())
            and SHAPE.fullmatch(fold(word))  # drops the list's English words ('abc')
            and not _MISSPELT.match(fold(word))
        }
    header = (
        "# Vietnamese syllables (lower case, NFC), one per line: the word list of Tesseract's vie.traineddata\n"
        "# (tesseract-ocr/tessdata, Apache-2.0), written by scripts/export_syllables.py.\n"
    )
    SYLLABLES_FILE.write_text(header + "\n".join(sorted(syllables)) + "\n", encoding="utf-8")
    print(f"{len(syllables)} syllables → {SYLLABLES_FILE}")


if __name__ == "__main__":
    main(sys.argv)
