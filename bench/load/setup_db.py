"""Databases for the load test: create one of its own, fill it, drop it afterwards.

The content: the demo programs (the main one with its risks, metrics, gates and
assessment), a generated program of 2,000 work items, and ``users`` bench accounts that are
members of both. Five risks of the demo program are the "contention" risks: their titles
end in a counter that every accepted edit increments by one, so that after the run the
counter equals the number of accepted edits unless an update was lost.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from planner.ops import databases

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = "load-test-secret-key-0123456789abcdef"
COUNTER_PREFIX = "Load counter "
CONTENTION_RISKS = 5


@dataclass
class BenchData:
    url: str
    instance: str
    demo_program: int
    big_program: int
    risk_program: int
    contention_risks: list[int]
    users: list[int]
    cookies: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def create_database(backend: str) -> tuple[str, str]:
    """A new empty database and a fresh instance folder: (url, instance path)."""
    instance = tempfile.mkdtemp(prefix=f"planner-load-{backend}-")
    if backend == "sqlite":
        return f"sqlite:///{Path(instance) / 'planner.sqlite'}", instance
    return databases.create_database(PG_SERVER, "planner_load"), instance


def drop_database(url: str) -> None:
    databases.drop_database(url)


def make_app(url: str, instance: str):
    os.environ["PLANNER_INSTANCE_PATH"] = instance
    from planner import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "CLI_MODE": True})


def session_cookie(app, user_id: int) -> str:
    """What Flask-Login stores after a sign-in, signed with the app's key.

    The load test signs its users in this way because sign-in is rate-limited per address
    (10 a minute): 50 users on one loopback address would be refused, as they should be.
    """
    from planner.sessions import signed_in_session

    serializer = app.session_interface.get_signing_serializer(app)
    return str(serializer.dumps(signed_in_session(user_id)))


def populate(url: str, instance: str, users: int = 50, items: int = 2000) -> BenchData:
    app = make_app(url, instance)
    with app.app_context():
        from sqlalchemy import select

        from planner.demo import load_demo
        from planner.extensions import db
        from planner.models import Membership, Program, Risk
        from planner.services.generate import generate_program
        from planner.services.users import create_user

        db.create_all()
        load_demo()
        demo = db.session.scalars(select(Program).order_by(Program.id)).first()
        assert demo is not None
        today = date.today()
        big = generate_program(
            items,
            start_date=today - timedelta(days=150),
            progress_until=today,
            baseline_name="Plan of record",
        )
        db.session.flush()
        people = []
        for n in range(users):
            user = create_user(f"load{n:02d}@bench.example", "load-password-1234", name=f"Load {n}")
            people.append(user)
        db.session.flush()
        for user in people:
            for program in (demo, big):
                db.session.add(Membership(user_id=user.id, program_id=program.id, role="member"))
        risks = list(
            db.session.scalars(select(Risk).where(Risk.program_id == demo.id).order_by(Risk.id))
        )[:CONTENTION_RISKS]
        assert len(risks) == CONTENTION_RISKS, len(risks)
        for risk in risks:
            risk.title = f"{COUNTER_PREFIX}0"
        db.session.commit()
        data = BenchData(
            url=url,
            instance=instance,
            demo_program=demo.id,
            big_program=big.id,
            risk_program=demo.id,
            contention_risks=[r.id for r in risks],
            users=[u.id for u in people],
            cookies=[session_cookie(app, u.id) for u in people],
        )
        db.session.remove()
        db.engine.dispose()
    return data


def contention_state(url: str, risk_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each contention risk's counter, version and number of recorded title changes."""
    engine = create_engine(url)
    state: dict[int, dict[str, Any]] = {}
    with engine.connect() as conn:
        for risk_id in risk_ids:
            title, version = conn.execute(
                text("SELECT title, version FROM risk WHERE id = :i"), {"i": risk_id}
            ).one()
            changes = conn.execute(
                text(
                    "SELECT count(*) FROM audit_event WHERE entity = 'risk' AND entity_id = :i "
                    "AND action = 'update' AND field = 'title'"
                ),
                {"i": risk_id},
            ).scalar_one()
            state[risk_id] = {
                "counter": int(title.removeprefix(COUNTER_PREFIX)),
                "version": int(version),
                "title_changes": int(changes),
            }
    engine.dispose()
    return state


def sqlite_journal_mode(url: str) -> str:
    path = make_url(url).database
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()
