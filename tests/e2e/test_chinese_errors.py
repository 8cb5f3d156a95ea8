"""A Chinese reader's refusals are in Chinese only: a form the service refused, an import the
planner would not take, and an API problem asked for with ``Accept-Language: zh``.

Each refusal is worded once, by code, in the reader's language (planner/messages/); the page
tour's language check (``journey.check_page``) fails on any English interface text left."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Journey

HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh_journey(request, e2e) -> Iterator[Journey]:
    journey = Journey(e2e, "zh", request.node.originalname)
    yield journey
    journey.close()


def test_a_form_refused_by_the_service_is_worded_in_chinese(zh_journey: Journey) -> None:
    journey = zh_journey
    journey.sign_in("member")
    journey.goto("/account/password")
    journey.page.fill("input[name=current_password]", "not-the-password")
    journey.page.fill("input[name=new_password]", "a-long-new-password-2026")
    journey.submit(journey.page.locator("form:has(input[name=current_password])"))
    feedback = journey.page.locator(".invalid-feedback").first
    assert feedback.is_visible()
    assert HAN.search(feedback.inner_text()), feedback.inner_text()
    journey.shot("form-refused")
    journey.check_page()


def test_an_import_refusal_is_worded_in_chinese(zh_journey: Journey, tmp_path) -> None:
    journey = zh_journey
    journey.sign_in("lead")
    journey.goto("/programs/import")
    broken = tmp_path / "plan.csv"
    # a blank name, a duration that is no number, a date that is no date: each refused by cell
    broken.write_text(
        "ID,Name,Duration (days),Start\n1,,-5,2026-13-45\n2,B,3,2026-03-02\n", encoding="utf-8"
    )
    form = journey.page.locator("form:has(input[name=file])")
    form.locator("input[name=file]").set_input_files(str(broken))
    form.locator("input[name=client]").fill("华东机械")
    journey.submit(form)
    refusal = journey.page.locator(".alert-danger").first
    assert refusal.is_visible()
    rows = refusal.locator("tbody tr")
    assert rows.count() >= 3, refusal.inner_text()
    for i in range(rows.count()):
        assert HAN.search(rows.nth(i).inner_text()), rows.nth(i).inner_text()
    journey.shot("import-refused")
    journey.check_page()


def test_an_api_problem_is_worded_in_chinese(zh_journey: Journey) -> None:
    journey = zh_journey
    journey.sign_in("lead")
    journey.goto("/account/tokens")
    form = journey.page.locator("form:has(input[name=name])")
    form.locator("input[name=name]").fill("zh-error-check")
    journey.submit(form)
    token = journey.page.locator("#new-token").input_value()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh"}
    request = journey.page.request

    missing = request.get(f"{journey.base_url}/api/v1/programs/987654", headers=headers)
    assert missing.status == 404
    detail = missing.json()["detail"]
    assert HAN.search(detail) and not re.search(r"[A-Za-z]{3,}", detail), detail

    refused = request.post(
        f"{journey.base_url}/api/v1/programs",
        headers=headers,
        data={
            "name": " ",
            "client": " ",
            "start_date": "2026-03-02",
            "playbook": "small-business-quick-start",
        },
    )
    assert refused.status == 422, refused.text()
    body = refused.json()
    words = [body["detail"], *(e.get("message", "") for e in body.get("errors", []))]
    for text in words:
        assert not re.search(r"[A-Za-z]{3,}", text), body
    assert any(HAN.search(t) for t in words), body
