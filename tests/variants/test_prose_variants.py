"""Report prose written the ways other reports and OCR write it publishes the same facts (tests.variants.prose).

Each variant rewrites the running text of a corpus report whose narrative facts are known and reads
it through `chiso.extract` with the real gate. Spelling, thousands marks and line width must change
nothing; Tesseract's English model on Vietnamese (every vowel with two marks misread, 'Đ' as 'P')
must still publish most facts and few that are not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `tests.variants` under importlib mode

from tests.variants.prose import REPORTS, run_prose

SEED = 2025
INVARIANT = ("identity", "no_accents", "half_accents", "thousands_plain", "thousands_space", "rewrapped")


@pytest.mark.parametrize("kind", INVARIANT)
@pytest.mark.parametrize("report", REPORTS, ids=[r.split("_")[0] for r in REPORTS])
def test_a_rewritten_report_publishes_its_facts_and_nothing_else(corpus: Path, report: str, kind: str,
                                                                 tmp_path: Path) -> None:
    result = run_prose(corpus, report, kind, SEED, tmp_path)
    assert result.error is None, result.error
    assert (result.missed, result.extra) == ([], []), [result.labels.get(f) for f in result.extra]


def test_a_report_read_by_the_english_ocr_model_still_publishes_its_facts(corpus: Path, tmp_path: Path) -> None:
    """The Hải Dương report, its places and committees as the English model spells them ('TINH YY HAI DWDNG',
    'Thi xd Kinh Mon', 'trirdc khi thuc hién Dé an')."""
    result = run_prose(corpus, REPORTS[0], "ocr_eng", SEED, tmp_path)
    found = len(result.truth & result.published)
    assert found >= 0.95 * len(result.truth), result.missed[:10]
    assert found >= 0.95 * len(result.published), [(f, result.labels[f]) for f in result.extra[:10]]


def test_a_report_whose_whole_letterhead_the_english_model_mangled_still_publishes_its_facts(
        corpus: Path, tmp_path: Path) -> None:
    """The Hà Tĩnh report: 'DDNG BD TINH HD TJNH / PANG UY KHDI CAC C& QUAN', its date 'ngay thdng 10 nim
    2021'. Without its words read back no figure had an issuer, a province or a date: all were held."""
    result = run_prose(corpus, REPORTS[1], "ocr_eng", SEED, tmp_path)
    found = len(result.truth & result.published)
    assert found >= 0.95 * len(result.truth), result.missed[:10]
    assert found >= 0.95 * len(result.published), [(f, result.labels[f]) for f in result.extra[:10]]


@pytest.mark.parametrize("report", REPORTS, ids=[r.split("_")[0] for r in REPORTS])
def test_a_pdf_whose_text_layer_is_ocr_without_vietnamese_is_read_as_ocr(corpus: Path, report: str,
                                                                         tmp_path: Path) -> None:
    """A scanner's own OCR as a PDF's text layer (the English model's confusions): nothing says OCR but the
    words, which read as Vietnamese without its marks; they are read back as in a .txt made by OCR."""
    result = run_prose(corpus, report, "ocr_eng", SEED, tmp_path, as_pdf=True)
    assert result.error is None, result.error
    found = len(result.truth & result.published)
    assert found >= 0.9 * len(result.truth), result.missed[:10]
    assert found >= 0.9 * len(result.published), [(f, result.labels[f]) for f in result.extra[:10]]
