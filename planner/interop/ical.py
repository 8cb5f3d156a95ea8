"""A program's milestones and gate reviews as an iCalendar feed (RFC 5545), for subscription.

Every event is an all-day event (``DTSTART;VALUE=DATE`` and the next day as ``DTEND``), shown
as free time. Its UID is ``{uid_key}@{program_key}.crm-rollout-planner``, so the same
milestone keeps the same UID from one download to the next and a calendar that re-reads the
feed moves the event instead of adding a copy. ``DTSTAMP`` (and ``LAST-MODIFIED``) come from
the ``generated_at`` passed in, so the same input gives the same bytes. Events are written in
date order. The calendar is named by ``X-WR-CALNAME`` (and RFC 7986 ``NAME``) and asks to be
refreshed hourly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import quote

from icalendar import Calendar, Event, vDuration

from planner.domain.errors import Problem, ValidationError

__all__ = [
    "KINDS",
    "PRODID",
    "UID_DOMAIN",
    "CalendarEvent",
    "EventKind",
    "event_uid",
    "write_calendar",
]

EventKind = Literal["milestone", "gate"]
PRODID: Final = "-//CRM Rollout Planner//Calendar feed//EN"
UID_DOMAIN: Final = "crm-rollout-planner"
#: the kinds of event; each is shown in the feed as a category worded by the caller
KINDS: Final[tuple[EventKind, ...]] = ("milestone", "gate")
_REFRESH: Final = dt.timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEvent:
    """One day in the feed: a milestone or a gate review."""

    uid_key: str
    kind: EventKind
    title: str
    day: dt.date
    description: str = ""
    url: str | None = None


def _safe(part: str) -> str:
    return quote(part.strip(), safe="-._~")


def event_uid(uid_key: str, program_key: str) -> str:
    """The stable UID of an event: ``{uid_key}@{program_key}.crm-rollout-planner``.

    Characters other than letters, digits and ``-._~`` are percent-encoded.

    Examples:
        >>> event_uid("milestone-go-live", "acme-2024")
        'milestone-go-live@acme-2024.crm-rollout-planner'
        >>> event_uid("gate 1", "华东")
        'gate%201@%E5%8D%8E%E4%B8%9C.crm-rollout-planner'
    """
    return f"{_safe(uid_key)}@{_safe(program_key)}.{UID_DOMAIN}"


def _check(
    program_name: str,
    program_key: str,
    events: Sequence[CalendarEvent],
    categories: Mapping[str, str],
) -> None:
    """Every problem of the input at once, as coded problems (worded by whoever shows them)."""
    problems: list[Problem] = []
    if not program_name.strip():
        problems.append(Problem("program_name", "field.required"))
    if not program_key.strip():
        problems.append(Problem("program_key", "field.required"))
    seen: dict[str, int] = {}
    for i, event in enumerate(events):
        if not event.uid_key.strip():
            problems.append(Problem(f"events[{i}].uid_key", "field.required"))
        elif event.uid_key in seen:
            problems.append(
                Problem(
                    f"events[{i}].uid_key",
                    "calendar.feed.uid_taken",
                    {"uid": event.uid_key, "other": seen[event.uid_key]},
                )
            )
        else:
            seen[event.uid_key] = i
        if event.kind not in KINDS:
            problems.append(
                Problem(f"events[{i}].kind", "field.not_a_choice", {"value": event.kind})
            )
        if not isinstance(event.day, dt.date) or isinstance(event.day, dt.datetime):
            problems.append(Problem(f"events[{i}].day", "calendar.not_a_date", {"got": event.day}))
        if not event.title.strip():
            problems.append(Problem(f"events[{i}].title", "field.required"))
    for kind in KINDS:
        if not (categories.get(kind) or "").strip():
            problems.append(Problem(f"categories.{kind}", "field.required"))
    if problems:
        raise ValidationError(problems=problems)


def write_calendar(
    program_name: str,
    program_key: str,
    events: Sequence[CalendarEvent],
    *,
    generated_at: dt.datetime,
    categories: Mapping[str, str],
) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF lines folded at 75 octets).

    ``generated_at`` becomes every event's DTSTAMP (a naive time is taken as UTC).
    ``categories`` words each kind of event (:data:`KINDS`) in the subscriber's language:
    the feed carries no words of its own.

    Examples:
        >>> feed = write_calendar("Acme 华东", "acme", [CalendarEvent(
        ...     "m-golive", "milestone", "上线 Go-live", dt.date(2024, 10, 22))],
        ...     generated_at=dt.datetime(2024, 10, 1, 9, 0),
        ...     categories={"milestone": "里程碑", "gate": "阶段门评审"})
        >>> b"UID:m-golive@acme.crm-rollout-planner" in feed
        True
        >>> b"DTSTART;VALUE=DATE:20241022" in feed, b"DTSTAMP:20241001T090000Z" in feed
        (True, True)
    """
    _check(program_name, program_key, events, categories)
    stamp = generated_at
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", program_name)
    calendar.add("name", program_name)
    calendar.add("x-published-ttl", vDuration(_REFRESH))
    calendar.add("refresh-interval", vDuration(_REFRESH), parameters={"VALUE": "DURATION"})
    for event in sorted(events, key=lambda e: (e.day, e.kind, e.uid_key)):
        item = Event()
        item.add("uid", event_uid(event.uid_key, program_key))
        item.add("dtstamp", stamp)
        item.add("last-modified", stamp)
        item.add("dtstart", event.day)
        item.add("dtend", event.day + dt.timedelta(days=1))
        item.add("summary", event.title)
        item.add("categories", [categories[event.kind]])
        item.add("transp", "TRANSPARENT")
        if event.description:
            item.add("description", event.description)
        if event.url:
            item.add("url", event.url)
        calendar.add_component(item)
    return calendar.to_ical()
