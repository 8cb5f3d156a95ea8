"""Helpers shared by the library integration tests (test_library_*.py)."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from sqlalchemy import func, select

from planner.config import SHIPPED_PLAYBOOKS
from planner.extensions import db
from planner.models import AuditEvent, Program, WorkItem
from planner.models.library import PlaybookUpgrade, PlaybookUpload
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program

PLAYBOOK = "crm-four-100-days"

# the requirement of each library endpoint (what the lead adds to planner.web.policy.POLICY;
# "consultant" stands for "a site administrator or a consultant")
LIBRARY_POLICY: dict[str, Any] = {
    "library.index": "signed_in",
    "library.versions": "signed_in",
    "library.diff": "signed_in",
    "library.preview": "signed_in",
    "library.source": "signed_in",
    "library.upload": {"GET": "consultant", "POST": "consultant"},
    "library.upgrade": {"GET": "read", "POST": "manage"},
    "library.lessons": {"GET": "read", "POST": "read"},
}


def install_library(app: Any, monkeypatch: Any) -> None:
    """Register the blueprint and its policy entries until the lead wires them in."""
    from planner.web import library, policy

    if "library.index" not in app.view_functions:
        app.register_blueprint(library.bp)
    known = {"public", "signed_in", "admin", "read", "edit", "decide", "manage"}
    for endpoint, rule in LIBRARY_POLICY.items():
        if endpoint in policy.POLICY:
            continue
        if isinstance(rule, dict):
            # until the policy knows "consultant", the view's own check does the work
            rule = {m: (r if r in known else "signed_in") for m, r in rule.items()}
        monkeypatch.setitem(policy.POLICY, endpoint, rule)


def new_program(
    version: str = "1.0", name: str = "Acme rollout", start: date = date(2026, 1, 5)
) -> Program:
    program = create_program(
        get_playbook(PLAYBOOK, version), name=name, client="Acme Ltd", start_date=start
    )
    db.session.commit()
    return program


def item(program: Program, key: str) -> WorkItem:
    return db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    ).one()


def counts() -> dict[str, int]:
    """Rows in the tables a refused request must leave alone."""
    return {
        "uploads": db.session.scalar(select(func.count()).select_from(PlaybookUpload)) or 0,
        "upgrades": db.session.scalar(select(func.count()).select_from(PlaybookUpgrade)) or 0,
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        "items": db.session.scalar(select(func.count()).select_from(WorkItem)) or 0,
    }


def text_of(response: Any) -> str:
    """The page as text: tags dropped, entities decoded, whitespace collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def shipped_text(name: str = "crm-four-100-days.yaml") -> str:
    return (SHIPPED_PLAYBOOKS / name).read_text(encoding="utf-8")


def make_consultant(email: str = "consultant@test.example"):
    from tests.conftest import make_user

    return make_user(email, is_consultant=True)
