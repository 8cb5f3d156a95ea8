"""Steering reviews: the snapshot, what changed since the previous one, decisions, trend, print."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from planner.extensions import db
from planner.models.review import ReviewDecision, RiskReviewEntry, SteeringReview
from planner.models.risk import RiskAction
from planner.services import risks as service
from tests.conftest import FROZEN_TODAY
from tests.integration.risks_support import (
    count,
    database_state,
    figure,
    new_program,
    risk,
    text,
)

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
TODAY = FROZEN_TODAY
FIRST = TODAY - timedelta(days=42)
SECOND = TODAY - timedelta(days=7)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def shown(day: date) -> str:
    """A day as an English page shows it (the ISO day in the <time> element)."""
    words = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f'<time class="text-nowrap" datetime="{day.isoformat()}">{words}</time>'


@pytest.fixture()
def program(db):
    return new_program()


def reviews_url(program, path: str = "") -> str:
    return f"/programs/{program.id}/reviews{path}"


def open_review(client, program, day: date, **extra):
    data = {"held_on": day.isoformat(), "title": "", "attendees": "", "notes": "", **extra}
    return client.post(reviews_url(program), data=data)


def review_on(program, day: date) -> SteeringReview:
    return db.session.scalars(
        db.select(SteeringReview).where(
            SteeringReview.program_id == program.id, SteeringReview.held_on == day
        )
    ).one()


def test_opening_a_review_snapshots_the_register(client, program) -> None:
    response = open_review(
        client, program, FIRST, title="Steering #1", attendees="Li Wei (sponsor)\nWang Fang"
    )
    assert response.status_code == 302
    review = review_on(program, FIRST)
    assert response.headers["Location"].endswith(f"/reviews/{review.id}")
    assert review.attendee_list == ["Li Wei (sponsor)", "Wang Fang"]
    assert {e.key for e in review.entries} == {r.key for r in program.risks}
    html = text(client.get(response.headers["Location"]))
    assert f"Steering review of {shown(FIRST)} — Steering #1" in html
    assert "First review: every risk is new" in html
    assert "Li Wei (sponsor), Wang Fang" in html


def test_a_second_review_on_the_same_day_is_refused(client, program) -> None:
    assert open_review(client, program, FIRST).status_code == 302
    before = database_state()
    response = open_review(client, program, FIRST)
    assert response.status_code == 422
    assert f"there is already a review on {FIRST.isoformat()}" in text(response)
    missing = open_review(client, program, FIRST, held_on="")
    assert missing.status_code == 422
    assert database_state() == before


def make_changes(program) -> None:
    """What happens between the two reviews."""
    up = risk(program, "cleaning-legacy-data")
    up.residual_likelihood, up.residual_impact = 5, 5  # residual score up, band up
    down = risk(program, "resistance-to-change")
    down.residual_likelihood, down.residual_impact = 1, 2  # residual score down
    risk(program, "setting-strategic-goals").status = "closed"
    risk(program, "software-customisation").status = "occurred"
    late = risk(program, "determining-roi")
    late.review_date = SECOND - timedelta(days=3)
    late.actions.append(
        RiskAction(title="Baseline quote turnaround", due_date=SECOND - timedelta(days=1))
    )
    service.create_risk(
        program, {"key": "R-11", "title": "Key users leave", "likelihood": 3, "impact": 4}
    )
    db.session.commit()


def test_review_shows_what_changed_since_the_previous_one(client, program) -> None:
    open_review(client, program, FIRST)
    up = risk(program, "cleaning-legacy-data")
    old_up = up.residual_score
    make_changes(program)
    open_review(client, program, SECOND)
    second = review_on(program, SECOND)

    view = service.review_view(second, service.scale_for(program))
    assert view.previous is not None and view.previous.held_on == FIRST
    assert view.diff.new == ("R-11",)
    assert view.diff.closed == ("setting-strategic-goals",)
    assert view.diff.occurred == ("software-customisation",)
    assert ("cleaning-legacy-data", old_up, 25) in view.diff.score_up
    assert [k for k, _o, _n in view.diff.score_down] == ["resistance-to-change"]
    assert ("determining-roi", "Baseline quote turnaround", SECOND - timedelta(days=1)) in (
        view.diff.overdue_actions
    )
    assert ("determining-roi", SECOND - timedelta(days=3)) in view.diff.overdue_reviews
    assert view.top[0].key == "cleaning-legacy-data"  # 25, the highest residual score

    html = text(client.get(reviews_url(program, f"/{second.id}")))
    assert f"What changed since the review of {shown(FIRST)}" in html
    changes = html[html.index('id="changes-h"') : html.index('id="top-h"')]
    assert "New risks" in changes and "R-11" in changes and "Key users leave" in changes
    assert f"{old_up} → <strong>25</strong>" in changes
    assert "Closed: " in changes and "Occurred, now an issue: " in changes
    assert "Baseline quote turnaround" in changes and "Overdue risk reviews" in changes
    top = html[html.index('id="top-h"') : html.index('id="trend-h"')]
    assert top.index("Cleaning legacy data") < top.index("Controlling resistance to change")


def test_the_first_review_is_unchanged_by_later_edits(client, program) -> None:
    open_review(client, program, FIRST)
    first = review_on(program, FIRST)
    before = {(e.key, e.status, e.residual_likelihood) for e in first.entries}
    make_changes(program)
    db.session.expire_all()
    assert {(e.key, e.status, e.residual_likelihood) for e in first.entries} == before
    assert count(RiskReviewEntry) == len(before)


def test_exposure_trend_on_the_reviews_page_and_the_review(client, program) -> None:
    open_review(client, program, FIRST)
    make_changes(program)
    open_review(client, program, SECOND)
    risk(program, "finding-process-gaps").status = "closed"  # after the last review
    db.session.commit()

    html = text(client.get(reviews_url(program)))
    trend = figure(html, "exposure-trend")
    bars = [t for t in trend["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["Low", "Medium", "High", "Critical"]
    assert bars[0]["x"] == [FIRST.isoformat(), SECOND.isoformat(), TODAY.isoformat()]
    counts = [sum(t["y"][i] for t in bars) for i in range(3)]
    open_first = len(review_on(program, FIRST).entries)  # every playbook risk starts open
    assert counts == [open_first, open_first + 1 - 2, open_first + 1 - 3]
    (line,) = [t for t in trend["data"] if t["type"] == "scatter"]
    assert line["y"][1] == sum(
        service.entry_snapshot(e).residual_score
        for e in review_on(program, SECOND).entries
        if e.status in ("open", "mitigating")
    )
    assert "Total residual score" in html  # the table beside the chart

    first = review_on(program, FIRST)
    page = text(client.get(reviews_url(program, f"/{first.id}")))
    assert figure(page, "exposure-trend")["data"][0]["x"] == [FIRST.isoformat()]


def test_decisions_are_recorded_per_risk(client, program) -> None:
    open_review(client, program, FIRST)
    review = review_on(program, FIRST)
    target = risk(program, "cleaning-legacy-data")
    address = reviews_url(program, f"/{review.id}/decisions")
    response = client.post(
        address,
        data={"risk_id": target.id, "decision": "escalate", "note": "Sponsor to ask the regions."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#risk-cleaning-legacy-data")
    (decision,) = review.decisions
    assert (decision.decision, decision.note) == ("escalate", "Sponsor to ask the regions.")
    # changing it again needs the version the page showed
    changed = client.post(
        address,
        data={
            "risk_id": target.id,
            "decision": "continue",
            "note": "",
            "version": decision.version,
        },
    )
    assert changed.status_code == 302
    db.session.refresh(decision)
    assert decision.decision == "continue"

    page = text(client.get(reviews_url(program, f"/{review.id}")))
    assert "Continue the current response" in page
    risk_page = text(client.get(f"/programs/{program.id}/risks/{target.id}"))
    assert "Steering committee decisions" in risk_page
    history = risk_page[risk_page.index('id="history"') :]
    assert "Review decision" in history and "Escalate" in history


def test_bad_decisions_change_nothing(client, program) -> None:
    other = new_program("Other")
    open_review(client, program, FIRST)
    review = review_on(program, FIRST)
    address = reviews_url(program, f"/{review.id}/decisions")
    target = risk(program, "cleaning-legacy-data")
    before = database_state()
    unknown = client.post(address, data={"risk_id": target.id, "decision": "ignore"})
    assert unknown.status_code == 422 and 'unknown decision "ignore"' in text(unknown)
    foreign = client.post(
        address, data={"risk_id": risk(other, "cleaning-legacy-data").id, "decision": "noted"}
    )
    assert foreign.status_code == 422 and "expected a risk of this program" in text(foreign)
    assert client.post(address, data={"decision": "noted"}).status_code == 422
    assert database_state() == before
    assert count(ReviewDecision) == 0


def test_retaking_the_snapshot_and_editing_the_meeting(client, program) -> None:
    open_review(client, program, FIRST)
    review = review_on(program, FIRST)
    risk(program, "resistance-to-change").status = "closed"
    db.session.commit()
    version = review.version
    response = client.post(
        reviews_url(program, f"/{review.id}/snapshot"), data={"version": version}
    )
    assert response.status_code == 302
    db.session.expire_all()
    entry = next(e for e in review.entries if e.key == "resistance-to-change")
    assert entry.status == "closed"

    edit = reviews_url(program, f"/{review.id}/edit")
    assert "Edit the meeting details" in text(client.get(edit))
    db.session.refresh(review)
    data = {
        "held_on": FIRST.isoformat(),
        "title": "Steering #1",
        "attendees": "Li",
        "notes": "Agreed.",
        "version": review.version,
    }
    assert client.post(edit, data=data).status_code == 302
    db.session.refresh(review)
    assert (review.title, review.notes) == ("Steering #1", "Agreed.")
    before = database_state()
    stale = client.post(edit, data={**data, "title": "Late edit", "version": "1"})
    assert stale.status_code == 409 and "since you opened it" in text(stale)
    assert database_state() == before


def test_the_review_prints_as_a_handout(client, program) -> None:
    open_review(client, program, FIRST)
    review = review_on(program, FIRST)
    html = text(client.get(reviews_url(program, f"/{review.id}")))
    assert re.search(r'<link rel="stylesheet" href="/static/css/risks\.css\?v=\w+">', html)
    assert "data-print" in html and 'class="print-only decision-text"' in html
    css = client.get("/static/css/risks.css")
    stylesheet = css.get_data(as_text=True)
    css.close()
    assert "@media print" in stylesheet and "@page" in stylesheet
    assert ".no-print" in stylesheet and ".program-tabs" in stylesheet
    assert "<script>" not in html  # no inline code: the CSP allows only our files


def test_viewer_reads_reviews_but_cannot_open_one(login_as, program) -> None:
    viewer = login_as("viewer", program)
    page = text(viewer.get(reviews_url(program)))
    assert "Steering-committee reviews" in page and "Open a review meeting" not in page
    before = database_state()
    assert open_review(viewer, program, FIRST).status_code == 403
    assert database_state() == before
