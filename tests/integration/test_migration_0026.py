"""Migration 0026: issue owners, deciders and requesters (and the actions 0021 could not
reach: those of issues, reviews and gates) are linked to the people of their program's
directory, by name, by e-mail, or as a new stakeholder; the downgrade writes a linked
person's name back where the text is empty, so nothing is lost either way."""

from __future__ import annotations

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from planner.extensions import db
from tests.conftest import make_app

TEXTS = (("issue", "owner"), ("decision", "decided_by"), ("change_request", "requester"))


def _texts(conn) -> dict[str, list[tuple[int, str | None]]]:  # type: ignore[no-untyped-def]
    return {
        t: sorted(conn.execute(text(f"SELECT id, {c} FROM {t}")).all(), key=lambda r: r[0])
        for t, c in (*TEXTS, ("risk_action", "owner"))
    }


def _columns(table: str) -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns(table)}


def test_0026_raid_names_become_people_and_downgrade_restores_text(
    empty_database_url: str,
) -> None:
    app = make_app(empty_database_url)
    with app.app_context():
        upgrade()
        from planner.services import raid
        from planner.services.playbooks import get_playbook
        from planner.services.programs import create_program

        program = create_program(
            get_playbook("crm-four-100-days"), name="M", client="C", start_date=date(2026, 1, 5)
        )
        db.session.commit()
        issue = raid.create_issue(program, {"title": "Quotes", "owner": "Chen Jing"}, date.today())
        raid.add_action(program, "issue", issue.id, {"title": "Call", "owner": "Gu Lan"})
        raid.record_decision(
            program, {"title": "Freeze", "decided_by": "Liu Yang"}, date(2026, 2, 1)
        )
        db.session.commit()
        program_id = program.id
        db.session.remove()
        downgrade(revision="0025")
        assert "owner_person_id" not in _columns("issue")
        assert "decided_by_person_id" not in _columns("decision")
        with db.engine.begin() as conn:
            # as rows written before 0026 stood: an action of an issue with no link, a
            # requester and a decider known by e-mail only, a name already in the directory
            conn.execute(text("UPDATE risk_action SET owner_person_id = NULL"))
            conn.execute(
                text(
                    "INSERT INTO person (program_id, name, kind, role, team, capacity_hours, "
                    "email, version) VALUES (:p, 'Wang Fang', 'member', 'lead', '', 40, "
                    "'wang.fang@example.com', 1)"
                ),
                {"p": program_id},
            )
            conn.execute(
                text(
                    "INSERT INTO change_request (program_id, key, title, kind, description, "
                    "requester, justification, requested_on, status, version) VALUES "
                    "(:p, 'CR-1', 'More', 'add_work', '', 'Wang Fang', '', '2026-02-02', "
                    "'rejected', 1)"
                ),
                {"p": program_id},
            )
            conn.execute(
                text(
                    "INSERT INTO decision (program_id, key, title, rationale, options, "
                    "decided_by, decided_on, version) VALUES (:p, 'D-9', 'Go on', '', '', "
                    "'wang.fang@example.com', '2026-02-03', 1)"
                ),
                {"p": program_id},
            )
            before = _texts(conn)
            people_before = conn.execute(text("SELECT count(*) FROM person")).scalar()
        upgrade()
        with db.engine.begin() as conn:
            people = dict(conn.execute(text("SELECT name, id FROM person")).all())
            owner = conn.execute(text("SELECT owner, owner_person_id FROM issue")).one()
            assert people[owner[0]] == owner[1]  # Chen Jing, made a stakeholder by 0021's
            action = conn.execute(text("SELECT owner_person_id FROM risk_action")).scalar()
            assert action == people["Gu Lan"]
            deciders = dict(
                conn.execute(text("SELECT key, decided_by_person_id FROM decision")).all()
            )
            assert deciders["D-9"] == people["Wang Fang"]  # found by e-mail
            assert deciders["D-1"] == people["Liu Yang"]
            requester = conn.execute(text("SELECT requester_person_id FROM change_request"))
            assert requester.scalar() == people["Wang Fang"]
            kinds = dict(conn.execute(text("SELECT name, kind FROM person")).all())
            assert kinds["Liu Yang"] == "stakeholder"
            assert conn.execute(text("SELECT count(*) FROM person")).scalar() >= people_before
            assert (
                conn.execute(text("SELECT count(*) FROM person WHERE name = 'Wang Fang'")).scalar()
                == 1
            )
            # a row whose text was emptied keeps its person: the downgrade writes the name back
            conn.execute(text("UPDATE issue SET owner = NULL"))
            conn.execute(text("UPDATE change_request SET requester = ''"))
        downgrade(revision="0025")
        with db.engine.connect() as conn:
            assert _texts(conn) == before
        assert "requester_person_id" not in _columns("change_request")
        upgrade()
        db.engine.dispose()
