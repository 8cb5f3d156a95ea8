"""Upgrading a running program to a newer playbook version: automatic changes and conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.errors import DependencyCycleError, ValidationError
from planner.domain.playbook import (
    ManualCriterion,
    MaxRiskBandCriterion,
    MetricTargetCriterion,
    MilestonesDoneCriterion,
    Playbook,
    Task,
    load_playbook,
    parse_playbook,
)
from planner.domain.playbook_upgrade import (
    ProgramGateCriterion,
    ProgramItem,
    ProgramLink,
    ProgramMetric,
    ProgramRisk,
    ProgramSnapshot,
    UpgradeAction,
    UpgradePlan,
    apply_decisions,
    plan_upgrade,
)

OLD_TEXT = """\
id: up
version: "1.0"
title: Up
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: Diagnosis
    length_days: 28
    tasks:
      - {key: interviews, name: Interviews, duration: 5}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap, depends_on: [report]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
      - {kind: manual, text: Sponsor signs}
  - ordinal: 1
    key: pilot
    name: Pilot
    tasks:
      - {key: design, name: Design, duration: 10, depends_on: [roadmap]}
      - {key: training, name: Training, duration: 5,
         depends_on: [{key: design, type: SS, lag: 2}]}
      - {key: legacy, name: Legacy support, duration: 4, depends_on: [design]}
    milestones:
      - {key: go-live, name: Go-live, depends_on: [training]}
    gate:
      - {kind: metric_target, metric: active-users}
      - {kind: max_risk_band, band: high}
risks:
  - {key: resistance, title: Resistance, category: people, likelihood: 3, impact: 4}
  - {key: vendor, title: Vendor fails, category: vendor, likelihood: 2, impact: 3}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, targets: {1: 70}}
  - {key: logins, name: Logins, unit: per week, direction: higher, targets: {1: 3}}
"""

# What 1.1 changes: design renamed and 10 → 12 days; design → training lag 2 → 4; legacy
# removed; super-users and data-check added in the pilot; a rollout phase with dashboards;
# resistance likelihood 3 → 4, vendor removed, turnover added; active-users target 70 → 75,
# logins removed; the pilot's band high → medium and a new manual criterion; the diagnosis's
# manual criterion removed.
NEW_TEXT = """\
id: up
version: "1.1"
title: Up
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: Diagnosis
    length_days: 28
    tasks:
      - {key: interviews, name: Interviews, duration: 5}
      - {key: report, name: Report, duration: 3, depends_on: [interviews]}
    milestones:
      - {key: roadmap, name: Roadmap, depends_on: [report]}
    gate:
      - {kind: milestones_done, milestones: [roadmap]}
  - ordinal: 1
    key: pilot
    name: Pilot
    tasks:
      - {key: design, name: Design the pilot, duration: 12, depends_on: [roadmap]}
      - {key: training, name: Training, duration: 5,
         depends_on: [{key: design, type: SS, lag: 4}]}
      - {key: super-users, name: Super users, duration: 3, workstream: change,
         depends_on: [design]}
      - {key: data-check, name: Data check, duration: 2, depends_on: [report]}
    milestones:
      - {key: go-live, name: Go-live, depends_on: [training, super-users]}
    gate:
      - {kind: metric_target, metric: active-users}
      - {kind: max_risk_band, band: medium}
      - {kind: manual, text: {en: Pulse survey done, zh: 已完成快速调查}}
  - ordinal: 2
    key: rollout
    name: Rollout
    tasks:
      - {key: dashboards, name: Dashboards, duration: 5, depends_on: [go-live]}
    gate:
      - {kind: max_risk_band, band: medium}
risks:
  - {key: resistance, title: Resistance, category: people, likelihood: 4, impact: 4}
  - {key: turnover, title: Key users leave, category: people, likelihood: 3, impact: 3}
metrics:
  - {key: active-users, name: Active users, unit: "%", direction: higher, targets: {1: 75}}
"""

OLD = parse_playbook(OLD_TEXT, source="old.yaml")
NEW = parse_playbook(NEW_TEXT, source="new.yaml")


def snapshot(pb: Playbook) -> ProgramSnapshot:
    """The program a playbook instantiates, untouched (what the service builds)."""
    items = {
        item.key: ProgramItem(
            key=item.key,
            phase_key=phase.key,
            name=item.name.en or "",
            name_zh=item.name.zh,
            duration=item.duration if isinstance(item, Task) else 0,
            workstream=item.workstream,
            owner_role=item.owner_role,
            kind="task" if isinstance(item, Task) else "milestone",
            from_playbook=True,
            edited=False,
        )
        for phase, item in pb.work_items()
    }
    links = [
        ProgramLink(
            predecessor=dep.key,
            successor=item.key,
            type=dep.type,
            lag=dep.lag,
            from_playbook=True,
            edited=False,
        )
        for _phase, item in pb.work_items()
        for dep in item.depends_on
    ]
    risks = {
        r.key: ProgramRisk(
            key=r.key,
            title=r.title.en or "",
            title_zh=r.title.zh,
            likelihood=r.likelihood,
            impact=r.impact,
            response=r.response,
            mitigation=r.mitigation.en if r.mitigation else None,
            mitigation_zh=r.mitigation.zh if r.mitigation else None,
            from_playbook=True,
            edited=False,
        )
        for r in pb.risks
    }
    metrics = {
        m.key: ProgramMetric(key=m.key, targets=dict(m.targets), from_playbook=True, edited=False)
        for m in pb.metrics
    }
    gates = []
    for phase in pb.phases:
        for c in phase.gate:
            reference, text, text_zh = "", "", None
            if isinstance(c, MetricTargetCriterion):
                reference = c.metric
            elif isinstance(c, MilestonesDoneCriterion):
                reference = " ".join(c.milestones)
            elif isinstance(c, MaxRiskBandCriterion):
                reference = c.band
            elif isinstance(c, ManualCriterion):
                text, text_zh = c.text.en or "", c.text.zh
            gates.append(
                ProgramGateCriterion(
                    phase_key=phase.key,
                    kind=c.kind,
                    reference=reference,
                    text=text,
                    text_zh=text_zh,
                    from_playbook=True,
                    edited=False,
                )
            )
    return ProgramSnapshot(
        items=items,
        links=links,
        risks=risks,
        metrics=metrics,
        gate_criteria=gates,
        phases=[p.key for p in pb.phases],
    )


BASE = snapshot(OLD)


def with_item(program: ProgramSnapshot, key: str, **changes: object) -> ProgramSnapshot:
    items = dict(program.items)
    items[key] = replace(items[key], **changes)
    return replace(program, items=items)


def without_item(program: ProgramSnapshot, key: str) -> ProgramSnapshot:
    items = {k: v for k, v in program.items.items() if k != key}
    links = [link for link in program.links if key not in (link.predecessor, link.successor)]
    return replace(program, items=items, links=links)


def with_link(program: ProgramSnapshot, link: ProgramLink) -> ProgramSnapshot:
    others = [
        x
        for x in program.links
        if (x.predecessor, x.successor) != (link.predecessor, link.successor)
    ]
    return replace(program, links=[*others, link])


def summary(actions: list[UpgradeAction]) -> list[tuple[str, str, str, str | None]]:
    return [(a.op, a.section, a.key, a.code) for a in actions]


# --------------------------------------------------------------------------- automatic


def test_untouched_program_takes_every_change_automatically() -> None:
    plan = plan_upgrade(BASE, OLD, NEW)
    assert plan.conflicts == []
    assert (plan.playbook_id, plan.from_version, plan.to_version) == ("up", "1.0", "1.1")
    assert summary(plan.actions) == [
        ("update", "task", "design", "unchanged_in_program"),
        ("add", "task", "super-users", "new_in_playbook"),
        ("add", "task", "data-check", "new_in_playbook"),
        ("skip", "task", "dashboards", "missing_phase"),  # the program has no rollout phase
        ("remove", "task", "legacy", "removed_from_playbook"),
        ("update", "dependency", "design → training", "unchanged_in_program"),
        ("add", "dependency", "design → super-users", "new_in_playbook"),
        ("add", "dependency", "report → data-check", "new_in_playbook"),
        ("add", "dependency", "super-users → go-live", "new_in_playbook"),
        ("skip", "dependency", "go-live → dashboards", "missing_end"),
        ("remove", "dependency", "design → legacy", "removed_from_playbook"),
        ("update", "risk", "resistance", "unchanged_in_program"),
        ("add", "risk", "turnover", "new_in_playbook"),
        ("remove", "risk", "vendor", "removed_from_playbook"),
        ("update", "metric", "active-users", "unchanged_in_program"),
        ("remove", "metric", "logins", "removed_from_playbook"),
        ("update", "gate", "max_risk_band", "unchanged_in_program"),
        ("add", "gate", "manual:Pulse survey done", "new_in_playbook"),
        ("skip", "gate", "max_risk_band", "missing_phase"),
        ("remove", "gate", "manual:Sponsor signs", "removed_from_playbook"),
    ]
    by_key = {(a.section, a.key, a.phase): a for a in plan.actions}
    design = by_key["task", "design", "pilot"]
    assert design.fields == {"name": ("Design", "Design the pilot"), "duration": (10, 12)}
    assert by_key["dependency", "design → training", "pilot"].fields == {"lag": (2, 4)}
    assert by_key["risk", "resistance", None].fields == {"likelihood": (3, 4)}
    assert by_key["metric", "active-users", None].fields == {"targets": ({1: 70}, {1: 75})}
    assert by_key["gate", "max_risk_band", "pilot"].fields == {"reference": ("high", "medium")}
    added = by_key["task", "super-users", "pilot"]
    assert added.fields["duration"] == (None, 3)
    assert added.fields["workstream"] == (None, "change")
    assert (added.code, dict(added.details)) == (
        "new_in_playbook",
        {"section": "task", "version": "1.1"},
    )
    # add: 2 tasks + 3 links + 1 risk + 1 gate criterion = 7; update: design, its link to
    # training, resistance, active-users, the pilot's band = 5; remove: legacy, its link,
    # vendor, logins, the diagnosis's manual criterion = 5; skip: dashboards, its link, the
    # rollout's gate = 3
    assert plan.counts() == {
        "add": 7,
        "update": 5,
        "remove": 5,
        "keep": 0,
        "skip": 3,
        "conflicts": 0,
    }
    # no conflicts: the final list is the plan's, with nothing left to settle
    assert apply_decisions(plan, {}) == plan.actions


def test_same_version_changes_nothing() -> None:
    plan = plan_upgrade(BASE, OLD, OLD)
    assert plan.actions == [] and plan.conflicts == []


def test_playbooks_with_different_ids_are_refused() -> None:
    other = parse_playbook(OLD_TEXT.replace("id: up", "id: other"))
    with pytest.raises(ValidationError) as caught:
        plan_upgrade(BASE, OLD, other)
    assert [(p.field, p.code, dict(p.params)) for p in caught.value.problems] == [
        ("playbook", "upgrade.other_playbook", {"old": "up", "new": "other"})
    ]


# --------------------------------------------------------------------------- conflicts

ConflictRow = tuple[str, str, object, object, object]


@pytest.mark.parametrize(
    ("program", "expected"),
    [
        pytest.param(
            with_item(BASE, "design", duration=11, edited=True),
            [
                # the name changed in the playbook and the program still has the old one,
                # but the item is edited: every changed field is the lead's call
                ("task:design:name", "edited_in_program", "Design", "Design", "Design the pilot"),
                ("task:design:duration", "edited_in_program", 11, 10, 12),
            ],
            id="edited task",
        ),
        pytest.param(
            with_item(BASE, "design", name="Design the pilot", duration=12, edited=True),
            [],
            id="edited task that already has the new values",
        ),
        pytest.param(
            with_item(BASE, "legacy", has_progress=True),
            [("task:legacy", "removed_but_in_progress", "Legacy support", "Legacy support", None)],
            id="removed task with progress",
        ),
        pytest.param(
            with_item(BASE, "legacy", edited=True),
            [("task:legacy", "removed_but_edited", "Legacy support", "Legacy support", None)],
            id="removed task the program edited",
        ),
        pytest.param(
            with_link(
                BASE,
                ProgramLink(
                    predecessor="legacy", successor="go-live", from_playbook=False, edited=False
                ),
            ),
            [("task:legacy", "removed_but_linked", "Legacy support", "Legacy support", None)],
            id="removed task the program linked to",
        ),
        pytest.param(
            without_item(BASE, "report"),
            [("task:data-check", "missing_predecessor", None, None, "Data check")],
            id="new task after an item the program removed",
        ),
        pytest.param(
            replace(
                BASE,
                items={
                    **BASE.items,
                    "super-users": ProgramItem(
                        key="super-users",
                        phase_key="pilot",
                        name="Our super users",
                        duration=6,
                        from_playbook=False,
                        edited=True,
                    ),
                },
            ),
            [("task:super-users", "key_taken", "Our super users", None, "Super users")],
            id="new task whose key the program already uses",
        ),
        pytest.param(
            with_link(
                BASE,
                ProgramLink(
                    predecessor="design",
                    successor="training",
                    type="SS",
                    lag=3,
                    from_playbook=True,
                    edited=True,
                ),
            ),
            [("dependency:design → training:lag", "edited_in_program", 3, 2, 4)],
            id="edited dependency",
        ),
        pytest.param(
            with_link(
                BASE,
                ProgramLink(
                    predecessor="design", successor="legacy", from_playbook=True, edited=True
                ),
            ),
            # the link goes with its item, which is removed automatically
            [],
            id="edited dependency of a removed item",
        ),
        pytest.param(
            replace(
                BASE,
                risks={
                    **BASE.risks,
                    "resistance": replace(BASE.risks["resistance"], likelihood=5, edited=True),
                },
            ),
            [("risk:resistance:likelihood", "edited_in_program", 5, 3, 4)],
            id="edited risk",
        ),
        pytest.param(
            replace(
                BASE,
                risks={**BASE.risks, "vendor": replace(BASE.risks["vendor"], edited=True)},
            ),
            [("risk:vendor", "removed_but_edited", "Vendor fails", "Vendor fails", None)],
            id="removed risk the program edited",
        ),
        pytest.param(
            replace(
                BASE,
                metrics={
                    **BASE.metrics,
                    "logins": replace(BASE.metrics["logins"], has_readings=True),
                },
            ),
            [("metric:logins", "removed_but_has_readings", {1: 3}, {1: 3}, None)],
            id="removed metric with readings",
        ),
        pytest.param(
            replace(
                BASE,
                metrics={
                    **BASE.metrics,
                    "active-users": replace(
                        BASE.metrics["active-users"], targets={1: 60}, edited=True
                    ),
                },
            ),
            [("metric:active-users:targets", "edited_in_program", {1: 60}, {1: 70}, {1: 75})],
            id="edited metric targets",
        ),
        pytest.param(
            replace(
                BASE,
                gate_criteria=[
                    replace(c, judged=True) if c.kind == "manual" else c for c in BASE.gate_criteria
                ],
            ),
            [
                (
                    "gate:diagnosis:manual:Sponsor signs",
                    "removed_but_judged",
                    "Sponsor signs",
                    "Sponsor signs",
                    None,
                )
            ],
            id="removed manual criterion already judged",
        ),
        pytest.param(
            replace(
                BASE,
                gate_criteria=[
                    replace(c, reference="critical", edited=True)
                    if c.kind == "max_risk_band"
                    else c
                    for c in BASE.gate_criteria
                ],
            ),
            [
                (
                    "gate:pilot:max_risk_band:reference",
                    "edited_in_program",
                    "critical",
                    "high",
                    "medium",
                )
            ],
            id="edited gate band",
        ),
    ],
)
def test_conflicts_for_the_lead(program: ProgramSnapshot, expected: list[ConflictRow]) -> None:
    plan = plan_upgrade(program, OLD, NEW)
    assert [
        (c.id, c.code, c.program_value, c.old_playbook_value, c.new_playbook_value)
        for c in plan.conflicts
    ] == expected
    conflicted = {(c.section, c.phase, c.key) for c in plan.conflicts}
    # nothing that is in conflict is also changed automatically
    assert not [
        a for a in plan.actions if (a.section, a.phase, a.key) in conflicted and a.op != "keep"
    ]


def test_program_added_items_are_kept() -> None:
    extra = ProgramItem(
        key="extra",
        phase_key="pilot",
        name="Extra workshop",
        duration=2,
        from_playbook=False,
        edited=False,
    )
    program = replace(
        BASE,
        items={**BASE.items, "extra": extra},
        links=[
            *BASE.links,
            ProgramLink(predecessor="design", successor="extra", from_playbook=False, edited=False),
        ],
        risks={
            **BASE.risks,
            "local": ProgramRisk(
                key="local",
                title="Local",
                likelihood=2,
                impact=2,
                from_playbook=False,
                edited=False,
            ),
        },
        metrics={
            **BASE.metrics,
            "nps": ProgramMetric(key="nps", targets={1: 20}, from_playbook=False, edited=False),
        },
        gate_criteria=[
            *BASE.gate_criteria,
            ProgramGateCriterion(
                phase_key="pilot",
                kind="manual",
                text="Demo to the board",
                from_playbook=False,
                edited=False,
            ),
        ],
    )
    plan = plan_upgrade(program, OLD, NEW)
    keeps = [(a.section, a.key, a.reason) for a in plan.actions if a.op == "keep"]
    assert keeps == [
        ("task", "extra", "added by the program"),
        ("dependency", "design → extra", "added by the program"),
        ("risk", "local", "added by the program"),
        ("metric", "nps", "added by the program"),
        ("gate", "manual:Demo to the board", "added by the program"),
    ]
    assert plan.conflicts == []


def test_a_change_to_something_the_program_removed_is_skipped() -> None:
    plan = plan_upgrade(without_item(BASE, "design"), OLD, NEW)
    skipped = {(a.section, a.key): a.code for a in plan.actions if a.op == "skip"}
    assert skipped["task", "design"] == "removed_by_program"
    assert skipped["dependency", "design → training"] == "removed_by_program"
    # the new task after design cannot be linked to it, nor can design's new link be added
    assert skipped["dependency", "design → super-users"] == "missing_end"
    # design existed in 1.0, so super-users (which needs it) is for the lead
    assert [c.id for c in plan.conflicts] == ["task:super-users"]


def test_a_new_dependency_that_closes_a_cycle_is_skipped() -> None:
    # the program dropped training → go-live and made design wait for go-live itself
    program = replace(
        BASE,
        links=[
            *(x for x in BASE.links if (x.predecessor, x.successor) != ("training", "go-live")),
            ProgramLink(
                predecessor="go-live", successor="design", from_playbook=False, edited=False
            ),
        ],
    )
    plan = plan_upgrade(program, OLD, NEW)
    [skip] = [a for a in plan.actions if a.key == "super-users → go-live"]
    assert (skip.op, skip.code) == ("skip", "would_close_cycle")
    # the one sentence of every cycle (planner/messages/dependencies.py)
    # named from its smallest key, as every refusal of a cycle names it
    assert skip.reason == "dependency cycle: design → super-users → go-live → design"


# --------------------------------------------------------------------------- decisions


def test_decisions_take_new_or_keep_the_program() -> None:
    program = with_item(BASE, "design", duration=11, edited=True)
    plan = plan_upgrade(program, OLD, NEW)
    final = apply_decisions(
        plan, {"task:design:name": "take_new", "task:design:duration": "keep_program"}
    )
    design = [a for a in final if a.key == "design"]
    assert [(a.op, a.fields, a.code) for a in design] == [
        ("update", {"name": ("Design", "Design the pilot")}, "taken_by_lead")
    ]
    both = apply_decisions(
        plan, {"task:design:name": "take_new", "task:design:duration": "take_new"}
    )
    # two decided fields of one item become one update
    [merged] = [a for a in both if a.key == "design"]
    assert merged.fields == {"name": ("Design", "Design the pilot"), "duration": (11, 12)}
    kept = apply_decisions(
        plan, {"task:design:name": "keep_program", "task:design:duration": "keep_program"}
    )
    [keep] = [a for a in kept if a.key == "design"]
    assert (keep.op, keep.code) == ("keep", "kept_by_lead")
    # everything else is what the plan said
    others = [a for a in plan.actions if a.key != "design"]
    assert [a for a in kept if a.key != "design"] == others


def test_taking_a_removal_also_removes_the_programs_links_to_it() -> None:
    program = with_link(
        BASE,
        ProgramLink(predecessor="legacy", successor="go-live", from_playbook=False, edited=False),
    )
    plan = plan_upgrade(program, OLD, NEW)
    final = apply_decisions(plan, {"task:legacy": "take_new"})
    legacy = [(a.op, a.section, a.key, a.code) for a in final if "legacy" in a.key]
    assert legacy == [
        ("remove", "task", "legacy", "taken_by_lead"),
        ("remove", "dependency", "design → legacy", "removed_from_playbook"),
        ("remove", "dependency", "legacy → go-live", "end_removed"),
    ]
    kept = apply_decisions(plan, {"task:legacy": "keep_program"})
    assert [(a.op, a.key) for a in kept if "legacy" in a.key] == [
        ("keep", "legacy"),
        ("remove", "design → legacy"),  # the playbook's link goes: rule 1
        ("keep", "legacy → go-live"),
    ]


def test_taking_a_new_task_whose_predecessor_is_gone() -> None:
    plan = plan_upgrade(without_item(BASE, "report"), OLD, NEW)
    final = apply_decisions(plan, {"task:data-check": "take_new"})
    assert [(a.op, a.key, a.code) for a in final if "data-check" in a.key] == [
        ("add", "data-check", "taken_by_lead"),
        ("skip", "report → data-check", "missing_end"),
    ]
    refused = apply_decisions(plan, {"task:data-check": "keep_program"})
    assert [(a.op, a.key) for a in refused if "data-check" in a.key] == [
        ("keep", "data-check"),
        ("skip", "report → data-check"),
    ]


def test_a_new_link_to_a_task_the_lead_refused_is_skipped() -> None:
    program = replace(
        BASE,
        items={
            **BASE.items,
            "super-users": ProgramItem(
                key="super-users",
                phase_key="pilot",
                name="Ours",
                duration=6,
                from_playbook=False,
                edited=True,
            ),
        },
    )
    plan = plan_upgrade(program, OLD, NEW)
    final = apply_decisions(plan, {"task:super-users": "keep_program"})
    # the program's own item stays, and the playbook's links to it are still added
    assert [(a.op, a.key) for a in final if "super-users" in a.key] == [
        ("keep", "super-users"),
        ("add", "design → super-users"),
        ("add", "super-users → go-live"),
    ]


@pytest.mark.parametrize(
    ("decisions", "errors"),
    [
        (
            {},
            [
                ("task:design:name", "upgrade.undecided", {}),
                ("task:design:duration", "upgrade.undecided", {}),
            ],
        ),
        (
            {"task:design:name": "take_new", "task:design:duration": "maybe"},
            [("task:design:duration", "upgrade.bad_decision", {"decision": "maybe"})],
        ),
        (
            {
                "task:design:name": "take_new",
                "task:design:duration": "take_new",
                "task:nope": "take_new",
            },
            [("task:nope", "upgrade.no_such_conflict", {})],
        ),
    ],
)
def test_every_conflict_needs_one_valid_decision(
    decisions: dict[str, str], errors: list[tuple[str, str, dict[str, str]]]
) -> None:
    plan = plan_upgrade(with_item(BASE, "design", duration=11, edited=True), OLD, NEW)
    with pytest.raises(ValidationError) as caught:
        apply_decisions(plan, decisions)
    assert [(p.field, p.code, dict(p.params)) for p in caught.value.problems] == errors


def test_a_final_cycle_is_refused() -> None:
    plan = UpgradePlan(
        "up",
        "1.0",
        "1.1",
        [UpgradeAction("add", "dependency", "b → a", {"type": (None, "FS")})],
        [],
        frozenset({"a", "b"}),
        frozenset({"a → b"}),
    )
    with pytest.raises(DependencyCycleError):
        apply_decisions(plan, {})


# --------------------------------------------------------------------------- shipped versions


def test_upgrading_a_program_from_1_0_to_1_1() -> None:
    v10 = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml")
    v11 = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days-v1.1.yaml")
    untouched = snapshot(v10)
    plan = plan_upgrade(untouched, v10, v11)
    # 2 tasks + 4 links + 1 risk + 1 gate criterion added; 3 durations, 1 lag, 1 likelihood
    # and 1 target updated
    assert plan.counts() == {
        "add": 8,
        "update": 6,
        "remove": 0,
        "keep": 0,
        "skip": 0,
        "conflicts": 0,
    }
    edited = with_item(untouched, "sales-training", duration=9, edited=True)
    plan = plan_upgrade(edited, v10, v11)
    assert [
        (c.id, c.program_value, c.old_playbook_value, c.new_playbook_value) for c in plan.conflicts
    ] == [("task:sales-training:duration", 9, 8, 10)]
    final = apply_decisions(plan, {"task:sales-training:duration": "take_new"})
    assert ("update", "sales-training", "taken_by_lead") in [(a.op, a.key, a.code) for a in final]


# --------------------------------------------------------------------------- closed phases

TINY = """\
id: tiny
version: "{v}"
title: Tiny
phases:
  - ordinal: 1
    key: one
    name: One
    tasks:
{one}
    gate:
{gate}
  - ordinal: 2
    key: two
    name: Two
    tasks:
      - {{key: rollout, name: Rollout, duration: 5}}
"""


def _tiny(version: str, tasks_one: list[str], gate: list[str]) -> Playbook:
    one = "\n".join(f"      - {t}" for t in tasks_one)
    return parse_playbook(
        TINY.format(v=version, one=one, gate="\n".join(f"      - {g}" for g in gate))
    )


OLD_TINY = _tiny(
    "1.0", ["{key: design, name: Design, duration: 10}"], ["{kind: manual, text: Sign}"]
)
NEW_TINY = _tiny(
    "1.1",
    [
        "{key: design, name: Design, duration: 12}",
        "{key: extra, name: Extra, duration: 3, depends_on: [design]}",
    ],
    ["{kind: manual, text: Sign}", "{kind: milestones_done, milestones: [rollout]}"],
)


def _tiny_program(closed: tuple[str, ...], current: str | None) -> ProgramSnapshot:
    def task(key: str, phase: str, duration: int) -> ProgramItem:
        return ProgramItem(
            key=key, phase_key=phase, name=key.title(), duration=duration,
            from_playbook=True, edited=False,
        )  # fmt: skip

    return ProgramSnapshot(
        items={"design": task("design", "one", 10), "rollout": task("rollout", "two", 5)},
        gate_criteria=[
            ProgramGateCriterion(
                phase_key="one", kind="manual", text="Sign", from_playbook=True, edited=False
            )
        ],
        phases={"one", "two"},
        closed_phases=closed,
        current_phase=current,
    )


def test_an_open_phase_takes_additions_and_updates_by_itself() -> None:
    plan = plan_upgrade(_tiny_program((), "one"), OLD_TINY, NEW_TINY)
    assert plan.conflicts == []
    assert {(a.op, a.section, a.key) for a in plan.actions} >= {
        ("update", "task", "design"),
        ("add", "task", "extra"),
        ("add", "gate", "milestones_done"),
    }


def test_a_closed_phase_is_never_reopened() -> None:
    plan = plan_upgrade(_tiny_program(("one",), "two"), OLD_TINY, NEW_TINY)
    # the duration of a task of the closed phase is left as it was
    (design,) = [a for a in plan.actions if a.key == "design"]
    assert (design.op, design.code) == ("skip", "phase_closed_unchanged")
    # the new task and the new criterion are questions, not automatic additions
    assert [(c.id, c.code) for c in plan.conflicts] == [
        ("task:extra", "phase_closed"),
        ("gate:one:milestones_done", "phase_closed"),
    ]
    # nothing is added by itself, not even the new link to the task in question
    assert not [a for a in plan.actions if a.op == "add"]
    task, gate = plan.conflicts
    assert task.reason == (
        'its phase "one" is closed (its gate has passed or been decided): skip it, or add it '
        'to the current phase "two"'
    )
    # skipping keeps the closed phase as it is; the new link to the skipped task goes too
    skipped = apply_decisions(plan, {task.id: "keep_program", gate.id: "keep_program"})
    assert not [a for a in skipped if a.op == "add"]
    # taking them adds them to the current phase and its gate
    taken = apply_decisions(plan, {task.id: "take_new", gate.id: "take_new"})
    adds = {(a.section, a.key): a for a in taken if a.op == "add"}
    assert adds[("task", "extra")].fields["phase_key"] == (None, "two")
    assert adds[("gate", "milestones_done")].phase == "two"
    assert adds[("gate", "milestones_done")].fields["phase_key"] == ("one", "two")
    assert ("dependency", "design → extra") in adds


def test_with_no_open_phase_left_additions_are_skipped() -> None:
    plan = plan_upgrade(_tiny_program(("one", "two"), None), OLD_TINY, NEW_TINY)
    assert plan.conflicts == []
    codes = {(a.key, a.op, a.code) for a in plan.actions if a.section in ("task", "gate")}
    assert ("extra", "skip", "phase_closed_skipped") in codes
    assert ("milestones_done", "skip", "phase_closed_skipped") in codes


def test_targets_of_a_closed_phase_stay_as_they_are() -> None:
    old = parse_playbook(
        "id: m\nversion: '1.0'\ntitle: M\nphases: [{ordinal: 1, key: one, name: One},"
        " {ordinal: 2, key: two, name: Two}]\n"
        "metrics: [{key: dupes, name: Dupes, unit: '%', direction: lower,"
        " targets: {1: 6, 2: 2}}]"
    )
    new = parse_playbook(
        "id: m\nversion: '1.1'\ntitle: M\nphases: [{ordinal: 1, key: one, name: One},"
        " {ordinal: 2, key: two, name: Two}]\n"
        "metrics: [{key: dupes, name: Dupes, unit: '%', direction: lower,"
        " targets: {1: 8, 2: 1}}]"
    )
    metric = ProgramMetric(key="dupes", targets={1: 6.0, 2: 2.0}, from_playbook=True, edited=False)
    program = ProgramSnapshot(
        items={}, metrics={"dupes": metric}, phases={"one", "two"},
        closed_phases=("one",), current_phase="two", closed_ordinals=(1,),
    )  # fmt: skip
    (update,) = [a for a in plan_upgrade(program, old, new).actions if a.section == "metric"]
    # phase 1 keeps its 6 (its gate was judged on it); phase 2 takes the new 1
    assert update.fields == {"targets": ({1: 6.0, 2: 2.0}, {1: 6.0, 2: 1.0})}


def test_reasons_are_worded_in_the_readers_language(app) -> None:
    from flask_babel import force_locale

    plan = plan_upgrade(BASE, OLD, NEW)
    added = next(a for a in plan.actions if a.code == "new_in_playbook")
    taken = replace(added, code="key_taken")
    with app.app_context():
        with force_locale("en"):
            assert added.reason == "new in playbook version 1.1"
            assert taken.reason.endswith("already has its own task with this key")
        with force_locale("zh_Hans_CN"):
            assert added.reason == "实施手册 1.1 版新增"
            assert taken.reason == "实施手册新增，但实施项目已有同一键值的自建任务"
