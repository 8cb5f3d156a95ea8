"""Every CSV download names its media type and charset once."""

from __future__ import annotations

import pytest

from tests.integration.exchange_support import make_program


@pytest.mark.parametrize(
    "path",
    ["exchange/plan.csv", "risks/export.csv", "metrics/readings.csv"],
)
def test_a_csv_download_says_its_charset_once(client, db, path) -> None:
    program = make_program(db)
    response = client.get(f"/programs/{program.id}/{path}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
