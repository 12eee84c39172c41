"""What a signer can do with their own signature, from the private link in their confirmation
email and page: hide their name, stop updates, withdraw the partner's permission to contact
them, withdraw while the campaign is open, or erase everything. The link's token is the
confirmation's (random, stored hashed): it proves the mailbox, so no second confirmation is asked.
Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select, update

from campaign.accounts.models import Organisation
from campaign.campaigns.services import signing_state
from campaign.extensions import db
from campaign.models_base import utcnow
from campaign.security import hash_token
from campaign.signatures.erasure import erase_person
from campaign.signatures.models import Signature, SignatureStatus, Supporter

ACTIONS = ("hide", "stop_updates", "stop_partner", "withdraw", "erase")


def find(token: str) -> Signature | None:
    if len(token) > 100:
        return None
    return db.session.scalar(select(Signature).where(Signature.token_hash == hash_token(token)))


def can_withdraw(signature: Signature) -> bool:
    state = signing_state(signature.campaign.slug)
    return (
        signature.status in (SignatureStatus.CONFIRMED, SignatureStatus.HELD)
        and state is not None
        and state.is_open
    )


def partner(signature: Signature) -> Organisation | None:
    """The partner organisation whose link the signer came through, if any."""
    if signature.source is None:
        return None
    return db.session.scalar(select(Organisation).where(Organisation.slug == signature.source))


def hide_name(signature: Signature) -> None:
    signature.is_name_public = False
    db.session.flush()


def stop_updates(signature: Signature) -> None:
    """No more updates from this campaign; the address goes too, unless the partner the signer
    came through may still contact them (a consent of its own), or another campaign's updates
    still need it."""
    if signature.wants_updates:
        signature.updates_stopped_at = utcnow()
    signature.wants_updates = False
    if not signature.partner_may_contact:
        signature.email = None
    db.session.flush()
    _forget_address_unless_needed(signature.email_hash)


def stop_partner(signature: Signature) -> None:
    """The partner the signer came through may no longer contact them: its exports leave them
    out, and the address goes unless the campaign's updates still need it."""
    signature.partner_may_contact = False
    if not signature.wants_updates:
        signature.email = None
    db.session.flush()


def _forget_address_unless_needed(email_hash: str) -> None:
    still_wanted = exists().where(
        Signature.email_hash == email_hash,
        Signature.wants_updates.is_(True),
        Signature.email.is_not(None),
    )
    db.session.execute(
        update(Supporter)
        .where(Supporter.email_hash == email_hash, ~still_wanted)
        .values(email=None)
        .execution_options(synchronize_session=False)
    )


def withdraw(signature: Signature) -> bool:
    """Remove the signature while its campaign is open: it stops counting, and nothing of it is
    kept, so its signer may sign again. False when the campaign no longer takes signatures."""
    if not can_withdraw(signature):
        return False
    email_hash = signature.email_hash
    db.session.execute(delete(Signature).where(Signature.id == signature.id))
    db.session.flush()
    _forget_address_unless_needed(email_hash)
    return True


def erase(signature: Signature) -> None:
    """Everything held about the signer, on every campaign (campaign.signatures.erasure)."""
    erase_person(signature.email_hash)
