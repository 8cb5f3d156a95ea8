"""The History page's filter (planner.services.history): the "to" day is inclusive, an
unknown action filters nothing, the facets list what the trail holds."""

from __future__ import annotations

from datetime import date, datetime

from planner.models import AuditEvent
from planner.services import history
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program


def _event(program_id: int, at: datetime, action: str, actor: str = "ann") -> AuditEvent:
    return AuditEvent(
        program_id=program_id,
        at=at,
        actor=actor,
        action=action,
        entity="risk",
        entity_id=1,
        entity_label="R-1",
    )


def test_filter_by_days_action_and_facets(db) -> None:
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="Alpha",
        client="A",
        start_date=date(2026, 1, 5),
    )
    db.session.flush()
    db.session.query(AuditEvent).delete()
    db.session.add_all(
        [
            _event(program.id, datetime(2026, 3, 1, 23, 59), "update"),
            _event(program.id, datetime(2026, 3, 2, 0, 0), "delete", actor="bob"),
            _event(program.id, datetime(2026, 2, 28, 12, 0), "create"),
        ]
    )
    db.session.flush()

    def ats(wanted: history.EventFilter) -> list[datetime]:
        return [e.at for e in history.events(program, wanted, 10)]

    # "until" takes the whole day; newest first
    march_first = history.EventFilter(since=date(2026, 3, 1), until=date(2026, 3, 1))
    assert ats(march_first) == [datetime(2026, 3, 1, 23, 59)]
    assert len(ats(history.EventFilter(action="rename"))) == 3  # not an action: ignored
    assert ats(history.EventFilter(actor="bob", action="delete")) == [datetime(2026, 3, 2)]
    assert len(history.events(program, history.EventFilter(), 2)) == 2
    assert history.facets(program) == (["risk"], ["ann", "bob"])
