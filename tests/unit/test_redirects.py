"""safe_next's check: only a path on this site survives, as the browser will read it."""

from __future__ import annotations

import pytest

from planner.web.redirects import local_path

REFUSED = [
    "//evil.example/",
    "/\t/evil.example/",  # browsers drop the tab: //evil.example/
    "/\r/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "\t//evil.example/",
    "/\x00/evil.example/",
    "/\u200b/evil.example/",  # zero-width space
    "/\u2028/evil.example/",  # line separator
    "/\\evil.example/",
    "\\\\evil.example/",
    "/x\\..\\..\\evil",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "evil.example/x",
    "",
    None,
    "/" + "a" * 2001,
]

ACCEPTED = [
    ("/", "/"),
    ("/programs/1", "/programs/1"),
    ("/programs/1/plan?phase=2&view=table", "/programs/1/plan?phase=2&view=table"),
    ("/programs/1/risks#risk-R-1", "/programs/1/risks#risk-R-1"),
    ("/a/b/c", "/a/b/c"),
    ("/\t", "/"),  # only the control character goes
    ("/programs/1\n", "/programs/1"),
    ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # a path on this site
]


@pytest.mark.parametrize("target", REFUSED)
def test_anything_but_a_local_path_is_refused(target: str | None) -> None:
    assert local_path(target) is None


@pytest.mark.parametrize(("target", "expected"), ACCEPTED)
def test_local_paths_are_kept_without_control_characters(target: str, expected: str) -> None:
    assert local_path(target) == expected
