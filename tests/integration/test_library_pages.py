"""The library, a playbook's preview, its versions and the diff between two of them."""

from __future__ import annotations

import re

import pytest

from planner.config import SHIPPED_PLAYBOOKS
from planner.extensions import db as _db
from planner.models import Risk, WorkItem
from planner.services.library import next_monday
from tests.integration.library_support import (
    install_library,
    item,
    new_program,
    shipped_text,
    text_of,
)
from tests.integration.metrics_support import count_queries

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")

CRM = "/playbooks/crm-four-100-days"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


def _row(page: str, ref: str) -> str:
    match = re.search(rf'<tr data-playbook="{re.escape(ref)}">(.*?)</tr>', page, re.S)
    assert match, ref
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def _chinese(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "zh_Hans_CN"


def test_library_lists_every_installed_playbook_with_its_counts(client, db) -> None:
    page = client.get("/playbooks").get_data(as_text=True)
    row = _row(page, "crm-four-100-days@1.0")
    assert "CRM rollout in four 100-day phases" in row
    assert "CRM Rollout Planner" in row  # the author
    # phases, tasks, milestones, risks, metrics, indicators
    assert re.search(r"\b5 67 \d+ 10 10 64\b", row), row
    assert "Shipped crm-four-100-days.yaml" in row
    assert "newest" not in row
    assert "newest" in _row(page, "crm-four-100-days@1.1")
    assert "small-business-quick-start@1.0" in page
    assert "3 of 3 playbook versions" in text_of(client.get("/playbooks"))


def test_titles_follow_the_chosen_language(client, db) -> None:
    _chinese(client)
    page = client.get("/playbooks").get_data(as_text=True)
    assert "CRM分四个100天实施" in _row(page, "crm-four-100-days@1.0")


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("q=quick+start", {"small-business-quick-start@1.0"}),
        ("q=100天", {"crm-four-100-days@1.0", "crm-four-100-days@1.1"}),
        ("q=nothing-like-this", set()),
        ("latest=1", {"crm-four-100-days@1.1", "small-business-quick-start@1.0"}),
        ("origin=upload", set()),
        ("origin=shipped&latest=1&q=100-day", {"crm-four-100-days@1.1"}),
        ("author=Nobody", set()),
    ],
)
def test_search_and_filters(client, db, query, shown) -> None:
    page = client.get(f"/playbooks?{query}").get_data(as_text=True)
    assert set(re.findall(r'data-playbook="([^"]+)"', page)) == shown
    if not shown:
        assert "No playbook matches these filters." in text_of(client.get(f"/playbooks?{query}"))


def test_playbook_folders_are_listed_and_broken_files_named(
    app, client, db, tmp_path, monkeypatch
) -> None:
    text = shipped_text("small-business-quick-start.yaml").replace(
        "id: small-business-quick-start", "id: folder-method", 1
    )
    (tmp_path / "folder-method.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\nversion: x\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "PLAYBOOK_DIRS", [SHIPPED_PLAYBOOKS, tmp_path])
    page = client.get("/playbooks?origin=directory").get_data(as_text=True)
    assert set(re.findall(r'data-playbook="([^"]+)"', page)) == {"folder-method@1.0"}
    assert "Playbook folder folder-method.yaml" in _row(page, "folder-method@1.0")
    assert "broken.yaml" in text_of(client.get("/playbooks"))


def test_preview_shows_stages_gates_risks_metrics_and_maturity(client, db) -> None:
    response = client.get(f"{CRM}/1.1?start=2026-03-02")
    assert response.status_code == 200
    page = text_of(response)
    assert "CRM rollout in four 100-day phases 1.1" in page
    assert "Diagnosis" in page and "Phase 4" in page
    assert "Mar 2, 2026 → Mar 29, 2026" in page  # the diagnosis window: 28 calendar days
    assert "Goal:" in page and "Gate" in page
    assert "“Contact-data completeness” meets its phase target" in page
    assert "The plan, scheduled from Mar 2, 2026" in page
    assert "Risk checklist" in page and "Losing key users and super users" in page
    assert "Metrics and their targets per phase" in page
    assert "Maturity model" in page and "64 indicators" not in page  # per category
    html = response.get_data(as_text=True)
    # the Gantt: the pack's renderer as inline SVG, no plotly, no inline style or script
    chart = re.search(r'<div class="preview-gantt"[^>]*>(<svg .*?</svg>)</div>', html, re.S)
    assert chart is not None and 'role="img"' in chart.group(1)
    assert "Cleanse and migrate the customer data" in chart.group(1)
    assert "plotly" not in html and " style=" not in chart.group(1)
    assert "<script" not in chart.group(1)
    # the table beside the chart: every item with its scheduled dates
    assert "super-user-network" in page
    assert html.count("<tr") > 70


def test_the_preview_gantt_speaks_chinese(client, db) -> None:
    _chinese(client)
    html = client.get(f"{CRM}/1.1?start=2026-03-02").get_data(as_text=True)
    chart = re.search(r'<div class="preview-gantt"[^>]*>(<svg .*?</svg>)</div>', html, re.S)
    assert chart is not None
    svg = chart.group(1)
    assert "CRM诊断" in svg and "名称" in svg and "关键" in svg  # names, grid heading, legend
    assert "26年3月2日" in svg and "Critical" not in svg


def test_preview_starts_next_monday_by_default(today, client, db) -> None:
    start = next_monday(today)
    assert start.weekday() == 0 and start > today
    shown = f"{MONTHS[start.month - 1]} {start.day}, {start.year}"  # as the page writes it
    assert f"scheduled from {shown}" in text_of(client.get(f"{CRM}/1.0"))


def test_preview_with_a_bad_start_date_says_so(client, db) -> None:
    response = client.get(f"{CRM}/1.0?start=31-02-2026")
    assert response.status_code == 422
    assert "is not a date" in text_of(response)


def test_unknown_playbook_or_version_is_404(client, db) -> None:
    assert client.get("/playbooks/nope").status_code == 404
    assert client.get(f"{CRM}/9.9").status_code == 404
    assert client.get(f"{CRM}/diff?from=1.0&to=9.9").status_code == 404


def test_versions_page_shows_the_history_and_programs_to_upgrade(client, db) -> None:
    program = new_program()
    page = text_of(client.get(CRM))
    assert "2 versions installed" in page
    assert "16 changes since 1.0" in page  # 1.1 also gives active users an S-curve
    assert "first version" in page
    assert program.name in page and "Upgrade to 1.1" in page


def test_diff_is_grouped_by_section_and_readable(client, db) -> None:
    response = client.get(f"{CRM}/diff?from=1.0&to=1.1")
    assert response.status_code == 200
    page = text_of(response)
    assert "What changed from 1.0 to 1.1" in page
    assert "16 changes in all" in page
    for heading in ("Tasks", "Dependencies", "Gate criteria", "Risks", "Metrics"):
        assert f" {heading} " in page
    assert 'changed Task "contact-migration": duration 15 → 18 working days' in page
    assert 'added Task "super-user-network" added to phase "foundation"' in page
    assert 'changed Risk "cleaning-legacy-data": likelihood 4 → 5' in page
    html = response.get_data(as_text=True)
    order = [html.index(f'id="section-{s}"') for s in ("task", "dependency", "gate", "risk")]
    assert order == sorted(order)


def test_diff_in_chinese_and_backwards(client, db) -> None:
    _chinese(client)
    page = text_of(client.get(f"{CRM}/diff?from=1.1&to=1.0"))
    assert '任务 "contact-migration"：工期 18 → 15 个工作日' in page
    assert '风险 "key-user-turnover" 已删除' in page


def test_diff_of_a_version_with_itself_is_empty(client, db) -> None:
    assert "same structure and content" in text_of(client.get(f"{CRM}/diff?from=1.1&to=1.1"))


def test_yaml_download_is_the_file(client, db) -> None:
    response = client.get(f"{CRM}/1.0/yaml")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == shipped_text()
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("url", ["/playbooks", f"{CRM}/1.0", CRM, f"{CRM}/diff", f"{CRM}/1.0/yaml"])
def test_reading_the_library_needs_a_signed_in_user(login_as, db, url) -> None:
    response = login_as("anonymous").get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert login_as("outsider").get(url).status_code == 200


def test_program_pages_cost_the_same_queries_however_big_the_program(client, db) -> None:
    program = new_program()

    def cost(url: str) -> int:
        _db.session.expire_all()  # the same start each time: nothing cached in the session
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    urls = [f"/programs/{program.id}/playbook/upgrade", f"/programs/{program.id}/playbook/lessons"]
    before = [cost(url) for url in urls]
    phase = item(program, "change-impact").phase
    for n in range(25):
        _db.session.add(
            WorkItem(
                program_id=program.id,
                phase_id=phase.id,
                key=f"extra-{n}",
                kind="task",
                name=f"Extra {n}",
                duration_days=2,
                position=900 + n,
            )
        )
        _db.session.add(
            Risk(program_id=program.id, key=f"own-{n}", title=f"Own {n}", likelihood=2, impact=2)
        )
    _db.session.commit()
    assert [cost(url) for url in urls] == before
