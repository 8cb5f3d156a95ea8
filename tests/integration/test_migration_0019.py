"""Migration 0019: the risk actions become the program's one action list without losing a
row (ids, titles, owners, dates and done flags kept; each gets its risk's program); the
downgrade keeps the risks' actions and drops only what the older schema cannot hold."""

from __future__ import annotations

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from planner.extensions import db
from tests.conftest import make_app

ROWS = "SELECT id, risk_id, title, owner, due_date, done, done_on, version FROM risk_action"


def test_0019_keeps_every_risk_action_and_gives_it_the_program(empty_database_url: str) -> None:
    app = make_app(empty_database_url)
    with app.app_context():
        try:
            upgrade()
            from planner.models import RiskAction
            from planner.services import raid
            from planner.services.playbooks import get_playbook
            from planner.services.programs import create_program

            program = create_program(
                get_playbook("crm-four-100-days"), name="M", client="C", start_date=date(2026, 1, 5)
            )
            risk = program.risks[0]
            risk.actions.append(RiskAction(title="Profile", owner="Sun", due_date=date(2026, 2, 1)))
            risk.actions.append(RiskAction(title="Merge", done=True, done_on=date(2026, 1, 9)))
            issue = raid.create_issue(program, {"title": "Quotes wrong"}, date(2026, 1, 9))
            raid.add_action(program, "issue", issue.id, {"title": "Fix the rules"})
            db.session.commit()
            program_id = program.id
            db.session.remove()

            downgrade(revision="0017")
            assert "issue" not in inspect(db.engine).get_table_names()
            with db.engine.connect() as conn:
                before = conn.execute(text(ROWS + " ORDER BY id")).all()
            assert sorted(r.title for r in before) == ["Merge", "Profile"]  # the issue's went

            upgrade()
            with db.engine.connect() as conn:
                after = conn.execute(text(ROWS + " ORDER BY id")).all()
                programs = set(conn.execute(text("SELECT program_id FROM risk_action")).scalars())
            assert after == before
            assert programs == {program_id}
        finally:
            db.engine.dispose()
