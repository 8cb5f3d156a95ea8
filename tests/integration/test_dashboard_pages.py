"""The program dashboard and the portfolio: RAG roll-ups with reasons, timeline, sorting."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from babel.dates import format_date
from sqlalchemy import select

from planner.explain_text import render
from planner.extensions import db as _db
from planner.models import Risk, WorkItem
from planner.services import dashboard as service
from planner.services import gates as gate_service
from planner.services import metrics as metric_service
from tests.integration.metrics_support import TODAY, count_queries, make_program, metric

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture(autouse=True)
def portfolio_policy(app, monkeypatch):
    """Stands in for the route's entry in the policy table until the lead adds it."""
    try:
        from planner.web import policy
    except ImportError:  # pragma: no cover - no sign-in layer
        return
    monkeypatch.setitem(
        policy.POLICY, "dashboard.portfolio", policy.POLICY.get("dashboard.portfolio", "signed_in")
    )


@pytest.fixture()
def program(db):
    return make_program()  # 150 days in: diagnosis and phase 1 behind, phase 2 current


def _phase(program, ordinal: int):
    return next(p for p in program.phases if p.ordinal == ordinal)


def _item(program, key: str) -> WorkItem:
    return next(i for i in program.work_items if i.key == key)


def _finish_past_phases(db, program) -> None:
    for phase in program.phases[:2]:
        for item in phase.work_items:
            item.actual_start = phase.window_start
            item.actual_finish = phase.window_end - timedelta(days=3)
            item.percent_complete = 100
    db.session.commit()


def _on_time(program, ordinal: int) -> None:
    """Every item of the phase forecast well inside its window."""
    phase = _phase(program, ordinal)
    for item in program.work_items:
        if item.phase_id == phase.id:
            item.early_start = item.early_finish = phase.window_end - timedelta(days=20)


def _figure(html: str, figure_id: str) -> dict:
    return json.loads(re.search(rf'id="{figure_id}-json">(.*?)</script>', html, re.S).group(1))


def _card(html: str, ordinal: int) -> str:
    return re.search(
        rf'<article class="phase-card \w+" data-phase="{ordinal}"(.*?)</article>', html, re.S
    ).group(1)


def test_dashboard_shows_timeline_phase_rag_with_reasons(client, db, program) -> None:
    _finish_past_phases(db, program)
    _on_time(program, 2)
    gate2 = _phase(program, 2).window_end
    _item(program, "data-quality-result").early_finish = gate2 + timedelta(days=8)  # 8 days late
    _item(program, "configurator-go-live").early_finish = gate2 - timedelta(days=30)
    active = metric(program, "active-users")
    for days_ago, value in ((40, 66.0), (25, 71.0), (3, 78.0)):
        metric_service.add_reading(program, active, TODAY - timedelta(days=days_ago), value)
    db.session.commit()
    page = client.get(f"/programs/{program.id}/dashboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Phase 2 · day 23 of 100" in html
    assert "150 of 428 days" in html
    timeline = _figure(html, "timeline")
    bars, gates = timeline["data"]
    assert len(bars["base"]) == 5 and bars["base"][0] == program.start_date.isoformat()
    assert timeline["layout"]["shapes"][0]["x0"] == TODAY.isoformat()
    assert gates["x"][2] == gate2.isoformat()
    # phase 2: schedule red (a milestone 8 days past the window, tolerance 5 days)
    card = _card(html, 2)
    assert 'data-rag="red"' in html.split('data-phase="2"')[1][:30]
    assert "duplicates removed 8 days late" in card
    assert "the phase overruns its window by 8 days (tolerance 5 days)" in card
    # the diagnosis is done and green: no metric has a target in it
    diagnosis = _card(html, 0)
    assert "no metric has a target in this phase" in diagnosis
    assert "phase closed; open risks count against the current phase" in diagnosis
    # a future phase is not judged on readings
    assert "the phase has not started; no reading is judged yet" in _card(html, 3)
    # risks area of the current phase: the playbook's risks rated high (12 to 16) are open,
    # named by the playbook's label for the band
    assert "open risks rated High" in card
    # next milestones: soonest forecast first
    milestones = re.search(r'id="milestones-h">(.*?)</table>', html, re.S).group(1)
    assert milestones.index("Configurator and quoting live") < milestones.index(
        "Data-quality result"
    )
    assert "8 days after the gate" in milestones
    # key metric sparkline for the metric with readings
    assert 'data-metric="active-users"' in html
    spark = _figure(html, "spark-1")
    assert spark["data"][0]["y"] == [66.0, 71.0, 78.0]


def test_dashboard_and_portfolio_explain_in_chinese(client, db, program) -> None:
    _finish_past_phases(db, program)
    gate2 = _phase(program, 2).window_end
    _item(program, "data-quality-result").early_finish = gate2 + timedelta(days=8)
    db.session.commit()
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    html = unescape(client.get(f"/programs/{program.id}/dashboard").get_data(as_text=True))
    reasons = re.findall(r'<span class="reason">(.*?)</span>', html, re.S)
    assert len(reasons) == 4 * len(program.phases), reasons  # schedule, metrics, risks, gate
    english = re.compile(r"\b(?:the|no|open|risks?|rated|phase|metrics?|late|tolerance|of)\b")
    assert not [r for r in reasons if english.search(r)], reasons
    card = _card(html, 2)
    assert "延误 8 天" in card and "容差 5 天" in card  # the milestone 8 days past the window
    assert "阶段已结束；未关闭风险计入当前阶段" in _card(html, 0)
    assert f"{gate2.year}年{gate2.month}月{gate2.day}日" in html
    portfolio = unescape(client.get("/portfolio").get_data(as_text=True))
    why = re.findall(r"<li>(.*?)</li>", portfolio.split("<summary>", 1)[1])
    assert why and all(r.startswith(("进度：", "采纳指标：", "风险：")) for r in why), why


def test_schedule_tolerance_comes_from_the_status_rules(client, db, program) -> None:
    _finish_past_phases(db, program)
    _on_time(program, 2)
    gate2 = _phase(program, 2).window_end
    _item(program, "data-quality-result").early_finish = gate2 + timedelta(days=8)
    db.session.commit()
    facts = gate_service.program_facts(gate_service.load_program(program.id), TODAY)
    assert service.phase_status(facts, _phase(program, 2)).schedule.rag == "red"
    metric_service.update_settings(program, 0.10, 10, None)
    db.session.commit()
    facts = gate_service.program_facts(gate_service.load_program(program.id), TODAY)
    status = service.phase_status(facts, _phase(program, 2))
    assert status.schedule.rag == "amber" and "tolerance 10 days" in render(status.schedule.reason)


def test_finished_phase_metrics_are_judged_at_their_gate(client, db, program) -> None:
    _finish_past_phases(db, program)
    gate1 = _phase(program, 1).window_end
    active = metric(program, "active-users")
    metric_service.add_reading(program, active, gate1 - timedelta(days=10), 50.0)  # red at gate
    metric_service.add_reading(program, active, TODAY, 85.0)  # later reading: not counted
    db.session.commit()
    facts = gate_service.program_facts(gate_service.load_program(program.id), TODAY)
    status = service.phase_status(facts, _phase(program, 1))
    assert status.state == "past"
    assert status.metrics.rag == "red" and "Active users" in render(status.metrics.reason)


def test_top_risks_ranked_by_residual_score(client, db, program) -> None:
    risks = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).all()
    low = risks[-1]
    low.likelihood, low.impact = 5, 5
    high = risks[0]
    high.residual_likelihood, high.residual_impact = 1, 1  # mitigated: drops to the bottom
    closed = risks[1]
    closed.status = "closed"
    db.session.commit()
    board = service.build_dashboard(program.id, TODAY)
    assert board.top_risks[0].risk.key == low.key and board.top_risks[0].band == "critical"
    assert high.key not in [r.risk.key for r in board.top_risks]
    assert board.open_risk_count == len(risks) - 1
    html = client.get(f"/programs/{program.id}/dashboard").get_data(as_text=True)
    assert "1 open risk rated Critical" in html
    assert 'data-rag="red"' in html  # a critical open risk makes the current phase red


def test_dashboard_queries_do_not_grow_with_rows(client, db, program) -> None:
    url = f"/programs/{program.id}/dashboard"
    db.session.expire_all()  # each request starts from an empty session, as in production
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for m in program.metrics[:5]:
        for days_ago in range(2, 80, 7):
            unit_max = 100.0 if m.unit == "%" else 10.0
            metric_service.add_reading(
                program, m, TODAY - timedelta(days=days_ago), min(unit_max, days_ago / 10)
            )
    for i in range(10):
        db.session.add(
            Risk(program_id=program.id, key=f"extra-{i}", title="Extra", likelihood=3, impact=3)
        )
    db.session.commit()
    db.session.expire_all()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# --------------------------------------------------------------------------- portfolio


def _portfolio_rows(html: str) -> list[str]:
    return re.findall(r'<tr data-program="(\d+)">', html)


def test_portfolio_lists_every_program_with_phase_gate_rag_and_progress(client, db) -> None:
    north = make_program("Northwind", 150)
    small = make_program("Alpha quick start", 20, "small-business-quick-start")
    future = make_program("Zeta", -10)
    page = client.get("/portfolio")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _portfolio_rows(html) == [str(small.id), str(north.id), str(future.id)]
    row = re.search(rf'<tr data-program="{north.id}">(.*?)</tr>', html, re.S).group(1)
    assert "Phase 2:" in row and "in 77 days" in row
    assert "150 of 428 days (35%)" in row
    assert re.search(r'class="rag rag-(green|amber|red)"', row)
    future_row = re.search(rf'<tr data-program="{future.id}">(.*?)</tr>', html, re.S).group(1)
    assert "starts " + format_date(future.start_date, "medium", locale="en") in future_row
    assert "0 of 428 days" in future_row


@pytest.mark.parametrize(
    ("sort", "direction", "order"),
    [
        ("name", "asc", ["A", "B", "C"]),
        ("name", "desc", ["C", "B", "A"]),
        ("gate", "asc", ["B", "C", "A"]),
        ("gate", "desc", ["A", "C", "B"]),
        ("progress", "desc", ["C", "A", "B"]),
        ("phase", "asc", ["B", "A", "C"]),
    ],
)
def test_portfolio_sorts_on_the_server(client, db, sort, direction, order) -> None:
    # A: 150 days in (phase 2, gate in 77 days); B: 10 days in (diagnosis, gate in 18 days);
    # C: 300 days in (phase 3, gate in 27 days)
    ids = {
        "A": make_program("A", 150).id,
        "B": make_program("B", 10).id,
        "C": make_program("C", 300).id,
    }
    html = client.get(f"/portfolio?sort={sort}&dir={direction}").get_data(as_text=True)
    by_id = {str(v): k for k, v in ids.items()}
    assert [by_id[i] for i in _portfolio_rows(html)] == order
    assert f'aria-sort="{"descending" if direction == "desc" else "ascending"}"' in html


def test_portfolio_unknown_sort_falls_back_to_name(client, db) -> None:
    b, a = make_program("B"), make_program("A")
    html = client.get("/portfolio?sort=drop%20table&dir=sideways").get_data(as_text=True)
    assert _portfolio_rows(html) == [str(a.id), str(b.id)]


def test_portfolio_maturity_column(client, db, monkeypatch) -> None:
    program = make_program()
    html = client.get("/portfolio").get_data(as_text=True)
    row = re.search(rf'<tr data-program="{program.id}">(.*?)</tr>', html, re.S).group(1)
    assert row.count("<td>") >= 5 and "—" in row
    monkeypatch.setattr(
        service,
        "maturity_levels",
        lambda programs, lang: {p.id: "Level 2 — Repeatable" for p in programs},
    )
    html = client.get("/portfolio").get_data(as_text=True)
    assert "Level 2 — Repeatable" in html
    html = client.get("/portfolio?sort=maturity").get_data(as_text=True)
    assert 'aria-sort="ascending"' in html


def test_portfolio_shows_only_the_programs_a_member_may_read(login_as, db) -> None:
    mine = make_program("Mine")
    make_program("Theirs")
    viewer = login_as("viewer", mine)
    html = viewer.get("/portfolio").get_data(as_text=True)
    assert _portfolio_rows(html) == [str(mine.id)]
    assert "Theirs" not in html


def test_portfolio_queries_do_not_grow_with_programs(client, db) -> None:
    make_program("One")
    db.session.expire_all()
    with count_queries() as one:
        assert client.get("/portfolio").status_code == 200
    for name in ("Two", "Three", "Four"):
        make_program(name)
    db.session.expire_all()
    with count_queries() as four:
        assert client.get("/portfolio").status_code == 200
    assert len(four) == len(one)


def test_portfolio_service_sorting_keeps_missing_values_last(db) -> None:
    make_program("Done", 500)  # after its last gate: no next gate
    make_program("Running", 150)
    rows = service.portfolio(TODAY, "gate", descending=True)
    assert [r.program.name for r in rows] == ["Running", "Done"]
    rows = service.portfolio(TODAY, "gate", descending=False)
    assert [r.program.name for r in rows] == ["Running", "Done"]
    assert rows[1].phase is None and rows[1].phase_label_state == "after"
    _db.session.rollback()
