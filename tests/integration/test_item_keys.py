"""New work items get a key made from their name: the form proposes it, the service and the
API make one when none is given (issue 20)."""

from __future__ import annotations

from sqlalchemy import select

from planner.models import WorkItem
from tests.integration.plan_support import make_program


def _keys(db, program) -> set[str]:  # type: ignore[no-untyped-def]
    return set(db.session.scalars(select(WorkItem.key).where(WorkItem.program_id == program.id)))


def _add(client, program, name: str, key: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        f"/programs/{program.id}/plan/items/new",
        data={
            "key": key,
            "name": name,
            "kind": "task",
            "phase": program.phases[1].id,
            "duration_days": 3,
        },
    )


def test_the_form_proposes_a_unique_key_from_the_name(client, db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    url = f"/programs/{program.id}/plan/items/key-suggestion"
    assert client.get(url, query_string={"name": "Pilot the CRM"}).get_json() == {
        "key": "pilot-crm"
    }
    taken = sorted(_keys(db, program))[0]
    again = client.get(url, query_string={"name": taken.replace("-", " ")}).get_json()["key"]
    assert again != taken and again not in _keys(db, program)
    chinese = client.get(url, query_string={"name": "培训销售代表"}).get_json()["key"]
    assert chinese.startswith("item-") and chinese not in _keys(db, program)
    page = client.get(f"/programs/{program.id}/plan/items/new").get_data(as_text=True)
    assert f'data-key-suggest="{url}"' in page and "js/item_key.js" in page


def test_an_item_saved_without_a_key_gets_one_from_its_name(client, db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    assert _add(client, program, "Train the key users").status_code == 302
    assert _add(client, program, "Train the key users").status_code == 302
    assert _add(client, program, "培训销售代表").status_code == 302
    names = dict(
        db.session.execute(
            select(WorkItem.key, WorkItem.name).where(WorkItem.program_id == program.id)
        ).all()
    )
    assert names["train-key-users"] == names["train-key-users-2"] == "Train the key users"
    assert [k for k, n in names.items() if n == "培训销售代表"] == ["item-1"]
    # a key typed by the user is kept as typed
    assert _add(client, program, "Anything", key="my-own").status_code == 302
    assert names.keys() < _keys(db, program) and "my-own" in _keys(db, program)


def test_a_viewer_may_not_ask_the_form_for_keys(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    url = f"/programs/{program.id}/plan/items/key-suggestion?name=x"
    assert login_as("viewer", program).get(url).status_code == 403
    assert login_as("member", program).get(url).status_code == 200
