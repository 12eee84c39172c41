"""The unsubscribe token in every update email: signed, one salt for this one purpose.

It names a supporter and a campaign and nothing else (itsdangerous tokens are readable by
anyone who has them). It does not expire: an unsubscribe link must keep working for as long
as the email sits in a mailbox, and what it allows (stop mail, ask for erasure by email) is
harmless to repeat.
"""

from __future__ import annotations

from functools import lru_cache

from itsdangerous import BadSignature, URLSafeSerializer

from campaign.security import signing_keys

SALT = "campaign.updates.unsubscribe"


@lru_cache(maxsize=4)
def _serializer_for(keys: tuple[str, ...]) -> URLSafeSerializer:
    return URLSafeSerializer(list(keys), salt=SALT)


def _serializer() -> URLSafeSerializer:
    """One per set of keys, not one per token: a fan-out signs one token per message. Signed
    with SECRET_KEY; tokens signed with a key in SECRET_KEY_FALLBACKS still read."""
    return _serializer_for(tuple(signing_keys()))


def unsubscribe_token(supporter_id: int, campaign_id: int) -> str:
    return _serializer().dumps([supporter_id, campaign_id])


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(supporter id, campaign id), or None for a token we did not sign."""
    if len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in value)
    ):
        return None
    return value[0], value[1]
