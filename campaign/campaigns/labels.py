"""Translated labels for stored codes, shared by pages and mail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.campaigns.models import CampaignStatus

CAMPAIGN_STATUS = {
    CampaignStatus.DRAFT: _l("Draft"),
    CampaignStatus.LIVE: _l("Collecting signatures"),
    CampaignStatus.CLOSED: _l("Closed"),
    CampaignStatus.WON: _l("Won"),
}
