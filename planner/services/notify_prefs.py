"""A person's notification settings: digest frequency, quiet days, how early reminders come,
and which events by which channel in each program (every event is on until turned off)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from planner.domain.notify import CHANNELS, EVENTS, parse_quiet_days
from planner.extensions import db
from planner.models import Membership, NotifyPreference, Program
from planner.services.digest import settings_of

MAX_LEAD_DAYS = 14


@dataclass
class PreferencesView:
    digest: str
    quiet_days: str
    lead_days: int
    programs: list[Program] = field(default_factory=list)
    off: set[tuple[int, str, str]] = field(default_factory=set)  # (program, event, channel)


def preferences_view(user_id: int) -> PreferencesView:
    mine = settings_of(user_id)
    programs = list(
        db.session.scalars(
            select(Program)
            .join(Membership, Membership.program_id == Program.id)
            .where(Membership.user_id == user_id)
            .order_by(Program.name)
        )
    )
    off = {
        (p.program_id, p.event, p.channel)
        for p in db.session.scalars(
            select(NotifyPreference).where(
                NotifyPreference.user_id == user_id, NotifyPreference.enabled.is_(False)
            )
        )
    }
    return PreferencesView(mine.digest, mine.quiet_days, mine.lead_days, programs, off)


def save_digest_settings(user_id: int, form: Mapping[str, Any]) -> None:
    """Digest frequency, quiet days and lead days; values outside the choices are ignored."""
    mine = settings_of(user_id)
    digest = str(form.get("digest", mine.digest))
    if digest in ("daily", "weekly", "off"):
        mine.digest = digest
    getlist = getattr(form, "getlist", None)
    quiet = getlist("quiet_days") if getlist else form.get("quiet_days", [])
    mine.quiet_days = parse_quiet_days([str(v) for v in quiet])
    lead = str(form.get("lead_days", mine.lead_days))
    if lead.isdigit():
        mine.lead_days = max(0, min(MAX_LEAD_DAYS, int(lead)))
    db.session.flush()


def save_preferences(user_id: int, form: Mapping[str, Any]) -> None:
    """Everything on the page: the digest settings and the program × event × channel grid
    (a box left unticked is an event turned off)."""
    save_digest_settings(user_id, form)
    view = preferences_view(user_id)
    program_ids = [p.id for p in view.programs]
    db.session.execute(
        delete(NotifyPreference).where(
            NotifyPreference.user_id == user_id, NotifyPreference.program_id.in_(program_ids)
        )
    )
    for program_id in program_ids:
        for event in EVENTS:
            for channel in CHANNELS:
                if form.get(f"p-{program_id}-{event}-{channel}") is None:
                    db.session.add(NotifyPreference(user_id=user_id, program_id=program_id,
                                                    event=event, channel=channel,
                                                    enabled=False))  # fmt: skip
    db.session.flush()


def unsubscribe(user_id: int) -> None:
    settings_of(user_id).digest = "off"
    db.session.flush()
