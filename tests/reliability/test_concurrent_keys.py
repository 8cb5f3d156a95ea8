"""Records created at the same moment get distinct automatic keys: 100 simultaneous
``POST /api/v1/programs/<id>/risks`` without a key, and risks added at once through the
page, against a real gunicorn on SQLite (2 workers), and on PostgreSQL (4 workers x 4
threads) when ``TEST_DATABASE_URL`` is set. Every request succeeds; no key is handed out
twice.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import TEST_DATABASE_URL
from tests.reliability.servers import SECRET_KEY, Gunicorn, form_fields, own_database, prepare

pytestmark = pytest.mark.slow
BACKENDS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]
API_CREATIONS = 100
PAGE_CREATIONS = 30


def _token(url: str, user_id: int) -> str:
    from planner import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "CLI_MODE": True})
    with app.app_context():
        from planner.extensions import db
        from planner.models import User
        from planner.services.api_tokens import create_token

        _row, token = create_token(db.session.get(User, user_id), "concurrency")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return token


def _keys(url: str, program: int) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT key FROM risk WHERE program_id = :p"), {"p": program})
            return [r.key for r in rows]
    finally:
        engine.dispose()


@pytest.fixture()
def instance():
    folder = Path(tempfile.mkdtemp(prefix="planner-keys-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_risk_creation_gets_distinct_keys(backend, instance) -> None:
    with own_database(backend, instance) as url:
        data = prepare(url, str(instance))
        program = data["program"]
        token = _token(url, data["users"][0])
        before = _keys(url, program)
        # SQLite has one writer at a time: more workers would only queue on its lock, where
        # waiting is unfair (README: PostgreSQL for more than a handful of concurrent
        # writers); gunicorn's backlog queues the rest of the 25 concurrent clients
        if backend == "postgresql":
            server = Gunicorn(url, str(instance), workers=4, PLANNER_THREADS="4")
        else:
            server = Gunicorn(url, str(instance), workers=2)
        try:
            api_url = f"{server.base}/api/v1/programs/{program}/risks"

            def by_api(n: int) -> tuple[int, str]:
                response = requests.post(
                    api_url,
                    json={"title": f"API risk {n}", "likelihood": 3, "impact": 4},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=60,
                )
                key = response.json().get("key", "") if response.status_code == 201 else ""
                return response.status_code, key or response.text[:200]

            for _ in range(8):  # every worker has loaded the playbooks, as on a live server
                requests.get(api_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            with ThreadPoolExecutor(max_workers=25) as pool:
                answers = list(pool.map(by_api, range(API_CREATIONS)))
            refused = [a for a in answers if a[0] != 201]
            assert refused == [], (refused[:5], server.errors())
            keys = [key for _status, key in answers]
            assert len(set(keys)) == API_CREATIONS

            new_url = f"{server.base}/programs/{program}/risks/new"

            def by_page(n: int) -> int:
                page = server.session(data["cookies"][1])  # one browser each
                fields = form_fields(page, new_url, "title")
                fields.update({"title": f"Page risk {n}", "likelihood": "3", "impact": "4"})
                return page.post(
                    new_url, data=fields, timeout=60, allow_redirects=False
                ).status_code

            with ThreadPoolExecutor(max_workers=10) as pool:
                statuses = list(pool.map(by_page, range(PAGE_CREATIONS)))
            assert statuses == [302] * PAGE_CREATIONS, (statuses, server.errors())
        finally:
            server.stop()
        stored = _keys(url, program)
        assert len(stored) == len(before) + API_CREATIONS + PAGE_CREATIONS
        assert len(set(stored)) == len(stored)
        new = sorted(set(stored) - set(before), key=lambda k: int(re.sub(r"\D", "", k) or 0))
        assert all(re.fullmatch(r"R-\d+", k) for k in new)
