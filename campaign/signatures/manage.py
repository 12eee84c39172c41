"""What a signer can do with their own signature, from the private link in their confirmation
email and page: hide their name, stop updates, withdraw while the campaign is open, or erase
everything. The link's token is the confirmation's (random, stored hashed): it proves the
mailbox, so no second confirmation is asked. Services flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select, update

from campaign.campaigns.services import signing_state
from campaign.extensions import db
from campaign.security import hash_token
from campaign.signatures.erasure import erase_person
from campaign.signatures.models import Signature, SignatureStatus, Supporter

ACTIONS = ("hide", "stop_updates", "withdraw", "erase")


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


def hide_name(signature: Signature) -> None:
    signature.is_name_public = False
    db.session.flush()


def stop_updates(signature: Signature) -> None:
    """No more updates from this campaign; the address goes too, unless another campaign's
    updates still need it."""
    signature.wants_updates, signature.email = False, None
    db.session.flush()
    _forget_address_unless_needed(signature.email_hash)


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
