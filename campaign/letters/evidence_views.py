"""The evidence pack's download, for the letter's participants, and the signer's private receipt.

The receipt page is reached through the signer's private link (the confirmation's token, as the
manage page is): it shows their leaf, its Merkle path and the published root, and says whether
the path leads to that root, checked on the server from the path alone (no JavaScript). Its
``receipt.json`` is what ``flask verify-receipt`` and docs/evidence.md check offline.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import IO

from flask import Blueprint, Response, g, render_template

from campaign.accounts.access import forbid
from campaign.letters.access import load
from campaign.letters.evidence import receipts
from campaign.letters.pack import is_packable, write_pack
from campaign.signatures import manage

bp = Blueprint("letter_evidence", __name__, url_prefix="/<lang>/letters")
receipts_bp = Blueprint("receipts", __name__)

#: how much of a pack is built in memory before it moves to a temporary file
SPOOL_BYTES = 8 * 1024 * 1024


@bp.get("/<slug>/evidence.zip")
def pack(slug: str) -> Response:
    access = load(slug, "can_view")
    if not is_packable(access.letter):
        forbid()
    # scans make a pack large: past a few megabytes it is built on disk, not in the worker's memory
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - _stream closes it
    write_pack(access.letter, g.lang, spool)
    size = spool.tell()
    spool.seek(0)
    response = Response(_stream(spool), mimetype="application/zip")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="evidence-{access.letter.slug}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _stream(spool: IO[bytes]) -> Iterator[bytes]:
    """The file in chunks, closed once sent (or once the server drops the response)."""
    with spool:
        while chunk := spool.read(1 << 16):
            yield chunk


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@receipts_bp.get("/<lang>/manage/<token>/receipt")
def receipt(token: str) -> Response:
    signature = manage.find(token)
    if signature is None:
        return _private(Response(render_template("signatures/manage_invalid.html"), 404))
    campaign = signature.campaign
    page = render_template(
        "signatures/receipt.html",
        signature=signature,
        campaign=campaign,
        text=campaign.text(g.lang)[0],
        receipts=receipts(signature.id),
        token=token,
    )
    return _private(Response(page))


@receipts_bp.get("/<lang>/manage/<token>/receipt/<slug>.json")
def receipt_file(token: str, slug: str) -> Response:
    signature = manage.find(token)
    found = [r for r in receipts(signature.id) if r.letter.slug == slug] if signature else []
    if not found:
        missing = json.dumps({"error": "not found", "status": 404})
        return _private(Response(missing, 404, mimetype="application/json"))
    response = Response(json.dumps(found[0].as_json(), indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="receipt-{slug}.json"'
    return _private(response)
