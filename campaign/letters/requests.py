"""Sign-on requests: an organisation not on the platform asks, from the public letter page, to sign.

The request is confirmed by email (so nobody can sign a letter in another organisation's name with
an address they do not read), then the coordinator approves or declines it. Approval creates the
organisation, invites the requester as its owner (the usual invitation: password, then TOTP) and
records the sign-on bound to the frozen texts the requester was shown: if the text changed since,
that sign-on waits, pending, until the new owner confirms the new text.

Nothing here looks up existing organisations: the form answers the same whatever is typed, so it
cannot be used to learn which organisations are on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from campaign.accounts import invitations, organisations
from campaign.accounts.models import User
from campaign.extensions import db
from campaign.letters import services
from campaign.letters.models import Letter, LetterParticipant, LetterStatus, RequestStatus, SignOnRequest
from campaign.models_base import rowcount, utcnow
from campaign.outbox import queue_mail
from campaign.security import hash_token, new_token


@dataclass(frozen=True)
class RequestInput:
    organisation: str
    city: str
    country: str
    website: str
    representative: str
    title: str
    email: str


def accepts_requests(letter: Letter) -> bool:
    return letter.status == LetterStatus.OPEN and not letter.is_private and not letter.is_archived


def submit(letter: Letter, data: RequestInput, lang: str) -> SignOnRequest:
    """Record the request, bound to the texts frozen now, and mail its confirmation link."""
    if not accepts_requests(letter):
        raise services.LetterError("status")
    raw, token_hash = new_token()
    request = SignOnRequest(
        letter_id=letter.id,
        lang=lang,
        organisation=data.organisation,
        city=data.city,
        country=data.country,
        website=data.website,
        representative=data.representative,
        title=data.title,
        email=data.email.strip().lower(),
        token_hash=token_hash,
        hashes=letter.frozen_hashes(),
    )
    db.session.add(request)
    db.session.flush()
    queue_mail(
        "letter_request_confirm",
        request.email or "",
        lang,
        key=f"letter:{letter.id}:request:{request.id}",
        payload={"request_id": request.id, "token": raw},
    )
    return request


def find(raw: str) -> SignOnRequest | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(select(SignOnRequest).where(SignOnRequest.token_hash == hash_token(raw)))


def is_outdated(request: SignOnRequest) -> bool:
    """The texts frozen now are not those the requester was shown."""
    return request.hashes != request.letter.frozen_hashes()


def confirm(request: SignOnRequest) -> bool:
    """Confirm the request on the texts frozen now (the page showed them); tell the coordinator.

    Claimed with one conditional UPDATE, so a second click (or a mail scanner's) changes nothing;
    returns whether this call confirmed it.
    """
    letter = request.letter
    if not accepts_requests(letter):
        raise services.LetterError("status")
    if request.status == RequestStatus.PENDING:  # confirmed again after the text changed: bind the new texts
        request.hashes = letter.frozen_hashes()
        return False
    claimed = rowcount(
        db.session.execute(
            update(SignOnRequest)
            .where(SignOnRequest.id == request.id, SignOnRequest.status == RequestStatus.UNCONFIRMED)
            .values(status=RequestStatus.PENDING, confirmed_at=utcnow(), hashes=letter.frozen_hashes())
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(request)
    if claimed != 1:
        return False
    services.mail_members(
        "letter_request",
        letter.coordinator,
        ("owner", "editor"),
        key=f"letter:{letter.id}:request:{request.id}:coordinator",
        payload={"letter_id": letter.id, "request_id": request.id},
    )
    return True


def pending(letter: Letter) -> list[SignOnRequest]:
    return list(
        db.session.scalars(
            select(SignOnRequest)
            .where(SignOnRequest.letter_id == letter.id, SignOnRequest.status == RequestStatus.PENDING)
            .order_by(SignOnRequest.confirmed_at)
        )
    )


def approve(request: SignOnRequest, by: User) -> None:
    """Create the organisation, invite the requester as its owner, record the sign-on as seen."""
    letter = request.letter
    if request.status != RequestStatus.PENDING or letter.status != LetterStatus.OPEN:
        raise services.LetterError("status")
    organisation = organisations.create(
        organisations.Profile(
            names={request.lang: request.organisation},
            descriptions={},
            city=request.city,
            country=request.country,
            website=request.website,
        ),
        request.lang,
    )
    letter.participants.append(
        LetterParticipant(organisation=organisation, invited_by_id=by.id, accepted_at=utcnow())
    )
    services.sign_on(
        letter,
        organisation,
        None,
        services.SignOnInput(request.representative, request.title),
        hashes=dict(request.hashes),
    )
    invitations.invite(request.email or "", "owner", request.lang, organisation=organisation, invited_by=by)
    _decide(request, RequestStatus.APPROVED, by)
    request.organisation_id = organisation.id


def decline(request: SignOnRequest, by: User) -> None:
    if request.status != RequestStatus.PENDING:
        raise services.LetterError("status")
    queue_mail(
        "letter_request_declined",
        request.email or "",
        request.lang,
        key=f"letter:{request.letter_id}:request:{request.id}:declined",
        payload={"request_id": request.id},
    )
    _decide(request, RequestStatus.DECLINED, by)


def _decide(request: SignOnRequest, status: str, by: User) -> None:
    """The address has done its work (the invitation or the answer holds it until sent): erased."""
    request.status, request.decided_at, request.decided_by_id = status, utcnow(), by.id
    request.email = None
    db.session.flush()
