"""Hostile values in form and JSON bodies, query strings and uploaded files: ids of ±10^23,
numbers of 1e300, days at the ends of the calendar, a CSV whose BOM promises UTF-8 that
does not follow, truncated and entity-bearing .xlsx sheets. Each is a clear 4xx with
nothing changed, never a 500.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest

from bench.load.htmlform import forms
from planner.ops.backup import table_checksums
from tests.reliability.test_hostile_pages import _first_ids, _page_rules, _path
from tests.reliability.test_hostile_pages import full_program as full_program  # a fixture

BIG = 10**23
# form fields that hold ids (or numbers) even where the page shows them as a choice
ID_NAMES = ("_id", "phase", "item", "risk", "metric", "version", "copy_from", "ordinal")


def _post(client, db, url: str, **kwargs):
    """The answer's status, or the error a view raised (the test client re-raises it)."""
    try:
        return client.post(url, **kwargs).status_code
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        return f"{type(exc).__name__}: {str(exc)[:120]}"


def test_huge_ids_in_every_form_are_4xx(app, db, client, full_program) -> None:
    """Every form of every page, each id or number field in turn set to ±10^23."""
    ids = _first_ids(db)
    done: set[tuple[str, str]] = set()
    problems, tried = [], 0
    for rule in _page_rules(app):
        if "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = _path(rule, full_program.id, ids)
        page = client.get(path)
        if page.status_code != 200 or "html" not in (page.content_type or ""):
            continue
        for form in forms(page.get_data(as_text=True)):
            action = form.action or path
            # leave out what ends the test's own session or rights
            if form.method != "post" or action.startswith("/admin") or "logout" in action:
                continue
            if re.search(r"/(delete|revoke)\b", action):
                continue
            for name, value in form.fields:
                numeric = re.fullmatch(r"-?\d+", value or "")
                if not numeric and not name.endswith(ID_NAMES):
                    continue
                if (urlsplit(action).path, name) in done:
                    continue
                done.add((urlsplit(action).path, name))
                for big in (BIG, -BIG):
                    fields = dict(form.fields)
                    fields[name] = str(big)
                    tried += 1
                    status = _post(client, db, action, data=fields)
                    if not isinstance(status, int) or status >= 500:
                        problems.append(f"{action} {name}={big:.0e}: {status}")
    assert problems == [], "\n".join(problems)
    assert tried >= 60
    print(f"\nhuge ids in forms: {tried} posts")


def test_huge_ids_and_numbers_in_json_bodies_are_4xx(app, db, program) -> None:
    from tests.integration.api_support import api_as

    api = api_as(app, "lead", program)
    pid = program.id
    item, phase = program.work_items[0], program.phases[1]
    metric = program.metrics[0]
    before = _data_checksums(db)
    bodies = [
        ("POST", f"/programs/{pid}/risks", {"title": "t", "likelihood": 3, "impact": 3,
                                            "proximity_phase_id": BIG}),
        ("POST", f"/programs/{pid}/risks", {"title": "t", "likelihood": BIG, "impact": 3}),
        ("POST", f"/programs/{pid}/work-items", {"key": "x1", "name": "x", "phase_id": BIG}),
        ("POST", f"/programs/{pid}/work-items", {"key": "x1", "name": "x", "phase_id": -BIG}),
        ("POST", f"/programs/{pid}/dependencies", {"predecessor_id": BIG,
                                                   "successor_id": item.id}),
        ("PATCH", f"/programs/{pid}/work-items/{item.id}", {"version": BIG, "name": "y"}),
        ("PATCH", f"/programs/{pid}/work-items/{item.id}", {"version": item.version,
                                                            "phase_id": BIG}),
        ("POST", f"/programs/{pid}/metrics", {"key": "huge", "name": "Huge", "unit": "n",
                                              "direction": "higher", "baseline": -1e308}),
        ("POST", f"/programs/{pid}/metrics", {"key": "huge", "name": "Huge", "unit": "n",
                                              "direction": "higher",
                                              "targets": [{"phase_ordinal": phase.ordinal,
                                                           "target": 1e300}]}),
        ("POST", f"/programs/{pid}/metrics/{metric.id}/readings", {"day": "2026-02-02",
                                                                   "value": -1e27}),
        ("POST", f"/programs/{pid}/metrics/{metric.id}/readings", {"day": "9999-12-31",
                                                                   "value": 1}),
    ]  # fmt: skip
    problems = []
    for method, path, body in bodies:
        try:
            response = api.open(method, path, body)
        except Exception as exc:  # noqa: BLE001
            db.session.rollback()
            problems.append(f"{method} {path} {body}: {type(exc).__name__}")
            continue
        if not 400 <= response.status_code < 500:
            problems.append(f"{method} {path} {body}: {response.status_code}")
    assert problems == [], "\n".join(problems)
    assert _data_checksums(db) == before


def _data_checksums(db):
    """Every table's checksum but the token's (its last use is recorded)."""
    db.session.remove()
    return {k: v for k, v in table_checksums(db.engine).items() if k != "api_token"}


@pytest.mark.parametrize(
    ("query", "status"),
    [("until=9999-12-31", 400), ("since=0001-01-01", 400), ("until=2026-02-30", 200)],
)
def test_extreme_days_in_the_history_filter(client, program, query, status) -> None:
    response = client.get(f"/programs/{program.id}/history?{query}")
    assert response.status_code == status
    if status == 400:
        assert "outside the dates the planner handles" in response.get_data(as_text=True)


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "9999-06-01", "1899-12-31"])
def test_extreme_days_in_the_playbook_preview(client, start) -> None:
    response = client.get(f"/playbooks/crm-four-100-days/1.1?start={start}")
    assert response.status_code == 422
    assert "outside the dates the planner handles" in response.get_data(as_text=True)
    chinese = client.get(
        f"/playbooks/crm-four-100-days/1.1?start={start}", headers={"Accept-Language": "zh-CN"}
    )
    assert "超出了本系统可处理的日期范围" in chinese.get_data(as_text=True)


def test_the_last_day_handled_still_previews(client) -> None:
    assert client.get("/playbooks/crm-four-100-days/1.1?start=2999-12-31").status_code == 200


def _upload(client, db, url: str, name: str, data: bytes):
    return _post(
        client,
        db,
        url,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_risk_csv_with_a_bom_and_invalid_utf8_is_refused(client, db, program) -> None:
    before = table_checksums(db.engine)
    data = b"\xef\xbb\xbfKey,Title,Likelihood,Impact\nR-1,\xff\xfe broken,3,3\n"
    url = f"/programs/{program.id}/risks/import"
    status = _upload(client, db, url, "register.csv", data)
    assert status == 422, status
    page = client.post(
        url, data={"file": (io.BytesIO(data), "register.csv")}, content_type="multipart/form-data"
    )
    assert "is not UTF-8" in page.get_data(as_text=True)
    db.session.remove()
    assert table_checksums(db.engine) == before


def _rewrite_sheet(workbook: bytes, change) -> bytes:
    """The workbook with its first worksheet's XML replaced by ``change(xml)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(entry, content)
    return out.getvalue()


def _with_entity(xml: bytes) -> bytes:
    head, _, body = xml.partition(b"?>")
    doctype = b'<!DOCTYPE worksheet [<!ENTITY x "expanded">]>'
    return head + b"?>" + doctype + body.replace(b"<v>", b"<v>&x;", 1)


BROKEN_SHEETS = {
    "truncated": lambda xml: xml[: len(xml) // 2],
    "entity": _with_entity,
}


@pytest.mark.parametrize("kind", sorted(BROKEN_SHEETS))
def test_broken_xlsx_sheets_are_refused(client, db, program, kind) -> None:
    """The sheet XML is read only while the rows are: a truncated sheet or one with an
    entity used to raise outside the guarded block (500)."""
    exported = client.get(f"/programs/{program.id}/risks/export.xlsx")
    assert exported.status_code == 200
    broken = _rewrite_sheet(exported.data, BROKEN_SHEETS[kind])
    before = table_checksums(db.engine)
    for url, name in (
        (f"/programs/{program.id}/risks/import", "register.xlsx"),
        (f"/programs/{program.id}/metrics/import", "readings.xlsx"),
    ):
        status = _upload(client, db, url, name, broken)
        assert status == 422, (url, status)
    db.session.remove()
    assert table_checksums(db.engine) == before
