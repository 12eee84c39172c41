"""campaign: petitions and coalition appeals for human rights defenders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign import (
    after_commit,
    catalogues,
    config,
    database,
    errors,
    extensions,
    formatting,
    i18n,
    jsonlog,
    layout,
    metrics,
    outbox,
    overload,
    page_cache,
    pages,
    production,
    public_forms,
    redact,
    request_guards,
    security,
    source_versions,
    staff_nav,
    throttle,
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(layout.default_instance_path()),
        template_folder=str(layout.data_dir("templates")),
        static_folder=str(layout.data_dir("static")),
    )
    instance_path = Path((test_config or {}).get("INSTANCE_PATH", app.instance_path))
    app.instance_path = str(instance_path)
    redact.install()  # before anything logs: no client IP, email address or token in any log
    app.config.from_mapping(config.from_environment(instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    jsonlog.install(app)
    if app.config["CAMPAIGN_ENV"] == config.PRODUCTION:
        production.check(app.config)  # before the extensions: no embedded Redis is started
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        overload.engine_options(
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["DATABASE_CONNECT_TIMEOUT"],
            app.config["DATABASE_POOL_TIMEOUT"],
        ),
    )
    throttle.parse_limits(app.config["SIGN_RATE_LIMIT"])  # a mistyped limit stops the start, not each signing
    if app.config["PROXY_FIX_X_FOR"]:
        # Flask's documented way to wrap its WSGI app, which mypy takes for replacing a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])  # type: ignore[method-assign]

    metrics.init_app(app)  # first of the request hooks: its clock starts before any of them
    request_guards.install_converters(app)
    register_extensions(app)
    request_guards.init_app(app)
    page_cache.init_app(app)  # after the guards: a cached page is no answer to unreadable input
    register_mail_kinds()
    register_related_items()
    register_blueprints(app)
    register_statuses(app)
    errors.init_app(app)
    overload.init_app(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    extensions.db.init_app(app)
    database.init_app(app)
    after_commit.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(layout.data_dir("migrations")))
    catalogues.compile_catalogues(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    extensions.babel.init_app(app, locale_selector=i18n.select_locale)
    extensions.mail.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    extensions.queues.init_app(app)
    security.init_app(app)
    public_forms.init_app(app)
    pages.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    source_versions.init_app(app)
    staff_nav.init_app(app)


def register_mail_kinds() -> None:
    """Tell the outbox how each domain builds its kinds of mail."""
    from campaign.accounts import emails as accounts_mail
    from campaign.defenders import emails as defenders_mail
    from campaign.letters import emails as letters_mail
    from campaign.letters import reminders
    from campaign.signatures import emails as signatures_mail
    from campaign.updates import emails as updates_mail
    from campaign.updates import publication

    for module in (
        signatures_mail,
        accounts_mail,
        updates_mail,
        publication,
        letters_mail,
        reminders,
        defenders_mail,
    ):
        outbox.register_builders(module.BUILDERS)


def register_related_items() -> None:
    """Tell the defender, country and campaign pages (and the feeds) what other domains list on them."""
    from campaign.defenders import related
    from campaign.letters.related import public_letters
    from campaign.updates.publication import public_updates

    related.register("letters", public_letters)
    related.register("updates", public_updates)


def register_statuses(app: Flask) -> None:
    """The status (and kind) enums, for templates: they compare ``letter.status == LetterStatus.OPEN``,
    never a row's status with a literal, so each is spelled in its model alone (tests/test_layout.py)."""
    from campaign.campaigns.models import CampaignStatus
    from campaign.defenders.models import MessageStatus
    from campaign.jobclaims import JobStatus
    from campaign.letters.models import DeliveryStatus, LetterStatus, RequestStatus
    from campaign.letters.outcome_models import EventKind, OutcomeStatus
    from campaign.signatures.models import SignatureStatus
    from campaign.updates.models import UpdateStatus

    app.jinja_env.globals.update(
        {
            status.__name__: status
            for status in (
                CampaignStatus,
                DeliveryStatus,
                EventKind,
                JobStatus,
                LetterStatus,
                MessageStatus,
                OutcomeStatus,
                RequestStatus,
                SignatureStatus,
                UpdateStatus,
            )
        }
    )


def register_blueprints(app: Flask) -> None:
    from campaign.accounts.invitation_views import bp as invitations_bp
    from campaign.accounts.organisation_views import bp as organisations_bp
    from campaign.accounts.organisation_views import media as media_bp
    from campaign.accounts.password_views import bp as passwords_bp
    from campaign.accounts.team_views import bp as team_bp
    from campaign.accounts.views import bp as accounts_bp
    from campaign.api.defenders import bp as api_defenders_bp
    from campaign.api.letters import bp as api_letters_bp
    from campaign.api.views import bp as api_bp
    from campaign.audit.views import bp as audit_bp
    from campaign.campaigns.cards import bp as cards_bp
    from campaign.campaigns.embed import bp as embed_bp
    from campaign.campaigns.manage_views import bp as manage_bp
    from campaign.campaigns.views import bp as campaigns_bp
    from campaign.dashboard.outbox_views import bp as outbox_bp
    from campaign.dashboard.partner_views import bp as partner_bp
    from campaign.dashboard.views import bp as dashboard_bp
    from campaign.defenders.feeds import bp as feeds_bp
    from campaign.defenders.follow_views import bp as follow_bp
    from campaign.defenders.manage_views import bp as manage_defenders_bp
    from campaign.defenders.photos import bp as photos_bp
    from campaign.defenders.views import bp as defenders_bp
    from campaign.devmail import bp as devmail_bp
    from campaign.health import bp as health_bp
    from campaign.letters.actions import bp as letter_actions_bp
    from campaign.letters.delivery_views import bp as letter_delivery_bp
    from campaign.letters.evidence_views import bp as letter_evidence_bp
    from campaign.letters.evidence_views import receipts_bp
    from campaign.letters.outcome_views import bp as letter_outcomes_bp
    from campaign.letters.recipient_views import bp as letter_recipients_bp
    from campaign.letters.request_views import bp as letter_requests_bp
    from campaign.letters.views import bp as letters_bp
    from campaign.moderation.held_views import bp as held_bp
    from campaign.moderation.message_views import bp as solidarity_bp
    from campaign.moderation.views import bp as moderation_bp
    from campaign.paper.views import bp as paper_bp
    from campaign.signatures.manage_views import bp as signer_bp
    from campaign.signatures.views import bp as signatures_bp
    from campaign.updates.overview import bp as updates_overview_bp
    from campaign.updates.public import bp as supporters_bp
    from campaign.updates.publication import bp as update_publication_bp
    from campaign.updates.views import bp as updates_bp

    app.register_blueprint(campaigns_bp)
    app.register_blueprint(cards_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(defenders_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(follow_bp)
    app.register_blueprint(signatures_bp)
    app.register_blueprint(signer_bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(supporters_bp)
    app.register_blueprint(updates_bp)
    app.register_blueprint(update_publication_bp)
    app.register_blueprint(updates_overview_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_defenders_bp)
    app.register_blueprint(api_letters_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(passwords_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(media_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(letter_actions_bp)
    app.register_blueprint(letter_recipients_bp)
    app.register_blueprint(letter_delivery_bp)
    app.register_blueprint(letter_evidence_bp)
    app.register_blueprint(receipts_bp)
    app.register_blueprint(letter_outcomes_bp)
    app.register_blueprint(letter_requests_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(paper_bp)
    app.register_blueprint(held_bp)
    app.register_blueprint(solidarity_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(manage_defenders_bp)
    app.register_blueprint(partner_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(photos_bp)
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(devmail_bp)


def register_commands(app: Flask) -> None:
    from campaign.accounts.cli import create_user_command, deactivate_user_command, reset_2fa_command
    from campaign.demo import seed_demo_command
    from campaign.letters.jobs import deliver_letter_command
    from campaign.letters.pack import evidence_pack_command, verify_receipt_command
    from campaign.updates.cli import send_update_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(deactivate_user_command)
    app.cli.add_command(reset_2fa_command)
    app.cli.add_command(send_update_command)
    app.cli.add_command(deliver_letter_command)
    app.cli.add_command(evidence_pack_command)
    app.cli.add_command(verify_receipt_command)
