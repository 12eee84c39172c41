"""Who may do what with a letter.

A user acts for one organisation in a letter: the coordinator if they belong to it, else a
partner that accepted the invitation. Drafts, comments, participants and recipients are seen
only by organisations in the letter and by staff; everyone else gets the logged 404 of
``accounts.access.forbid`` (anonymous visitors are sent to the login page first).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.accounts.access import forbid
from campaign.accounts.models import Organisation
from campaign.errors import gone
from campaign.extensions import db, login_manager
from campaign.letters.models import Letter, LetterParticipant


@dataclass(frozen=True)
class LetterAccess:
    letter: Letter
    #: the organisation the user acts for in this letter, if any
    organisation: Organisation | None
    #: the user's role in that organisation: owner, editor or signer
    role: str | None
    is_coordinator: bool
    is_staff: bool
    #: an invitation to the user's organisation, not yet accepted
    invitation: LetterParticipant | None

    @property
    def is_in_letter(self) -> bool:
        return self.organisation is not None

    @property
    def can_view(self) -> bool:
        return self.is_in_letter or self.is_staff

    @property
    def can_write(self) -> bool:
        return self.is_in_letter and self.role in ("owner", "editor")

    @property
    def can_manage(self) -> bool:
        return self.is_coordinator and self.role in ("owner", "editor")

    @property
    def can_sign(self) -> bool:
        return self.is_in_letter and self.role in ("owner", "signer")

    @property
    def can_deliver(self) -> bool:
        return self.can_manage or self.is_staff

    @property
    def can_archive(self) -> bool:
        """Staff, and the coordinator's owners and editors."""
        return self.can_manage or self.is_staff


def _require_login() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def access_for(letter: Letter) -> LetterAccess:
    memberships = {m.organisation_id: m for m in current_user.memberships}
    invitation = None
    organisation, role, is_coordinator = None, None, False
    if letter.coordinator_id in memberships:
        membership = memberships[letter.coordinator_id]
        organisation, role, is_coordinator = membership.organisation, membership.role, True
    else:
        for participant in letter.participants:
            membership = memberships.get(participant.organisation_id)
            if membership is None:
                continue
            if participant.accepted_at:
                organisation, role = membership.organisation, membership.role
                break
            invitation = invitation or participant
    return LetterAccess(
        letter=letter,
        organisation=organisation,
        role=role,
        is_coordinator=is_coordinator,
        is_staff=current_user.is_staff,
        invitation=invitation if organisation is None else None,
    )


def load(slug: str, allowed: str = "can_view") -> LetterAccess:
    """The letter and the current user's rights in it, or the login page, or a logged 404."""
    _require_login()
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug)) if len(slug) <= 80 else None
    if letter is None:
        forbid()
    access = access_for(letter)
    if not getattr(access, allowed):
        forbid()
    return access


def load_invitation(slug: str) -> LetterAccess:
    """For the invitation page: the user's organisation must be invited (accepted or not)."""
    _require_login()
    letter = db.session.scalar(select(Letter).where(Letter.slug == slug)) if len(slug) <= 80 else None
    if letter is None:
        forbid()
    access = access_for(letter)
    if access.invitation is None and not (access.is_in_letter and not access.is_coordinator):
        forbid()
    return access


def refuse_if_archived(letter: Letter) -> None:
    """An archived letter's public pages and sign-on forms answer 410 with this message."""
    if letter.is_archived:
        gone(_("This letter has been archived: it is no longer published and takes no sign-ons."))
