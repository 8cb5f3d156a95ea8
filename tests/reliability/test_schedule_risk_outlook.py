"""The dashboard and gate pages show the gates' chances without waiting for a simulation of a
large plan: the current analysis when cached or cheap, else the latest one with its date,
else an invitation to run it (services/schedule_risk.gate_outlook)."""

from __future__ import annotations

from typing import Any

import pytest

from planner.services import schedule_risk as service
from tests.integration.plan_support import make_program

STALE = "before the latest changes"
PENDING = "has not been analysed yet"


@pytest.fixture()
def simulations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the simulations the service runs."""
    runs: list[int] = []
    real = service.simulate

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "simulate", counted)
    return runs


def _board(client: Any, program_id: int, lang: str = "en") -> str:
    page = client.get(f"/programs/{program_id}/dashboard", headers={"Accept-Language": lang})
    assert page.status_code == 200
    return str(page.get_data(as_text=True))


def test_a_small_plan_is_analysed_while_the_dashboard_renders(
    today, db, login_as, simulations
) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    service.save_range(program, "program", "", -10, 50, "triangular")
    db.session.commit()
    lead = login_as("lead", program)
    html = _board(lead, program.id)
    assert "Gate chances" in html and "likely" in html
    assert STALE not in html and PENDING not in html
    assert len(simulations) == 1
    _board(lead, program.id)
    assert len(simulations) == 1  # the same revision: from the cache


def test_a_large_plan_shows_the_latest_analysis_dated_and_never_waits(
    today, db, login_as, simulations, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(service, "INLINE_CELLS", 0)  # every plan counts as too large
    program = make_program(db)
    phase = next(p for p in program.phases if p.ordinal == 2)
    service.save_range(program, "program", "", -10, 50, "triangular")
    db.session.commit()
    lead = login_as("lead", program)

    html = _board(lead, program.id)
    assert PENDING in html and "likely" not in html
    zh = _board(lead, program.id, "zh-CN")
    assert PENDING not in zh and "尚未" in zh
    assert simulations == []

    # someone opens the analysis: the dashboard now shows it, current
    assert lead.get(f"/programs/{program.id}/schedule-risk").status_code == 200
    assert len(simulations) == 1
    html = _board(lead, program.id)
    assert "likely" in html and STALE not in html and PENDING not in html
    current = service.gate_outlook(program, today)
    assert current.as_of is None and current.gates

    # the plan changes: the chances shown are the earlier ones, dated, with no new simulation
    service.save_range(program, "phase", phase.key, -5, 80, "pert")
    db.session.commit()
    html = _board(lead, program.id)
    assert STALE in html and "likely" in html
    gate = lead.get(f"/programs/{program.id}/gates/2")
    assert gate.status_code == 200
    assert STALE in gate.get_data(as_text=True)
    assert len(simulations) == 1
    stale = service.gate_outlook(program, today)
    assert stale.as_of is not None
    assert [g.probability for g in stale.gates] == [g.probability for g in current.gates]

    # the analysis opened again: current once more, and different chances with the wider range
    assert lead.get(f"/programs/{program.id}/schedule-risk").status_code == 200
    assert len(simulations) == 2
    html = _board(lead, program.id)
    assert STALE not in html and "likely" in html
