"""The steering pack words the domain's explanations in the reader's language."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from planner.services import pack as pack_service
from tests.conftest import FROZEN_TODAY
from tests.integration.exchange_support import demo_program

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
TODAY = FROZEN_TODAY
CJK = re.compile(r"[\u4e00-\u9fff]")
# English words the domain's explanations use (names and keys are data and may stay)
ENGLISH = re.compile(
    r"\b(?:the|is|of|target|gate|not|done|open|risks?|rated|forecast|phase|metrics?|"
    r"late|tolerance|criteria|met|pending|green|amber|red|schedule)\b"
)


@pytest.fixture()
def program(db):
    return demo_program(db, TODAY)


def _explanations(pack) -> list[str]:
    texts = [reason for phase in pack.phases for reason in phase.reasons]
    texts += [m.reason for m in pack.metrics]
    texts += [g.summary for g in pack.gates]
    texts += [c.reason for g in pack.gates for c in g.criteria]
    texts += [c.text for g in pack.gates for c in g.criteria]
    return [t for t in texts if t]


def test_the_chinese_pack_explains_in_chinese(app, program) -> None:
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        pack = pack_service.build_pack(program.id, TODAY, "zh")
    texts = _explanations(pack)
    assert len(texts) > 20, texts
    assert all(CJK.search(t) for t in texts), [t for t in texts if not CJK.search(t)]
    # what people typed stays as typed: quoted titles and recorded evidence
    data = re.compile(r"“[^”]*”|（证据：[^）]*）")
    left = [t for t in texts if ENGLISH.search(data.sub("", t))]
    assert not left, left


def test_the_english_pack_explains_in_english(app, program) -> None:
    with app.test_request_context(), force_locale("en"):
        pack = pack_service.build_pack(program.id, TODAY, "en")
    texts = _explanations(pack)
    assert not [t for t in texts if CJK.search(t)]
    assert any(re.search(r"\d+ of \d+ criteria met", g.summary) for g in pack.gates)
    schedule = [r for phase in pack.phases for r in phase.reasons if r.startswith("Schedule: ")]
    assert len(schedule) == len(pack.phases)
