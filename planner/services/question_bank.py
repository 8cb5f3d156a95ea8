"""The assessment's question bank: per indicator, the playbook's questions for the
interview's level; an interview guide per interviewee (the indicators of the categories the
interview covers, their questions, and what was answered, noted and scored); the answers
and notes kept with the score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from planner.domain.errors import ValidationError
from planner.domain.playbook import Indicator as PlaybookIndicator
from planner.extensions import db
from planner.models import Interview, InterviewScore, Program
from planner.models.adoption import InterviewAnswer
from planner.services.assessment import playbook_maturity

MAX_TEXT = 20_000


@dataclass(frozen=True)
class GuideItem:
    key: str
    name: str
    description: str
    questions: tuple[str, ...]
    score: int | None
    answer: str
    note: str


@dataclass(frozen=True)
class GuideSection:
    key: str
    name: str
    items: tuple[GuideItem, ...]


def questions_for(indicator: PlaybookIndicator, level: str, lang: str) -> tuple[str, ...]:
    """The indicator's questions for an interview level, in ``lang``."""
    bank = indicator.questions
    if bank is None:
        return ()
    return tuple(q.get(lang) for q in getattr(bank, level, []))


def answers_of(interview: Interview) -> dict[str, InterviewAnswer]:
    rows = db.session.scalars(
        select(InterviewAnswer).where(InterviewAnswer.interview_id == interview.id)
    )
    return {row.indicator_key: row for row in rows}


def guide(program: Program, interview: Interview, lang: str) -> list[GuideSection]:
    """The interview guide: the covered categories, each indicator with its questions for
    the interview's level, and what is stored for it."""
    maturity = playbook_maturity(program)
    scores = {
        s.indicator_key: s.score
        for s in db.session.scalars(
            select(InterviewScore).where(InterviewScore.interview_id == interview.id)
        )
    }
    answers = answers_of(interview)
    sections: list[GuideSection] = []
    for category in maturity.categories:
        if not interview.covers(category.key):
            continue
        items = []
        for ind in category.indicators:
            stored = answers.get(ind.key)
            items.append(
                GuideItem(
                    ind.key,
                    ind.name.get(lang),
                    ind.description.get(lang) if ind.description else "",
                    questions_for(ind, interview.level, lang),
                    scores.get(ind.key),
                    stored.answer if stored else "",
                    stored.note if stored else "",
                )
            )
        sections.append(GuideSection(category.key, category.name.get(lang), tuple(items)))
    return sections


def save_answers(
    program: Program, interview: Interview, entries: Mapping[str, tuple[str, str]]
) -> int:
    """Keep each indicator's answer and note with the interview (an empty pair removes
    them); returns how many indicators changed."""
    known = {i.key for c in playbook_maturity(program).categories for i in c.indicators}
    unknown = sorted(k for k in entries if k not in known)
    if unknown:
        raise ValidationError.of("indicator", "field.unknown_reference", value=unknown[0])
    stored = answers_of(interview)
    changed = 0
    for key, (answer, note) in entries.items():
        answer, note = answer.strip()[:MAX_TEXT], note.strip()[:MAX_TEXT]
        row = stored.get(key)
        if row is None and (answer or note):
            db.session.add(
                InterviewAnswer(
                    interview_id=interview.id,
                    program_id=program.id,
                    indicator_key=key,
                    answer=answer,
                    note=note,
                )
            )
            changed += 1
        elif row is not None and not (answer or note):
            db.session.delete(row)
            changed += 1
        elif row is not None and (row.answer, row.note) != (answer, note):
            row.answer, row.note = answer, note
            changed += 1
    db.session.flush()
    return changed
