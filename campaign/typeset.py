"""What every PDF the app prints shares: A4, and DejaVu Sans embedded in its four styles.

DejaVu Sans (static/fonts, with its licence) covers Latin, Cyrillic with the Kazakh and Kyrgyz
letters, Armenian and Georgian, so a letter or a booklet of messages prints the same for every
reader in whatever script its text was written. Infrastructure: the letters' typesetting and the
defenders' booklet build on it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from fpdf import FPDF

FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}


def fonts_dir() -> Path:
    return Path(current_app.static_folder or "static") / "fonts"


class DocumentPDF(FPDF):
    """An A4 document with the embedded fonts loaded under :data:`FONT`."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        fonts = fonts_dir()
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(fonts / name))
