"""`planner demo` builds its database once per day and code, and copies it on later runs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_demo(instance: Path) -> str:
    env = {**os.environ, "PLANNER_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv[0] = 'planner'; from planner.cli import main; main()",
            "demo",
            "--no-serve",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return done.stdout


def accounts(instance: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(instance / "demo.sqlite") as connection:
        query = "SELECT email, password_hash FROM user_account ORDER BY email"
        return connection.execute(query).fetchall()


@pytest.mark.slow  # builds the demo once (tens of seconds on a busy machine)
def test_the_second_demo_run_copies_the_first(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    built = accounts(tmp_path)
    assert len(built) == 6 and "demo loaded" in first
    # every demo account shares one hash (one argon2 computation, not six)
    assert len({hash_ for _email, hash_ in built}) == 1
    kept = list((tmp_path / "cache").glob("demo-*.sqlite"))
    assert len(kept) == 1
    # a user edit in the demo is gone on the next run
    with sqlite3.connect(tmp_path / "demo.sqlite") as connection:
        connection.execute("DELETE FROM membership")
    second = run_demo(tmp_path)
    assert second.splitlines()[0] == first.splitlines()[0]
    # copied, not built again: a rebuild would hash the password with a new salt
    assert accounts(tmp_path) == built
    with sqlite3.connect(tmp_path / "demo.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM membership").fetchone()[0] > 0
