"""The Northwind demo register's history as data: the steps from the first steering review to
today, in the order they happened. ``planner.demodata.risks`` walks them.

Risks are named by key (``R-11`` and ``R-12`` are created on the way); days are offsets from
the demo's today, so every run tells the same story relative to its date.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Day(NamedTuple):
    """``offset`` days from today."""

    offset: int


class PhaseId(NamedTuple):
    """The id of the phase with this key."""

    key: str


class PhaseDay(NamedTuple):
    """``offset`` days after the start of the phase's window."""

    key: str
    offset: int


class Reading(NamedTuple):
    """A note quoting a metric's latest reading on a day: ``text`` with ``{}`` for the value."""

    text: str
    metric: str
    offset: int


class Set(NamedTuple):
    risk: str
    values: dict[str, Any]


class Act(NamedTuple):
    """A new action on the risk; ``done`` is the day it was done (None: still open)."""

    risk: str
    title: str
    owner: str
    due: int
    done: int | None = None


class Done(NamedTuple):
    """The risk's ``nth`` action (from 0) is done ``on`` that day."""

    risk: str
    nth: int
    on: int


class Link(NamedTuple):
    """Links to work items or phases, by key."""

    risk: str
    keys: tuple[str, ...]


class Create(NamedTuple):
    values: dict[str, Any]


class Review(NamedTuple):
    """A steering review: the decisions that follow belong to it."""

    day: int
    title: str
    attendees: str
    notes: str


class Decide(NamedTuple):
    risk: str
    decision: str
    note: str | Reading


Step = Set | Act | Done | Link | Create | Review | Decide

# (risk, owner, residual likelihood, residual impact, review day): the register at the first
# steering review (end of phase 1's first month)
_OWNERS = (
    ("resistance-to-change", "Sales director Li Wei", 3, 3, -70),
    ("defining-system-features", "Product owner Zhang Min", 3, 2, -60),
    ("ensuring-proper-use", "Sales operations lead Chen Jie", 3, 4, -60),
    ("finding-process-gaps", "Process lead Wang Fang", 2, 4, -50),
    ("determining-roi", "Finance controller Zhou Lan", 2, 3, -40),
    ("setting-strategic-goals", "Programme sponsor Liu Yang", 2, 3, -60),
    ("cleaning-legacy-data", "Data steward Sun Hao", 3, 3, -60),
    ("winning-executive-support", "Programme sponsor Liu Yang", 2, 4, -80),
    ("software-customisation", "Solution architect Huang Tao", 2, 3, -70),
    ("evaluating-system-and-tools", "IT manager Zhao Qiang", 1, 3, -90),
)

NORTHWIND: tuple[Step, ...] = (
    *(
        Set(
            key,
            {
                "owner": owner,
                "residual_likelihood": likelihood,
                "residual_impact": impact,
                "review_date": Day(review),
            },
        )
        for key, owner, likelihood, impact, review in _OWNERS
    ),
    Set(
        "resistance-to-change",
        {
            "status": "mitigating",
            "trigger": "Fewer than 60% of reps log opportunities two weeks after go-live.",
            "contingency": "Tie the weekly pipeline meeting to CRM data only; coach the lowest "
            "users one to one.",
            "proximity_phase_id": PhaseId("foundation"),
        },
    ),
    Set(
        "cleaning-legacy-data",
        {
            "status": "mitigating",
            "trigger": "Duplicate rate above 5% in the data-profiling report.",
            "contingency": "Load only active customers of the last 24 months; clean the rest in "
            "waves.",
            "proximity_phase_id": PhaseId("foundation"),
            "proximity_date": PhaseDay("foundation", 60),
        },
    ),
    Set(
        "winning-executive-support",
        {"contingency": "Escalate to the CEO through the steering committee chair."},
    ),
    Set(
        "software-customisation",
        {
            "trigger": "Change requests for custom code exceed 10 in phase 2.",
            "contingency": "Freeze customisation; use standard quoting with manual approval.",
            "proximity_phase_id": PhaseId("second-capability"),
        },
    ),
    Act(
        "resistance-to-change", "Name a change champion in every sales region", "Li Wei", -95, -100
    ),
    Act("resistance-to-change", "Publish the 'what changes for me' pack", "Li Wei", -80, -82),
    Act("cleaning-legacy-data", "Profile the legacy contact database", "Sun Hao", -90, -91),
    Act(
        "defining-system-features",
        "Prioritise requirements with MoSCoW in a workshop",
        "Zhang Min",
        -88,
    ),
    Act("ensuring-proper-use", "Agree usage KPIs with the sales managers", "Chen Jie", -75, -76),
    Link("resistance-to-change", ("change-impact", "sales-training", "foundation")),
    Link(
        "cleaning-legacy-data",
        ("data-profiling", "contact-migration", "data-quality-campaign"),
    ),
    Link("defining-system-features", ("sfa-requirements", "sfa-design-signed-off")),
    Link("ensuring-proper-use", ("hypercare", "sales-efficiency-confirmed")),
    Link("software-customisation", ("configurator-build", "second-capability")),
    Link("winning-executive-support", ("p1-gate-review",)),
    Link("finding-process-gaps", ("quoting-requirements", "order-validation")),
    Link("determining-roi", ("benefit-baseline",)),
    Review(
        -84,
        "Steering committee #1",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhao Qiang (IT manager)\nProject lead",
        "Foundation phase under way. Agreed to review the register every six weeks.",
    ),
    Decide("resistance-to-change", "continue", "Champions named; keep the weekly usage report."),
    Decide("cleaning-legacy-data", "more_actions", "Profile first, then decide what to migrate."),
    Decide("winning-executive-support", "noted", "Sponsor attends every steering committee."),
    # ---- the six weeks after: data gets worse, the sponsor steps in, goals settled
    Set(
        "cleaning-legacy-data",
        {"residual_likelihood": 4, "residual_impact": 4, "review_date": Day(-30)},
    ),
    Set(
        "resistance-to-change",
        {"residual_likelihood": 2, "residual_impact": 3, "review_date": Day(-20)},
    ),
    Set(
        "defining-system-features",
        {"status": "mitigating", "residual_likelihood": 2, "review_date": Day(-25)},
    ),
    Set("setting-strategic-goals", {"status": "closed", "review_date": None}),
    Set("winning-executive-support", {"residual_likelihood": 1, "review_date": Day(-14)}),
    Done("defining-system-features", 0, -60),
    Act(
        "cleaning-legacy-data",
        "Run the duplicate-merge campaign with the regions",
        "Sun Hao",
        -35,
    ),
    Act(
        "cleaning-legacy-data",
        "Freeze edits in the legacy contact system",
        "IT manager Zhao Qiang",
        -50,
    ),
    Act("ensuring-proper-use", "Weekly adoption dashboard to the sales managers", "Chen Jie", -30),
    Create(
        {
            "key": "R-11",
            "title": "Key users leave during the pilot",
            "title_zh": "试点期间关键用户流失",
            "description": "Two of the five pilot key users have applied for internal moves.",
            "description_zh": "五名试点关键用户中已有两人申请内部调岗。",
            "category": "people",
            "cause": "Pilot workload on top of a full sales quota.",
            "cause_zh": "试点工作叠加在满额的销售指标之上。",
            "effect": "Pilot feedback stalls; training material has no field owner.",
            "effect_zh": "试点反馈停滞；培训材料没有一线业务负责人。",
            "owner": "HR business partner Ma Li",
            "likelihood": 3,
            "impact": 4,
            "residual_likelihood": 2,
            "residual_impact": 3,
            "response": "mitigate",
            "mitigation": "Relieve key users of 20% of quota for the pilot; name deputies.",
            "mitigation_zh": "试点期间为关键用户减免 20% 的销售指标；为每人指定替补。",
            "review_date": Day(-10),
            "proximity_phase_id": PhaseId("second-capability"),
        }
    ),
    Act("R-11", "Agree quota relief with the sales director", "Ma Li", -40, -41),
    Act("R-11", "Name a deputy for every key user", "Ma Li", -12),
    Link("R-11", ("quoting-training", "configurator-uat")),
    Review(
        -42,
        "Steering committee #2",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhou Lan (finance controller)\n"
        "Zhao Qiang (IT manager)\nProject lead",
        "Foundation go-live reached. Data quality is now the top concern.",
    ),
    Decide("cleaning-legacy-data", "escalate", "Sponsor to ask regional heads for clean-up time."),
    Decide("setting-strategic-goals", "close", "Strategic goals signed off in the roadmap."),
    Decide("R-11", "more_actions", "Deputies for every key user by next review."),
    Decide(
        "resistance-to-change",
        "continue",
        Reading("Active users at {}% of licences.", "active-users", -42),
    ),
    # ---- up to the last review: customisation bites, data recovers a little
    Set("software-customisation", {"status": "occurred", "occurred_on": Day(-15)}),
    Set(
        "software-customisation",
        {
            "issue_note": "The quoting configurator needed custom pricing rules; two weeks lost. "
            "Handled as issue I-3 with the vendor."
        },
    ),
    Set("cleaning-legacy-data", {"residual_likelihood": 3, "review_date": Day(-5)}),
    Set(
        "determining-roi",
        {
            "residual_likelihood": 3,
            "residual_impact": 4,
            "review_date": Day(-3),
            "status": "mitigating",
        },
    ),
    Set("ensuring-proper-use", {"status": "mitigating", "review_date": Day(-4)}),
    Act(
        "determining-roi",
        "Measure quote turnaround before and after the configurator",
        "Zhou Lan",
        -6,
    ),
    Create(
        {
            "key": "R-12",
            "title": "ERP interface specification arrives late",
            "title_zh": "ERP 接口规格说明交付延迟",
            "description": "The ERP team's release calendar puts our interface after phase 3 "
            "integration testing.",
            "description_zh": "按 ERP 团队的发布日历，我们的接口排在第 3 阶段集成测试之后。",
            "category": "technology",
            "cause": "ERP upgrade project has priority on the same team.",
            "cause_zh": "同一团队的 ERP 升级项目优先。",
            "effect": "Integrated launch slips; order re-keying continues.",
            "effect_zh": "集成上线推迟；订单仍需重复录入。",
            "owner": "Solution architect Huang Tao",
            "likelihood": 4,
            "impact": 4,
            "residual_likelihood": 3,
            "residual_impact": 4,
            "response": "escalate",
            "mitigation": "Ask the sponsor to reserve ERP capacity; agree a file-based interim.",
            "mitigation_zh": "请发起人为本项目预留 ERP 团队的产能；商定基于文件的过渡接口。",
            "contingency": "Keep manual order entry with a daily reconciliation.",
            "trigger": "No signed interface specification four weeks before phase 3.",
            "review_date": Day(14),
            "proximity_phase_id": PhaseId("integration"),
            "proximity_date": PhaseDay("integration", 30),
        }
    ),
    Act("R-12", "Raise ERP capacity at the IT steering board", "Huang Tao", 10),
    Link("R-12", ("integration-architecture", "erp-interface-build")),
    Review(
        -7,
        "Steering committee #3",
        "Liu Yang (sponsor, chair)\nLi Wei (sales director)\nZhou Lan (finance controller)\n"
        "Huang Tao (solution architect)\nProject lead",
        "Configurator build running two weeks late (customisation issue). ERP interface is the "
        "new top risk for phase 3.",
    ),
    Decide("R-12", "escalate", "Sponsor raises ERP capacity with the CIO."),
    Decide(
        "software-customisation", "noted", "Issue I-3 tracked in the issue log; lessons learnt."
    ),
    Decide(
        "cleaning-legacy-data",
        "continue",
        Reading("Duplicate rate down to {}%; keep the campaign running.", "duplicate-rate", -7),
    ),
    Decide("determining-roi", "more_actions", "Baseline quote turnaround before the next review."),
    # ---- since the last review: one risk down, one reassessed
    Set("resistance-to-change", {"residual_likelihood": 1, "review_date": Day(30)}),
    Set("evaluating-system-and-tools", {"status": "closed", "review_date": None}),
    Set("R-11", {"residual_likelihood": 3, "review_date": Day(-2)}),
)
