"""Start-up settings: secret key, database URL, SQLite pragmas."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from planner import create_app
from planner.config import ConfigError


@pytest.mark.parametrize("key", [None, "", "dev", "short-key"])
def test_missing_or_weak_secret_key_stops_startup(monkeypatch, tmp_path, key) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("PLANNER_DEMO", raising=False)
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_strong_secret_key_and_postgres_url_normalised(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:5432/somedb")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/somedb"


def test_sqlite_connections_enforce_foreign_keys_and_wal(tmp_path) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"})
    from planner.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_planner_run_without_secret_key_refuses_to_serve(monkeypatch, tmp_path) -> None:
    """`planner run` builds the app in CLI mode (a stand-in key) and must still refuse."""
    import planner.cli

    served: list[object] = []
    monkeypatch.setattr(planner.cli, "_serve", lambda app, host, port: served.append(app))
    for name in ("SECRET_KEY", "FLASK_DEBUG", "PLANNER_DEMO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app({"CLI_MODE": True})
    result = app.test_cli_runner().invoke(args=["run"])
    assert result.exit_code != 0
    assert "SECRET_KEY" in result.output
    assert served == []


@pytest.mark.parametrize("flag", ["DEBUG", "DEMO_MODE"])
def test_planner_run_in_debug_or_demo_serves(monkeypatch, tmp_path, flag) -> None:
    import planner.cli

    served: list[object] = []
    monkeypatch.setattr(planner.cli, "_serve", lambda app, host, port: served.append(app))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    # the Flask command line sets app.debug from FLASK_DEBUG, as `FLASK_DEBUG=1 planner run`
    monkeypatch.setenv("FLASK_DEBUG", "1" if flag == "DEBUG" else "0")
    app = create_app({"CLI_MODE": True, flag: True})
    result = app.test_cli_runner().invoke(args=["run"])
    assert result.exit_code == 0, result.output
    assert served == [app]


def test_planner_run_with_a_strong_key_serves(monkeypatch, tmp_path) -> None:
    import planner.cli

    served: list[object] = []
    monkeypatch.setattr(planner.cli, "_serve", lambda app, host, port: served.append(app))
    for name in ("FLASK_DEBUG", "PLANNER_DEMO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app({"CLI_MODE": True})
    result = app.test_cli_runner().invoke(args=["run"])
    assert result.exit_code == 0, result.output
    assert served == [app]


def test_kept_schedules_setting(monkeypatch, tmp_path) -> None:
    from planner.config import settings_from_environment

    monkeypatch.delenv("PLANNER_LIVE_SCHEDULES", raising=False)
    assert settings_from_environment(str(tmp_path))["PLANNER_LIVE_SCHEDULES"] == 8
    monkeypatch.setenv("PLANNER_LIVE_SCHEDULES", "0")
    assert settings_from_environment(str(tmp_path))["PLANNER_LIVE_SCHEDULES"] == 0
    monkeypatch.setenv("PLANNER_LIVE_SCHEDULES", "many")
    with pytest.raises(ConfigError, match="PLANNER_LIVE_SCHEDULES"):
        settings_from_environment(str(tmp_path))
