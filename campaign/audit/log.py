"""Reading the audit log: the filtered entries, and the names of the people and things they refer to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql import Select

from campaign.accounts.models import Organisation, User
from campaign.audit.labels import action_label
from campaign.audit.models import AuditEntry
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.letters.models import Letter

#: entries per page; older ones are one "older" link away
PAGE = 100


@dataclass(frozen=True)
class AuditQuery:
    campaign_id: int | None = None
    letter_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None

    def select(self) -> Select[Any]:
        query = select(AuditEntry)
        if self.campaign_id is not None:
            query = query.where(AuditEntry.campaign_id == self.campaign_id)
        if self.letter_id is not None:
            query = query.where(AuditEntry.letter_id == self.letter_id)
        if self.user_id is not None:
            query = query.where(
                (AuditEntry.user_id == self.user_id) | (AuditEntry.subject_user_id == self.user_id)
            )
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.since is not None:
            query = query.where(AuditEntry.created_at >= datetime.combine(self.since, time()))
        if self.until is not None:
            query = query.where(
                AuditEntry.created_at < datetime.combine(self.until + timedelta(days=1), time())
            )
        return query.order_by(AuditEntry.id.desc())


def page(query: AuditQuery, before: int | None = None) -> list[AuditEntry]:
    statement = query.select()
    if before is not None:
        statement = statement.where(AuditEntry.id < before)
    return list(db.session.scalars(statement.limit(PAGE)))


def every(query: AuditQuery) -> Iterator[AuditEntry]:
    """All matching entries, newest first, read in pages so a long log is not held at once."""
    before: int | None = None
    while batch := page(query, before):
        yield from batch
        before = batch[-1].id


def person_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.name or user.email


class Names:
    """The people, campaigns, letters and organisations entries mention, loaded once per page."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.users = {user.id: user for user in db.session.scalars(select(User))}
        self.campaigns = {campaign.id: campaign for campaign in db.session.scalars(select(Campaign))}
        self.letters = {letter.id: letter for letter in db.session.scalars(select(Letter))}
        self.organisations = {org.id: org for org in db.session.scalars(select(Organisation))}

    def user(self, user_id: int | None) -> str:
        return person_name(self.users.get(user_id)) if user_id is not None else ""

    def campaign(self, campaign_id: int | None) -> str:
        found = self.campaigns.get(campaign_id) if campaign_id is not None else None
        return found.text(self.lang)[0].title if found else ""

    def letter(self, letter_id: int | None) -> str:
        found = self.letters.get(letter_id) if letter_id is not None else None
        return found.slug if found else ""

    def organisation(self, organisation_id: int | None) -> str:
        found = self.organisations.get(organisation_id) if organisation_id is not None else None
        return found.name(self.lang) if found else ""

    def row(self, entry: AuditEntry) -> dict[str, Any]:
        return {
            "id": entry.id,
            "at": entry.created_at,
            "who": self.user(entry.user_id),
            "action": entry.action,
            "action_label": action_label(entry.action),
            "campaign": self.campaign(entry.campaign_id),
            "letter": self.letter(entry.letter_id),
            "organisation": self.organisation(entry.organisation_id),
            "subject": self.user(entry.subject_user_id),
            "affected": entry.affected,
            "details": entry.details or {},
        }
