"""The steering pack's RAID slide: open issues, pending change requests with their impact,
and the decisions taken since the last steering review (the review's day included).

Built here as plain rows in the pack's language (the pptx and pdf writers only lay them
out); the steering review page shows the same content (:func:`raid_for_review`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from planner.extensions import db
from planner.models import (
    ChangeRequest,
    Decision,
    Issue,
    Phase,
    Program,
    RiskAction,
    SteeringReview,
)
from planner.services import change_requests, raid
from planner.services.raid_log import RaidRow, decisions_since

MAX_ROWS = 6
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class RaidSlide:
    title: str
    issues_title: str
    changes_title: str
    decisions_title: str
    issue_header: tuple[str, ...]
    change_header: tuple[str, ...]
    decision_header: tuple[str, ...]
    issues: tuple[tuple[str, ...], ...]
    changes: tuple[tuple[str, ...], ...]
    decisions: tuple[tuple[str, ...], ...]
    none: str

    @property
    def empty(self) -> bool:
        return not (self.issues or self.changes or self.decisions)


def _severity(value: str) -> str:
    words = {"low": _("Low"), "medium": _("Medium"), "high": _("High"), "critical": _("Critical")}
    return words.get(value, value)


def _decision_kind(value: str) -> str:
    words = {"go": _("Go"), "conditional_go": _("Conditional go"), "no_go": _("No-go")}
    return words.get(value, "")


def _phase(ordinal: int | None, key: str) -> str:
    if ordinal is None:
        return key
    return _("Diagnosis") if ordinal == 0 else _("Phase %(n)d", n=ordinal)


def last_review_before(program: Program, day: date) -> SteeringReview | None:
    return db.session.scalars(
        select(SteeringReview)
        .where(SteeringReview.program_id == program.id, SteeringReview.held_on <= day)
        .order_by(SteeringReview.held_on.desc())
        .limit(1)
    ).first()


def _cost_text(impact: change_requests.Impact, lang: str) -> str:
    """The change's price in a few words: the planned cost difference, or why there is none."""
    cost = impact.cost
    if cost is None:
        return _("cost not tracked") if impact.priced is False else ""
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    amount = format_decimal(round(cost.delta), format="+#,##0;-#,##0", locale=locale)
    return _("cost %(delta)s %(currency)s", delta=amount, currency=cost.currency)


def _impact_text(program: Program, change: ChangeRequest, today: date, lang: str = "en") -> str:
    impact = change_requests.impact_of(program, change, today)
    if impact is None:
        return "—"
    ordinals = {p.key: p.ordinal for p in program.phases}
    moved = [
        _(
            "%(phase)s gate %(n)s wd",
            phase=_phase(ordinals.get(g.phase), g.phase),
            n=f"{g.shift:+d}",
        )
        for g in impact.gates_moved
    ]
    finish = _("finish %(n)s wd", n=f"{impact.finish_shift:+d}")
    cost = _cost_text(impact, lang)
    text = "; ".join([*moved, finish, *([cost] if cost else [])])
    if impact.stale:
        text += " · " + _("plan changed since: re-analyse")
    return text


def _day_writer(lang: str) -> Callable[[date | None], str]:
    locale = "zh_Hans_CN" if lang == "zh" else "en"
    return lambda day: str(format_date(day, "medium", locale=locale)) if day else "—"


def raid_slide(program: Program, today: date, lang: str) -> RaidSlide:
    """The slide of ``program`` on ``today`` in the pack's language (``lang``: en/zh)."""
    fmt = _day_writer(lang)
    issues = sorted(
        (i for i in raid.list_issues(program) if i.is_open),
        key=lambda i: (SEVERITY_ORDER.get(i.severity, 9), i.due_date or date.max, i.id),
    )
    review = last_review_before(program, today)
    since = review.held_on if review else None
    decisions = decisions_since(program, since, inclusive=True)
    return RaidSlide(
        title=_("RAID: issues, changes and decisions"),
        issues_title=_("Open issues (%(n)d)", n=len(issues)),
        changes_title=_("Change requests awaiting steering"),
        decisions_title=(
            _("Decisions since the review of %(day)s", day=fmt(since)) if since else _("Decisions")
        ),
        issue_header=(_("Issue"), _("Severity"), _("Owner"), _("Due date")),
        change_header=(_("Change request"), _("Requester"), _("Impact")),
        decision_header=(_("Decision"), _("Date"), _("Decided by")),
        issues=tuple(
            (
                f"{i.key} {i.title}",
                _severity(i.severity),
                i.owner or "—",
                fmt(i.due_date) if i.due_date else "—",
            )
            for i in issues[:MAX_ROWS]
        ),
        changes=tuple(
            (f"{c.key} {c.title}", c.requester, _impact_text(program, c, today, lang))
            for c in change_requests.pending_changes(program)[:MAX_ROWS]
        ),
        decisions=tuple(
            (
                f"{d.key} {d.title_zh if lang == 'zh' and d.title_zh else d.title}"
                + (f" — {_decision_kind(d.status)}" if d.gate_decision else ""),
                fmt(d.due),
                d.owner,
            )
            for d in decisions[:MAX_ROWS]
        ),
        none=_("None."),
    )


@dataclass(frozen=True)
class ReviewRaid:
    """What a steering review looks at besides the register: open issues, change requests
    awaiting it, and the decisions taken since the previous review up to this one."""

    issues: list[Issue]
    changes: list[ChangeRequest]
    decisions: list[RaidRow]
    since: date | None
    actions: list[RiskAction]


def raid_for_review(review: SteeringReview) -> ReviewRaid:
    program = db.session.get(Program, review.program_id)
    assert program is not None
    previous = last_review_before(program, review.held_on - timedelta(days=1))
    since = previous.held_on if previous else None
    decisions = [
        d for d in decisions_since(program, since) if d.due is not None and d.due <= review.held_on
    ]
    return ReviewRaid(
        issues=[i for i in raid.list_issues(program) if i.is_open],
        changes=change_requests.pending_changes(program),
        decisions=decisions,
        since=since,
        actions=[a for a in raid.list_actions(program) if a.review_id == review.id],
    )


@dataclass(frozen=True)
class GateRaid:
    """A phase's gate in the RAID log: its actions and the decisions linked to it."""

    actions: list[RiskAction]
    decisions: list[Decision]


def raid_for_gate(phase: Phase) -> GateRaid:
    program = db.session.get(Program, phase.program_id)
    assert program is not None
    return GateRaid(
        actions=[a for a in raid.list_actions(program) if a.gate_phase_id == phase.id],
        decisions=[d for d in raid.list_decisions(program) if d.gate_phase_id == phase.id],
    )
