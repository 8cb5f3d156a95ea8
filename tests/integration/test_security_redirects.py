"""Every redirect-after-action goes through safe_next (finding 4 of issue 18)."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD, make_user
from tests.integration.plan_support import make_program

HOSTILE_NEXT = [
    "/\t/evil.example/",
    "/%09/evil.example/",  # as typed in a URL; decoded to a tab by the form
    "/\r\n/evil.example/",
    "/\\evil.example/",
    "//evil.example/",
    "https://evil.example/",
]


def _location(response) -> str:
    assert response.status_code == 302
    return response.headers["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_sends_the_browser_to_another_host(anonymous_client, db, target) -> None:
    make_user("lead@example.com")
    from urllib.parse import unquote

    page = anonymous_client.post(
        "/login",
        data={"email": "lead@example.com", "password": TEST_PASSWORD, "next": unquote(target)},
    )
    assert _location(page) == "/"


def test_sign_in_page_keeps_a_local_next_through_the_query(anonymous_client, db) -> None:
    make_user("lead@example.com")
    form = anonymous_client.get("/login?next=/%09/evil.example/").get_data(as_text=True)
    assert '<input id="next" name="next" type="hidden" value="">' in form
    local = anonymous_client.get("/login?next=/programs/7").get_data(as_text=True)
    assert '<input id="next" name="next" type="hidden" value="/programs/7">' in local


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_language_switch_stays_on_site(client, target) -> None:
    from urllib.parse import unquote

    page = client.post("/language", data={"lang": "en", "next": unquote(target)})
    assert _location(page) == "/"
    kept = client.post("/language", data={"lang": "en", "next": "/programs/3?tab=x"})
    assert _location(kept) == "/programs/3?tab=x"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_plan_next_stays_on_site(client, db, target) -> None:
    from urllib.parse import unquote

    from sqlalchemy import select

    from planner.models import Dependency

    program = make_program(db)
    dependency = db.session.scalars(
        select(Dependency).where(Dependency.program_id == program.id)
    ).first()
    page = client.post(
        f"/programs/{program.id}/plan/dependencies/{dependency.id}/delete",
        data={"next": unquote(target)},
    )
    assert _location(page) == f"/programs/{program.id}/plan/table"
