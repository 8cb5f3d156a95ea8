"""Hostile files: XML entities in MS Project imports, YAML tags and alias bombs in playbooks,
zip bombs in .xlsx uploads (refused before openpyxl opens them), oversized uploads (413).

Each is refused with a clear error (4xx through the web) and changes nothing.
"""

from __future__ import annotations

import io
import time

import pytest

from planner.domain.errors import ImportFormatError
from planner.ops.backup import table_checksums
from tests.reliability.hostile import HOSTILE_XML, HOSTILE_YAML, many_parts_xlsx, zip_bomb_xlsx


@pytest.mark.parametrize("name", sorted(HOSTILE_XML))
def test_mspdi_refuses_entities_and_dtds(name: str) -> None:
    from planner.interop import mspdi

    started = time.perf_counter()
    with pytest.raises(ImportFormatError) as caught:
        mspdi.read(HOSTILE_XML[name])
    assert time.perf_counter() - started < 1.0  # refused, not expanded
    text = str(caught.value) + repr(caught.value.errors)
    assert "root:" not in text  # /etc/passwd was not read
    assert "DOCTYPE" in text or "entit" in text or "external" in text


def test_safe_xml_is_the_only_way_in() -> None:
    """The plan importer goes through safe_xml (defusedxml, DTDs forbidden)."""
    import importlib

    from planner.interop import safe_xml

    reader = importlib.import_module("planner.interop.mspdi.read")
    assert reader.parse is safe_xml.parse


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_playbook_yaml_refuses_tags_and_aliases(name: str, tmp_path) -> None:
    from planner.domain.playbook import PlaybookError, parse_playbook

    marker = tmp_path / "pwned"
    text = HOSTILE_YAML[name].replace("/tmp/planner-yaml-pwned", str(marker))
    started = time.perf_counter()
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(text, source="hostile.yaml")
    assert time.perf_counter() - started < 2.0
    assert not marker.exists()
    messages = " ".join(str(issue) for issue in caught.value.issues)
    assert messages  # a reason a person can read


@pytest.fixture()
def no_openpyxl(monkeypatch):
    """Fail loudly if anything hands the file to openpyxl."""
    import openpyxl

    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError("openpyxl was asked to open a hostile .xlsx")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    return opened


BOMBS = {"zip-bomb": lambda: zip_bomb_xlsx(120), "many-parts": lambda: many_parts_xlsx(5000)}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_risk_import_refuses_zip_bombs_before_opening(bomb: str, no_openpyxl) -> None:
    from planner.interop import risks

    with pytest.raises(ImportFormatError):
        risks.read_register("register.xlsx", BOMBS[bomb]())
    assert no_openpyxl == []


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_readings_import_refuses_zip_bombs_before_opening(bomb: str, no_openpyxl) -> None:
    from planner.interop import readings

    with pytest.raises(ImportFormatError):
        readings.read(BOMBS[bomb](), "readings.xlsx")
    assert no_openpyxl == []


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_plan_import_refuses_zip_bombs_before_opening(bomb: str, no_openpyxl) -> None:
    from planner.interop import plan_table

    with pytest.raises(ImportFormatError):
        plan_table.read_xlsx(BOMBS[bomb]())
    assert no_openpyxl == []


def _upload(client, url: str, name: str, data: bytes, **fields):
    return client.post(
        url,
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def test_web_imports_refuse_a_zip_bomb_and_change_nothing(client, db, program) -> None:
    before = table_checksums(db.engine)
    bomb = zip_bomb_xlsx(120)
    risk = _upload(client, f"/programs/{program.id}/risks/import", "register.xlsx", bomb)
    assert 400 <= risk.status_code < 500
    assert "unpacks to" in risk.get_data(as_text=True)
    readings = _upload(client, f"/programs/{program.id}/metrics/import", "readings.xlsx", bomb)
    assert 400 <= readings.status_code < 500
    db.session.remove()
    assert table_checksums(db.engine) == before


def test_oversized_uploads_get_413_and_change_nothing(client, db, program) -> None:
    before = table_checksums(db.engine)
    big = b"Key,Title\n" + b"R1,x\n" * (17 * 1024 * 1024 // 5)  # over MAX_CONTENT_LENGTH (16 MiB)
    for url in (
        f"/programs/{program.id}/risks/import",
        f"/programs/{program.id}/metrics/import",
        f"/programs/{program.id}/risks/new",
    ):
        response = _upload(client, url, "big.csv", big)
        assert response.status_code == 413, url
    db.session.remove()
    assert table_checksums(db.engine) == before
