"""Two people edit the same risk: the second is told, nothing is lost or overwritten."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from sqlalchemy import select

from planner.models import AuditEvent, Risk
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program


class FormFields(HTMLParser):
    """The values a browser would submit for the first form with a `version` field."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "radio"):
            self.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.lstrip("\n")


def form_of(client, url: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(client.get(url).get_data(as_text=True))
    assert "version" in parser.fields
    return parser.fields


def test_second_of_two_concurrent_edits_gets_the_conflict_page(db, login_as) -> None:
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="P",
        client="C",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    url = f"/programs/{program.id}/risks/{risk.id}/edit"
    alice, bob = login_as("lead", program), login_as("member", program)
    alice_form, bob_form = form_of(alice, url), form_of(bob, url)

    first = alice.post(url, data={**alice_form, "owner": "Alice (sales director)"})
    assert first.status_code == 302
    second = bob.post(url, data={**bob_form, "owner": "Bob (IT manager)"})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "changed by lead" in html and "since you opened it" in html
    assert "Bob (IT manager)" in html  # the user's input is kept in the form
    assert "Alice (sales director)" in html  # beside what is stored now

    db.session.expire_all()
    assert db.session.get(Risk, risk.id).owner == "Alice (sales director)"
    owner_changes = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "risk",
            AuditEvent.entity_id == risk.id,
            AuditEvent.field == "owner",
        )
    ).all()
    assert [(e.actor.split("@")[0][:4], e.new_value) for e in owner_changes] == [
        ("lead", "Alice (sales director)")
    ]
