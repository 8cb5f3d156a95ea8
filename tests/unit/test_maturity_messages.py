"""The maturity model's refusals are worded once, in English and in Chinese."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from planner.domain.errors import Problem, ValidationError
from planner.domain.maturity import Category, Indicator, Interview, MaturityLevel, MaturityModel
from planner.explain_text import word_problem
from planner.messages import catalogue

CJK = re.compile(r"[\u4e00-\u9fff]")


def _refusal(build) -> ValidationError:  # type: ignore[no-untyped-def]  # a lambda under test
    with pytest.raises(ValidationError) as caught:
        build()
    return caught.value


def test_every_maturity_code_has_chinese_words(app) -> None:
    codes = [code for code in catalogue() if code.startswith("maturity.")]
    assert len(codes) >= 30
    params = {
        "key": "cs1",
        "got": "'x'",
        "says": "a",
        "listed": "b",
        "name": "A",
        "min": "6",
        "previous": "B",
        "previous_min": "3",
        "level": "senior",
        "interview": "S1",
        "indicator": "cs1",
        "score": "7",
        "what": "target",
    }

    with app.app_context():
        for code in codes:
            with force_locale("en"):
                english = word_problem(Problem("", code, params))
            with force_locale("zh_Hans_CN"):
                chinese = word_problem(Problem("", code, params))
            assert english != code and CJK.search(english) is None, code
            assert CJK.search(chinese), (code, chinese)


def test_a_refused_model_reads_in_the_readers_language(app) -> None:
    error = _refusal(
        lambda: MaturityModel(
            (Category("cs", "Strategy", (Indicator("cs1", "cs", "Plan"),)),),
            levels=(MaturityLevel("A", 1),),
        )
    )
    with app.app_context():
        with force_locale("en"):
            assert error.errors == [
                (
                    "levels[0].min_score",
                    "Maturity model: the lowest level “A” must start at 0, so that every "
                    "score has a level.",
                )
            ]
        with force_locale("zh_Hans_CN"):
            ((field, words),) = error.errors
            assert field == "levels[0].min_score"
            assert words == "成熟度模型：最低等级“A”必须从 0 开始，以便每个得分都有对应的等级。"


def test_a_bad_interview_score_in_chinese(app) -> None:
    error = _refusal(lambda: Interview("S9", "senior", {"cs1": 6}))
    with app.app_context(), force_locale("zh_Hans_CN"):
        assert str(error) == "访谈 S9，指标“cs1”：得分 6 超出 0–5 的范围。"
