"""Helpers of the reliability tests."""

from __future__ import annotations

from bench.load.htmlform import form_with


def edit_form(client, url: str, marker: str = "version") -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The fields a browser would post back from the form on ``url`` (that has ``marker``)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return dict(form_with(page.get_data(as_text=True), marker).fields)
