"""The domain's explanations in words: every code has a message, English reads as it always
did (dates now as people write them), and the Chinese interface gets Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from planner.domain.explain import Days, Explanation, Quantity, Quoted, Reason, Term
from planner.domain.gates import (
    GateFacts,
    ManualCriterion,
    MetricCriterion,
    MetricFact,
    MilestoneFact,
    MilestonesCriterion,
    OpenRisk,
    RagResult,
    RiskCriterion,
    describe_criterion,
    evaluate_gate,
    metrics_rag,
    rag_rollup,
    risks_rag,
    schedule_rag,
)
from planner.domain.metrics import MetricDef, PhaseSpan, Reading, StatusRule, metric_status
from planner.explain_text import (
    KNOWN_CODES,
    band_label,
    format_value,
    known_codes,
    render,
    render_english,
    renderer,
    stored_summary,
)

ROOT = Path(__file__).resolve().parents[2]
GATE = date(2024, 4, 9)
BEFORE = date(2024, 3, 1)  # 39 days before the gate
AFTER = date(2024, 4, 10)
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{3,}\b")


@pytest.fixture(scope="module")
def app() -> Flask:
    """Just Flask-Babel with the project's catalogues: no database, no blueprints."""
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    Babel(app)
    return app


@pytest.fixture()
def en(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture()
def zh(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        yield


def _metric(
    status: str | None,
    forecast_status: str | None = None,
    latest: float | None = 50.0,
    forecast_value: float | None = None,
) -> GateFacts:
    fact = MetricFact(
        "active", "Active users", latest, 60.0, status, forecast_status, forecast_value, "%"
    )  # noqa: E501
    return GateFacts(metrics={"active": fact})


MILESTONES = GateFacts(
    milestones={
        "kickoff": MilestoneFact("kickoff", "Kick-off", True, date(2024, 1, 5)),
        "pilot": MilestoneFact("pilot", "Pilot live", False, date(2024, 4, 1)),
        "on-gate": MilestoneFact("on-gate", "Training done", False, GATE),
        "late": MilestoneFact("late", "Data migrated", False, date(2024, 4, 12)),
        "unplanned": MilestoneFact("unplanned", "Reports", False, None),
    }
)
RISKS = GateFacts(
    open_risks=(
        OpenRisk("R-1", "low"),
        OpenRisk("R-2", "high", "Data migration slips"),
        OpenRisk("R-3", "Critical"),
    )
)


def _reason(criterion, facts: GateFacts, today: date = BEFORE) -> Reason:
    (result,) = evaluate_gate([criterion], facts, today, GATE).results
    return result.reason


ACTIVE = MetricDef(
    "active-users", "Active users", "%", "higher", 20.0, {1: 40.0, 2: 60.0}, is_percentage=True
)
PHASES = [
    PhaseSpan(1, date(2024, 1, 1), GATE),
    PhaseSpan(2, date(2024, 4, 10), date(2024, 7, 18)),
]


def _cases() -> list[tuple[Reason, str, str]]:
    """(reason from the domain, English, Chinese): the sentences the pages show."""
    # phase 2 runs 99 days from Apr 10 to its gate on Jul 18; on Apr 29 (day 19) its
    # glide path from 40 to 60 stands at 40 + 20 x 19/99 = 43.84, amber from 39.45
    red_now = metric_status(
        ACTIVE,
        [Reading(date(2024, 4, 15), 35.0), Reading(date(2024, 4, 29), 38.0)],
        PHASES,
        date(2024, 5, 1),
        StatusRule(),
    )
    # x = 0, 7, 14 days: slope 49 / 98 = 0.5, 43 on day 7, the gate is day 94: 86.5;
    # residuals 0.5, -1, 0.5: s = sqrt(1.5); band 3.078 x 1.2247 x sqrt(1 + 1/3 + 87²/98)
    # = 33.41: 53.09 to 119.9, clamped to 100
    with_band = metric_status(
        ACTIVE,
        [
            Reading(date(2024, 4, 15), 40.0),
            Reading(date(2024, 4, 22), 42.0),
            Reading(date(2024, 4, 29), 47.0),
        ],
        PHASES,
        date(2024, 5, 1),
        StatusRule(),
    )
    return [
        (
            _reason(MetricCriterion("active"), _metric("green", latest=62.0)),
            "Active users is 62%, reaching the target of 60%",
            "Active users 为 62%，达到目标值 60%",
        ),
        (
            _reason(MetricCriterion("active"), _metric("red", "green", forecast_value=63.0)),
            "Active users is 50%, short of the target of 60%, but the forecast at the gate "
            "(63%) reaches it",
            "Active users 为 50%，未达到目标值 60%，但关口预测值（63%）能达到",
        ),
        (
            _reason(MetricCriterion("active"), _metric("amber", "red", 56.0, 52.0)),
            "Active users is 56%, short of the target of 60% but within the amber band, "
            "39 days before the gate on Apr 9, 2024",
            "Active users 为 56%，未达到目标值 60%，但在黄色区间内，"
            "距 2024年4月9日 的关口还有 39 天",
        ),
        (
            _reason(MetricCriterion("active"), _metric("amber", None, 56.0), GATE),
            "Active users is 56%, short of the target of 60% but within the amber band, "
            "and the gate is today",
            "Active users 为 56%，未达到目标值 60%，但在黄色区间内，关口就在今天",
        ),
        (
            _reason(MetricCriterion("active"), _metric("amber", "green", 56.0), AFTER),
            "Active users is 56%, short of the target of 60%; the gate on Apr 9, 2024 has passed",
            "Active users 为 56%，未达到目标值 60%；2024年4月9日 的关口已过",
        ),
        (
            _reason(MetricCriterion("active"), _metric("red", "red", forecast_value=51.0)),
            "Active users is 50%, short of the target of 60% and the forecast at the gate "
            "(51%) falls short too",
            "Active users 为 50%，未达到目标值 60%，关口预测值（51%）也达不到",
        ),
        (
            _reason(MetricCriterion("active"), _metric("red")),
            "Active users is 50%, short of the target of 60% and there are too few readings "
            "for a forecast",
            "Active users 为 50%，未达到目标值 60%，且读数太少，无法预测",
        ),
        (
            _reason(MetricCriterion("active"), _metric(None, latest=None), GATE),
            "Active users has no reading yet (target 60%)",
            "Active users 尚无读数（目标值 60%）",
        ),
        (
            _reason(MetricCriterion("active"), _metric(None, latest=None)),
            "Active users has no reading yet in this phase (target 60%)",
            "Active users 在本阶段尚无读数（目标值 60%）",
        ),
        (
            _reason(MetricCriterion("nps"), GateFacts()),
            'unknown metric "nps"',
            "未知采纳指标 “nps”",
        ),
        (
            _reason(MilestonesCriterion(("kickoff", "pilot", "on-gate")), MILESTONES),
            "not done yet, forecast by the gate on Apr 9, 2024: Pilot live (forecast "
            "Apr 1, 2024), Training done (forecast Apr 9, 2024)",
            "尚未完成，预测在 2024年4月9日 的关口前完成：Pilot live（预测 2024年4月1日）、"
            "Training done（预测 2024年4月9日）",
        ),
        (
            _reason(MilestonesCriterion(("ghost", "late", "unplanned")), MILESTONES),
            'unknown milestone "ghost"; forecast after the gate on Apr 9, 2024: Data migrated '
            "(forecast Apr 12, 2024, 3 days late); not done and not scheduled: Reports",
            "未知里程碑 “ghost”；预测晚于 2024年4月9日 的关口：Data migrated（预测 2024年4月12日，"
            "晚 3 天）；未完成且未排程：Reports",
        ),
        (
            _reason(MilestonesCriterion(("pilot",)), MILESTONES, AFTER),
            "not done by the gate on Apr 9, 2024: Pilot live",
            "在 2024年4月9日 的关口前未完成：Pilot live",
        ),
        (
            _reason(MilestonesCriterion(("kickoff",)), MILESTONES),
            "done: Kick-off",
            "已完成：Kick-off",
        ),
        (
            _reason(MilestonesCriterion(()), MILESTONES),
            "no milestones are listed for this criterion",
            "此标准未列出任何里程碑",
        ),
        (
            _reason(RiskCriterion("medium"), RISKS),
            '2 open risks rated above medium: R-2 "Data migration slips" (high), R-3 (Critical)',
            "2 个未关闭风险评级高于中：R-2“Data migration slips”（高）、R-3（极高）",
        ),
        (
            _reason(RiskCriterion("critical"), RISKS),
            "3 open risks, none rated above critical",
            "3 个未关闭风险，评级均不高于极高",
        ),
        (
            _reason(RiskCriterion("extreme"), GateFacts()),
            'unknown band "extreme"; expected one of low, medium, high, critical',
            "未知等级 “extreme”；应为以下之一：低、中、高、极高",
        ),
        (
            _reason(RiskCriterion("high"), GateFacts(open_risks=(OpenRisk("R-4", "severe"),))),
            '1 open risk rated above high: R-4 (unknown band "severe")',
            "1 个未关闭风险评级高于高：R-4（未知等级 “severe”）",
        ),
        (
            _reason(ManualCriterion("Sponsor sign-off", True, "minutes 2024-04-08"), GateFacts()),
            "Sponsor sign-off: confirmed (evidence: minutes 2024-04-08)",
            "Sponsor sign-off：已确认（证据：minutes 2024-04-08）",
        ),
        (
            _reason(ManualCriterion("Sponsor sign-off", False), GateFacts()),
            "Sponsor sign-off: recorded as not met (no evidence recorded)",
            "Sponsor sign-off：记录为未满足（未记录证据）",
        ),
        (
            _reason(ManualCriterion("Sponsor sign-off"), GateFacts()),
            "Sponsor sign-off: pending",
            "Sponsor sign-off：待定",
        ),
        (
            evaluate_gate(
                [ManualCriterion("a", True), ManualCriterion("b")], GateFacts(), GATE, GATE
            ).summary,  # noqa: E501
            "1 of 2 criteria met, 1 at risk, 0 not met",
            "2 项标准中 1 项已满足，1 项有风险，0 项未满足",
        ),
        (
            evaluate_gate(
                [ManualCriterion("a", True), ManualCriterion("b")], GateFacts(), BEFORE, GATE
            ).summary,  # noqa: E501
            "1 of 2 criteria met, 1 on track, 0 at risk, 0 off track",
            "2 项标准中 1 项已满足，1 项进展正常，0 项有风险，0 项偏离轨道",
        ),
        (
            evaluate_gate([], GateFacts(), BEFORE, GATE).summary,
            "this gate has no criteria yet; add criteria before it can pass",
            "此关口尚无标准；添加标准后才能通过",
        ),
        (
            describe_criterion(MilestonesCriterion(("kickoff", "ghost")), MILESTONES),
            "Milestones done: Kick-off, ghost",
            "里程碑已完成：Kick-off、ghost",
        ),
        (
            describe_criterion(RiskCriterion("high")),
            "No open risk rated above high",
            "没有评级高于高的未关闭风险",
        ),
        (
            schedule_rag({"A": 2, "B": 9}, 4, 5).reason,
            "B 9 days late; A 2 days late; the phase overruns its window by 4 days "
            "(tolerance 5 days)",
            "B 延误 9 天；A 延误 2 天；阶段超出时间窗 4 天（容差 5 天）",
        ),
        (
            schedule_rag({}, 1, 5).reason,
            "the phase overruns its window by 1 day (tolerance 5 days)",
            "阶段超出时间窗 1 天（容差 5 天）",
        ),
        (
            schedule_rag({}, 0).reason,
            "no milestone slips and the phase fits its window",
            "没有里程碑延误，阶段未超出时间窗",
        ),
        (
            metrics_rag({"Active users": "amber", "Junk orders": "red", "Logins": None}).reason,
            "red: Junk orders; amber: Active users; no status yet: Logins",
            "红：Junk orders；黄：Active users；尚无状态：Logins",
        ),
        (
            metrics_rag({"Active users": "green", "Junk orders": "green"}).reason,
            "all 2 metrics on target",
            "2 个采纳指标均达到目标值",
        ),
        (
            metrics_rag({}).reason,
            "no metrics are tracked, so nothing shows adoption",
            "没有跟踪任何采纳指标，无法体现采纳情况",
        ),
        (
            risks_rag(["high", "critical", "high"]).reason,
            "1 open risk rated critical, 2 open risks rated high",
            "1 个未关闭风险评级为极高、2 个未关闭风险评级为高",
        ),
        (
            risks_rag([]).reason,
            "no open risk rated high or above",
            "没有评级为高或更高的未关闭风险",
        ),
        (
            rag_rollup(
                RagResult("green", Explanation("schedule.on_time")),
                RagResult("amber", metrics_rag({"Junk orders": "amber"}).reason),
                RagResult("green", Explanation("risks.phase_closed")),
            )[1][1],
            "metrics: amber, amber: Junk orders",
            "采纳指标：黄，黄：Junk orders",
        ),
        (
            StatusRule().describe(ACTIVE, 60.0),
            "green at or above 60%; amber from 54% to below 60% (within 10% of target); "
            "red below 54%",
            "不低于 60% 为绿；54% 至低于 60% 为黄（与目标值相差不超过 10%）；低于 54% 为红",
        ),
        (
            StatusRule(0.1).describe(
                MetricDef("dupes", "Duplicates", "%", "lower", 8.0, {2: 0.0}, True), 0.0
            ),
            "green at or below 0%; amber above 0% up to 0.8% (within 10% of the gap between "
            "the baseline 8% and the target); red above 0.8%",
            "不高于 0% 为绿；高于 0% 至 0.8% 为黄（不超过基准 8% 与目标值之差的 10%）；"
            "高于 0.8% 为红",
        ),
        (
            StatusRule(0.0).describe(ACTIVE, 60.0),
            "green at or above 60%; red below 60% (no amber band: tolerance is 0)",
            "不低于 60% 为绿；低于 60% 为红（无黄色区间：容差为 0）",
        ),
        (
            red_now.reason,
            "latest 38% on Apr 29, 2024 against the glide path's 43.84% that day (phase 2 "
            "target 60% at the gate on Jul 18, 2024): red (green at or above 43.84%; amber "
            "from 39.45% to below 43.84% (within 10% of target); red below 39.45%); not enough "
            "data for a forecast (readings on 3 days needed)",
            "2024年4月29日 的最新读数 38%，对照当日目标路径值 43.84%（第 2 阶段目标值 60%，"
            "2024年7月18日 关口）：红（不低于 43.84% 为绿；39.45% 至低于 43.84% 为黄"
            "（与目标值相差不超过 10%）；低于 39.45% 为红）；数据不足，无法预测（需要 3 天的读数）",
        ),
        (
            with_band.reason[1],
            "forecast 86.5% (likely 53.09% to 100%) at the gate on Jul 18, 2024: green",
            "2024年7月18日 关口的预测值 86.5%（可能在 53.09% 至 100% 之间）：绿",
        ),
        (
            metric_status(ACTIVE, [], PHASES, date(2023, 12, 1), StatusRule()).reason,
            "no phase has started by Dec 1, 2023; no target to judge by",
            "截至 2023年12月1日 没有阶段开始；没有可用于评判的目标值",
        ),
        (
            metric_status(ACTIVE, [], PHASES, date(2024, 2, 2), StatusRule()).reason,
            "no reading yet; phase 1 target 40%",
            "尚无读数；第 1 阶段目标值 40%",
        ),
    ]


CASES = _cases()


@pytest.mark.parametrize(("reason", "english", "chinese"), CASES)
def test_english(en: None, reason: Reason, english: str, chinese: str) -> None:
    assert render(reason) == english


@pytest.mark.parametrize(("reason", "english", "chinese"), CASES)
def test_chinese(zh: None, reason: Reason, english: str, chinese: str) -> None:
    assert render(reason) == chinese


@pytest.mark.parametrize(("reason", "english", "chinese"), CASES[:6])
def test_english_outside_any_app(reason: Reason, english: str, chinese: str) -> None:
    assert render(reason) == english


def test_every_code_the_domain_writes_has_words() -> None:
    """A code without words would show as the code itself: find every code in the source
    (a dotted lower-case literal in the modules that explain)."""
    written: set[str] = set()
    modules = ("domain/gates.py", "domain/metrics.py", "domain/benefit_review.py")
    for module in (*modules, "services/dashboard.py"):
        text = (ROOT / "planner" / module).read_text(encoding="utf-8")
        written |= set(re.findall(r'"([a-z]+(?:\.[a-z_]+)+)"', text))
        # codes built from a prefix and a known ending
        for prefix, ending in re.findall(r'"([a-z_.]+)" \+ \("" if \w+ else "(\w+)"\)', text):
            written |= {prefix, prefix + ending}
        if 'f"rule.{metric.direction}' in text:
            written |= {f"rule.{d}{end}" for d in ("higher", "lower") for end in ("", "_no_band")}
    assert len(written) > 50, written  # the scan found the domain's codes
    # worded here or by a feature catalogue (planner/messages/)
    assert written - known_codes() == set()


@pytest.mark.parametrize("code", sorted(KNOWN_CODES))
def test_every_message_is_translated(zh: None, code: str) -> None:
    params: dict[str, object] = {
        "name": "X",
        "names": ("X", "Y"),
        "key": "K-1",
        "keys": (Quoted("k"),),
        "title": "T",
        "text": "T",
        "evidence": "E",
        "count": 2,
        "met": 1,
        "total": 2,
        "at_risk": 1,
        "not_met": 0,
        "on_track": 1,
        "off_track": 0,
        "path": Quantity(1.5, "%"),
        "low": Quantity(3, "%"),
        "high": Quantity(7, "%"),
        "start": GATE,
        "band": Term("band", "high"),
        "known": (Term("band", "low"),),
        "latest": Quantity(1, "%"),
        "target": Quantity(2, "%"),
        "bound": Quantity(3, "%"),
        "forecast": Quantity(4, "%"),
        "value": Quantity(5, "%"),
        "tolerance": Quantity(10, "%"),
        "baseline": Quantity(8, "%"),
        "gate": GATE,
        "day": GATE,
        "days": Days(2),
        "phase": 1,
        "status": Term("rag", "red"),
        "rag": Term("rag", "amber"),
        "area": Term("area", "risks"),
        "items": (Explanation("milestone.forecast", {"name": "X", "forecast": GATE}),),
        "groups": (Explanation("risks.rated_band", {"count": 1, "band": Term("band", "low")}),),
        "risks": (
            Explanation("risk.rated", {"key": "R", "title": "", "band": Term("band", "low")}),
        ),  # noqa: E501
        "reason": Explanation("schedule.on_time"),
        "problems": Explanation("schedule.overrun", {"days": Days(1)}),
        "rule": Explanation("rule.no_band.zero_target"),
        "within": Explanation("rule.within_target", {"tolerance": Quantity(10, "%")}),
        "why": Explanation("rule.no_band.zero_tolerance"),
        "clauses": (Explanation("metrics.none_tracked"), Explanation("schedule.on_time")),
        # the benefit review's figures
        "expected": Quantity(60_000, ""),
        "realised": Quantity(45_000, ""),
        "share": Quantity(75, "%"),
        "required": Quantity(100, "%"),
        "measured": 1,
        "go_live": GATE,
    }
    text = render(Explanation(code, params))
    assert "%(" not in text and code not in text, text
    if code not in ("criterion.manual", "risk.rated", "risks.rated"):  # only data of ours
        assert CJK.search(text), text
    # what is left in English is the data we gave: X, Y, K-1, T, E
    assert not [w for w in ENGLISH_WORDS.findall(text)], text


def test_band_labels_come_from_the_scale_then_the_defaults(zh: None) -> None:
    assert band_label("high", {"high": "高风险"}) == "高风险"
    assert band_label("HIGH", {"high": "高风险"}) == "高风险"  # the name as typed
    assert band_label("high") == "高"
    assert band_label("severe") == "severe"  # a band of nobody's scale: as it is
    explain = renderer({"medium": "中等"})
    assert explain(describe_criterion(RiskCriterion("medium"))) == "没有评级高于中等的未关闭风险"


def test_band_labels_in_english(en: None) -> None:
    assert band_label("high", {"high": "High"}) == "High"
    assert band_label("Critical") == "Critical"
    assert renderer({"high": "High"})(risks_rag(["high"]).reason) == "1 open risk rated High"


@pytest.mark.parametrize(
    ("value", "unit", "english", "chinese"),
    [
        (60.0, "%", "60%", "60%"),
        (1.0, "days", "1 day", "1 天"),
        (3.5, "days", "3.5 days", "3.5 天"),
        (2.0, "count", "2", "2"),
        (12345.5, "ratio", "12,345.5", "12,345.5"),
        (1.5, "logins/week", "1.5 logins/week", "1.5 logins/week"),  # the owner's unit
        (-0.0, "%", "0%", "0%"),
    ],
)
def test_format_value(app: Flask, value: float, unit: str, english: str, chinese: str) -> None:
    with app.test_request_context():
        with force_locale("en"):
            assert format_value(value, unit) == english
        with force_locale("zh_Hans_CN"):
            assert format_value(value, unit) == chinese


def test_a_decision_keeps_its_summary_in_english_and_shows_it_in_the_readers_language(
    app: Flask,
) -> None:
    summary = evaluate_gate([ManualCriterion("a", True)], GateFacts(), GATE, GATE).summary
    outlook = evaluate_gate([ManualCriterion("a", True)], GateFacts(), BEFORE, GATE).summary
    with app.test_request_context():
        with force_locale("zh_Hans_CN"):
            stored = render_english(summary)  # whoever records it
            assert stored == "1 of 1 criteria met, 0 at risk, 0 not met"
            assert stored_summary(stored) == "1 项标准中 1 项已满足，0 项有风险，0 项未满足"
            # a decision taken before the gate date keeps the outlook's counts
            early = render_english(outlook)
            assert early == "1 of 1 criteria met, 0 on track, 0 at risk, 0 off track"
            assert stored_summary(early) == (
                "1 项标准中 1 项已满足，0 项进展正常，0 项有风险，0 项偏离轨道"
            )
            none = render_english(Explanation("gate.no_criteria"))
            assert stored_summary(none) == "此关口尚无标准；添加标准后才能通过"
            # anything else is shown as it was stored
            assert stored_summary("<b>typed by hand</b>") == "<b>typed by hand</b>"
        with force_locale("en"):
            assert stored_summary(stored) == stored


def test_nothing_to_say_is_empty() -> None:
    assert render(None) == ""


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.6351, "0.64%"), (70.1867, "70.19%"), (54.0, "54%"), (0.0045, "0.0045%"), (0.0, "0%")],
)
def test_values_in_a_sentence_have_two_decimals_as_on_the_pages(
    en: None, value: float, shown: str
) -> None:
    reason = Explanation("metric.no_reading", {"phase": 1, "target": Quantity(value, "%")})
    assert render(reason) == f"no reading yet; phase 1 target {shown}"
