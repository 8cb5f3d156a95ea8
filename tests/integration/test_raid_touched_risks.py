"""The risks a change request touches are found from every open risk's links read in two
queries (not two a risk), with the same answer as reading each risk's links one by one."""

from __future__ import annotations

from typing import Any

from planner.services import change_requests as changes
from planner.services import risks as risk_service
from tests.integration.exchange_support import count_queries
from tests.integration.plan_support import make_program


def _naive(program: Any, items: set[str], phases: set[str]) -> list[str]:
    found = []
    for risk in program.risks:
        if not risk.is_open:
            continue
        linked = {k.phase.key for k in risk.phase_links}
        if risk.proximity_phase is not None:
            linked.add(risk.proximity_phase.key)
        if {k.work_item.key for k in risk.item_links} & items or linked & phases:
            found.append(risk.key)
    return sorted(found, key=lambda k: (len(k), k))


def test_touched_risks_read_the_links_at_once(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    tasks = [i for i in program.work_items if i.kind == "task"]
    first, second, third = program.risks[:3]
    risk_service.link_work_item(first, tasks[5].id)
    risk_service.link_work_item(second, tasks[40].id)
    risk_service.link_phase(third, program.phases[3].id)
    closed = program.risks[3]
    risk_service.link_work_item(closed, tasks[5].id)
    closed.status = "closed"
    db.session.commit()  # every collection expired: read again below
    moved_items, moved_phases = {tasks[5].key}, {program.phases[3].key}
    with count_queries(db) as seen:
        touched = changes._touched_risks(program, moved_items, moved_phases)
    link_reads = [s for s in seen if "FROM risk_work_item_link" in s or "FROM risk_phase_link" in s]
    assert len(link_reads) == 2
    db.session.expire_all()
    assert (
        touched
        == _naive(program, moved_items, moved_phases)
        == sorted([first.key, third.key], key=lambda k: (len(k), k))
    )
