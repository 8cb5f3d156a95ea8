"""The suite's worker groups reach pytest-xdist (tests/conftest.py): a test of a group that
must run alone on one worker carries the group in its node id when run with
``--dist loadgroup``. (pytest 9.2 silently dropped it: pytest-dev/pytest-xdist#1386.)"""

from __future__ import annotations

import os

import pytest


def test_this_test_runs_in_the_services_group(request: pytest.FixtureRequest) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") or not request.config.getvalue("loadgroup"):
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@services"), request.node.nodeid
