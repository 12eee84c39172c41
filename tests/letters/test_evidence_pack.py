"""The evidence pack, downloaded by the letter's participants only or written by the command, and
the signer's receipt, checked on its page, by ``flask verify-receipt`` and against the pack."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Delivery
from campaign.security import hash_token
from campaign.signatures.models import Signature
from tests.letters.conftest import post
from tests.letters.test_evidence import QUEUED_REPLY, add_signatures, opened, reference_record, reference_root

TOKEN = "receipt-token-of-signer-three"


def delivered(world, campaign, drain, smtp_server, monkeypatch, signers=5):
    """The world's letter tied to the campaign (``signers`` confirmed), delivered; its signers' ids."""
    monkeypatch.setattr(smtp_server.handler, "accepted", QUEUED_REPLY)
    ids = add_signatures(campaign.id, ["KZ"] * signers)
    db.session.get(Signature, ids[3]).token_hash = hash_token(TOKEN)
    world.letter.campaign_id = campaign.id
    letter = opened(world)
    deliver_letter(letter.id)
    drain()
    return ids


def unzip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def pdf_text(archive: zipfile.ZipFile) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("evidence.pdf"))).pages)


def png() -> io.BytesIO:
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(picture, "PNG")
    picture.seek(0)
    return picture


def test_participants_download_a_pack_whose_texts_hashes_root_and_replies_check_out(
    app, world, campaign, drain, smtp_server, monkeypatch, as_user
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)

    response = as_user("partner_editor").get("/en/letters/test-letter/evidence.zip")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = unzip(response.data)
    assert sorted(archive.namelist()) == ["evidence.pdf", "manifest.json", "texts/en.txt", "texts/ru.txt"]
    manifest = json.loads(archive.read("manifest.json"))
    for text in manifest["texts"]:
        content = archive.read(text["file"])
        assert hashlib.sha256(content).hexdigest() == text["sha256"]
        title, body = content.decode().split("\n\n", 1)
        assert hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest() == text["sha256"]
    [signatory] = manifest["signatories"]
    assert signatory["hashes"] == {text["lang"]: text["sha256"] for text in manifest["texts"]}
    [delivery] = manifest["deliveries"]
    assert delivery["smtp_reply"] == QUEUED_REPLY
    assert delivery["accepted_at"] and delivery["message_id"] and delivery["attempts"] == 1
    tied = manifest["campaign"]
    signatures = db.session.query(Signature).order_by(Signature.confirmed_at, Signature.id).all()
    records = [reference_record(app, campaign.id, s.email_hash, s.confirmed_at) for s in signatures]
    assert tied["merkle_root"] == reference_root(records)
    assert tied["confirmed_count"] == 5
    assert tied["countries"] == {"other": 5}  # five is under COUNTRY_COUNT_MIN
    pdf_text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(archive.read("evidence.pdf"))).pages
    )
    assert "4F2B1C3D9E" in pdf_text
    assert tied["merkle_root"][:16] in pdf_text.replace("\n", "")
    assert not any("signer" in str(value) for value in tied.values())


def test_the_pack_holds_a_hand_delivery_with_its_receipt_and_the_outcomes_dated_history(
    world, campaign, drain, smtp_server, monkeypatch, as_user
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)
    delivery_id = db.session.scalar(select(Delivery.id))
    url = f"/en/letters/test-letter/deliveries/{delivery_id}"
    handed = post(
        as_user("partner_editor"),
        f"{url}/handed",
        channel="hand",
        delivered_on="2026-11-20",
        by_whom="Aigerim",
        place="Akorda reception, Astana",
        tracking="RA123456789KZ",
        note="a private remark",
        scan=(png(), "receipt.png"),
    )
    assert handed.status_code == 303
    acknowledged = post(
        as_user("coord_owner"),
        f"{url}/outcome",
        outcome="acknowledged",
        occurred_on="2026-11-25",
        registration_number="ЖТ-2026-77",
    )
    assert acknowledged.status_code == 303

    archive = unzip(as_user("partner_editor").get("/en/letters/test-letter/evidence.zip").data)

    manifest = json.loads(archive.read("manifest.json"))
    [delivery] = manifest["deliveries"]
    [by_hand] = delivery["by_hand_or_post"]
    assert by_hand["channel"] == "hand" and by_hand["delivered_on"] == "2026-11-20"
    assert (by_hand["by"], by_hand["place"], by_hand["tracking"]) == (
        "Aigerim",
        "Akorda reception, Astana",
        "RA123456789KZ",
    )
    assert by_hand["recorded_by"] == "Partner Org"
    receipt = by_hand["receipt"]
    assert re.fullmatch(r"receipts/\d+\.jpg", receipt["file"])
    content = archive.read(receipt["file"])
    assert content.startswith(b"\xff\xd8")
    assert hashlib.sha256(content).hexdigest() == receipt["sha256"]
    follow_up = delivery["follow_up"]
    assert follow_up["status"] == "acknowledged"
    assert follow_up["registration_number"] == "ЖТ-2026-77" and follow_up["is_registration_public"] is False
    assert [(entry["kind"], entry["organisation"]) for entry in follow_up["history"]] == [
        ("handed", "Partner Org"),
        ("outcome", "Coord Org"),
    ]
    assert all(entry["at"].endswith("Z") for entry in follow_up["history"])
    assert follow_up["history"][1]["details"] == {
        "outcome": "acknowledged",
        "on": "2026-11-25",
        "registration_number": "ЖТ-2026-77",
    }
    assert follow_up["due_at"].startswith("2026-12-20")  # thirty days from the hand delivery
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"a private remark" not in everything
    text = pdf_text(archive)
    assert "a private remark" not in text
    assert "RA123456789KZ" in text and "ЖТ-2026-77" in text and receipt["sha256"][:16] in text


def test_the_pdf_names_statuses_and_channels_in_the_packs_language_never_by_stored_value(
    world, campaign, drain, smtp_server, monkeypatch, as_user
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)
    delivery_id = db.session.scalar(select(Delivery.id))
    post(
        as_user("coord_owner"),
        f"/en/letters/test-letter/deliveries/{delivery_id}/handed",
        channel="post",
        delivered_on="2026-11-20",
        by_whom="Kazpost",
    )

    text = pdf_text(unzip(as_user("coord_owner").get("/ru/letters/test-letter/evidence.zip").data))

    assert "Статус: Отправлено" in text
    assert "Способ: Электронная почта" in text and "Способ: Почтой" in text
    assert "Итог: Ожидает ответа" in text and "Личные заметки организаций в пакет не входят." in text
    assert re.search(r"\b(sent|email|post|awaiting|handed)\b", text) is None


def test_another_partner_and_anonymous_visitors_get_no_pack(
    world, campaign, drain, smtp_server, monkeypatch, as_user
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)

    assert as_user("outsider").get("/en/letters/test-letter/evidence.zip").status_code == 404
    anonymous = as_user("anonymous").get("/en/letters/test-letter/evidence.zip")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]


def test_an_undelivered_letter_has_no_pack(world, as_user):
    assert as_user("coord_owner").get("/en/letters/test-letter/evidence.zip").status_code == 404


def test_the_command_writes_the_pack(app, world, campaign, drain, smtp_server, monkeypatch, tmp_path):
    delivered(world, campaign, drain, smtp_server, monkeypatch)
    output = tmp_path / "pack.zip"

    result = app.test_cli_runner().invoke(args=["evidence-pack", "test-letter", "--output", str(output)])

    assert result.exit_code == 0, result.output
    manifest = json.loads(unzip(output.read_bytes()).read("manifest.json"))
    assert manifest["letter"]["slug"] == "test-letter"
    missing = app.test_cli_runner().invoke(args=["evidence-pack", "no-such", "--output", str(output)])
    assert missing.exit_code != 0 and "no letter" in missing.output


def test_a_signer_checks_their_receipt_on_its_page_by_the_command_and_against_the_pack(
    app, world, campaign, drain, smtp_server, monkeypatch, client, as_user, tmp_path
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)

    page = client.get(f"/en/manage/{TOKEN}/receipt")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Verified" in html
    assert "Signer" not in html and "@example.org" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in page.headers
    receipt = client.get(f"/en/manage/{TOKEN}/receipt/test-letter.json").get_json()
    assert receipt["position"] == 3 and receipt["leaf_count"] == 5

    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(json.dumps(receipt))
    pack_file = tmp_path / "pack.zip"
    pack_file.write_bytes(as_user("coord_owner").get("/en/letters/test-letter/evidence.zip").data)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["verify-receipt", str(receipt_file), "--pack", str(pack_file)])
    assert ok.exit_code == 0, ok.output
    assert "verified" in ok.output

    tampered = dict(receipt, record=receipt["record"].replace("|", "|1"))
    receipt_file.write_text(json.dumps(tampered))
    refused = runner.invoke(args=["verify-receipt", str(receipt_file)])
    assert refused.exit_code != 0 and "not the hash of the record" in refused.output
    forged_path = [dict(receipt["path"][0], hash="00" * 32), *receipt["path"][1:]]
    receipt_file.write_text(json.dumps(dict(receipt, path=forged_path)))
    refused = runner.invoke(args=["verify-receipt", str(receipt_file)])
    assert refused.exit_code != 0 and "does not lead from the leaf to the root" in refused.output
    receipt_file.write_text("not json")
    assert runner.invoke(args=["verify-receipt", str(receipt_file)]).exit_code != 0


def test_a_receipt_link_that_is_wrong_or_not_yet_covered(world, campaign, client):
    assert client.get("/en/manage/unknown/receipt").status_code == 404
    assert client.get("/en/manage/unknown/receipt/test-letter.json").status_code == 404
    ids = add_signatures(campaign.id, ["KZ"])
    db.session.get(Signature, ids[0]).token_hash = hash_token(TOKEN)
    db.session.commit()
    page = client.get(f"/en/manage/{TOKEN}/receipt")
    assert page.status_code == 200
    assert "No letter carrying this campaign" in page.get_data(as_text=True)


def test_the_public_page_and_api_show_the_root_and_the_count_it_covers(
    world, campaign, drain, smtp_server, monkeypatch, client
):
    delivered(world, campaign, drain, smtp_server, monkeypatch)
    api = client.get("/api/v1/letters/test-letter").get_json()
    evidence = api["evidence"]
    assert evidence["signature_count"] == 5 and len(evidence["merkle_root"]) == 64
    html = client.get("/en/letters/test-letter").get_data(as_text=True)
    assert evidence["merkle_root"] in html
    assert "5 confirmed signatures" in html
