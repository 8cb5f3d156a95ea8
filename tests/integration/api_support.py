"""Helpers shared by the API tests (test_api_*.py) and the schemathesis run."""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.extensions import db
from planner.services.api_tokens import create_token
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from tests.conftest import make_user

PLAYBOOK = "crm-four-100-days"
JSON = "application/json"
PROBLEM = "application/problem+json"


def install_api(app: Any, monkeypatch: Any = None) -> None:
    """Register the API and token blueprints and their policy entries, as the lead will."""
    from planner.api import bp
    from planner.api.policy import API_POLICY
    from planner.extensions import csrf
    from planner.web import policy, tokens

    if "api" not in app.blueprints:
        app.register_blueprint(bp)
        csrf.exempt(bp)
    if "tokens" not in app.blueprints:
        app.register_blueprint(tokens.bp)
    entries = {**API_POLICY, "tokens.index": "signed_in", "tokens.revoke": "signed_in"}
    for endpoint, rule in entries.items():
        if endpoint in policy.POLICY:
            continue
        if monkeypatch is not None:
            monkeypatch.setitem(policy.POLICY, endpoint, rule)
        else:
            policy.POLICY[endpoint] = rule


def new_program(name: str = "Acme rollout", start: date = date(2026, 1, 5)) -> Any:
    """A program of the shipped playbook, its progress reported at its start (a fixed plan)."""
    from planner.services.plan import set_status_date

    program = create_program(get_playbook(PLAYBOOK), name=name, client="Acme Ltd", start_date=start)
    db.session.flush()
    set_status_date(program, start, program.version)
    db.session.commit()
    return program


def audit_count() -> int:
    from planner.models import AuditEvent

    return int(db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) or 0)


class Api:
    """A test client that speaks to the API with a bearer token."""

    def __init__(self, app: Any, token: str | None, user: Any = None) -> None:
        self.client = app.test_client()
        self.token = token
        self.user = user

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def open(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        if body is not None and "data" not in kwargs:
            kwargs["json"] = body
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.open("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.open("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.open("DELETE", path, **kwargs)


def api_as(app: Any, role: str, program: Any = None) -> Api:
    """An API client with a token of a new user of ``role`` (lead, member, steering, viewer,
    admin, outsider) or none at all (anonymous)."""
    from planner.models import Membership

    if role == "anonymous":
        return Api(app, None)
    n = db.session.scalar(
        db.select(db.func.count()).select_from(db.metadata.tables["user_account"])
    )
    user = make_user(f"api-{role}-{n + 1}@test.example", is_admin=role == "admin")
    if role in ("lead", "member", "steering", "viewer"):
        db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
    _row, token = create_token(user, f"{role} token")
    db.session.commit()
    return Api(app, token, user)


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The response is a problem body of ``status`` (naming ``field`` when given)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM, response.mimetype
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "detail", "errors"} <= set(body)
    if field is not None:
        fields = [e["field"] for e in body["errors"]]
        assert field in fields, (field, body)
    return body
