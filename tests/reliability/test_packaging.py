"""A built wheel is a working app: it carries templates, static files, translations, playbooks
and migrations, and runs from a folder that has no checkout beside it.

The wheel is built by pip from the project's own files (``pip wheel --no-deps .``, no
download: build isolation is off, so the build uses this environment's setuptools and
Babel), unpacked into a temporary folder, and run by a fresh interpreter whose import path
starts there — the checkout's ``planner`` is never on it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

PROBE = """
import json, os, sys
import planner
from planner import create_app
from planner.config import PROJECT_ROOT
from planner.extensions import db
from flask_migrate import upgrade
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.environ["PROBE_DB"],
                  "SECRET_KEY": "x" * 32, "WTF_CSRF_ENABLED": False})
with app.app_context():
    upgrade()
    tables = sorted(db.inspect(db.engine).get_table_names())
client = app.test_client()
login = client.get("/login")
login_zh = app.test_client().get("/login", headers={"Accept-Language": "zh-CN"})
css = client.get("/static/css/planner.css")
print(json.dumps({
    "package": planner.__file__,
    "root": str(PROJECT_ROOT),
    "tables": tables,
    "login": login.status_code,
    "login_has_form": b"password" in login.data,
    "login_zh_chinese": "密码" in login_zh.get_data(as_text=True),
    "css": css.status_code,
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy of the checkout: setuptools' build/ folder of an earlier build (an
    # editable install, another run) is never reused, and the checkout is left as it was
    source = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "build",
            "dist",
            "instance",
            "test-output",
            "*.egg-info",
            "__pycache__",
            ".mypy_cache",
            ".ruff_cache",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_carries_the_shipped_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "planner/_shipped/templates/base.html",
        "planner/_shipped/migrations/env.py",
        "planner/_shipped/translations/zh_Hans_CN/LC_MESSAGES/messages.mo",
        "planner/_shipped/playbooks/playbook.schema.json",
    ):
        assert expected in names, f"{expected} missing from {wheel.name}"
    assert any(n.startswith("planner/_shipped/static/") for n in names)
    assert any(n.startswith("planner/_shipped/migrations/versions/") for n in names)
    assert any(n.endswith(".yaml") and "/playbooks/" in n for n in names)


def test_installed_wheel_serves_and_migrates(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "PROBE_DB": str(tmp_path / "probe.sqlite"),
        "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n" + PROBE],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(site)), seen
    assert seen["root"] == str(site / "planner" / "_shipped"), seen
    assert "work_item" in seen["tables"] and "alembic_version" in seen["tables"]
    assert seen["login"] == 200 and seen["login_has_form"]
    assert seen["login_zh_chinese"], "the compiled Chinese catalogue is not in the wheel"
    assert seen["css"] == 200
