"""A realistic CRM usage log, generated: who logged in and touched which object on which day.

Used by the demo (a modest file: Northwind's five teams over the last eight weeks) and by
``bench/usage_import_bench.py`` (a million rows). Deterministic for a given seed. The shape:
each week a user is active with their team's share (rising over the weeks, or flat for a
team that lags), logs in a few times, and works in each module with the team's share of
that module; the objects are the CRM's (Salesforce-like names), so the playbook's module
lists map them.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TextIO

#: an object name per module as a CRM export writes it
OBJECTS: dict[str, tuple[str, ...]] = {
    "contacts": ("Contact", "Account"),
    "opportunities": ("Opportunity",),
    "calendar": ("Event", "Task"),
    "email": ("EmailMessage",),
    "call-reports": ("Call",),
    "sales-analysis": ("Report", "Dashboard"),
    "proposals": ("Quote",),
    "customer-support": ("Case",),
    "order-entry": ("Order",),
}
ACTIONS = ("view", "update", "create")
HEADER = ("user", "date", "object", "action")


@dataclass(frozen=True)
class TeamProfile:
    """One team as the log shows it: ``active`` and each module's share of the team's users
    in the last week (0–1), and how much lower they were in the first week (``ramp``)."""

    key: str
    users: int
    active: float
    modules: Mapping[str, float] = field(default_factory=dict)
    ramp: float = 0.15

    def user_names(self) -> list[str]:
        return [f"{self.key}.{i:03d}@northwind.example" for i in range(1, self.users + 1)]


def write_usage_log(
    out: TextIO,
    teams: Sequence[TeamProfile],
    first_monday: date,
    weeks: int,
    *,
    seed: int = 24,
    max_rows: int | None = None,
    events_per_module: tuple[int, int] = (1, 4),
) -> int:
    """Write the log as CSV (``user, date, object, action``); return the rows written."""
    rng = random.Random(seed)
    writer = csv.writer(out, lineterminator="\n")  # forbidden: allow F004 generated demo data
    writer.writerow(HEADER)
    rows = 0
    lo, hi = events_per_module
    for week in range(weeks):
        monday = first_monday + timedelta(weeks=week)
        progress = week / max(1, weeks - 1)
        for team in teams:
            for batch in _team_week(rng, team, monday, progress, lo, hi):
                if max_rows is not None and rows + len(batch) > max_rows:
                    batch = batch[: max_rows - rows]
                writer.writerows(batch)
                rows += len(batch)
                if max_rows is not None and rows >= max_rows:
                    return rows
    return rows


def _team_week(
    rng: random.Random, team: TeamProfile, monday: date, progress: float, lo: int, hi: int
) -> list[list[tuple[str, str, str, str]]]:
    """One week of a team: exactly the profile's share of users active and in each module
    (scaled by the ramp), chosen at random; one batch of rows per active user."""
    scale = 1 - team.ramp * (1 - progress)
    names = team.user_names()
    active = rng.sample(names, min(len(names), round(len(names) * team.active * scale)))
    rows: dict[str, list[tuple[str, str, str, str]]] = {u: [] for u in active}
    for user in active:
        for _ in range(rng.randint(2, 6)):
            rows[user].append((user, _stamp(rng, monday), "", "Login"))
    for module, share in team.modules.items():
        count = min(len(active), round(len(names) * share * scale))
        for user in rng.sample(active, count):
            for _ in range(rng.randint(lo, hi)):
                obj = rng.choice(OBJECTS[module])
                rows[user].append((user, _stamp(rng, monday), obj, rng.choice(ACTIONS)))
    return [sorted(batch, key=lambda r: r[1]) for batch in rows.values()]


def _stamp(rng: random.Random, monday: date) -> str:
    day = monday + timedelta(days=rng.randrange(5))
    return f"{day.isoformat()}T{rng.randrange(8, 19):02d}:{rng.randrange(60):02d}:00Z"
