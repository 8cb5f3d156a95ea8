"""The cost and benefit cards of the dashboard, the portfolio and the steering pack: a
program's money and workload in a few figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from planner.extensions import db
from planner.models import Assignment, Benefit, BudgetLine, CostEntry, Program
from planner.services.benefits import Case, Review, benefit_review, benefits_case
from planner.services.money import CostReport, cost_report
from planner.services.workload import build_workload


@dataclass(frozen=True)
class MoneyCard:
    program: Program
    cost: CostReport
    case: Case | None
    overloaded: tuple[str, ...]  # people over capacity in the coming weeks
    #: the benefit review as its gate judges it today (None: no case, or no gate has it)
    review: Review | None = None
    today: date | None = None

    @property
    def review_outlook(self) -> bool:
        """The review's gate is still ahead: its outcome is an outlook."""
        return bool(self.review and self.today and self.today < self.review.phase.window_end)

    @property
    def currency(self) -> str:
        return self.cost.currency


def has_money(program: Program) -> bool:
    """Whether the program has anything to show: assignments, costs, budget or benefits."""
    for model in (Assignment, CostEntry, BudgetLine, Benefit):
        if db.session.scalars(select(model.id).where(model.program_id == program.id)).first():
            return True
    return False


def money_card(program: Program, today: date, *, weeks_ahead: int = 12) -> MoneyCard | None:
    if not has_money(program):
        return None
    case = benefits_case(program, today)
    view = build_workload([program], today=today, weeks_before=0, weeks_after=weeks_ahead)
    return MoneyCard(
        program,
        cost_report(program, today),
        case if case.lines else None,
        tuple(r.name for r in view.overloaded_people),
        benefit_review(program, case, today) if case.lines else None,
        today,
    )


def programs_with_money(program_ids: list[int]) -> set[int]:
    """Which of the programs have money data (four queries, however many programs)."""
    found: set[int] = set()
    for model in (Assignment, CostEntry, BudgetLine, Benefit):
        found |= set(
            db.session.scalars(
                select(model.program_id).where(model.program_id.in_(program_ids)).distinct()
            )
        )
    return found


def money_cards(programs: list[Program], today: date) -> dict[int, MoneyCard]:
    """The cards of the programs that have money data (the portfolio's money table)."""
    with_money = programs_with_money([p.id for p in programs])
    cards = {}
    for program in programs:
        card = money_card(program, today) if program.id in with_money else None
        if card is not None:
            cards[program.id] = card
    return cards
