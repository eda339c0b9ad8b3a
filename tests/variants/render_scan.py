"""A born-digital PDF turned into a scan: rasterised, tilted, blurred, noisy, JPEG, image-only.

What an office scanner and a re-save do to a printed appendix: 150–200 dpi grayscale, the sheet
a little askew (0.3–1.5° either way), soft focus, sensor noise, JPEG compression; the result is a
PDF of page images with no text layer, so chiso must route it to Tesseract. Every degradation
is drawn from the variant's seeded generator.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class ScanStyle:
    dpi: int
    angle: float
    blur: float
    noise: float
    quality: int

    @classmethod
    def draw(cls, rng: random.Random) -> ScanStyle:
        angle = rng.uniform(0.3, 1.5) * rng.choice((-1, 1))
        return cls(rng.choice((150, 175, 200)), round(angle, 2), round(rng.uniform(0.4, 0.9), 2),
                   round(rng.uniform(4, 12), 1), rng.randint(60, 85))


def scan_pdf(source: Path, target: Path, scan: ScanStyle, seed: int) -> Path:
    noise = np.random.default_rng(seed)
    pages: list[Image.Image] = []
    document = pdfium.PdfDocument(str(source))
    try:
        for page in document:
            image = page.render(scale=scan.dpi / 72, grayscale=True).to_pil().convert("L")
            pages.append(_degrade(image, scan, noise))
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(target, "PDF", resolution=float(scan.dpi), save_all=True, append_images=pages[1:])
    return target


def _degrade(image: Image.Image, scan: ScanStyle, noise: np.random.Generator) -> Image.Image:
    image = image.rotate(scan.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(scan.blur))
    pixels = np.asarray(image, dtype=np.float32) + noise.normal(0, scan.noise, (image.height, image.width))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=scan.quality)
    buffer.seek(0)
    return Image.open(buffer).convert("L")
