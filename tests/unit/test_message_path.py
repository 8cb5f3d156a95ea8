"""The message path: coded problems worded once, in the reader's language, when read."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from planner.domain.errors import Problem, ValidationError
from planner.messages import catalogue


def test_catalogue_builds_without_a_code_worded_twice() -> None:
    assert "field.required" in catalogue()


def test_problem_is_worded_in_the_language_read(app) -> None:
    error = ValidationError(problems=[Problem("name", "field.too_long", {"max": 200})])
    with app.app_context():
        with force_locale("en"):
            assert error.errors == [("name", "At most 200 characters.")]
        with force_locale("zh_Hans_CN"):
            ((field, words),) = error.errors
            assert field == "name" and "200" in words and "characters" not in words


def test_of_builds_a_single_problem() -> None:
    error = ValidationError.of("due", "field.not_a_date")
    assert error.problems == (Problem("due", "field.not_a_date"),)
    assert isinstance(error, ValidationError)


def test_problem_needs_a_code() -> None:
    with pytest.raises(ValueError):
        Problem("x", " ")


def test_an_unknown_holiday_set_is_a_coded_problem_worded_in_both_languages(app) -> None:
    from planner.models import Program
    from planner.services.holiday_sets import apply_holiday_set

    with pytest.raises(ValidationError) as caught:
        apply_holiday_set(Program(), "mars")
    assert caught.value.problems == (Problem("holiday_set", "holiday_set.unknown"),)
    with app.app_context():
        with force_locale("en"):
            assert caught.value.errors == [
                ("holiday_set", "Choose one of the holiday sets offered.")
            ]
        with force_locale("zh_Hans_CN"):
            assert caught.value.errors == [("holiday_set", "请选择所提供的节假日方案之一。")]


def test_a_playbook_loader_code_is_worded_as_the_library_words_a_file(app) -> None:
    # the path of a new version written from lessons or saved from a program
    error = ValidationError.of("phases[0].key", "playbook.issue", issue="unknown_task", key="x")
    with app.app_context():
        with force_locale("en"):
            assert error.errors == [("phases[0].key", "unknown task key “x”")]
        with force_locale("zh_Hans_CN"):
            ((_field, words),) = error.errors
    assert "x" in words and "unknown" not in words


def test_a_stale_edit_says_who_changed_it_in_the_readers_language(app) -> None:
    from datetime import datetime

    from planner.services.concurrency import LastChange, StaleEditError

    error = StaleEditError("work item", LastChange("alice", datetime(2026, 3, 2, 9, 30)), 3)
    assert [p.code for p in error.problems] == ["row.changed_by"]
    with app.app_context():
        with force_locale("en"):
            assert str(error) == (
                "This was changed by alice at 2026-03-02 09:30 UTC since you opened it: "
                "read it again."
            )
        with force_locale("zh_Hans_CN"):
            chinese = str(error)
    assert "alice" in chinese and "2026-03-02 09:30" in chinese and "changed" not in chinese
    assert [p.code for p in StaleEditError("scenario", None, 1).problems] == ["row.stale"]
