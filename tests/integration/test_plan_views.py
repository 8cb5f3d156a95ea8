"""The Gantt, table and phase views; baselines; a constant number of SQL statements."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import event, func, select

from planner.demodata import plan as plan_demo
from planner.models import Dependency, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.services import plan as plan_service
from planner.services.generate import generate_program
from planner.services.plan_view import load_plan
from tests.integration.plan_support import item, make_program, snapshot


@pytest.fixture()
def program(db):
    return make_program(db)


def gantt_data(client, program_id: int, query: str = "") -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The Gantt's columnar data (what static/js/gantt*.js draws)."""
    response = client.get(f"/programs/{program_id}/plan/gantt/data{query}")
    assert response.status_code == 200, response.status_code
    return response.get_json()  # type: ignore[no-any-return]


def test_gantt_page_has_the_layers_and_a_reading_alternative(client, db, program):
    response = client.get(f"/programs/{program.id}/plan/gantt")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-src="/programs/{program.id}/plan/gantt/data' in html
    assert "noscript" in html and f"/programs/{program.id}/plan/table" in html
    assert "js/gantt.js" in html and "js/gantt-draw.js" in html and "plotly" not in html
    assert "<script>" not in html  # no inline code (strict CSP)
    data = gantt_data(client, program.id)
    items = data["items"]
    assert 1 in items["kind"] and 0 in items["kind"]  # milestones and tasks
    assert 1 in items["crit"] and 0 in items["crit"]
    links = data["links"]
    assert 1 in links["crit"] and 0 in links["crit"]  # critical and other arrows
    assert len(data["phases"]["key"]) == len(program.phases)


def test_filters_work_on_the_server(client, db, program):
    base = f"/programs/{program.id}/plan/table"
    phase1 = client.get(f"{base}?phase=foundation").get_data(as_text=True)
    assert "sfa-uat" in phase1 and "diagnosis-plan" not in phase1
    stream = client.get(f"{base}?workstream=data-migration").get_data(as_text=True)
    assert "data-profiling" in stream and "sfa-uat" not in stream
    owner = item(db, program, "sfa-uat")
    owner.owner = "Li Wei"
    db.session.commit()
    by_owner = client.get(f"{base}?owner=Li+Wei").get_data(as_text=True)
    assert re.findall(r"<code>([a-z0-9-]+)</code></a>", by_owner) == ["sfa-uat"]
    critical = client.get(f"{base}?critical=1").get_data(as_text=True)
    keys = set(re.findall(r"<code>([a-z0-9-]+)</code></a>", critical))
    assert keys and keys == {
        i.key
        for i in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
        if i.is_critical
    }
    gantt = gantt_data(client, program.id, "?critical=1")
    assert set(gantt["items"]["key"]) == keys


def test_workstreams_show_by_their_names_in_the_readers_language(client, program):
    base = f"/programs/{program.id}/plan/table?workstream=data-migration"
    english = client.get(base).get_data(as_text=True)
    assert "<td>Data migration</td>" in english
    assert '<option value="data-migration" selected>Data migration</option>' in english
    chinese = client.get(base, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "<td>数据迁移</td>" in chinese and "<td>data-migration</td>" not in chinese
    assert '<option value="data-migration" selected>数据迁移</option>' in chinese
    # an item no one has taken yet shows its playbook role, by its name too
    table = f"/programs/{program.id}/plan/table"
    roles = client.get(table, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "<td>项目负责人</td>" in roles and "<td>project lead</td>" not in roles
    assert "<td>project lead</td>" in client.get(table).get_data(as_text=True)


def test_table_sorts_on_the_server_and_shows_computed_columns(client, db, program):
    base = f"/programs/{program.id}/plan/table"
    html = client.get(f"{base}?sort=float&order=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in html
    keys = re.findall(r"<code>([a-z0-9-]+)</code></a>", html)
    floats = {
        i.key: i.total_float
        for i in db.session.scalars(select(WorkItem).where(WorkItem.program_id == program.id))
    }
    assert [floats[k] for k in keys] == sorted(floats.values(), reverse=True)
    by_name = re.findall(
        r"<code>([a-z0-9-]+)</code></a>", client.get(f"{base}?sort=key").data.decode()
    )
    assert by_name == sorted(by_name)
    for column in ("Late start", "Late finish", "Float", "Free"):
        assert column in html
    uat = item(db, program, "sfa-uat")
    assert uat.late_finish is not None and uat.late_finish.isoformat() in html


def test_phase_view_shows_window_goal_milestones_progress_and_overrun(client, db, program):
    program.status_date = date(2026, 4, 15)
    db.session.commit()
    profiling = item(db, program, "data-profiling")  # 10 days in phase 1
    plan_service.set_progress(
        program,
        profiling,
        percent_complete=50,
        actual_start=date(2026, 4, 1),
        actual_finish=None,
        version=profiling.version,
    )
    sfa = item(db, program, "sfa-configuration")
    plan_service.update_item(
        program, sfa, plan_service.ItemDetails(name=sfa.name, duration_days=80), sfa.version
    )
    db.session.commit()
    html = client.get(f"/programs/{program.id}/plan/phases").get_data(as_text=True)
    phase1 = program.phases[1]
    start, end = phase1.window_start, phase1.window_end
    # the window as people read it, each day machine-readable too
    assert (
        f'<time datetime="{start.isoformat()}">{format_date(start, "medium", locale="en")}</time>'
        f' → <time datetime="{end.isoformat()}">{format_date(end, "medium", locale="en")}</time>'
    ) in html
    assert "Put the foundation of the sales-automation platform" in html  # the goal
    assert "Sales-automation foundation live" in html  # a milestone
    worst = load_plan(program).phases[1].overrun_items[0]
    assert "Overrun:" in html and f"<code>{worst[0]}</code> (+{worst[1]})" in html
    # progress weighted by duration: only data-profiling (10 days, 50 %) has progress
    durations = [i.duration_days for i in phase1.work_items]
    expected = 10 * 50 / sum(durations)
    assert f"{expected:.0f} %" in html


def test_baselines_compare_and_variance_in_working_days(client, db, program):
    response = client.post(f"/programs/{program.id}/plan/baselines", data={"name": "Approved"})
    assert response.status_code == 302
    baseline = db.session.scalars(select(Baseline)).one()
    assert baseline.taken_by == "admin@test.example"
    count = db.session.scalar(
        select(func.count())
        .select_from(BaselineItem)
        .where(BaselineItem.baseline_id == baseline.id)
    )
    assert count == db.session.scalar(
        select(func.count()).select_from(WorkItem).where(WorkItem.program_id == program.id)
    )
    before = snapshot(db, program.id)
    duplicate = client.post(f"/programs/{program.id}/plan/baselines", data={"name": "Approved"})
    assert duplicate.status_code == 422
    assert "a baseline named &#34;Approved&#34; already exists" in duplicate.get_data(as_text=True)
    assert snapshot(db, program.id) == before

    # three more working days on the critical chain of phase 4
    task = item(db, program, "benefit-review")
    plan_service.update_item(
        program,
        task,
        plan_service.ItemDetails(name=task.name, duration_days=task.duration_days + 3),
        task.version,
    )
    db.session.commit()
    view = load_plan(program, baseline_id=baseline.id)
    rows = {r.key: r for r in view.all_rows}
    assert rows["benefit-review"].finish_variance == 3
    assert rows["project-closed"].finish_variance == 3
    assert rows["sfa-uat"].finish_variance == 0
    phase4 = view.phases[4]
    assert phase4.finish_variance == 3 and phase4.slipped_items > 0
    assert view.finish_variance == 3
    table = client.get(f"/programs/{program.id}/plan/table?baseline={baseline.id}").data.decode()
    assert "+3 wd" in table
    phases = client.get(f"/programs/{program.id}/plan/phases").get_data(as_text=True)
    assert "finish vs baseline" in phases and "+3 wd" in phases
    data = gantt_data(client, program.id)
    at = data["items"]["key"].index("benefit-review")
    assert data["items"]["bs"][at] is not None
    assert data["items"]["bf"][at] < data["items"]["ef"][at]  # the ghost ends 3 wd before
    listing = client.get(f"/programs/{program.id}/plan/baselines").get_data(as_text=True)
    assert "Approved" in listing and "+3 wd" in listing
    # no baseline: no ghost bars
    bare = gantt_data(client, program.id, "?baseline=0")
    assert set(bare["items"]["bs"]) == {None}
    assert client.get(f"/programs/{program.id}/plan/gantt?baseline=999999").status_code == 404


def test_choose_between_baselines_and_delete_one(client, db, program):
    first = plan_service.take_baseline(program, "First")
    db.session.commit()
    task = item(db, program, "wave1-data")
    plan_service.update_item(
        program, task, plan_service.ItemDetails(name=task.name, duration_days=15), task.version
    )
    db.session.commit()
    second = plan_service.take_baseline(program, "Second")
    db.session.commit()
    newest = load_plan(program)
    assert newest.baseline is not None and newest.baseline.name == "Second"
    assert {r.finish_variance for r in newest.all_rows} == {0}
    older = load_plan(program, baseline_id=first.id)
    assert max(r.finish_variance or 0 for r in older.all_rows) == 5
    response = client.post(
        f"/programs/{program.id}/plan/baselines/{second.id}/delete",
        data={"version": second.version},
    )
    assert response.status_code == 302
    assert db.session.get(Baseline, second.id) is None
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(BaselineItem)
            .where(BaselineItem.baseline_id == second.id)
        )
        == 0
    )


def test_deleted_item_keeps_its_baseline_dates(client, db, program):
    plan_service.take_baseline(program, "Before")
    db.session.commit()
    task = item(db, program, "legacy-contact-freeze")
    plan_service.delete_item(program, task, task.version)
    db.session.commit()
    kept = db.session.scalars(
        select(BaselineItem).where(BaselineItem.key == "legacy-contact-freeze")
    ).one()
    assert kept.work_item_id is None
    listing = client.get(f"/programs/{program.id}/plan/baselines").get_data(as_text=True)
    assert "1 deleted since" in listing


# --------------------------------------------------------------------------- size


def count_statements(db, fn) -> list[str]:
    statements: list[str] = []

    def before(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return statements


def test_gantt_page_statements_do_not_grow_with_the_plan(client, db, program):
    big = generate_program(2000, start_date=date(2026, 3, 2), baseline_name="Plan")
    big.status_date = date(2026, 3, 2)
    plan_service.reschedule(big)
    plan_service.take_baseline(program, "Plan")
    db.session.commit()
    items = db.session.scalar(
        select(func.count()).select_from(WorkItem).where(WorkItem.program_id == big.id)
    )
    links = db.session.scalar(
        select(func.count()).select_from(Dependency).where(Dependency.program_id == big.id)
    )
    assert items == 2000 and 1.3 <= links / items <= 1.7
    for page in ("gantt", "gantt/data", "table", "phases"):
        for target in (program, big):  # warm up (templates, caches)
            client.get(f"/programs/{target.id}/plan/{page}")
        small_url = f"/programs/{program.id}/plan/{page}"
        big_url = f"/programs/{big.id}/plan/{page}"
        small_sql = count_statements(db, lambda url=small_url: client.get(url))
        big_sql = count_statements(db, lambda url=big_url: client.get(url))
        assert len(small_sql) == len(big_sql), (page, small_sql, big_sql)
        assert len(big_sql) <= 15
    response = client.get(f"/programs/{big.id}/plan/gantt/data")
    assert len(response.data) < 450_000
    assert len(response.get_json()["items"]["id"]) == 2000  # every item, never summaries only


def test_generated_program_schedules_and_is_project_like(db):
    today = date(2026, 8, 3)
    big = generate_program(
        600, start_date=date(2026, 3, 2), progress_until=today, baseline_name="Plan", seed=3
    )
    db.session.commit()
    rows = db.session.scalars(select(WorkItem).where(WorkItem.program_id == big.id)).all()
    assert len(rows) == 600
    assert all(r.early_start is not None for r in rows)
    assert {r.kind for r in rows} == {"task", "milestone"}
    assert len({r.workstream for r in rows}) == 12
    done = [r for r in rows if r.actual_finish is not None]
    started = [r for r in rows if r.actual_start is not None and r.actual_finish is None]
    assert done and started
    assert all(r.actual_finish < today for r in done)
    types = set(db.session.scalars(select(Dependency.type).where(Dependency.program_id == big.id)))
    assert types == {"FS", "SS", "FF", "SF"}


# --------------------------------------------------------------------------- demo


def test_demo_content_has_progress_baselines_and_one_overrun(db):
    today = date(2026, 9, 14)
    program = make_program(db, start=today - timedelta(days=150), status=None)
    plan_demo.populate(program, today)
    db.session.commit()
    view = load_plan(program, today=today)
    assert [b.name for b in view.baselines] == ["End of CRM diagnosis", "Kick-off plan"]
    by_phase = {p.key: p for p in view.phases}
    diagnosis, phase1, phase2 = (
        by_phase["diagnosis"],
        by_phase["foundation"],
        by_phase["second-capability"],
    )
    assert diagnosis.counts["done"] == diagnosis.items
    assert phase1.counts["done"] == phase1.items
    assert phase2.counts["in_progress"] + phase2.counts["late"] > 0
    # the current phase overruns (the demo's story); so does the integration phase, months
    # ahead: its window (8 Dec 2026 – 17 Mar 2027) holds New Year's Day and Spring Festival
    # 2027 (5, 8, 9, 10 Feb), five working days its plan has no slack for
    assert [p.key for p in view.overrunning_phases] == ["second-capability", "integration"]
    # the diagnosis took five weeks (a replan at kick-off: Labour Day falls in it)
    assert (diagnosis.window_end - diagnosis.window_start).days + 1 == 35
    assert view.critical_count > 0
    # some items ran a few days long: done items differ from the kick-off plan
    kickoff = load_plan(program, baseline_id=view.baselines[-1].id, today=today)
    assert any((r.finish_variance or 0) > 0 for r in kickoff.all_rows if r.status == "done")
    assert any(r.owner == "Chen Jing" for r in view.all_rows)


def test_readers_see_the_plan_but_no_editing_controls(login_as, db, program):
    viewer = login_as("viewer", program)
    task = item(db, program, "sfa-uat")
    for page in ("gantt", "table", "phases", "baselines", "calendar", f"items/{task.id}"):
        response = viewer.get(f"/programs/{program.id}/plan/{page}")
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert "Add work item" not in html and 'method="post"' not in html.split("</nav>", 1)[1]
    before = snapshot(db, program.id)
    refused = viewer.post(
        f"/programs/{program.id}/plan/dependencies",
        data={"predecessor": "sfa-uat", "successor": "benefit-baseline", "type": "FS", "lag": 0},
    )
    assert refused.status_code == 403
    assert snapshot(db, program.id) == before
    member = login_as("member", program)
    assert "Add work item" in member.get(f"/programs/{program.id}/plan/gantt").data.decode()


def test_a_stale_schedule_is_brought_up_to_date_when_read(today, client, db):
    # following today: yesterday's schedule no longer holds once today moved on
    program = make_program(db, start=today - timedelta(days=40), status=None)
    first = item(db, program, "diagnosis-plan")
    assert first.early_start is not None and first.early_start >= today
    first.early_start = today - timedelta(days=30)  # as computed a month ago
    db.session.commit()
    assert client.get(f"/programs/{program.id}/plan/table").status_code == 200
    db.session.expire_all()
    assert first.early_start >= today


def test_gantt_speaks_the_readers_language(client, db, program):  # type: ignore[no-untyped-def]
    # dates are written by the browser (Intl) in the page's language; words come translated
    page = f"/programs/{program.id}/plan/gantt"
    english = client.get(page).get_data(as_text=True)
    chinese = client.get(page, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)

    def words(html: str) -> dict:  # type: ignore[type-arg]
        found = re.search(r'<script type="application/json" id="gx-text">(.*?)</script>', html)
        assert found
        return json.loads(found.group(1))  # type: ignore[no-any-return]

    assert 'lang="en' in english and 'lang="zh' in chinese
    assert words(english)["finish"] == "Finish" and words(chinese)["finish"] == "完成"
    en, zh = words(english), words(chinese)
    assert en.keys() == zh.keys()
    assert [key for key in en if en[key] == zh[key]] == []  # every word translated
    data = gantt_data(client, program.id)
    zh = client.get(
        f"/programs/{program.id}/plan/gantt/data", headers={"Accept-Language": "zh-CN"}
    ).get_json()
    assert data["phases"]["name"] != zh["phases"]["name"]  # phase names in the reader's language


def test_a_plan_view_kept_in_the_shared_cache_reads_back_the_same(db, program):  # type: ignore[no-untyped-def]
    import pickle
    from dataclasses import replace

    from planner.services.scheduling import reschedule

    plan_service.take_baseline(program, "Plan")
    item(db, program, "sfa-uat").duration_days += 3  # a variance against the baseline
    reschedule(program)
    db.session.commit()
    view = replace(load_plan(program), program=None)
    assert view.links and any(row.baseline_start for row in view.all_rows)
    back = pickle.loads(pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301
    assert back == view
    kept = {id(row) for row in back.all_rows}
    assert all(id(row) in kept for row in back.rows)  # the same objects, not copies
    assert all(id(m) in kept for phase in back.phases for m in phase.milestones)
    assert sum(len(phase.milestones) for phase in back.phases) > 0
