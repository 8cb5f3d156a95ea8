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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
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


def below(rng: random.Random) -> Callable[[int], int]:
    """``rng``'s own draw of an int in ``[0, n)`` — what ``randrange(n)``, ``randint`` and
    ``choice`` draw with (CPython's ``_randbelow``: ``getrandbits`` of ``n``'s bit length
    until under ``n``) — without their argument checks: the demo draws some 40,000 times,
    and the same sequence keeps its log (and its checksum) as it was. Defined for n > 0.

    Examples:
        >>> a, b = random.Random(7), random.Random(7)
        >>> draw = below(a)
        >>> [draw(5), 8 + draw(11), draw(60), "xyz"[draw(3)]]
        [2, 10, 25, 'z']
        >>> [b.randrange(5), b.randrange(8, 19), b.randrange(60), b.choice("xyz")]
        [2, 10, 25, 'z']
    """
    getrandbits = rng.getrandbits

    def draw(n: int) -> int:
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return r

    return draw


#: a stamp's hour and minute parts (drawn: 08–18 h, any minute)
_HOURS = tuple(f"T{h:02d}:" for h in range(8, 19))
_MINUTES = tuple(f"{m:02d}:00Z" for m in range(60))
_BY_STAMP = itemgetter(1)


def _team_week(
    rng: random.Random, team: TeamProfile, monday: date, progress: float, lo: int, hi: int
) -> list[list[tuple[str, str, str, str]]]:
    """One week of a team: exactly the profile's share of users active and in each module
    (scaled by the ramp), chosen at random; one batch of rows per active user.

    The draws, in order: the active users; per active user the logins (2–6) and each one's
    stamp; per module its users, then per user the events (``lo``–``hi``) and each one's
    object, stamp and action; a stamp is a weekday, an hour and a minute."""
    draw = below(rng)
    days = [(monday + timedelta(days=d)).isoformat() for d in range(5)]
    hours, minutes = _HOURS, _MINUTES
    scale = 1 - team.ramp * (1 - progress)
    names = team.user_names()
    active = rng.sample(names, min(len(names), round(len(names) * team.active * scale)))
    rows: dict[str, list[tuple[str, str, str, str]]] = {u: [] for u in active}
    for user in active:
        batch = rows[user]
        for _ in range(2 + draw(5)):  # randint(2, 6)
            batch.append((user, days[draw(5)] + hours[draw(11)] + minutes[draw(60)], "", "Login"))
    for module, share in team.modules.items():
        objects = OBJECTS[module]
        count = min(len(active), round(len(names) * share * scale))
        for user in rng.sample(active, count):
            batch = rows[user]
            for _ in range(rng.randint(lo, hi)):
                obj = objects[draw(len(objects))]
                stamp = days[draw(5)] + hours[draw(11)] + minutes[draw(60)]
                batch.append((user, stamp, obj, ACTIONS[draw(len(ACTIONS))]))
    for batch in rows.values():
        batch.sort(key=_BY_STAMP)
    return list(rows.values())
