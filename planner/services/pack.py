"""The steering-committee pack: one program's status as a PowerPoint deck and a PDF.

:func:`build_pack` gathers the evidence once — the dashboard's phase RAGs and gate reports
(:mod:`planner.services.dashboard`), the risk register's scale and bands, the metrics judged
against the current phase's targets, the milestones against the latest baseline — and
returns a :class:`~planner.interop.pack_data.Pack` with every text in the reader's language
(headings through Flask-Babel, playbook content through ``localized``). The deck and the
PDF are laid out from that one value, so they say the same thing.

What counts as what:

* *milestones due*: not done, forecast to finish within :data:`DUE_WITHIN_DAYS` days;
* *milestones slipped*: not done and forecast later than in the latest baseline, or after
  their phase's window;
* *top risks*: the open risks with the highest residual score (the dashboard's five);
* *metrics*: every metric with a target for the current phase (the last started phase
  once the program is over), judged by the metrics area's rules;
* *decisions requested*: a gate within :data:`DECISION_WINDOW_DAYS` days (or past) with no
  decision yet; conditions of a conditional go that fall due in that window; open risks
  whose response is to escalate.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from planner.charts.gantt_render import to_svg
from planner.domain.gates import describe_criterion
from planner.domain.risk import band_matrix
from planner.explain_text import format_value, render
from planner.extensions import db
from planner.i18n import format_day
from planner.interop.pack_data import (
    RAG_FILL,
    CriterionRow,
    GateRow,
    HeatMap,
    MetricRow,
    MilestoneRow,
    Pack,
    PhaseRow,
    RiskRow,
    TableSlide,
    rag_of,
)
from planner.interop.pdf_pack import html_to_pdf, metrics_svg, timeline_svg
from planner.models.baseline import BaselineItem
from planner.models.plan import Phase
from planner.models.program import Program
from planner.services import dashboard as dashboard_service
from planner.services.dashboard import PhaseStatus, ProgramDashboard
from planner.services.exchange import latest_baseline
from planner.services.gates import (
    ProgramFacts,
    band_labels,
    is_done,
    load_program,
    program_facts,
)
from planner.services.pack_adoption import adoption_slide
from planner.services.pack_gantt import gantt_slide
from planner.services.pack_money import money_slides
from planner.services.pack_notify import evidence_lines, evidence_title
from planner.services.pack_raid import raid_slide
from planner.services.pack_schedule_risk import schedule_risk_slide
from planner.services.pack_since import since_lines
from planner.services.risks import ScaleInfo, scale_for

DUE_WITHIN_DAYS: Final = 42
DECISION_WINDOW_DAYS: Final = 30
MAX_MILESTONES: Final = 8


def _name(obj: object, field: str, lang: str) -> str:
    english = getattr(obj, field, None) or ""
    chinese = getattr(obj, f"{field}_zh", None) or ""
    return (chinese or english) if lang == "zh" else (english or chinese)


def _phase_label(phase: Phase, lang: str) -> str:
    head = _("Diagnosis") if phase.kind == "diagnosis" else _("Phase %(n)d", n=phase.ordinal)
    return f"{head} · {_name(phase, 'name', lang)}"


def labels() -> dict[str, str]:
    """The pack's headings and column names in the current language."""
    return {
        "timeline_title": _("Phase timeline and RAG"),
        "milestones_title": _("Milestones due and slipped"),
        "due_title": _("Due in the next %(n)d days", n=DUE_WITHIN_DAYS),
        "slipped_title": _("Slipped"),
        "risks_title": _("Top risks"),
        "heat_map": _("Heat map of open risks (residual)"),
        "metrics_title": _("Metrics against targets"),
        "gates_title": _("Gate status"),
        "decisions_title": _("Decisions requested"),
        "phase": _("Phase"),
        "window": _("Window"),
        "state": _("State"),
        "progress": _("Complete"),
        "schedule": _("Schedule"),
        "metrics": _("Metrics"),
        "risks": _("Risks"),
        "overall": _("Overall"),
        "today": _("Today"),
        "milestone": _("Milestone"),
        "forecast": _("Forecast"),
        "baseline": _("Baseline"),
        "slip_days": _("Slip (days)"),
        "none": _("None."),
        "risk": _("Risk"),
        "l_x_i": _("Likelihood × impact"),
        "band": _("Rating"),
        "response": _("Response"),
        "likelihood": _("Likelihood"),
        "impact": _("Impact"),
        "no_open_risks": _("No open risks."),
        "metric": _("Metric"),
        "latest": _("Latest"),
        "target": _("Target"),
        "status": _("Status"),
        "no_readings": _("No metric has both a reading and a target for this phase yet."),
        "gate": _("Gate"),
        "date": _("Date"),
        "evaluation": _("Evaluation"),
        "criteria": _("Criteria"),
        "decision": _("Latest decision"),
        "no_decisions": _("No decision is requested at this meeting."),
        "reason": _("Why"),
        "rag_green": _("Green"),
        "rag_amber": _("Amber"),
        "rag_red": _("Red"),
        "rag_none": _("No status"),
    }


def _rag_label(rag: str | None) -> str:
    return {
        "green": _("Green"),
        "amber": _("Amber"),
        "red": _("Red"),
    }.get(rag or "", _("No status"))


def _overall_label(verdict: str, outlook: bool = False) -> str:
    """A gate verdict (``gates.gate_verdict``) in words; an outlook says so."""
    words = {
        "pass": _("Pass"),
        "at_risk": _("At risk"),
        "fail": _("Fail"),
        "on_track": _("On track"),
        "off_track": _("Off track"),
    }
    word = words.get(verdict, verdict)
    return _("Outlook: %(result)s", result=word) if outlook else word


def _outcome_label(outcome: str, outlook: bool = False) -> str:
    words = {
        "met": _("Met"),
        "on_track": _("On track"),
        "at_risk": _("At risk"),
        "not_met": _("Off track") if outlook else _("Not met"),
    }
    return words.get(outcome, outcome)


def _decision_label(kind: str) -> str:
    return {"go": _("Go"), "conditional_go": _("Conditional go"), "no_go": _("No-go")}.get(
        kind, kind
    )


def _state_label(state: str) -> str:
    return {"past": _("Finished"), "current": _("Current"), "future": _("Ahead")}.get(state, state)


def _response_label(response: str) -> str:
    return {
        "avoid": _("Avoid"),
        "mitigate": _("Mitigate"),
        "transfer": _("Transfer"),
        "accept": _("Accept"),
        "escalate": _("Escalate"),
    }.get(response, response)


def build_pack(program_id: int, today: date, lang: str) -> Pack:
    """The pack of ``program_id`` on ``today``; ``lang`` ("en"/"zh") picks playbook texts."""
    program = load_program(program_id)
    facts = program_facts(program, today, lang=lang)
    board = dashboard_service.dashboard_for(facts)
    info = scale_for(program, lang)
    bands = band_labels(program, lang)
    phases = _phase_rows(board, lang, bands)
    due, slipped = _milestone_rows(program, today, lang)
    risks = _risk_rows(board, info, lang)
    heat = _heat_map(facts, info)
    headline = board.headline
    metrics = _metric_rows(
        program, facts, headline.phase if headline is not None else None, lang, bands
    )
    gates, decisions = _gate_rows(board, facts, today, lang, bands)

    head_rag, headline_text = _headline(board, lang)
    start, end = board.start, board.end
    subtitle = _(
        "Client: %(client)s · status on %(day)s",
        client=program.client,
        day=format_day(today),
    )
    since_title, since = _since(program, today, lang)
    texts = labels()
    texts["open_risks_count"] = _("%(n)d open risks in the register.", n=board.open_risk_count)
    return Pack(
        lang=lang,
        title=_("Steering committee pack"),
        program=program.name,
        client=program.client,
        day=today,
        subtitle=subtitle,
        labels=texts,
        headline_rag=head_rag or "none",
        headline_label=_("Overall: %(rag)s", rag=_rag_label(head_rag)),
        headline_text=headline_text,
        timeline_start=start,
        timeline_end=end,
        phases=tuple(phases),
        due=tuple(due[:MAX_MILESTONES]),
        slipped=tuple(slipped[:MAX_MILESTONES]),
        risks=tuple(risks),
        open_risks=board.open_risk_count,
        heat=heat,
        metrics=tuple(metrics),
        gates=tuple(gates),
        decisions=tuple(decisions),
        since_title=since_title,
        since=since,
        slides=_extra_slides(program, today, lang),
        evidence=evidence_lines(program, lang),
        extra={"evidence_title": evidence_title()},
        adoption=adoption_slide(program, lang),
        raid=raid_slide(program, today, lang),
        gantt=gantt_slide(program, today, lang),
    )


def _extra_slides(program: Program, today: date, lang: str) -> tuple[TableSlide, ...]:
    """Money and workload slides (issue 23), then the schedule risk slide when there is one."""
    return (
        *money_slides(program, today, lang),
        *(t for t in (schedule_risk_slide(program, today, lang),) if t is not None),
    )


def _since(program: Program, today: date, lang: str) -> tuple[str, tuple[str, ...]]:
    """What changed since the last pack: its title and lines."""
    return since_lines(
        program.id,
        today,
        lang,
        {i.key: i for i in program.work_items},
        {p.ordinal: p for p in program.phases},
        {m.key: m for m in program.metrics},
    )


def _headline(board: ProgramDashboard, lang: str) -> tuple[str | None, str]:
    """The headline's RAG (none before the first phase starts) and its line: the phase, the
    open risks, the next gate."""
    headline = board.headline
    head_rag = headline.rag if headline is not None and headline.state != "future" else None
    head_phase = _phase_label(headline.phase, lang) if headline is not None else ""
    next_gate = format_day(board.next_gate.phase.window_end) if board.next_gate else "—"
    text = _(
        "%(phase)s · %(open)d open risks · next gate %(gate)s",
        phase=head_phase,
        open=board.open_risk_count,
        gate=next_gate,
    )
    return head_rag, text


def _phase_rows(board: ProgramDashboard, lang: str, bands: dict[str, str]) -> list[PhaseRow]:
    """Each phase's window, progress and RAG with its reasons."""
    phases = []
    for status in board.phases:
        phases.append(
            PhaseRow(
                label=_phase_label(status.phase, lang),
                start=status.phase.window_start,
                end=status.phase.window_end,
                state=status.state,
                state_label=_state_label(status.state),
                progress=status.progress,
                rag=status.rag if status.state != "future" else "none",
                rag_label=_rag_label(status.rag if status.state != "future" else None),
                schedule_rag=status.schedule.rag,
                metrics_rag=status.metrics.rag if status.state != "future" else "none",
                risks_rag=status.risks.rag,
                short=_("Diagnosis")
                if status.phase.kind == "diagnosis"
                else _("Phase %(n)d", n=status.phase.ordinal),
                reasons=(
                    f"{_('Schedule')}: {render(status.schedule.reason, bands=bands)}",
                    f"{_('Metrics')}: {render(status.metrics.reason, bands=bands)}",
                    f"{_('Risks')}: {render(status.risks.reason, bands=bands)}",
                ),
            )
        )
    return phases


def _milestone_rows(
    program: Program, today: date, lang: str
) -> tuple[list[MilestoneRow], list[MilestoneRow]]:
    """Milestones due soon, and those slipped against the latest baseline or their phase
    window (most slipped first)."""
    phase_of = {p.id: p for p in program.phases}
    baseline = latest_baseline(program)
    baseline_finish: dict[str, date] = {}
    if baseline is not None:
        baseline_finish = dict(
            db.session.execute(
                select(BaselineItem.key, BaselineItem.finish).where(
                    BaselineItem.baseline_id == baseline.id
                )
            ).all()
        )
    pending = sorted(
        (i for i in program.work_items if i.is_milestone and not is_done(i)),
        key=lambda i: (i.early_finish is None, i.early_finish or today, i.position),
    )
    due, slipped = [], []
    for item in pending:
        phase = phase_of[item.phase_id]
        forecast = item.early_finish
        planned = baseline_finish.get(item.key)
        slip = (forecast - planned).days if forecast and planned and forecast > planned else None
        late = (
            (forecast - phase.window_end).days if forecast and forecast > phase.window_end else None
        )
        row = MilestoneRow(
            _name(item, "name", lang) or item.key,
            _phase_label(phase, lang),
            forecast,
            planned,
            slip,
            late,
        )
        if forecast is not None and forecast <= today + timedelta(days=DUE_WITHIN_DAYS):
            due.append(row)
        if slip or late:
            slipped.append(row)
    slipped.sort(key=lambda m: -(m.slip_days or m.past_phase_end or 0))
    return due, slipped


def _risk_rows(board: ProgramDashboard, info: ScaleInfo, lang: str) -> list[RiskRow]:
    """The dashboard's top risks (residual assessment)."""
    risks = []
    for view in board.top_risks:
        risk = view.risk
        likelihood = risk.residual_likelihood or risk.likelihood
        impact = risk.residual_impact or risk.impact
        style = info.styles.get(view.band)
        risks.append(
            RiskRow(
                key=risk.key,
                title=_name(risk, "title", lang),
                likelihood=likelihood,
                impact=impact,
                score=view.score,
                band=view.band,
                band_label=info.label(view.band),
                band_fill=(style.fill if style else "#eeeeee").lstrip("#"),
                owner=risk.owner or "",
                response=_response_label(risk.response),
            )
        )
    return risks


def _heat_map(facts: ProgramFacts, info: ScaleInfo) -> HeatMap:
    """Every open risk (residual) on the scale's 5×5 matrix."""
    counts = [[0] * 5 for _ in range(5)]
    for view in facts.open_risks:
        likelihood = view.risk.residual_likelihood or view.risk.likelihood
        impact = view.risk.residual_impact or view.risk.impact
        counts[likelihood - 1][impact - 1] += 1
    matrix = band_matrix(info.scale)
    heat = HeatMap(
        counts=tuple(tuple(row) for row in counts),
        fills=tuple(tuple(info.styles[band].fill.lstrip("#") for band in row) for row in matrix),
        likelihood_labels=tuple(info.likelihood_label(n) for n in range(1, 6)),
        impact_labels=tuple(info.impact_label(n) for n in range(1, 6)),
        legend=tuple(
            (info.label(name), info.styles[name].fill.lstrip("#")) for name in info.band_names
        ),
    )
    return heat


def _metric_rows(
    program: Program, facts: ProgramFacts, focus: Phase | None, lang: str, bands: dict[str, str]
) -> list[MetricRow]:
    """Metrics against the target of ``focus``, the current (or last started) phase."""
    metrics = []
    for metric in program.metrics:
        judged = facts.judge(metric, focus.ordinal if focus else None)
        if judged.target is None:
            continue
        latest = judged.latest.value if judged.latest is not None else None
        metrics.append(
            MetricRow(
                name=_name(metric, "name", lang) or metric.key,
                unit=metric.unit,
                latest=latest,
                target=judged.target,
                latest_text=format_value(round(latest, 2), metric.unit)
                if latest is not None
                else "—",
                target_text=format_value(round(judged.target, 2), metric.unit),
                rag=judged.status or "none",
                rag_label=_rag_label(judged.status),
                reason=render(judged.reason, bands=bands),
            )
        )
    return metrics


def _gate_rows(
    board: ProgramDashboard, facts: ProgramFacts, today: date, lang: str, bands: dict[str, str]
) -> tuple[list[GateRow], list[str]]:
    """Each gate with its criteria, and the decisions requested of the committee."""
    gates, decisions = [], []
    horizon = today + timedelta(days=DECISION_WINDOW_DAYS)
    for status in board.phases:
        phase = status.phase
        label = _("Gate %(n)d · %(phase)s", n=phase.ordinal, phase=_name(phase, "name", lang))
        gates.append(_gate_row(status, label, today, lang, bands))
        request = _gate_request(status, label, horizon, bands)
        if request is not None:
            decisions.append(request)
    for view in facts.open_risks:
        if view.risk.response == "escalate":
            decisions.append(
                _(
                    "Risk %(key)s “%(title)s” is escalated: decide the response.",
                    key=view.risk.key,
                    title=_name(view.risk, "title", lang),
                )
            )
    return gates, decisions


def _gate_row(
    status: PhaseStatus, label: str, today: date, lang: str, bands: dict[str, str]
) -> GateRow:
    """One gate: its evaluation, latest decision and criteria with their outcomes."""
    report = status.gate
    phase = status.phase
    latest_decision = report.latest_decision
    decision_text = (
        f"{_decision_label(latest_decision.kind)} ({format_day(latest_decision.decided_on)})"
        if latest_decision is not None
        else ""
    )
    return GateRow(
        label=label,
        day=phase.window_end,
        overall=report.evaluation.verdict,
        overall_label=_overall_label(report.evaluation.verdict, report.evaluation.is_outlook),
        summary=render(report.evaluation.summary, bands=bands),
        decision=decision_text,
        criteria=tuple(
            CriterionRow(
                text=_name(line.row, "text", lang)
                if line.row.kind == "manual"
                else render(describe_criterion(line.result.criterion, report.facts), bands=bands),
                outcome=line.result.outcome,
                outcome_label=_outcome_label(line.result.outcome, report.evaluation.is_outlook),
                reason=render(line.result.reason, bands=bands),
            )
            for line in report.lines
        ),
        upcoming=phase.window_end >= today,
    )


def _gate_request(
    status: PhaseStatus, label: str, horizon: date, bands: dict[str, str]
) -> str | None:
    """The decision a gate asks of the committee by ``horizon``: go or not for an undecided
    gate, the conditions of a conditional go falling due; None when it asks nothing."""
    report = status.gate
    phase = status.phase
    latest_decision = report.latest_decision
    if latest_decision is None and phase.window_end <= horizon:
        return _(
            "%(gate)s on %(day)s: decide go, conditional go or no-go "
            "(evaluation today: %(result)s; %(summary)s).",
            gate=label,
            day=format_day(phase.window_end),
            result=_overall_label(report.evaluation.verdict, report.evaluation.is_outlook),
            summary=render(report.evaluation.summary, bands=bands),
        )
    if (
        latest_decision is not None
        and latest_decision.kind == "conditional_go"
        and latest_decision.due is not None
        and latest_decision.due <= horizon
    ):
        return _(
            "%(gate)s: confirm the conditions of the conditional go are met "
            "(due %(day)s): %(conditions)s",
            gate=label,
            day=format_day(latest_decision.due),
            conditions=latest_decision.conditions or "—",
        )
    return None


def pack_pptx(pack: Pack) -> bytes:
    # python-pptx, lxml and Pillow take a noticeable share of start-up: imported when needed
    from planner.interop.pptx_pack import write_pptx

    return write_pptx(pack)


def pack_pdf(pack: Pack) -> bytes:
    """The pack as PDF: ``templates/exchange/pack_pdf.html`` laid out by WeasyPrint."""
    html = render_template(
        "exchange/pack_pdf.html",
        pack=pack,
        timeline=timeline_svg(
            pack.phases,
            pack.timeline_start,
            pack.timeline_end,
            pack.day,
            f"{pack.label('today')} {pack.format_day(pack.day)}",
        ),
        metrics_chart=metrics_svg(pack.metrics, pack.label("latest"), pack.label("target")),
        gantt_chart=to_svg(pack.gantt.scene, title=pack.gantt.title) if pack.gantt else "",
        rag_fill=RAG_FILL,
        rag_of=rag_of,
    )
    return html_to_pdf(html)
