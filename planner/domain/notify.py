"""Notifications in pure Python: which events there are, what a reminder is, who is due one
today, how urgent it is, the digest's period and quiet days, and the digest's grouping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# every event a person may hear of; the order is the preferences page's
EVENTS: tuple[str, ...] = (
    "item_starts",
    "item_late",
    "action_due",
    "action_overdue",
    "review_due",
    "review_overdue",
    "gate_soon",
    "gate_outlook",
    "metric_red",
    "risk_score",
    "mentioned",
    "decision",
    "scenario_applied",
)
CHANNELS: tuple[str, ...] = ("inapp", "email")
URGENCIES: tuple[str, ...] = ("overdue", "soon", "info")  # the digest's order
_OVERDUE = frozenset({"item_late", "action_overdue", "review_overdue"})
_SOON = frozenset({"item_starts", "action_due", "review_due", "gate_soon", "metric_red"})


def urgency_of(event: str) -> str:
    """``overdue`` for what is late, ``soon`` for what is due or red, else ``info``."""
    if event in _OVERDUE:
        return "overdue"
    if event in _SOON:
        return "soon"
    return "info"


@dataclass(frozen=True)
class Dated:
    """Something with an owner and a day: a work item (start, finish), a risk action (due),
    a risk's next review, a gate (its phase's end)."""

    kind: str  # workitem, action, review, gate
    id: int
    owner: str | None
    name: str
    name_zh: str | None = None
    start: date | None = None
    due: date | None = None
    done: bool = False


@dataclass(frozen=True)
class Reminder:
    event: str
    subject_type: str
    subject_id: int
    owner: str | None
    day: date
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        """Same reminder, same key: found again tomorrow, it is not a second notification
        (an overdue one is keyed by its due day, so a new due day reminds again)."""
        return f"{self.event}:{self.subject_type}:{self.subject_id}:{self.day.isoformat()}"


def reminders(things: Iterable[Dated], today: date, lead_days: int) -> list[Reminder]:
    """Every reminder due on ``today``: starts and dues within ``lead_days``, and lateness."""
    found: list[Reminder] = []
    horizon = today + timedelta(days=lead_days)
    for t in things:
        if t.done:
            continue
        base = {"name": t.name, "name_zh": t.name_zh}
        if t.kind == "workitem" and t.start is not None and today < t.start <= horizon:
            params = {**base, "day": t.start.isoformat(), "days": (t.start - today).days}
            found.append(Reminder("item_starts", "workitem", t.id, t.owner, t.start, params))
        if t.due is None:
            continue
        late = t.due < today
        event = _DUE_EVENTS[t.kind][1 if late else 0]
        if late or t.due <= horizon:
            params = {**base, "day": t.due.isoformat(), "days": abs((t.due - today).days)}
            if event is not None:
                subject = "workitem" if t.kind == "workitem" else t.kind
                found.append(Reminder(event, subject, t.id, t.owner, t.due, params))
    return found


# kind → (event when due soon, event when late); a work item finishing soon is no reminder
_DUE_EVENTS: dict[str, tuple[str | None, str | None]] = {
    "workitem": (None, "item_late"),
    "action": ("action_due", "action_overdue"),
    "review": ("review_due", "review_overdue"),
    "gate": ("gate_soon", None),
}


def matches_owner(owner: str | None, name: str, email: str) -> bool:
    """An owner typed as free text names this account: its name or e-mail, any case."""
    if not owner:
        return False
    text = owner.strip().casefold()
    return text in {name.strip().casefold(), email.strip().casefold()} - {""}


def digest_period(day: date, frequency: str) -> str | None:
    """The period a digest on ``day`` covers: the day (daily), the ISO week (weekly, sent on
    Mondays only), None when no digest is due."""
    if frequency == "daily":
        return day.isoformat()
    if frequency == "weekly" and day.isoweekday() == 1:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return None


def is_quiet(day: date, quiet_days: str) -> bool:
    return str(day.isoweekday()) in quiet_days


def parse_quiet_days(values: Sequence[str]) -> str:
    """ISO weekday digits, each once, in order; anything else is dropped."""
    return "".join(d for d in "1234567" if d in set(values))


@dataclass(frozen=True)
class DigestLine:
    program: str
    urgency: str
    text: str
    link: str


def group_digest(
    lines: Iterable[DigestLine],
) -> list[tuple[str, list[tuple[str, list[DigestLine]]]]]:
    """Lines by program (in name order), then by urgency (overdue first)."""
    by_program: dict[str, dict[str, list[DigestLine]]] = {}
    for line in lines:
        by_program.setdefault(line.program, {}).setdefault(line.urgency, []).append(line)
    return [
        (program, [(u, groups[u]) for u in URGENCIES if u in groups])
        for program, groups in sorted(by_program.items())
    ]


def backoff_seconds(attempts: int, base: float = 60.0, cap: float = 6 * 3600.0) -> float:
    """Wait before the next try of a delivery that failed ``attempts`` times (doubling)."""
    return float(min(cap, base * (2 ** max(0, attempts - 1))))
