"""The concurrency safety nets (planner/ops/errors.py): a race answers 409, a locked SQLite
database is retried, and neither loses or half-writes anything."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from planner.ops import errors as ops_errors
from tests.reliability.support import edit_form


def test_a_save_that_loses_the_race_gets_409_not_500(client, db, program, monkeypatch) -> None:
    """Both requests pass the version check; the other one commits first."""
    from planner.services.risks import edit as risk_edit

    risk_id = program.risks[0].id
    url = f"/programs/{program.id}/risks/{risk_id}/edit"
    fields = edit_form(client, url)
    fields["title"] = "Mine"
    original = risk_edit.check_version

    def check_then_lose_the_race(obj, version):
        original(obj, version)
        with db.engine.begin() as conn:  # another worker saves meanwhile
            conn.execute(
                text("UPDATE risk SET title = 'Theirs', version = version + 1 WHERE id = :i"),
                {"i": obj.id},
            )

    monkeypatch.setattr(risk_edit, "check_version", check_then_lose_the_race)
    response = client.post(url, data=fields)
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)
    db.session.remove()
    title, version = db.session.execute(
        text("SELECT title, version FROM risk WHERE id = :i"), {"i": risk_id}
    ).one()
    assert title == "Theirs"  # their save stands, mine was not half-applied
    changes = db.session.execute(
        text(
            "SELECT count(*) FROM audit_event WHERE entity = 'risk' AND entity_id = :i "
            "AND field = 'title'"
        ),
        {"i": risk_id},
    ).scalar_one()
    assert changes == 0  # the refused save wrote no audit event


def _locked() -> OperationalError:
    return OperationalError("UPDATE risk", {}, Exception("database is locked"))


def test_a_locked_database_is_retried(app) -> None:
    calls = []

    def view() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _locked()
        return "saved"

    with app.test_request_context("/"):
        assert ops_errors.retry_locked(view)() == "saved"
    assert len(calls) == 3


def test_retries_are_bounded_and_other_errors_pass_through(app) -> None:
    calls = []

    def always_locked() -> str:
        calls.append(1)
        raise _locked()

    def broken() -> str:
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("no such table: x"))

    with app.test_request_context("/"):
        with pytest.raises(OperationalError):
            ops_errors.retry_locked(always_locked)()
        assert len(calls) == ops_errors.LOCKED_ATTEMPTS
        calls.clear()
        with pytest.raises(OperationalError):
            ops_errors.retry_locked(broken)()
        assert len(calls) == 1


def test_an_insert_that_lost_a_race_for_a_key_is_run_again(app) -> None:
    calls = []

    def view() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO risk", {}, Exception("UNIQUE constraint failed"))
        return "saved"

    with app.test_request_context("/"):
        assert ops_errors.retry_locked(view)() == "saved"
    assert len(calls) == 2


def test_a_lasting_integrity_conflict_is_a_409_page(app, client, program, monkeypatch) -> None:
    from planner.services import programs as program_service

    def conflict(*args, **kwargs):
        raise IntegrityError("INSERT INTO program", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(program_service, "get_program", conflict)
    monkeypatch.setattr("planner.web.risks.register_pages.get_program", conflict)
    response = client.get(f"/programs/{program.id}/risks")
    assert response.status_code == 409
    assert "conflicts with a change saved at the same moment" in response.get_data(as_text=True)


def test_every_view_is_wrapped(app) -> None:
    unwrapped = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not getattr(view, "__ops_retry__", False)
    ]
    assert unwrapped == []


def test_the_api_gets_a_problem_document(app) -> None:
    with app.test_request_context("/api/v1/programs/1/risks/1", method="PATCH"):
        response = ops_errors._page(409, "changed meanwhile")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == "changed meanwhile"
