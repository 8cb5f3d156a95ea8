"""Hostile values in pages and URLs: XSS payloads in every text field are escaped on every
page, ``next=`` never leads off the site, ids out of range are 4xx, never 500."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import String, Text, cast, literal, text

from tests.reliability.hostile import XSS, XSS_ATTR, XSS_MARKERS

# columns people type free text into (keys, enums and hashes are validated elsewhere)
FREE_TEXT = {
    "attendees", "category", "cause", "client", "conditions", "contingency", "data_source",
    "decided_by", "deliverable", "deliverable_zh", "description", "description_zh", "effect",
    "evidence", "goal", "goal_zh", "interviewee", "issue_note", "justification", "label",
    "mitigation", "mitigation_zh", "name", "name_zh", "note", "notes", "owner", "owner_role",
    "recorded_by", "replan", "result", "result_zh", "taken_by", "text", "text_zh", "title",
    "title_zh", "trigger", "unit", "workstream", "old_value", "new_value", "entity_label",
    "actor", "summary_at_decision", "threatened_phases",
}  # fmt: skip
SKIP_TABLES = {"membership"}
# free-text names that are keys in these tables
KEY_COLUMNS = {("assessment_indicator", "category"), ("risk_review_entry", "category")}

# URL argument → the table whose first row gives a real id
ARG_TABLES = {
    "risk_id": "risk",
    "item_id": "work_item",
    "metric_id": "metric",
    "review_id": "steering_review",
    "assessment_id": "assessment",
    "interview_id": "interview",
    "baseline_id": "baseline",
    "action_id": "action_item",
    "criterion_id": "gate_criterion",
    "reading_id": "metric_reading",
    "dependency_id": "dependency",
    "day_id": "calendar_exception",
    "membership_id": "membership",
    "user_id": "user_account",
    "link_id": "share_link",
    "scenario_id": "scenario",
}


@pytest.fixture()
def full_program(db, program):
    """The program with every area's demo content: reviews, readings, assessment, gates."""
    from planner.demo import DEMO_AREAS

    today = date.today()
    for area in DEMO_AREAS:
        area.populate(program, today)
        db.session.flush()
    db.session.commit()
    return program


def _poison(db) -> int:
    """Put an XSS payload into every free-text column of every row; return columns hit."""
    hit = 0
    for table in db.metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        for column in table.columns:
            if not isinstance(column.type, String | Text):
                continue
            length = getattr(column.type, "length", None)
            if column.name in FREE_TEXT and (table.name, column.name) not in KEY_COLUMNS:
                value = XSS if column.name.endswith(("_zh", "name")) else XSS_ATTR + XSS
                if length is not None:
                    value = value[: length - 12]
                    if len(value) < len(XSS):
                        continue
            else:
                continue
            # unique per row (some names are unique within a program)
            unique = literal(value).concat(cast(table.c.id, String)) if "id" in table.c else value
            db.session.execute(table.update().values({column.name: unique}))
            hit += 1
    db.session.commit()
    return hit


def _first_ids(db) -> dict[str, int]:
    ids = {}
    for arg, table in ARG_TABLES.items():
        found = db.session.execute(text(f"SELECT min(id) FROM {table}")).scalar()  # noqa: S608
        ids[arg] = int(found) if found is not None else 1
    return ids


def _path(rule, pid: int, ids: dict[str, int], /, **override: int) -> str:
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if name in override:
            values[name] = override[name]
        elif converter == "IntegerConverter":
            if name == "program_id":
                values[name] = pid
            elif name == "ordinal":
                values[name] = 1
            else:
                values[name] = ids.get(name, 1)
        elif name == "category":
            values[name] = "strategy"
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def _page_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in ("static", "bootstrap.static", "plotly_js", "auth.logout"):
            continue
        yield rule


def test_xss_payloads_in_every_text_field_are_escaped_on_every_page(
    app, db, client, full_program
) -> None:
    hit = _poison(db)
    assert hit >= 40
    ids = _first_ids(db)
    problems, pages = [], 0
    for rule in _page_rules(app):
        if "GET" not in rule.methods:
            continue
        path = _path(rule, full_program.id, ids)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        pages += 1
        body = response.get_data(as_text=True)
        for marker in XSS_MARKERS:
            if marker in body:
                at = body.index(marker)
                problems.append(f"{path}: unescaped {body[max(0, at - 80) : at + 40]!r}")
    assert problems == [], "\n".join(problems)
    assert pages >= 25
    print(f"\nXSS: {pages} HTML pages checked, {hit} text columns poisoned")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        " //evil.example",
        "/%2F%2Fevil.example",
    ],
)
def test_sign_in_next_never_leaves_the_site(app, db, target) -> None:
    from tests.conftest import TEST_PASSWORD, make_user

    make_user("next@test.example")
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "next@test.example", "password": TEST_PASSWORD, "next": target}
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost"), response.headers["Location"]
    assert location.path.startswith("/") and not location.path.startswith(("//", "/\\"))
    assert location.scheme in ("", "http")


def test_next_with_a_payload_is_escaped_on_the_sign_in_page(anonymous_client) -> None:
    response = anonymous_client.get("/login", query_string={"next": XSS_ATTR + XSS})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for marker in XSS_MARKERS:
        assert marker not in body


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example"])
def test_plan_form_next_never_leaves_the_site(client, db, program, target) -> None:
    from tests.reliability.support import edit_form

    item = program.work_items[0]
    url = f"/programs/{program.id}/plan/items/{item.id}"
    fields = edit_form(client, url, marker="percent_complete")
    fields["next"] = target
    response = client.post(f"{url}/progress", data=fields)
    assert response.status_code in (302, 303, 409, 422), response.status_code
    if response.status_code in (302, 303):
        location = response.headers["Location"]
        parts = urlsplit(location)
        assert parts.netloc in ("", "localhost") and "\\" not in location, location


def test_ids_out_of_range_in_every_url_are_4xx(app, db, client, program) -> None:
    ids = _first_ids(db)
    problems, tried = [], 0
    for rule in _page_rules(app):
        int_args = [
            a for a in rule.arguments if type(rule._converters[a]).__name__ == "IntegerConverter"
        ]
        if not int_args:
            continue
        big = 10**23
        paths = {_path(rule, program.id, ids, **{a: big for a in int_args})}
        for arg in int_args:  # one id out of range at a time, the others real
            paths.add(_path(rule, program.id, ids, **{arg: big}))
        for path in sorted(paths):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                tried += 1
                response = client.open(path, method=method, data={})
                if not 400 <= response.status_code < 500:
                    problems.append(f"{method} {path}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert tried >= 60
    print(f"\nids out of range: {tried} requests")


@pytest.mark.parametrize(
    "query", ["baseline=100000000000000000000000", "page=100000000000000000000000"]
)
def test_ids_out_of_range_in_query_strings_are_not_500(client, program, query) -> None:
    for page in ("gantt", "table", "phases"):
        response = client.get(f"/programs/{program.id}/plan/{page}?{query}")
        assert response.status_code < 500, (page, query, response.status_code)


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x"]
)
def test_evidence_links_must_be_web_links(client, db, program, link) -> None:
    from planner.models import GateCriterion
    from tests.reliability.support import edit_form

    url = f"/programs/{program.id}/gates/1/criteria/new"
    fields = edit_form(client, url, marker="evidence_url")
    fields.update({"kind": "manual", "text": "Evidence", "evidence_url": link})
    before = db.session.scalar(db.select(db.func.count(GateCriterion.id)))
    response = client.post(url, data=fields)
    assert response.status_code == 422
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count(GateCriterion.id))) == before
