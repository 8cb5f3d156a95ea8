"""Helpers for the adoption tests: a program with teams and a user → team lookup, and usage
files written in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta

from planner.extensions import db
from planner.models import Program
from planner.services import adoption as service
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

# a fixed day: the program starts 150 days before it (22 days into phase 2)
TODAY = date(2026, 6, 3)


def make_program(name: str = "Northwind", playbook: str = "crm-four-100-days") -> Program:
    program = create_program(
        get_playbook(playbook),
        name=name,
        client=f"{name} Ltd",
        start_date=TODAY - timedelta(days=150),
    )
    db.session.flush()
    return program


def with_teams(program: Program, teams: dict[str, int]) -> dict[str, list[str]]:
    """Teams with ``n`` users each (named ``<team>-<i>``), mapped in the lookup."""
    users: dict[str, list[str]] = {}
    for key, n in teams.items():
        service.save_value(program, "team", key, key.title())
        users[key] = [f"{key}-{i}" for i in range(n)]
    service.replace_user_teams(program, [(u, t, "") for t, us in users.items() for u in us])
    db.session.flush()
    return users


def usage_csv(
    rows: Iterable[tuple[str, str, str, str]], header=("user", "date", "object", "action")
) -> io.BytesIO:  # type: ignore[no-untyped-def]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))
