"""API tokens, authentication, the problem format, routing edge cases, the description and docs."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from planner.api.core import OPERATIONS
from planner.api.policy import API_POLICY
from planner.models.api_token import ApiToken
from planner.services.users import token_hash
from tests.conftest import TEST_PASSWORD, make_app, make_user, sign_in
from tests.integration.api_support import (
    PROBLEM,
    Api,
    api_as,
    assert_problem,
    install_api,
    new_program,
)

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


def test_token_page_shows_the_token_once_and_stores_only_its_hash(app, db) -> None:
    user = make_user("owner@test.example")
    page = app.test_client()
    sign_in(page, user)
    response = page.post("/account/tokens", data={"name": "Excel refresh"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = re.search(r'value="(pln_[^"]+)"', html).group(1)
    row = db.session.scalar(select(ApiToken))
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    assert row.name == "Excel refresh" and row.user_id == user.id
    # shown once: the list shows only its prefix
    listed = page.get("/account/tokens").get_data(as_text=True)
    assert token not in listed and row.prefix in listed
    # the token works on the API, and notes when it was used
    me = Api(app, token).get("/me")
    assert me.status_code == 200 and me.get_json()["email"] == "owner@test.example"
    db.session.refresh(row)
    assert row.last_used_at is not None


def test_token_name_is_required(app, db) -> None:
    page = app.test_client()
    sign_in(page, make_user("owner@test.example"))
    response = page.post("/account/tokens", data={"name": ""})
    assert response.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_is_refused(app, db) -> None:
    api = api_as(app, "admin")
    assert api.get("/me").status_code == 200
    page = app.test_client()
    sign_in(page, api.user)
    row = db.session.scalar(select(ApiToken))
    assert page.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert_problem(api.get("/me"), 401)


def test_nobody_revokes_another_users_token(app, db) -> None:
    api = api_as(app, "admin")
    row = db.session.scalar(select(ApiToken))
    page = app.test_client()
    sign_in(page, make_user("other@test.example"))
    assert page.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert api.get("/me").status_code == 200


def test_token_page_needs_sign_in(app) -> None:
    response = app.test_client().get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inactive_users_token_is_refused(app, db) -> None:
    api = api_as(app, "admin")
    api.user.active = False
    db.session.commit()
    assert_problem(api.get("/me"), 401)


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Token pln_x", "Bearer " + "x" * 300],
)
def test_missing_or_bad_token_is_401_with_challenge(app, db, header) -> None:
    client = app.test_client()
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/programs", headers=headers)
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["type"].endswith("#problem-unauthorized")


def test_the_session_cookie_opens_nothing_and_is_left_alone(app, db, client) -> None:
    program = new_program()
    # `client` is signed in to the pages as a site administrator
    assert client.get(f"/programs/{program.id}").status_code == 200
    response = client.get(f"/api/v1/programs/{program.id}")
    assert_problem(response, 401)
    assert "Set-Cookie" not in response.headers
    # the browser's session still works for the pages afterwards
    assert client.get(f"/programs/{program.id}").status_code == 200


def test_api_needs_no_csrf_token(database_url, db) -> None:
    strict = make_app(database_url, WTF_CSRF_ENABLED=True)
    install_api(strict)
    with strict.app_context():
        api = api_as(strict, "admin")
        body = {
            "name": "N",
            "client": "C",
            "start_date": "2026-01-05",
            "playbook": "crm-four-100-days",
        }
        assert api.post("/programs", body).status_code == 201


def test_outsider_gets_404_for_a_program_and_an_empty_list(app, db) -> None:
    program = new_program()
    outsider = api_as(app, "outsider")
    assert_problem(outsider.get(f"/programs/{program.id}"), 404)
    assert_problem(outsider.get(f"/programs/{program.id}/work-items"), 404)
    assert outsider.get("/programs").get_json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/programs/100000000000000000000000",
        "/programs/1/work-items/100000000000000000000000",
        "/programs/2147483648/risks",
        "/programs/0",
        "/programs/-1",
        "/programs/abc",
        "/programs/1/gates/1001",
        "/nothing/here",
        "/programs/1/work-items/%0A",
    ],
)
def test_unknown_paths_and_ids_out_of_range_are_404_problems(app, db, path) -> None:
    new_program()
    for role in ("admin", "anonymous"):
        assert_problem(api_as(app, role).get(path), 404)


def test_wrong_method_is_405_with_allow(app, db) -> None:
    response = api_as(app, "admin").open("PUT", "/programs")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_bodies_must_be_json(app, db) -> None:
    api = api_as(app, "admin")
    assert_problem(
        api.post("/programs", data="name=x", headers={"Content-Type": "text/plain"}), 415
    )
    assert_problem(
        api.post("/programs", data="", headers={"Content-Type": "application/json"}), 400
    )
    assert_problem(
        api.post("/programs", data="{", headers={"Content-Type": "application/json"}), 400
    )
    body = assert_problem(api.post("/programs", data="[1]", content_type="application/json"), 422)
    assert body["errors"] == [{"field": "", "message": "expected a JSON object"}]
    huge = json.dumps({"name": "x" * 1_100_000})
    assert_problem(api.post("/programs", data=huge, content_type="application/json"), 413)


def test_query_errors_name_the_parameter(app, db) -> None:
    api = api_as(app, "admin")
    assert_problem(api.get("/programs?per_page=201"), 400, "per_page")
    assert_problem(api.get("/programs?page=0"), 400, "page")
    assert_problem(api.get("/programs?colour=red"), 400, "colour")
    assert_problem(api.get("/programs?page=1&page=2"), 400, "page")
    assert_problem(api.get("/programs?status=%00"), 400, "status")


def test_openapi_description(app, db) -> None:
    response = api_as(app, "anonymous").get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [(m, p) for p, item in document["paths"].items() for m in item]
    assert len(operations) == len(OPERATIONS) >= 40
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert ref in document["components"]["schemas"], ref
    item = document["components"]["schemas"]["WorkItemOut"]["properties"]
    assert all(item[f].get("readOnly") for f in ("early_start", "total_float", "is_critical"))
    update = document["components"]["schemas"]["WorkItemUpdate"]
    assert update["required"] == ["version"] and update["additionalProperties"] is False
    for path_item in document["paths"].values():
        for entry in path_item.values():
            for status, answer in entry["responses"].items():
                if int(status) >= 400:
                    assert PROBLEM in answer["content"]


def test_every_operation_has_a_policy_entry(app) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert endpoints == set(API_POLICY)
    for op in OPERATIONS:
        expected = (
            "signed_in"
            if op.endpoint in ("whoami", "list_programs", "create_program")
            else "read"
            if op.method == "GET"
            else op.requirement
        )
        assert op.requirement == expected
        assert op.requirement in ("signed_in", "read", "edit", "decide", "manage")


def test_docs_page_lists_every_operation(app, db) -> None:
    response = app.test_client().get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for op in OPERATIONS:
        assert f'id="{op.endpoint}"' in html
    assert 'id="problem-validation"' in html and 'id="schema-WorkItemOut"' in html
    # works under the strict CSP: no inline script anywhere
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_problem_type_points_at_the_docs(app, db) -> None:
    body = assert_problem(api_as(app, "admin").get("/programs/99"), 404)
    anchor = body["type"].split("#")[1]
    html = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert f'id="{anchor}"' in html


def test_password_is_not_a_token(app, db) -> None:
    make_user("pw@test.example")
    assert_problem(Api(app, TEST_PASSWORD).get("/me"), 401)
