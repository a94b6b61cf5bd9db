"""Looking at the pages: every page carries ink, and Arabic text is set right to left against the right margin.

Pages are rendered with poppler's pdftoppm and read with Pillow; the tests skip when pdftoppm is missing.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from design_support import RID, page_images

pytest.importorskip("PIL")
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")

DPI = 50
A4_MM = 210.0
TOLERANCE = 5   # pixels at 50 dpi, 2.5 mm: side bearings and rounding, far less than a ragged edge


def _ink(png: Path) -> object:
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(png).convert("L")) < 128


def _lines(png: Path) -> tuple[list[tuple[int, int]], int]:
    """(leftmost, rightmost) ink column of each text line between the running header and footer."""
    import numpy as np

    ink = _ink(png)
    height, width = ink.shape
    band = ink[int(height * 0.12):int(height * 0.88)]
    rows = np.where(band.any(axis=1))[0]
    groups: list[tuple[int, int]] = []
    for r in rows:
        if groups and r == groups[-1][1] + 1:
            groups[-1] = (groups[-1][0], r)
        else:
            groups.append((r, r))
    out = []
    for top, bottom in groups:
        if bottom - top < 2:   # a rule under a heading or a table border, not a line of text
            continue
        cols = np.where(band[top:bottom + 1].any(axis=0))[0]
        out.append((int(cols.min()), int(cols.max())))
    return out, width


def _flush(png: Path, left_mm: float, right_mm: float) -> tuple[float, float, int]:
    """Shares of lines that touch the left and the right margin (A4 page margins given in mm)."""
    lines, width = _lines(png)
    left, right = width * left_mm / A4_MM, width * (A4_MM - right_mm) / A4_MM
    on_left = sum(1 for lo, _ in lines if abs(lo - left) <= TOLERANCE)
    on_right = sum(1 for _, hi in lines if abs(hi - right) <= TOLERANCE)
    return on_left / max(1, len(lines)), on_right / max(1, len(lines)), len(lines)


@pytest.fixture(scope="module")
def pages(example_build: Path, parallel_pdfa_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Page images of every PDF of the example set and of its parallel editions, rendered once."""
    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for build in (example_build, parallel_pdfa_build):
        for f in json.loads((build / "manifest.json").read_text())["files"]:
            out[f["file"]] = page_images(build / f["file"], folder / f["edition"], DPI)
    return out


def test_every_page_of_every_pdf_carries_ink(pages: dict) -> None:
    assert len(pages) == 5
    for name, images in pages.items():
        assert len(images) >= 2, name
        for png in images:
            share = float(_ink(png).mean())
            assert 0.003 < share < 0.3, (png.name, share)


def _annex_start(pdf: Path) -> int:
    """Index of the page where the key-terms annex begins (its French and Russian columns are set
    left to right inside the right-to-left table, so the annex pages are measured on their own)."""
    from pypdf import PdfReader

    texts = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in PdfReader(pdf).pages]
    return next(i for i, t in enumerate(texts) if "ملحق: المصطلحات" in t)


def test_arabic_brief_is_set_right_to_left_from_the_first_body_page_to_the_last(pages: dict,
                                                                                  example_build: Path) -> None:
    images = pages[f"{RID}.eg.ar.pdf"]
    annex = _annex_start(example_build / f"{RID}.eg.ar.pdf")
    body = images[1:annex]          # after the cover, before the annex
    for png in images[annex:]:      # the annex table: Arabic column on the right edge, inside the cell padding
        left, right, count = _flush(png, left_mm=20, right_mm=25 + 2)
        if png == images[-1] and count < 5:
            continue                # the table's last rows, too few lines to measure
        assert count >= 5 and right >= 0.5, (png.name, left, right)
    totals = [0.0, 0.0, 0]
    for png in body:
        left, right, count = _flush(png, left_mm=20, right_mm=25)   # rtl.css: binding margin on the right
        assert count >= 5 and right > left, (png.name, left, right)
        totals = [totals[0] + left * count, totals[1] + right * count, totals[2] + count]
    # the expected positions are indented blocks (five in this brief, a fifth of its body lines), hence 0.7
    assert totals[1] / totals[2] >= 0.7 and totals[0] / totals[2] <= 0.3, totals


def test_russian_brief_is_set_left_to_right_for_contrast(pages: dict) -> None:
    images = pages[f"{RID}.ru.ru.pdf"]
    measured = 0
    for png in images[1:]:
        left, right, count = _flush(png, left_mm=25, right_mm=20)
        if count < 5:
            continue                # the body's last lines before the annex's page, or the annex's last rows
        measured += 1
        assert left > right, (png.name, left, right)
    assert measured >= len(images) - 3, measured


def test_parallel_edition_puts_arabic_against_the_right_edge_of_its_column(pages: dict) -> None:
    """The Arabic column is the rightmost; its lines end at the cell's right padding (2 mm inside the margin)."""
    for png in pages[f"{RID}.eg.fr-ar.parallel.pdf"]:
        left, right, count = _flush(png, left_mm=18, right_mm=18 + 2)
        assert count >= 5 and right >= 0.5, (png.name, left, right)
