"""How the letter's statuses, channels and outcomes are named to people, in one place: the pages
(through the blueprints' context processors), the forms' choices and the evidence pack's PDF
all read these maps, so each value has one translated name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.letters.models import DeliveryStatus, LetterStatus
from campaign.letters.outcome_models import OutcomeStatus

LETTER_STATUS = {
    LetterStatus.DRAFTING: _l("Drafting"),
    LetterStatus.OPEN: _l("Open for sign-on"),
    LetterStatus.CLOSED: _l("Closed"),
    LetterStatus.DELIVERED: _l("Delivered"),
}
DELIVERY_STATUS = {
    DeliveryStatus.QUEUED: _l("Queued"),
    DeliveryStatus.SENDING: _l("Sending"),
    DeliveryStatus.SENT: _l("Sent"),
    DeliveryStatus.FAILED: _l("Failed"),
    DeliveryStatus.EXPIRED: _l("Expired"),
}
#: each outcome as a participant chooses it
OUTCOME_LABELS = {
    OutcomeStatus.AWAITING: _l("Awaiting an answer"),
    OutcomeStatus.ACKNOWLEDGED: _l("Acknowledged (registered by the office)"),
    OutcomeStatus.REPLIED: _l("Replied"),
    OutcomeStatus.REFUSED: _l("Refused"),
    OutcomeStatus.NO_ANSWER: _l("No answer"),
}
#: each status as the pages show it: an outcome, or overdue
STATUS_LABELS = {**OUTCOME_LABELS, OutcomeStatus.OVERDUE: _l("Overdue")}
#: hand and post, the channels recorded beside the email
HANDED_CHANNELS = {"hand": _l("By hand"), "post": _l("By post")}
#: every channel a letter reaches a recipient by
CHANNEL_LABELS = {"email": _l("Email"), **HANDED_CHANNELS}
