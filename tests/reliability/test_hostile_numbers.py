"""Hostile numbers in metrics: one numeric policy (``planner.domain.numbers``: finite, at
most 10^12 either way) refused alike by the reading form, the metric settings form, the
CSV/xlsx reading import and the API, with nothing changed; and numbers stored before the
policy (or behind its back) never make a page, an export or the API answer 500.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.reliability.test_hostile_pages import _first_ids, _page_rules, _path
from tests.reliability.test_hostile_pages import full_program as full_program  # a fixture

HUGE = ("1e27", "-1e27", "1e300", "1e13", "inf", "nan")


def _metric(db, program):
    from planner.models import Metric

    return db.session.scalars(
        select(Metric)
        .where(Metric.program_id == program.id, Metric.unit != "%")
        .order_by(Metric.id)
    ).first()


def _counts(db) -> tuple[int, int, int]:
    from planner.models import Metric, MetricReading, MetricTarget

    db.session.rollback()  # what is stored, not what this session holds
    return tuple(
        int(db.session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (MetricReading, MetricTarget, Metric)
    )


def _a_program_day(program) -> date:
    return program.phases[0].window_start + timedelta(days=3)


@pytest.mark.parametrize("value", HUGE)
def test_reading_form_refuses_numbers_out_of_range(client, db, program, value) -> None:
    metric = _metric(db, program)
    before = _counts(db)
    response = client.post(
        f"/programs/{program.id}/metrics/{metric.id}/readings",
        data={"day": _a_program_day(program).isoformat(), "value": value, "note": ""},
    )
    assert response.status_code == 422, response.status_code
    body = response.get_data(as_text=True)
    assert "1,000,000,000,000" in body or "finite" in body
    assert _counts(db) == before


def test_reading_form_says_so_in_chinese(client, db, program) -> None:
    metric = _metric(db, program)
    response = client.post(
        f"/programs/{program.id}/metrics/{metric.id}/readings",
        data={"day": _a_program_day(program).isoformat(), "value": "1e27"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    assert "超出范围" in response.get_data(as_text=True)


def test_the_largest_allowed_reading_is_stored_and_shown(client, db, program) -> None:
    metric = _metric(db, program)
    response = client.post(
        f"/programs/{program.id}/metrics/{metric.id}/readings",
        data={"day": _a_program_day(program).isoformat(), "value": "-1000000000000"},
    )
    assert response.status_code in (302, 303), response.status_code
    page = client.get(f"/programs/{program.id}/metrics/{metric.id}")
    assert page.status_code == 200
    assert "-1,000,000,000,000" in page.get_data(as_text=True)


@pytest.mark.parametrize(("field", "value"), [("baseline", "-1e308"), ("target_1", "1e300")])
def test_metric_settings_refuse_numbers_out_of_range(client, db, program, field, value) -> None:
    from tests.reliability.support import edit_form

    metric = _metric(db, program)
    url = f"/programs/{program.id}/metrics/{metric.id}/edit"
    fields = edit_form(client, url, marker="baseline")
    fields[field] = value
    before = (metric.baseline, sorted((t.phase_ordinal, t.target) for t in metric.targets))
    response = client.post(url, data=fields)
    assert response.status_code == 422, response.status_code
    assert "1,000,000,000,000" in response.get_data(as_text=True)
    db.session.remove()
    metric = _metric(db, program)
    assert (metric.baseline, sorted((t.phase_ordinal, t.target) for t in metric.targets)) == before


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_import_refuses_numbers_out_of_range(client, db, program, kind) -> None:
    metric = _metric(db, program)
    day = _a_program_day(program)
    rows = [
        ["Metric", "Date", "Value"],
        [metric.key, day.isoformat(), "5"],
        [metric.key, (day + timedelta(days=1)).isoformat(), "1e27"],
    ]
    if kind == "csv":
        data = "\n".join(",".join(map(str, r)) for r in rows).encode()
    else:
        data = _xlsx([[r[0], r[1], float(r[2]) if r is not rows[0] else r[2]] for r in rows])
    before = _counts(db)
    response = client.post(
        f"/programs/{program.id}/metrics/import",
        data={"file": (io.BytesIO(data), f"readings.{kind}"), "metric": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.status_code
    body = response.get_data(as_text=True)
    assert "row 3" in body and "out of range" in body
    assert _counts(db) == before


def test_api_refuses_numbers_out_of_range(app, db, program) -> None:
    from tests.integration.api_support import api_as

    api = api_as(app, "member", program)
    metric = _metric(db, program)
    before = _counts(db)
    response = api.post(
        f"/programs/{program.id}/metrics/{metric.id}/readings",
        {"day": _a_program_day(program).isoformat(), "value": 1e27},
    )
    assert response.status_code == 422
    assert _counts(db) == before


def _plant(db, program) -> None:
    """Numbers no input accepts any more, as the old version stored them for metrics that are
    not percentages: readings of ±1e27 and 1e300, a baseline of -1e308, a target of 1e300."""
    from planner.models import Metric, MetricReading, MetricTarget

    # percentage metrics keep 0–100 (checked when a metric is read): the others had no bound
    metric_ids = select(Metric.id).where(Metric.program_id == program.id, Metric.unit != "%")
    readings = db.session.scalars(
        select(MetricReading).where(MetricReading.metric_id.in_(metric_ids))
    ).all()
    assert len(readings) >= 3
    for n, reading in enumerate(readings):
        reading.value = (1e27, 1e300, -1e27)[n % 3]
    db.session.execute(update(Metric).where(Metric.id.in_(metric_ids)).values(baseline=-1e308))
    db.session.execute(
        update(MetricTarget).where(MetricTarget.metric_id.in_(metric_ids)).values(target=1e300)
    )
    db.session.commit()


def test_stored_huge_numbers_never_break_a_page_or_the_api(app, db, client, full_program) -> None:
    from tests.integration.api_support import api_as

    _plant(db, full_program)
    ids = _first_ids(db)
    problems, pages = [], 0
    for rule in _page_rules(app):
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = _path(rule, full_program.id, ids)
        try:
            response = client.get(path)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises a view's error
            db.session.rollback()
            problems.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        pages += response.status_code == 200
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
    api = api_as(app, "admin")
    pid = full_program.id
    for path in (
        f"/programs/{pid}/metrics",
        f"/programs/{pid}/metrics/{ids['metric_id']}",
        f"/programs/{pid}/metrics/{ids['metric_id']}/readings",
        f"/programs/{pid}/gates",
        f"/programs/{pid}/gates/1",
    ):
        try:
            response = api.get(path)
        except Exception as exc:  # noqa: BLE001
            db.session.rollback()
            problems.append(f"API {path}: {type(exc).__name__}: {exc}")
            continue
        if response.status_code >= 500:
            problems.append(f"API {path}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert pages >= 25
