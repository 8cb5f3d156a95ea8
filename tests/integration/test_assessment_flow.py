"""Assessment flows: start from the playbook, plan interviews, score one category per page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from planner.models import AuditEvent
from planner.models.assessment import Assessment, AssessmentIndicator, Interview, InterviewScore
from planner.services import assessment as service
from planner.services.playbooks import get_playbook
from tests.integration.assessment_support import (
    PLAYBOOK,
    count,
    interview,
    make_program,
    start,
    url,
)


@pytest.fixture()
def program(db):
    return make_program(db)


def test_tab_lists_assessments_and_offers_to_start(client, program) -> None:
    page = client.get(url(program))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Start the diagnosis assessment" in html
    assert 'aria-current="page"' in html and ">Assessment</a>" in html


def test_start_snapshots_the_playbook_indicators_and_weights(client, db, program) -> None:
    form = client.get(url(program, suffix="/new"))
    assert form.status_code == 200
    response = client.post(
        url(program, suffix="/new"),
        data={
            "title": "CRM maturity diagnosis",
            "kind": "diagnosis",
            "phase_ordinal": "0",
            "started_on": "2026-03-04",
            "copy_from": "0",
        },
    )
    assert response.status_code == 302
    assessment = db.session.scalars(select(Assessment)).one()
    assert response.headers["Location"].endswith(url(program, assessment))
    maturity = get_playbook(PLAYBOOK).maturity
    expected = [
        (c.key, i.key, i.weight, i.critical) for c in maturity.categories for i in c.indicators
    ]
    rows = [(s.category, s.key, s.weight, s.critical) for s in assessment.indicators]
    assert rows == expected
    assert len(rows) == 64
    assert all(s.target is None and s.benchmark is None for s in assessment.indicators)
    assert assessment.model_ref == f"{PLAYBOOK}@{program.playbook_version}"
    created = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "assessment", AuditEvent.action == "create")
    ).all()
    assert len(created) == 1 and created[0].program_id == program.id


def test_start_refuses_a_phase_the_program_lacks_and_writes_nothing(client, db, program) -> None:
    response = client.post(
        url(program, suffix="/new"),
        data={"title": "", "kind": "diagnosis", "phase_ordinal": "9", "started_on": "2026-03-04"},
    )
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    assert count(db, Assessment) == 0 and count(db, AssessmentIndicator) == 0
    with pytest.raises(service.ValidationError, match="no phase 9"):
        start(db, program, phase_ordinal=9)
    db.session.rollback()
    assert count(db, Assessment) == 0


def test_reassessment_copies_settings_from_the_previous_one(db, program) -> None:
    first = start(db, program)
    row = first.indicators[0]
    service.save_settings(
        first,
        first.version,
        {row.key: service.IndicatorSetting(weight=2.5, critical=True, target=4, benchmark=3.2)},
    )
    db.session.commit()
    second = start(
        db, program, "Gate 1", kind="reassessment", phase_ordinal=1, copy_settings_from=first
    )
    copied = second.indicators[0]
    assert (copied.weight, copied.critical, copied.target, copied.benchmark) == (2.5, True, 4, 3.2)


def test_interview_crud_with_duration_rules(client, db, program) -> None:
    assessment = start(db, program)
    base = {
        "level": "middle",
        "interviewee": "Wang Fang",
        "role": "Regional sales manager",
        "held_on": "2026-03-09",
        "duration_minutes": "80",
        "categories": ["customer-processes", "customer-management"],
        "notes": "Leads stay in business-card boxes.",
    }
    created = client.post(url(program, assessment, "/interviews/new"), data=base)
    assert created.status_code == 302
    iv = db.session.scalars(select(Interview)).one()
    assert (iv.level, iv.duration_minutes, iv.category_keys) == (
        "middle",
        80,
        ["customer-processes", "customer-management"],
    )
    for bad, message in (("300", "Between 15 and 240 minutes"), ("10", "Between 15 and 240")):
        response = client.post(
            url(program, assessment, f"/interviews/{iv.id}/edit"),
            data={**base, "duration_minutes": bad, "version": iv.version},
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    db.session.refresh(iv)
    assert iv.duration_minutes == 80
    with pytest.raises(service.ValidationError, match="15 to 240 minutes"):
        service.add_interview(
            assessment, service.InterviewData(level="senior", interviewee="X", duration_minutes=5)
        )
    with pytest.raises(service.ValidationError, match="Unknown categories"):
        service.add_interview(
            assessment, service.InterviewData(level="senior", interviewee="X", categories=["nope"])
        )
    with pytest.raises(service.ValidationError, match="board is not one of the choices"):
        service.add_interview(assessment, service.InterviewData(level="board", interviewee="X"))
    db.session.rollback()
    assert count(db, Interview) == 1

    edited = client.post(
        url(program, assessment, f"/interviews/{iv.id}/edit"),
        data={**base, "duration_minutes": "200", "version": iv.version},
    )
    assert edited.status_code == 302
    db.session.refresh(iv)
    assert iv.duration_minutes == 200  # outside the usual 60-90 but allowed

    stale = client.post(
        url(program, assessment, f"/interviews/{iv.id}/edit"),
        data={**base, "interviewee": "Someone else", "version": iv.version - 1},
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed by" in html and "since you opened it" in html
    assert 'value="Someone else"' in html  # the user's input is kept
    assert "Stored now" in html and "Wang Fang" in html  # beside the stored values
    db.session.refresh(iv)
    assert iv.interviewee == "Wang Fang"

    deleted = client.post(
        url(program, assessment, f"/interviews/{iv.id}/delete"), data={"version": iv.version}
    )
    assert deleted.status_code == 302
    assert count(db, Interview) == 0


def test_scoring_page_shows_the_scale_and_one_category(client, db, program) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "senior", "Li Wei", {"cs-01": 3})
    first = client.get(url(program, assessment, f"/interviews/{iv.id}/score"))
    assert first.status_code == 302
    assert first.headers["Location"].endswith("/score/customer-strategy")
    page = client.get(first.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for label in ("None", "Not implemented but planned", "Rarely implemented", "Fully implemented"):
        assert label in html
    # one radio group per indicator of the category, 7 choices each (not scored, 0-5)
    assert html.count('role="radiogroup"') == 8
    assert len(re.findall(r'type="radio"[^>]*name="score-cs-0\d"', html)) == 56
    assert re.search(r'name="score-cs-01" id="score-cs-01-3" value="3" checked', html)
    assert re.search(r'name="score-cs-02" id="score-cs-02-na" value="" checked', html)
    assert "Save and next category" in html
    assert "score-cp-01" not in html  # another category is on another page


def test_scoring_saves_and_moves_to_the_next_category(client, db, program) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "front_line", "Huang Xin")
    page = url(program, assessment, f"/interviews/{iv.id}/score/customer-strategy")
    data = {f"score-cs-0{n}": str(n % 6) for n in range(1, 8)}
    data["score-cs-08"] = ""  # not scored
    response = client.post(page, data={**data, "version": iv.version, "action": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/score/customer-processes")
    stored = service.stored_scores(db.session.get(Interview, iv.id))
    assert stored == {f"cs-0{n}": n % 6 for n in range(1, 8)}  # cs-08 absent, not 0
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "interview_score")
    ).all()
    assert len(events) == 7

    # change one, clear one: the cleared score is kept as "not scored" (NULL), never 0
    db.session.refresh(iv)
    again = client.post(
        page, data={**data, "score-cs-01": "5", "score-cs-02": "", "version": iv.version}
    )
    assert again.status_code == 302
    scores = {s.indicator_key: s.score for s in db.session.scalars(select(InterviewScore))}
    assert scores["cs-01"] == 5 and scores["cs-02"] is None


@pytest.mark.parametrize("bad", ["6", "-1", "x", "3.5"])
def test_a_score_outside_0_to_5_is_refused_and_nothing_saved(client, db, program, bad) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "senior", "Li Wei", {"cs-01": 2})
    response = client.post(
        url(program, assessment, f"/interviews/{iv.id}/score/customer-strategy"),
        data={"score-cs-01": "4", "score-cs-02": bad, "version": iv.version},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nothing was saved" in html
    assert "0 to 5" in html
    assert service.stored_scores(db.session.get(Interview, iv.id)) == {"cs-01": 2}


def test_service_refuses_bad_scores_and_unknown_indicators(db, program) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "senior", "Li Wei")
    with pytest.raises(service.ValidationError, match="outside 0–5"):
        service.save_scores(iv, iv.version, {"cs-01": 7})
    with pytest.raises(service.ValidationError, match="is not an indicator of this assessment"):
        service.save_scores(iv, iv.version, {"zz-99": 3})
    db.session.rollback()
    assert count(db, InterviewScore) == 0


def test_a_stale_scoring_page_is_not_saved_and_shows_both_values(client, db, program) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "senior", "Li Wei", {"cs-01": 1})
    opened_version = iv.version
    service.save_scores(iv, iv.version, {"cs-01": 2})  # someone else saves meanwhile
    db.session.commit()
    response = client.post(
        url(program, assessment, f"/interviews/{iv.id}/score/customer-strategy"),
        data={"score-cs-01": "4", "version": opened_version},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by" in html
    assert re.search(r'name="score-cs-01" id="score-cs-01-4" value="4" checked', html)
    assert "Stored now: 2" in html
    assert service.stored_scores(db.session.get(Interview, iv.id)) == {"cs-01": 2}


def test_another_programs_assessment_is_not_found(client, db, program) -> None:
    other = make_program(db, name="Other", start=date(2026, 1, 5))
    assessment = start(db, other)
    assert client.get(url(program, assessment)).status_code == 404
    assert client.get(url(other, assessment)).status_code == 200
    assert client.get(url(other, assessment, "/interviews/999/score")).status_code == 404
    iv = interview(db, assessment, "senior", "A")
    assert client.get(url(other, assessment, f"/interviews/{iv.id}/score/nope")).status_code == 404


def test_edit_and_delete_an_assessment(client, db, program) -> None:
    assessment = start(db, program)
    interview(db, assessment, "senior", "Li Wei", {"cs-01": 3})
    form = {
        "title": "Diagnosis (final)",
        "kind": "diagnosis",
        "phase_ordinal": "0",
        "status": "completed",
        "started_on": "2026-03-02",
        "completed_on": "",
        "notes": "",
        "version": assessment.version,
    }
    refused = client.post(url(program, assessment, "/edit"), data=form)
    assert refused.status_code == 422
    assert "needs its completion date" in refused.get_data(as_text=True)
    ok = client.post(url(program, assessment, "/edit"), data={**form, "completed_on": "2026-03-20"})
    assert ok.status_code == 302
    db.session.refresh(assessment)
    assert (assessment.title, assessment.status) == ("Diagnosis (final)", "completed")
    gone = client.post(url(program, assessment, "/delete"), data={"version": assessment.version})
    assert gone.status_code == 302
    assert count(db, Assessment) == 0 and count(db, InterviewScore) == 0


def test_a_viewer_reads_but_cannot_change(login_as, db, program) -> None:
    assessment = start(db, program)
    iv = interview(db, assessment, "senior", "Li Wei", {"cs-01": 3})
    viewer = login_as("viewer", program)
    for page in ("", "/results", "/report", "/settings", "/actions", "/export.xlsx"):
        assert viewer.get(url(program, assessment, page)).status_code == 200, page
    html = viewer.get(url(program, assessment)).get_data(as_text=True)
    assert "+ Senior" not in html and "Edit assessment" not in html
    scoring = viewer.get(url(program, assessment, f"/interviews/{iv.id}/score/customer-strategy"))
    assert "Save and next category" not in scoring.get_data(as_text=True)
    refused = viewer.post(
        url(program, assessment, f"/interviews/{iv.id}/score/customer-strategy"),
        data={"score-cs-01": "5", "version": iv.version},
    )
    assert refused.status_code == 403
    assert service.stored_scores(db.session.get(Interview, iv.id)) == {"cs-01": 3}
    outsider = login_as("outsider")
    assert outsider.get(url(program, assessment, "/results")).status_code == 404
