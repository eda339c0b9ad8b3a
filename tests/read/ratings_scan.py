"""A generated landscape scan of a ratings table, the kind a held-out corpus gave no cells for.

Why generated: the layout that defeated page OCR — twenty narrow value
columns (five years × four ratings), a three-level header (group → year →
rating) whose rating captions are set vertically, a stamp over the table —
is common in party-building reports, but no such scan with a transcription
is in ../shared. Rendering it in code gives the exact truth of every cell
and lets the test vary the hard parts (caption direction, skew, stamp)
without committing a binary.

The page is drawn with PIL at 200 dpi (a usual office-scanner setting) in a
DejaVu font, then degraded like a scan: a light rotation, blur, sensor
noise, JPEG compression, and saved as an image-only PDF (no text layer).
Values are invented counts of sub-units (chi bộ) per rating, consistent
within each row and year, with a "Cộng" row that sums the rows.
`scribble` draws a dark pen stroke through the first figures, for the
low-confidence flag.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
GROUP = "Số tổ chức đảng trực thuộc được xếp loại chất lượng"
"""(Not "Số chi bộ …": Tesseract's `vie` model reads this serif's "chi bộ" as "chỉ bộ" in any
layout — a language-model bias, not a layout problem, which is what this scan is about.)"""
YEARS = [2020, 2021, 2022, 2023, 2024]
RATINGS = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
]
ORGANISATIONS = [
    "Đảng bộ xã Tân Hưng",
    "Đảng bộ xã Phúc Thành",
    "Đảng bộ xã Quang Trung",
    "Đảng bộ xã Đồng Lạc",
    "Đảng bộ xã Nghĩa An",
    "Đảng bộ thị trấn Thanh Hà",
    "Đảng bộ xã Hồng Phong",
    "Đảng bộ xã Cẩm Văn",
    "Đảng bộ xã Lê Lợi",
    "Đảng bộ xã Tiền Tiến",
]
TOTAL = "Cộng"


@dataclass(frozen=True)
class ScanStyle:
    """How the page is drawn and degraded."""

    dpi: int = 200
    captions: str = "up"
    """Rating captions: 'up' (rotated 90°, read bottom to top, Word's default for vertical
    text), 'down' (rotated 270°, read top to bottom) or 'wrapped' (horizontal, over four lines)."""
    skew: float = 0.7
    """Degrees, counter-clockwise."""
    blur: float = 0.7
    noise: float = 7.0
    jpeg_quality: int = 70
    stamp: bool = True
    rule_gray: int = 0
    """Gray of the inner rules: 0 is black; 170–200 is the faint rule of a cheap office scan."""
    rule_breaks: bool = False
    """Inner rules broken every 0.1–0.3 in by gaps of 0.01–0.025 in, as a low-resolution scan leaves them."""
    scribble: bool = False
    """A dark pen stroke through the first organisation's first two figures."""
    seed: int = 7


@dataclass
class RatingsTable:
    """The truth: value of every (row label, column path) cell."""

    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    @staticmethod
    def path(year: int, rating: str) -> str:
        return f"{GROUP} / Năm {year} / {rating}"


def ratings_values(seed: int) -> dict[str, list[int]]:
    """Row label → 20 counts (year-major, rating-minor), the Cộng row last."""
    rng = random.Random(seed)
    rows: dict[str, list[int]] = {}
    for name in ORGANISATIONS:
        units = rng.randint(9, 34)
        values = []
        for _ in YEARS:
            excellent = rng.randint(1, max(1, units // 4))
            failed = rng.choice([0, 0, 0, 1])
            done = rng.randint(0, max(0, units // 5))
            good = units - excellent - failed - done
            values += [excellent, good, done, failed]
        rows[name] = values
    rows[TOTAL] = [sum(column) for column in zip(*rows.values())]
    return rows


def _font(size_pt: float, dpi: int, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSerifCondensed" + ("-Bold" if bold else "") + ("Italic" if italic and bold else "-Italic" if italic else "")
    return ImageFont.truetype(str(FONT_DIR / f"{name}.ttf"), size=round(size_pt * dpi / 72))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _centred(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], lines: list[str],
             font: ImageFont.FreeTypeFont, leading: float = 1.2) -> None:
    x0, y0, x1, y1 = box
    step = round(font.size * leading)
    top = (y0 + y1) / 2 - step * len(lines) / 2
    for i, line in enumerate(lines):
        width = font.getlength(line)
        draw.text(((x0 + x1 - width) / 2, top + i * step), line, font=font, fill=0)


def _vertical(page: Image.Image, box: tuple[int, int, int, int], text: str,
              font: ImageFont.FreeTypeFont, direction: str) -> None:
    """Caption rotated into the cell: lines wrapped to the cell's height, then turned."""
    x0, y0, x1, y1 = box
    height, width = y1 - y0, x1 - x0
    lines = _wrap(text, font, height - 16)
    strip = Image.new("L", (height, width), 255)
    _centred(ImageDraw.Draw(strip), (0, 0, height, width), lines, font, leading=1.15)
    turned = strip.rotate(90 if direction == "up" else 270, expand=True)
    page.paste(turned, (x0, y0))


def render_ratings_page(style: ScanStyle) -> tuple[Image.Image, dict[str, list[int]]]:
    """The clean landscape page and its values (before scan degradation)."""
    dpi = style.dpi
    inch = dpi
    width, height = round(11.69 * inch), round(8.27 * inch)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    body = _font(11, dpi)
    bold = _font(11, dpi, bold=True)
    small_bold = _font(8.5, dpi, bold=True)
    header = _font(10, dpi, bold=True)

    left_x = round(0.5 * inch)
    _centred(draw, (left_x, round(0.35 * inch), left_x + round(3.6 * inch), round(0.55 * inch)),
             ["ĐẢNG BỘ HUYỆN THANH HÀ"], body)
    _centred(draw, (left_x, round(0.55 * inch), left_x + round(3.6 * inch), round(0.75 * inch)),
             ["BAN TỔ CHỨC"], bold)
    right_x = width - round(4.6 * inch)
    _centred(draw, (right_x, round(0.35 * inch), width - round(0.5 * inch), round(0.55 * inch)),
             ["ĐẢNG CỘNG SẢN VIỆT NAM"], bold)
    _centred(draw, (right_x, round(0.6 * inch), width - round(0.5 * inch), round(0.8 * inch)),
             ["Thanh Hà, ngày 15 tháng 01 năm 2025"], _font(11, dpi, italic=True))
    _centred(draw, (0, round(0.95 * inch), width, round(1.15 * inch)), ["Biểu số 5"], bold)
    _centred(draw, (0, round(1.15 * inch), width, round(1.4 * inch)),
             ["KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CHI BỘ TRỰC THUỘC ĐẢNG BỘ CƠ SỞ, GIAI ĐOẠN 2020 - 2024"], bold)

    values = ratings_values(style.seed)
    x0 = round(0.4 * inch)
    tt_w, label_w = round(0.35 * inch), round(2.1 * inch)
    value_w = (width - 2 * x0 - tt_w - label_w) // 20
    xs = [x0, x0 + tt_w, x0 + tt_w + label_w] + [x0 + tt_w + label_w + value_w * (i + 1) for i in range(20)]
    y0 = round(1.55 * inch)
    caption_h = round((1.45 if style.captions != "wrapped" else 0.95) * inch)
    row_h = round(0.3 * inch)
    ys = [y0, y0 + round(0.42 * inch), y0 + round(0.72 * inch), y0 + round(0.72 * inch) + caption_h]
    for _ in values:
        ys.append(ys[-1] + row_h)
    rule = max(2, round(dpi / 100))

    breaks = random.Random(style.seed + 1)

    def segments(a: int, b: int, inner: bool) -> list[tuple[int, int]]:
        if not (inner and style.rule_breaks):
            return [(a, b)]
        parts, start = [], a
        while start < b:
            end = min(b, start + round(breaks.uniform(0.1, 0.3) * inch))
            parts.append((start, end))
            start = end + round(breaks.uniform(0.01, 0.025) * inch)
        return parts

    def hline(y: int, a: int, b: int, inner: bool = True) -> None:
        for s0, s1 in segments(a, b, inner):
            draw.line([(s0, y), (s1, y)], fill=style.rule_gray if inner else 0, width=rule)

    def vline(x: int, a: int, b: int, inner: bool = True) -> None:
        for s0, s1 in segments(a, b, inner):
            draw.line([(x, s0), (x, s1)], fill=style.rule_gray if inner else 0, width=rule)

    # Outer frame (always black) and inner rules.
    for y in (ys[0], *ys[3:]):
        hline(y, xs[0], xs[-1], inner=y not in (ys[0], ys[-1]))
    hline(ys[1], xs[2], xs[-1])
    hline(ys[2], xs[2], xs[-1])
    for x in (xs[0], xs[1], xs[2], xs[-1]):
        vline(x, ys[0], ys[-1], inner=x not in (xs[0], xs[-1]))
    for i in range(1, 20):
        x = xs[2 + i]
        top = ys[1] if i % 4 == 0 else ys[2]
        vline(x, top, ys[-1])

    _centred(draw, (xs[0], ys[0], xs[1], ys[3]), ["TT"], header)
    _centred(draw, (xs[1], ys[0], xs[2], ys[3]), ["Tên đảng bộ cơ sở"], header)
    _centred(draw, (xs[2], ys[0], xs[-1], ys[1]), [GROUP], header)
    for k, year in enumerate(YEARS):
        _centred(draw, (xs[2 + 4 * k], ys[1], xs[2 + 4 * k + 4], ys[2]), [f"Năm {year}"], header)
        for j, rating in enumerate(RATINGS):
            box = (xs[2 + 4 * k + j] + rule, ys[2] + rule, xs[3 + 4 * k + j] - rule, ys[3] - rule)
            if style.captions == "wrapped":
                _centred(draw, box, _wrap(rating, small_bold, box[2] - box[0] - 6), small_bold, leading=1.1)
            else:
                _vertical(page, box, rating, small_bold, style.captions)

    for r, (label, row) in enumerate(values.items()):
        top, bottom = ys[3 + r], ys[4 + r]
        font = bold if label == TOTAL else body
        if label != TOTAL:
            _centred(draw, (xs[0], top, xs[1], bottom), [str(r + 1)], body)
            draw.text((xs[1] + round(0.06 * inch), (top + bottom) / 2 - font.size * 0.6), label, font=font, fill=0)
        else:
            _centred(draw, (xs[1], top, xs[2], bottom), [label], font)
        for c, value in enumerate(row):
            _centred(draw, (xs[2 + c], top, xs[3 + c], bottom), [str(value)], font)

    sign_x = width - round(4.2 * inch)
    sign_y = ys[-1] + round(0.25 * inch)
    _centred(draw, (sign_x, sign_y, sign_x + round(3.4 * inch), sign_y + round(0.22 * inch)),
             ["T/M BAN TỔ CHỨC"], bold)
    _centred(draw, (sign_x, sign_y + round(0.22 * inch), sign_x + round(3.4 * inch), sign_y + round(0.44 * inch)),
             ["TRƯỞNG BAN"], bold)
    _centred(draw, (left_x, sign_y, left_x + round(3.4 * inch), sign_y + round(0.22 * inch)),
             ["NGƯỜI LẬP BIỂU"], bold)
    if style.scribble:
        start = (xs[2] + round(0.05 * inch), (ys[3] + ys[4]) // 2)
        wave = [(start[0] + t, start[1] + 0.07 * inch * math.sin(t / (0.03 * inch))) for t in range(0, round(0.8 * inch), 2)]
        draw.line(wave, fill=30, width=max(3, round(dpi / 65)))
    if style.stamp:
        _stamp(page, (sign_x + round(1.0 * inch), ys[-1] - round(0.15 * inch)), round(0.72 * inch), dpi)
        _signature(page, (sign_x + round(1.2 * inch), sign_y + round(0.55 * inch)), dpi)
    return page, values


def _stamp(page: Image.Image, centre: tuple[int, int], radius: int, dpi: int) -> None:
    """A round seal in red ink, which a grayscale scan turns mid-grey; multiplied over the page."""
    size = 2 * radius + 8
    seal = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(seal)
    c = size / 2
    ink = 150
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=ink, width=max(3, dpi // 45))
    inner = radius * 0.68
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=ink, width=max(2, dpi // 80))
    font = _font(7.5, dpi, bold=True)
    text = "ĐẢNG BỘ HUYỆN THANH HÀ * BAN TỔ CHỨC * "
    ring = radius * 0.84
    for i, ch in enumerate(text):
        angle = -math.pi / 2 + 2 * math.pi * i / len(text)
        glyph = Image.new("L", (font.size * 2, font.size * 2), 255)
        ImageDraw.Draw(glyph).text((font.size / 2, font.size / 3), ch, font=font, fill=ink)
        glyph = glyph.rotate(-math.degrees(angle) - 90, fillcolor=255)
        gx, gy = c + ring * math.cos(angle) - font.size, c + ring * math.sin(angle) - font.size
        seal.paste(Image.fromarray(np.minimum(np.array(seal.crop((round(gx), round(gy), round(gx) + glyph.width,
                                                                    round(gy) + glyph.height))),
                                              np.array(glyph))), (round(gx), round(gy)))
    star = [(c + inner * 0.55 * math.cos(-math.pi / 2 + k * 4 * math.pi / 5),
             c + inner * 0.55 * math.sin(-math.pi / 2 + k * 4 * math.pi / 5)) for k in range(5)]
    draw.polygon(star, fill=ink)
    box = (centre[0] - size // 2, centre[1] - size // 2)
    region = page.crop((box[0], box[1], box[0] + size, box[1] + size))
    blended = (np.array(region, dtype=np.float32) * np.array(seal, dtype=np.float32) / 255).astype(np.uint8)
    page.paste(Image.fromarray(blended), box)


def _signature(page: Image.Image, start: tuple[int, int], dpi: int) -> None:
    """A pen scribble: a few loops of a damped wave."""
    draw = ImageDraw.Draw(page)
    points = []
    for k in range(160):
        t = k / 160
        points.append((start[0] + t * dpi * 1.1 + 18 * math.sin(t * 23),
                       start[1] + 26 * math.sin(t * 11) * (1 - t) - t * 20))
    draw.line(points, fill=60, width=max(2, dpi // 70), joint="curve")


def degrade(page: Image.Image, style: ScanStyle) -> Image.Image:
    """Skew, blur, noise and JPEG: what an office scanner does to a printed page."""
    rng = np.random.default_rng(style.seed)
    img = page.rotate(style.skew, resample=Image.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(style.blur))
    pixels = np.array(img, dtype=np.float32) + rng.normal(0, style.noise, (img.height, img.width))
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def write_ratings_scan(path: Path, style: ScanStyle = ScanStyle()) -> RatingsTable:
    """Write the image-only PDF; return the truth of every value cell (header paths in full)."""
    page, values = render_ratings_page(style)
    scan = degrade(page, style)
    scan.save(path, format="PDF", resolution=style.dpi)
    truth = RatingsTable()
    for label, row in values.items():
        for c, value in enumerate(row):
            truth.cells[(label, RatingsTable.path(YEARS[c // 4], RATINGS[c % 4]))] = value
    return truth


if __name__ == "__main__":  # render a copy to look at: python tests/read/ratings_scan.py out.pdf
    import sys

    write_ratings_scan(Path(sys.argv[1]), ScanStyle(captions=sys.argv[2] if len(sys.argv) > 2 else "up"))
