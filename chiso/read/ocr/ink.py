"""Print and stamps: which ink of a scanned page is printed text and rules.

Why: a round seal stamped over a table's corner, or a signature across it,
crosses figures and rules. Read as they are, a star over "135" makes "185"
and a ring's lettering becomes letters in a cell. Seals and signatures are
in lighter ink than print (red or blue, mid-grey once scanned in grayscale),
so a page's ink is split by darkness — against the page's own darkest print,
so that a faint copy's text stays print — and only where light ink forms
large marks, so that the thin light parts of letters stay too.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from chiso.read.ocr.settings import DEFAULT_SETTINGS, OcrSettings


def kernel(width: int, height: int) -> np.ndarray:
    """A rectangular structuring element."""
    return cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255. A local (mean) threshold copes with the uneven illumination of scans."""
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 10
    )


@dataclass(frozen=True)
class PageInk:
    """A page's print, what was taken for stamps, and the level that tells them apart."""

    print: np.ndarray
    """Ink (255) that is print (without the rules, once `find_tables` is done)."""
    stamp: np.ndarray
    """Ink (255) that `drop_light_ink` removed as too light to be print."""
    core_level: float
    """Gray level below which a pixel is the core of a printed stroke."""
    rules: np.ndarray | None = None
    """Every rule `find_tables` saw (255), on a grid's separator or not: a table drawn with rules
    between its rows but none between its columns makes no grid, and its rules are read as '_'
    and '—' beside the figures unless they are whitened first."""


def drop_light_ink(gray: np.ndarray, ink: np.ndarray, dpi: int, settings: OcrSettings = DEFAULT_SETTINGS) -> PageInk:
    """`ink` split into print and the marks of lighter ink: stamps, coloured signatures.

    Print has dark cores: the darkest 5 % of ink pixels set the page's print
    level, the paper its white, and a pixel is a core when it is darker than
    `settings.light_ink` of the way from print to paper. Light ink is ink not
    within 0.01 in of a core. Only where light ink forms large marks — a
    seal's ring and star, a signature's stroke, 0.25 in by 0.15 in or more — is the
    zone around them (their box, grown by 0.1 in, which takes in a seal's
    small lettering) cleared of light ink: elsewhere the thin, light parts of
    print (the foot of a '1' in a faint scan) stay. Scanner noise is no mark:
    its specks, bridged, made "stamps" of empty cells, and the light top and
    bottom of a blurred '0' in them were cleared, leaving '()'; specks smaller
    than 0.015 in square are left out before marks are measured. Where a stamp covers a
    figure the figure stays (it is dark), with a rim of the stamp that
    `ocr_cells` whitens. A faint copy is judged against its own darkest ink.
    """
    values = gray[ink > 0]
    empty = np.zeros_like(ink)
    if values.size == 0:
        return PageInk(ink, empty, 0.0)
    dark_level = float(np.percentile(values, 5))
    paper = float(np.median(gray))
    threshold = dark_level + settings.light_ink * (paper - dark_level)
    reach = max(2, round(dpi * 0.01))
    near_core = cv2.dilate((gray < threshold).astype(np.uint8), kernel(2 * reach + 1, 2 * reach + 1)) > 0
    light = without_specks(np.where(near_core, 0, ink).astype(np.uint8), (dpi * 0.015) ** 2)
    bridge = round(dpi * 0.03)  # a ring cut by the table's rules (and the dark cores beside them) is one mark
    joined = cv2.dilate(light, kernel(2 * bridge + 1, 2 * bridge + 1))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    zone = np.zeros(ink.shape, dtype=bool)
    grow, large, thick = round(dpi * 0.1), dpi * 0.25, dpi * 0.15
    print_ink = (ink > 0) & near_core
    for x, y, w, h, _ in stats[1:count]:
        x, y, w, h = x + bridge, y + bridge, w - 2 * bridge, h - 2 * bridge  # undo the dilation
        if max(w, h) < large or min(w, h) < thick:  # small, or the thin shadow of a scan's page edge
            continue
        lit = int(np.count_nonzero(light[y : y + h, x : x + w]))
        if lit >= settings.stamp_share * int(np.count_nonzero(print_ink[y : y + h, x : x + w])):
            zone[max(0, y - grow) : y + h + grow, max(0, x - grow) : x + w + grow] = True
    if not zone.any():
        return PageInk(ink, empty, threshold)
    stamp = zone & ~near_core & (ink > 0)
    return PageInk(np.where(stamp, 0, ink).astype(np.uint8), np.where(stamp, 255, 0).astype(np.uint8), threshold)


def without_specks(ink: np.ndarray, min_area: float) -> np.ndarray:
    """`ink` without its connected blobs smaller than `min_area` pixels."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    kept = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] >= min_area)
    return np.where(np.isin(labels, kept[kept > 0]), ink, 0).astype(np.uint8)


def runs(positions: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """(first, last) of each run of the sorted `positions` whose steps are at most `gap`:
    the lines or bands that rows holding ink make."""
    if not positions.size:
        return []
    cuts = np.flatnonzero(np.diff(positions) > gap)
    firsts, lasts = np.r_[positions[0], positions[cuts + 1]], np.r_[positions[cuts], positions[-1]]
    return [(int(first), int(last)) for first, last in zip(firsts, lasts)]
