"""Demo-like data for report tests: the benchmarking population (A and B among peers, scored in two
years through the real workflow), and PDF checks with poppler (pdftotext, pdftoppm)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(content: bytes, tmp_path: Path, dpi: int = 40) -> list[Image.Image]:
    """The PDF's pages as images (pdftoppm), to check that something is drawn."""
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def coloured_pixels(image: Image.Image) -> int:
    """Pixels that are clearly coloured (not white, grey or black): chart fills and lines; text is black."""
    import numpy as np

    pixels = np.asarray(image, dtype=np.int16)
    return int(((pixels.max(axis=2) - pixels.min(axis=2)) > 60).sum())
