"""Adoption work done in batches gives what one row at a time gave: an overlapping import's
readings are those of the activity as stored; a roll-up over many days writes one audit
row per day, in day order; sessions added together are checked, added and audited alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planner.domain.errors import ValidationError
from planner.domain.usage_log import PRESETS, weekly_readings
from planner.extensions import db as database
from planner.models import AuditEvent, CellReading, Metric, MetricReading, UsageActivity
from planner.services import adoption, training, usage_import
from tests.integration.adoption_support import TODAY, make_program, usage_csv, with_teams

GENERIC = PRESETS["generic"].mapping
WEEK = date(2026, 5, 4)  # a Monday inside the program


def _metric(program, key):  # type: ignore[no-untyped-def]
    query = select(Metric).where(Metric.program_id == program.id, Metric.key == key)
    return database.session.scalars(query).one()


def _log(week: date, counts: dict[tuple[str, str], int]) -> list[tuple[str, str, str, str]]:
    """``counts`` rows for each (user, object) in ``week`` ("" object: a login)."""
    return [
        (user, (week + timedelta(days=n % 5)).isoformat(), obj, "view" if obj else "login")
        for (user, obj), count in counts.items()
        for n in range(count)
    ]


def test_an_overlapping_import_reads_the_activity_as_stored(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4, "south": 3})
    first = _log(WEEK, {("north-0", ""): 3, ("north-0", "Contact"): 2, ("south-0", "Contact"): 5})
    first += _log(WEEK + timedelta(weeks=1), {("north-1", ""): 2, ("south-1", "Opportunity"): 4})
    usage_import.import_usage(program, usage_csv(first), "a.csv", GENERIC, "generic")
    # overlaps the second week (one count higher, one lower, one new) and adds a third
    second = _log(
        WEEK + timedelta(weeks=1),
        {("north-1", ""): 5, ("south-1", "Opportunity"): 1, ("north-2", "Account"): 1},
    )
    second += _log(WEEK + timedelta(weeks=2), {("stranger", ""): 1, ("south-2", "Contact"): 2})
    result = usage_import.import_usage(program, usage_csv(second), "b.csv", GENERIC, "generic")
    assert (result.weeks, result.unmapped) == (2, ("stranger",))

    stored = {
        (a.week, a.user_name, a.module): a.events
        for a in db.session.scalars(
            select(UsageActivity).where(UsageActivity.program_id == program.id)
        )
    }
    second_week = WEEK + timedelta(weeks=1)
    assert stored[(second_week, "north-1", "")] == 5  # the larger count wins
    assert stored[(second_week, "south-1", "opportunities")] == 4
    # the readings of the touched weeks are those computed from every stored row of them
    touched = [(w, u, m, n) for (w, u, m), n in stored.items() if w >= second_week]
    model = adoption.adoption_model(program)
    assert model is not None
    expected, unmapped = weekly_readings(
        touched,
        adoption.user_teams(program),
        adoption.team_users(program),
        [m.key for m in model.modules],
    )
    assert unmapped == {"stranger"}
    cells = {}
    for kind, key in usage_import.READING_METRICS.items():
        metric = _metric(program, key)
        for c in db.session.scalars(
            select(CellReading).where(
                CellReading.metric_id == metric.id, CellReading.day >= second_week
            )
        ):
            cells[(kind, c.day - timedelta(days=6), c.team, c.module)] = (c.value, c.users)
    assert cells == {
        (r.metric, r.week, r.team, r.module): (round(r.value, 4), r.users) for r in expected
    }


def test_a_roll_up_audits_one_row_per_day_in_day_order(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4, "south": 2})
    metric = _metric(program, "active-users")
    days = [TODAY - timedelta(days=n) for n in (40, 33, 26, 19, 12)]
    # the program figure of the second and fourth day is there already: they are updated
    for day in (days[1], days[3]):
        metric.readings.append(MetricReading(day=day, value=1.0, note="typed"))
    for n, day in enumerate(days):
        for team, value, users in (("north", 40 + n, 4), ("south", 70 - n, 2)):
            database.session.add(
                CellReading(
                    metric_id=metric.id, day=day, team=team, value=value, users=users, note=""
                )
            )
    database.session.flush()
    start = database.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))

    assert adoption.roll_up(metric, [*days, TODAY - timedelta(days=700)], "cells") == 5

    trail = database.session.execute(
        select(AuditEvent.action, AuditEvent.entity_label, AuditEvent.field)
        .where(AuditEvent.id > start, AuditEvent.entity == "metricreading")
        .order_by(AuditEvent.id)
    ).all()
    label = [f"active-users {d.isoformat()}" for d in days]
    assert [tuple(row) for row in trail] == [
        ("create", label[0], None),
        ("update", label[1], "value"),
        ("update", label[1], "note"),
        ("create", label[2], None),
        ("update", label[3], "value"),
        ("update", label[3], "note"),
        ("create", label[4], None),
    ]
    figures = {r.day: r.value for r in metric.readings}
    for n, day in enumerate(days):
        assert figures[day] == pytest.approx(((40 + n) * 4 + (70 - n) * 2) / 6)


def _session(team: str, offset: int, invited: int = 5, attended: int = 4) -> training.SessionInput:
    day = TODAY + timedelta(days=offset)
    return training.SessionInput(team, "contacts", day, f"S {offset}", "T", invited, attended)


def test_sessions_added_together_are_checked_first_and_audited_in_order(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program()
    with_teams(program, {"north": 4, "south": 2})
    with pytest.raises(ValidationError) as refused:
        training.add_sessions(program, [_session("north", -9), _session("west", -8, 2, 3)])
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("team", "field.unknown_reference"),
        ("attended", "adoption.training.attended_over_invited"),
    ]
    assert training.sessions(program) == []  # none added: the first was good

    start = database.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    rows = training.add_sessions(
        program, [_session("north", -9), _session("south", -8), _session("north", -2, 4, 4)]
    )
    trail = database.session.execute(
        select(AuditEvent.action, AuditEvent.entity_id)
        .where(AuditEvent.id > start, AuditEvent.entity == "trainingsession")
        .order_by(AuditEvent.id)
    ).all()
    assert [tuple(r) for r in trail] == [("create", row.id) for row in rows]
    assert [r.title for r in training.sessions(program)] == ["S -2", "S -8", "S -9"]
    completion = _metric(program, adoption.TRAINING_METRIC)
    cells = {
        (c.day, c.team, c.module): c.value
        for c in db.session.scalars(
            select(CellReading).where(CellReading.metric_id == completion.id)
        )
    }
    assert cells[(TODAY - timedelta(days=2), "north", "")] == pytest.approx(100 * 8 / 9, 0.001)
    assert len(completion.readings) == 3  # one program figure per session day
