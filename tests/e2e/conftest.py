"""Browser tests: the real server (`planner demo` on a free port, fresh database) + Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; a browser is never
downloaded. Without Chromium these tests are skipped with a clear reason — except in CI
(CI=true), where a missing browser is a failure.

One server and one browser serve the whole session; each journey gets its own browser context
(cookies, language) and records what went wrong on the way: server errors (any response
>= 500), console errors, JavaScript exceptions, interface text in the wrong language and
violations of the accessibility basics (axe-core). `journey.check_page()` fails on any of them.
Screenshots and a summary of the findings land in test-output/e2e/.

PLANNER_E2E_URL=http://127.0.0.1:PORT runs the journeys against a server you started
yourself (a fresh `planner demo`: the journeys change its data) instead of starting one.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import axe, language

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "e2e"
DEMO_PASSWORD = "demo-password"
SHOT_MAX_HEIGHT = 2700
ROLES = ("lead", "member", "steering", "viewer", "admin")
LOCALES = {"en": "en", "zh": "zh_Hans_CN"}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
LOCALE_HEADER = {"en": "en-GB", "zh": "zh-CN"}  # what the browser asks for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (tests/conftest.py)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group(_browser_group(item)))
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs Chromium at {CHROMIUM} for the browser tests")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests not run")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


def _browser_group(item: pytest.Item) -> str:
    """The worker group of a browser test: its module, and the language of a module-wide
    tour. Each worker has a server and a browser of its own; a module's tests stay on one
    worker, so its module-scoped fixtures (a whole tour of the site, per language) are
    made once, and the two languages' tours run side by side."""
    group = f"browser-{Path(str(item.fspath)).stem}"
    callspec = getattr(item, "callspec", None)
    tour_lang = callspec.params.get("tour") if callspec is not None else None
    return f"{group}-{tour_lang}" if tour_lang else group


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("PLANNER_E2E_URL"):
        yield os.environ["PLANNER_E2E_URL"].rstrip("/")
        return
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = _free_port()
    env = {
        **os.environ,
        "PLANNER_INSTANCE_PATH": str(instance),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    planner = shutil.which("planner", path=str(Path(sys.executable).parent)) or "planner"
    log_path = instance / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [planner, "demo", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                log.flush()
                if "Ignoring a call to 'app.run()'" in log_path.read_text():
                    raise RuntimeError(
                        "`planner demo` loaded the demo but did not serve it: Flask ignores"
                        " app.run() under its own CLI (FLASK_RUN_FROM_CLI=true); planner/cli.py"
                        " must serve another way (e.g. werkzeug.serving.run_simple):\n"
                        + log_path.read_text()
                    ) from None
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"`planner demo --port {port}` did not serve:\n" + log_path.read_text()
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
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


@pytest.fixture(scope="session")
def known_data() -> language.DataStrings:
    """Data the language check never flags: demo accounts, playbook text with one language."""
    data = language.DataStrings()
    data.add(*(f"Demo {role}" for role in (*ROLES, "consultant")))
    english_only, chinese_only = language.playbook_strings(ROOT / "playbooks")
    data.add(*english_only, *chinese_only)
    demo = [ROOT / "planner" / "demo.py", *sorted((ROOT / "planner" / "demodata").glob("*.py"))]
    catalogue = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    data.add(*language.demo_strings(demo, language.interface_messages(catalogue)))
    return data


class Session:
    """What the journeys of one run share: browser contexts, sign-ins, checks already made."""

    def __init__(self, browser, base_url: str, data: language.DataStrings) -> None:
        self.browser = browser
        self.base_url = base_url
        self.data = data
        self.report: list[str] = []  # every finding, for test-output/e2e/findings.txt
        self.cookies: dict[str, list[Any]] = {}  # role -> the cookies of a signed-in session
        self.a11y: dict[tuple[str, str], list[axe.Violation]] = {}  # (page kind, lang) -> found
        self._contexts: dict[str, Any] = {}

    def context(self, lang: str):
        """One browser context per language for the whole run: plotly.js is fetched and
        compiled once, not once per journey. Each journey starts with no cookies."""
        if lang not in self._contexts:
            self._contexts[lang] = self.browser.new_context(
                viewport={"width": 1440, "height": 900},
                locale=LOCALE_HEADER[lang],
                accept_downloads=True,
            )
        return self._contexts[lang]

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        text = "\n".join(self.report) + "\n" if self.report else "no findings\n"
        # one file per worker (each has its own server and browser)
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        name = f"findings-{worker}.txt" if worker else "findings.txt"
        (OUTPUT / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def e2e(browser, server, known_data) -> Iterator[Session]:
    session = Session(browser, server, known_data)
    yield session
    session.close()


class Journey:
    """A browser page that records what went wrong on the way, and saves screenshots."""

    def __init__(self, session: Session, lang: str, name: str) -> None:
        self.session = session
        self.base_url = session.base_url
        self.lang = lang
        self.name = name.removeprefix("test_")
        self.data = session.data
        self.report = session.report
        self.errors: list[str] = []
        self.language_findings: list[language.Finding] = []
        self.a11y: list[axe.Violation] = []
        self._scanned: set[tuple[str, str]] = set()
        # pages that answered a form with 4xx on purpose (a refused edit is shown, not an error)
        self._refused_pages: set[str] = set()
        self.page = self._new_page()

    def _new_page(self):
        context = self.session.context(self.lang)
        context.clear_cookies()
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error on {self.where()}: {exc}"))
        page.on("response", self._on_response)
        return page

    def close(self) -> None:
        self.page.close()

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.errors.append(f"server error {response.status}: {response.url}")
        elif response.status >= 400 and response.request.is_navigation_request():
            self._refused_pages.add(response.url)

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        source = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and source in self._refused_pages:
            return  # Chromium logs the page's own 4xx status: the page shows the refusal
        self.errors.append(f"console {msg.type} on {self.where()}: {msg.text} ({source})")

    # ------------------------------------------------------------------ moving around

    def t(self, en: str, zh: str) -> str:
        """The text a user of this journey's language types or reads."""
        return zh if self.lang == "zh" else en

    def where(self) -> str:
        url = self.page.url
        return url[len(self.base_url) :] if url.startswith(self.base_url) else url

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None, path
        assert response.status < 500, f"{path}: HTTP {response.status}"
        assert response.status < 400, f"{path}: HTTP {response.status} — {self.page.title()}"

    def sign_in(self, role: str = "lead", *, with_form: bool = False) -> None:
        """Sign in as a demo account: with the form the first time in a run, then by reusing
        that session's cookies (the login form allows 10 attempts a minute)."""
        cookies = self.session.cookies.get(role)
        signed_out = False
        if cookies and not with_form:
            self.page.context.add_cookies(cookies)
            self.goto("/")
            # a sign-out of the account (another journey's) ends every one of its sessions,
            # these cookies too: then sign in with the form again
            signed_out = "/login" in self.page.url
        if not cookies or with_form or signed_out:
            self.goto("/login")
            self.page.fill("input[name=email]", f"{role}@demo.example")
            self.page.fill("input[name=password]", DEMO_PASSWORD)
            self.page.click("input[type=submit], button[type=submit] >> nth=-1")
            self.page.wait_for_url(lambda url: "/login" not in url)
            self.session.cookies[role] = self.page.context.cookies()
        self.use_language(self.lang)
        self._remember_programs()
        account = self.page.locator("nav a.link-light").first
        if account.count():
            self.data.add(account.inner_text())

    def use_language(self, lang: str) -> None:
        """Choose ``lang`` with the selector in the header, unless the page is in it already
        (on a narrow screen the header's menu is opened first)."""
        if self.page.get_attribute("html", "lang") == HTML_LANG[lang]:
            return
        toggler = self.page.locator(".planner-nav .navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
        self.page.select_option("#lang-select", LOCALES[lang])
        with self.page.expect_navigation():
            self.page.click("form:has(#lang-select) button[type=submit]")
        assert self.page.get_attribute("html", "lang") == HTML_LANG[lang]

    def _remember_programs(self) -> None:
        # program names and clients are user data: the language check leaves them alone
        if self.where() != "/":
            self.goto("/")
        rows = self.page.eval_on_selector_all(
            "main table tbody tr .program-cell",
            "cells => cells.map((c) => [...c.querySelectorAll('a, .text-muted')]"
            ".map((e) => e.innerText))",
        )
        for cells in rows:
            self.data.add(*cells)

    def open_program(self, name: str = "Northwind Industrial") -> int:
        """Open a program from the programs list; return its id."""
        self.goto("/")
        self.page.locator("main table a", has_text=name).first.click()
        self.page.wait_for_url(re.compile(r"/programs/\d+$"))
        return int(self.page.url.rstrip("/").rsplit("/", 1)[1])

    def fill(self, target, value: str) -> None:
        """Type user data into a field; from then on the language check treats it as data."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.fill(value)
        self.data.add(value, *value.splitlines())

    def create_program(self, name: str, client: str, start: str, playbook: str) -> int:
        """Create a program from a playbook with the form; return its id."""
        self.goto("/programs/new")
        self.page.fill("input[name=name]", name)
        self.page.fill("input[name=client]", client)
        self.page.fill("input[name=start_date]", start)
        self.page.select_option("select[name=playbook]", playbook)
        with self.page.expect_navigation():
            self.page.click("input[type=submit][name=submit], button[type=submit][name=submit]")
        self.page.wait_for_selector(".stage-card")
        self.data.add(name, client)  # user data from now on
        return int(self.page.url.rstrip("/").rsplit("/", 1)[1])

    def submit(self, form, button: str = "button[type=submit], input[type=submit]") -> None:
        """Press a form's submit button and wait for the page that answers."""
        with self.page.expect_navigation():
            form.locator(button).first.click()
        assert "Internal Server Error" not in self.page.title()

    def wait_for_charts(self) -> None:
        """Wait until every plotly chart and the Gantt on the page have drawn."""
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('[data-figure], [data-gantt]')]
                  .every((el) => el.querySelector('.main-svg'))
                  && [...document.querySelectorAll('#gx')]
                      .every((el) => el.hasAttribute('data-ready'))""",
            timeout=15000,
        )

    def download(self, link) -> Path:
        """Click a download link; return where the file was saved."""
        with self.page.expect_download() as info:
            link.click()
        download = info.value
        assert download.failure() is None, download.failure()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        target = OUTPUT / f"{self.name}-{self.lang}-{download.suggested_filename}"
        download.save_as(target)
        return target

    def restart(self) -> None:
        """A new browser session (no cookies), as when the user comes back another day."""
        self.page.close()
        self.page = self._new_page()

    # ------------------------------------------------------------------ checks

    def shot(self, step: str) -> Path:
        """Save a screenshot of the page and check its language and accessibility."""
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{self.name}-{self.lang}-{step}.png"
        # the whole page, up to a few screens: long tables cost time and show nothing more
        height = self.page.evaluate("() => document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": 1440, "height": min(int(height), SHOT_MAX_HEIGHT)}
        self.page.screenshot(path=str(path), full_page=True, clip=clip)
        self.scan()
        return path

    def scan(self) -> None:
        """Check the page as it stands: interface language, accessibility basics."""
        where = self.where()
        texts = language.collect(self.page)
        # judged in the language the page says it is in (the journey may have switched)
        shown = "zh" if (self.page.get_attribute("html", "lang") or "").startswith("zh") else "en"
        for finding in language.judge(where, shown, texts, self.data):
            if finding not in self.language_findings:
                self.language_findings.append(finding)
                self.report.append(f"[{self.name}/{self.lang}] language: {finding}")
        # one accessibility check per kind of page and language in a run: the same template
        # with other data does not need another (the findings still count for this journey)
        kind = re.sub(r"\d+", "N", where.split("?")[0].split("#")[0])
        if (kind, shown) in self._scanned:
            return
        self._scanned.add((kind, shown))
        cached = self.session.a11y.get((kind, shown))
        if cached is None:
            cached = self.session.a11y[(kind, shown)] = axe.check(self.page, where)
            for violation in cached:
                self.report.append(f"[{self.name}/{shown}] a11y: {violation}")
        self.a11y.extend(cached)

    def check_page(self) -> None:
        """No server error, no browser error, no wrong-language text, no accessibility problem."""
        body = self.page.inner_text("body")
        assert "Internal Server Error" not in body
        assert "Traceback" not in body
        self.scan()
        problems = [*self.errors]
        problems += [str(f) for f in self.language_findings]
        problems += [f"accessibility: {v}" for v in self.a11y]
        assert not problems, "\n".join(problems)


@pytest.fixture(params=["en", "zh"])
def journey(request, e2e) -> Iterator[Journey]:
    journey = Journey(e2e, request.param, request.node.originalname)
    yield journey
    journey.close()
