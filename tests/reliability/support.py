"""Helpers of the reliability tests."""

from __future__ import annotations

from bench.load.htmlform import form_with


def edit_form(client, url: str, marker: str = "version") -> dict[str, str]:
    """The fields a browser would post back from the form on ``url`` (that has ``marker``)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return dict(form_with(page.get_data(as_text=True), marker).fields)


def machine_faults_allowed() -> None:
    """Skip a test that restarts this machine's PostgreSQL or mounts a file system, unless
    CI runs it (CI=true) or the developer asked for it (PLANNER_FAULTS=1); in CI, the root
    rights it needs are checked, and missing ones fail the run instead of skipping."""
    import os

    import pytest

    if os.environ.get("CI") != "true" and os.environ.get("PLANNER_FAULTS") != "1":
        pytest.skip(
            "restarts the machine's PostgreSQL / mounts a tmpfs: set PLANNER_FAULTS=1 to run "
            "(CI=true runs it)"
        )
    assert os.geteuid() == 0, "the machine fault tests need root (CI runs as root)"
