"""``flask send-update SLUG --subject TEXT --body-file FILE [--lang xx]`` (DESIGN.md section 4)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.updates import services
from campaign.updates.models import SUBJECT_MAX
from campaign.updates.personal import unknown_tokens


@click.command("send-update")
@click.argument("slug")
@click.option("--subject", required=True, help="The subject line.")
@click.option(
    "--body-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A Markdown file with the body.",
)
@click.option("--lang", default=None, help="The language it is written in (default: the campaign's).")
@with_appcontext
def send_update_command(slug: str, subject: str, body_file: Path, lang: str | None) -> None:
    """Send one update to the campaign's opted-in, confirmed, subscribed supporters.

    As the dashboard's send button does; running it again with the same text sends nothing twice.
    """
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise click.BadParameter(f"no campaign with the slug {slug!r}", param_hint="SLUG")
    lang = lang or campaign.default_lang
    if lang not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(
            f"{lang!r} is not one of {current_app.config['LANGUAGES']}", param_hint="--lang"
        )
    subject = services.one_line(subject)
    body = body_file.read_text(encoding="utf-8")
    if not subject or not body.strip():
        raise click.BadParameter("the subject and the body must not be empty")
    if len(subject) > SUBJECT_MAX:
        raise click.BadParameter(
            f"the subject is longer than {SUBJECT_MAX} characters", param_hint="--subject"
        )
    unknown = unknown_tokens(subject) + unknown_tokens(body)
    if unknown:
        raise click.BadParameter(
            f"only {{name}} is filled in for each reader; correct or remove {', '.join(unknown)}"
        )
    update = services.create_update(campaign, lang, subject, body, reuse_identical=True)
    started = services.send_update(update.id)
    db.session.commit()
    if started:
        progress = services.update_progress(update.id)
        click.echo(f"update {update.id}: sending to {progress['total']} supporters")
    else:
        click.echo(f"update {update.id} was already {update.status}; nothing sent again")
