"""Per-assessment weights, targets, benchmarks and competitor scores."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from planner.models.assessment import AssessmentIndicator, InterviewScore
from planner.services import assessment as service
from tests.integration.assessment_support import interview, make_program, start, url


@pytest.fixture()
def assessment(db):
    return start(db, make_program(db))


def _form(assessment, **changes):
    """The settings form as the page submits it, with some cells changed."""
    data = {"version": str(assessment.version)}
    for row in assessment.indicators:
        data[f"weight-{row.key}"] = f"{row.weight:g}"
        if row.critical:
            data[f"critical-{row.key}"] = "y"
        for line in ("target", "benchmark", "competitor"):
            value = getattr(row, line)
            data[f"{line}-{row.key}"] = "" if value is None else f"{value:g}"
    data.update(changes)
    return data


def _snapshot(assessment):
    return [
        (s.key, s.weight, s.critical, s.target, s.benchmark, s.competitor)
        for s in assessment.indicators
    ]


def test_settings_page_saves_weights_targets_and_lines(client, db, assessment) -> None:
    program = assessment.program
    page = client.get(url(program, assessment, "/settings"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('name="weight-') == 64 and html.count('name="competitor-') == 64
    response = client.post(
        url(program, assessment, "/settings"),
        data=_form(
            assessment,
            **{
                "weight-cs-02": "2.5",
                "target-cs-02": "4",
                "benchmark-cs-02": "3,2",  # a decimal comma is read too
                "competitor-cs-02": "2.9",
                "critical-cs-02": "y",
            },
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    row = next(s for s in assessment.indicators if s.key == "cs-02")
    assert (row.weight, row.critical, row.target, row.benchmark, row.competitor) == (
        2.5,
        True,
        4.0,
        3.2,
        2.9,
    )
    others = [s for s in assessment.indicators if s.key != "cs-02"]
    assert all(s.target is None and s.competitor is None for s in others)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight-cs-03", "-1", "weight must be 0 or more"),
        ("weight-cs-03", "", "A weight is needed"),
        ("target-cs-03", "6", "Enter a value from 0 to 5."),
        ("benchmark-cs-03", "-0.5", "Enter a value from 0 to 5."),
        ("competitor-cs-03", "lots", "Not a number"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(
    client, db, assessment, field, value, message
) -> None:
    program = assessment.program
    before = _snapshot(assessment)
    version = assessment.version
    response = client.post(
        url(program, assessment, "/settings"),
        data=_form(assessment, **{"target-cs-01": "4", field: value}),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "nothing was saved" in html
    assert f'value="{value}"' in html  # the input is kept to correct it
    db.session.expire_all()
    assert _snapshot(assessment) == before  # not even the valid target was saved
    assert assessment.version == version


def test_service_lists_every_bad_value(db, assessment) -> None:
    with pytest.raises(service.ValidationError) as caught:
        service.save_settings(
            assessment,
            assessment.version,
            {
                "cs-01": service.IndicatorSetting(weight=-2, critical=False, target=5.5),
                "zz-01": service.IndicatorSetting(weight=1, critical=False),
            },
        )
    paths = [path for path, _message in caught.value.errors]
    assert paths == ["cs-01.weight", "cs-01.target", "zz-01.weight"]


def test_a_stale_settings_page_is_refused_with_both_values_shown(client, db, assessment) -> None:
    program = assessment.program
    opened = _form(assessment, **{"target-cs-01": "3"})
    service.save_settings(
        assessment,
        assessment.version,
        {"cs-01": service.IndicatorSetting(weight=1.5, critical=True, target=4.5)},
    )
    db.session.commit()
    response = client.post(url(program, assessment, "/settings"), data=opened)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by" in html and "since you opened it" in html
    assert 'name="target-cs-01" value="3"' in html
    assert "now: 4.5" in html
    db.session.expire_all()
    assert assessment.indicators[0].target == 4.5


def test_database_refuses_out_of_range_values(db, assessment) -> None:
    row = assessment.indicators[0]
    for column, value in (("weight", -1.0), ("target", 5.5), ("benchmark", -0.1)):
        setattr(row, column, value)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    iv = interview(db, assessment, "senior", "A")
    db.session.add(
        InterviewScore(interview_id=iv.id, program_id=iv.program_id, indicator_key="cs-01", score=6)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AssessmentIndicator, row.id).weight >= 0
