"""Fewer bytes: compressed pages and assets, versioned asset URLs with long lifetimes,
and the partial plotly bundle on the Gantt page."""

from __future__ import annotations

import gzip
import re

import brotli

from planner.services.generate import generate_program


def test_pages_are_compressed_for_browsers_that_accept_it(client, db) -> None:
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    squeezed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == squeezed.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert squeezed.headers["Content-Encoding"] == "br"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    assert brotli.decompress(squeezed.data) == plain.data
    assert gzip.decompress(zipped.data) == plain.data
    assert len(squeezed.data) < len(plain.data) / 2


def test_static_urls_carry_a_version_and_live_a_year(client, db) -> None:
    html = client.get("/login").get_data(as_text=True)
    found = re.search(r'href="(/static/css/planner\.css\?v=([0-9a-f]{12}))"', html)
    assert found, "the stylesheet URL is versioned"
    versioned = client.get(found.group(1), headers={"Accept-Encoding": "gzip"})
    assert versioned.status_code == 200
    assert "immutable" in versioned.headers["Cache-Control"]
    assert "max-age=31536000" in versioned.headers["Cache-Control"]
    assert versioned.headers["Content-Encoding"] == "gzip"
    bare = client.get("/static/css/planner.css")
    assert "immutable" not in bare.headers["Cache-Control"]
    assert gzip.decompress(versioned.data) == bare.data
    # asked again with the validator: nothing is sent
    again = client.get(
        found.group(1),
        headers={"Accept-Encoding": "gzip", "If-None-Match": versioned.headers["ETag"]},
    )
    assert again.status_code == 304 and not again.data
    # another version of the file is another URL (an old one is not served as immutable)
    stale = client.get("/static/css/planner.css?v=000000000000")
    assert "immutable" not in stale.headers["Cache-Control"]


def test_no_path_escapes_the_static_folder(client, db) -> None:
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/%2e%2e/pyproject.toml").status_code == 404


def test_bootstrap_is_versioned_and_compressed_too(client, db) -> None:
    html = client.get("/login").get_data(as_text=True)
    found = re.search(r'href="(/bootstrap/static/[^"]+\.css\?v=[0-9a-f]{12})"', html)
    assert found, "Bootstrap's stylesheet URL is versioned"
    response = client.get(found.group(1), headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.data) < 60_000  # bootstrap.min.css is ~230 KB


def test_gantt_first_visit_is_under_600_kb(client, db) -> None:
    from datetime import date, timedelta

    program = generate_program(2000, start_date=date.today() - timedelta(days=150))
    db.session.commit()
    accept = {"Accept-Encoding": "gzip, deflate, br"}
    page = client.get(f"/programs/{program.id}/plan/gantt", headers=accept)
    assert page.status_code == 200
    html = brotli.decompress(page.data).decode()
    assert "js/gantt.js" in html and "plotly" not in html  # the Gantt draws itself
    total = len(page.data)
    found = re.search(r'data-src="([^"]+)"', html)
    assert found
    urls = [found.group(1)]
    urls += re.findall(r'(?:src|href)="(/(?:static|bootstrap|vendor)/[^"]+)"', html)
    for url in urls:  # the page, its assets and the chart's data
        asset = client.get(url.replace("&amp;", "&"), headers=accept)
        assert asset.status_code == 200, url
        total += len(asset.data)
    assert total <= 600_000, total
