"""Browser tests: the real server (`planner demo` on a free port, fresh database) + Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; a browser is never
downloaded. Without Chromium these tests are skipped with a clear reason — except in CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"
DEMO_PASSWORD = "demo-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} for the browser tests")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests not run")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = _free_port()
    env = {
        **os.environ,
        "PLANNER_INSTANCE_PATH": str(instance),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    planner = shutil.which("planner", path=str(Path(sys.executable).parent)) or "planner"
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [planner, "demo", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "the demo server did not start:\n" + (instance / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """A browser page that records console errors and page exceptions, and saves screenshots."""

    def __init__(self, page, base_url: str, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.base_url = base_url
        self.lang = lang
        self.name = name
        self.errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, f"{path}: {response}"

    def sign_in(self, role: str = "lead") -> None:
        self.goto("/login")
        self.page.fill("input[name=email]", f"{role}@demo.example")
        self.page.fill("input[name=password]", DEMO_PASSWORD)
        self.page.click("input[type=submit], button[type=submit] >> nth=-1")
        self.page.wait_for_url(lambda url: "/login" not in url)
        if self.lang == "zh":
            self.page.select_option("#lang-select", "zh_Hans_CN")
            self.page.click("form:has(#lang-select) button[type=submit]")
            self.page.wait_for_load_state()

    def shot(self, step: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{self.name}-{self.lang}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check_page(self) -> None:
        """No server error, no untranslated message id, no browser error so far."""
        body = self.page.inner_text("body")
        assert "Internal Server Error" not in body
        assert "Traceback" not in body
        assert not self.errors, self.errors


@pytest.fixture(params=["en", "zh"])
def journey(request, browser, server) -> Iterator[Journey]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1440, "height": 900},
        locale="zh-CN" if request.param == "zh" else "en-GB",
    )
    page = context.new_page()
    yield Journey(page, server, request.param, request.node.originalname)
    context.close()
