"""The demo: its own SQLite database, reset on every run, with a program full of content."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import stamp

from planner.config import DEMO_DATABASE_FILE, PROJECT_ROOT
from planner.demodata import (
    adoption,
    assessment,
    metrics,
    money,
    notify,
    plan,
    raid,
    risks,
    scenarios,
    schedule_risk,
)
from planner.domain.gc_pause import paused_gc
from planner.extensions import db
from planner.models import Membership
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program
from planner.services.users import create_user, hash_password
from planner.web.auth import DEMO_ACCOUNTS, DEMO_PASSWORD

DEMO_START_OFFSET_DAYS = 150
# order matters: risks and gates read the schedule, metrics read phases
# metrics before risks: a steering review records the readings as they stood on its day
# money before raid: a change request's impact is priced from the people's rates and costs
DEMO_AREAS = (
    plan,
    metrics,
    risks,
    assessment,
    scenarios,
    schedule_risk,
    notify,
    adoption,
    money,
    raid,
)


def reset_demo_database(app: Flask, *, migrate: bool = True) -> None:
    """Delete the demo database file (never any other) and make a fresh one at head.

    The fresh file gets the models' tables in one `create_all` and is stamped with the
    newest revision, instead of running every migration one by one: the same schema
    (tests/integration/test_migrations.py compares both), a fraction of the start-up.
    Real databases keep `planner init` / `planner db upgrade`."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    demo_file = Path(app.instance_path) / DEMO_DATABASE_FILE
    if uri != f"sqlite:///{demo_file}":
        raise RuntimeError(f"refusing to reset {uri}: the demo only resets {demo_file}")
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo_file}{suffix}").unlink(missing_ok=True)
    if migrate:
        db.create_all()
        stamp(revision="head")


def load_demo(today: date | None = None) -> str:
    """Create the demo programs; return a one-line summary."""
    today = today or date.today()
    with ThreadPoolExecutor(max_workers=1) as other_core:
        # one argon2 hash for every demo account, made on the other core (argon2 lets go of
        # the interpreter) while the playbooks are read and the programs made
        hashing = other_core.submit(hash_password, DEMO_PASSWORD)
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
        shared_hash = hashing.result()
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


# --------------------------------------------------------------------------------------------
# a demo built once per day and code: later runs copy it (start-up in well under a second)


def demo_fingerprint(today: date | None = None) -> str:
    """What the demo database depends on: today's date and every source file that writes it
    (the package, the playbooks, the migrations)."""
    digest = hashlib.sha256((today or date.today()).isoformat().encode())
    roots = [PROJECT_ROOT / "planner", PROJECT_ROOT / "playbooks", PROJECT_ROOT / "migrations"]
    for root in roots:
        for file in sorted(root.rglob("*")):
            if file.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:20]


def fresh_demo(app: Flask) -> str:
    """Reset the demo database and fill it: copied from today's build when one exists
    (same code), else built (and kept for the next run). Returns the summary line."""
    demo_file = Path(app.instance_path) / DEMO_DATABASE_FILE
    kept = Path(app.instance_path) / "cache" / f"demo-{demo_fingerprint()}.sqlite"
    summary_file = kept.with_suffix(".txt")
    if kept.is_file() and summary_file.is_file():
        reset_demo_database(app, migrate=False)
        shutil.copyfile(kept, demo_file)
        return summary_file.read_text(encoding="utf-8")
    # a one-off build of some thousands of rows: the collector's passes over everything the
    # app imported cost more than the few cycles it would free; they are freed afterwards
    with paused_gc():
        reset_demo_database(app)
        summary = load_demo()
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob("demo-*.sqlite"):
            old.unlink(missing_ok=True)
        partial = kept.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        db.session.remove()
        connection = sqlite3.connect(demo_file)
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))  # one consistent copy
        finally:
            connection.close()
        partial.replace(kept)
        summary_file.write_text(summary, encoding="utf-8")
    except (OSError, sqlite3.Error) as exc:  # the next run builds it again
        app.logger.warning("demo database not kept (%s)", type(exc).__name__)
    return summary
