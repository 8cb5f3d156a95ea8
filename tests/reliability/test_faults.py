"""Faults against real processes: a worker killed in the middle of an import, PostgreSQL
restarted during writes, the SQLite folder's disk filling up during writes.

Afterwards the database is consistent, the interrupted operation left no partial rows,
and the app answers again without being restarted. Each test is bounded (timeouts on
every wait); together they take well under a minute on an idle machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from planner.ops.backup import table_checksums
from planner.sessions import signed_in_session
from tests.conftest import TEST_DATABASE_URL
from tests.reliability.servers import (
    ROOT,
    Gunicorn,
    form_fields,
    own_database,
    prepare,
    wait_for_postgres,
)
from tests.reliability.support import edit_form, machine_faults_allowed

BACKEND = "postgresql" if TEST_DATABASE_URL else "sqlite"
pytestmark = pytest.mark.slow


def _count(url: str, sql: str, **params: object) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def _consistent(url: str) -> None:
    """The database's own checks: SQLite integrity and foreign keys; PostgreSQL answers."""
    if make_url(url).get_backend_name() == "sqlite":
        conn = sqlite3.connect(make_url(url).database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
    # every risk has its creation in the audit trail (written in the same transaction)
    orphans = _count(
        url,
        "SELECT count(*) FROM risk r WHERE NOT EXISTS (SELECT 1 FROM audit_event a "
        "WHERE a.entity = 'risk' AND a.entity_id = r.id AND a.action = 'create')",
    )
    assert orphans == 0


@pytest.fixture()
def instance():
    folder = Path(tempfile.mkdtemp(prefix="planner-fault-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _register_csv(session: requests.Session, base: str, program: int, rows: int) -> bytes:
    """The program's own export, with ``rows`` new risks K001… added."""
    exported = session.get(f"{base}/programs/{program}/risks/export.csv", timeout=30)
    exported.raise_for_status()
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    header, sample = table[0], table[1]
    key_col, title_col = header.index("Key"), header.index("Title")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(1, rows + 1):
        row = list(sample)
        row[key_col], row[title_col] = f"K{n:03d}", f"Imported risk {n}"
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_worker_killed_in_the_middle_of_an_import(instance) -> None:
    marker = instance / "killed.marker"
    with own_database(BACKEND, instance) as url:
        data = prepare(url, str(instance))
        server = Gunicorn(
            url,
            str(instance),
            workers=2,
            PLANNER_TEST_KILL_TABLE="audit_event",
            PLANNER_TEST_KILL_MARKER=str(marker),
        )
        try:
            session = server.session(data["cookies"][0])
            program = data["program"]
            upload = _register_csv(session, server.base, program, rows=60)
            import_url = f"{server.base}/programs/{program}/risks/import"
            before = table_checksums(url)

            fields = form_fields(session, import_url, "csrf_token")
            with pytest.raises(requests.ConnectionError):
                # the worker dies after inserting the risks, before their audit rows
                session.post(import_url, data=fields, files={"file": ("r.csv", upload)}, timeout=60)
            assert marker.exists()
            assert server.wait_healthy(60) < 60  # the master replaced the worker
            assert table_checksums(url) == before  # no partial rows
            _consistent(url)
            page = session.get(f"{server.base}/programs/{program}/risks", timeout=30)
            assert page.status_code == 200

            # the same import again, on the new worker: all of it lands
            fields = form_fields(session, import_url, "csrf_token")
            done = session.post(
                import_url,
                data=fields,
                files={"file": ("r.csv", upload)},
                timeout=120,
                allow_redirects=False,
            )
            assert done.status_code == 302, done.text[:500]
            assert _count(url, "SELECT count(*) FROM risk WHERE key LIKE 'K%'") == 60
            _consistent(url)
        finally:
            server.stop()


def _plan_file(folder: Path, items: int) -> Path:
    from planner.interop import mspdi
    from planner.interop.plandata import ItemData, LinkData, PhaseData, PlanData

    start = dt.date(2026, 3, 2)
    phases = [
        PhaseData(f"p{n}", f"Phase {n}", n, start + dt.timedelta(days=100 * (n - 1)),
                  start + dt.timedelta(days=100 * n - 1))
        for n in range(1, 5)
    ]  # fmt: skip
    rows = [
        ItemData(f"i{n:04d}", f"Task {n}", f"p{1 + n * 4 // items}", duration=1 + n % 5)
        for n in range(items)
    ]
    links = [LinkData(f"i{n - 1:04d}", f"i{n:04d}") for n in range(1, items) if n % 7]
    path = folder / "plan.xml"
    path.write_bytes(
        mspdi.write(PlanData("Big plan", start, phases=phases, items=rows, links=links))
    )
    return path


def test_process_killed_in_the_middle_of_a_plan_import(instance) -> None:
    """The plan import dies after inserting the work items, before their dependencies."""
    marker = instance / "killed.marker"
    with own_database(BACKEND, instance) as url:
        prepare(url, str(instance))
        plan = _plan_file(instance, 200)
        before = table_checksums(url)
        command = [sys.executable, "-m", "tests.reliability.import_worker", url, str(instance)]
        killed = subprocess.run(  # noqa: S603
            [*command, str(plan), "dependency", str(marker)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert killed.returncode == -9, killed.stderr[-2000:]
        assert marker.exists()
        assert table_checksums(url) == before  # not one program, phase or item remains
        _consistent(url)
        again = subprocess.run(  # noqa: S603
            [*command, str(plan)], cwd=ROOT, capture_output=True, text=True, timeout=180,
            check=False,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr[-2000:]
        program_id = int(again.stdout.strip().splitlines()[-1])
        items = _count(url, "SELECT count(*) FROM work_item WHERE program_id = :p", p=program_id)
        assert items == 200
        _consistent(url)


def _new_risk(session: requests.Session, base: str, program: int, title: str) -> int:
    url = f"{base}/programs/{program}/risks/new"
    try:
        fields = form_fields(session, url, "title")
        fields.update({"title": title, "likelihood": "3", "impact": "4", "key": ""})
        return session.post(url, data=fields, timeout=30, allow_redirects=False).status_code
    except requests.RequestException:
        return 0


def test_postgresql_restart_during_writes(instance) -> None:
    machine_faults_allowed()
    cluster = Path("/etc/postgresql")
    version = sorted(p.name for p in cluster.iterdir())[-1] if cluster.exists() else ""
    assert version, "the PostgreSQL server of this machine (Debian cluster) is needed"
    with own_database("postgresql", instance) as url:
        data = prepare(url, str(instance))
        server = Gunicorn(url, str(instance), workers=2)
        outcomes: dict[str, int] = {}
        after_restart: list[int] = []
        restarted = threading.Event()
        stop = threading.Event()
        for n, cookie in enumerate(data["cookies"]):  # warm: every worker answered once
            assert (
                _new_risk(server.session(cookie), server.base, data["program"], f"warm{n}") == 302
            )

        def writer(cookie: str, name: str) -> None:
            session = server.session(cookie)
            n = 0
            while not stop.is_set() and n < 400:
                n += 1
                title = f"{name}-{n:03d}"
                outcomes[title] = status = _new_risk(session, server.base, data["program"], title)
                if status == 302 and restarted.is_set():
                    after_restart.append(1)

        threads = [
            threading.Thread(target=writer, args=(cookie, f"w{i}"))
            for i, cookie in enumerate(data["cookies"])
        ]
        try:
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            restart = subprocess.run(  # noqa: S603,S607
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            wait_for_postgres(60)
            restarted.set()
            deadline = time.monotonic() + 60
            while len(after_restart) < 4 and time.monotonic() < deadline:
                time.sleep(0.2)  # writes go on after the restart
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            wait_for_postgres(60)
        assert not any(thread.is_alive() for thread in threads)
        try:
            assert restart.returncode == 0, restart.stderr
            statuses = sorted(set(outcomes.values()))
            assert 500 not in statuses, (statuses, server.errors())
            # 0: the connection broke (no answer); 422: refused with a reason; 503: unavailable
            assert set(statuses) <= {0, 302, 409, 422, 503}, statuses
            print(f"\nPostgreSQL restart: answers {sorted(Counter(outcomes.values()).items())}")
            assert server.wait_healthy(30) < 30  # recovered without a restart of the app
            saved = [t for t, s in outcomes.items() if s == 302]
            assert len(after_restart) >= 4, (outcomes, server.log_tail(30))
            stored = set(
                create_engine(url)
                .connect()
                .execute(text("SELECT title FROM risk WHERE title LIKE 'w%'"))
                .scalars()
            )
            assert set(saved) <= stored  # every acknowledged write is there
            # a write that failed left no half-written risk (and any stored one is whole)
            _consistent(url)
            assert (
                _new_risk(server.session(data["cookies"][0]), server.base, data["program"], "after")
                == 302
            )
        finally:
            server.stop()


def test_sqlite_disk_full_during_writes(tmp_path) -> None:
    from tests.conftest import make_app

    machine_faults_allowed()

    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(  # noqa: S603,S607
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True, timeout=30
    )
    try:
        url = f"sqlite:///{mount / 'planner.sqlite'}"
        data = prepare(url, str(tmp_path / "instance"), users=1)
        ballast = mount / "ballast"
        ballast.write_bytes(b"\0" * 512 * 1024)  # freed later: the operator cleans up
        app = make_app(url, WTF_CSRF_ENABLED=False)
        client = app.test_client()
        with client.session_transaction() as session:
            session.update(signed_in_session(data["users"][0]))
        program = data["program"]
        new_url = f"/programs/{program}/risks/new"
        statuses = []
        for n in range(60):
            fields = edit_form(client, new_url, marker="title")
            fields.update({"title": f"d{n:02d}", "description": "x" * 400_000})
            response = client.post(new_url, data=fields)
            statuses.append(response.status_code)
            if response.status_code == 503:
                break
        assert statuses[-1] == 503, statuses  # the disk filled up: refused, not a 500
        assert 500 not in statuses
        full_at = len(statuses) - 1
        with app.app_context():
            from planner.extensions import db

            db.engine.dispose()
        _consistent(url)
        # every acknowledged save is stored; the refused one may have been committed just
        # before the disk filled (a commit cannot be told apart from a failure after it)
        # (GLOB: case-sensitive, so the playbook's own "Determining …" risks do not count)
        stored = _count(url, "SELECT count(*) FROM risk WHERE title GLOB 'd[0-9][0-9]'")
        assert stored in (full_at, full_at + 1), (stored, full_at)
        health = client.get("/healthz")
        assert health.status_code in (200, 503)

        ballast.unlink()  # space again: the same app (no restart) saves
        fields = edit_form(client, new_url, marker="title")
        fields["title"] = "after"
        response = client.post(new_url, data=fields)
        assert response.status_code == 302, response.status_code
        assert client.get("/healthz").status_code == 200
        _consistent(url)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, timeout=30)  # noqa: S603,S607
