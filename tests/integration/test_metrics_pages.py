"""Metric pages: the list, a metric with its trend, readings (rules), editing, status rules."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from planner.models import AuditEvent, MetricReading
from planner.models.gate import GateCriterion
from planner.models.metric import StatusSettings
from planner.services import audit
from planner.services import metrics as service
from tests.integration.metrics_support import TODAY, make_program, metric, snapshot

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture()
def program(db):
    return make_program()


def _add(program, key: str, days_ago: int, value: float, note: str = "") -> None:
    service.add_reading(
        program, metric(program, key), TODAY - timedelta(days=days_ago), value, note
    )


def test_metrics_list_shows_status_against_the_current_phase_target(client, db, program) -> None:
    _add(program, "active-users", 30, 60.0)
    _add(program, "active-users", 2, 65.0)
    db.session.commit()
    page = client.get(f"/programs/{program.id}/metrics")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    row = re.search(r'<tr data-metric="active-users">(.*?)</tr>', html, re.S).group(1)
    # phase 2 runs from day 128 to its gate on day 227 (99 days); playbook 1.1 gives active
    # users an S-curve from phase 1's 70% to 80%: on day 148 (day 20, s = 20/99)
    # 3s² - 2s³ = 0.106, so 70 + 10 x 0.106 = 71.06%, amber from 63.95% (10%)
    assert "71.06%" in row and "gate target 80%" in row and "(Phase 2)" in row
    assert "65%" in row and 'class="rag rag-amber"' in row
    assert "not enough data" in row  # two readings: no forecast
    empty = re.search(r'<tr data-metric="upward-migration">(.*?)</tr>', html, re.S).group(1)
    assert "No status" in empty and "none yet" in empty
    assert f'href="/programs/{program.id}/metrics/new"' in html


def test_metric_page_has_trend_chart_rule_and_readings(client, db, program) -> None:
    _add(program, "duplicate-rate", 40, 5.0, "after the clean-up")
    _add(program, "duplicate-rate", 5, 3.0)
    db.session.commit()
    m = metric(program, "duplicate-rate")
    page = client.get(f"/programs/{program.id}/metrics/{m.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # the rule spelled out with the actual thresholds around the glide path on the latest
    # reading's day (lower is better): phase 2 falls from phase 1's 8% to 2% over 99 days;
    # day 145 is its day 17: 8 - 6 x 17/99 = 6.97%, amber up to 6.97 x 1.1 = 7.67%
    assert "green at or below 6.97%; amber above 6.97% up to 7.67% (within 10% of target)" in html
    assert "red above 7.67%" in html
    figure = json.loads(re.search(r'id="trend-json">(.*?)</script>', html, re.S).group(1))
    names = [t["name"] for t in figure["data"]]
    assert names == ["Glide path", "Target", "Readings"]  # two readings: no forecast
    assert figure["data"][2]["y"] == [5.0, 3.0]
    # the path: from the baseline 12% to phase 1's 8%, then to phase 2's 2%, ...
    glide = figure["data"][0]
    assert glide["y"][:4] == [12.0, 8.0, 8.0, 2.0]
    assert len([s for s in figure["layout"]["shapes"] if s["type"] == "rect"]) == 5
    assert "after the clean-up" in html
    assert "vendor/plotly-basic.min.js" in html and "<script>" not in html  # no inline code


@pytest.mark.parametrize(
    ("day_offset", "value", "field", "message"),
    [
        (-200, "50", "day", "is outside the program"),
        (400, "50", "day", "is outside the program"),
        (-10, "lots", "value", 'expected a number, got "lots"'),
        (-10, "", "value", "a value is required"),
        (-10, "101", "value", "a percentage must be from 0 to 100, got 101"),
        (-10, "-1", "value", "a percentage must be from 0 to 100, got -1"),
        (-3, "50", "day", "there is already a reading"),
    ],
)
def test_bad_readings_are_refused_and_change_nothing(
    client, db, program, day_offset, value, field, message
) -> None:
    _add(program, "active-users", 3, 40.0)
    db.session.commit()
    m = metric(program, "active-users")
    before = snapshot()
    response = client.post(
        f"/programs/{program.id}/metrics/{m.id}/readings",
        data={"day": (TODAY + timedelta(days=day_offset)).isoformat(), "value": value},
    )
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert message in html
    assert "invalid-feedback" in html
    assert snapshot() == before


def test_reading_with_percent_sign_is_added_and_audited(client, db, program, monkeypatch) -> None:
    monkeypatch.setattr(audit, "actor_provider", lambda: "lead@example.com")
    m = metric(program, "active-users")
    response = client.post(
        f"/programs/{program.id}/metrics/{m.id}/readings",
        data={"day": TODAY.isoformat(), "value": " 45.5% ", "note": "weekly report"},
    )
    assert response.status_code == 302
    reading = db.session.scalars(select(MetricReading)).one()
    assert (reading.day, reading.value, reading.note) == (TODAY, 45.5, "weekly report")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "metricreading")).one()
    assert event.action == "create"


def test_edit_reading_and_stale_edit(client, db, program, monkeypatch) -> None:
    _add(program, "active-users", 10, 40.0)
    _add(program, "active-users", 3, 44.0)
    db.session.commit()
    m = metric(program, "active-users")
    first = m.readings[0]
    url = f"/programs/{program.id}/metrics/{m.id}/readings/{first.id}/edit"
    page = client.get(url)
    assert page.status_code == 200 and 'value="40"' in page.get_data(as_text=True)
    seen = first.version
    # moving it onto the other reading's day is refused
    clash = client.post(
        url, data={"day": (TODAY - timedelta(days=3)).isoformat(), "value": "41", "version": seen}
    )
    assert clash.status_code == 422 and "there is already a reading" in clash.get_data(True)
    ok = client.post(
        url, data={"day": (TODAY - timedelta(days=9)).isoformat(), "value": "41", "version": seen}
    )
    assert ok.status_code == 302
    db.session.expire_all()
    assert (first.day, first.value) == (TODAY - timedelta(days=9), 41.0)
    # someone else changed it meanwhile: 409, input kept, stored values shown
    monkeypatch.setattr(audit, "actor_provider", lambda: "alice")
    first.value = 42.0
    db.session.commit()
    stale = client.post(url, data={"day": first.day.isoformat(), "value": "43", "version": seen})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed by alice at" in html
    assert 'value="43"' in html and "<strong>42</strong>" in html
    db.session.expire_all()
    assert first.value == 42.0


def test_delete_reading(client, db, program) -> None:
    _add(program, "active-users", 10, 40.0)
    db.session.commit()
    m = metric(program, "active-users")
    r = m.readings[0]
    response = client.post(f"/programs/{program.id}/metrics/{m.id}/readings/{r.id}/delete")
    assert response.status_code == 302
    assert db.session.scalars(select(MetricReading)).all() == []


def _metric_form(**overrides):
    data = {
        "key": "nps",
        "name": "Sales team satisfaction",
        "unit": "points",
        "direction": "higher",
        "baseline": "20",
        "target_1": "30",
        "target_3": "50",
        "owner": "HR",
    }
    data.update(overrides)
    return data


def test_add_metric_with_targets_per_phase(client, db, program) -> None:
    page = client.get(f"/programs/{program.id}/metrics/new")
    assert page.status_code == 200
    assert 'name="target_4"' in page.get_data(as_text=True)
    response = client.post(f"/programs/{program.id}/metrics/new", data=_metric_form())
    assert response.status_code == 302
    created = metric(program, "nps")
    assert {t.phase_ordinal: t.target for t in created.targets} == {1: 30.0, 3: 50.0}
    assert created.baseline == 20.0 and created.amber_tolerance is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"key": "Active Users!"}, "use lower-case letters"),
        ({"key": "active-users"}, 'already has a metric "active-users"'),
        ({"unit": "%", "target_1": "120"}, "a percentage must be from 0 to 100, got 120"),
        ({"amber_tolerance": "150"}, "Number must be between 0 and 100"),
        ({"name": ""}, "This field is required"),
    ],
)
def test_bad_metrics_are_refused(client, db, program, overrides, message) -> None:
    before = snapshot()
    response = client.post(f"/programs/{program.id}/metrics/new", data=_metric_form(**overrides))
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert snapshot() == before


def test_edit_metric_renames_criteria_and_sets_its_own_tolerance(client, db, program) -> None:
    m = metric(program, "junk-order-rate")
    url = f"/programs/{program.id}/metrics/{m.id}/edit"
    page = client.get(url)
    assert page.status_code == 200 and 'value="junk-order-rate"' in page.get_data(as_text=True)
    data = _metric_form(
        key="junk-orders",
        name="Junk orders",
        unit="%",
        direction="lower",
        baseline="15",
        target_1="",
        target_3="",
        target_2="5",
        amber_tolerance="20",
        version=str(m.version),
    )
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert m.key == "junk-orders" and m.amber_tolerance == pytest.approx(0.2)
    assert {t.phase_ordinal: t.target for t in m.targets} == {2: 5.0}
    refs = db.session.scalars(
        select(GateCriterion.reference).where(GateCriterion.kind == "metric_target")
    ).all()
    assert "junk-orders" in refs and "junk-order-rate" not in refs
    # its status now uses 20%: today (day 22 of phase 2) the path from the baseline 15% to
    # 5% is at 15 - 10 x 22/99 = 12.78%; 14.5 is amber (up to 15.33), not red (10%: 14.06)
    service.add_reading(program, m, TODAY, 14.5)
    db.session.commit()
    html = client.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    assert "amber above 12.78% up to 15.33% (within 20% of target)" in html
    assert "this metric's own setting" in unescape(html)


def test_unit_cannot_become_percentage_with_readings_above_100(client, db, program) -> None:
    m = metric(program, "weekly-logins")
    service.add_reading(program, m, TODAY, 130.0)
    db.session.commit()
    data = _metric_form(key="weekly-logins", unit="%", target_1="", target_3="", version=m.version)
    response = client.post(f"/programs/{program.id}/metrics/{m.id}/edit", data=data)
    assert response.status_code == 422
    assert "a percentage metric keeps readings within 0–100" in response.get_data(as_text=True)


def test_stale_metric_edit_shows_both_versions(client, db, program, monkeypatch) -> None:
    m = metric(program, "weekly-logins")
    seen = m.version
    monkeypatch.setattr(audit, "actor_provider", lambda: "bob")
    m.owner = "Bob"
    db.session.commit()
    data = _metric_form(key="weekly-logins", owner="Carol", version=seen)
    response = client.post(f"/programs/{program.id}/metrics/{m.id}/edit", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by bob at" in html
    assert 'value="Carol"' in html and "<strong>Bob</strong>" in html
    db.session.expire_all()
    assert m.owner == "Bob"


def test_status_rules_change_the_amber_band(client, db, program) -> None:
    # day 149 is day 21 of phase 2: on the S-curve from 70% to 80% (s = 21/99,
    # 3s² - 2s³ = 0.1159) the path is at 71.16%
    _add(program, "active-users", 1, 70.0)
    db.session.commit()
    m = metric(program, "active-users")
    page = client.get(f"/programs/{program.id}/metrics/{m.id}").get_data(True)
    assert "red below 64.04%" in page  # 71.16 x 0.9
    response = client.post(
        f"/programs/{program.id}/metrics/settings",
        data={"amber_tolerance": "15", "schedule_tolerance_days": "7", "version": ""},
    )
    assert response.status_code == 302
    stored = db.session.scalars(select(StatusSettings)).one()
    assert (stored.amber_tolerance, stored.schedule_tolerance_days) == (0.15, 7)
    html = client.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    assert "amber from 60.49% to below 71.16% (within 15% of target)" in html  # 71.16 x 0.85
    # a stale form is refused; a bad one too; nothing changes
    before = snapshot()
    stale = client.post(
        f"/programs/{program.id}/metrics/settings",
        data={"amber_tolerance": "20", "schedule_tolerance_days": "7", "version": "0"},
    )
    assert stale.status_code == 409 and "changed by" in stale.get_data(True)
    bad = client.post(
        f"/programs/{program.id}/metrics/settings",
        data={"amber_tolerance": "150", "schedule_tolerance_days": "7", "version": "1"},
    )
    assert bad.status_code == 422
    assert snapshot() == before


def test_export_readings_csv(client, db, program) -> None:
    _add(program, "active-users", 3, 40.0, "=SUM(A1:A2)")
    db.session.commit()
    response = client.get(f"/programs/{program.id}/metrics/readings.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == "Metric,Date,Value,Note"
    assert f"active-users,{(TODAY - timedelta(days=3)).isoformat()},40,'=SUM(A1:A2)" in text


def test_unknown_metric_or_program_is_404(client, db, program) -> None:
    other = make_program("Other")
    foreign = metric(other, "active-users")
    assert client.get(f"/programs/{program.id}/metrics/{foreign.id}").status_code == 404
    assert client.get(f"/programs/{program.id}/metrics/999999").status_code == 404


def test_readers_see_no_editing_controls(login_as, db, program) -> None:
    _add(program, "active-users", 3, 40.0)
    db.session.commit()
    m = metric(program, "active-users")
    viewer = login_as("viewer", program)
    page = viewer.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    assert "40%" in page
    assert "Add a reading" not in page and "Edit metric" not in page and ">Delete" not in page
    index = viewer.get(f"/programs/{program.id}/metrics").get_data(as_text=True)
    assert "Import readings" not in index and "Add metric" not in index
    assert "amber within 10% of target" in index
    member = login_as("member", program)
    page = member.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    assert "Add a reading" in page and "Edit metric" not in page


def test_metric_pages_in_chinese(client, db, program) -> None:
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    m = metric(program, "active-users")
    for url in (
        f"/programs/{program.id}/metrics",
        f"/programs/{program.id}/metrics/{m.id}",
        f"/programs/{program.id}/metrics/{m.id}/edit",
        f"/programs/{program.id}/dashboard",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "活跃用户" in page.get_data(as_text=True), url
    # the rule and the reason the domain explains, in Chinese too
    _add(program, "active-users", 3, 50.0)
    db.session.commit()
    page = client.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    rule = unescape(re.search(r'id="status-rule">(.*?)</p>', page, re.S).group(1))
    assert "为绿" in rule and "为红" in rule and "最新读数" in rule, rule
    assert not re.search(r"\b(green|amber|red|latest|target|forecast)\b", rule), rule


def test_the_glide_path_is_chosen_on_the_metric_form(client, db, program) -> None:
    m = metric(program, "junk-order-rate")
    url = f"/programs/{program.id}/metrics/{m.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="glide"' in page and "S-curve: slow start" in page
    data = _metric_form(
        key="junk-order-rate",
        name="Junk orders",
        unit="%",
        direction="lower",
        baseline="15",
        target_1="",
        target_3="",
        target_2="5",
        glide="s-curve",
        version=str(m.version),
    )
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert m.glide == "s-curve"
    # today is day 22 of phase 2 (99 days): s = 22/99, 3s² - 2s³ = 0.1262; the path from the
    # baseline 15% down to 5%: 15 - 10 x 0.1262 = 13.74%
    _add(program, "junk-order-rate", 0, 13.0)
    db.session.commit()
    html = client.get(f"/programs/{program.id}/metrics/{m.id}").get_data(as_text=True)
    assert "against the glide path&#39;s 13.74% that day" in html or (
        "against the glide path's 13.74% that day" in html
    )
    # steps only come from a playbook
    data.update(glide="steps", version=str(m.version))
    refused = client.post(url, data=data)
    assert refused.status_code == 422 and "steps come from a playbook" in refused.get_data(True)
    db.session.expire_all()
    assert m.glide == "s-curve"
