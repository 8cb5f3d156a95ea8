"""Real processes for the fault tests: gunicorn on a loopback port, databases of their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load.htmlform import form_with
from planner.ops.databases import create_database, drop_database
from tests.conftest import TEST_DATABASE_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "fault-test-secret-key-0123456789abcdef"
PG_SERVER = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database of its own: a SQLite file in ``folder`` or a new PostgreSQL one."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'planner.sqlite'}"
        return
    url = create_database(PG_SERVER, "planner_fault")
    try:
        yield url
    finally:
        wait_for_postgres()  # a test may have restarted the server
        drop_database(url)


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    url = make_url(PG_SERVER)
    while True:
        try:
            engine = create_engine(url, pool_pre_ping=True)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            return
        except Exception:  # noqa: BLE001
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def prepare(url: str, instance: str, users: int = 2) -> dict[str, Any]:
    """Schema, a program from the small playbook, member accounts and their cookies."""
    from datetime import date

    os.environ["PLANNER_INSTANCE_PATH"] = instance
    from planner import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "CLI_MODE": True})
    with app.app_context():
        from planner.extensions import db
        from planner.models import Membership
        from planner.services.playbooks import get_playbook
        from planner.services.programs import create_program
        from planner.services.users import create_user
        from planner.sessions import signed_in_session

        db.create_all()
        program = create_program(
            get_playbook("small-business-quick-start"),
            name="Fault test",
            client="C",
            start_date=date(2026, 1, 5),
        )
        people = [
            create_user(f"fault{n}@test.example", "fault password 1234") for n in range(users)
        ]
        db.session.flush()
        for user in people:
            db.session.add(Membership(user_id=user.id, program_id=program.id, role="member"))
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        data = {
            "program": program.id,
            "users": [u.id for u in people],
            "cookies": [serializer.dumps(signed_in_session(u.id)) for u in people],
        }
        db.session.remove()
        db.engine.dispose()
    return data


class Gunicorn:
    def __init__(self, url: str, instance: str, workers: int = 2, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET_KEY,
            "PLANNER_INSTANCE_PATH": instance,
            "PLANNER_WORKERS": str(workers),
            "PLANNER_BIND": f"127.0.0.1:{self.port}",
            "PLANNER_TIMEOUT": "30",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "tests" / "reliability" / "gunicorn_test.conf.py"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.wait_healthy(90)

    def wait_healthy(self, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if requests.get(f"{self.base}/healthz", timeout=3).status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"no healthy answer in {timeout} s:\n{self.log.read_text()[-3000:]}")

    def session(self, cookie: str) -> requests.Session:
        session = requests.Session()
        session.cookies.set("session", cookie, domain="127.0.0.1")
        return session

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def errors(self) -> str:
        """The last lines of every exception the app logged (JSON lines with a traceback)."""
        import json

        found = []
        for raw in self.log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if entry.get("exception"):
                found.append(entry["message"] + " | " + entry["exception"][-600:])
        return "\n".join(found[-5:])

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def form_fields(session: requests.Session, url: str, marker: str) -> dict[str, str]:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return dict(form_with(page.text, marker).fields)
