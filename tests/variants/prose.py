"""Unseen variants of real report prose: the same facts, written the ways other reports and OCR write them.

The table harness re-renders tables; a report states most of its figures in sentences. Each variant
here rewrites the running text of a corpus report whose narrative facts are known (`truth/*.csv`,
kind `narrative`): without diacritics (a text layer or OCR that lost them), with half of them,
through Tesseract's English model on Vietnamese (`ocr_eng`: a vowel with two marks read as a
consonant or another vowel, 'đồng' as 'ddng', 'Đảng' as 'Pang', as in the corpus's real OCR text),
with thousands written without a mark or grouped by spaces ('5 112'), rewrapped at another line
width, and all of these at once. The variant is written as a .txt file — what a text layer or an
OCR engine hands on — and read by `chiso.extract` with the real gate, so what is scored is what a
night would publish: a truth fact is found when a published sentence number has its value, entity
(accent-insensitive) and period end; a published sentence number that is no truth fact is extra.

The transforms keep every fact's value, entity and period: a miss or an extra is chiso's.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPORTS = ("haiduong_tong-ket-de-an-01_2022.pdf", "hatinh_dang-uy-khoi_tong-ket-xay-dung-tccsd_2021.pdf")
"""The corpus's born-digital reports with narrative truth."""
LETTERHEAD_LINES = 12
"""Lines kept as printed when rewrapping: the letterhead's two columns are lines of their own in any layout."""

_TWO_MARKS = {"ô": ["d", "é", "o", "6"], "ơ": ["o", "d", "&"], "ư": ["ir", "u", "w"], "ê": ["é", "e"],
              "â": ["a", "d"], "ă": ["a", "i"]}  # fmt: skip
_ONE_MARK = {"a": ["a", "d"], "o": ["o", "6"], "u": ["u", "y"], "e": ["e", "é"], "i": ["i", "j"], "y": ["y"]}
"""How the English model reads Vietnamese vowels (corpus ocr-text: 'ddng chi', 'c6', 'thir', 'thén', 'ngdy')."""


def _plain(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


def _ocr_char(char: str, rng: random.Random) -> str:
    if char in "đĐ":
        return rng.choice(["d", "d", "đ"] if char == "đ" else ["D", "P", "Đ"])
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks:
        return char
    lower = base.lower()
    if "\u0302" in marks:
        lower = {"o": "ô", "e": "ê", "a": "â"}.get(lower, lower)
    elif "\u031b" in marks:
        lower = {"o": "ơ", "u": "ư"}.get(lower, lower)
    elif "\u0306" in marks:
        lower = "ă"
    read = rng.choice(_TWO_MARKS.get(lower) or _ONE_MARK.get(lower) or [_plain(char).lower()])
    if rng.random() < 0.3:
        read = _plain(char).lower()
    return read.upper() if base.isupper() else read


def _words(text: str, change: Callable[[str], str]) -> str:
    return "\n".join(" ".join(change(word) for word in line.split(" ")) for line in text.split("\n"))


def no_accents(text: str, rng: random.Random) -> str:
    return _words(text, lambda word: "".join(_plain(c) for c in word))


def half_accents(text: str, rng: random.Random) -> str:
    return _words(text, lambda word: "".join(_plain(c) for c in word) if rng.random() < 0.5 else word)


def ocr_eng(text: str, rng: random.Random) -> str:
    return _words(text, lambda word: "".join(_ocr_char(c, rng) for c in word))


def thousands_plain(text: str, rng: random.Random) -> str:
    return re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", text)


def thousands_space(text: str, rng: random.Random) -> str:
    return re.sub(r"(?<=\d)\.(?=\d{3}\b)", " ", text)


def rewrapped(text: str, rng: random.Random) -> str:
    """Paragraphs (a line that opens in lower case continues the one above) wrapped at another width."""
    lines = text.split("\n")
    paragraphs: list[str] = []
    for line in lines[LETTERHEAD_LINES:]:
        if paragraphs and line[:1].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    width = rng.randint(50, 90)
    out = lines[:LETTERHEAD_LINES]
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out.append(line)
    return "\n".join(out)


def combined(text: str, rng: random.Random) -> str:
    return thousands_space(ocr_eng(rewrapped(text, rng), rng), rng)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "identity": lambda text, rng: text,
    "no_accents": no_accents,
    "half_accents": half_accents,
    "ocr_eng": ocr_eng,
    "thousands_plain": thousands_plain,
    "thousands_space": thousands_space,
    "rewrapped": rewrapped,
    "combined": combined,
}

FactKey = tuple[float, str, str]


@dataclass
class ProseResult:
    report: str
    kind: str
    truth: set[FactKey]
    published: set[FactKey]
    error: str | None = None
    labels: dict[FactKey, str] = field(default_factory=dict)

    @property
    def missed(self) -> list[FactKey]:
        return sorted(self.truth - self.published)

    @property
    def extra(self) -> list[FactKey]:
        return sorted(self.published - self.truth)


def _key(value: float, entity: str | None, period_end: object) -> FactKey:
    from chiso.normalize.text import fold

    return (round(float(value), 6), fold(entity or ""), str(period_end))


def narrative_truth(truth_dir: Path, report: str) -> set[FactKey]:
    with (truth_dir / f"{report}.csv").open(encoding="utf-8") as handle:
        return {_key(float(r["value"]), r["entity_name"], r["period_end"]) for r in csv.DictReader(handle)
                if r["kind"] == "narrative"}


def report_text(pdf: Path) -> str:
    """The report's running text as its reader hands it on (the text layer, page after page)."""
    from chiso.process import read_document

    return "\n\n".join(block.text for block in read_document(pdf).texts)


def _text_layer_pdf(text: str, path: Path) -> None:
    """A born-digital PDF whose text layer is `text`, line for line (a scanner's own OCR layer, say)."""
    from fpdf import FPDF

    from tests.variants.render_pdf import FONT_DIR

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font("body", "", 10)
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def run_prose(corpus: Path, report: str, kind: str, seed: int, folder: Path, as_pdf: bool = False) -> ProseResult:
    """One variant of one report's prose through `chiso.extract`, scored against the report's narrative truth;
    `as_pdf`: as the text layer of a PDF, not as a .txt."""
    import chiso

    truth = narrative_truth(corpus / "truth", report)
    text = TRANSFORMS[kind](report_text(corpus / "pdf" / report), random.Random(f"{seed}:{report}:{kind}"))
    path = folder / f"{Path(report).stem}-{kind}.{'pdf' if as_pdf else 'txt'}"
    if as_pdf:
        _text_layer_pdf(text, path)
    else:
        path.write_text(text, encoding="utf-8")
    try:
        frame = chiso.extract(path)
    except Exception as error:  # noqa: BLE001 - a crash on a plausible text is a measured failure
        return ProseResult(report, kind, truth, set(), error=f"{type(error).__name__}: {error}")
    sentences = frame.filter(frame["row_label"].is_null())
    labels = {_key(v, e, p): label for v, e, p, label in sentences.select(
        "value", "entity_name", "period_end", "indicator_label").iter_rows()}
    return ProseResult(report, kind, truth, set(labels), labels=labels)


def render(results: list[ProseResult]) -> str:
    """Per transform: truth facts found and published numbers that are facts, over the reports."""
    lines = ["prose kind         found        precision    (reports: " + ", ".join(r.split("_")[0] for r in REPORTS) + ")"]
    for kind in TRANSFORMS:
        chosen = [r for r in results if r.kind == kind]
        if not chosen:
            continue
        found = sum(len(r.truth & r.published) for r in chosen)
        truth = sum(len(r.truth) for r in chosen)
        published = sum(len(r.published) for r in chosen)
        errors = sum(r.error is not None for r in chosen)
        lines.append(f"{kind:18} {found:4}/{truth:<4} {found / truth:6.1%}  "
                     f"{found:4}/{published:<4} {found / published if published else 1:6.1%}"
                     + (f"  errors {errors}" if errors else ""))
    for result in results:
        for fact in result.missed[:3]:
            lines.append(f"  {result.kind} {result.report[:20]}: missed {fact}")
        for fact in result.extra[:3]:
            lines.append(f"  {result.kind} {result.report[:20]}: extra {fact} as {result.labels.get(fact, '')!r}")
    return "\n".join(lines)
