"""The signer's own page, reached by the private link in their confirmation email and page."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request

from campaign.extensions import db
from campaign.public_forms import public_form
from campaign.signatures import counts, manage

bp = Blueprint("signer", __name__)


def _invalid() -> tuple[str, int]:
    return render_template("signatures/manage_invalid.html"), 404


@bp.get("/<lang>/manage/<token>")
def page(token: str) -> tuple[str, int]:
    signature = manage.find(token)
    if signature is None:
        return _invalid()
    campaign = signature.campaign
    return (
        render_template(
            "signatures/manage.html",
            signature=signature,
            text=campaign.text(g.lang)[0],
            campaign=campaign,
            can_withdraw=manage.can_withdraw(signature),
            partner=manage.partner(signature),
            done=None,
        ),
        200,
    )


@bp.post("/<lang>/manage/<token>")
@public_form("manage")
def act(token: str) -> tuple[str, int]:
    action = request.form.get("action", "")
    if action not in manage.ACTIONS:
        abort(400)
    signature = manage.find(token)
    if signature is None:
        return _invalid()
    campaign = signature.campaign
    text = campaign.text(g.lang)[0]
    if action == "hide":
        manage.hide_name(signature)
    elif action == "stop_updates":
        manage.stop_updates(signature)
    elif action == "stop_partner":
        manage.stop_partner(signature)
    elif action == "withdraw":
        if not manage.withdraw(signature):
            db.session.rollback()
            return render_template(
                "signatures/manage_done.html", done="closed", text=text, campaign=campaign
            ), 409
    else:
        manage.erase(signature)
    db.session.commit()
    if action == "withdraw":
        counts.reconcile(campaign.id)
    if action in ("withdraw", "erase"):
        return render_template("signatures/manage_done.html", done=action, text=text, campaign=campaign), 200
    db.session.refresh(signature)
    return (
        render_template(
            "signatures/manage.html",
            signature=signature,
            text=text,
            campaign=campaign,
            can_withdraw=manage.can_withdraw(signature),
            partner=manage.partner(signature),
            done=action,
        ),
        200,
    )
