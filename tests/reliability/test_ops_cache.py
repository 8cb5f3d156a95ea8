"""Derived results cached per program revision (planner/ops/cache.py)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from datetime import date

import pytest

from planner.ops import cache as ops_cache
from planner.ops.cache import Stats, cached_per_revision, derived, program_revision
from tests.conftest import make_app


@pytest.fixture(autouse=True)
def _fresh_stats():
    Stats.reset()
    yield


def _edit_a_risk(db, program) -> None:
    risk = program.risks[0]
    risk.owner = f"{risk.owner} (changed)"
    db.session.commit()


def test_computed_once_per_revision_and_again_after_a_change(app, db, program) -> None:
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"figure": len(calls)}

    first = derived("chart", program.id, compute, "arrows=critical")
    again = derived("chart", program.id, compute, "arrows=critical")
    assert first == again == {"figure": 1}
    assert len(calls) == 1 and Stats.hits == 1 and Stats.misses == 1
    other = derived("chart", program.id, compute, "arrows=all")  # other key parts
    assert other == {"figure": 2}

    before = program_revision(program.id)
    _edit_a_risk(db, program)
    assert program_revision(program.id) != before  # the audit trail moved the revision
    after = derived("chart", program.id, compute, "arrows=critical")
    assert after == {"figure": 3}
    assert derived("chart", program.id, compute, "arrows=critical") == {"figure": 3}


def test_an_upgrade_of_templates_or_code_is_never_served_old_bodies(
    app, program, tmp_path, monkeypatch
) -> None:
    """The same revision after a release changed a template: computed again."""
    import planner.config

    shutil.copytree(planner.config.PROJECT_ROOT / "templates", tmp_path / "templates")
    (tmp_path / "translations").mkdir()
    monkeypatch.setattr(planner.config, "PROJECT_ROOT", tmp_path)
    ops_cache.code_digest.cache_clear()
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    try:
        release = ops_cache.code_digest()
        assert derived("board", program.id, compute) == 1
        assert derived("board", program.id, compute) == 1
        page = tmp_path / "templates" / "dashboard" / "_board.html"
        page.write_text(page.read_text(encoding="utf-8") + "<!-- next release -->", "utf-8")
        ops_cache.code_digest.cache_clear()
        assert ops_cache.code_digest() != release
        assert derived("board", program.id, compute) == 2  # not the old body
    finally:
        monkeypatch.undo()
        ops_cache.code_digest.cache_clear()


def test_programs_do_not_share_entries(app, db, program) -> None:
    from planner.services.playbooks import get_playbook
    from planner.services.programs import create_program

    other = create_program(
        get_playbook("small-business-quick-start"),
        name="Other",
        client="C",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    assert derived("x", program.id, lambda: "first") == "first"
    assert derived("x", other.id, lambda: "second") == "second"
    assert derived("x", program.id, lambda: "not computed") == "first"


def test_none_is_cached_too(app, program) -> None:
    calls = []
    for _ in range(3):
        assert derived("nothing", program.id, lambda: calls.append(1)) is None
    assert len(calls) == 1


def test_a_transaction_that_wrote_bypasses_the_cache(app, db, program) -> None:
    derived("chart", program.id, lambda: "committed state")
    risk = program.risks[0]
    risk.owner = "Uncommitted owner"
    db.session.flush()  # an audit event exists in this transaction only
    value = derived("chart", program.id, lambda: "uncommitted state")
    assert value == "uncommitted state" and Stats.bypassed == 1
    db.session.rollback()
    # the rolled-back state was never stored; the committed one still is
    assert derived("chart", program.id, lambda: "recomputed") == "committed state"


def test_decorator_keys_on_every_argument(app, program) -> None:
    calls = []

    @cached_per_revision("schedule")
    def schedule_summary(program_id: int, today: date, *, lang: str = "en") -> str:
        calls.append((program_id, today, lang))
        return f"{program_id}/{today}/{lang}"

    day = date(2026, 3, 2)
    assert schedule_summary(program.id, day) == f"{program.id}/2026-03-02/en"
    assert schedule_summary(program.id, day) == f"{program.id}/2026-03-02/en"
    assert schedule_summary(program.id, day, lang="zh") == f"{program.id}/2026-03-02/zh"
    assert len(calls) == 2


def test_two_workers_share_the_file_cache(schema_database, tmp_path, program) -> None:
    # two app objects on one cache folder stand for two gunicorn workers
    folder = tmp_path / "shared-cache"
    apps = [make_app(schema_database, PLANNER_CACHE_URL=f"file://{folder}") for _ in range(2)]
    calls = []
    with apps[0].app_context():
        assert derived("shared", program.id, lambda: calls.append(1) or "from worker 1")
    with apps[1].app_context():
        assert derived("shared", program.id, lambda: calls.append(1) or "from worker 2") == (
            "from worker 1"
        )
    assert len(calls) == 1
    assert any(folder.iterdir())


def test_tests_without_a_cache_setting_get_no_cache(schema_database) -> None:
    app = make_app(schema_database)
    assert app.config["CACHE_TYPE"] == "NullCache"


def test_default_backend_is_a_file_cache_in_the_instance_folder() -> None:
    settings = ops_cache.cache_settings("/srv/planner/instance", "")
    assert settings["CACHE_TYPE"] == "FileSystemCache"
    assert settings["CACHE_DIR"] == "/srv/planner/instance/cache"
    assert ops_cache.cache_settings("/x", "redis://127.0.0.1:6379/2")["CACHE_TYPE"] == "RedisCache"
    assert ops_cache.cache_settings("/x", "null")["CACHE_TYPE"] == "NullCache"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def redis_url(tmp_path):
    """A Redis server of the test's own on a free loopback port (stopped afterwards)."""
    server = shutil.which("redis-server")
    if server is None:
        # .ci/run installs it; elsewhere say clearly what did not run
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs redis-server (Debian package redis-server)")
        pytest.skip("no redis-server (Debian package redis-server): shared-cache test not run")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_backend_is_shared_and_survives_a_redis_outage(
    schema_database, redis_url, program
) -> None:
    apps = [make_app(schema_database, PLANNER_CACHE_URL=redis_url) for _ in range(2)]
    with apps[0].app_context():
        assert derived("r", program.id, lambda: {"n": 1}) == {"n": 1}
    with apps[1].app_context():
        assert derived("r", program.id, lambda: {"n": 2}) == {"n": 1}
    # Redis gone: every call computes, nothing fails
    broken = make_app(schema_database, PLANNER_CACHE_URL="redis://127.0.0.1:1/0")
    with broken.app_context():
        assert derived("r", program.id, lambda: {"n": 3}) == {"n": 3}
    assert Stats.errors >= 2


def test_plan_pages_share_one_reading_per_revision(app, db, client, program) -> None:
    table = f"/programs/{program.id}/plan/table"
    first = client.get(table)
    assert first.status_code == 200 and Stats.misses >= 1
    misses = Stats.misses
    again = client.get(table)
    assert again.status_code == 200 and Stats.hits >= 1 and Stats.misses == misses
    assert again.data == first.data

    item = program.work_items[5]
    item.name = "Renamed while the plan was cached"
    db.session.commit()
    changed = client.get(table)
    assert b"Renamed while the plan was cached" in changed.data
    # the new revision is read once and its table body rendered once (two entries)
    assert Stats.misses == misses + 2

    gantt = client.get(f"/programs/{program.id}/plan/gantt/data")
    assert gantt.status_code == 200
    assert "Renamed while the plan was cached" in gantt.get_json()["items"]["name"]


def test_dashboard_body_is_rendered_once_per_revision_and_language(
    app, db, client, program
) -> None:
    from planner.services import metrics as metric_service

    page = f"/programs/{program.id}/dashboard"
    first = client.get(page)
    assert first.status_code == 200
    misses = Stats.misses
    assert client.get(page).data == first.data and Stats.misses == misses  # served from cache

    chinese = client.get(page, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert Stats.misses == misses + 1 and "仪表板" in chinese  # another language, another entry

    metric = program.metrics[0]
    metric_service.add_reading(program, metric, program.start_date, 42.0, "after the cache")
    db.session.commit()
    changed = client.get(page).get_data(as_text=True)
    # the body, the items' summary it is built from (planner/services/item_summary.py) and the
    # schedule risk analysis of its gate card (both one entry for every language) are
    # computed again for the new revision
    assert Stats.misses == misses + 4
    assert changed != first.get_data(as_text=True)


def test_risk_register_body_is_shared_per_filters_and_right_to_edit(
    app, db, login_as, program
) -> None:
    page = f"/programs/{program.id}/risks"
    lead, viewer = login_as("lead", program), login_as("viewer", program)
    as_lead = lead.get(page).get_data(as_text=True)
    misses = Stats.misses
    assert lead.get(page).get_data(as_text=True) == as_lead and Stats.misses == misses
    as_viewer = viewer.get(page).get_data(as_text=True)
    assert Stats.misses == misses + 1  # no right to edit: another entry
    new_risk = f"/programs/{program.id}/risks/new"
    assert new_risk in as_lead and new_risk not in as_viewer

    filtered = lead.get(f"{page}?status=closed")
    assert filtered.status_code == 200 and Stats.misses == misses + 2

    program.risks[0].title = "Retitled while cached"
    db.session.commit()
    assert "Retitled while cached" in lead.get(page).get_data(as_text=True)
