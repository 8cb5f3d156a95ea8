"""Fixtures shared by the integration tests (the app, database and clients are in
tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.integration.api_support import install_api


@pytest.fixture()
def api(app, monkeypatch) -> None:
    """The API and token blueprints registered with their policy entries, as the lead will.
    API tests take it for every test: ``pytestmark = pytest.mark.usefixtures("api")``."""
    install_api(app, monkeypatch)
