"""What a delivered letter can prove about the campaign tied to it: a Merkle root over that
campaign's confirmed signatures at delivery time, the count it covers, the counts per country.

Delivery queues one :class:`LetterEvidence` row; a job (:func:`build_evidence`) reads the
signatures in pages of EVIDENCE_BATCH_ROWS, in (confirmed_at, id) order, writes one
:class:`EvidenceLeaf` per signature and feeds :class:`campaign.merkle.RootBuilder`, so memory
stays flat however large the campaign. A leaf is built from keyed hashes and times only:

    record = HMAC(IDENTITY_KEY / "evidence-leaf", "<campaign id>:<email hash>") "|" confirmed_at

(the time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``); it names nobody and, without the key, cannot be
matched with any address. The stored leaves and block roots give each signer's inclusion path
(their receipt) without reading the whole campaign again. docs/evidence.md is the public account.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, delete, insert, select, tuple_
from sqlalchemy.orm import Mapped, mapped_column

from campaign import jobclaims, merkle
from campaign.extensions import db
from campaign.jobs import enqueue_after_commit
from campaign.letters.models import Letter
from campaign.models_base import Model, utcnow
from campaign.security import keyed_hasher
from campaign.signatures import counts
from campaign.signatures.models import Signature

log = logging.getLogger(__name__)

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class LetterEvidence(Model):
    """The tied campaign's signatures as they stood when the letter was delivered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    #: signatures confirmed up to this time are covered: the letter's delivery
    as_of: Mapped[datetime]
    #: queued, running (its job's claim), done
    status: Mapped[str] = mapped_column(String(10), default=jobclaims.JobStatus.QUEUED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: hex SHA-256 Merkle root, and how many leaves (confirmed signatures) it covers
    root: Mapped[str | None] = mapped_column(String(64))
    leaf_count: Mapped[int | None]
    #: confirmed signatures per country, those under COUNTRY_COUNT_MIN summed in "other"
    countries: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    #: the roots of each block of merkle.BLOCK leaves, concatenated (32 bytes each)
    block_roots: Mapped[bytes | None] = mapped_column(LargeBinary)

    @property
    def is_done(self) -> bool:
        return self.status == jobclaims.JobStatus.DONE

    def blocks(self) -> list[bytes]:
        data = self.block_roots or b""
        return [data[i : i + 32] for i in range(0, len(data), 32)]


class EvidenceLeaf(Model):
    """One confirmed signature's leaf, at its position in the tree."""

    __table_args__ = (Index("ix_evidence_leaf_signature_id", "signature_id"),)

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("letter_evidence.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: the signature it stands for, so its signer finds their receipt; None once it is erased
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signature.id", ondelete="SET NULL"))
    #: the record hashed (keyed hash | time), and the leaf hash itself
    record: Mapped[str] = mapped_column(String(100))
    leaf: Mapped[bytes] = mapped_column(LargeBinary(32))


def start(letter: Letter) -> None:
    """At delivery: queue the evidence of the campaign the letter is tied to (once)."""
    if letter.campaign_id is None:
        return
    if db.session.scalar(select(LetterEvidence.id).where(LetterEvidence.letter_id == letter.id)):
        return
    evidence = LetterEvidence(
        letter_id=letter.id, campaign_id=letter.campaign_id, as_of=letter.delivered_at or utcnow()
    )
    db.session.add(evidence)
    db.session.flush()
    enqueue_after_commit("evidence", evidence.id)


class _ClaimLost(Exception):
    """A newer run took the evidence over (this one's worker looked dead)."""


def build_evidence(evidence_id: int) -> None:
    """Job: the Merkle root and counts over the campaign's confirmed signatures at ``as_of``.

    Resumable as exports are (:mod:`campaign.jobclaims`): a run that takes over a dead one's
    claim deletes the leaves it had written and starts again.
    """
    claimed_at = jobclaims.claim(LetterEvidence, evidence_id)
    if claimed_at is None:
        return
    evidence = db.session.get(LetterEvidence, evidence_id)
    assert evidence is not None
    try:
        _build(evidence, claimed_at)
    except _ClaimLost:
        db.session.rollback()
        log.info("evidence %s was taken over by a newer run", evidence_id)


def _build(evidence: LetterEvidence, claimed_at: datetime) -> None:
    evidence_id, campaign_id, as_of = evidence.id, evidence.campaign_id, evidence.as_of
    db.session.execute(delete(EvidenceLeaf).where(EvidenceLeaf.evidence_id == evidence_id))
    db.session.commit()
    builder = merkle.RootBuilder()
    by_country: dict[str, int] = {}
    hashed = keyed_hasher("evidence-leaf")
    batch_rows = int(current_app.config["EVIDENCE_BATCH_ROWS"])
    query = (
        select(Signature.id, Signature.email_hash, Signature.confirmed_at, Signature.country)
        .where(
            Signature.campaign_id == campaign_id,
            Signature.is_counted,
            Signature.confirmed_at <= as_of,
        )
        .order_by(Signature.confirmed_at, Signature.id)
        .limit(batch_rows)
    )
    after: tuple[datetime, int] | None = None
    while campaign_id is not None:
        # the bare bound on confirmed_at is what an index on (campaign_id, confirmed_at) can seek
        # to; the row comparison alone had PostgreSQL scan every earlier row again on each page
        page = (
            query
            if after is None
            else query.where(
                Signature.confirmed_at >= after[0], tuple_(Signature.confirmed_at, Signature.id) > after
            )
        )
        rows = db.session.execute(page).all()
        if not rows:
            break
        leaves = []
        for signature_id, email_hash, confirmed_at, country in rows:
            record = f"{hashed(f'{campaign_id}:{email_hash}')}|{confirmed_at:{TIME_FORMAT}}"
            leaf = merkle.leaf_hash(record.encode())
            leaves.append((evidence_id, builder.count, signature_id, record, leaf))
            builder.add(leaf)
            by_country[country] = by_country.get(country, 0) + 1
        _write(leaves)
        after = (rows[-1].confirmed_at, rows[-1].id)
        if not jobclaims.beat(LetterEvidence, evidence_id, claimed_at):
            raise _ClaimLost
        db.session.commit()
    finished = jobclaims.beat(
        LetterEvidence,
        evidence_id,
        claimed_at,
        status=jobclaims.JobStatus.DONE,
        finished_at=utcnow(),
        root=builder.root().hex(),
        leaf_count=builder.count,
        countries=counts.group_small_countries(by_country, current_app.config["COUNTRY_COUNT_MIN"]),
        block_roots=b"".join(builder.block_roots()),
    )
    if not finished:
        raise _ClaimLost
    db.session.commit()


_LEAF_COLUMNS = ("evidence_id", "position", "signature_id", "record", "leaf")


def _write(leaves: list[tuple[int, int, int, str, bytes]]) -> None:
    """One page of leaves, in the job's transaction: PostgreSQL's COPY (an executemany of the
    same rows made the whole job twice as slow), a plain insert elsewhere."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        rows = [dict(zip(_LEAF_COLUMNS, row, strict=True)) for row in leaves]
        connection.execute(insert(EvidenceLeaf), rows)
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    statement = f"COPY evidence_leaf ({', '.join(_LEAF_COLUMNS)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in leaves:
            copy.write_row(row)


def for_letter(letter_id: int) -> LetterEvidence | None:
    return db.session.scalar(select(LetterEvidence).where(LetterEvidence.letter_id == letter_id))


@dataclass(frozen=True)
class Receipt:
    """One signer's proof of inclusion in one delivered letter's root."""

    letter: Letter
    evidence: LetterEvidence
    position: int
    record: str
    leaf: bytes
    path: list[merkle.Step]

    @property
    def verifies(self) -> bool:
        """Recomputed from the leaf and the path alone, against the root the letter publishes."""
        return (
            self.evidence.root is not None and merkle.climb(self.leaf, self.path).hex() == self.evidence.root
        )

    def as_json(self) -> dict[str, object]:
        """The receipt file, what ``flask verify-receipt`` and docs/verify_receipt.py check."""
        return {
            "letter": self.letter.slug,
            "root": self.evidence.root,
            "leaf_count": self.evidence.leaf_count,
            "position": self.position,
            "record": self.record,
            "leaf": self.leaf.hex(),
            "path": [{"side": step.side, "hash": step.sibling.hex()} for step in self.path],
        }


def receipts(signature_id: int) -> list[Receipt]:
    """The receipts of one signature, in every delivered letter whose root covers it."""
    found = []
    rows = db.session.execute(
        select(EvidenceLeaf, LetterEvidence)
        .join(LetterEvidence, LetterEvidence.id == EvidenceLeaf.evidence_id)
        .where(EvidenceLeaf.signature_id == signature_id, LetterEvidence.status == jobclaims.JobStatus.DONE)
        .order_by(LetterEvidence.as_of)
    ).all()
    for leaf, evidence in rows:
        start_at = leaf.position - leaf.position % merkle.BLOCK
        block = db.session.scalars(
            select(EvidenceLeaf.leaf)
            .where(
                EvidenceLeaf.evidence_id == evidence.id,
                EvidenceLeaf.position >= start_at,
                EvidenceLeaf.position < start_at + merkle.BLOCK,
            )
            .order_by(EvidenceLeaf.position)
        ).all()
        letter = db.session.get(Letter, evidence.letter_id)
        assert letter is not None
        path = merkle.inclusion_path(block, evidence.blocks(), leaf.position)
        found.append(Receipt(letter, evidence, leaf.position, leaf.record, leaf.leaf, path))
    return found
