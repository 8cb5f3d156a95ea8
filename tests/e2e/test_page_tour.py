"""A tour of every page a user can open with GET, in English and in Chinese (issue 9).

The pages come from the app's url_map, not from a hand-written list, so a page added later is
toured too: every GET rule is either visited or named in ``SKIP`` with the reason. The tour
fills a rule's arguments from the demo data it meets on the way: it starts at the programs
list, follows the links of each page it opens (staying in the demo program "Northwind
Industrial") and opens the first link it finds to each route it has not seen yet (one URL per
route: the same template with other data shows nothing new). Routes without arguments are
opened directly; a route that the tour cannot reach fails ``test_page`` for it, by name.

The demo lead opens the program's pages, the demo administrator the pages only administrators
may open, the consultant the ones for consultants (the requirement comes from
planner/web/policy.py). A guest with a share link opens what a share link grants.

Each page must answer 200 and show no server error, no console or page error, no interface
text in the other language (tests/e2e/language.py) and no violation of the accessibility rules
the journeys check (tests/e2e/axe.py). The steering review is checked as printed too (the
handout). One screenshot per page and language lands in test-output/e2e/
(page_tour-<lang>-<page>.png), with page_tour-<lang>.txt: each page's URL, status, time and
findings.

The tour runs once per language (one browser context, module-scoped fixture); each page is
then a test of its own, ``test_page[<lang>-<page>]``, so a problem names its page and a page
with a known problem the lead is fixing can carry a strict xfail (``KNOWN``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter, RoutingException

from tests.e2e.conftest import OUTPUT, Journey, Session

PROGRAM = "Northwind Industrial"  # the demo program with the most data (two assessments, …)

# GET rules the tour does not open, each with its reason. Any other GET rule it cannot reach
# fails. (The JSON API, prefix ``api.``, is skipped as a whole except its documentation page.)
SKIP: dict[str, str] = {
    # assets, not pages
    "static": "stylesheets, scripts and images",
    "bootstrap.static": "Bootstrap's own assets",
    "plotly_js": "the plotly.js bundle",
    # machine-readable answers: JSON and files, not pages a reader reads
    "ops.healthz": "JSON health check for load balancers",
    "plan.item_key_suggestion": "JSON: the key the add-item form proposes for a name",
    "gantt.data": "JSON: the Gantt's columnar data (drawn by the Gantt page, toured there)",
    "exchange.feed": "iCalendar (.ics) file for calendar apps",
    "exchange.export_mspdi": "download: MS Project XML",
    "exchange.export_csv": "download: plan as CSV",
    "exchange.export_xlsx": "download: plan as Excel",
    "exchange.pack_pptx": "download: steering pack as PowerPoint",
    "exchange.pack_pdf": "download: steering pack as PDF (tests/e2e/test_export_journeys.py)",
    "exchange.save_playbook": "download: the program as playbook YAML",
    "library.source": "the playbook's YAML source as text/plain",
    "risks.export_csv": "download: risk register as CSV",
    "risks.export_xlsx": "download: risk register as Excel",
    "metrics.export_readings": "download: metric readings as CSV",
    "assessment.export": "download: assessment as Excel",
    "discussion.attachment_get": "download: an attachment (test_notify_comments.py)",
    "discussion.mentionable": "JSON: the members @mention completion offers",
    "notify.open_one": "a redirect to what the notification is about (marks it read)",
    "notify.token_preferences": "from a digest e-mail's signed link (test_notify_digest.py)",
    "notify.unsubscribe": "from a digest e-mail's signed link (test_notify_digest.py)",
    "raid.export_xlsx": "download: RAID log as Excel",
    "schedule_risk.export": "download: the schedule risk analysis as Excel (test_schedule_risk.py)",
    "money.export_xlsx": "download: people, effort, costs and benefits as Excel",
}
API_PREFIX = "api."
API_PAGES = frozenset({"api.docs"})  # the API's only HTML page

# the same route again with a query that changes what the page draws: page id -> query
VARIANTS: dict[str, tuple[str, str]] = {
    "plan.gantt?arrows=all": ("plan.gantt", "arrows=all"),
    "plan.gantt?summary=1": ("plan.gantt", "summary=1"),
}
# pages that are not a route of their own
EXTRA_PAGES = (
    "risks.review@print",  # the steering review as printed: the handout
    "members.share_links@created",  # the answer to a new share link (shows it once)
    "guest:risks.reviews",  # a guest with a share link (share.open lands on the dashboard)
    "guest:risks.review",
)

# (page id, language) -> (the problem, a pattern its findings match), for a page with a known
# problem in a file this task may not change. A strict expected failure: the page must still
# show findings of that kind (once fixed, the test fails until the entry goes), and any other
# finding on the page fails as usual.
KNOWN: dict[tuple[str, str], tuple[str, str]] = {}

OUTPUT_NAME = "page_tour"


def _app() -> Any:
    from tests.conftest import make_app

    return make_app("sqlite://")


def _get_endpoints(app: Any) -> list[str]:
    """Every endpoint with a GET rule, in the url_map's order, without duplicates."""
    seen: dict[str, None] = {}
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()):
            seen.setdefault(rule.endpoint, None)
    return list(seen)


def _toured(endpoint: str) -> bool:
    if endpoint in SKIP:
        return False
    return not endpoint.startswith(API_PREFIX) or endpoint in API_PAGES


APP = _app()
PAGE_IDS = [e for e in _get_endpoints(APP) if _toured(e)] + list(VARIANTS) + list(EXTRA_PAGES)


@dataclass
class PageResult:
    url: str
    status: int | None
    problems: list[str] = field(default_factory=list)
    screenshot: str = ""
    seconds: float = 0.0


@dataclass
class Tour:
    lang: str
    journey: Journey
    adapter: MapAdapter
    program_id: int = 0
    results: dict[str, PageResult] = field(default_factory=dict)
    candidates: dict[str, str] = field(default_factory=dict)  # endpoint -> URL to open
    order: list[str] = field(default_factory=list)  # endpoints in the order they were found
    role: str = ""
    shared_url: str = ""

    # ------------------------------------------------------------------ routes and links

    def match(self, url: str) -> tuple[str, dict[str, Any]] | None:
        parts = urlsplit(url)
        try:
            endpoint, args = self.adapter.match(parts.path, method="GET", query_args=parts.query)
        except (HTTPException, RoutingException):
            return None
        return str(endpoint), args

    def harvest(self) -> None:
        """Remember the first link to each route not opened yet (a link without a query first)."""
        page = self.journey.page
        hrefs = page.eval_on_selector_all(
            "a[href]", "links => links.map((a) => a.getAttribute('href'))"
        )
        base = self.journey.base_url
        for href in hrefs:
            absolute = urljoin(page.url, href).split("#", 1)[0]
            if not absolute.startswith(base + "/"):
                continue
            url = absolute[len(base) :]
            matched = self.match(url)
            if matched is None:
                continue
            endpoint, args = matched
            if not _toured(endpoint) or endpoint in self.results:
                continue
            if self.program_id and args.get("program_id", self.program_id) != self.program_id:
                continue  # the other demo program: the same templates
            known = self.candidates.get(endpoint)
            if known is None:
                self.candidates[endpoint] = url
                self.order.append(endpoint)
            elif "?" in known and "?" not in url:
                self.candidates[endpoint] = url

    # ------------------------------------------------------------------ opening pages

    def sign_in(self, role: str) -> None:
        if self.role == role:
            return
        self.journey.page.context.clear_cookies()
        self.journey.sign_in(role)
        self.role = role

    def visit(self, page_id: str, url: str, *, harvest: bool = True) -> PageResult:
        from playwright.sync_api import Error as PlaywrightError

        journey = self.journey
        page = journey.page
        errors_before = len(journey.errors)
        language_before = len(journey.language_findings)
        a11y_before = len(journey.a11y)
        started = time.monotonic()
        result = PageResult(url, None)
        try:
            response = page.goto(journey.base_url + url)
            result.status = response.status if response is not None else None
            if result.status != 200:
                where = journey.where()
                result.problems.append(f"HTTP {result.status} for {url} (landed on {where})")
            body = page.inner_text("body")
            for marker in ("Internal Server Error", "Traceback"):
                if marker in body:
                    result.problems.append(f"{marker!r} on the page")
            self._settle()
            result.screenshot = str(journey.shot(_slug(page_id)))
        except PlaywrightError as exc:  # a timeout, a crash: this page fails, the tour goes on
            result.problems.append(f"the page could not be checked: {exc}")
        self._collect(result, errors_before, language_before, a11y_before)
        result.seconds = time.monotonic() - started
        self.results[page_id] = result
        if harvest:
            self.harvest()
        return result

    def recheck(self, page_id: str, prepare: Callable[[], None]) -> PageResult:
        """Check the page as it stands after ``prepare`` (no navigation of its own)."""
        journey = self.journey
        errors_before = len(journey.errors)
        language_before = len(journey.language_findings)
        a11y_before = len(journey.a11y)
        started = time.monotonic()
        prepare()
        result = PageResult(journey.where(), 200)
        self._settle()
        result.screenshot = str(journey.shot(_slug(page_id)))
        self._collect(result, errors_before, language_before, a11y_before)
        result.seconds = time.monotonic() - started
        self.results[page_id] = result
        return result

    def _settle(self) -> None:
        """Wait for the charts to draw: their titles and axes are interface text too."""
        page = self.journey.page
        if page.locator("[data-figure], [data-gantt], #gx").count():
            self.journey.wait_for_charts()

    def _collect(self, result: PageResult, errors: int, language: int, a11y: int) -> None:
        journey = self.journey
        result.problems += journey.errors[errors:]
        result.problems += [str(f) for f in journey.language_findings[language:]]
        result.problems += [f"accessibility: {v}" for v in journey.a11y[a11y:]]

    # ------------------------------------------------------------------ the tour

    def run(self) -> None:
        journey = self.journey
        # signed out: the sign-in page (the browser's language chooses)
        journey.page.context.clear_cookies()
        self.visit("auth.login", "/login", harvest=False)

        self.sign_in("lead")
        self.program_id = journey.open_program(PROGRAM)
        self.visit("programs.index", "/")
        self._seed_routes_without_arguments()
        self._crawl_as("lead")
        for page_id, (endpoint, query) in VARIANTS.items():
            base = self.results.get(endpoint)
            if base is not None:
                self.visit(page_id, f"{base.url.split('?')[0]}?{query}", harvest=False)
        self._print_handout()
        # routes for other site roles (administrators, consultants)
        for role in ("admin", "consultant"):
            self._crawl_as(role)
        self._guest()

    def _seed_routes_without_arguments(self) -> None:
        for rule in self.adapter.map.iter_rules():
            endpoint = rule.endpoint
            if rule.arguments or "GET" not in (rule.methods or ()) or not _toured(endpoint):
                continue
            if endpoint not in self.results and endpoint not in self.candidates:
                self.candidates[endpoint] = self.adapter.build(endpoint, {})
                self.order.append(endpoint)

    def _crawl_as(self, role: str) -> None:
        """Open each known route this role is the one to open, following links as they come."""
        index = 0
        while index < len(self.order):
            endpoint = self.order[index]
            index += 1
            if endpoint in self.results or _role_for(endpoint) != role:
                continue
            self.sign_in(role)
            self.visit(endpoint, self.candidates[endpoint])

    def _print_handout(self) -> None:
        review = self.results.get("risks.review")
        if review is None:
            return
        page = self.journey.page
        page.goto(self.journey.base_url + review.url)

        def as_printed() -> None:
            page.emulate_media(media="print")

        try:
            self.recheck("risks.review@print", as_printed)
        finally:
            page.emulate_media(media="screen")

    def _guest(self) -> None:
        """The lead creates a share link; a guest with no account opens it."""
        journey = self.journey
        page = journey.page
        self.sign_in("lead")
        url = self.adapter.build("members.share_links", {"program_id": self.program_id})
        page.goto(journey.base_url + url)
        label = journey.t("Steering committee, spring", "指导委员会（春季）")
        journey.fill("input[name=label]", label)

        def create() -> None:
            journey.submit(page.locator("form:has(input[name=label])"), "[type=submit]")

        self.recheck("members.share_links@created", create)
        self.shared_url = page.input_value("#new-link")
        page.context.clear_cookies()
        self.role = ""
        shared = urlsplit(self.shared_url)
        self.visit("share.open", shared.path, harvest=False)
        reviews = self.adapter.build("risks.reviews", {"program_id": self.program_id})
        self.visit("guest:risks.reviews", reviews, harvest=False)
        first = page.locator("main a[href*='/reviews/']").first
        if first.count():
            href = first.get_attribute("href") or ""
            self.visit("guest:risks.review", href.split("#", 1)[0], harvest=False)

    def write_summary(self) -> None:
        """test-output/e2e/page_tour-<lang>.txt: each page, its URL, status, time, problems."""
        OUTPUT.mkdir(parents=True, exist_ok=True)
        lines = []
        for page_id, r in self.results.items():
            lines.append(f"{page_id}\t{r.url}\t{r.status}\t{r.seconds:.2f}s\t{len(r.problems)}")
            lines += [f"    {p}" for p in r.problems]
        missed = [p for p in PAGE_IDS if p not in self.results]
        lines += [f"{p}\tnot reached" for p in missed]
        path = OUTPUT / f"{OUTPUT_NAME}-{self.lang}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _role_for(endpoint: str) -> str:
    """Who opens a route: the lead, unless only administrators or consultants may."""
    from planner.web.policy import requirement_for

    requirement = requirement_for(endpoint, "GET")
    return requirement if requirement in ("admin", "consultant") else "lead"


def _slug(page_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", page_id).strip("-")


@pytest.fixture(scope="module", params=["en", "zh"])
def tour(request, e2e: Session) -> Iterator[Tour]:
    journey = Journey(e2e, request.param, OUTPUT_NAME)
    adapter = APP.url_map.bind("localhost")
    result = Tour(request.param, journey, adapter)
    try:
        result.run()
        yield result
    finally:
        journey.close()
        result.write_summary()


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_page(tour: Tour, page_id: str) -> None:
    result = tour.results.get(page_id)
    if result is None:
        pytest.fail(
            f"{page_id}: the tour found no link to this page in {PROGRAM} and could not fill"
            " its arguments; make it reachable, fill it in the tour, or add it to SKIP with"
            " the reason"
        )
    problems = result.problems
    known = KNOWN.get((page_id, tour.lang))
    if known is not None:
        reason, pattern = known
        expected = [p for p in problems if re.search(pattern, p)]
        problems = [p for p in problems if p not in expected]
        assert not problems, f"{page_id} ({result.url}):\n" + "\n".join(problems)
        if not expected:
            pytest.fail(f"{page_id} ({tour.lang}) no longer shows “{reason}”: remove it from KNOWN")
        shown = "\n".join(expected[:3]) + (
            f"\n… {len(expected) - 3} more" if len(expected) > 3 else ""
        )
        pytest.xfail(f"{reason}; found:\n{shown}")
    assert not problems, f"{page_id} ({result.url}):\n" + "\n".join(problems)


def test_the_tour_reached_every_get_route(tour: Tour) -> None:
    """One list of every GET route the tour missed (test_page fails for each one as well)."""
    missed = [p for p in PAGE_IDS if p not in tour.results]
    assert not missed, "not toured: " + ", ".join(missed)


def test_the_skip_list_names_existing_routes() -> None:
    """An entry for a route that is gone would hide nothing, but it misleads: remove it."""
    endpoints = set(_get_endpoints(APP))
    assert not [e for e in SKIP if e not in endpoints]
