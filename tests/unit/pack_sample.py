"""A literal steering-committee pack for the unit tests of the deck and the PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.interop.pack_data import (
    CriterionRow,
    GateRow,
    HeatMap,
    MetricRow,
    MilestoneRow,
    Pack,
    PhaseRow,
    RiskRow,
)

D = dt.date(2026, 1, 5)
LABELS = {
    "timeline_title": "Phase timeline and RAG",
    "milestones_title": "Milestones due and slipped",
    "risks_title": "Top risks",
    "metrics_title": "Metrics against targets",
    "gates_title": "Gate status",
    "decisions_title": "Decisions requested",
    "latest": "Latest",
    "target": "Target",
    "criteria": "Criteria",
}


def phase(n: int, rag: str, state: str) -> PhaseRow:
    start = D + dt.timedelta(days=100 * n)
    return PhaseRow(
        label=f"第 {n} 阶段 · Phase {n}",
        start=start,
        end=start + dt.timedelta(days=99),
        state=state,
        state_label=state,
        progress=50.0,
        rag=rag,
        rag_label=rag.capitalize(),
        schedule_rag=rag,
        metrics_rag="green",
        risks_rag="amber",
        reasons=("schedule: on time", "metrics: fine", "risks: 2 high"),
        short=f"P{n}",
    )


def sample_pack(lang: str = "zh") -> Pack:
    heat_counts = tuple(tuple((lk * im) % 3 for im in range(1, 6)) for lk in range(1, 6))
    fills = tuple(
        tuple("C8E6C9" if lk * im < 5 else "FFCDD2" for im in range(1, 6)) for lk in range(1, 6)
    )
    return Pack(
        lang=lang,
        title="指导委员会汇报 Steering committee pack",
        program="华东 CRM 实施",
        client="Acme 华东",
        day=D + dt.timedelta(days=150),
        subtitle="Client: Acme",
        labels=LABELS,
        headline_rag="amber",
        headline_label="Overall: Amber",
        headline_text="Phase 1 · 9 open risks",
        timeline_start=D,
        timeline_end=D + dt.timedelta(days=299),
        phases=(
            phase(0, "green", "past"),
            phase(1, "amber", "current"),
            phase(2, "none", "future"),
        ),
        due=(MilestoneRow("试点上线 Pilot live", "Phase 1", D + dt.timedelta(days=160)),),
        slipped=(
            MilestoneRow(
                "数据迁移 Data migrated",
                "Phase 1",
                D + dt.timedelta(days=180),
                D + dt.timedelta(days=170),
                10,
                3,
            ),
        ),
        risks=(
            RiskRow(
                "R-1", "抵制变革 Resistance", 4, 4, 16, "high", "高", "FFD8A8", "Li", "Mitigate"
            ),
        ),
        open_risks=3,
        heat=HeatMap(
            counts=heat_counts,
            fills=fills,
            likelihood_labels=("罕见", "不太可能", "可能", "很可能", "几乎肯定"),
            impact_labels=("可忽略", "较小", "中等", "重大", "严重"),
            legend=(("低", "C8E6C9"), ("高", "FFCDD2")),
        ),
        metrics=(
            MetricRow("活跃用户 Active users", "%", 54.0, 70.0, "54%", "70%", "amber", "黄"),
            MetricRow("Junk orders", "%", 4.0, 5.0, "4%", "5%", "green", "绿"),
            MetricRow("Forecast accuracy", "%", None, 80.0, "—", "80%", "none", "No status"),
        ),
        gates=(
            GateRow(
                "Gate 0", D + dt.timedelta(days=99), "pass", "Pass", "2 of 2 met", "Go (2026-04-14)"
            ),
            GateRow(
                "Gate 1 · 第一个100天",
                D + dt.timedelta(days=199),
                "at_risk",
                "At risk",
                "1 of 2 met, 1 at risk",
                "",
                (
                    CriterionRow(
                        "Active users reach the target", "at_risk", "At risk", "54% of 70%"
                    ),
                    CriterionRow("赞助人签字 Sponsor signs", "met", "Met", "signed"),
                ),
                upcoming=True,
            ),
        ),
        decisions=("Gate 1 on 2026-07-23: decide go, conditional go or no-go.",),
    )


def without_extras(pack: Pack) -> Pack:
    """The same pack with no metrics readings, no upcoming gate criteria, no decisions."""
    return replace(
        pack,
        metrics=(),
        gates=tuple(replace(g, criteria=(), upcoming=False) for g in pack.gates),
        decisions=(),
        due=(),
        slipped=(),
        risks=(),
    )
