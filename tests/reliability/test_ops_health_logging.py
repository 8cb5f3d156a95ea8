"""/healthz and the JSON request log (planner/ops/health.py, planner/ops/logging.py)."""

from __future__ import annotations

import json

from tests.conftest import make_app


def request_lines(text: str) -> list[dict]:
    lines = []
    for raw in text.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if entry.get("event") == "request":
            lines.append(entry)
    return lines


def admin_id(client) -> int:
    with client.session_transaction() as session:
        return int(session["_user_id"])


def test_healthz_answers_ok_without_sign_in(anonymous_client, capsys) -> None:
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"
    [line] = request_lines(capsys.readouterr().out)
    assert line["route"] == "ops.healthz"
    assert line["status"] == 200


def test_healthz_says_503_when_the_database_is_gone(tmp_path, monkeypatch, capsys) -> None:
    from planner.web import policy

    monkeypatch.setitem(policy.POLICY, "ops.healthz", "public")
    # a SQLite file in a folder that does not exist cannot be opened
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["error"] == "OperationalError"
    assert "missing" not in response.get_data(as_text=True)  # no path leaks out
    assert response.headers["Retry-After"] == "5"
    out = capsys.readouterr().out
    [line] = request_lines(out)
    assert line["status"] == 503
    assert "health check: database unavailable" in out


def test_one_json_line_per_request_with_user_route_status_duration(client, program, capsys) -> None:
    capsys.readouterr()
    client.get(f"/programs/{program.id}/risks", headers={"X-Request-ID": "abc-123"})
    client.get(f"/programs/{program.id}/nothing-here")
    response = client.post(f"/programs/{program.id}/risks/new", data={"title": ""})
    lines = request_lines(capsys.readouterr().out)
    assert len(lines) == 3
    first, missing, refused = lines
    assert first["user"] == admin_id(client)
    assert first["email"] == "admin@test.example"
    assert first["route"] == "risks.register"
    assert first["method"] == "GET"
    assert first["status"] == 200
    assert first["request_id"] == "abc-123"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert missing["route"] is None and missing["status"] == 404
    assert refused["route"] == "risks.new" and refused["method"] == "POST"
    assert refused["status"] == response.status_code == 422
    for line in lines:
        assert set(line) >= {"ts", "user", "route", "method", "status", "duration_ms", "path"}
    assert refused["user"] == first["user"]


def test_request_id_is_sent_back_and_hostile_ids_are_replaced(anonymous_client) -> None:
    kept = anonymous_client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert kept.headers["X-Request-ID"] == "req-42"
    replaced = anonymous_client.get("/healthz", headers={"X-Request-ID": 'x"<b>{evil}'})
    assert replaced.headers["X-Request-ID"] != 'x"<b>{evil}'
    assert len(replaced.headers["X-Request-ID"]) == 32


def test_anonymous_requests_log_no_user(anonymous_client, capsys) -> None:
    capsys.readouterr()
    anonymous_client.get("/login")
    [line] = request_lines(capsys.readouterr().out)
    assert line["user"] is None and line["email"] is None
    assert line["route"] == "auth.login"


def test_tokens_in_urls_are_redacted_in_the_request_log(app, db, program, capsys) -> None:
    """Share-link and calendar-feed tokens are bearer secrets: the log never holds them."""
    from planner.models import Membership
    from planner.services.feed import rotate_token
    from planner.services.users import create_share_link
    from tests.conftest import make_user

    _link, share = create_share_link(program, "lead@test.example", 7)
    user = make_user("feed@test.example")
    db.session.add(Membership(user_id=user.id, program_id=program.id, role="viewer"))
    feed = rotate_token(user)
    db.session.commit()
    client = app.test_client()
    capsys.readouterr()
    opened = [
        client.get(f"/share/{share}"),
        client.get(f"/feeds/{feed}/programs/{program.id}.ics"),
        client.get("/share/not-a-token-0123456789"),
    ]
    assert [r.status_code < 500 for r in opened] == [True] * 3
    assert opened[0].status_code in (200, 302) and opened[1].status_code == 200
    out = capsys.readouterr().out
    assert share not in out and feed not in out and "not-a-token-0123456789" not in out
    paths = [line["path"] for line in request_lines(out)]
    assert "/share/[redacted]" in paths
    assert f"/feeds/[redacted]/programs/{program.id}.ics" in paths
