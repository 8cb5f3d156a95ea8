"""`planner notify send [--dry-run] [--today YYYY-MM-DD]`: the cron job of notifications.

One run: find today's reminders (items, risk actions and reviews, gates, metrics), send the
queued chat webhook messages, then one e-mail digest per person whose digest is due (claimed
before sent: see planner/services/digest.py). Nothing runs inside the web workers.
Run it every few minutes for timely chat messages; digests go at most once per period.
"""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from planner.extensions import db


@click.group("notify")
def notify_group() -> None:
    """Reminders and digests by e-mail and chat webhooks."""


def _render_delivery(hook, delivery):
    from flask_babel import gettext

    from planner.notify_text import reason

    base = str(current_app.config["PLANNER_BASE_URL"]).rstrip("/")
    with current_app.test_request_context(), force_locale(hook.lang):
        title = gettext("CRM Rollout Planner") + " · " + str(delivery.params.get("program", ""))
        return title, reason(delivery.event, delivery.params), base + delivery.link


@notify_group.command("send")
@click.option("--dry-run", is_flag=True, help="List who would get what and why; send nothing.")
@click.option("--today", "today_text", default=None, help="The day to act for (YYYY-MM-DD).")
@with_appcontext
def send_command(dry_run: bool, today_text: str | None) -> None:
    """Find today's reminders, send the chat messages and the e-mail digests."""
    from planner.services.notify_scan import scan_all

    today = date.fromisoformat(today_text) if today_text else date.today()
    scanned = scan_all(today)
    if dry_run:
        _dry_run(today)
        db.session.rollback()  # the dry run writes nothing
        return
    db.session.commit()
    click.echo(f"reminders: {scanned.notifications} new in {scanned.programs} programs")
    _send_webhooks()
    _send_digests(today)


def _dry_run(today: date) -> None:
    from planner.notify_text import reason
    from planner.services.digest import planned_digests

    plans = planned_digests(today)
    click.echo(f"dry run for {today.isoformat()}: {len(plans)} digests would be sent")
    for plan in plans:
        click.echo(f"\n{plan.user.email} ({plan.lang}, {plan.period}): {len(plan.notifications)}")
        with current_app.test_request_context(), force_locale(plan.lang):
            for n in plan.notifications:
                program = n.params.get("program", "")
                click.echo(f"  [{n.urgency}] {program}: {reason(n.event, n.params)}")


def _send_webhooks() -> None:
    from planner.services.webhooks import deliver_pending

    result = deliver_pending(_render_delivery)
    click.echo(f"webhooks: {result.sent} sent, {result.failed} failed")


def _send_digests(today: date) -> None:
    from planner.services.digest import send_digests
    from planner.services.mailer import parse_smtp_url, send_message

    url = str(current_app.config.get("PLANNER_SMTP_URL") or "")
    if not url:
        click.echo("digests: not sent (PLANNER_SMTP_URL is not set)")
        return
    settings = parse_smtp_url(url, current_app.config.get("PLANNER_SMTP_CA_FILE"))
    result = send_digests(
        today,
        lambda message: send_message(settings, message),
        str(current_app.config["PLANNER_BASE_URL"]),
        str(current_app.config["PLANNER_MAIL_FROM"]),
    )
    click.echo(
        f"digests: {result.sent} sent, {result.skipped} already sent for this period, "
        f"{result.failed} failed, {result.released} interrupted claims released"
    )
