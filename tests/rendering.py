"""Render what we produce (.docx, .xlsx) the way a user's office suite would, to check it.

LibreOffice headless converts to PDF; poppler's pdftotext/pdffonts/pdftoppm read the PDF.
Tests that need them use the `needs_office` mark: skipped, and said so, when the programs are
missing (CI installs them: libreoffice, poppler-utils, fonts-noto-cjk).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from weijian.documents import FONTCONFIG

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")

needs_office = pytest.mark.skipif(
    not (OFFICE and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice (soffice) or poppler-utils missing: document rendering not checked",
)


def to_pdf(document: Path, *, fontconfig: bool = True) -> Path:
    """Convert with a private LibreOffice profile, so parallel runs do not share a lock.
    `fontconfig=False` renders as a plain LibreOffice would, without our font aliases."""
    outdir = document.parent
    profile = Path(tempfile.gettempdir()) / f"weijian-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                OFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(document),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=_environment(fontconfig),
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (document.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not produce {pdf.name}"
    return pdf


def _environment(fontconfig: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    if fontconfig:
        env["FONTCONFIG_FILE"] = str(FONTCONFIG)
    return env


def blank_fractions(pngs: list[Path]) -> list[float]:
    """For each page image: the share of the A4 text block (37 mm top, 35 mm bottom, 28/26 mm
    sides) left empty below its last line of ink."""
    from PIL import Image

    fractions = []
    for path in pngs:
        image = Image.open(path).convert("L")
        width, height = image.size
        top, bottom = round(height * 37 / 297), round(height * 262 / 297)
        left, right = round(width * 28 / 210), round(width * 184 / 210)
        pixels, last = image.load(), top
        for y in range(top, bottom):
            if any(pixels[x, y] < 200 for x in range(left, right, 2)):
                last = y
        fractions.append((bottom - last) / (bottom - top))
    return fractions


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fonts(pdf: Path) -> set[str]:
    """Names of the fonts embedded in the PDF (subset prefixes removed)."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    names = set()
    for line in out.stdout.splitlines()[2:]:
        name = line.split()[0]
        names.add(name.split("+", 1)[-1])
    return names


def to_pngs(pdf: Path, *, dpi: int = 60) -> list[Path]:
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120
    )
    return sorted(pdf.parent.glob(prefix.name + "-*.png"))


def squeezed(text: str) -> str:
    """Text without whitespace: pdftotext spaces CJK from Latin ("12 号") and wraps lines, so
    tests look for phrases in this form."""
    return "".join(text.split())
