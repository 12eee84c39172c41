"""Compiling the translation catalogues (``.po`` to ``.mo``): at the app's start in a checkout,
and when a wheel is built (``setup.py`` loads this file alone: it imports only Babel)."""

from __future__ import annotations

import os
from pathlib import Path


def compile_catalogues(directory: Path, into: Path | None = None) -> None:
    """Compile each ``messages.po`` whose ``.mo`` is missing or older, so no one does it by hand.

    A plural entry with any form still untranslated is left out: Babel would fill the gaps with
    the English singular ("21 signature" in Ukrainian), while gettext without the entry falls back
    to English as a whole, with English plural rules. Empty singular entries Babel leaves out.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = (into / po_path.relative_to(directory) if into else po_path).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        for message in list(catalog):
            if message.id and isinstance(message.string, tuple | list) and not all(message.string):
                catalog.delete(message.id, context=message.context)
        tmp_path = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)
