"""The knobs of scanned-page reading, in one place (pdfplumber's TableSettings is the model).

Every threshold that decides how a scan is read — resolution, when a page
or a header cell counts as sideways, how dark ink must be to be print
rather than a stamp, how sure Tesseract must be of a cell before its value
goes unflagged — lives here with the reason for its default, so that a
caller can tune one without editing the readers, and a reader never hides
a magic number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrSettings:
    """Thresholds of the OCR readers (`chiso.read.ocr.reader`, `ocr_grid`, `ocr_cells`)."""

    dpi: int = 300
    """Render resolution. Tesseract's LSTM is most accurate with an x-height of 20–30 px,
    which 10–13 pt print reaches at 300 dpi even when the scan itself was 200."""
    lang: str = "vie"
    max_page_pixels: int = 80_000_000
    """Budget of one rendered page. An A3 sheet at 300 dpi is 17 MP; a 14,400 pt square page
    would be 3.6 GP (gigabytes of memory), which a 390 KB file can ask for: such a file is
    held with the budget it broke instead of taking the run down."""

    # Page orientation (see `ocr.upright`).
    upright_lean: float = 1.2
    """Word lean (`reader._word_lean`) from which a page is upright without asking Tesseract,
    and whose inverse marks a page as clearly sideways. Upright pages of text and tables
    lean 1.3–1.9, sideways ones 0.5–0.8; a twenty-column table with vertical captions about
    1, and is then left to OSD."""
    osd_min_confidence: float = 1.0
    """Tesseract's orientation confidence below which its answer is not trusted."""
    osd_turn_confidence: float = 3.0
    """OSD confidence from which its answer decides, whatever the page's words lean to: its
    answers for the generated twenty-column tables and dense single-page tables, right every
    time, score 5–12."""

    # Grid recovery (see `ocr_grid`).
    min_separator_rows: float = 0.3
    """Share of a grid's rows in which a column separator must be drawn. A stamp's ring
    leaves short near-vertical arcs that pass for a cell border in one or two rows; a real
    column is drawn through the body (rows merged across it are header captions)."""
    faint_rule_contrast: int = 4
    """Gray levels below the local mean at which a pixel may belong to a faint rule (print: 10)."""
    faint_rule_min_vertical: float = 0.25
    """Inches a faint vertical run must reach to be a rule: taller than any letter's stem."""
    light_ink: float = 0.45
    """Where between the page's darkest print and its paper the core of printed ink must lie.
    Ink that is lighter and not next to such a core is a stamp (red or blue in colour, mid-grey
    in a grayscale scan) and is removed before rules and cells are read."""

    stamp_share: float = 0.3
    """Light ink over print in the box of a large light mark, from which on it is a stamp or a
    signature: a seal is mostly light ink; the light fringes of a faint text block are few
    beside its print."""

    # Cell reading (see `ocr_cells`).
    vertical_profile_ratio: float = 1.5
    """A header crop whose column profile is this much sharper than its row profile holds
    text set vertically (lines running up or down the cell) and is read turned both ways."""
    upright_recheck_below: float = 60.0
    """A cell read only turned (its profile said vertical) whose best turned reading is less sure
    than this is read upright too. A caption wrapped over nine short lines in a narrow column
    ('Xây dựng và / phát / triển / …') has a profile as sharp down as across; turned, it reads
    as symbols at 15–40, upright at 90 and more. Real vertical captions read turned at 85–95."""
    min_confidence: float = 60.0
    """Tesseract word confidence (0–100) below which a cell's value is flagged, value kept.
    Clean print reads at 85–96; misread digits ('1O8', a stamp over a figure) fall below 60."""
    reread_below: float = 75.0
    """Number cells read with less confidence than this are read again on their own."""


DEFAULT_SETTINGS = OcrSettings()
