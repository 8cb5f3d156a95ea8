"""The risk register page, the risk page, and every change a lead makes to a risk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from planner.extensions import db
from planner.models import AuditEvent
from planner.models.risk import Risk, RiskAction, RiskWorkItemLink
from planner.services import audit
from planner.services import risks as service
from tests.conftest import FROZEN_TODAY
from tests.integration.risks_support import (
    count,
    database_state,
    figure,
    item,
    new_program,
    risk,
    risk_form,
    text,
)

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
TODAY = FROZEN_TODAY


@pytest.fixture()
def program(db):
    return new_program()


def url(program, path: str = "") -> str:
    return f"/programs/{program.id}/risks{path}"


def get(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return text(response)


# --------------------------------------------------------------------------- register page


def test_register_lists_the_playbook_checklist_with_both_heat_maps(client, program) -> None:
    change = risk(program, "resistance-to-change")
    change.residual_likelihood, change.residual_impact = 2, 2
    risk(program, "determining-roi").status = "closed"
    db.session.commit()

    html = get(client, url(program))
    assert f'aria-current="page" href="/programs/{program.id}/risks"' in html
    assert "Controlling resistance to change" in html
    assert html.count('class="risk-title"') == len(program.risks)
    inherent = figure(html, "heat-inherent")["data"][0]
    residual = figure(html, "heat-residual")["data"][0]
    open_risks = [r for r in program.risks if r.is_open]
    assert sum(int(t or 0) for row in inherent["text"] for t in row) == len(open_risks)
    assert sum(int(t or 0) for row in residual["text"] for t in row) == len(open_risks)
    assert int(residual["text"][1][1]) >= 1  # 2 × 2 after the response
    lk, im = change.likelihood, change.impact
    assert inherent["customdata"][lk - 1][im - 1] == (
        f"/programs/{program.id}/risks?cell={lk}-{im}-inherent&sort=residual_score&dir=desc"
    )
    # the band comes from the playbook's scale: 2 × 2 = 4 is "Low"
    assert 'class="risk-band band-c0">4 · Low' in html
    # readers without JavaScript get each heat map as a table of links
    assert f'href="/programs/{program.id}/risks?cell=2-2-residual' in html


def test_risk_categories_show_by_their_names_in_the_readers_language(client, program) -> None:
    category = risk(program, "resistance-to-change").category
    assert category == "people"
    assert '<td class="small">People</td>' in get(client, url(program))
    chinese = text(client.get(url(program), headers={"Accept-Language": "zh-CN"}))
    assert '<td class="small">人员</td>' in chinese
    assert '<td class="small">people</td>' not in chinese


def test_clicking_a_cell_lists_exactly_its_open_risks(client, program) -> None:
    keys = ("resistance-to-change", "finding-process-gaps", "determining-roi")
    a, b, c = (risk(program, k) for k in keys)
    for r in (a, b, c):
        r.residual_likelihood, r.residual_impact = 5, 1
    c.status = "closed"
    db.session.commit()
    html = get(client, url(program, "?cell=5-1-residual"))
    assert html.count('class="risk-title"') == 2
    assert "likelihood 5 × impact 1 (residual)" in html
    assert "Finding process gaps" in html and "Determining return on investment" not in html
    shapes = figure(html, "heat-residual")["layout"]["shapes"]
    assert len(shapes) == 1 and shapes[0]["x0"] == 0.5


def test_filters_and_sorting(client, program) -> None:
    a = risk(program, "resistance-to-change")
    a.owner = "Li Wei"
    a.review_date = TODAY - timedelta(days=3)
    b = risk(program, "cleaning-legacy-data")
    b.owner = "Li Wei"
    b.status = "mitigating"
    b.actions.append(RiskAction(title="Profile data", due_date=TODAY - timedelta(days=1)))
    phase = program.phases[2]
    service.link_phase(risk(program, "software-customisation"), phase.id)
    db.session.commit()

    def titles(query: str) -> list[str]:
        html = get(client, url(program, query))
        return [r.title for r in program.risks if f">{r.title}</a>" in html]

    assert sorted(titles("?owner=Li+Wei")) == sorted([a.title, b.title])
    assert titles("?status=mitigating") == [b.title]
    assert titles("?overdue=review") == [a.title]
    assert titles("?overdue=action") == [b.title]
    assert sorted(titles("?overdue=any")) == sorted([a.title, b.title])
    assert titles(f"?phase={phase.key}") == ["Software customisation"]
    html = get(client, url(program, "?sort=residual_score&dir=asc"))
    positions = sorted((html.index(f">{r.title}</a>"), r.residual_score) for r in program.risks)
    assert [s for _p, s in positions] == sorted(s for _p, s in positions)


def test_bad_filters_are_refused_with_a_message(client, program) -> None:
    response = client.get(url(program, "?status=done&band=severe&sort=colour"))
    html = text(response)
    assert response.status_code == 400
    # each refused filter by its label, with what it accepts, in the reader's language
    assert 'Status: unknown status "done"; expected one of Open, Mitigating' in html
    assert 'Residual band: unknown band "severe"' in html
    assert 'Sort order: unknown column "colour"; expected one of Key, Title' in html
    assert html.count('class="risk-title"') == len(program.risks)


def test_register_queries_do_not_grow_with_the_rows(client, program) -> None:
    statements: list[str] = []

    def counter(*_args) -> None:
        statements.append("x")

    first = program.risks[0]
    # every kind of row exists from the start: only their number grows below
    first.actions.append(RiskAction(title="first", due_date=TODAY))
    first.item_links.append(RiskWorkItemLink(work_item=program.phases[1].work_items[0]))
    service.link_phase(first, program.phases[1].id)
    db.session.commit()

    def measure() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            for path in ("", f"/{first.id}"):
                assert client.get(url(program, path)).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return len(statements)

    before = measure()
    items = [i for p in program.phases for i in p.work_items][:5]
    for n in range(30):
        extra = Risk(
            program_id=program.id, key=f"R-{n + 100}", title=f"Extra {n}", likelihood=2, impact=3
        )
        extra.actions = [RiskAction(title="a", due_date=TODAY), RiskAction(title="b")]
        extra.item_links = [RiskWorkItemLink(work_item=i) for i in items]
        db.session.add(extra)
        first.actions.append(RiskAction(title=f"more {n}"))
        service.link_phase(extra, program.phases[n % len(program.phases)].id)
    db.session.commit()
    assert measure() == before


# --------------------------------------------------------------------------- add and edit


def test_lead_adds_a_risk(client, program) -> None:
    assert 'placeholder="R-1"' in get(client, url(program, "/new"))
    response = client.post(
        url(program, "/new"),
        data={
            "key": "",
            "title": "ERP interface arrives late",
            "category": "technology",
            "owner": "Huang Tao",
            "likelihood": "4",
            "impact": "4",
            "residual_likelihood": "3",
            "residual_impact": "",
            "response": "escalate",
            "proximity_phase_id": str(program.phases[3].id),
            "proximity_date": "2026-09-01",
            "review_date": "2026-04-01",
        },
    )
    assert response.status_code == 302
    created = risk(program, "R-1")
    assert (created.likelihood, created.impact, created.residual_likelihood) == (4, 4, 3)
    assert created.residual_impact is None and created.residual_score == 12
    assert created.proximity_phase_id == program.phases[3].id
    assert created.status == "open"
    html = get(client, response.headers["Location"])
    assert "ERP interface arrives late" in html and "12 · High" in html


def test_a_key_already_used_is_refused(client, program) -> None:
    before = database_state()
    data = {"key": "cleaning-legacy-data", "title": "x", "likelihood": "2", "impact": "2"}
    response = client.post(url(program, "/new"), data=data)
    assert response.status_code == 422
    assert '"cleaning-legacy-data" is already used' in text(response)
    assert database_state() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("likelihood", "0", "expected 1–5, got 0"),
        ("likelihood", "6", "expected 1–5, got 6"),
        ("impact", "high", 'expected 1–5, got "high"'),
        ("residual_impact", "9", "expected 1–5, got 9"),
        ("response", "ignore", 'unknown response "ignore"'),
        ("title", "", "This field is required."),
        ("proximity_date", "31/31/2026", "Not a valid date value."),
    ],
)
def test_invalid_new_risk_is_refused_and_nothing_is_written(
    client, program, field, value, message
) -> None:
    before = database_state()
    data = {"title": "New", "likelihood": "3", "impact": "3", "response": "mitigate", field: value}
    response = client.post(url(program, "/new"), data=data)
    assert response.status_code == 422
    assert message in text(response)
    assert database_state() == before


def test_invalid_edit_changes_nothing(client, program) -> None:
    target = risk(program, "cleaning-legacy-data")
    before = database_state()
    for bad in ("0", "6"):
        response = client.post(
            url(program, f"/{target.id}/edit"), data=risk_form(target, likelihood=bad, owner="X")
        )
        assert response.status_code == 422
        assert f"expected 1–5, got {bad}" in text(response)
    assert database_state() == before


def test_edit_is_recorded_and_shown_in_the_history(client, program, monkeypatch) -> None:
    target = risk(program, "cleaning-legacy-data")
    monkeypatch.setattr(audit, "actor_provider", lambda: "lead@example.com")
    response = client.post(
        url(program, f"/{target.id}/edit"),
        data=risk_form(target, residual_likelihood="2", owner="Sun Hao", status="mitigating"),
    )
    assert response.status_code == 302
    db.session.refresh(target)
    assert (target.residual_likelihood, target.owner, target.status) == (2, "Sun Hao", "mitigating")
    changes = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "risk",
            AuditEvent.entity_id == target.id,
            AuditEvent.action == "update",
        )
    ).all()
    assert {(e.field, e.old_value, e.new_value, e.actor) for e in changes} == {
        ("residual_likelihood", None, "2", "lead@example.com"),
        ("owner", None, "Sun Hao", "lead@example.com"),
        ("status", "open", "mitigating", "lead@example.com"),
    }
    html = get(client, url(program, f"/{target.id}"))
    history = html[html.index('id="history"') :]
    assert "lead@example.com" in history and "Residual likelihood" in history
    assert "Sun Hao" in history and "Mitigating" in history


def test_stale_edit_is_refused_with_who_changed_it(client, program, monkeypatch) -> None:
    target = risk(program, "cleaning-legacy-data")
    seen = risk_form(target)
    monkeypatch.setattr(audit, "actor_provider", lambda: "alice@example.com")
    target.owner = "Alice"
    db.session.commit()
    monkeypatch.setattr(audit, "actor_provider", lambda: "bob@example.com")
    before = database_state()
    seen.update(owner="Bob", trigger="my trigger")
    response = client.post(url(program, f"/{target.id}/edit"), data=seen)
    html = text(response)
    assert response.status_code == 409
    assert "changed by alice@example.com at" in html
    assert 'value="Bob"' in html and "my trigger" in html  # the user's input is kept
    assert "Stored now:" in html and "<strong>Alice</strong>" in html
    assert database_state() == before


# --------------------------------------------------------------------------- status


def set_status(client, program, target, new: str, **extra):
    db.session.refresh(target)
    data = {"status": new, "version": str(target.version), **extra}
    return client.post(url(program, f"/{target.id}/status"), data=data)


def test_close_reopen_and_refuse_closed_to_mitigating(client, program) -> None:
    target = risk(program, "determining-roi")
    assert set_status(client, program, target, "closed").status_code == 302
    db.session.refresh(target)
    assert target.status == "closed"

    before = database_state()
    response = set_status(client, program, target, "mitigating")
    assert response.status_code == 422
    assert "a risk cannot go from “Closed” to “Mitigating”: reopen it first" in text(response)
    edit = client.post(
        url(program, f"/{target.id}/edit"), data=risk_form(target, status="mitigating")
    )
    assert edit.status_code == 422
    assert database_state() == before

    assert set_status(client, program, target, "open").status_code == 302
    assert set_status(client, program, target, "mitigating").status_code == 302
    db.session.refresh(target)
    assert target.status == "mitigating"


def test_occurred_turns_the_risk_into_an_issue(client, program) -> None:
    target = risk(program, "software-customisation")
    note = "Custom pricing rules; issue I-3."
    assert set_status(client, program, target, "occurred", note=note).status_code == 302
    db.session.refresh(target)
    assert target.status == "occurred" and target.occurred_on == TODAY
    assert target.issue_note == note
    html = get(client, url(program, f"/{target.id}"))
    assert "Turned into an issue" in html and "issue I-3" in html
    assert "Occurred (now an issue)" in get(client, url(program))


def test_unknown_status_is_refused(client, program) -> None:
    target = risk(program, "software-customisation")
    before = database_state()
    response = set_status(client, program, target, "finished")
    assert response.status_code == 422
    assert 'unknown status "finished"' in text(response)
    assert database_state() == before


# --------------------------------------------------------------------------- actions and links


def test_actions_added_done_and_removed(client, program) -> None:
    target = risk(program, "cleaning-legacy-data")
    due = (TODAY - timedelta(days=2)).isoformat()
    response = client.post(
        url(program, f"/{target.id}/actions"),
        data={"title": "Profile the legacy data", "owner": "Sun Hao", "due_date": due},
    )
    assert response.status_code == 302
    (action,) = target.actions
    html = get(client, url(program, f"/{target.id}"))
    assert "Profile the legacy data" in html and 'class="badge overdue">overdue' in html
    assert "1 overdue" in get(client, url(program))

    before = database_state()
    bad = client.post(url(program, f"/{target.id}/actions"), data={"title": "", "owner": "x"})
    assert bad.status_code == 422 and "This field is required." in text(bad)
    assert database_state() == before

    address = url(program, f"/{target.id}/actions/{action.id}")
    done = client.post(f"{address}/done", data={"version": action.version, "done": "1"})
    assert done.status_code == 302
    db.session.refresh(action)
    assert action.done and action.done_on == TODAY
    stale = client.post(f"{address}/done", data={"version": "1", "done": "0"})
    assert stale.status_code == 409
    removed = client.post(f"{address}/delete", data={"version": action.version})
    assert removed.status_code == 302
    assert count(RiskAction) == 0
    history = get(client, url(program, f"/{target.id}"))
    history = history[history.index('id="history"') :]
    # added; done and done on; removed: the whole life of the action is in the history
    assert history.count("Profile the legacy data") == 4
    assert history.count('text-bg-danger">removed') == 1
    deleted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "risk_action", AuditEvent.action == "delete")
    ).one()
    assert deleted.program_id == program.id
    assert deleted.entity_label == "cleaning-legacy-data · Profile the legacy data"


def test_linked_work_items_show_float_and_the_critical_path(client, program) -> None:
    target = risk(program, "cleaning-legacy-data")
    migration = item(program, "contact-migration")
    migration.total_float, migration.is_critical = 0, True
    profiling = item(program, "data-profiling")
    profiling.total_float, profiling.is_critical = 7, False
    db.session.commit()
    links = url(program, f"/{target.id}/links/items")
    for wi in (migration, profiling):
        assert client.post(links, data={"work_item_id": wi.id}).status_code == 302
    html = get(client, url(program, f"/{target.id}"))
    threatens = html[html.index('id="threatens"') : html.index('id="history"')]
    assert "contact-migration" in threatens and "data-profiling" in threatens
    assert "<td>7</td>" in threatens
    assert threatens.count("critical path</span>") == 1
    assert "Threatens the critical path" in html
    assert get(client, url(program)).count("critical path</span>") == 1
    again = client.post(links, data={"work_item_id": migration.id})
    assert again.status_code == 422 and "already linked" in text(again)


def test_a_link_to_another_programs_work_item_or_phase_is_refused(client, program) -> None:
    other = new_program("Other", "small-business-quick-start")
    target = risk(program, "cleaning-legacy-data")
    foreign = other.phases[1].work_items[0]
    before = database_state()
    links = url(program, f"/{target.id}/links")
    response = client.post(f"{links}/items", data={"work_item_id": foreign.id})
    assert response.status_code == 422
    assert (
        f"work item #{foreign.id} belongs to another program; a risk can only be linked to "
        "work items of its own program" in text(response)
    )
    phase = client.post(f"{links}/phases", data={"phase_id": other.phases[0].id})
    assert phase.status_code == 422 and "belongs to another program" in text(phase)
    missing = client.post(f"{links}/items", data={"work_item_id": "999999"})
    assert missing.status_code == 422 and "no work item #999999" in text(missing)
    proximity = client.post(
        url(program, f"/{target.id}/edit"),
        data=risk_form(target, proximity_phase_id=str(other.phases[0].id)),
    )
    assert proximity.status_code == 422
    assert "expected a phase of this program" in text(proximity)
    assert database_state() == before
    # and a risk is not reachable through another program's URLs
    assert client.get(f"/programs/{other.id}/risks/{target.id}").status_code == 404


def test_phase_links_added_and_removed(client, program) -> None:
    target = risk(program, "winning-executive-support")
    phase = program.phases[1]
    links = url(program, f"/{target.id}/links/phases")
    assert client.post(links, data={"phase_id": phase.id}).status_code == 302
    (link,) = target.phase_links
    html = get(client, url(program, f"/{target.id}"))
    assert phase.name in html[html.index('id="threatens"') :]
    assert client.post(f"{links}/{link.id}/delete", data={}).status_code == 302
    db.session.refresh(target)
    assert target.phase_links == []
    html = get(client, url(program, f"/{target.id}"))
    history = html[html.index('id="history"') :]
    assert "Phase link" in history and 'text-bg-danger">removed' in history


def test_viewer_reads_but_sees_no_edit_controls(login_as, program) -> None:
    viewer = login_as("viewer", program)
    target = risk(program, "cleaning-legacy-data")
    register = get(viewer, url(program))
    assert "Controlling resistance to change" in register
    assert "New risk" not in register and "Import…" not in register
    page = get(viewer, url(program, f"/{target.id}"))
    assert "Add action" not in page and ">Edit<" not in page
    before = database_state()
    refused = viewer.post(
        url(program, f"/{target.id}/status"), data={"status": "closed", "version": "1"}
    )
    assert refused.status_code == 403
    assert database_state() == before
    assert login_as("outsider").get(url(program)).status_code == 404
