"""Calendar feeds: a per-user secret token, and a program's milestones and gate reviews as .ics.

The token is 32 random bytes (URL-safe base64); only its SHA-256 is stored
(:class:`~planner.models.feed.FeedToken`), so the token is shown once, when it is created or
rotated. A feed URL names the user (through the token) and the program; it answers only when
the user is active and a member of the program (or a site administrator) — anything else
looks like a missing page, so a guessed URL reveals nothing.

Events (see :mod:`planner.interop.ical`): every milestone on its forecast date (its actual
finish once done), and every phase's gate review on the phase's last day. UIDs are built from
the milestone's key or the phase's key and the program's id, so they stay the same from one
download to the next and a calendar moves an event instead of adding a copy.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import planner.models.feed  # noqa: F401  (registers the feed table until models/__init__ does)
from planner.domain.errors import NotFoundError, Problem
from planner.extensions import db
from planner.interop.ical import CalendarEvent, write_calendar
from planner.models import Membership, Phase, Program, User, WorkItem
from planner.models.feed import FeedToken

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def feed_token_of(user: User) -> FeedToken | None:
    """The user's token row (its hash and when it was made), or None when there is none."""
    return db.session.scalar(select(FeedToken).where(FeedToken.user_id == user.id))


def rotate_token(user: User) -> str:
    """Create the user's token, or replace it (the old one stops working); return the new one.

    The caller commits. The token is returned once and never stored.
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = feed_token_of(user)
    if row is None:
        db.session.add(FeedToken(user_id=user.id, token_hash=token_hash(token), created_at=_now()))
    else:
        row.token_hash = token_hash(token)
        row.created_at = _now()
    db.session.flush()
    return token


def revoke_token(user: User) -> bool:
    """Delete the user's token (every feed URL stops working); False when there was none."""
    row = feed_token_of(user)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def user_for_token(token: str) -> User | None:
    """The active user this token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(
        select(FeedToken)
        .where(FeedToken.token_hash == token_hash(token))
        .options(selectinload(FeedToken.user))
    )
    if row is None or row.user is None or not row.user.active:
        return None
    return row.user


def may_subscribe(user: User, program_id: int) -> bool:
    if user.is_admin:
        return db.session.get(Program, program_id) is not None
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id, Membership.program_id == program_id
            )
        )
        is not None
    )


def subscribable_programs(user: User) -> list[Program]:
    """The programs whose feed this user may read (every program for an administrator)."""
    query = select(Program).order_by(Program.name, Program.id)
    if not user.is_admin:
        query = query.join(Membership, Membership.program_id == Program.id).where(
            Membership.user_id == user.id
        )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class FeedTexts:
    """The words of the feed, in the subscriber's language (the caller translates)."""

    gate_title: str  # with %(phase)s
    gate_description: str  # with %(phase)s
    milestone_done: str  # appended to a done milestone's description
    categories: dict[str, str]  # each kind of event (planner.interop.ical.KINDS) as a category


def program_key(program: Program) -> str:
    """The program's part of every UID: stable for the program's life."""
    return f"program-{program.id}"


def _name(obj: object, field: str, lang: str) -> str:
    english = getattr(obj, field, None) or ""
    chinese = getattr(obj, f"{field}_zh", None) or ""
    if lang == "zh":
        return chinese or english
    return english or chinese


def feed_events(
    program: Program,
    lang: str,
    texts: FeedTexts,
    url_of_item: dict[str, str] | None = None,
    gate_urls: dict[str, str] | None = None,
) -> list[CalendarEvent]:
    """The program's milestones and gate reviews as calendar events (two queries)."""
    phases = list(
        db.session.scalars(
            select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
        )
    )
    phase_names = {p.id: _name(p, "name", lang) for p in phases}
    milestones = db.session.scalars(
        select(WorkItem)
        .where(WorkItem.program_id == program.id, WorkItem.kind == "milestone")
        .order_by(WorkItem.position, WorkItem.id)
    )
    events: list[CalendarEvent] = []
    for item in milestones:
        done = item.actual_finish is not None or item.percent_complete >= 100
        day = (item.actual_finish if done else None) or item.early_finish
        if day is None:
            continue
        description = phase_names.get(item.phase_id, "")
        if done:
            description = f"{description} · {texts.milestone_done}".strip(" ·")
        events.append(
            CalendarEvent(
                uid_key=f"milestone-{item.key}",
                kind="milestone",
                title=_name(item, "name", lang) or item.key,
                day=day,
                description=description,
                url=(url_of_item or {}).get(item.key),
            )
        )
    for phase in phases:
        name = phase_names[phase.id] or phase.key
        events.append(
            CalendarEvent(
                uid_key=f"gate-{phase.key}",
                kind="gate",
                title=texts.gate_title % {"phase": name},
                day=phase.window_end,
                description=texts.gate_description % {"phase": name},
                url=(gate_urls or {}).get(phase.key),
            )
        )
    return events


def program_feed(
    token: str,
    program_id: int,
    texts_for: Callable[[str], FeedTexts],
    *,
    now: datetime | None = None,
    urls: Callable[[Program], tuple[dict[str, str], dict[str, str]]] | None = None,
) -> bytes:
    """The .ics of ``program_id`` for the holder of ``token``; NotFoundError when the token is
    unknown or rotated, the user inactive, the program missing or not theirs.

    ``texts_for(lang)`` gives the :class:`FeedTexts` in the user's language ("en" or "zh");
    ``urls(program)``, if given, gives ``(item urls by key, gate urls by phase key)``.
    """
    user = user_for_token(token)
    if user is None or not may_subscribe(user, program_id):
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    program = db.session.get(Program, program_id)
    if program is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    lang = "zh" if (user.lang or "").startswith("zh") else "en"
    texts = texts_for(lang)
    item_urls, gate_urls = urls(program) if urls is not None else ({}, {})
    events = feed_events(program, lang, texts, item_urls, gate_urls)
    return write_calendar(
        program.name,
        program_key(program),
        events,
        generated_at=now or _now(),
        categories=texts.categories,
    )
