"""The program dashboard (/programs/<id>/dashboard) and the portfolio of every program."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from planner.charts.metrics import TimelinePhase, sparkline_figure, timeline_figure
from planner.explain_text import renderer
from planner.i18n import content_lang, format_day, localized
from planner.models.plan import Phase
from planner.ops.cache import derived
from planner.services import dashboard as service
from planner.services.gates import band_labels
from planner.services.money_cards import money_card, money_cards
from planner.services.programs import get_program
from planner.services.schedule_risk import outlook_stamp
from planner.web.gates import explaining
from planner.web.metrics import display_value
from planner.web.schedule_risk import schedule_risk_card

bp = Blueprint("dashboard", __name__)


def _phase_label(phase: Phase) -> str:
    if phase.kind == "diagnosis":
        return _("Diagnosis")
    return _("Phase %(n)d", n=phase.ordinal)


def _gate_text(status: service.PhaseStatus) -> str:
    words = {
        "pass": _("pass"),
        "at_risk": _("at risk"),
        "fail": _("fail"),
        "on_track": _("on track"),
        "off_track": _("off track"),
    }
    decided = {"go": _("Go"), "conditional_go": _("Conditional go"), "no_go": _("No-go")}
    latest = status.gate.latest_decision
    if latest is not None:
        return _("Gate: %(kind)s", kind=decided.get(latest.kind, latest.kind))
    evaluation = status.gate.evaluation
    if evaluation.is_outlook:
        return _("Outlook: %(result)s", result=words[evaluation.verdict])
    return _("Gate: %(result)s", result=words[evaluation.verdict])


@bp.get("/programs/<int:program_id>/dashboard")
def show(program_id: int) -> ResponseReturnValue:
    program = get_program(program_id)
    today = date.today()
    # a steering room opens the same dashboard at the same minute: render its body once
    # per program revision and language (today and the locale are part of the key)
    # (and of the latest schedule risk analysis, which can be made without a change of revision)
    board_html = derived(
        "dashboard-board",
        program.id,
        lambda: _board_html(program.id, today),
        outlook_stamp(program, today),
    )
    return render_template(
        "dashboard/show.html",
        program=program,
        board_html=Markup(board_html),  # nosec B704 - rendered by Jinja with autoescape
        today=today,
    )


def _board_html(program_id: int, today: date) -> str:
    board = service.build_dashboard(program_id, today, content_lang())
    timeline = timeline_figure(
        [
            TimelinePhase(
                label=_phase_label(s.phase),
                start=s.phase.window_start,
                end=s.phase.window_end,
                rag=s.rag,
                gate_result=s.gate.evaluation.verdict,
                gate_text=_gate_text(s),
                future=s.state == "future",
            )
            for s in board.phases
        ],
        today=today,
        labels={"today": _("Today"), "gate": _("Gate")},
        day_text=format_day,
    )
    sparks = [
        sparkline_figure(line.readings, target=line.status.target, rag=line.status.status)
        for line in board.key_metrics
    ]
    return render_template(
        "dashboard/_board.html",
        program=board.program,
        board=board,
        timeline=timeline,
        sparks=sparks,
        today=today,
        phase_label=_phase_label,
        gate_text=_gate_text,
        format_value=display_value,
        schedule_risk=schedule_risk_card(board.program, today),
        money_card=money_card(board.program, today),  # issue 23: cost and benefit cards
        **explaining(board.program),
    )


def _visible_program_ids() -> list[int] | None:
    """Programs the signed-in user may read (None: no sign-in layer, show all)."""
    try:
        from flask_login import current_user

        from planner.services.users import programs_for
    except ImportError:
        return None
    if not getattr(current_user, "is_authenticated", False):
        return None
    if getattr(current_user, "is_admin", False):
        return None
    return [p.id for p in programs_for(current_user)]


def _sort_order() -> tuple[str, bool]:
    """The portfolio's sort key (an unknown one sorts by name) and whether it descends."""
    sort = request.args.get("sort", "name")
    return (sort if sort in service.SORT_KEYS else "name"), request.args.get("dir") == "desc"


def _explainers(rows: list[service.PortfolioRow]) -> dict[int, Any]:
    """Each program's explainer; band labels come from its playbook, so one look-up a
    playbook, not a program."""
    by_playbook: dict[tuple[str, str], Any] = {}
    explainers = {}
    for row in rows:
        ref = (row.program.playbook_id, row.program.playbook_version)
        if ref not in by_playbook:
            by_playbook[ref] = renderer(band_labels(row.program, content_lang()))
        explainers[row.program.id] = by_playbook[ref]
    return explainers


def _portfolio_columns() -> list[tuple[str, Any]]:
    return [
        ("name", _("Program")),
        ("phase", _("Current phase")),
        ("gate", _("Next gate")),
        ("rag", _("RAG")),
        ("maturity", _("Maturity level")),
        ("progress", _("Through the program")),
    ]


@bp.get("/portfolio")
def portfolio() -> ResponseReturnValue:
    today = date.today()
    sort, descending = _sort_order()
    rows = service.portfolio(
        today, sort, descending, program_ids=_visible_program_ids(), lang=content_lang()
    )
    return render_template(
        "dashboard/portfolio.html",
        rows=rows,
        columns=_portfolio_columns(),
        sort=sort,
        descending=descending,
        today=today,
        phase_label=_phase_label,
        localized=localized,
        explainers=_explainers(rows),
        money_cards=money_cards([row.program for row in rows], today),  # issue 23
    )
