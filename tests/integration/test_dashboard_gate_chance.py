"""The dashboard's "Next gates" table puts the schedule risk analysis's chance of meeting each
gate's date beside the deterministic outlook, in both languages, in the phone's stacked
layout; with no analysis at hand (a plan too large to simulate while the page renders) the
column is left out and nothing is simulated."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from planner.models import Program
from planner.services import schedule_risk as service
from planner.web.schedule_risk import format_percent
from tests.integration.demo_copy import load_demo_copy


def next_gates(client: Any, program_id: int, lang: str = "en") -> str:
    page = client.get(f"/programs/{program_id}/dashboard", headers={"Accept-Language": lang})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html.split('class="table table-striped stack-on-phone next-gates"', 1)[1].split(
        "</table>", 1
    )[0]


@pytest.fixture()
def demo(today, db) -> Program:  # type: ignore[no-untyped-def]
    load_demo_copy(today)
    return db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def test_the_demo_gates_show_their_chance_beside_the_outlook(today, demo, login_as) -> None:  # type: ignore[no-untyped-def]
    lead = login_as("lead", demo)
    table = next_gates(lead, demo.id)
    outlook = service.gate_outlook(demo, today)
    assert outlook.gates and not outlook.pending
    assert '<th scope="col">Chance of meeting the date</th>' in table
    rows = table.split("<tbody>", 1)[1].split("</tr>")
    shown = 0
    for gate in outlook.gates:
        row = next((r for r in rows if "/gates/" in r and _gate_of(r, demo, gate.phase)), None)
        if row is None:
            continue  # not among the next gates the board lists
        shown += 1
        cell = row.split('class="gate-chance"', 1)[1]
        assert 'data-label="Chance of meeting the date"' in cell and '<div class="cell">' in cell
        badge = (
            "text-bg-success"
            if gate.probability >= 0.8
            else ("text-bg-warning" if gate.probability >= 0.5 else "text-bg-danger")
        )
        with_babel = format_percent(gate.probability)
        assert re.search(rf'class="badge {badge}">{re.escape(with_babel)} likely<', cell), cell
    assert shown, "the board lists at least one analysed gate"
    zh = next_gates(lead, demo.id, "zh-CN")
    assert "按期达成的概率" in zh and "可能性" in zh


def _gate_of(row: str, program: Program, phase_key: str) -> bool:
    phase = next(p for p in program.phases if p.key == phase_key)
    return f'/gates/{phase.ordinal}"' in row


def test_no_column_while_the_analysis_is_pending(today, demo, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "INLINE_CELLS", 0)  # every plan counts as too large
    simulated: list[int] = []
    monkeypatch.setattr(service, "simulate", lambda *a, **k: simulated.append(1))
    assert service.gate_outlook(demo, today).pending
    lead = login_as("lead", demo)
    for lang in ("en", "zh-CN"):
        table = next_gates(lead, demo.id, lang)
        assert "gate-chance" not in table and "likely" not in table and "可能性" not in table
        assert "/gates/" in table  # the gates are still listed
    assert simulated == []
