"""Helpers of the assessment tests: a program, an assessment, interviews with scores."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from planner.models.assessment import Assessment, Interview
from planner.models.program import Program
from planner.services import assessment as service
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

PLAYBOOK = "crm-four-100-days"


def make_program(db: Any, name: str = "Acme rollout", start: date = date(2026, 3, 2)) -> Program:
    program = create_program(get_playbook(PLAYBOOK), name=name, client="Acme", start_date=start)
    db.session.commit()
    return program


def start(db: Any, program: Program, title: str = "Diagnosis", **kw: Any) -> Assessment:
    data = service.AssessmentData(
        title=title,
        kind=kw.pop("kind", "diagnosis"),
        phase_ordinal=kw.pop("phase_ordinal", 0),
        started_on=kw.pop("started_on", program.start_date),
        status=kw.pop("status", "in_progress"),
        completed_on=kw.pop("completed_on", None),
    )
    assessment = service.start_assessment(program, data, **kw)
    db.session.commit()
    return assessment


def interview(
    db: Any,
    assessment: Assessment,
    level: str,
    name: str,
    scores: dict[str, int | None] | None = None,
    **kw: Any,
) -> Interview:
    iv = service.add_interview(
        assessment,
        service.InterviewData(level=level, interviewee=name, role=kw.pop("role", ""), **kw),
    )
    if scores:
        service.save_scores(iv, iv.version, scores)
    db.session.commit()
    return iv


def count(db: Any, model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def url(program: Program, assessment: Assessment | None = None, suffix: str = "") -> str:
    base = f"/programs/{program.id}/assessment"
    if assessment is not None:
        base += f"/{assessment.id}"
    return base + suffix


def level_weights() -> dict[str, float]:
    maturity = get_playbook(PLAYBOOK).maturity
    assert maturity is not None
    return dict(maturity.level_weights)
