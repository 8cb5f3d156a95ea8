"""Looking an installed playbook up: a file with the id and version asked for is the answer
without reading the uploads (a file wins over an upload with the same id and version); any
other question reads both, and every answer is the one the whole installed list gives."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

import planner.services.playbooks as service
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.errors import NotFoundError
from planner.models.library import PlaybookUpload

PLAYBOOK = "crm-four-100-days"
SHIPPED = SHIPPED_PLAYBOOKS / "crm-four-100-days.yaml"  # version 1.0


def _upload(db: Any, text: str) -> None:
    data = text.encode("utf-8")
    version = text.split('\nversion: "', 1)[1].split('"', 1)[0]
    db.session.add(
        PlaybookUpload(
            playbook_id=PLAYBOOK,
            version=version,
            source=text,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            filename="upload.yaml",
            uploaded_by="consultant@test.example",
        )
    )
    db.session.commit()


def _retitled(title: str, version: str = "1.0") -> str:
    text = SHIPPED.read_text("utf-8")
    english = '  en: "CRM rollout in four 100-day phases"'
    assert 'version: "1.0"' in text and english in text
    text = text.replace(english, f'  en: "{title}"', 1)
    return text.replace('version: "1.0"', f'version: "{version}"', 1)


@pytest.fixture()
def library(app: Any, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped files, a directory with another file of crm-four-100-days 1.0, an upload
    of that same id and version (as if the files came after it) and an upload of 9.0."""
    (tmp_path / "crm-copy.yaml").write_text(_retitled("From a directory"), encoding="utf-8")
    monkeypatch.setitem(app.config, "PLAYBOOK_DIRS", [SHIPPED_PLAYBOOKS, tmp_path])
    _upload(db, _retitled("Uploaded, same version"))
    _upload(db, _retitled("Uploaded, newer", version="9.0"))


@pytest.fixture()
def upload_queries(db: Any) -> Iterator[list[str]]:
    """The statements that read the upload table, as they run."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "playbook_upload" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def _from_the_whole_list(playbook_id: str, version: str | None) -> service.InstalledPlaybook:
    """The answer as find_installed gave it before: from every installed playbook."""
    matches = [i for i in service.installed_playbooks()[0] if i.playbook.id == playbook_id]
    if version is not None:
        matches = [i for i in matches if i.playbook.version == version]
    return matches[-1]


def test_an_exact_version_a_file_has_reads_no_upload(library: None, upload_queries: list) -> None:
    found = service.find_installed(PLAYBOOK, "1.0")
    assert upload_queries == []
    # the last file with it (the directory's), as in the sorted list, not the upload
    assert (found.origin, found.playbook.title.get("en")) == ("directory", "From a directory")
    assert service.get_playbook(PLAYBOOK, "1.1").version == "1.1"
    assert upload_queries == []
    assert found == _from_the_whole_list(PLAYBOOK, "1.0")
    assert upload_queries  # the whole list does read the uploads


def test_other_questions_read_the_uploads(library: None, upload_queries: list) -> None:
    newest = service.find_installed(PLAYBOOK)
    assert (newest.origin, newest.playbook.version) == ("upload", "9.0")
    assert upload_queries
    upload_queries.clear()
    only_uploaded = service.find_installed(PLAYBOOK, "9.0")
    assert (only_uploaded.origin, only_uploaded.playbook.title.get("en")) == (
        "upload",
        "Uploaded, newer",
    )
    assert upload_queries
    with pytest.raises(NotFoundError):
        service.find_installed(PLAYBOOK, "8.0")
    with pytest.raises(NotFoundError):
        service.find_installed("no-such-playbook", "1.0")


def test_every_answer_is_the_whole_lists(library: None) -> None:
    installed = service.installed_playbooks()[0]
    assert {i.origin for i in installed} == {"shipped", "directory", "upload"}
    questions = {(i.playbook.id, i.playbook.version) for i in installed}
    questions |= {(i.playbook.id, None) for i in installed}
    for playbook_id, version in sorted(questions, key=str):
        found = service.find_installed(playbook_id, version)
        assert found == _from_the_whole_list(playbook_id, version), (playbook_id, version)
