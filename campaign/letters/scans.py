"""The scans participants attach to a follow-up (the office's answer, a postal receipt): a picture,
re-encoded as JPEG by :func:`campaign.paper.services.save_scan`, or a PDF, since an office's reply
usually arrives as one.

A PDF is accepted only if pypdf parses it, it is complete (ends in ``%%EOF``), has pages and is
not encrypted; it is then rewritten page by page, so that nothing of the document's catalogue
survives (its ``/OpenAction``, document JavaScript, embedded files, forms, metadata), and each
page is disarmed first: its own actions, annotations that carry files or media, and every action
but a jump inside the document are removed. What is stored can be read, never run.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject
from werkzeug.datastructures import FileStorage

from campaign.layout import stored_files
from campaign.paper.services import ScanError, save_scan

PDF_SUFFIX, JPEG_SUFFIX = ".pdf", ".jpg"
#: an answer or a receipt is a few pages; this bounds the work one upload can ask for
MAX_PDF_PAGES = 200
#: the largest scan, in MB as the forms say it: the whole request must stay under the app's
#: MAX_CONTENT_LENGTH (4 MiB), with room for the form's other fields (an answer's text among them)
MAX_MB = 4
MAX_BYTES = MAX_MB * 1000 * 1000
#: keys that run something or carry something in (JavaScript, actions on open, close, focus…,
#: embedded files) or describe the author (metadata), removed from every dictionary on a page
_DROPPED_KEYS = (
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EmbeddedFiles",
    "/EF",
    "/Metadata",
    "/PieceInfo",
)
#: annotations that embed a file, a sound, a film or an interactive 3D or media player
_DROPPED_ANNOTATIONS = ("/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D")
#: the one action kept: a jump to another page of the same document
_SAFE_ACTIONS = ("/GoTo",)


def scan_dir() -> Path:
    """Where the follow-ups' scans are stored: uploads/letters under FILES_PATH."""
    return stored_files("uploads", "letters")


def save(upload: FileStorage, directory: Path) -> str:
    """Store the upload (a PDF, or a JPEG or PNG picture) under a random name in ``directory``;
    the name's suffix says which. Raises :class:`ScanError` with the reason it is refused."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ScanError("too-large")
    if not data.lstrip(b" \t\r\n\f\x00").startswith(b"%PDF-"):
        return save_scan(FileStorage(io.BytesIO(data)), directory)
    name = secrets.token_hex(16) + PDF_SUFFIX
    (directory / name).write_bytes(clean_pdf(data))
    return name


def clean_pdf(data: bytes) -> bytes:
    """The PDF rewritten without active content, or :class:`ScanError`: "pdf-broken" (it does
    not parse, or was cut short), "pdf-encrypted", "pdf-pages" (none, or more than the limit)."""
    if b"%%EOF" not in data[-1024:]:
        raise ScanError("pdf-broken")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # pypdf reads hostile bytes: any error it raises means "broken"
        raise ScanError("pdf-broken") from error
    if encrypted:
        raise ScanError("pdf-encrypted")
    if not 1 <= pages <= MAX_PDF_PAGES:
        raise ScanError("pdf-pages")
    try:
        writer = PdfWriter()
        for page in reader.pages:
            _disarm(page)
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
    except Exception as error:  # as above: a page pypdf cannot copy is a broken file
        raise ScanError("pdf-broken") from error
    return output.getvalue()


def _disarm(page: DictionaryObject) -> None:
    """Remove from the page, and from everything it reaches, what could run or carry a file.

    The walk does not climb to a parent (``/Parent``, ``/P``): the page tree is rebuilt by the
    writer, and a form field's parent (where its scripts live) is cut from its widget.
    """
    seen: set[int] = set()
    stack: list[PdfObject] = [page]
    while stack:
        found = stack.pop()
        node = found.get_object() if isinstance(found, IndirectObject) else found
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ArrayObject):
            stack.extend(node)
            continue
        if not isinstance(node, DictionaryObject):
            continue
        for key in (*_DROPPED_KEYS, "/Parent") if node is not page else _DROPPED_KEYS:
            node.pop(NameObject(key), None)
        action = node.get("/A")
        if action is not None and not _is_safe(action.get_object()):
            del node[NameObject("/A")]
        if "/Annots" in node:
            annotations = node["/Annots"].get_object()
            if isinstance(annotations, ArrayObject):
                node[NameObject("/Annots")] = ArrayObject(
                    annotation
                    for annotation in annotations
                    if isinstance(annotation.get_object(), DictionaryObject)
                    and annotation.get_object().get("/Subtype") not in _DROPPED_ANNOTATIONS
                )
        stack.extend(value for key, value in node.items() if key not in ("/Parent", "/P"))


def _is_safe(action: PdfObject) -> bool:
    return (
        isinstance(action, DictionaryObject) and action.get("/S") in _SAFE_ACTIONS and "/Next" not in action
    )
