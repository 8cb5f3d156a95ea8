"""Program pages: list, create from a playbook, overview."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import refresh
from sqlalchemy import func, select

from planner.models import Dependency, GateCriterion, Metric, Phase, Program, Risk, WorkItem
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_program_from_playbook_through_the_form(client, db) -> None:
    page = client.get("/programs/new")
    assert page.status_code == 200
    assert b"crm-four-100-days@1.0" in page.data
    response = client.post(
        "/programs/new",
        data={
            "name": "Acme rollout",
            "client": "Acme Ltd",
            "start_date": "2026-03-02",
            "playbook": "crm-four-100-days@1.0",
        },
    )
    assert response.status_code == 302
    program = db.session.scalars(select(Program)).one()
    playbook = get_playbook("crm-four-100-days", "1.0")
    assert [p.ordinal for p in program.phases] == [0, 1, 2, 3, 4]
    assert program.phases[0].window_start == date(2026, 3, 2)
    # diagnosis is 28 days: 2 March + 27 = 29 March; phase 1 starts the next day
    assert program.phases[0].window_end == date(2026, 3, 29)
    assert program.phases[1].window_start == date(2026, 3, 30)
    assert program.phases[1].window_end == date(2026, 7, 7)  # 30 March + 99 days
    assert count(db, WorkItem) == playbook.task_count + playbook.milestone_count
    expected_links = sum(len(item.depends_on) for _p, item in playbook.work_items())
    assert count(db, Dependency) == expected_links
    assert count(db, Risk) == 10
    assert count(db, Metric) == len(playbook.metrics)
    assert count(db, GateCriterion) == sum(len(p.gate) for p in playbook.phases)

    overview = client.get(response.headers["Location"])
    html = overview.get_data(as_text=True)
    assert overview.status_code == 200
    assert "Acme rollout" in html
    assert html.count('class="card h-100 stage-card') == 5
    # phase 1's window as people read it, the ISO day kept for machines
    assert (
        '<time class="text-nowrap" datetime="2026-03-30">Mar 30, 2026</time> → '
        '<time class="text-nowrap" datetime="2026-07-07">Jul 7, 2026</time>'
    ) in html
    assert "2026-03-30 → 2026-07-07" not in html
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    refresh()  # the fixture's app context outlives requests: forget the cached locale
    chinese = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        '<time class="text-nowrap" datetime="2026-03-30">2026年3月30日</time> → '
        '<time class="text-nowrap" datetime="2026-07-07">2026年7月7日</time>'
    ) in chinese
    assert "Controlling resistance to change" in html


def test_form_errors_rerender_and_write_nothing(client, db) -> None:
    response = client.post(
        "/programs/new",
        data={"name": "", "client": "Acme", "start_date": "not a date", "playbook": "nope@9"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in html
    assert "Not a valid date value." in html
    assert count(db, Program) == 0
    assert count(db, Phase) == 0


def test_failed_instantiation_rolls_back_everything(app, db) -> None:
    playbook = get_playbook("crm-four-100-days")
    create_program(playbook, name="First", client="C", start_date=date(2026, 1, 5))
    db.session.commit()
    before = count(db, WorkItem)
    # a second program is fine; a broken insert (duplicate work item key) must leave nothing
    try:
        program = create_program(playbook, name="Second", client="C", start_date=date(2026, 1, 5))
        db.session.flush()
        dup = program.phases[0].work_items[0]
        db.session.add(
            WorkItem(
                program_id=program.id,
                phase_id=dup.phase_id,
                key=dup.key,
                name="dup",
                kind="task",
                duration_days=1,
            )
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
    else:  # pragma: no cover - the unique constraint must fire
        raise AssertionError("duplicate key accepted")
    assert count(db, Program) == 1
    assert count(db, WorkItem) == before


def test_program_list_and_unknown_program(client, db) -> None:
    create_program(
        get_playbook("small-business-quick-start"),
        name="Company A",
        client="A",
        start_date=date(2026, 2, 2),
    )
    db.session.commit()
    listing = client.get("/").get_data(as_text=True)
    assert "Company A" in listing
    assert client.get("/programs/999999").status_code == 404


def test_language_switch_keeps_the_user_on_site(client) -> None:
    response = client.post("/language", data={"lang": "zh_Hans_CN", "next": "//evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert session["lang"] == "zh_Hans_CN"


def test_plotly_is_served_locally(client) -> None:
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert re.search(rb"plotly", response.data[:2000], re.I)


def test_a_new_program_keeps_the_playbook_metric_descriptions(db) -> None:
    playbook = get_playbook("crm-four-100-days")
    program = create_program(playbook, name="N", client="C", start_date=date(2026, 3, 2))
    db.session.commit()
    described = {m.key: m.description for m in playbook.metrics if m.description}
    assert described, "the shipped playbook describes its metrics"
    stored = {m.key: (m.description, m.description_zh) for m in program.metrics}
    for key, text in described.items():
        assert stored[key] == (text.en or text.zh, text.zh)


def test_risk_cause_and_effect_show_in_the_reader_language(client, db) -> None:
    playbook = get_playbook("crm-four-100-days")
    program = create_program(playbook, name="N", client="C", start_date=date(2026, 3, 2))
    db.session.commit()
    pb_risk = next(r for r in playbook.risks if r.cause and r.cause.zh and r.effect and r.effect.zh)
    risk = next(r for r in program.risks if r.key == pb_risk.key)
    assert (risk.cause_zh, risk.effect_zh) == (pb_risk.cause.zh, pb_risk.effect.zh)
    page = f"/programs/{program.id}/risks/{risk.id}"
    english = client.get(page).get_data(as_text=True)
    chinese = client.get(page, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert pb_risk.cause.en in english and pb_risk.cause.zh not in english
    assert pb_risk.cause.zh in chinese and pb_risk.effect.zh in chinese


def test_the_overview_lists_each_phase_milestones_in_plan_order(client, db) -> None:
    from planner.services.scheduling import reschedule

    program = create_program(
        get_playbook("crm-four-100-days", "1.0"), name="M", client="C", start_date=date(2026, 3, 2)
    )
    reschedule(program)
    db.session.commit()
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    cards = html.split('class="card h-100 stage-card')[1:]
    assert len(cards) == len(program.phases)
    for phase, card in zip(program.phases, cards, strict=True):
        milestones = [i for i in phase.work_items if i.kind == "milestone"]
        listed = [line for line in card.split("<li>")[1:] if line.startswith("◆")]
        assert len(listed) == len(milestones), phase.key
        for milestone, line in zip(milestones, listed, strict=True):
            assert milestone.name in line
            assert f'datetime="{milestone.early_finish.isoformat()}"' in line
