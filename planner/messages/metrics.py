"""Messages of adoption metrics: their definitions, readings (typed or imported), status
rules and the numeric policy (planner/domain/metrics.py, planner/domain/numbers.py,
planner/services/metrics.py)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    # the numeric policy
    "number.not_a_number": lambda r, w: gettext("expected a number, got %(value)s", **w),
    "number.not_finite": lambda r, w: gettext("expected a finite number, got %(value)s", **w),
    "number.out_of_range": lambda r, w: gettext(
        "out of range: a number from -%(limit)s to %(limit)s is expected, got %(value)s", **w
    ),
    # a metric's definition
    "metric.key_required": lambda r, w: gettext("a metric needs a key"),
    "metric.key_pattern": lambda r, w: gettext(
        "use lower-case letters, digits, '-' or '_' (up to 64), e.g. active-users"
    ),
    "metric.key_taken": lambda r, w: gettext('this program already has a metric "%(key)s"', **w),
    "metric.name_required": lambda r, w: gettext("a metric needs a name"),
    "metric.direction": lambda r, w: gettext(
        'direction must be "higher" or "lower", got "%(value)s"', **w
    ),
    "metric.direction_choose": lambda r, w: gettext(
        'choose "higher is better" or "lower is better"'
    ),
    "metric.percentage": lambda r, w: gettext(
        "a percentage must be from 0 to 100, got %(value)s", **w
    ),
    "metric.no_phase": lambda r, w: gettext("the program has no phase %(phase)s", **w),
    "metric.phase_ends_before_start": lambda r, w: gettext(
        "phase %(phase)s ends (%(end)s) before it starts (%(start)s)", **w
    ),
    "metric.amber_fraction": lambda r, w: gettext(
        "the amber tolerance is a fraction from 0 to 1 (0.10 means 10%%); got %(value)s", **w
    ),
    "metric.unit.readings_outside": lambda r, w: gettext(
        "a percentage metric keeps readings within 0–100; %(count)s are outside (%(days)s)", **w
    ),
    # its glide path
    "metric.glide.unknown": lambda r, w: gettext('unknown glide path "%(value)s"', **w),
    "metric.glide.steps": lambda r, w: gettext(
        "glide steps are (share of the phase, share of the way) pairs from 0 to 1, in time order"
    ),
    "metric.glide.step": lambda r, w: gettext(
        'unknown glide step "%(value)s": steps are share:share', **w
    ),
    "metric.glide.steps_from_playbook": lambda r, w: gettext(
        "steps come from a playbook; choose linear or s-curve"
    ),
    "metric.glide.choose": lambda r, w: gettext('choose linear or s-curve, got "%(value)s"', **w),
    # a reading
    "metric.value_required": lambda r, w: gettext("a value is required"),
    "metric.reading.outside": lambda r, w: gettext(
        "%(day)s is outside the program (%(start)s to %(end)s)", **w
    ),
    "metric.reading.day_taken": lambda r, w: gettext(
        'there is already a reading of "%(name)s" on %(day)s (edit that one instead)', **w
    ),
    # a file of readings
    "metric.import.metric_column": lambda r, w: gettext(
        'the file needs a "Metric" column (a metric key or name), or import it from the '
        "metric's own page"
    ),
    "metric.import.too_many_rows": lambda r, w: gettext(
        "at most %(max)s rows at a time, got %(count)s", **w
    ),
    "metric.import.no_rows": lambda r, w: gettext("the file has no readings below its header row"),
    "metric.import.unknown_metric": lambda r, w: gettext(
        'unknown metric "%(value)s"; expected one of %(known)s', **w
    ),
    "metric.import.other_metric": lambda r, w: gettext(
        'this file is imported into "%(into)s", but the row is for "%(name)s"', **w
    ),
    "metric.import.metric_required": lambda r, w: gettext("a metric is required"),
    "metric.import.day_twice": lambda r, w: gettext(
        'row %(row)s already has a reading of "%(name)s" on %(day)s', **w
    ),
    # the program's status rules
    "metric.settings.amber": lambda r, w: gettext("expected 0–100%%, got %(value)s%%", **w),
    "metric.settings.schedule_days": lambda r, w: gettext(
        "expected 0–365 days, got %(value)s", **w
    ),
    "metric.in_gate": lambda r, w: gettext(
        'the metric "%(key)s" is a criterion of the gate of phase %(phases)s: '
        "remove that criterion first",
        **w,
    ),
    "metric.target_twice": lambda r, w: gettext("a phase has one target"),
}
