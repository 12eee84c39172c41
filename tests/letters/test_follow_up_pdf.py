"""An office's answer or a postal receipt uploaded as a PDF: checked by pypdf, stored without
anything that could run, and handed out only as a download to whoever may see the scan."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from campaign.letters import scans
from tests.conftest import csrf_token
from tests.letters.conftest import post
from tests.letters.test_follow_up import delivered, follow_up_of, follow_up_url  # noqa: F401

TEXT = b"Your appeal was registered"
#: what no stored PDF may contain: scripts, actions, forms, embedded files
ACTIVE = (b"alert", b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch", b"/AcroForm", b"/Embedded")


def _name(value: str) -> NameObject:
    return NameObject(value)


def _script(writer: PdfWriter, code: str):
    return writer._add_object(
        DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject(code)})
    )


def pdf(*, hostile: bool = False, pages: int = 1, password: str | None = None) -> bytes:
    """A small PDF with a line of text on each page; ``hostile`` adds JavaScript on opening (and
    in the name tree, on the page, in a form field), a link that launches a program and an
    embedded executable."""
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(300, 200)
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 20 100 Td (" + TEXT + b") Tj ET")
        page[_name("/Contents")] = writer._add_object(content)
        page[_name("/Resources")] = DictionaryObject(
            {
                _name("/Font"): DictionaryObject(
                    {
                        _name("/F1"): DictionaryObject(
                            {
                                _name("/Type"): _name("/Font"),
                                _name("/Subtype"): _name("/Type1"),
                                _name("/BaseFont"): _name("/Helvetica"),
                            }
                        )
                    }
                )
            }
        )
    if hostile:
        page = writer.pages[0]
        box = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(40), NumberObject(40)])
        field = writer._add_object(
            DictionaryObject(
                {
                    _name("/FT"): _name("/Tx"),
                    _name("/T"): TextStringObject("name"),
                    _name("/AA"): DictionaryObject({_name("/K"): _script(writer, "app.alert('field')")}),
                }
            )
        )
        launch = DictionaryObject({_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe")})
        page[_name("/AA")] = DictionaryObject({_name("/O"): _script(writer, "app.alert('page')")})
        page[_name("/Annots")] = ArrayObject(
            [
                writer._add_object(
                    DictionaryObject(
                        {
                            _name("/Type"): _name("/Annot"),
                            _name("/Subtype"): _name(subtype),
                            _name("/Rect"): box,
                            **extra,
                        }
                    )
                )
                for subtype, extra in (
                    ("/Link", {_name("/A"): launch}),
                    ("/Widget", {_name("/Parent"): field}),
                    ("/FileAttachment", {}),
                )
            ]
        )
        root = writer._root_object
        root[_name("/OpenAction")] = _script(writer, "app.alert('open')")
        root[_name("/AcroForm")] = DictionaryObject({_name("/Fields"): ArrayObject([field])})
        writer.add_attachment("invoice.exe", b"MZ not a program")
        root["/Names"][_name("/JavaScript")] = DictionaryObject(
            {_name("/Names"): ArrayObject([TextStringObject("x"), _script(writer, "app.alert('named')")])}
        )
    if password is not None:
        writer.encrypt(password, "owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(http, url: str, data: bytes, name: str = "answer.pdf", **fields: str):
    fields = {"outcome": "replied", "occurred_on": "2026-12-01", **fields}
    return post(http, url, scan=(io.BytesIO(data), name), **fields)


def download(http, url: str):
    response = http.get(url)
    response.body = response.get_data()
    response.close()
    return response


def test_a_hostile_pdf_answer_is_stored_without_its_scripts_and_served_as_a_download(
    delivered,  # noqa: F811
    as_user,
    app,
):
    hostile = pdf(hostile=True)
    assert b"/OpenAction" in hostile and b"/JavaScript" in hostile and b"MZ not a program" in hostile
    coordinator = as_user("coord_owner")
    response = upload(coordinator, follow_up_url(delivered, "RU", "outcome"), hostile)
    assert response.status_code == 303

    [event] = follow_up_of(delivered, "RU").events
    assert event.scan.endswith(".pdf") and follow_up_of(delivered, "RU").response_scan == event.scan
    stored = (Path(app.instance_path) / "uploads" / "letters" / event.scan).read_bytes()
    assert [marker for marker in (*ACTIVE, b"MZ not a program") if marker in stored] == []
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1 and TEXT.decode() in reader.pages[0].extract_text()
    assert "/OpenAction" not in reader.trailer["/Root"] and "/Names" not in reader.trailer["/Root"]

    url = follow_up_url(delivered, "RU", f"scans/{event.id}.pdf")
    assert f'href="{url}"' in coordinator.get(follow_up_url(delivered, "RU")).text
    for role in ("coord_owner", "partner_editor", "staff"):
        got = download(as_user(role), url)
        assert got.status_code == 200 and got.body == stored, role
        assert got.mimetype == "application/pdf"
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert download(as_user("outsider"), url).status_code == 404
    assert download(as_user("anonymous"), url).status_code in (302, 404)
    # the picture's URL does not hand out the PDF under another type
    assert download(coordinator, url.replace(".pdf", ".jpg")).status_code == 404


def test_a_receipt_pdf_is_recorded_with_a_hand_delivery(delivered, as_user):  # noqa: F811
    response = post(
        as_user("partner_editor"),
        follow_up_url(delivered, "KZ", "handed"),
        channel="post",
        delivered_on="2026-11-20",
        by_whom="Aigerim",
        scan=(io.BytesIO(pdf(pages=2)), "receipt.pdf"),
    )
    assert response.status_code == 303
    [event] = follow_up_of(delivered, "KZ").events
    got = download(as_user("coord_owner"), follow_up_url(delivered, "KZ", f"scans/{event.id}.pdf"))
    assert got.status_code == 200 and len(PdfReader(io.BytesIO(got.body)).pages) == 2


def test_a_published_pdf_answer_is_a_download_for_the_public_only_once_published(
    delivered,  # noqa: F811
    as_user,
):
    coordinator = as_user("coord_owner")
    assert upload(coordinator, follow_up_url(delivered, "RU", "outcome"), pdf()).status_code == 303
    delivery_id = follow_up_of(delivered, "RU").delivery_id
    url = f"/en/letters/{delivered.slug}/answers/{delivery_id}.pdf"
    anonymous = as_user("anonymous")
    assert download(anonymous, url).status_code == 404

    assert post(coordinator, follow_up_url(delivered, "RU", "publication"), response="y").status_code == 303
    assert f'href="{url}"' in anonymous.get(f"/en/letters/{delivered.slug}").text
    got = download(anonymous, url)
    assert got.status_code == 200 and got.body.startswith(b"%PDF-")
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def _truncated() -> bytes:
    whole = pdf()
    return whole[: len(whole) * 2 // 3]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        pytest.param(
            _truncated(),
            "answer.pdf",
            "This PDF cannot be read: it is damaged or incomplete.",
            id="truncated",
        ),
        pytest.param(
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n",
            "answer.pdf",
            "This PDF cannot be read: it is damaged or incomplete.",
            id="no-page-tree",
        ),
        pytest.param(pdf(password=""), "answer.pdf", "This PDF is encrypted", id="encrypted-no-password"),
        pytest.param(pdf(password="s3cret"), "answer.pdf", "This PDF is encrypted", id="encrypted"),
        pytest.param(pdf(pages=0), "answer.pdf", "A PDF must have between 1 and 200 pages.", id="no-pages"),
        pytest.param(
            b"Dear sir, this is plain text.\n",
            "answer.pdf",
            "The scan must be a PDF file or a JPEG or PNG picture.",
            id="not-a-pdf",
        ),
    ],
)
def test_a_broken_encrypted_or_false_pdf_is_refused_with_a_message(
    delivered,  # noqa: F811
    as_user,
    app,
    data,
    name,
    message,
):
    stored = Path(app.instance_path) / "uploads" / "letters"
    before = set(stored.glob("*"))
    response = upload(as_user("coord_owner"), follow_up_url(delivered, "RU", "outcome"), data, name)
    assert response.status_code == 422
    assert message in response.text
    follow_up = follow_up_of(delivered, "RU")
    assert follow_up.events == [] and follow_up.outcome == "awaiting"
    assert set(stored.glob("*")) == before


def test_the_refusal_is_in_the_visitors_language(delivered, as_user):  # noqa: F811
    url = follow_up_url(delivered, "RU", "outcome").replace("/en/", "/ru/", 1)
    response = upload(as_user("coord_owner"), url, pdf(password="s3cret"))
    assert response.status_code == 422
    assert "Этот PDF зашифрован или защищён паролем." in response.text


def post_large(http, url: str, scan: bytes, **fields: str):
    """A form with a large scan, encoded in memory (the test client would spool it to a file
    that a refused request leaves open)."""
    token = http.csrf = getattr(http, "csrf", None) or csrf_token(http, "/en/account/")
    upload = FileStorage(io.BytesIO(scan), "scan.jpg")
    boundary, body = encode_multipart(MultiDict([("csrf_token", token), *fields.items(), ("scan", upload)]))
    return http.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_scan_past_the_true_limit_is_refused_on_the_form_in_the_pages_language(
    app,
    delivered,  # noqa: F811
    as_user,
):
    """The forms say 4 MB, the limit the whole request really has (MAX_CONTENT_LENGTH): a 5 MB
    scan gets the follow-up page back with the field's own message, in Russian here."""
    assert app.config["MAX_CONTENT_LENGTH"] - scans.MAX_BYTES >= 100_000  # room for the other fields
    http = as_user("coord_owner")
    url = follow_up_url(delivered, "RU").replace("/en/", "/ru/")
    assert "до 4 МБ" in http.get(url).text
    fields = {"channel": "post", "delivered_on": "2026-11-28", "by_whom": "Kazpost"}

    response = post_large(http, f"{url}/handed", b"\xff\xd8" + b"x" * 5_000_000, **fields)

    assert response.status_code == 413
    assert "Скан больше 4 МБ." in response.text
    assert 'name="by_whom"' in response.text  # the form itself, not the error page
    slightly = post_large(http, f"{url}/handed", b"x" * (scans.MAX_BYTES + 1), **fields)
    assert slightly.status_code == 422 and "Скан больше 4 МБ." in slightly.text
    assert follow_up_of(delivered, "RU").events == []
    outsider = post_large(as_user("outsider"), f"{url}/handed", b"x" * 5_000_000, **fields)
    assert outsider.status_code == 404
