"""Tables of cases for planner.domain.risk: scoring, bands, transitions, heat map, diff, trend."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.errors import ValidationError
from planner.domain.risk import (
    ALLOWED_TRANSITIONS,
    DEFAULT_SCALE,
    RESPONSE_STRATEGIES,
    SORT_KEYS,
    STATUSES,
    ActionSnapshot,
    Band,
    ExposurePoint,
    ReviewDiff,
    RiskScale,
    RiskSnapshot,
    band_for,
    band_matrix,
    changed_since,
    check_level,
    check_transition,
    exposure_trend,
    heat_map,
    heat_map_keys,
    register_filter,
    score,
    sort_risks,
    top_risks,
)

D = dt.date
AS_OF = D(2024, 6, 10)


def coded(error: ValidationError) -> list[tuple[str, str, dict[str, Any]]]:
    """An error's problems as (field, code, parameters): what the domain says, not its words."""
    return [(p.field, p.code, dict(p.params)) for p in error.problems]


def risk(
    key: str,
    likelihood: int,
    impact: int,
    residual: tuple[int | None, int | None] = (None, None),
    **kwargs: Any,
) -> RiskSnapshot:
    """Build a snapshot with short positional inherent levels and an optional residual pair."""
    kwargs.setdefault("title", f"risk {key}")
    return RiskSnapshot(
        key=key,
        inherent_likelihood=likelihood,
        inherent_impact=impact,
        residual_likelihood=residual[0],
        residual_impact=residual[1],
        **kwargs,
    )


def keys(risks: list[RiskSnapshot]) -> list[str]:
    return [r.key for r in risks]


# A register used by the heat-map, ranking, filter and sort tests, as of 2024-06-10.
#                 status      inh  inh-score  res   res-score band      owner  review      phase
#   R-1           open        4x5  20         3x4   12        high      Li     06-01 late  pilot
#   R-2           mitigating  3x4  12         2x3    6        medium    Wang   06-10 today design
#   R-3           open        5x4  20         -      20       critical  Li     -           migration
#   R-10          closed      2x5  10         1x5    5        medium    -      01-01       -
#   R-4           occurred    3x3   9         -       9       medium    Wang   -           pilot
#   R-5           open        2x2   4         1x2    2        low       Zhao   07-01       -
#   R-6           open        3x4  12         2x3    6        medium    Zhao   -           design
# Overdue actions as of 06-10: R-1 "Change champions" (due 06-05), R-6 "Super-user training"
# (due 06-09). Not overdue: R-2 (due 06-20), R-3 (done), R-10 (closed), R-5 (no due date).
REGISTER: list[RiskSnapshot] = [
    risk(
        "R-1",
        4,
        5,
        (3, 4),
        title="Resistance to change",
        status="open",
        category="people",
        owner="Li",
        review_date=D(2024, 6, 1),
        actions=(ActionSnapshot("Change champions", "Li", D(2024, 6, 5)),),
        phase="pilot",
    ),
    risk(
        "R-2",
        3,
        4,
        (2, 3),
        title="Unclear system features",
        status="mitigating",
        category="scope",
        owner="Wang",
        review_date=D(2024, 6, 10),
        actions=(ActionSnapshot("Feature workshop", "Wang", D(2024, 6, 20)),),
        phase="design",
    ),
    risk(
        "R-3",
        5,
        4,
        title="legacy data quality",
        status="open",
        category="data",
        owner="Li",
        actions=(ActionSnapshot("Data profiling", "Zhao", D(2024, 5, 1), done=True),),
        phase="migration",
    ),
    risk(
        "R-10",
        2,
        5,
        (1, 5),
        title="Executive support",
        status="closed",
        category="governance",
        review_date=D(2024, 1, 1),
        actions=(ActionSnapshot("Sponsor letter", None, D(2024, 2, 1)),),
    ),
    risk(
        "R-4",
        3,
        3,
        title="ROI not measured",
        status="occurred",
        category="business",
        owner="Wang",
        phase="pilot",
    ),
    risk(
        "R-5",
        2,
        2,
        (1, 2),
        title="Customisation creep",
        status="open",
        category="scope",
        owner="Zhao",
        review_date=D(2024, 7, 1),
        actions=(ActionSnapshot("Freeze scope", "Zhao", None),),
    ),
    risk(
        "R-6",
        3,
        4,
        (2, 3),
        title="Super-user adoption",
        status="open",
        category="people",
        owner="Zhao",
        actions=(ActionSnapshot("Super-user training", "Zhao", D(2024, 6, 9)),),
        phase="design",
    ),
]


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (1, 1, 1),  # 1 × 1
        (1, 5, 5),  # 1 × 5
        (5, 1, 5),  # 5 × 1
        (2, 2, 4),  # 2 × 2
        (2, 3, 6),  # 2 × 3
        (3, 3, 9),  # 3 × 3
        (3, 4, 12),  # 3 × 4
        (4, 4, 16),  # 4 × 4
        (4, 5, 20),  # 4 × 5
        (5, 5, 25),  # 5 × 5
    ],
)
def test_score_is_likelihood_times_impact(likelihood: int, impact: int, expected: int) -> None:
    assert score(likelihood, impact) == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (6, "6"),
        (-1, "-1"),
        ("high", '"high"'),
        ("3", '"3"'),
        (None, "None"),
        (True, "True"),
        (False, "False"),
        (2.0, "2.0"),
    ],
)
@pytest.mark.parametrize("side", ["likelihood", "impact"])
def test_score_refuses_anything_but_1_to_5(value: Any, shown: str, side: str) -> None:
    args = {"likelihood": 3, "impact": 3, side: value}
    with pytest.raises(ValidationError) as caught:
        score(**args)
    assert coded(caught.value) == [(side, "risk.level", {"value": shown})]


def test_score_reports_both_bad_levels_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        score(0, 6)
    assert coded(caught.value) == [
        ("likelihood", "risk.level", {"value": "0"}),
        ("impact", "risk.level", {"value": "6"}),
    ]


def test_check_level_names_the_field() -> None:
    assert check_level(5, "Likelihood") == 5
    with pytest.raises(ValidationError) as caught:
        check_level("high", "Likelihood")
    assert coded(caught.value) == [("Likelihood", "risk.level", {"value": '"high"'})]


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_score_has_exactly_one_default_band(likelihood: int, impact: int) -> None:
    value = score(likelihood, impact)
    assert 1 <= value <= 25
    assert sum(band.contains(value) for band in DEFAULT_SCALE.bands) == 1


# --------------------------------------------------------------------------- bands


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "low"),
        (4, "low"),  # last low
        (5, "medium"),  # first medium
        (9, "medium"),  # last medium
        (10, "high"),  # first high
        (16, "high"),  # last high
        (17, "critical"),  # first critical
        (25, "critical"),
    ],
)
def test_default_band_boundaries(value: int, expected: str) -> None:
    assert band_for(value) == expected


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (26, "26"), (True, "True"), ("5", '"5"'), (4.5, "4.5")]
)
def test_band_for_refuses_scores_outside_1_to_25(value: Any, shown: str) -> None:
    with pytest.raises(ValidationError) as caught:
        band_for(value)
    assert coded(caught.value) == [("score", "risk.score", {"value": shown})]


def test_band_matrix_colours_each_cell_by_its_product() -> None:
    L, M, H, C = "low", "medium", "high", "critical"
    assert band_matrix() == [
        # impact: 1  2  3  4  5      products for this likelihood row
        [L, L, L, L, M],  # 1: 1 2 3 4 5
        [L, L, M, M, H],  # 2: 2 4 6 8 10
        [L, M, M, H, H],  # 3: 3 6 9 12 15
        [L, M, H, H, C],  # 4: 4 8 12 16 20
        [M, H, H, C, C],  # 5: 5 10 15 20 25
    ]


def test_default_scale_labels_and_rank() -> None:
    assert DEFAULT_SCALE.likelihood_levels == (
        "Rare",
        "Unlikely",
        "Possible",
        "Likely",
        "Almost certain",
    )
    assert DEFAULT_SCALE.impact_levels == ("Insignificant", "Minor", "Moderate", "Major", "Severe")
    assert DEFAULT_SCALE.likelihood_label(1) == "Rare"
    assert DEFAULT_SCALE.impact_label(4) == "Major"
    assert [DEFAULT_SCALE.band_rank(n) for n in ("low", "medium", "high", "critical")] == [
        0,
        1,
        2,
        3,
    ]
    with pytest.raises(ValidationError) as caught:
        DEFAULT_SCALE.band_rank("severe")
    assert coded(caught.value)[0][1:] == (
        "risk.band_unknown",
        {"value": '"severe"', "known": "low, medium, high, critical"},
    )
    with pytest.raises(ValidationError) as caught:
        DEFAULT_SCALE.impact_label(0)
    assert coded(caught.value) == [("impact", "risk.level", {"value": "0"})]


def test_custom_scale_is_used_for_bands() -> None:
    scale = RiskScale(bands=(Band("acceptable", 1, 9), Band("unacceptable", 10, 25)))
    assert band_for(9, scale) == "acceptable"
    assert band_for(10, scale) == "unacceptable"
    assert scale.band_rank("unacceptable") == 1


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        pytest.param(
            {"bands": (Band("low", 1, 4), Band("high", 6, 25))},
            [
                (
                    "bands[1].min_score",
                    "risk.scale.gap",
                    {"expected": 5, "previous": "low", "end": 4, "got": 6},
                )
            ],
            id="gap",
        ),
        pytest.param(
            {"bands": (Band("low", 1, 5), Band("high", 5, 25))},
            [
                (
                    "bands[1].min_score",
                    "risk.scale.gap",
                    {"expected": 6, "previous": "low", "end": 5, "got": 5},
                )
            ],
            id="overlap",
        ),
        pytest.param(
            {"bands": (Band("low", 2, 4), Band("high", 5, 25))},
            [("bands[0].min_score", "risk.scale.first_min", {"got": 2})],
            id="not-from-1",
        ),
        pytest.param(
            {"bands": (Band("low", 1, 4), Band("high", 5, 20))},
            [("bands[1].max_score", "risk.scale.last_max", {"got": 20})],
            id="not-to-25",
        ),
        pytest.param(
            {"bands": (Band("low", 1, 30),)},
            [("bands[0].max_score", "risk.scale.last_max", {"got": 30})],
            id="past-25",
        ),
        pytest.param(
            {"bands": (Band("high", 10, 25), Band("low", 1, 9))},
            [
                ("bands[0].min_score", "risk.scale.first_min", {"got": 10}),
                (
                    "bands[1].min_score",
                    "risk.scale.gap",
                    {"expected": 26, "previous": "high", "end": 25, "got": 1},
                ),
                ("bands[1].max_score", "risk.scale.last_max", {"got": 9}),
            ],
            id="wrong-order",
        ),
        pytest.param(
            {"bands": (Band("low", 1, 9), Band("low", 10, 25))},
            [("bands[1].name", "risk.scale.band_twice", {"name": "low"})],
            id="duplicate-name",
        ),
        pytest.param(
            {"bands": (Band("", 1, 25),)},
            [("bands[0].name", "risk.scale.band_name", {"value": '""'})],
            id="blank-name",
        ),
        pytest.param(
            {"bands": (Band("low", 1, 0), Band("high", 1, 25))},
            [("bands[0].max_score", "risk.scale.max_below_min", {"min": 1, "got": 0})],
            id="empty-band",
        ),
        pytest.param(
            {"bands": ()},
            [("bands", "risk.scale.no_band", {})],
            id="no-bands",
        ),
        pytest.param(
            {"likelihood_levels": ("Rare", "Likely")},
            [("likelihood_levels", "risk.scale.label_count", {"count": "5", "got": "2"})],
            id="two-labels",
        ),
        pytest.param(
            {"impact_levels": ("a", "b", " ", "d", "e")},
            [("impact_levels[2]", "risk.scale.label", {"value": '" "'})],
            id="blank-label",
        ),
    ],
)
def test_scale_validation(kwargs: dict[str, Any], errors: list[tuple[str, str, dict]]) -> None:
    with pytest.raises(ValidationError) as caught:
        RiskScale(**kwargs)
    assert coded(caught.value) == errors


def test_single_band_covering_everything_is_valid() -> None:
    scale = RiskScale(bands=(Band("all", 1, 25),))
    scale.validate()
    assert {band_for(s, scale) for s in range(1, 26)} == {"all"}


def test_response_strategies_and_statuses() -> None:
    assert RESPONSE_STRATEGIES == ("avoid", "mitigate", "transfer", "accept", "escalate")
    assert STATUSES == ("open", "mitigating", "closed", "occurred")


# --------------------------------------------------------------------------- transitions


TRANSITION_TABLE = [
    # old          new           allowed
    ("open", "open", True),
    ("open", "mitigating", True),
    ("open", "closed", True),
    ("open", "occurred", True),
    ("mitigating", "open", True),
    ("mitigating", "mitigating", True),
    ("mitigating", "closed", True),
    ("mitigating", "occurred", True),
    ("closed", "open", True),
    ("closed", "closed", True),
    ("closed", "mitigating", False),
    ("closed", "occurred", False),
    ("occurred", "open", True),
    ("occurred", "closed", True),
    ("occurred", "occurred", True),
    ("occurred", "mitigating", False),
]


def test_transition_table_covers_every_pair() -> None:
    assert {(o, n) for o, n, _ in TRANSITION_TABLE} == {(o, n) for o in STATUSES for n in STATUSES}
    for old, new, allowed in TRANSITION_TABLE:
        assert allowed == (old == new or new in ALLOWED_TRANSITIONS[old])


@pytest.mark.parametrize(("old", "new"), [(o, n) for o, n, ok in TRANSITION_TABLE if ok])
def test_allowed_transitions_pass(old: str, new: str) -> None:
    check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new", "code", "allowed"),
    [
        ("closed", "mitigating", "risk.transition_reopen", ("open",)),
        ("closed", "occurred", "risk.transition_reopen", ("open",)),
        ("occurred", "mitigating", "risk.transition", ("open", "closed")),
    ],
)
def test_forbidden_transitions_are_refused(
    old: str, new: str, code: str, allowed: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as caught:
        check_transition(old, new)
    assert coded(caught.value) == [("status", code, {"old": old, "new": new, "allowed": allowed})]


@pytest.mark.parametrize(
    ("old", "new", "errors"),
    [
        ("open", "done", ['"done"']),
        ("draft", "open", ['"draft"']),
        ("Open", "Closed", ['"Open"', '"Closed"']),
        ("x", "x", ['"x"']),
    ],
)
def test_unknown_status_in_transition(old: str, new: str, errors: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        check_transition(old, new)
    known = "open, mitigating, closed, occurred"
    expected = [("status", "risk.status_unknown", {"value": e, "known": known}) for e in errors]
    assert coded(caught.value) == expected


# --------------------------------------------------------------------------- snapshots


@pytest.mark.parametrize(
    ("residual", "expected_cell", "expected_score"),
    [
        ((None, None), (4, 5), 20),  # nothing reassessed: 4 × 5
        ((2, None), (2, 5), 10),  # likelihood reassessed: 2 × 5
        ((None, 3), (4, 3), 12),  # impact reassessed: 4 × 3
        ((1, 2), (1, 2), 2),  # both: 1 × 2
    ],
)
def test_residual_falls_back_to_inherent_per_side(
    residual: tuple[int | None, int | None], expected_cell: tuple[int, int], expected_score: int
) -> None:
    r = risk("R-1", 4, 5, residual)
    assert r.inherent_score == 20
    assert r.cell("inherent") == (4, 5)
    assert r.cell("residual") == expected_cell
    assert r.residual_score == expected_score
    assert r.score_of("residual") == expected_score


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"inherent_likelihood": 0}, [("risk R-1.inherent_likelihood", "risk.level", "0")]),
        ({"inherent_impact": "high"}, [("risk R-1.inherent_impact", "risk.level", '"high"')]),
        (
            {"residual_likelihood": 6, "residual_impact": True},
            [
                ("risk R-1.residual_likelihood", "risk.level", "6"),
                ("risk R-1.residual_impact", "risk.level", "True"),
            ],
        ),
        ({"status": "done"}, [("risk R-1.status", "risk.status_unknown", '"done"')]),
        # a blank key is reported under "risk": there is no key to name it by
        ({"key": " "}, [("risk.key", "risk.key_missing", '" "')]),
        ({"key": None}, [("risk.key", "risk.key_missing", "None")]),
    ],
)
def test_snapshot_checks_its_fields(
    kwargs: dict[str, Any], errors: list[tuple[str, str, str]]
) -> None:
    fields: dict[str, Any] = {
        "key": "R-1",
        "title": "t",
        "inherent_likelihood": 3,
        "inherent_impact": 3,
    }
    fields.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        RiskSnapshot(**fields)
    assert [(f, c, p["value"]) for f, c, p in coded(caught.value)] == errors


def test_snapshot_is_frozen() -> None:
    r = risk("R-1", 2, 2)
    with pytest.raises(AttributeError):
        r.status = "closed"


@pytest.mark.parametrize(
    ("status", "review", "as_of", "overdue"),
    [
        ("open", D(2024, 6, 1), D(2024, 6, 2), True),  # a day late
        ("mitigating", D(2024, 6, 1), D(2024, 6, 2), True),
        ("open", D(2024, 6, 1), D(2024, 6, 1), False),  # due today: not late yet
        ("open", D(2024, 6, 1), D(2024, 5, 31), False),
        ("open", None, D(2024, 6, 2), False),  # no review date set
        ("closed", D(2024, 6, 1), D(2024, 6, 2), False),  # closed risks are not reviewed
        ("occurred", D(2024, 6, 1), D(2024, 6, 2), False),
    ],
)
def test_overdue_review(status: str, review: dt.date | None, as_of: dt.date, overdue: bool) -> None:
    assert risk("R-1", 2, 2, status=status, review_date=review).overdue_review(as_of) is overdue


@pytest.mark.parametrize(
    ("status", "action", "overdue"),
    [
        ("open", ActionSnapshot("a", due=D(2024, 6, 9)), True),
        ("mitigating", ActionSnapshot("a", due=D(2024, 6, 9)), True),
        ("open", ActionSnapshot("a", due=D(2024, 6, 10)), False),  # due today
        ("open", ActionSnapshot("a", due=D(2024, 6, 9), done=True), False),
        ("open", ActionSnapshot("a", due=None), False),
        ("closed", ActionSnapshot("a", due=D(2024, 6, 9)), False),
        ("occurred", ActionSnapshot("a", due=D(2024, 6, 9)), False),
    ],
)
def test_overdue_actions(status: str, action: ActionSnapshot, overdue: bool) -> None:
    r = risk("R-1", 2, 2, status=status, actions=(action,))
    assert r.overdue_actions(AS_OF) == ((action,) if overdue else ())
    assert r.is_overdue(AS_OF) is overdue


def test_overdue_actions_earliest_first() -> None:
    late_b = ActionSnapshot("b", due=D(2024, 5, 1))
    late_a = ActionSnapshot("a", due=D(2024, 5, 1))
    later = ActionSnapshot("c", due=D(2024, 4, 1))
    r = risk("R-1", 2, 2, actions=(late_b, late_a, later))
    assert r.overdue_actions(AS_OF) == (later, late_a, late_b)


# --------------------------------------------------------------------------- heat map


def test_heat_map_residual_open_only() -> None:
    # open residual cells: R-1 (3,4); R-2, R-6 (2,3); R-3 (5,4); R-5 (1,2)
    assert heat_map(REGISTER, "residual") == [
        [0, 1, 0, 0, 0],
        [0, 0, 2, 0, 0],
        [0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
    ]


def test_heat_map_inherent_open_only() -> None:
    # open inherent cells: R-1 (4,5); R-2, R-6 (3,4); R-3 (5,4); R-5 (2,2)
    assert heat_map(REGISTER, "inherent") == [
        [0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0],
        [0, 0, 0, 2, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 0, 1, 0],
    ]


def test_heat_map_including_closed() -> None:
    # open ones as above plus R-10 closed at (1,5) and R-4 occurred at (3,3)
    assert heat_map(REGISTER, "residual", open_only=False) == [
        [0, 1, 0, 0, 1],
        [0, 0, 2, 0, 0],
        [0, 0, 1, 1, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
    ]


def test_heat_map_keys_per_cell() -> None:
    grid = heat_map_keys(REGISTER, "residual")
    assert grid[1][2] == ["R-2", "R-6"]
    assert grid[4][3] == ["R-3"]
    assert grid[0][4] == []  # R-10 is closed
    assert heat_map_keys(REGISTER, "residual", open_only=False)[0][4] == ["R-10"]
    counts = heat_map(REGISTER, "residual")
    assert [[len(c) for c in row] for row in grid] == counts


def test_heat_map_keys_sort_naturally() -> None:
    rs = [risk(k, 2, 2) for k in ("R-10", "R-2", "R-1")]
    assert heat_map_keys(rs, "inherent")[1][1] == ["R-1", "R-2", "R-10"]


def test_heat_map_of_empty_register() -> None:
    assert heat_map([], "residual") == [[0] * 5 for _ in range(5)]


def test_heat_map_refuses_unknown_which_and_duplicate_keys() -> None:
    with pytest.raises(ValidationError) as caught:
        heat_map(REGISTER, "current")
    assert coded(caught.value) == [("which", "risk.which", {"value": '"current"'})]
    with pytest.raises(ValidationError) as caught:
        heat_map([risk("R-1", 1, 1), risk("R-1", 2, 2)])
    assert coded(caught.value) == [("risks[1].key", "risk.key_twice", {"key": "R-1"})]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.integers(1, 5),
            st.sampled_from(STATUSES),
        ),
        max_size=30,
    )
)
def test_heat_map_total_equals_open_risks(rows: list[tuple[int, int, str]]) -> None:
    rs = [risk(f"R-{i}", lk, im, status=s) for i, (lk, im, s) in enumerate(rows)]
    grid = heat_map(rs, "inherent")
    assert sum(map(sum, grid)) == sum(1 for r in rs if r.is_open)
    assert sum(map(sum, heat_map(rs, "inherent", open_only=False))) == len(rs)


# --------------------------------------------------------------------------- top risks


@pytest.mark.parametrize(
    ("n", "which", "expected"),
    [
        # residual: R-3 20, R-1 12, R-2 6, R-6 6 (tie by key), R-5 2; not open
        (10, "residual", ["R-3", "R-1", "R-2", "R-6", "R-5"]),
        (3, "residual", ["R-3", "R-1", "R-2"]),
        (0, "residual", []),
        # inherent: R-1 20, R-3 20 (tie by key), R-2 12, R-6 12, R-5 4
        (10, "inherent", ["R-1", "R-3", "R-2", "R-6", "R-5"]),
    ],
)
def test_top_risks(n: int, which: Any, expected: list[str]) -> None:
    assert keys(top_risks(REGISTER, n=n, which=which)) == expected


def test_top_risks_ties_sort_keys_naturally() -> None:
    rs = [risk(k, 3, 3) for k in ("R-10", "R-9", "R-1")]
    assert keys(top_risks(rs)) == ["R-1", "R-9", "R-10"]


@pytest.mark.parametrize("n", [-1, True, 2.5, "3"])
def test_top_risks_refuses_bad_n(n: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        top_risks(REGISTER, n=n)
    assert [(f, c) for f, c, _p in coded(caught.value)] == [("n", "risk.count")]


# --------------------------------------------------------------------------- review diff


PREVIOUS = [  # steering review of 2024-05-01
    risk("R-1", 4, 5, (3, 4)),  # residual 12, high
    risk("R-2", 3, 4, (2, 3)),  # residual 6, medium
    risk("R-3", 5, 4, (4, 4), status="mitigating"),  # residual 16
    risk("R-4", 2, 2, status="closed"),  # 4
    risk("R-5", 3, 3),  # 9, medium
    risk("R-6", 2, 2),  # 4
    risk("R-7", 3, 3, (2, 2), status="mitigating"),  # 4; deleted since
    risk("R-9", 4, 4, status="occurred"),
]
CURRENT = [  # register on 2024-06-10
    risk(
        "R-1",
        4,
        5,
        (4, 4),  # 12 → 16: up, still high
        review_date=D(2024, 5, 20),  # overdue
        actions=(
            ActionSnapshot("Change champions", "Li", D(2024, 6, 5)),  # overdue
            ActionSnapshot("Comms plan", "Li", D(2024, 6, 1), done=True),
        ),
    ),
    risk("R-2", 3, 4, (2, 5)),  # 6 → 10: up, medium → high
    risk(  # mitigating → closed; its score change and late action are not reported
        "R-3",
        5,
        4,
        (1, 1),
        status="closed",
        actions=(ActionSnapshot("Archive", None, D(2024, 6, 1)),),
    ),
    risk("R-4", 2, 2, status="open"),  # closed → open: reopened, score unchanged
    risk("R-5", 3, 3, (2, 2), review_date=D(2024, 6, 1)),  # 9 → 4: down, medium → low
    risk("R-6", 2, 2, status="occurred"),  # open → occurred
    risk(
        "R-8",
        3,
        3,
        review_date=D(2024, 6, 1),
        actions=(ActionSnapshot("Draft KPI tree", "Li", D(2024, 6, 1)),),
    ),  # new
    risk("R-9", 4, 4, (3, 4), status="mitigating"),  # occurred → mitigating: reopened, 16 → 12
]


def test_changed_since_between_two_reviews() -> None:
    diff = changed_since(PREVIOUS, CURRENT, AS_OF)
    assert diff == ReviewDiff(
        new=("R-8",),
        removed=("R-7",),
        closed=("R-3",),
        occurred=("R-6",),
        reopened=("R-4", "R-9"),
        score_up=(("R-1", 12, 16), ("R-2", 6, 10)),
        score_down=(("R-5", 9, 4), ("R-9", 16, 12)),
        band_changes=(("R-2", "medium", "high"), ("R-5", "medium", "low")),
        # earliest due first: R-8 06-01, R-1 06-05
        overdue_actions=(
            ("R-8", "Draft KPI tree", D(2024, 6, 1)),
            ("R-1", "Change champions", D(2024, 6, 5)),
        ),
        # earliest first, then key: R-1 05-20, R-5 06-01, R-8 06-01
        overdue_reviews=(("R-1", D(2024, 5, 20)), ("R-5", D(2024, 6, 1)), ("R-8", D(2024, 6, 1))),
    )
    assert not diff.is_empty


def test_changed_since_is_order_independent() -> None:
    forward = changed_since(PREVIOUS, CURRENT, AS_OF)
    backward = changed_since(PREVIOUS[::-1], CURRENT[::-1], AS_OF)
    assert forward == backward


def test_changed_since_nothing_changed() -> None:
    diff = changed_since(PREVIOUS, PREVIOUS, AS_OF)
    assert diff == ReviewDiff()
    assert diff.is_empty


def test_changed_since_first_review_lists_everything_as_new() -> None:
    current = [risk("R-10", 2, 2), risk("R-9", 2, 2), risk("R-1", 2, 2)]
    assert changed_since([], current, AS_OF).new == ("R-1", "R-9", "R-10")


def test_changed_since_band_change_uses_the_given_scale() -> None:
    scale = RiskScale(bands=(Band("acceptable", 1, 9), Band("unacceptable", 10, 25)))
    diff = changed_since(PREVIOUS, CURRENT, AS_OF, scale)
    # R-1 12 → 16 stays unacceptable; R-2 6 → 10 crosses; R-5 9 → 4 stays acceptable;
    # R-9 16 → 12 stays unacceptable
    assert diff.band_changes == (("R-2", "acceptable", "unacceptable"),)


def test_changed_since_refuses_duplicate_keys() -> None:
    with pytest.raises(ValidationError) as caught:
        changed_since([], [risk("R-1", 1, 1), risk("R-1", 1, 1)], AS_OF)
    assert coded(caught.value) == [("current[1].key", "risk.key_twice", {"key": "R-1"})]


# --------------------------------------------------------------------------- exposure trend


TREND_INPUT = {  # deliberately out of date order
    D(2024, 3, 1): [
        risk("A", 4, 5, status="closed"),  # not counted
        risk("B", 2, 3, (1, 2), status="mitigating"),  # 2 low
    ],
    D(2024, 1, 1): [
        risk("A", 4, 5),  # 20 critical
        risk("B", 2, 2),  # 4 low
        risk("C", 5, 5, status="closed"),  # not counted
    ],
    D(2024, 2, 1): [
        risk("A", 4, 5, (3, 4)),  # 12 high
        risk("B", 2, 3),  # 6 medium
        risk("D", 3, 3),  # 9 medium
    ],
}


def test_exposure_trend_default_scale() -> None:
    assert exposure_trend(TREND_INPUT) == [
        ExposurePoint(
            D(2024, 1, 1),
            {"low": 1, "medium": 0, "high": 0, "critical": 1},
            {"low": 4, "medium": 0, "high": 0, "critical": 20},
            24,  # 4 + 20
        ),
        ExposurePoint(
            D(2024, 2, 1),
            {"low": 0, "medium": 2, "high": 1, "critical": 0},
            {"low": 0, "medium": 15, "high": 12, "critical": 0},  # medium 6 + 9
            27,  # 15 + 12
        ),
        ExposurePoint(
            D(2024, 3, 1),
            {"low": 1, "medium": 0, "high": 0, "critical": 0},
            {"low": 2, "medium": 0, "high": 0, "critical": 0},
            2,
        ),
    ]


def test_exposure_trend_bands_in_scale_order_and_count() -> None:
    points = exposure_trend(TREND_INPUT)
    assert [list(p.counts_by_band) for p in points] == [["low", "medium", "high", "critical"]] * 3
    assert [p.count for p in points] == [2, 3, 1]


def test_exposure_trend_custom_scale() -> None:
    scale = RiskScale(bands=(Band("acceptable", 1, 9), Band("unacceptable", 10, 25)))
    feb = exposure_trend(TREND_INPUT, scale)[1]
    assert feb.counts_by_band == {"acceptable": 2, "unacceptable": 1}
    assert feb.total_score_by_band == {"acceptable": 15, "unacceptable": 12}  # 6 + 9; 12


def test_exposure_trend_empty() -> None:
    assert exposure_trend({}) == []
    assert exposure_trend({D(2024, 1, 1): []}) == [
        ExposurePoint(
            D(2024, 1, 1),
            {"low": 0, "medium": 0, "high": 0, "critical": 0},
            {"low": 0, "medium": 0, "high": 0, "critical": 0},
            0,
        )
    ]


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["R-1", "R-2", "R-3", "R-10", "R-4", "R-5", "R-6"]),
        ({"status": "open"}, ["R-1", "R-3", "R-5", "R-6"]),
        ({"status": ("closed", "occurred")}, ["R-10", "R-4"]),
        ({"band": "medium"}, ["R-2", "R-10", "R-4", "R-6"]),  # residual 6, 5, 9, 6
        ({"band": "critical"}, ["R-3"]),
        ({"band": ["low", "high"]}, ["R-1", "R-5"]),
        ({"owner": "Li"}, ["R-1", "R-3"]),
        ({"owner": "Nobody"}, []),
        ({"phase": "pilot"}, ["R-1", "R-4"]),
        ({"category": "scope"}, ["R-2", "R-5"]),
        ({"overdue": True}, ["R-1", "R-6"]),
        ({"overdue": False}, ["R-2", "R-3", "R-10", "R-4", "R-5"]),
        ({"overdue": "review"}, ["R-1"]),
        ({"overdue": "action"}, ["R-1", "R-6"]),
        ({"cell": (2, 3, "residual")}, ["R-2", "R-6"]),
        ({"cell": (3, 3, "residual")}, []),  # R-4 sits there but has occurred
        ({"cell": (4, 5, "inherent")}, ["R-1"]),
        ({"owner": "Zhao", "overdue": True}, ["R-6"]),
        ({"status": "open", "band": "high"}, ["R-1"]),
        ({"status": "open", "phase": "design", "category": "people"}, ["R-6"]),
    ],
)
def test_register_filter(filters: dict[str, Any], expected: list[str]) -> None:
    assert keys(register_filter(REGISTER, as_of=AS_OF, **filters)) == expected


@pytest.mark.parametrize("which", ["inherent", "residual"])
def test_cell_filter_matches_heat_map_keys(which: Any) -> None:
    grid = heat_map_keys(REGISTER, which)
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            found = register_filter(REGISTER, cell=(likelihood, impact, which))
            assert sorted(keys(found)) == sorted(grid[likelihood - 1][impact - 1])


@pytest.mark.parametrize(
    ("filters", "errors"),
    [
        ({"status": "done"}, [("status", "risk.status_unknown")]),
        ({"band": "severe"}, [("band", "risk.band_unknown")]),
        ({"owner": []}, [("owner", "risk.filter.empty")]),
        ({"overdue": True, "as_of": None}, [("as_of", "risk.filter.as_of")]),
        ({"overdue": "soon"}, [("overdue", "risk.filter.overdue")]),
        (
            {"cell": (0, 6, "residual")},
            [("cell.likelihood", "risk.level"), ("cell.impact", "risk.level")],
        ),
        ({"cell": (1, 1, "now")}, [("cell.which", "risk.which")]),
        ({"cell": (1, 1)}, [("cell", "risk.filter.cell")]),
    ],
)
def test_register_filter_refuses_bad_filters(
    filters: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    filters.setdefault("as_of", AS_OF)
    with pytest.raises(ValidationError) as caught:
        register_filter(REGISTER, **filters)
    assert [(f, c) for f, c, _p in coded(caught.value)] == errors


# --------------------------------------------------------------------------- sorting


@pytest.mark.parametrize(
    ("column", "descending", "expected"),
    [
        ("key", False, ["R-1", "R-2", "R-3", "R-4", "R-5", "R-6", "R-10"]),
        ("key", True, ["R-10", "R-6", "R-5", "R-4", "R-3", "R-2", "R-1"]),
        # 20, 12, 9, 6 (R-2, R-6 by key), 5, 2
        ("residual_score", True, ["R-3", "R-1", "R-4", "R-2", "R-6", "R-10", "R-5"]),
        ("residual_score", False, ["R-5", "R-10", "R-2", "R-6", "R-4", "R-1", "R-3"]),
        # 20, 12, 10, 9, 4
        ("inherent_score", True, ["R-1", "R-3", "R-2", "R-6", "R-10", "R-4", "R-5"]),
        # critical, high, medium, low
        ("residual_band", True, ["R-3", "R-1", "R-2", "R-4", "R-6", "R-10", "R-5"]),
        # inherent: low R-5 (4); medium R-4 (9); high R-2, R-6 (12), R-10 (10); critical
        ("inherent_band", False, ["R-5", "R-4", "R-2", "R-6", "R-10", "R-1", "R-3"]),
        # workflow order: open, mitigating, closed, occurred
        ("status", False, ["R-1", "R-3", "R-5", "R-6", "R-2", "R-10", "R-4"]),
        # case-insensitive: customisation, executive, legacy, resistance, roi, super, unclear
        ("title", False, ["R-5", "R-10", "R-3", "R-1", "R-4", "R-6", "R-2"]),
        # Li, Wang, Zhao, then no owner last
        ("owner", False, ["R-1", "R-3", "R-2", "R-4", "R-5", "R-6", "R-10"]),
        ("owner", True, ["R-5", "R-6", "R-2", "R-4", "R-1", "R-3", "R-10"]),
        ("category", False, ["R-4", "R-3", "R-10", "R-1", "R-6", "R-2", "R-5"]),
        ("phase", False, ["R-2", "R-6", "R-3", "R-1", "R-4", "R-5", "R-10"]),
        # 01-01, 06-01, 06-10, 07-01, then no date
        ("review_date", False, ["R-10", "R-1", "R-2", "R-5", "R-3", "R-4", "R-6"]),
        ("review_date", True, ["R-5", "R-2", "R-1", "R-10", "R-3", "R-4", "R-6"]),
    ],
)
def test_sort_risks(column: str, descending: bool, expected: list[str]) -> None:
    assert keys(sort_risks(REGISTER, column, descending)) == expected


def test_sort_keys_all_tested() -> None:
    assert set(SORT_KEYS) == {
        "key",
        "title",
        "status",
        "category",
        "owner",
        "phase",
        "inherent_score",
        "residual_score",
        "inherent_band",
        "residual_band",
        "review_date",
    }


def test_sort_risks_band_rank_follows_the_scale() -> None:
    scale = RiskScale(bands=(Band("acceptable", 1, 9), Band("unacceptable", 10, 25)))
    # unacceptable: R-1 12, R-3 20; acceptable: the rest, by key
    assert keys(sort_risks(REGISTER, "residual_band", True, scale)) == [
        "R-1",
        "R-3",
        "R-2",
        "R-4",
        "R-5",
        "R-6",
        "R-10",
    ]


@pytest.mark.parametrize("column", ["colour", "", "Title", "residual_likelihood"])
def test_sort_risks_refuses_unknown_column(column: str) -> None:
    with pytest.raises(ValidationError) as caught:
        sort_risks(REGISTER, column)
    assert caught.value.errors[0][0] == "sort"
    assert f'unknown column "{column}"' in str(caught.value)


def test_sort_and_filter_do_not_change_their_input() -> None:
    before = list(REGISTER)
    sort_risks(REGISTER, "residual_score", True)
    register_filter(REGISTER, status="open")
    assert REGISTER == before


# --------------------------------------------------------------------------- threatened phases


def test_phase_filter_matches_threatened_phases_too() -> None:
    risks = [
        RiskSnapshot("R-1", "t", phase="pilot"),
        RiskSnapshot("R-2", "t", phase="design", threatened_phases=("pilot", "rollout")),
        RiskSnapshot("R-3", "t", threatened_phases=("rollout",)),
        RiskSnapshot("R-4", "t"),
    ]
    assert keys(register_filter(risks, phase="pilot")) == ["R-1", "R-2"]
    assert keys(register_filter(risks, phase=("rollout", "design"))) == ["R-2", "R-3"]
    assert risks[2].touches_phase({"rollout"}) and not risks[3].touches_phase({"rollout"})
