"""Uploading playbooks: validated as the CLI does, stored with a checksum, or refused whole."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.playbook import parse_playbook
from planner.extensions import db as _db
from planner.models.library import PlaybookUpload
from planner.services.library import MAX_UPLOAD_BYTES
from planner.services.playbooks import get_playbook, installed_playbooks
from tests.conftest import sign_in
from tests.integration.library_support import (
    counts,
    install_library,
    make_consultant,
    new_program,
    shipped_text,
    text_of,
)

SMALL = """\
id: acme-method
version: "2.0"
title: {en: Acme method, zh: 阿克米方法}
author: Acme Consulting
phases:
  - ordinal: 0
    key: diagnosis
    kind: diagnosis
    name: Diagnosis
    length_days: 28
    tasks:
      - {key: interviews, name: Interviews, duration: 5}
    milestones:
      - {key: roadmap, name: Roadmap agreed, depends_on: [interviews]}
risks:
  - {key: no-sponsor, title: No sponsor, category: people, likelihood: 2, impact: 5}
"""


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


@pytest.fixture()
def consultant(app):
    client = app.test_client()
    sign_in(client, make_consultant())
    return client


def _post(client: Any, content: str | bytes, filename: str = "acme.yaml") -> Any:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        "/playbooks/upload",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_consultant_uploads_a_playbook_stored_with_its_checksum(consultant, db) -> None:
    response = _post(consultant, SMALL)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/playbooks/acme-method/2.0")
    upload = db.session.scalars(select(PlaybookUpload)).one()
    assert (upload.playbook_id, upload.version) == ("acme-method", "2.0")
    assert upload.sha256 == hashlib.sha256(SMALL.encode("utf-8")).hexdigest()
    assert upload.source == SMALL
    assert upload.size_bytes == len(SMALL.encode("utf-8"))
    assert upload.uploaded_by == "consultant@test.example"
    # installed: the library, the preview and the services see it
    assert get_playbook("acme-method").title.zh == "阿克米方法"
    assert [i.origin for i in installed_playbooks()[0] if i.playbook.id == "acme-method"] == [
        "upload"
    ]
    page = consultant.get("/playbooks?origin=upload")
    assert "Acme method" in text_of(page)
    assert "Interviews" in text_of(consultant.get(response.headers["Location"]))


def test_an_uploaded_playbook_can_start_a_program(consultant, db) -> None:
    _post(consultant, SMALL)
    response = consultant.post(
        "/programs/new",
        data={
            "name": "Acme pilot",
            "client": "Acme",
            "playbook": "acme-method@2.0",
            "start_date": "2026-03-02",
        },
    )
    assert response.status_code == 302, text_of(response)[:500]


def test_administrator_may_upload(client, db) -> None:
    assert client.get("/playbooks/upload").status_code == 200
    assert _post(client, SMALL).status_code == 303


@pytest.mark.parametrize("role", ["member", "lead", "outsider", "viewer"])
def test_others_may_not_upload(login_as, db, role) -> None:
    program = new_program()
    other = login_as(role, program) if role != "outsider" else login_as("outsider")
    before = counts()
    assert other.get("/playbooks/upload").status_code == 403
    assert _post(other, SMALL).status_code == 403
    assert counts() == before


def test_anonymous_is_sent_to_sign_in(anonymous_client, db) -> None:
    response = _post(anonymous_client, SMALL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert db.session.scalars(select(PlaybookUpload)).first() is None


def test_too_large_is_refused_with_413(consultant, db) -> None:
    padding = "# " + "x" * 100 + "\n"
    big = SMALL + padding * (MAX_UPLOAD_BYTES // len(padding) + 1)
    assert len(big.encode()) > MAX_UPLOAD_BYTES
    before = counts()
    response = _post(consultant, big)
    assert response.status_code == 413
    assert "too large" in text_of(response)
    assert counts() == before


def test_a_file_just_over_the_limit_is_refused_too(consultant, db) -> None:
    # a body within the request allowance but a file over the limit: the service refuses it
    over = SMALL + "#" * (MAX_UPLOAD_BYTES - len(SMALL.encode()) + 1)
    assert len(over.encode()) == MAX_UPLOAD_BYTES + 1
    response = _post(consultant, over)
    assert response.status_code == 413
    assert counts()["uploads"] == 0


def test_invalid_playbook_lists_every_problem_with_its_line(consultant, db) -> None:
    broken = (
        SMALL.replace("duration: 5", "duration: 0")
        .replace("author: Acme Consulting", "author: Acme Consulting\nowner: nobody")
        .replace("likelihood: 2", "likelihood: 9")
    )
    before = counts()
    response = _post(consultant, broken)
    assert response.status_code == 422
    page = text_of(response)
    assert "3 problems" in page
    assert "nothing was installed" in page
    # each problem with its line and path, as `planner playbook validate` prints them
    assert "5 owner unknown field “owner”" in page
    assert "13 phases[0].tasks[0].duration must be at least 1, got 0" in page
    assert "17 risks[0].likelihood" in page
    assert counts() == before


def test_cross_references_are_checked_with_their_lines(consultant, db) -> None:
    broken = SMALL.replace("depends_on: [interviews]", "depends_on: [interview]")
    response = _post(consultant, broken)
    assert response.status_code == 422
    page = text_of(response)
    assert "1 problem;" in page
    assert "14 phases[0].milestones[0].depends_on[0] unknown task key “interview”" in page
    assert counts()["uploads"] == 0


def test_yaml_syntax_error_shows_its_line(consultant, db) -> None:
    response = _post(consultant, SMALL.replace("title: {en: Acme", "title: {en: [Acme"))
    assert response.status_code == 422
    assert "3 acme.yaml the YAML cannot be read: while parsing a flow sequence" in text_of(response)
    assert counts()["uploads"] == 0


@pytest.mark.parametrize("value", ["2024-02-30", "0x_", "0b_", "._", "-_"])
def test_a_value_that_is_no_date_or_number_is_refused_with_its_line(consultant, db, value) -> None:
    """The reader took these for a date or a number and failed without a line: a server
    error instead of a refusal."""
    text = SMALL.replace("author: Acme Consulting", f"author: {value}")
    response = _post(consultant, text)
    assert response.status_code == 422
    shown = text_of(response)
    assert f"4 acme.yaml the value {value} cannot be read: it is not a real date or number" in shown
    chinese = consultant.post(
        "/playbooks/upload",
        data={"file": (io.BytesIO(text.encode()), "acme.yaml")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "zh-CN"},
    )
    assert chinese.status_code == 422
    assert f"无法读取值 {value}：它不是有效的日期或数字" in text_of(chinese)
    assert counts()["uploads"] == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("author: Acme Consulting", "author: !!python/object:os.system ls"), "tag"),
        (("category: people", "category: !custom people"), "tag"),
        (
            (
                "  - {key: interviews, name: Interviews, duration: 5}",
                "  - &t {key: interviews, name: Interviews, duration: 5}\n      - *t",
            ),
            "aliases are not allowed",
        ),
    ],
    ids=["python-tag", "custom-tag", "alias"],
)
def test_tags_and_aliases_are_refused(consultant, db, change, message) -> None:
    text = SMALL.replace(*change)
    assert text != SMALL
    response = _post(consultant, text)
    assert response.status_code == 422
    assert message in text_of(response)
    assert counts()["uploads"] == 0


def test_not_utf8_is_refused(consultant, db) -> None:
    response = _post(consultant, SMALL.encode("utf-16"))
    assert response.status_code == 422
    assert "utf-8" in text_of(response).lower()
    assert counts()["uploads"] == 0


def test_same_id_and_version_with_other_content_is_refused(consultant, db) -> None:
    assert _post(consultant, SMALL).status_code == 303
    before = counts()
    other = SMALL.replace("Acme Consulting", "Someone else")
    response = _post(consultant, other, "other.yaml")
    assert response.status_code == 409
    assert "acme-method@2.0 is already installed with other content" in text_of(response)
    assert counts() == before
    assert get_playbook("acme-method", "2.0").author == "Acme Consulting"


def test_same_content_twice_is_already_installed(consultant, db) -> None:
    assert _post(consultant, SMALL).status_code == 303
    before = counts()
    response = _post(consultant, SMALL, "again.yaml")
    assert response.status_code == 303
    assert counts() == before
    page = consultant.get(response.headers["Location"])
    assert "already installed with exactly this content" in text_of(page)


def test_an_upload_cannot_shadow_a_shipped_playbook(consultant, db) -> None:
    text = shipped_text().replace("author: CRM Rollout Planner", "author: Impostor", 1)
    assert parse_playbook(text).version == "1.0"
    response = _post(consultant, text, "crm-four-100-days.yaml")
    assert response.status_code == 409
    assert "shipped with the planner" in text_of(response)
    assert counts()["uploads"] == 0
    assert get_playbook("crm-four-100-days", "1.0").author == "CRM Rollout Planner"


def test_a_new_version_of_a_shipped_playbook_is_accepted(consultant, db) -> None:
    text = shipped_text("crm-four-100-days-v1.1.yaml").replace(
        'version: "1.1"', 'version: "1.2"', 1
    )
    assert parse_playbook(text).version == "1.2"
    assert _post(consultant, text, "crm-1.2.yaml").status_code == 303
    assert get_playbook("crm-four-100-days").version == "1.2"
    versions = consultant.get("/playbooks/crm-four-100-days")
    assert "1.2" in text_of(versions) and "Uploaded" in text_of(versions)


def test_the_library_s_own_address_is_not_a_playbook_id(consultant, db) -> None:
    response = _post(consultant, SMALL.replace("id: acme-method", "id: upload"))
    assert response.status_code == 409
    assert "The id “upload” is taken by the library itself" in text_of(response)
    assert counts()["uploads"] == 0


def test_missing_file_is_a_form_error(consultant, db) -> None:
    response = consultant.post("/playbooks/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a playbook file" in text_of(response)


def test_uploads_of_one_transaction_vanish_on_rollback(app, db) -> None:
    """Nothing half-way: the service writes one row and the caller's rollback removes it."""
    from planner.services.library import upload_playbook

    upload_playbook(SMALL.encode(), "acme.yaml", "someone@test.example")
    _db.session.rollback()
    assert db.session.scalars(select(PlaybookUpload)).first() is None
    assert all(i.playbook.id != "acme-method" for i in installed_playbooks()[0])
