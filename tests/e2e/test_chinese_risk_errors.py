"""The risk register's refusals read in Chinese only for a Chinese reader: a risk form the
service refused, a register file it would not import, and API problems asked for with
``Accept-Language: zh``.

Each refusal is a coded problem worded once, in the reader's language (planner/messages/risks.py
and planner/messages/api.py); ``journey.check_page`` fails on any English interface text left.
Every page is also saved at a desktop and a phone width (test-output/e2e/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import OUTPUT, Journey

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


@pytest.fixture
def zh_journey(request, e2e) -> Iterator[Journey]:
    journey = Journey(e2e, "zh", request.node.originalname)
    yield journey
    journey.close()


def shots(journey: Journey, step: str) -> list[Path]:
    """The page at a desktop and at a phone width, full page; the language and accessibility
    checks run on it as well (``journey.shot``)."""
    journey.shot(step)
    saved = []
    for device, (width, height) in WIDTHS.items():
        journey.page.set_viewport_size({"width": width, "height": height})
        path = OUTPUT / f"{journey.name}-{journey.lang}-{step}-{device}.png"
        journey.page.screenshot(path=str(path), full_page=True)
        journey.scan()
        saved.append(path)
    journey.page.set_viewport_size({"width": 1440, "height": 900})
    return saved


def test_a_refused_risk_form_is_worded_in_chinese(zh_journey: Journey) -> None:
    journey = zh_journey
    journey.sign_in("lead")
    program_id = journey.open_program()
    journey.goto(f"/programs/{program_id}/risks/new")
    form = journey.page.locator("form.risk-form")
    journey.fill(form.locator("input[name=key]"), "风险 1!")  # a space and a "!": refused
    journey.fill(form.locator("input[name=title]"), "关键用户在上线前离职")
    journey.submit(form)
    feedback = journey.page.locator("#key ~ .invalid-feedback, .invalid-feedback").first
    assert feedback.is_visible()
    text = feedback.inner_text()
    assert HAN.search(text) and not ENGLISH_WORD.search(text), text
    shots(journey, "risk-form-refused")
    journey.check_page()


def test_a_refused_register_import_is_worded_in_chinese(zh_journey: Journey, tmp_path) -> None:
    journey = zh_journey
    journey.sign_in("lead")
    program_id = journey.open_program()
    journey.goto(f"/programs/{program_id}/risks/import")
    # the file's headers and values are the user's (Chinese headers, as a Chinese export has)
    cells = ["编号", "标题", "可能性", "影响", "下次复核", "高", "下周", "七"]
    journey.data.add(*cells)
    register = tmp_path / "风险登记册.csv"
    register.write_text(
        "编号,标题,可能性,影响,下次复核\n"
        "R-90,供应商延期交付,高,3,下周\n"  # a level that is no number, a date that is no date
        "R-91,,2,七,2026-02-30\n"  # no title, an impact in words, no such day
        "R-90,重复的编号,1,1,\n",  # a key already on row 2
        encoding="utf-8",
    )
    form = journey.page.locator("form:has(input[name=file])")
    form.locator("input[name=file]").set_input_files(str(register))
    journey.submit(form)
    refusal = journey.page.locator(".alert-danger").first
    assert refusal.is_visible()
    problems = refusal.locator(".import-problems li")
    assert problems.count() == 6, refusal.inner_text()
    for i in range(problems.count()):
        line = problems.nth(i).inner_text()
        assert HAN.search(line), line
        assert not ENGLISH_WORD.search(line), line
    shots(journey, "register-import-refused")
    journey.check_page()


def test_risk_api_problems_are_worded_in_chinese(zh_journey: Journey) -> None:
    journey = zh_journey
    journey.sign_in("lead")
    program_id = journey.open_program()
    journey.goto("/account/tokens")
    form = journey.page.locator("form:has(input[name=name])")
    form.locator("input[name=name]").fill("zh-risk-errors")
    journey.submit(form)
    token = journey.page.locator("#new-token").input_value()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh"}
    api = f"{journey.base_url}/api/v1/programs/{program_id}/risks"
    request = journey.page.request

    listed = request.get(api, headers=headers)
    assert listed.status == 200, listed.text()
    taken = listed.json()["items"][0]["key"]

    answers = [
        # a key another risk has: the service refuses it
        (
            request.post(
                api,
                headers=headers,
                data={"key": taken, "title": "重复", "likelihood": 2, "impact": 2},
            ),
            422,
        ),
        # levels outside 1–5 and a missing title: the schema refuses them
        (request.post(api, headers=headers, data={"likelihood": 9, "impact": 0}), 422),
        # a band the scale does not have: the register's filter refuses it
        (request.get(f"{api}?band=严重", headers=headers), 400),
        # a query parameter the API does not know
        (request.get(f"{api}?colour=红", headers=headers), 400),
    ]
    for response, status in answers:
        assert response.status == status, response.text()
        body = response.json()
        texts = [body["title"], body["detail"], *(e["message"] for e in body.get("errors", []))]
        assert all(HAN.search(t) for t in texts), body
        for text in texts:
            # what the caller sent and the API's own parameter names are data; every word of
            # ours is Chinese
            rest = text.replace(taken, "")
            for name in ("per_page", "page", "status", "band", "owner", "category"):
                rest = rest.replace(name, "")
            assert not ENGLISH_WORD.search(rest), body
