"""Date axes follow the reader's language (planner/charts/dates.py)."""

from __future__ import annotations

from datetime import date

from planner.charts.dates import localize_date_axes
from planner.charts.metrics import trend_figure


def test_every_date_axis_gets_the_language_format_and_others_are_left_alone() -> None:
    figure = {
        "data": [{"x": ["2026-03-05"], "y": [1]}],
        "layout": {
            "xaxis": {"type": "date", "title": {"text": "Date"}},
            "xaxis2": {"type": "date"},
            "xaxis3": {"type": "category"},
            "yaxis": {"type": "linear"},
        },
    }
    zh = localize_date_axes(figure, "zh")["layout"]
    en = localize_date_axes(figure, "en")["layout"]
    assert zh["xaxis"]["tickformat"] == zh["xaxis2"]["tickformat"] == "%-m月%-d日\n%Y年"
    assert en["xaxis"]["tickformat"] == "%b %-d\n%Y"
    assert zh["xaxis"]["title"] == {"text": "Date"}  # the rest of the axis is kept
    assert "tickformat" not in zh["xaxis3"] and "tickformat" not in zh["yaxis"]
    assert "tickformat" not in figure["layout"]["xaxis"]  # the figure given is not changed


def test_the_metric_trend_draws_a_date_axis() -> None:
    from planner.charts.metrics import PhaseBand, Reading

    trend = trend_figure(
        readings=[Reading(date(2026, 3, 9), 30.0)],
        target_steps=[(date(2026, 3, 2), 60.0)],
        phases=[PhaseBand(1, "Phase 1", date(2026, 3, 2), date(2026, 6, 9))],
        unit="%",
    )
    axis = localize_date_axes(trend, "zh")["layout"]["xaxis"]
    assert axis["type"] == "date" and axis["hoverformat"] == "%Y年%-m月%-d日"


def test_days_written_on_charts_use_the_given_words() -> None:
    from planner.charts.metrics import TimelinePhase, timeline_figure

    def chinese(day: date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    phases = [TimelinePhase("P1", date(2026, 1, 5), date(2026, 4, 14), "green", "pass", "ok")]
    figure = timeline_figure(phases, today=date(2026, 2, 2), day_text=chinese)
    assert figure["data"][0]["text"] == ["2026年1月5日 → 2026年4月14日"]
    assert "2026年2月2日" in figure["layout"]["annotations"][0]["text"]
    iso = timeline_figure(phases, today=date(2026, 2, 2))
    assert iso["data"][0]["text"] == ["2026-01-05 → 2026-04-14"]
