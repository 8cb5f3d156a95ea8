"""Formula injection: every export neutralises user text that a spreadsheet would run.

A CSV field that starts with = + - @ tab or CR must come out prefixed with ``'``; an .xlsx
cell must never be a formula (``data_type == "f"``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from itertools import cycle

from openpyxl import load_workbook

from planner.interop.neutralise import TRIGGERS
from tests.reliability.hostile import FORMULAS

RISK_TEXT = (
    "title",
    "description",
    "category",
    "owner",
    "cause",
    "effect",
    "mitigation",
    "contingency",
    "trigger",
)


def assert_csv_neutralised(data: bytes) -> int:
    """Every field that would start a formula is quoted; returns the fields checked."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    checked = 0
    for row in rows:
        for value in row:
            checked += 1
            assert not value.startswith(TRIGGERS) or _is_number(value), f"live formula: {value!r}"
    return checked


def _is_number(value: str) -> bool:
    # negative numbers written by the exporter itself (a value, not user text)
    try:
        float(value)
    except ValueError:
        return False
    return True


def assert_xlsx_has_no_formula(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data))  # not data_only: formulas would show as such
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                checked += 1
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
    return checked


def _poison_risks(db, program) -> list[str]:
    formulas = cycle(FORMULAS)
    used = []
    for risk in program.risks:
        for name in RISK_TEXT:
            value = next(formulas)
            setattr(risk, name, value)
            used.append(value)
    db.session.commit()
    return used


def test_risk_csv_export(client, db, program) -> None:
    _poison_risks(db, program)
    response = client.get(f"/programs/{program.id}/risks/export.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(" in text
    assert assert_csv_neutralised(response.data) > 50


def test_risk_xlsx_export(client, db, program) -> None:
    _poison_risks(db, program)
    response = client.get(f"/programs/{program.id}/risks/export.xlsx")
    assert response.status_code == 200
    assert assert_xlsx_has_no_formula(response.data) > 50


def test_readings_csv_export(client, db, program) -> None:
    from planner.models import MetricReading

    metric = program.metrics[0]
    for n, formula in enumerate(FORMULAS):
        db.session.add(
            MetricReading(
                metric_id=metric.id, day=dt.date(2026, 2, 1 + n), value=-1.5 * n, note=formula
            )
        )
    db.session.commit()
    response = client.get(f"/programs/{program.id}/metrics/readings.csv")
    assert response.status_code == 200
    assert "'=HYPERLINK(" in response.data.decode("utf-8-sig")
    assert assert_csv_neutralised(response.data) >= 4 * len(FORMULAS)


def _hostile_plan():
    from planner.interop.plandata import ItemData, PhaseData, PlanData

    day = dt.date(2026, 3, 2)
    formulas = cycle(FORMULAS)
    phase_name = "=PHASE()"
    items = [
        ItemData(
            f"k{n}",
            next(formulas).strip() or "=1+1",
            "p1",
            duration=2,
            workstream=next(formulas).strip()[:60] or "=ws",
            owner=next(formulas).strip()[:100] or "=owner",
        )
        for n in range(8)
    ]
    return PlanData("=PLAN()", day, phases=[PhaseData("p1", phase_name, 1, day, day)], items=items)


def test_plan_csv_export() -> None:
    from planner.interop import plan_table

    data = plan_table.write_csv(_hostile_plan())
    assert "'=PHASE()" in data.decode("utf-8-sig")
    assert assert_csv_neutralised(data) > 30


def test_plan_xlsx_export() -> None:
    from planner.interop import plan_table

    assert assert_xlsx_has_no_formula(plan_table.write_xlsx(_hostile_plan())) > 30


def test_the_checks_above_can_fail() -> None:
    """A raw CSV and an openpyxl formula cell are caught."""
    import pytest
    from openpyxl import Workbook

    with pytest.raises(AssertionError):
        assert_csv_neutralised(b"name\r\n=1+1\r\n")
    book = Workbook()
    book.active["A1"] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(AssertionError):
        assert_xlsx_has_no_formula(buffer.getvalue())
