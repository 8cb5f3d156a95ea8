"""Several rows in one write (the demo builds its content with these): the same rows, versions
and audit trail as the one-row services called one by one, all or nothing, in one flush."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from planner.domain.errors import ValidationError
from planner.extensions import db
from planner.models import AuditEvent, Program
from planner.models.assessment import Assessment, Interview
from planner.services import assessment as assessments
from planner.services import metrics as metric_service
from planner.services import risks as service
from planner.services.concurrency import StaleEditError
from planner.services.review_pulse import pulse_now
from tests.integration.assessment_support import make_program
from tests.integration.risks_support import database_state, item, new_program, risk

TODAY = date(2026, 3, 2)
STANDALONE_ID = re.compile(r"(?<![\w-])\d+(?![\w-])")  # a row id in a label, not "cs-01"


@contextmanager
def flushes() -> Iterator[list[int]]:
    """Count the session's flushes that write something."""
    seen: list[int] = []

    def count(*_args: Any) -> None:
        seen.append(1)

    event.listen(Session, "before_flush", count)
    try:
        yield seen
    finally:
        event.remove(Session, "before_flush", count)


def trail(program: Program, entities: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The program's audit rows of these entities, as a person reads them (no ids, no time)."""
    rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.program_id == program.id, AuditEvent.entity.in_(entities)
        )
    )
    return sorted(
        (
            e.action,
            e.entity,
            e.field,
            e.old_value,
            e.new_value,
            STANDALONE_ID.sub("#", e.entity_label),
        )
        for e in rows
    )


# --------------------------------------------------------------------------- assessment

PEOPLE = (("senior", "Liu Yang"), ("middle", "Wang Fang"), ("front_line", "Huang Xin"))


def _scores(assessment: Assessment, name: str) -> dict[str, int | None]:
    keys = [s.key for s in assessment.indicators][:6]
    return {key: None if n == 2 else (len(name) + n) % 6 for n, key in enumerate(keys)}


def _assessment_state(assessment: Assessment) -> list[tuple[Any, ...]]:
    db.session.expire_all()
    return [
        (
            iv.level,
            iv.interviewee,
            iv.version,
            iv.updated_at is not None,
            sorted((s.indicator_key, s.score) for s in iv.scores),
        )
        for iv in assessment.interviews
    ]


def _start(program: Program) -> Assessment:
    return assessments.start_assessment(
        program,
        assessments.AssessmentData(
            title="Diagnosis", kind="diagnosis", phase_ordinal=0, started_on=program.start_date
        ),
    )


def test_interviews_and_scores_in_two_writes_match_one_by_one(db) -> None:
    one_by_one = make_program(db, name="One by one")
    first = _start(one_by_one)
    for level, name in PEOPLE:
        interview = assessments.add_interview(
            first, assessments.InterviewData(level=level, interviewee=name)
        )
        assessments.save_scores(interview, interview.version, _scores(first, name))
    together = make_program(db, name="Together")
    second = _start(together)
    with flushes() as seen:
        made = assessments.add_interviews(
            second,
            [assessments.InterviewData(level=level, interviewee=name) for level, name in PEOPLE],
        )
        changed = assessments.save_many_scores(
            [(iv, iv.version, _scores(second, iv.interviewee)) for iv in made]
        )
    assert len(seen) == 2
    assert changed == sum(
        sum(score is not None for score in _scores(second, name).values()) for _l, name in PEOPLE
    )
    db.session.commit()
    assert _assessment_state(second) == _assessment_state(first)
    entities = ("interview", "interview_score")
    assert trail(together, entities) == trail(one_by_one, entities)


def test_a_refused_interview_or_score_writes_none_of_them(db) -> None:
    program = make_program(db)
    assessment = _start(program)
    db.session.commit()
    with pytest.raises(ValidationError):
        assessments.add_interviews(
            assessment,
            [
                assessments.InterviewData(level="senior", interviewee="Liu Yang"),
                assessments.InterviewData(level="senior", interviewee=" "),
            ],
        )
    assert db.session.scalars(select(Interview)).all() == []
    made = assessments.add_interviews(
        assessment,
        [assessments.InterviewData(level=level, interviewee=name) for level, name in PEOPLE],
    )
    db.session.commit()
    before = _assessment_state(assessment)
    key = assessment.indicators[0].key
    with pytest.raises(ValidationError):
        assessments.save_many_scores([(made[0], made[0].version, {key: 3}), (made[1], 1, {key: 9})])
    with pytest.raises(StaleEditError):
        assessments.save_many_scores([(made[0], made[0].version, {key: 3}), (made[1], 7, {key: 2})])
    db.session.rollback()
    assert _assessment_state(assessment) == before


# --------------------------------------------------------------------------- risks


LINKS = {
    "resistance-to-change": (("change-impact", "sales-training"), ("foundation",)),
    "cleaning-legacy-data": (("data-profiling", "contact-migration"), ()),
}


def _phase_id(program: Program, key: str) -> int:
    return next(p.id for p in program.phases if p.key == key)


def _links(program: Program) -> list[tuple[str, str]]:
    db.session.expire_all()
    return sorted(
        (r.key, link.work_item.key) for r in program.risks for link in r.item_links
    ) + sorted((r.key, link.phase.key) for r in program.risks for link in r.phase_links)


def test_links_in_one_write_match_one_by_one(db) -> None:
    one_by_one = new_program(name="One by one")
    for key, (items, phases) in LINKS.items():
        for item_key in items:
            service.link_work_item(risk(one_by_one, key), item(one_by_one, item_key).id)
        for phase_key in phases:
            service.link_phase(risk(one_by_one, key), _phase_id(one_by_one, phase_key))
    together = new_program(name="Together")
    for key, (items, phases) in LINKS.items():
        item_ids = [item(together, k).id for k in items]
        phase_ids = [_phase_id(together, k) for k in phases]
        with flushes() as seen:
            made = service.link_many(risk(together, key), item_ids, phase_ids)
        assert len(seen) == 1
        assert len(made) == len(items) + len(phases)
    db.session.commit()
    assert _links(together) == _links(one_by_one)
    entities = ("risk_item_link", "risk_phase_link")
    assert trail(together, entities) == trail(one_by_one, entities)


def test_a_refused_link_writes_none_of_them(db) -> None:
    program = new_program()
    target = risk(program, "resistance-to-change")
    service.link_work_item(target, item(program, "change-impact").id)
    db.session.commit()
    before = database_state()
    good = item(program, "sales-training").id
    refusals = [
        ([good, item(program, "change-impact").id], []),  # already linked
        ([good, good], []),  # named twice
        ([good], [_phase_id(program, "foundation"), _phase_id(program, "foundation")]),
        ([good, 999_999], []),  # no such item
    ]
    for item_ids, phase_ids in refusals:
        with pytest.raises(ValidationError) as refused:
            service.link_many(risk(program, "resistance-to-change"), item_ids, phase_ids)
        assert refused.value.problems[0].code.startswith("risk.link.")
        db.session.rollback()
        assert database_state() == before


def _open(program: Program, day: date) -> Any:
    return service.open_review(program, {"held_on": day, "title": "Steering"})


DECISIONS = (
    ("resistance-to-change", "continue", "Champions named."),
    ("cleaning-legacy-data", "more_actions", " Profile first. "),
    ("winning-executive-support", "noted", ""),
)


def _decisions(program: Program) -> list[tuple[Any, ...]]:
    db.session.expire_all()
    reviews = service.list_reviews(program.id)
    rows = [
        (d.risk.key, d.decision, d.note, d.version, d.risk.review_date, d.risk.version)
        for review in reviews
        for d in review.decisions
    ]
    return sorted(rows, key=lambda row: row[0])


def test_decisions_in_one_write_match_one_by_one(db) -> None:
    day = TODAY - timedelta(days=7)
    one_by_one = new_program(name="One by one")
    review = _open(one_by_one, day)
    for key, decision, note in DECISIONS:
        service.record_decision(review, risk(one_by_one, key).id, decision, note)
    together = new_program(name="Together")
    review = _open(together, day)
    entries = [(risk(together, key).id, decision, note, None) for key, decision, note in DECISIONS]
    with flushes() as seen:
        made = service.record_decisions(review, entries)
    assert len(seen) == 1
    assert [d.decision for d in made] == [decision for _k, decision, _n in DECISIONS]
    db.session.commit()
    assert _decisions(together) == _decisions(one_by_one)
    entities = ("review_decision", "risk")
    assert trail(together, entities) == trail(one_by_one, entities)


def test_decisions_change_a_stored_one_with_its_version_or_write_nothing(db) -> None:
    program = new_program()
    review = _open(program, TODAY - timedelta(days=7))
    first = risk(program, "resistance-to-change")
    stored = service.record_decision(review, first.id, "continue", "")
    db.session.commit()
    before = database_state()
    other = risk(program, "cleaning-legacy-data").id
    refusals: list[tuple[list[tuple[Any, str, str, Any]], type[Exception]]] = [
        ([(other, "continue", "", None), (first.id, "close", "", None)], StaleEditError),
        ([(other, "continue", "", None), (first.id, "shrug", "", stored.version)], ValidationError),
        ([(other, "continue", "", None), (999_999, "close", "", None)], ValidationError),
    ]
    for entries, error in refusals:
        with pytest.raises(error):
            service.record_decisions(review, entries)
        db.session.rollback()
        assert database_state() == before
    service.record_decisions(
        review,
        [
            (first.id, "escalate", "To the sponsor.", stored.version),
            (other, "continue", "", None),
            (other, "close", "Cleaned.", None),  # named twice: the last entry stands
        ],
    )
    db.session.commit()
    assert sorted((d.risk.key, d.decision, d.note) for d in review.decisions) == [
        ("cleaning-legacy-data", "close", "Cleaned."),
        ("resistance-to-change", "escalate", "To the sponsor."),
    ]


# --------------------------------------------------------------------------- metrics


def test_metric_rows_from_metrics_already_loaded_match_a_fresh_read(db) -> None:
    program = new_program()
    metric = metric_service.metrics_loaded(program)[0]
    metric_service.add_reading(program, metric, program.start_date + timedelta(days=40), 42.0)
    db.session.commit()
    day = program.start_date + timedelta(days=45)
    fresh = metric_service.metric_rows(program, day)
    given = metric_service.metric_rows(program, day, metric_service.metrics_loaded(program))
    assert [(r.metric.key, r.status, r.readings) for r in given] == [
        (r.metric.key, r.status, r.readings) for r in fresh
    ]
    assert pulse_now(program.id, day).metrics[metric.key].value == 42.0
