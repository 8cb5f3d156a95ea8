"""The generated usage log draws what ``randrange``, ``randint`` and ``choice`` would draw, so
the demo's log (and its checksum, which the import records) stays the one it always was."""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Sequence
from datetime import date

import pytest

from planner.demodata.adoption import COMPANY_A, NORTHWIND
from planner.demodata.usage_log import TeamProfile, below, write_usage_log


@pytest.mark.parametrize("seed", [0, 1, 24, 2026])
def test_below_draws_as_randrange_randint_and_choice_do(seed: int) -> None:
    ours, theirs = random.Random(seed), random.Random(seed)
    draw = below(ours)
    for n in (1, 2, 3, 4, 5, 7, 8, 11, 16, 60, 1000):
        for _ in range(200):
            assert draw(n) == theirs.randrange(n)
        assert 8 + draw(n) == theirs.randrange(8, 8 + n)
        assert 2 + draw(n) == theirs.randint(2, 1 + n)
        assert "abcdefghijk"[draw(11)] == theirs.choice("abcdefghijk")
    # and the generator shares the state: a sample after the draws is the same sample
    assert ours.sample(range(100), 10) == theirs.sample(range(100), 10)


def _digest(
    teams: Sequence[tuple[str, str, str, str, TeamProfile]],
    first: date,
    weeks: int,
    seed: int,
    max_rows: int | None = None,
    events_per_module: tuple[int, int] = (1, 4),
) -> tuple[int, str]:
    text = io.StringIO()
    profiles = [t[4] for t in teams]
    rows = write_usage_log(
        text,
        profiles,
        first,
        weeks,
        seed=seed,
        max_rows=max_rows,
        events_per_module=events_per_module,
    )
    return rows, hashlib.sha256(text.getvalue().encode()).hexdigest()


def test_the_log_is_the_one_written_before_the_draws_were_inlined() -> None:
    # digests of the logs as the randrange/randint/choice version of the generator wrote them
    assert _digest(NORTHWIND, date(2026, 10, 12), 8, seed=1) == (
        9735,
        "6ccdfc179b44bde6b60badf47bb8e1580975d84c35e36db2f16d60f1583c27f0",
    )
    assert _digest(
        COMPANY_A, date(2026, 11, 23), 2, seed=2, max_rows=100, events_per_module=(2, 5)
    ) == (100, "025c2f41a022b53eaa0dbb0ee9b9cf8baceda12c9189a3c2ac1ac1895afa37bb")
