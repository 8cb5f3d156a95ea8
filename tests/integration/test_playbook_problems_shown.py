"""Playbook problems reach people in words, in their language, and never as a crash."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planner.cli import list_command, validate_command
from tests.conftest import sign_in
from tests.integration.library_support import install_library, make_consultant
from tests.unit.test_playbook import VALID
from tests.unit.test_playbook_problems import SEVEN

BELL = VALID.replace("name: Diagnosis", "name: Diag\x07nosis")


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


@pytest.fixture()
def consultant(app):
    client = app.test_client()
    sign_in(client, make_consultant())
    return client


def _post(client: Any, text: str) -> Any:
    return client.post(
        "/playbooks/upload",
        data={"file": (io.BytesIO(text.encode("utf-8")), "pb.yaml")},
        content_type="multipart/form-data",
    )


def test_a_control_character_upload_is_a_422_with_its_line(consultant, db) -> None:
    response = _post(consultant, BELL)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "U+0007" in page and '<td class="font-monospace">8</td>' in page


def test_upload_problems_are_in_chinese_in_the_chinese_interface(consultant, db) -> None:
    assert consultant.post("/language", data={"lang": "zh_Hans_CN", "next": "/"}).status_code in (
        302,
        303,
    )
    from flask_babel import refresh

    refresh()
    response = _post(consultant, SEVEN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "未知字段“colour”" in page
    assert "未知指标键“happiness”" in page
    assert "unknown field" not in page and "Input should" not in page
    assert page.count('<td class="font-monospace">') == 7


def test_validate_prints_every_problem_and_no_traceback(tmp_path: Path) -> None:
    bell = tmp_path / "bell.yaml"
    bell.write_text(BELL, encoding="utf-8")
    seven = tmp_path / "seven.yaml"
    seven.write_text(SEVEN, encoding="utf-8")
    result = CliRunner().invoke(validate_command, [str(bell), str(seven)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert lines[0] == "bell.yaml:8: the control character U+0007 is not allowed in a playbook"
    assert len(lines) == 1 + 7, lines


def test_list_names_a_broken_file_and_goes_on(app, tmp_path: Path) -> None:
    (tmp_path / "bell.yaml").write_text(BELL, encoding="utf-8")
    app.config["PLAYBOOK_DIRS"] = [*app.config["PLAYBOOK_DIRS"], tmp_path]
    result = app.test_cli_runner().invoke(list_command, [])
    assert result.exception is None, result.output
    assert "crm-four-100-days" in result.output
    assert "invalid: bell.yaml:8: the control character U+0007" in result.output
