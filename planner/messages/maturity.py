"""Messages of the maturity model's rules (planner/domain/maturity.py): an indicator, the
model (categories, levels, scale labels, interview-level weights), interviews and score maps.

Values that were wrong are passed as text (their ``repr``), numbers as plain digits."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message, Params


def _level(value: object) -> str:
    """An interview level as the assessment's pages name it."""
    labels = {
        "senior": gettext("Senior"),
        "middle": gettext("Middle"),
        "front_line": gettext("Front line"),
    }
    return labels.get(str(value), str(value))


def _map(raw: Params) -> str:
    """Which score map a problem is in, as a person calls it."""
    what = str(raw.get("what", ""))
    names = {
        "scores": gettext("Scores"),
        "current": gettext("Current scores"),
        "target": gettext("Targets"),
        "benchmark": gettext("Benchmarks"),
        "competitor": gettext("Competitor scores"),
        "before": gettext("Earlier assessment"),
        "after": gettext("Later assessment"),
    }
    return names.get(what, what)


MESSAGES: dict[str, Message] = {
    # an indicator
    "maturity.indicator.key_empty": lambda r, w: gettext("An indicator needs a key."),
    "maturity.indicator.weight_nan": lambda r, w: gettext(
        "Indicator “%(key)s”: the weight must be a number, got %(got)s.", **w
    ),
    "maturity.indicator.weight_negative": lambda r, w: gettext(
        "Indicator “%(key)s”: the weight must be 0 or more, got %(got)s.", **w
    ),
    "maturity.indicator.horizon": lambda r, w: gettext(
        "Indicator “%(key)s”: the horizon must be tactical or strategic, got %(got)s.", **w
    ),
    # the model
    "maturity.model.no_categories": lambda r, w: gettext("The maturity model has no categories."),
    "maturity.model.category_twice": lambda r, w: gettext(
        "Maturity model: the category key “%(key)s” is used twice.", **w
    ),
    "maturity.model.category_empty": lambda r, w: gettext(
        "Maturity model: the category “%(key)s” has no indicators.", **w
    ),
    "maturity.model.indicator_twice": lambda r, w: gettext(
        "Maturity model: the indicator key “%(key)s” is used twice.", **w
    ),
    "maturity.model.wrong_category": lambda r, w: gettext(
        "Maturity model: the indicator “%(key)s” says category “%(says)s” but is listed "
        "under “%(listed)s”.",
        **w,
    ),
    "maturity.model.no_levels": lambda r, w: gettext("The maturity model has no maturity levels."),
    "maturity.model.level_twice": lambda r, w: gettext(
        "Maturity model: the level “%(name)s” is listed twice.", **w
    ),
    "maturity.model.level_min_nan": lambda r, w: gettext(
        "Maturity model: the lowest score of level “%(name)s” must be a number.", **w
    ),
    "maturity.model.level_min_range": lambda r, w: gettext(
        "Maturity model: the lowest score of level “%(name)s” is %(min)s, outside 0–5.", **w
    ),
    "maturity.model.lowest_level": lambda r, w: gettext(
        "Maturity model: the lowest level “%(name)s” must start at 0, so that every score "
        "has a level.",
        **w,
    ),
    "maturity.model.levels_ascend": lambda r, w: gettext(
        "Maturity model: levels must ascend; “%(name)s” (%(min)s) does not come above "
        "“%(previous)s” (%(previous_min)s).",
        **w,
    ),
    "maturity.model.scale_labels": lambda r, w: gettext(
        "Maturity model: the scale needs a label for each score 0–5 exactly, got %(got)s.", **w
    ),
    "maturity.model.level_names": lambda r, w: gettext(
        "Maturity model: the interview-level weights must name senior, middle and front line; "
        "got %(got)s.",
        **w,
    ),
    "maturity.model.level_weight": lambda r, w: gettext(
        "Maturity model: the weight of the %(level)s level must be a number 0 or more, "
        "got %(got)s.",
        level=_level(r.get("level")),
        got=w["got"],
    ),
    "maturity.model.level_weights_zero": lambda r, w: gettext(
        "Maturity model: at least one interview level needs a weight above 0."
    ),
    "maturity.unknown_indicator": lambda r, w: gettext(
        "“%(key)s” is not an indicator of the maturity model.", **w
    ),
    # interviews
    "maturity.no_interviews": lambda r, w: gettext(
        "The assessment has no interviews: record at least one interview."
    ),
    "maturity.interview.level": lambda r, w: gettext(
        "Interview %(interview)s: the level must be senior, middle or front line, got %(got)s.",
        **w,
    ),
    "maturity.interview.score_whole": lambda r, w: gettext(
        "Interview %(interview)s, indicator “%(indicator)s”: a score is a whole number 0–5, "
        "got %(got)s.",
        **w,
    ),
    "maturity.interview.score_range": lambda r, w: gettext(
        "Interview %(interview)s, indicator “%(indicator)s”: the score %(score)s is outside 0–5.",
        **w,
    ),
    "maturity.interview.key_twice": lambda r, w: gettext(
        "The interview key “%(interview)s” is used twice.", **w
    ),
    "maturity.interview.unknown_indicator": lambda r, w: gettext(
        "Interview %(interview)s scores “%(indicator)s”, which is not an indicator of the "
        "maturity model.",
        **w,
    ),
    # score maps (current, targets, benchmarks ...)
    "maturity.scores.unknown_indicator": lambda r, w: gettext(
        "%(what)s: “%(key)s” is not an indicator of the maturity model.",
        what=_map(r),
        key=w["key"],
    ),
    "maturity.scores.not_number": lambda r, w: gettext(
        "%(what)s: the score of “%(key)s” must be a number 0–5, got %(got)s.",
        what=_map(r),
        key=w["key"],
        got=w["got"],
    ),
    "maturity.scores.range": lambda r, w: gettext(
        "%(what)s: the score of “%(key)s” is %(score)s, outside 0–5.",
        what=_map(r),
        key=w["key"],
        score=w["score"],
    ),
    "maturity.level.no_score": lambda r, w: gettext(
        "A maturity level needs a score 0–5; nothing is scored yet, or it is not a number "
        "(%(got)s).",
        **w,
    ),
    "maturity.level.score_range": lambda r, w: gettext("The score %(score)s is outside 0–5.", **w),
    "maturity.count": lambda r, w: gettext("Expected a whole number 0 or more, got %(got)s.", **w),
}
