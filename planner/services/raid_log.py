"""The RAID log as one list: risks, actions, issues, decisions (gate decisions among them)
and change requests, with counts per kind and status and one filter.

Each row is plain data for the page, the API and the pack; ``status`` is the row's own
vocabulary (a risk's, an issue's, …) and ``overdue`` says whether it is late on ``today``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from sqlalchemy import select

from planner.extensions import db
from planner.models import GateDecision, Program
from planner.services import change_requests, raid, risk_cadence

KINDS: Final = ("risk", "action", "issue", "decision", "change")


@dataclass(frozen=True)
class RaidRow:
    kind: str
    id: int
    key: str
    title: str
    owner: str
    status: str
    due: date | None
    overdue: bool
    is_open: bool
    parent: str = ""  # an action's risk/issue/review/gate; a decision's link
    gate_decision: bool = False  # a decision read from a gate's decision record
    title_zh: str = ""  # the Chinese title, where the row has one


@dataclass(frozen=True)
class RaidQuery:
    kind: str = ""
    status: str = ""
    owner: str = ""
    text: str = ""
    open_only: bool = False
    overdue_only: bool = False

    def keeps(self, row: RaidRow) -> bool:
        if self.kind and row.kind != self.kind:
            return False
        if self.status and row.status != self.status:
            return False
        if self.owner and self.owner.casefold() not in row.owner.casefold():
            return False
        needle = self.text.casefold()
        if needle and needle not in f"{row.key} {row.title}".casefold():
            return False
        if self.open_only and not row.is_open:
            return False
        return not (self.overdue_only and not row.overdue)


@dataclass(frozen=True)
class RaidLog:
    rows: list[RaidRow]
    shown: list[RaidRow]
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    owners: list[str] = field(default_factory=list)

    def total(self, kind: str) -> int:
        return sum(self.counts.get(kind, Counter()).values())


def _risk_rows(program: Program, today: date) -> list[RaidRow]:
    cadences = risk_cadence.band_cadences(program)
    rows = []
    for risk in program.risks:
        due = risk_cadence.due_of(risk, today, cadences)
        rows.append(
            RaidRow(
                "risk",
                risk.id,
                risk.key,
                risk.title,
                risk.owner or "",
                risk.status,
                due.next_on,
                due.overdue,
                risk.is_open,
                title_zh=risk.title_zh or "",
            )
        )
    return rows


def _action_rows(program: Program, today: date) -> list[RaidRow]:
    return [
        RaidRow(
            "action",
            a.id,
            f"A-{a.id}",
            a.title,
            a.owner or "",
            a.status,
            a.due_date,
            a.is_overdue(today),
            not a.done,
            parent=a.owner_label,
        )
        for a in raid.list_actions(program)
    ]


def _issue_rows(program: Program, today: date) -> list[RaidRow]:
    return [
        RaidRow(
            "issue",
            i.id,
            i.key,
            i.title,
            i.owner or "",
            i.status,
            i.due_date,
            i.is_overdue(today),
            i.is_open,
            parent=i.source_risk.key if i.source_risk else "",
        )
        for i in raid.list_issues(program)
    ]


def gate_decisions(program: Program) -> list[GateDecision]:
    return list(
        db.session.scalars(
            select(GateDecision)
            .where(GateDecision.program_id == program.id)
            .order_by(GateDecision.decided_on.desc(), GateDecision.id.desc())
        )
    )


def _decision_rows(program: Program) -> list[RaidRow]:
    rows = []
    for d in raid.list_decisions(program):
        link = d.change_request or d.issue
        parent = link.key if link else (f"gate {d.gate_phase.ordinal}" if d.gate_phase else "")
        if not parent and d.review is not None:
            parent = f"review {d.review.held_on.isoformat()}"
        rows.append(
            RaidRow(
                "decision",
                d.id,
                d.key,
                d.title,
                d.decided_by,
                "recorded",
                d.decided_on,
                False,
                False,
                parent=parent,
            )
        )
    for g in gate_decisions(program):
        rows.append(
            RaidRow(
                "decision",
                g.id,
                f"G{g.phase.ordinal}-{g.id}",
                g.phase.name,
                g.decided_by,
                g.kind,
                g.decided_on,
                False,
                False,
                parent=f"gate {g.phase.ordinal}",
                gate_decision=True,
                title_zh=g.phase.name_zh or "",
            )
        )
    return rows


def _change_rows(program: Program) -> list[RaidRow]:
    return [
        RaidRow(
            "change",
            c.id,
            c.key,
            c.title,
            c.requester,
            c.status,
            c.requested_on,
            False,
            c.is_pending,
        )
        for c in change_requests.list_changes(program)
    ]


def raid_log(program: Program, query: RaidQuery, today: date) -> RaidLog:
    rows = [
        *_risk_rows(program, today),
        *_action_rows(program, today),
        *_issue_rows(program, today),
        *_decision_rows(program),
        *_change_rows(program),
    ]
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for row in rows:
        counts[row.kind][row.status] += 1
    owners = sorted({r.owner for r in rows if r.owner}, key=str.casefold)
    return RaidLog(rows, [r for r in rows if query.keeps(r)], counts, owners)


def decisions_since(
    program: Program, since: date | None, *, inclusive: bool = False
) -> list[RaidRow]:
    """Decisions (the log's and the gates') taken after ``since`` (on it too with
    ``inclusive``; all when None), newest first."""
    rows = _decision_rows(program)

    def kept_row(row: RaidRow) -> bool:
        if since is None:
            return True
        return row.due is not None and (row.due >= since if inclusive else row.due > since)

    kept = [r for r in rows if kept_row(r)]
    return sorted(kept, key=lambda r: (r.due or date.min, r.key), reverse=True)


@dataclass(frozen=True)
class RaidSummary:
    """The RAID figures the dashboard card shows."""

    overdue_actions: list[Any]
    open_issues: int
    pending_changes: int
    overdue_reviews: int


def raid_summary(program: Program, today: date) -> RaidSummary:
    return RaidSummary(
        overdue_actions=raid.overdue_actions(program, today),
        open_issues=sum(1 for i in raid.list_issues(program) if i.is_open),
        pending_changes=len(change_requests.pending_changes(program)),
        overdue_reviews=len(risk_cadence.overdue_reviews(program, today)),
    )
