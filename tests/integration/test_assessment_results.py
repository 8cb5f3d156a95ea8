"""Results, report, comparison and the portfolio's maturity level, checked by hand."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from planner.services import assessment as service
from tests.integration.assessment_support import (
    interview,
    level_weights,
    make_program,
    start,
    url,
)


@pytest.fixture()
def program(db):
    return make_program(db)


def _set(db, assessment, **settings):
    values = {key: service.IndicatorSetting(**value) for key, value in settings.items()}
    service.save_settings(assessment, assessment.version, values)
    db.session.commit()


@pytest.fixture()
def scored(db, program):
    """Two indicators scored by four interviews, with known weights, targets and benchmarks."""
    assessment = start(db, program)
    _set(
        db,
        assessment,
        **{
            "cs-01": {"weight": 2, "critical": False, "target": 4, "benchmark": 3},
            # critical, with the larger weight that says so (the engine does not double it)
            "cs-02": {"weight": 2, "critical": True, "target": 3, "benchmark": 2.5},
            "cs-03": {"weight": 0, "critical": False, "target": 4},
        },
    )
    interview(db, assessment, "senior", "A", {"cs-01": 4, "cs-02": 2})
    interview(db, assessment, "senior", "B", {"cs-01": 2, "cs-02": None})
    interview(db, assessment, "middle", "C", {"cs-01": 3})
    interview(db, assessment, "front_line", "D", {"cs-01": 1, "cs-02": 4})
    return assessment


def test_results_match_a_hand_computed_example(db, scored) -> None:
    w = level_weights()
    res = service.assessment_results(scored, "en")
    # cs-01: level means senior (4+2)/2=3, middle 3, front line 1, then levels weighted
    cs01 = (w["senior"] * 3 + w["middle"] * 3 + w["front_line"] * 1) / (
        w["senior"] + w["middle"] + w["front_line"]
    )
    # cs-02: senior 2 (B's "not scored" is ignored, not 0), no middle, front line 4
    cs02 = (w["senior"] * 2 + w["front_line"] * 4) / (w["senior"] + w["front_line"])
    assert w == {"senior": 1.2, "middle": 1.0, "front_line": 0.8}  # the playbook's choice
    assert res.current["cs-01"] == pytest.approx(7.4 / 3)
    assert res.current["cs-02"] == pytest.approx(2.8)
    assert res.current["cs-01"] == pytest.approx(cs01) and res.current["cs-02"] == pytest.approx(
        cs02
    )
    assert res.current["cs-03"] is None  # nobody scored it: missing, not 0
    assert res.per_level["cs-02"] == {"senior": 2.0, "middle": None, "front_line": 4.0}
    # weights: cs-01 2, cs-02 2 (critical, weighted once) → the plain mean
    assert res.categories["customer-strategy"] == pytest.approx((7.4 / 3 + 2.8) / 2)
    assert res.categories["customer-data"] is None
    assert res.overall == pytest.approx((7.4 / 3 + 2.8) / 2)
    assert res.level is not None and res.level.name == "Defined"  # 2.63 ≥ 2.5
    assert res.coverage == pytest.approx(2 / 64)
    ranked = [(g.indicator, g.weighted_gap) for g in res.gaps[:3]]
    assert ranked[0] == ("cs-01", pytest.approx(2 * (4 - 7.4 / 3)))
    assert ranked[1] == ("cs-02", pytest.approx(2 * (3 - 2.8)))
    assert res.gaps[2].missing and all(g.missing for g in res.gaps[2:])
    cs01_gap = res.gaps[0]
    assert cs01_gap.gap_to_benchmark == pytest.approx(3 - 7.4 / 3)


def test_results_page_shows_scores_level_radar_and_missing_as_dash(client, scored, program) -> None:
    page = client.get(url(program, scored, "/results"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r"data-overall>2\.63", html)
    assert re.search(r"data-level>Defined<", html)
    radar = json.loads(re.search(r'id="assessment-radar-json">(.*?)</script>', html, re.S)[1])
    names = [trace["name"] for trace in radar["data"]]
    assert names == ["Current", "Target", "Benchmark"]  # no competitor line: none was set
    current = radar["data"][0]["r"]
    assert current[0] == pytest.approx((7.4 / 3 + 2.8) / 2)
    assert current[1] is None  # an unscored category is a gap in the line, never 0
    assert html.count('class="badge text-bg-secondary">missing<') == 62
    assert 'title="not scored">—</span>' in html
    drill = json.loads(re.search(r'id="assessment-drill-json">(.*?)</script>', html, re.S)[1])
    assert drill["data"][0]["type"] == "bar"
    # the weakest scored category is drilled into by default; any other on request
    other = client.get(url(program, scored, "/results?category=customer-data"))
    assert other.status_code == 200 and "Drill-down: Customer data" in other.get_data(as_text=True)
    assert client.get(url(program, scored, "/results?category=nope")).status_code == 404


def test_results_without_interviews_or_scores_give_a_message_not_a_number(
    client, db, program
) -> None:
    assessment = start(db, program)
    page = client.get(url(program, assessment, "/results"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "has no interviews yet" in html
    assert "data-overall" not in html and "data-level" not in html
    with pytest.raises(service.ValidationError, match="no interviews"):
        service.assessment_results(assessment, "en")
    report = client.get(url(program, assessment, "/report")).get_data(as_text=True)
    assert "has no interviews yet" in report and "overall-level" not in report

    interview(db, assessment, "senior", "A", {"cs-01": None})
    page = client.get(url(program, assessment, "/results")).get_data(as_text=True)
    assert "No scores are recorded yet" in page and "data-overall" not in page
    assert service.assessment_results(assessment, "en").level is None


def test_report_is_printable_with_level_radar_and_recommendations(
    client, db, scored, program
) -> None:
    service.propose_actions(scored)
    db.session.commit()
    page = client.get(url(program, scored, "/report"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "CRM maturity assessment report" in html
    assert 'class="overall-level">Defined<' in html
    assert "Strongest indicators" in html and "Weakest indicators" in html
    assert "Recommendations" in html and "Tactical (quick wins)" in html
    assert 'id="report-radar-json"' in html
    assert "css/assessment.css" in html and "<script>" not in html  # no inline script


def test_chinese_interface_shows_the_playbook_names_in_chinese(client, scored, program) -> None:
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    html = client.get(url(program, scored, "/results")).get_data(as_text=True)
    assert "客户战略" in html and "已定义级" in html


def test_compare_two_assessments(client, db, scored, program) -> None:
    later = start(
        db, program, "Gate 1", kind="reassessment", phase_ordinal=1, copy_settings_from=scored
    )
    empty = client.get(url(program, suffix=f"/compare?before={scored.id}&after={later.id}"))
    assert empty.status_code == 422
    assert "has no interviews yet" in empty.get_data(as_text=True)

    interview(db, later, "senior", "A", {"cs-01": 5, "cs-02": 2})
    page = client.get(url(program, suffix="/compare"))  # the last two by default
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    radar = json.loads(re.search(r'id="compare-radar-json">(.*?)</script>', html, re.S)[1])
    assert [t["name"] for t in radar["data"]] == ["Diagnosis", "Gate 1"]
    comparison = service.compare_assessments(scored, later, "en")
    moves = {m.indicator: m for m in comparison.movements}
    assert moves["cs-01"].delta == pytest.approx(5 - 7.4 / 3)
    assert moves["cs-02"].delta == pytest.approx(2 - 2.8)
    assert moves["cs-03"].delta is None
    assert "▲ +2.53" in html and "▼ -0.80" in html
    with pytest.raises(service.ValidationError, match="two different"):
        service.compare_assessments(scored, scored, "en")
    assert client.get(url(program, suffix="/compare?before=1&after=99999")).status_code == 404


def test_latest_maturity_level_for_the_portfolio(db, program) -> None:
    other = make_program(db, name="Empty")
    assert service.latest_maturity_level(program, "en") is None
    first = start(db, program, status="completed", completed_on=program.start_date)
    interview(db, first, "senior", "A", {"cs-01": 1})
    assert service.latest_maturity_level(program, "en") == "Initial"
    assert service.latest_maturity_level(program, "zh") == "原始级"
    ongoing = start(db, program, "Ongoing", kind="reassessment", phase_ordinal=1)
    interview(db, ongoing, "senior", "A", {"cs-01": 4})
    # the completed assessment counts over a newer one still in progress
    assert service.latest_maturity_level(program, "en") == "Initial"
    ongoing.status, ongoing.completed_on = "completed", ongoing.started_on
    db.session.commit()
    assert service.latest_maturity_level(program, "en") == "Managed"
    assert service.latest_maturity_levels([program, other], "en") == {
        program.id: "Managed",
        other.id: None,
    }


@contextmanager
def _count_queries(db):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("page", ["/results", "/report", "", "/actions", "/export.xlsx"])
def test_query_count_does_not_grow_with_interviews(client, db, program, page) -> None:
    small = start(db, program, "Small")
    big = start(db, program, "Big")
    for n in range(2):
        interview(db, small, "senior", f"S{n}", {"cs-01": 3, "cs-02": 2})
    for n in range(9):
        interview(
            db, big, ("senior", "middle", "front_line")[n % 3], f"B{n}", {"cs-01": 3, "cs-02": 2}
        )
    counts = []
    for assessment in (small, big):
        db.session.expire_all()
        with _count_queries(db) as statements:
            assert client.get(url(program, assessment, page)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
