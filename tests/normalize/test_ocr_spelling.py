"""Words OCR without Vietnamese mangled are mended; clean Vietnamese is left exactly as folding leaves it."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from chiso.indicators.catalog import vocabulary
from chiso.normalize.ocr_spelling import SHAPE, mended_text, respelled_key, syllables
from chiso.normalize.text import fold


@pytest.mark.parametrize(("printed", "read"), [
    ("Số ddng chi bd", "so dong chi bo"),         # 'ồ' and 'ộ' printed as 'd'
    ("chi bg truc thudc", "chi bo truc thuoc"),    # 'ộ' as 'g' and 'd'
    ("trudng thén, KDC", "truong thon, kdc"),      # 'ư' as 'u', 'ở' as 'd', 'ô' as 'é'; KDC stays
    ("t6 chirc co s¢ dang", "to chuc co so dang"),  # 'ổ' as '6', 'ứ' as 'ir', 'ở' as '¢'
    ("chi b truc thuoc", "chi bo truc thuoc"),     # the vowel lost: the catalog's phrase 'chi bo'
    ("bon tét", "bon tot"),
    ("Hodn thanh XS", "hoan thanh xs"),            # an a with a mark as 'd', when no ô/ơ reading is a syllable
    ("ngdy 04, ndm 2022", "ngay 04, nam 2022"),
    ("cén b", "can bo"),                           # 'cén' is 'cán' or 'côn': the word after it tells
    ("déng b phudng", "dang bo phuong"),           # 'déng' is 'đảng' before 'bộ'
    ("t chirc co s& dang", "to chuc co so dang"),  # a label opening with a consonant alone: 'tổ chức'
    ("B Chi NSNN", "b chi nsnn"),                  # an item letter before a capital stays a letter
    ("Pang vién", "dang vien"),                    # a capital Đ that lost its bar reads as P
    ("Iuot can bo", "luot can bo"),                # a capital I for an l
    ("t6 chire co sd dang", "to chuc co so dang"),  # a final c drawn as e
    ("t6 chiic", "to chuc"),                       # 'ư' as 'ii'
    ("cip iy co so", "cap uy co so"),              # a syllable's shape but no syllable: the catalog phrase
    ("DDNG BD TINH", "dang bo tinh"),              # a letterhead in capitals is no row of abbreviations
    ("to chuc co sé dang", "to chuc co so dang"),  # the phrase with the word before and the word after
])
def test_mangled_words_read_as_the_catalog_spells_them(printed, read):
    assert respelled_key(printed, vocabulary()) == read


@pytest.mark.parametrize("printed", ["Pắc Ta", "Pa Tần", "xut sic", "UBND TỈNH", "KDC"])
def test_a_word_with_its_marks_a_real_syllable_or_no_catalog_phrase_stays(printed):
    """A name in a minority language printed with its marks, a syllable, a word that could be several."""
    assert respelled_key(printed, vocabulary()) == fold(printed)


def test_mended_text_replaces_only_the_mangled_words_in_their_case():
    text = "PANG UY KHDI CAC C& QUAN\nCác chi bộ có 109 t6 chire co sd dang"
    assert mended_text(text, vocabulary()) == "DANG UY KHOI CAC CO QUAN\nCác chi bộ có 109 to chuc co so dang"

@pytest.mark.parametrize("printed", [
    "Ủy ban nhân dân tỉnh", "UBND", "KDC", "Câu hỏi B2", "a) b) g)", "rộng", "xã4", "population both sexes",
    "Tỷ lệ (%)", "Cột 9=7/1", "4=3/2",
])
def test_words_with_a_syllable_shape_abbreviations_and_items_stay(printed):
    assert respelled_key(printed, vocabulary()) == fold(printed)


def test_the_word_list_is_vietnamese_syllables():
    words = syllables()
    assert {"thôn", "người", "đồng", "chí", "bộ", "được"} <= words
    assert all(SHAPE.fullmatch(fold(w)) for w in words)


def _pdf_lines(paths: list[Path]) -> list[str]:
    lines = []
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for page in pdf:
            lines += page.get_textpage().get_text_range().splitlines()
        pdf.close()
    return lines


def test_clean_reports_are_read_unchanged(corpus, real):
    """Every line of the born-digital corpus reports and the Lâm Đồng 2025 PDFs: no word is 'mended'."""
    paths = sorted((corpus / "pdf").glob("*.pdf")) + sorted((real / "lamdong-2025").rglob("*.pdf"))
    lines = _pdf_lines(paths)
    assert len(lines) > 1000
    changed = [line for line in lines if respelled_key(line, vocabulary()) != fold(line)]
    assert changed == []


def test_english_statistics_labels_are_read_unchanged(real):
    """The GSO exports' English table titles and row labels ('Red River Delta', 'per capita', 'new'): no mending."""
    lines = []
    for path in sorted((real / "gso").rglob("*.csv"))[:120]:
        lines += path.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:40]
    assert len(lines) > 1000
    vocab = vocabulary()
    changed = [line for line in lines if respelled_key(line, vocab) != fold(line)]
    assert changed == []


def test_real_ocr_text_loses_most_of_its_non_words(corpus):
    """The five real OCR seeds: words without a syllable's shape fall by more than 40%; catalog words rise."""
    vocab = vocabulary()
    for path in sorted((corpus / "ocr-text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        before, after = fold(text).split(), respelled_key(text, vocab).split()

        def unshaped(words: list[str]) -> int:
            return sum(1 for w in words if re.fullmatch("[a-z]+", w) and not SHAPE.fullmatch(w))

        assert unshaped(after) < 0.6 * unshaped(before), path.name
        assert sum(w in vocab for w in after) > sum(w in vocab for w in before), path.name
