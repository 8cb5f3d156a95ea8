"""Notifications: what happened for whom (one row per person and event), how each person wants
to hear of it, the e-mail digests sent (claimed before sending), and the programs' chat
webhooks with their outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.models.audit import Audited

WEBHOOK_KINDS = ("wecom", "dingtalk", "slack", "json")
DIGEST_FREQUENCIES = ("daily", "weekly", "off")


class Notification(Model):
    """One event for one person: why (``event`` and ``params``, worded when read) and where
    to look (``link``). ``dedupe_key`` makes a reminder found again by the next run the same
    row, not a second one."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key", name="uq_notification_dedupe"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(10), default="info")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    dedupe_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    read_at: Mapped[datetime | None]
    # the digest that carried it by e-mail (None: not yet, or e-mail is off for it)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notify_digest.id", ondelete="SET NULL")
    )


class NotifySettings(Model):
    """A person's digest frequency, quiet weekdays and how many days ahead to be reminded."""

    __tablename__ = "notify_settings"
    __table_args__ = (CheckConstraint("digest IN ('daily', 'weekly', 'off')", name="digest_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    digest: Mapped[str] = mapped_column(String(10), default="daily")
    # ISO weekday digits on which no e-mail is sent, Monday=1 ("67": weekends)
    quiet_days: Mapped[str] = mapped_column(String(7), default="")
    lead_days: Mapped[int] = mapped_column(default=3)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}


class NotifyPreference(Model):
    """An event a person does not want by a channel in a program (the default is wanted)."""

    __tablename__ = "notify_preference"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "program_id", "event", "channel", name="uq_notify_preference_choice"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))  # inapp, email
    enabled: Mapped[bool] = mapped_column(default=False)


class NotifyDigest(Model):
    """One e-mail digest for one person and period, claimed (committed) BEFORE it is sent:
    the unique constraint is what keeps two overlapping runs, or a run started again after
    one died half-way, from sending it twice."""

    __tablename__ = "notify_digest"
    __table_args__ = (
        UniqueConstraint("user_id", "period", name="uq_notify_digest_period"),
        CheckConstraint("status IN ('claimed', 'sent', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))  # 2026-12-06 or 2026-W49
    status: Mapped[str] = mapped_column(String(10), default="claimed")
    items: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")


class Webhook(Audited, Model):
    """A program's chat robot: WeCom, DingTalk (optionally signed), Slack or generic JSON."""

    __tablename__ = "notify_webhook"
    __audit_entity__ = "webhook"
    # the URL carries the robot's key and the secret signs: neither goes into the trail
    __audit_exclude__ = frozenset(
        {"url", "secret", "last_error", "last_error_at", "last_ok_at", "failures"}
    )
    __table_args__ = (
        CheckConstraint("kind IN ('wecom', 'dingtalk', 'slack', 'json')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(16), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def audit_label(self) -> str:
        return self.label or self.kind


class WebhookDelivery(Model):
    """One event waiting for (or done with) one webhook: sent by `planner notify send`."""

    __tablename__ = "notify_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "dedupe_key", name="uq_webhook_delivery_dedupe"),
        Index("ix_webhook_delivery_status", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("notify_webhook.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    dedupe_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]
