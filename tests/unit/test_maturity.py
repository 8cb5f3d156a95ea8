"""Maturity assessment maths (CMM-E): hand-computed examples, bad inputs, properties."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.errors import ValidationError
from planner.domain.maturity import (
    DEFAULT_LEVELS,
    DEFAULT_SCALE_LABELS,
    ActionProposal,
    Category,
    CategoryMovement,
    Indicator,
    Interview,
    MaturityLevel,
    MaturityModel,
    Movement,
    aggregate_current,
    category_scores,
    compare,
    compare_categories,
    coverage,
    gaps,
    level_means,
    maturity_level,
    overall_score,
    propose_actions,
    strongest_weakest,
)


def coded(error: ValidationError) -> list[tuple[str, str, dict[str, Any]]]:
    """An error's problems as (field, code, parameters): what the domain says, not its words."""
    return [(p.field, p.code, dict(p.params)) for p in error.problems]


def codes(error: ValidationError) -> list[str]:
    return [p.code for p in error.problems]


# --------------------------------------------------------------------------- fixtures

# Two categories, six indicators. Effective weights (weight x 2 when critical):
#   cs1 1, cs2 2, cs3 1x2 = 2, cd1 1, cd2 0.5, cd3 1.
CS = Category(
    "cs",
    "Customer strategy",
    (
        Indicator("cs1", "cs", "Overall customer-management plan"),
        Indicator(
            "cs2",
            "cs",
            "Customer needs strategy",
            weight=2.0,
            suggested_action="Publish the customer-needs strategy",
        ),
        # critical, and the playbook's weight says so (2); the engine does not double it
        Indicator("cs3", "cs", "Cascading the strategy", weight=2.0, critical=True),
    ),
)
CD = Category(
    "cd",
    "Customer data",
    (
        Indicator("cd1", "cd", "Customer data model", horizon="tactical"),
        Indicator("cd2", "cd", "Data-quality checks", weight=0.5),
        Indicator("cd3", "cd", "Unified customer view"),
    ),
)
LEVEL_WEIGHTS = {"senior": 2.0, "middle": 1.0, "front_line": 1.0}


def small_model(**overrides: Any) -> MaturityModel:
    """The two-category model above; senior interviews count double unless overridden."""
    kwargs: dict[str, Any] = {"categories": (CS, CD), "level_weights": LEVEL_WEIGHTS}
    kwargs.update(overrides)
    return MaturityModel(**kwargs)


INTERVIEWS = [
    Interview("S1", "senior", {"cs1": 4, "cs2": 3, "cs3": 2, "cd1": None}),
    Interview("S2", "senior", {"cs1": 2, "cs2": 3, "cs3": None, "cd1": 1}),
    Interview("M1", "middle", {"cs1": 3, "cs2": 1, "cd1": 3}),
    Interview("F1", "front_line", {"cs1": 1, "cs2": 2, "cs3": 5, "cd2": 4}),
    Interview("F2", "front_line", {"cs1": 2, "cs2": None, "cd2": 2}),
]


def one_indicator_model(**overrides: Any) -> MaturityModel:
    """One category, one indicator 'a'."""
    kwargs: dict[str, Any] = {"categories": (Category("c", "C", (Indicator("a", "c", "A"),)),)}
    kwargs.update(overrides)
    return MaturityModel(**kwargs)


# --------------------------------------------------------------------------- aggregation


def test_level_means_by_hand() -> None:
    means = level_means(small_model(), INTERVIEWS)
    # cs1: senior (4+2)/2 = 3; middle 3; front line (1+2)/2 = 1.5
    assert means["cs1"] == {"senior": 3.0, "middle": 3.0, "front_line": 1.5}
    # cs3: senior 2 (S2 left it empty); nobody in middle; front line 5
    assert means["cs3"] == {"senior": 2.0, "middle": None, "front_line": 5.0}
    # cd3: nobody scored it
    assert means["cd3"] == {"senior": None, "middle": None, "front_line": None}


def test_aggregate_current_with_levels_weighted() -> None:
    current = aggregate_current(small_model(), INTERVIEWS)
    assert current == pytest.approx(
        {
            # (2*3 + 1*3 + 1*1.5) / (2+1+1) = 10.5 / 4
            "cs1": 2.625,
            # senior (3+3)/2 = 3, middle 1, front 2 (F2 None): (2*3 + 1 + 2) / 4 = 9 / 4
            "cs2": 2.25,
            # only senior 2 and front 5 scored: (2*2 + 1*5) / (2+1) = 9 / 3
            "cs3": 3.0,
            # senior 1 (S1 None), middle 3: (2*1 + 1*3) / (2+1) = 5 / 3
            "cd1": 5 / 3,
            # front line only: (4+2)/2 = 3
            "cd2": 3.0,
        }
        | {"cd3": None}
    )
    assert current["cd3"] is None


def test_aggregate_current_with_equal_level_weights() -> None:
    current = aggregate_current(MaturityModel((CS, CD)), INTERVIEWS)
    # default weights 1/1/1: cs1 (3 + 3 + 1.5) / 3 = 2.5; cs3 (2 + 5) / 2 = 3.5
    assert current["cs1"] == pytest.approx(2.5)
    assert current["cs3"] == pytest.approx(3.5)
    # cd1 (1 + 3) / 2 = 2
    assert current["cd1"] == pytest.approx(2.0)


def test_aggregate_current_zero_weight_level_does_not_count() -> None:
    model = small_model(level_weights={"senior": 0.0, "middle": 1.0, "front_line": 1.0})
    current = aggregate_current(model, INTERVIEWS)
    # cs1: seniors ignored, (3 + 1.5) / 2 = 2.25
    assert current["cs1"] == pytest.approx(2.25)
    # cs3: only the senior (weight 0) and front line 5 scored -> 5
    assert current["cs3"] == pytest.approx(5.0)
    # an indicator only seniors scored is missing, not 0
    only_senior = aggregate_current(model, [Interview("S1", "senior", {"cs1": 4})])
    assert only_senior["cs1"] is None


def test_missing_scores_stay_none_not_zero() -> None:
    current = aggregate_current(small_model(), [Interview("S1", "senior", {"cs1": 0})])
    assert current["cs1"] == 0.0  # a real 0 stays 0
    assert [k for k, v in current.items() if v is None] == ["cs2", "cs3", "cd1", "cd2", "cd3"]
    # category "cd" has nothing scored: missing, not 0
    assert category_scores(small_model(), current) == {"cs": 0.0, "cd": None}
    assert coverage(small_model(), current) == pytest.approx(1 / 6)


def test_no_interviews_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        aggregate_current(small_model(), [])
    assert coded(caught.value) == [("interviews", "maturity.no_interviews", {})]


# --------------------------------------------------------------------------- scores and levels


def test_category_and_overall_scores_by_hand() -> None:
    model = small_model()
    current = aggregate_current(model, INTERVIEWS)
    cats = category_scores(model, current)
    # cs: (1*2.625 + 2*2.25 + 2*3) / (1+2+2) = 13.125 / 5 = 2.625  (cs3 critical, weight 2)
    assert cats["cs"] == pytest.approx(2.625)
    # cd: (1*5/3 + 0.5*3) / (1+0.5) = (10/6 + 9/6) / 1.5 = 19/9; cd3 not scored, not counted
    assert cats["cd"] == pytest.approx(19 / 9)
    # overall: (13.125 + 19/6) / (5 + 1.5) = (315/24 + 76/24) / 6.5 = 391/156 = 2.50641...
    overall = overall_score(model, current)
    assert overall == pytest.approx(391 / 156)
    assert maturity_level(model, overall or 0.0).name == "Defined"
    assert coverage(model, current) == pytest.approx(5 / 6)


def test_critical_indicator_is_weighted_once() -> None:
    # a critical: 4 (weight 1, not doubled), b: 1 (weight 1): (1*4 + 1*1) / 2 = 2.5
    model = MaturityModel(
        (Category("c", "C", (Indicator("a", "c", "A", critical=True), Indicator("b", "c", "B"))),)
    )
    assert category_scores(model, {"a": 4, "b": 1})["c"] == pytest.approx(2.5)
    assert Indicator("x", "c", "X", weight=1.5, critical=True).effective_weight == 1.5


def test_all_scored_indicators_weightless_gives_missing_category() -> None:
    model = MaturityModel(
        (Category("c", "C", (Indicator("a", "c", "A", weight=0), Indicator("b", "c", "B"))),)
    )
    assert category_scores(model, {"a": 3})["c"] is None
    assert overall_score(model, {"a": 3}) is None
    # weight 0 counts for nothing once a weighted indicator is scored: (0*3 + 1*1) / 1 = 1
    assert category_scores(model, {"a": 3, "b": 1})["c"] == pytest.approx(1.0)


def test_overall_is_weighted_over_indicators_not_categories() -> None:
    model = MaturityModel(
        (
            Category("c", "C", (Indicator("a", "c", "A"), Indicator("b", "c", "B"))),
            Category("d", "D", (Indicator("x", "d", "X"),)),
        )
    )
    scores = {"a": 4, "b": 4, "x": 1}
    # categories 4 and 1 (mean 2.5), but indicators (4 + 4 + 1) / 3 = 3
    assert overall_score(model, scores) == pytest.approx(3.0)


def test_full_cmm_e_shape_equal_weights() -> None:
    # 8 categories x 8 indicators; indicator j of category i scores (i + j) % 6
    categories = tuple(
        Category(
            f"c{i}", f"Category {i}", tuple(Indicator(f"c{i}i{j}", f"c{i}", "n") for j in range(8))
        )
        for i in range(8)
    )
    model = MaturityModel(categories)
    scores = {f"c{i}i{j}": float((i + j) % 6) for i in range(8) for j in range(8)}
    assert len(model.indicators) == 64
    cats = category_scores(model, scores)
    # category 0: 0+1+2+3+4+5+0+1 = 16 -> 16/8 = 2
    assert cats["c0"] == pytest.approx(2.0)
    # equal weights, full coverage: overall = mean of the category means
    assert overall_score(model, scores) == pytest.approx(
        sum(v for v in cats.values() if v is not None) / 8
    )
    assert coverage(model, scores) == 1.0


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, "Initial"),
        (1.49, "Initial"),
        (1.5, "Repeatable"),
        (2.49, "Repeatable"),
        (2.5, "Defined"),
        (2.5 - 1e-12, "Defined"),  # float noise below a threshold still reaches it
        (3.4999, "Defined"),
        (3.5, "Managed"),
        (4.49, "Managed"),
        (4.5, "Optimising"),
        (5.0, "Optimising"),
        (5, "Optimising"),
    ],
)
def test_maturity_level_at_thresholds(score: float, level: str) -> None:
    assert maturity_level(small_model(), score).name == level


def test_default_levels_and_scale_labels() -> None:
    assert [(lv.name, lv.min_score) for lv in DEFAULT_LEVELS] == [
        ("Initial", 0.0),
        ("Repeatable", 1.5),
        ("Defined", 2.5),
        ("Managed", 3.5),
        ("Optimising", 4.5),
    ]
    assert dict(DEFAULT_SCALE_LABELS) == {
        0: "none",
        1: "planned",
        2: "rarely",
        3: "partly",
        4: "basically",
        5: "fully",
    }
    assert dict(small_model().scale_labels) == dict(DEFAULT_SCALE_LABELS)


def test_playbook_levels() -> None:
    model = small_model(levels=(MaturityLevel("Low", 0), MaturityLevel("High", 3)))
    assert maturity_level(model, 2.99).name == "Low"
    assert maturity_level(model, 3).name == "High"


@pytest.mark.parametrize("score", [-0.1, 5.01, math.nan, math.inf, None, "3"])
def test_maturity_level_refuses_bad_score(score: Any) -> None:
    with pytest.raises(ValidationError):
        maturity_level(small_model(), score)


# --------------------------------------------------------------------------- bad inputs


WHERE = {"interview": "S9", "indicator": "cs1"}


@pytest.mark.parametrize(
    ("score", "code", "value"),
    [
        (6, "maturity.interview.score_range", {"score": "6"}),
        (-1, "maturity.interview.score_range", {"score": "-1"}),
        ("3", "maturity.interview.score_whole", {"got": "'3'"}),
        (2.5, "maturity.interview.score_whole", {"got": "2.5"}),
        (True, "maturity.interview.score_whole", {"got": "True"}),
    ],
)
def test_interview_refuses_bad_score(score: Any, code: str, value: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as caught:
        Interview("S9", "senior", {"cs1": score})
    assert coded(caught.value) == [("scores.cs1", code, WHERE | value)]


def test_interview_lists_every_bad_score() -> None:
    with pytest.raises(ValidationError) as caught:
        Interview("S9", "senior", {"cs1": 6, "cs2": 3, "cd1": -1})
    assert [p.field for p in caught.value.problems] == ["scores.cs1", "scores.cd1"]
    assert [path for path, _ in caught.value.errors] == ["scores.cs1", "scores.cd1"]


def test_interview_refuses_unknown_level() -> None:
    with pytest.raises(ValidationError) as caught:
        Interview("X", "ceo", {})
    assert coded(caught.value) == [
        ("level", "maturity.interview.level", {"interview": "X", "got": "'ceo'"})
    ]


def test_interview_scores_for_unknown_indicator_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        aggregate_current(small_model(), [Interview("S1", "senior", {"zz1": 3})])
    assert coded(caught.value) == [
        (
            "S1.scores.zz1",
            "maturity.interview.unknown_indicator",
            {"interview": "S1", "indicator": "zz1"},
        )
    ]


def test_duplicate_interview_keys_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        aggregate_current(small_model(), [INTERVIEWS[0], INTERVIEWS[0]])
    assert coded(caught.value) == [("S1", "maturity.interview.key_twice", {"interview": "S1"})]


@pytest.mark.parametrize(
    ("weight", "code", "got"),
    [
        (-0.5, "maturity.indicator.weight_negative", "-0.5"),
        ("1", "maturity.indicator.weight_nan", "'1'"),
        (math.nan, "maturity.indicator.weight_nan", "nan"),
    ],
)
def test_indicator_refuses_bad_weight(weight: Any, code: str, got: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Indicator("cs9", "cs", "Something", weight=weight)
    assert coded(caught.value) == [("weight", code, {"key": "cs9", "got": got})]


def test_indicator_weight_zero_is_allowed() -> None:
    assert Indicator("cs9", "cs", "Something", weight=0).effective_weight == 0.0


def test_indicator_refuses_unknown_horizon() -> None:
    with pytest.raises(ValidationError) as caught:
        Indicator("cs9", "cs", "Something", horizon="someday")  # type: ignore[arg-type]  # a bad value on purpose
    assert codes(caught.value) == ["maturity.indicator.horizon"]


ASCEND = "maturity.model.levels_ascend"


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        (
            {"levels": (MaturityLevel("A", 0), MaturityLevel("B", 3), MaturityLevel("C", 2))},
            (
                "levels[2].min_score",
                ASCEND,
                {"name": "C", "min": "2", "previous": "B", "previous_min": "3"},
            ),
        ),
        (
            {"levels": (MaturityLevel("A", 0), MaturityLevel("B", 2), MaturityLevel("C", 2))},
            (
                "levels[2].min_score",
                ASCEND,
                {"name": "C", "min": "2", "previous": "B", "previous_min": "2"},
            ),
        ),
        (
            {"levels": (MaturityLevel("A", 1),)},
            ("levels[0].min_score", "maturity.model.lowest_level", {"name": "A"}),
        ),
        (
            {"levels": (MaturityLevel("A", 0), MaturityLevel("B", 6))},
            ("levels[1].min_score", "maturity.model.level_min_range", {"name": "B", "min": "6"}),
        ),
        ({"levels": ()}, ("levels", "maturity.model.no_levels", {})),
        (
            {"levels": (MaturityLevel("A", 0), MaturityLevel("A", 2))},
            ("levels", "maturity.model.level_twice", {"name": "A"}),
        ),
        ({"categories": ()}, ("categories", "maturity.model.no_categories", {})),
        (
            {"categories": (CS, CS)},
            ("categories[1].key", "maturity.model.category_twice", {"key": "cs"}),
        ),
        (
            {"categories": (Category("e", "Empty", ()),)},
            ("categories[0].indicators", "maturity.model.category_empty", {"key": "e"}),
        ),
        (
            {"categories": (CS, Category("cd", "D", (Indicator("cs1", "cd", "Again"),)))},
            ("categories[1].indicators[0].key", "maturity.model.indicator_twice", {"key": "cs1"}),
        ),
        (
            {"categories": (Category("cd", "D", (Indicator("x1", "cs", "X"),)),)},
            (
                "categories[0].indicators[0].category",
                "maturity.model.wrong_category",
                {"key": "x1", "says": "cs", "listed": "cd"},
            ),
        ),
        (
            {"scale_labels": {0: "none", 1: "planned"}},
            ("scale_labels", "maturity.model.scale_labels", {"got": "0, 1"}),
        ),
        (
            {"level_weights": {"senior": -1, "middle": 1, "front_line": 1}},
            (
                "level_weights.senior",
                "maturity.model.level_weight",
                {"level": "senior", "got": "-1"},
            ),
        ),
        (
            {"level_weights": {"senior": 1, "middle": 1}},
            ("level_weights", "maturity.model.level_names", {"got": "middle, senior"}),
        ),
        (
            {"level_weights": {"senior": 0, "middle": 0, "front_line": 0}},
            ("level_weights", "maturity.model.level_weights_zero", {}),
        ),
    ],
)
def test_model_refuses_bad_definition(
    overrides: dict[str, Any], problem: tuple[str, str, dict[str, Any]]
) -> None:
    with pytest.raises(ValidationError) as caught:
        small_model(**overrides)
    assert problem in coded(caught.value), coded(caught.value)


@pytest.mark.parametrize(
    ("scores", "problem"),
    [
        ({"cs1": 5.5}, ("scores.cs1", "maturity.scores.range", {"key": "cs1", "score": "5.5"})),
        ({"cs1": -0.5}, ("scores.cs1", "maturity.scores.range", {"key": "cs1", "score": "-0.5"})),
        ({"cs1": "3"}, ("scores.cs1", "maturity.scores.not_number", {"key": "cs1", "got": "'3'"})),
        (
            {"cs1": math.nan},
            ("scores.cs1", "maturity.scores.not_number", {"key": "cs1", "got": "nan"}),
        ),
        ({"zz": 3}, ("scores.zz", "maturity.scores.unknown_indicator", {"key": "zz"})),
    ],
)
def test_score_maps_are_checked(
    scores: dict[str, Any], problem: tuple[str, str, dict[str, Any]]
) -> None:
    with pytest.raises(ValidationError) as caught:
        category_scores(small_model(), scores)
    field, code, params = problem
    assert coded(caught.value) == [(field, code, {"what": "scores"} | params)]
    with pytest.raises(ValidationError):
        overall_score(small_model(), scores)
    with pytest.raises(ValidationError):
        coverage(small_model(), scores)


def test_gap_inputs_name_the_line() -> None:
    with pytest.raises(ValidationError) as caught:
        gaps(small_model(), {"cs1": 1}, {"cs1": 4}, {"cs1": 7})
    assert coded(caught.value) == [
        (
            "benchmark.cs1",
            "maturity.scores.range",
            {"what": "benchmark", "key": "cs1", "score": "7"},
        )
    ]


def test_unknown_indicator_lookup() -> None:
    assert small_model().has_indicator("cs1")
    assert not small_model().has_indicator("zz")
    with pytest.raises(ValidationError) as caught:
        small_model().indicator("zz")
    assert coded(caught.value) == [("zz", "maturity.unknown_indicator", {"key": "zz"})]


# --------------------------------------------------------------------------- gaps

CURRENT = {"cs1": 1, "cs2": 3, "cs3": 2, "cd1": 2, "cd2": 4, "cd3": None}
TARGET = {"cs1": 4, "cs2": 4, "cs3": 4, "cd1": 4, "cd2": 3.5, "cd3": 4}
BENCHMARK = {"cs1": 3, "cs2": 3, "cs3": 3.5, "cd1": 2, "cd2": 3, "cd3": 3}


def test_gap_ranking_by_hand() -> None:
    ranked = gaps(small_model(), CURRENT, TARGET, BENCHMARK)
    # gap to target x effective weight:
    #   cs3 (4-2) x 2 = 4; cs1 (4-1) x 1 = 3; cd1 (4-2) x 1 = 2; cs2 (4-3) x 2 = 2;
    #   cd2 (3.5-4) x 0.5 = -0.25; cd3 has no current score -> last, missing.
    # cd1 and cs2 tie at 2: by key, "cd1" < "cs2".
    assert [(g.indicator, g.weighted_gap) for g in ranked] == [
        ("cs3", 4.0),
        ("cs1", 3.0),
        ("cd1", 2.0),
        ("cs2", 2.0),
        ("cd2", -0.25),
        ("cd3", None),
    ]
    by_key = {g.indicator: g for g in ranked}
    assert by_key["cs3"].gap_to_target == 2.0
    assert by_key["cs3"].gap_to_benchmark == 1.5  # 3.5 - 2
    assert by_key["cd1"].gap_to_benchmark == 0.0  # 2 - 2
    assert by_key["cd2"].gap_to_benchmark == -1.0  # ahead of the industry: 3 - 4
    assert by_key["cd2"].category == "cd"
    missing = by_key["cd3"]
    assert missing.missing and missing.current is None
    assert missing.gap_to_target is None and missing.gap_to_benchmark is None
    assert missing.target == 4.0 and missing.benchmark == 3.0
    assert not any(g.missing for g in ranked[:-1])


def test_gaps_without_target_come_after_ranked_before_missing() -> None:
    ranked = gaps(
        small_model(),
        {"cs1": 1, "cs2": 3, "cd1": 2},
        {"cs1": 2},  # only cs1 has a target
        {},
    )
    # cs1 ranked (weighted gap 1); cd1, cs2 scored but no target (by key); then missing by key
    assert [g.indicator for g in ranked] == ["cs1", "cd1", "cs2", "cd2", "cd3", "cs3"]
    assert [g.missing for g in ranked] == [False, False, False, True, True, True]
    assert ranked[1].weighted_gap is None and ranked[1].gap_to_benchmark is None


def test_gap_to_competitor() -> None:
    ranked = gaps(small_model(), CURRENT, TARGET, BENCHMARK, competitor={"cs1": 2.5})
    cs1 = next(g for g in ranked if g.indicator == "cs1")
    assert cs1.competitor == 2.5 and cs1.gap_to_competitor == 1.5  # 2.5 - 1
    cs2 = next(g for g in ranked if g.indicator == "cs2")
    assert cs2.competitor is None and cs2.gap_to_competitor is None


# --------------------------------------------------------------------------- proposals


def test_proposals_by_hand() -> None:
    proposals = propose_actions(small_model(), gaps(small_model(), CURRENT, TARGET, BENCHMARK))
    # positive weighted gaps: cs3 4, cs1 3, cd1 2, cs2 2 -> n = 4
    # priority = 1 + floor(3 r / 4), r = proposals with a strictly larger weighted gap:
    #   cs3 r=0 -> 1; cs1 r=1 -> 1; cd1 r=2 -> 1 + 6//4 = 2; cs2 r=2 (tie) -> 2
    assert [(p.indicator, p.title, p.horizon, p.priority) for p in proposals] == [
        # critical -> strategic (its gap is 2 as well)
        ("cs3", "Raise Cascading the strategy from 2 to 4", "strategic", 1),
        # gap 3 >= 2 -> strategic
        ("cs1", "Raise Overall customer-management plan from 1 to 4", "strategic", 1),
        # gap 2 would be strategic, but the indicator says tactical
        ("cd1", "Raise Customer data model from 2 to 4", "tactical", 2),
        # the playbook's suggested action; gap 1, not critical -> tactical
        ("cs2", "Publish the customer-needs strategy", "tactical", 2),
    ]
    assert proposals[0] == ActionProposal(
        indicator="cs3",
        title="Raise Cascading the strategy from 2 to 4",
        horizon="strategic",
        priority=1,
        category="cs",
        current=2.0,
        target=4.0,
        weighted_gap=4.0,
    )


@pytest.mark.parametrize(
    ("current", "target", "horizon"),
    [
        (2.0, 4.0, "strategic"),  # gap exactly 2 -> strategic
        (2.1, 4.0, "tactical"),  # gap 1.9 -> tactical
        (0.0, 5.0, "strategic"),
        (3.0, 4.0, "tactical"),
    ],
)
def test_horizon_rule_for_plain_indicator(current: float, target: float, horizon: str) -> None:
    model = small_model()  # cs1: weight 1, not critical, no horizon of its own
    ranked = gaps(model, {"cs1": current}, {"cs1": target}, {})
    assert propose_actions(model, ranked)[0].horizon == horizon


def test_proposals_respect_limit_and_recompute_priority() -> None:
    ranked = gaps(small_model(), CURRENT, TARGET, BENCHMARK)
    # n = 2: cs3 r=0 -> 1; cs1 r=1 -> 1 + 3//2 = 2
    assert [(p.indicator, p.priority) for p in propose_actions(small_model(), ranked, 2)] == [
        ("cs3", 1),
        ("cs1", 2),
    ]
    assert propose_actions(small_model(), ranked, limit=0) == []


@pytest.mark.parametrize(
    ("weighted", "priorities"),
    [
        # n = 6, r = 0..5: 1 + (3r)//6 -> 1 1 2 2 3 3
        ([6, 5, 4, 3, 2, 1], [1, 1, 2, 2, 3, 3]),
        # n = 3: 1 2 3
        ([3, 2, 1], [1, 2, 3]),
        # n = 1: 1
        ([1], [1]),
        # ties share the better priority: r = 0, 0, 2 -> 1, 1, 1 + 6//3 = 3
        ([2, 2, 1], [1, 1, 3]),
    ],
)
def test_priority_terciles(weighted: list[int], priorities: list[int]) -> None:
    indicators = tuple(Indicator(f"i{k}", "c", f"I{k}", weight=w) for k, w in enumerate(weighted))
    model = MaturityModel((Category("c", "C", indicators),))
    # every gap is 1 point (3 -> 4), so weighted gap = weight
    keys = [i.key for i in model.indicators]
    ranked = gaps(model, dict.fromkeys(keys, 3), dict.fromkeys(keys, 4), {})
    assert [p.priority for p in propose_actions(model, ranked)] == priorities


def test_proposal_title_rounds_fractional_scores() -> None:
    model = small_model()
    ranked = gaps(model, {"cs1": 5 / 3}, {"cs1": 4.25}, {})
    # 5/3 -> "1.7"; 4.25 -> "4.2" (one decimal, round half to even)
    assert propose_actions(model, ranked)[0].title == (
        "Raise Overall customer-management plan from 1.7 to 4.2"
    )


def test_no_positive_gap_no_proposal() -> None:
    model = small_model()
    ranked = gaps(model, {"cs1": 4, "cd2": 2}, {"cs1": 4, "cd2": 1}, {})
    assert propose_actions(model, ranked) == []


def test_proposal_refuses_bad_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        propose_actions(small_model(), [], limit=-1)
    assert coded(caught.value) == [("limit", "maturity.count", {"got": "-1"})]


# --------------------------------------------------------------------------- comparison

BEFORE = {"cs1": 1, "cs2": 3, "cs3": None, "cd1": 2, "cd2": 4, "cd3": None}
AFTER = {"cs1": 2.5, "cs2": 3, "cs3": 3, "cd1": 1.5, "cd2": 4}


def test_compare_indicators_by_hand() -> None:
    assert compare(small_model(), BEFORE, AFTER) == [
        Movement("cs1", 1.0, 2.5, 1.5),  # 2.5 - 1
        Movement("cs2", 3.0, 3.0, 0.0),
        Movement("cs3", None, 3.0, None),  # newly scored: no delta, not "+3"
        Movement("cd1", 2.0, 1.5, -0.5),
        Movement("cd2", 4.0, 4.0, 0.0),
        Movement("cd3", None, None, None),
    ]


def test_compare_categories_by_hand() -> None:
    movements = compare_categories(small_model(), BEFORE, AFTER)
    assert [m.category for m in movements] == ["cs", "cd"]
    cs, cd = movements
    # cs before: (1*1 + 2*3) / 3 = 7/3; after: (1*2.5 + 2*3 + 2*3) / 5 = 14.5/5 = 2.9
    assert cs.before == pytest.approx(7 / 3)
    assert cs.after == pytest.approx(2.9)
    assert cs.delta == pytest.approx(2.9 - 7 / 3)
    # cd before: (1*2 + 0.5*4) / 1.5 = 8/3; after: (1*1.5 + 0.5*4) / 1.5 = 7/3
    assert cd.delta == pytest.approx(-1 / 3)
    assert compare_categories(small_model(), {}, AFTER)[0] == CategoryMovement(
        "cs", None, 2.9, None
    )


def test_compare_names_the_bad_side() -> None:
    with pytest.raises(ValidationError) as caught:
        compare(small_model(), BEFORE, {"cs1": 9})
    assert coded(caught.value) == [
        ("after.cs1", "maturity.scores.range", {"what": "after", "key": "cs1", "score": "9"})
    ]
    with pytest.raises(ValidationError) as caught:
        compare_categories(small_model(), {"cs1": -2}, AFTER)
    assert [(p.field, p.params["what"]) for p in caught.value.problems] == [
        ("before.cs1", "before")
    ]


# --------------------------------------------------------------------------- strongest/weakest


def test_strongest_weakest_by_hand() -> None:
    result = strongest_weakest(small_model(), CURRENT, n=2)
    # scored: cs1 1, cs2 3, cs3 2, cd1 2, cd2 4 (cd3 missing, never listed)
    assert [(r.indicator, r.score) for r in result.strongest] == [("cd2", 4.0), ("cs2", 3.0)]
    # lowest: cs1 1, then the tie at 2 by key: cd1 before cs3
    assert [(r.indicator, r.score) for r in result.weakest] == [("cs1", 1.0), ("cd1", 2.0)]
    assert result.weakest[1].name == "Customer data model"
    assert result.weakest[1].category == "cd"


def test_strongest_weakest_with_few_scores_overlap_and_n_bounds() -> None:
    result = strongest_weakest(small_model(), {"cs1": 3, "cs2": 1}, n=5)
    assert [r.indicator for r in result.strongest] == ["cs1", "cs2"]
    assert [r.indicator for r in result.weakest] == ["cs2", "cs1"]
    assert strongest_weakest(small_model(), CURRENT, n=0).strongest == ()
    with pytest.raises(ValidationError) as caught:
        strongest_weakest(small_model(), CURRENT, n=-1)
    assert coded(caught.value) == [("n", "maturity.count", {"got": "-1"})]


# --------------------------------------------------------------------------- properties

KEYS = ["cs1", "cs2", "cs3", "cd1", "cd2", "cd3"]
score_or_none = st.one_of(st.none(), st.integers(0, 5))
interviews_strategy = st.lists(
    st.tuples(
        st.sampled_from(["senior", "middle", "front_line"]),
        st.fixed_dictionaries({}, optional=dict.fromkeys(KEYS, score_or_none)),
    ),
    min_size=1,
    max_size=8,
)
real_scores = st.fixed_dictionaries(
    {}, optional=dict.fromkeys(KEYS, st.one_of(st.none(), st.floats(0, 5)))
)


@settings(max_examples=200, deadline=None)
@given(interviews_strategy)
def test_property_current_within_range_of_given_scores(rows: list[Any]) -> None:
    interviews = [Interview(f"i{n}", level, scores) for n, (level, scores) in enumerate(rows)]
    current = aggregate_current(small_model(), interviews)
    for key in KEYS:
        given_scores = [s for iv in interviews if (s := iv.scores.get(key)) is not None]
        if not given_scores:
            assert current[key] is None
        else:
            value = current[key]
            assert value is not None
            assert min(given_scores) - 1e-9 <= value <= max(given_scores) + 1e-9


@settings(max_examples=200, deadline=None)
@given(real_scores, real_scores)
def test_property_scores_gaps_and_proposals(
    current: dict[str, Any], target: dict[str, Any]
) -> None:
    model = small_model()
    for category, value in category_scores(model, current).items():
        members = [current.get(i.key) for i in model.indicators if i.category == category]
        scored = [v for v in members if v is not None]
        assert (value is None) == (not scored)
        if value is not None:
            assert min(scored) - 1e-9 <= value <= max(scored) + 1e-9
    ranked = gaps(model, current, target, {})
    assert len(ranked) == 6
    weighted = [g.weighted_gap for g in ranked if g.weighted_gap is not None]
    assert weighted == sorted(weighted, reverse=True)
    flags = [g.missing for g in ranked]
    assert flags == sorted(flags)  # missing ones last
    proposals = propose_actions(model, ranked, limit=3)
    assert len(proposals) <= 3
    assert [p.priority for p in proposals] == sorted(p.priority for p in proposals)
    assert all(1 <= p.priority <= 3 for p in proposals)
