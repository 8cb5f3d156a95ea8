"""The demo: its own SQLite database, reset on every run, with a program full of content."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from planner.config import DEMO_DATABASE_FILE
from planner.demodata import assessment, metrics, plan, risks
from planner.extensions import db
from planner.models import Membership
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.services.users import create_user, hash_password
from planner.web.auth import DEMO_ACCOUNTS, DEMO_PASSWORD

DEMO_START_OFFSET_DAYS = 150
# order matters: risks and gates read the schedule, metrics read phases
DEMO_AREAS = (plan, risks, metrics, assessment)


def reset_demo_database(app: Flask) -> None:
    """Delete the demo database file (never any other) and migrate a fresh one to head."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    demo_file = Path(app.instance_path) / DEMO_DATABASE_FILE
    if uri != f"sqlite:///{demo_file}":
        raise RuntimeError(f"refusing to reset {uri}: the demo only resets {demo_file}")
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo_file}{suffix}").unlink(missing_ok=True)
    upgrade()


def load_demo(today: date | None = None) -> str:
    """Create the demo programs; return a one-line summary."""
    today = today or date.today()
    shared_hash = hash_password(DEMO_PASSWORD)  # one argon2 hash for every demo account
    people = {
        role: create_user(
            email,
            DEMO_PASSWORD,
            name=f"Demo {role}",
            is_admin=role == "admin",
            is_consultant=role == "consultant",
            password_hash=shared_hash,
        )
        for email, role in DEMO_ACCOUNTS
    }
    main = create_program(
        get_playbook("crm-four-100-days", "1.0"),
        name="Northwind Industrial — CRM rollout",
        client="Northwind Industrial Co.",
        start_date=today - timedelta(days=DEMO_START_OFFSET_DAYS),
    )
    small = create_program(
        get_playbook("small-business-quick-start"),
        name="Company A — quick start",
        client="Company A (28 staff)",
        start_date=today - timedelta(days=20),
    )
    for program in (main, small):
        for role in ("lead", "member", "steering", "viewer"):
            db.session.add(Membership(user_id=people[role].id, program_id=program.id, role=role))
    db.session.flush()
    for area in DEMO_AREAS:
        for program in (main, small):
            area.populate(program, today)
        db.session.flush()
    db.session.commit()
    return f"demo loaded: programs {main.id} and {small.id}"
