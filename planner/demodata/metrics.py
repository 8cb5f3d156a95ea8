"""Demo content for the metrics area: readings over the elapsed weeks, gate evidence and
decisions (a passed phase-1 gate with its decision, a phase-2 gate at risk)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from planner.domain.gates import Decision
from planner.extensions import db
from planner.interop.readings import RawReading, ReadingTable
from planner.models import Program
from planner.models.metric import Metric
from planner.services import gates as gate_service
from planner.services import metrics as metric_service

# Anchor points per metric key: (days relative to today, value); weekly readings follow the
# straight lines between them with a little deterministic wobble. Designed for the demo
# program (started 150 days ago: diagnosis 28 days, phase 1 100 days, so the phase-1 gate was
# 23 days ago and the phase-2 gate is 77 days ahead): every phase-1 target was reached by its
# gate, and today the phase-2 metrics are within the amber band of their targets.
WEEKLY: dict[str, dict[str, list[tuple[int, float]]]] = {
    "crm-four-100-days": {
        "active-users": [
            (-119, 8.0),
            (-90, 35.0),
            (-60, 58.0),
            (-30, 70.0),
            (-23, 72.0),
            (0, 77.0),
        ],
        "weekly-logins": [(-119, 0.8), (-60, 2.5), (-23, 3.2), (0, 3.7)],
        "opportunities-logged": [(-119, 1.1), (-60, 2.4), (-23, 3.2), (0, 3.7)],
        "contact-completeness": [(-119, 56.0), (-60, 68.0), (-23, 77.0), (0, 83.0)],
        "duplicate-rate": [(-119, 11.8), (-60, 7.5), (-23, 4.2), (0, 2.15)],
        # junk orders fall only once the configurator checks orders (phase 2, still being
        # built): flat through phase 1, as the method says
        "junk-order-rate": [(-119, 15.2), (-60, 15.0), (-23, 14.8), (0, 14.3)],
    },
    # started 20 days ago: a 10-day diagnosis, and phase 1 began 10 days ago
    "small-business-quick-start": {
        "active-users": [(-10, 18.0), (0, 34.0)],
        "customer-record-completeness": [(-10, 31.0), (0, 46.0)],
        "prospect-status-current": [(-10, 12.0), (0, 19.0)],
    },
}
# monthly or occasional readings: exact points
POINTS: dict[str, dict[str, list[tuple[int, float, str]]]] = {
    "crm-four-100-days": {
        "forecast-accuracy": [
            (-112, 60.0, "Q1 forecast vs ERP revenue"),
            (-84, 61.5, ""),
            (-56, 63.0, ""),
            (-28, 64.5, "first month with pipeline stages in the CRM"),
            (-1, 66.0, ""),
        ],
        "retention-rate": [(-100, 80.0, "baseline from ERP invoices"), (-10, 80.6, "")],
        "service-close-days": [(-90, 6.0, ""), (-30, 5.8, ""), (-2, 5.5, "service pilot started")],
    },
}
NOTES = {
    -119: "first week after go-live of the pilot",
    -60: "regional roll-out of the sales foundation",
    -23: "reading taken for the phase-1 gate",
    0: "latest weekly report",
}
STEERING = "Steering committee (chair: Liu Yang, sponsor)"


def _wobble(key: str, day: int) -> float:
    return 0.012 * math.sin(day * 0.9 + len(key))


def _value_at(anchors: list[tuple[int, float]], day: int, key: str) -> float:
    for (d0, v0), (d1, v1) in zip(anchors, anchors[1:], strict=False):
        if d0 <= day <= d1:
            value = v0 + (v1 - v0) * (day - d0) / (d1 - d0)
            if day in (d0, d1):
                return round(value, 2)  # anchors are exact: they carry the demo's story
            return round(value * (1 + _wobble(key, day)), 2)
    return anchors[-1][1]


def _mark_milestones_done(program: Program, today: date) -> None:
    """Milestones of phases whose window has ended are done (unless the plan demo did it).

    When the plan demo has recorded no progress at all, the tasks of those phases are
    marked done too: the gates of finished phases were passed, and remaining work would
    otherwise be scheduled from today.
    """
    untouched = all(i.actual_start is None for p in program.phases for i in p.work_items)
    for phase in program.phases:
        if phase.window_end >= today:
            continue
        milestones = [i for i in phase.work_items if i.is_milestone]
        for index, item in enumerate(milestones):
            if item.actual_finish is not None:
                continue
            finished = min(
                phase.window_end - timedelta(days=2 * (len(milestones) - index)),
                today - timedelta(days=1),
            )
            item.actual_start = item.actual_start or finished
            item.actual_finish = finished
            item.percent_complete = 100
        if untouched:
            for item in phase.work_items:
                if item.is_milestone or item.actual_finish is not None:
                    continue
                item.actual_start = min(item.early_start or phase.window_start, phase.window_end)
                item.actual_finish = min(
                    max(item.early_finish or phase.window_end, item.actual_start),
                    phase.window_end,
                )
                item.percent_complete = 100


def _reschedule(program: Program, today: date) -> None:
    try:
        from planner.services.scheduling import reschedule
    except ImportError:  # pragma: no cover - the scheduler ships with the plan area
        return
    reschedule(program, today)


def _add_readings(program: Program, today: date) -> None:
    """Every reading of the demo, added in one import: all of them are checked as a person's
    readings are, and one flush writes them (a flush per reading was most of this area)."""
    start, end = metric_service.program_window(program)
    first_reading = max(start, program.phases[1].window_start if len(program.phases) > 1 else start)
    weekly = WEEKLY.get(program.playbook_id, {})
    points = POINTS.get(program.playbook_id, {})
    rows: list[RawReading] = []

    def add(metric: Metric, day: date, value: float, note: str) -> None:
        # rows numbered as a spreadsheet would (header on row 1), should one be refused
        rows.append(RawReading(len(rows) + 2, metric.key, day, value, note))

    # the metrics with their readings in three queries (not one query per metric)
    for metric in metric_service.metrics_loaded(program):
        anchors = weekly.get(metric.key)
        taken = {r.day for r in metric.readings}
        if anchors:
            day_offset = anchors[0][0]
            offsets = list(range(day_offset, 1, 7))
            if offsets[-1] != 0:
                offsets.append(0)
            for anchor, _value in anchors:
                if anchor not in offsets:
                    offsets.append(anchor)
            for offset in sorted(offsets):
                day = today + timedelta(days=offset)
                if day < first_reading or day > end or day in taken:
                    continue
                add(metric, day, _value_at(anchors, offset, metric.key), NOTES.get(offset, ""))
                taken.add(day)
        for offset, value, note in points.get(metric.key, []):
            day = today + timedelta(days=offset)
            if start <= day <= end and day not in taken:
                add(metric, day, value, note)
                taken.add(day)
    if rows:
        table = ReadingTable(rows, date_column="Date", value_column="Value", metric_column="Metric")
        metric_service.import_readings(program, table)


def _record_gate_evidence(program: Program, today: date) -> None:
    """Manual criteria of passed gates are confirmed, with their evidence."""
    evidence = {
        0: (
            "Roadmap and phase-1 targets signed by the sponsor; steering committee named.",
            "https://intranet.example.com/crm/roadmap-signed.pdf",
        ),
        1: (
            "Pulse survey of the pilot team: 82% say the CRM saves them time (n=34).",
            "https://intranet.example.com/crm/pulse-survey-phase1.xlsx",
        ),
    }
    for phase in program.phases:
        if phase.window_end >= today:
            continue
        text, url = evidence.get(phase.ordinal, ("Confirmed at the gate review.", None))
        for criterion in phase.gate_criteria:
            if criterion.source == "person" and criterion.met is None:
                criterion.met = True
                criterion.evidence = text
                criterion.evidence_url = url
    db.session.flush()


def _record_decisions(program: Program, today: date) -> None:
    for phase in program.phases:
        if phase.window_end >= today:
            continue
        gate_day = phase.window_end
        if phase.ordinal == 1:
            # a conditional go at the gate, then the go once the condition was met
            gate_service.record_decision(
                program,
                phase,
                Decision(
                    kind="conditional_go",
                    decided_by=STEERING,
                    decided_on=gate_day,
                    notes="Foundation live in all pilot regions; adoption ahead of target.",
                    conditions="Finish the pulse survey of the pilot sales team and share it.",
                    due=gate_day + timedelta(days=10),
                ),
                today,
            )
            gate_service.record_decision(
                program,
                phase,
                Decision(
                    kind="go",
                    decided_by=STEERING,
                    decided_on=min(gate_day + timedelta(days=8), today),
                    notes="Pulse survey received (82% positive): phase 2 confirmed.",
                ),
                today,
            )
        else:
            facts = gate_service.program_facts(program, today)
            report = gate_service.evaluate_phase(facts, phase)
            open_points = report.evaluation.overall != "pass"
            gate_service.record_decision(
                program,
                phase,
                Decision(
                    kind="go",
                    decided_by=STEERING,
                    decided_on=gate_day,
                    notes="Diagnosis accepted; roadmap approved."
                    if phase.is_diagnosis
                    else "Gate passed.",
                    justification="The open points are small and owned; they do not block "
                    "the next phase."
                    if open_points
                    else "",
                ),
                today,
            )


def populate(program: Program, today: date) -> None:
    """Give the demo program believable metrics content as of ``today``."""
    if not program.phases:
        return
    if all(i.early_start is None for i in program.work_items):
        # the plan as it stood at the start: the dates the actuals of past phases follow
        _reschedule(program, program.start_date)
    _mark_milestones_done(program, today)
    db.session.flush()
    _reschedule(program, today)
    _add_readings(program, today)
    _record_gate_evidence(program, today)
    _record_decisions(program, today)
    db.session.flush()
