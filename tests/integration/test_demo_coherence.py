"""The demo tells one story: one cast across plan, risks, reviews, gates and interviews;
review notes that quote the readings they talk about; junk orders that fall only once the
configurator checks orders (the method's order, seed 000)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from planner.extensions import db
from planner.models import Program
from planner.models.assessment import Interview
from planner.models.gate import GateDecision
from planner.models.plan import WorkItem
from planner.models.review import ReviewDecision, SteeringReview
from planner.models.risk import Risk
from tests.integration.demo_copy import load_demo_copy

DEMO_DAY = date(2026, 11, 30)
SPONSOR = "Liu Yang"


@pytest.fixture()
def northwind(db):
    load_demo_copy(DEMO_DAY)
    return db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def _reading_on(program: Program, key: str, day: date) -> float:
    metric = next(m for m in program.metrics if m.key == key)
    return max((r for r in metric.readings if r.day <= day), key=lambda r: r.day).value


def test_one_sponsor_everywhere(northwind) -> None:
    pid = northwind.id
    owners = db.session.scalars(
        select(WorkItem.owner).where(WorkItem.program_id == pid, WorkItem.owner_role == "sponsor")
    ).all()
    assert owners and set(owners) == {SPONSOR}
    risk_owners = [
        o
        for o in db.session.scalars(select(Risk.owner).where(Risk.program_id == pid))
        # owners are people now (issue 23): "Programme sponsor Liu Yang" is the person Liu Yang
        if o and ("sponsor" in o.lower() or SPONSOR in o)
    ]
    assert risk_owners and all(SPONSOR in o for o in risk_owners)
    for review in db.session.scalars(
        select(SteeringReview).where(SteeringReview.program_id == pid)
    ):
        chairs = [a for a in review.attendee_list if "sponsor" in a]
        assert chairs and all(a.startswith(SPONSOR) for a in chairs), review.attendees
    deciders = db.session.scalars(
        select(GateDecision.decided_by).where(GateDecision.program_id == pid)
    ).all()
    assert deciders and all(SPONSOR in d for d in deciders)
    managers = db.session.scalars(
        select(Interview.interviewee).where(Interview.role == "General manager")
    ).all()
    assert managers and set(managers) == {SPONSOR}


def test_review_notes_quote_the_readings_of_their_day(northwind) -> None:
    quoted = 0
    patterns = {
        "active-users": re.compile(r"Active users at ([\d.]+)%"),
        "duplicate-rate": re.compile(r"Duplicate rate down to ([\d.]+)%"),
    }
    decisions = db.session.scalars(
        select(ReviewDecision)
        .join(ReviewDecision.review)
        .where(SteeringReview.program_id == northwind.id)
    ).all()
    for decision in decisions:
        for key, pattern in patterns.items():
            found = pattern.search(decision.note)
            if found:
                day = decision.review.held_on
                assert float(found.group(1)) == pytest.approx(
                    _reading_on(northwind, key, day), abs=0.05
                ), (key, day, decision.note)
                quoted += 1
    assert quoted == 2


def test_junk_orders_wait_for_the_configurator(northwind) -> None:
    live = db.session.scalars(
        select(WorkItem).where(
            WorkItem.program_id == northwind.id, WorkItem.key == "configurator-go-live"
        )
    ).one()
    junk = next(m for m in northwind.metrics if m.key == "junk-order-rate")
    before_live = [
        r.value for r in junk.readings if live.actual_finish is None or r.day <= live.actual_finish
    ]
    assert before_live and min(before_live) >= 0.9 * junk.baseline
    # and no review says the configurator went live while the plan still builds it
    if live.actual_finish is None:
        notes = db.session.scalars(
            select(SteeringReview.notes).where(SteeringReview.program_id == northwind.id)
        ).all()
        assert not any("configurator went live" in n.lower() for n in notes)
