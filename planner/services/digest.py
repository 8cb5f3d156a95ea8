"""E-mail digests: one per person and period, in the person's language, claimed before sent.

Idempotence: the digest row (unique per person and period) is inserted and COMMITTED before
the message goes out. An overlapping run fails to insert it and skips that person; a run that
died after claiming leaves the row "claimed": it is never sent again for that period (a later
run releases its notifications to the next period's digest). So a period's digest reaches a
person at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from planner.domain.notify import DigestLine, digest_period, group_digest, is_quiet
from planner.extensions import db
from planner.models import Notification, NotifyDigest, NotifyPreference, NotifySettings, User
from planner.notify_text import reason
from planner.services.mailer import MailError
from planner.services.notify import now

STALE_CLAIM = timedelta(hours=1)
BACKLOG = timedelta(days=14)  # older news is not mailed (the bell still has it)
TOKEN_SALT = "planner.notify.preferences"
TOKEN_MAX_AGE = 90 * 24 * 3600


# --------------------------------------------------------------------------- tokens


def preferences_token(user_id: int) -> str:
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)
    return serializer.dumps({"u": user_id})


def user_from_token(token: str) -> User | None:
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)
    try:
        data = serializer.loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    return user if user is not None and user.active else None


def settings_of(user_id: int) -> NotifySettings:
    row = db.session.get(NotifySettings, user_id)
    if row is None:
        row = NotifySettings(user_id=user_id, digest="daily", quiet_days="", lead_days=3)
        db.session.add(row)
    return row


# --------------------------------------------------------------------------- planning


@dataclass
class PlannedDigest:
    user: User
    period: str
    lang: str
    notifications: list[Notification] = field(default_factory=list)


def planned_digests(today: date) -> list[PlannedDigest]:
    """Who gets a digest today and with what (nothing is written)."""
    plans: list[PlannedDigest] = []
    settings = {s.user_id: s for s in db.session.scalars(select(NotifySettings))}
    for user in db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)):
        mine = settings.get(user.id)
        frequency = mine.digest if mine else "daily"
        period = digest_period(today, frequency)
        if period is None or (mine and is_quiet(today, mine.quiet_days)):
            continue
        pending = _pending_for(user.id)
        if pending:
            plans.append(PlannedDigest(user, period, user.lang or "en", pending))
    return plans


def _pending_for(user_id: int) -> list[Notification]:
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.digest_id.is_(None))
        .where(Notification.created_at >= now() - BACKLOG)
        .order_by(Notification.id)
    )
    off = {
        (p.program_id, p.event)
        for p in db.session.scalars(
            select(NotifyPreference).where(
                NotifyPreference.user_id == user_id,
                NotifyPreference.channel == "email",
                NotifyPreference.enabled.is_(False),
            )
        )
    }
    return [n for n in rows if (n.program_id, n.event) not in off]


# --------------------------------------------------------------------------- building


def build_message(plan: PlannedDigest, base_url: str, sender: str) -> EmailMessage:
    """The digest as a multipart message (plain text and HTML), in the person's language."""
    with current_app.test_request_context(base_url=base_url), force_locale(plan.lang):
        lines = [
            DigestLine(
                n.params.get("program", ""),
                n.urgency,
                reason(n.event, n.params),
                base_url.rstrip("/") + n.link,
            )  # fmt: skip
            for n in plan.notifications
        ]
        groups = group_digest(lines)
        token = preferences_token(plan.user.id)
        prefs_url = base_url.rstrip("/") + f"/notify/preferences/{token}"
        unsubscribe_url = base_url.rstrip("/") + f"/notify/unsubscribe/{token}"
        context = {"groups": groups, "user": plan.user, "prefs_url": prefs_url,
                   "unsubscribe_url": unsubscribe_url, "count": len(lines),
                   "lang": plan.lang}  # fmt: skip
        text = render_template("notify/digest_plain.html", **context)
        html = render_template("notify/digest.html", **context)
        subject = gettext("CRM Rollout Planner: %(count)s updates for you", count=len(lines))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = formataddr((plan.user.name or "", plan.user.email))
    message["Message-ID"] = make_msgid(domain="planner")
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


# --------------------------------------------------------------------------- sending


@dataclass
class SendResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    released: int = 0


def release_stale_claims() -> int:
    """Digests claimed by a run that died (no outcome after an hour): marked failed, their
    notifications go with the next period's digest. The period itself is never sent again."""
    cutoff = now() - STALE_CLAIM
    stale = list(
        db.session.scalars(
            select(NotifyDigest).where(
                NotifyDigest.status == "claimed", NotifyDigest.claimed_at < cutoff
            )
        )
    )
    for row in stale:
        row.status, row.error = "failed", "interrupted run"
        db.session.execute(
            update(Notification).where(Notification.digest_id == row.id).values(digest_id=None)
        )
    db.session.commit()
    return len(stale)


def claim(plan: PlannedDigest) -> NotifyDigest | None:
    """Insert and commit the digest row; None when another run has it already."""
    row = NotifyDigest(user_id=plan.user.id, period=plan.period, status="claimed",
                       items=len(plan.notifications), claimed_at=now())  # fmt: skip
    try:
        db.session.add(row)
        db.session.flush()
        ids = [n.id for n in plan.notifications]
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(ids), Notification.digest_id.is_(None))
            .values(digest_id=row.id)
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return row


def send_digests(
    today: date, send: Callable[[EmailMessage], None], base_url: str, sender: str
) -> SendResult:
    result = SendResult(released=release_stale_claims())
    for plan in planned_digests(today):
        message = build_message(plan, base_url, sender)
        row = claim(plan)
        if row is None:
            result.skipped += 1
            continue
        try:
            send(message)
        except MailError as exc:
            row.status, row.error = "failed", str(exc)[:1000]
            # the notifications go with the next digest; this period is not tried again
            db.session.execute(
                update(Notification).where(Notification.digest_id == row.id).values(digest_id=None)
            )
            result.failed += 1
        else:
            row.status, row.sent_at = "sent", now()
            result.sent += 1
        db.session.commit()
    return result
