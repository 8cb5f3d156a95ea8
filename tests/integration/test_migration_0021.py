"""Migration 0021: free-text owners of work items, risks, risk actions and metrics become
people of their program's directory (one per name), linked; the downgrade writes a linked
person's name back where the text is empty, so nothing is lost either way."""

from __future__ import annotations

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from planner.extensions import db
from tests.conftest import make_app

OWNED = ("work_item", "risk", "metric", "risk_action")


def _owners(conn) -> dict[str, list[tuple[int, str | None]]]:  # type: ignore[no-untyped-def]
    return {
        t: sorted(conn.execute(text(f"SELECT id, owner FROM {t}")).all(), key=lambda r: r[0])
        for t in OWNED
    }


def test_0021_owners_become_people_and_downgrade_restores_text(empty_database_url: str) -> None:
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        from planner.models import RiskAction
        from planner.services.playbooks import get_playbook
        from planner.services.programs import create_program

        program = create_program(
            get_playbook("crm-four-100-days"), name="M", client="C", start_date=date(2026, 1, 5)
        )
        program.work_items[0].owner = "Chen Jing"
        program.work_items[1].owner = "Chen Jing"
        program.risks[0].owner = "Liu Yang"
        program.risks[0].actions.append(RiskAction(title="Brief", owner="Wang Fang"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="0020")
        assert "person" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            before = _owners(conn)
        assert "Chen Jing" in {o for _i, o in before["work_item"]}
        upgrade()
        with db.engine.begin() as conn:
            people = dict(conn.execute(text("SELECT name, id FROM person")).all())
            links = conn.execute(
                text("SELECT owner, owner_person_id FROM work_item WHERE owner IS NOT NULL")
            ).all()
            assert links and all(people[owner] == person for owner, person in links)
            action = conn.execute(text("SELECT owner_person_id FROM risk_action")).scalar()
            assert action == people["Wang Fang"]
            assert (
                conn.execute(text("SELECT count(*) FROM person WHERE name = 'Chen Jing'")).scalar()
                == 1
            )
            # a row whose text was emptied keeps its person: the downgrade writes the name back
            conn.execute(text("UPDATE risk SET owner = NULL WHERE owner = 'Liu Yang'"))
        downgrade(revision="0020")
        with db.engine.connect() as conn:
            assert _owners(conn) == before
