"""Benchmark of the Gantt page in Chromium (Playwright); prints figures for bench/README.md.

Run: ``python -m bench.gantt_page_bench [--repeat 5] [--compare]``

Starts ``planner demo`` on a free loopback port with a temporary instance, adds generated
2,000- and 10,000-item programs (``bench/gantt_programs.py``), signs in as the demo lead and
measures, with a warm server cache:

* interactive: from navigation start to the chart drawn (``readyAt``) and a key press
  answered (the next frame after an ArrowDown) — budget 1 s at 2,000, 2 s at 10,000;
* scrolling every row: the scroll box moved 900 px a frame to the end; frame gaps and the
  canvas + grid redraw time — budget: no frame over 50 ms at 10,000;
* payload: compressed bytes of the data endpoint (br and gzip) — budget 300 KB at 10,000;
* a drag edit at 2,000: from the pointer's release to "what moved" on the page — 300 ms;
* the server's time for the first request after a change (its request log) — 60 ms at 2,000.

``--compare`` draws the same data with frappe-gantt (MIT, vendored in static/vendor/
frappe-gantt/, page ``compare.html``) and measures its time to drawn and its scroll frames.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.gantt_programs import add_programs

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _probes() -> dict[str, str]:
    """The in-page functions of ``gantt_page_probes.js``, by section name."""
    text = (Path(__file__).parent / "gantt_page_probes.js").read_text(encoding="utf-8")
    found = {}
    for section in text.split("// ---- ")[1:]:
        name, _, body = section.partition("\n")
        found[name.strip()] = body
    return found


PROBES = _probes()
INTERACTIVE, SCROLL = PROBES["INTERACTIVE"], PROBES["SCROLL"]
WATCH_MOVED, BAR = PROBES["WATCH_MOVED"], PROBES["BAR"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(instance: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    env = {**os.environ, "PLANNER_INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    planner = shutil.which("planner", path=str(Path(sys.executable).parent)) or "planner"
    log = instance / "server.log"
    process = subprocess.Popen(
        [planner, "demo", "--port", str(port)],
        env=env,
        stdout=open(log, "w"),  # noqa: SIM115 - the server keeps it open
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                break
        except OSError:
            time.sleep(0.5)
    return process, url, log


def server_ms(log: Path, path: str) -> list[float]:
    """Server time of each request of ``path`` in the request log, in order."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{") and f'"path": "{path}"' in line:
            found.append(float(json.loads(line)["duration_ms"]))
    return found


def sign_in(page: Any, url: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=email]", "lead@demo.example")
    page.fill("input[name=password]", "demo-password")
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)


def payload_bytes(page: Any, url: str) -> dict[str, int]:
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    sizes = {}
    for encoding in ("br", "gzip", "identity"):
        request = urllib.request.Request(
            url, headers={"Cookie": cookie, "Accept-Encoding": encoding}
        )
        with urllib.request.urlopen(request) as response:
            sizes[encoding] = len(response.read())
    return sizes


def measure_page(page: Any, base: str, program: int, repeat: int) -> dict[str, Any]:
    path = f"/programs/{program}/plan/gantt"
    page.goto(base + path)  # warm the server's cache
    page.wait_for_selector("#gx[data-ready]", timeout=120_000)
    interactive = []
    for _ in range(repeat):
        page.goto(base + path)
        page.wait_for_selector("#gx[data-ready]", timeout=60_000)
        interactive.append(page.evaluate(INTERACTIVE)["answered"])
    scroll = page.evaluate(SCROLL, ".gx-scroll")
    return {"interactive": interactive, "scroll": scroll}


def measure_drag(page: Any, base: str, program: int, log: Path, repeat: int) -> dict[str, Any]:
    page.goto(base + f"/programs/{program}/plan/gantt")
    page.wait_for_selector("#gx[data-ready]")
    shown = []
    for k in range(repeat):
        bar = page.evaluate(BAR)
        page.evaluate(WATCH_MOVED)
        page.mouse.move(bar["x"], bar["y"])
        page.mouse.down()
        page.mouse.move(bar["x"] + 5 * bar["ppd"], bar["y"], steps=4)
        page.mouse.up()
        try:
            page.wait_for_function("() => window.__moved !== null", timeout=30_000)
        except Exception:
            print("no 'what moved':", page.inner_text(".gx-status"), bar)
            raise
        shown.append(page.evaluate("() => window.__moved"))
        page.wait_for_function(
            f"() => document.querySelector('#gx').getAttribute('data-edits') === '{k + 1}'"
        )
        page.wait_for_function("() => !document.querySelector('#gx[data-loading]')")
    after_change = server_ms(log, f"/programs/{program}/plan/gantt/data")[-repeat:]
    page.click("[data-act=undo]")
    page.wait_for_timeout(500)
    page.goto(base + f"/programs/{program}/plan/gantt")  # the page's first request after a change
    page.wait_for_selector("#gx[data-ready]")
    page_after = server_ms(log, f"/programs/{program}/plan/gantt")[-1]
    data_after = server_ms(log, f"/programs/{program}/plan/gantt/data")[-1]
    edits = server_ms(log, f"/programs/{program}/plan/gantt/edits")
    return {
        "shown": shown,
        "data_after_change": after_change,
        "page_after_change": page_after,
        "data_after_page": data_after,
        "edit_server": edits,
    }


def measure_compare(page: Any, base: str, program: int, timeout_s: int) -> dict[str, Any]:
    src = f"/programs/{program}/plan/gantt/data"
    began = time.perf_counter()
    page.goto(base + "/static/vendor/frappe-gantt/compare.html?src=" + src)
    try:
        page.wait_for_function("() => window.__compare", timeout=timeout_s * 1000)
    except Exception:  # noqa: BLE001 - a library that does not finish is a figure too
        return {"ready": None, "waited_s": round(time.perf_counter() - began, 1)}
    found = page.evaluate("() => window.__compare")
    scroll = page.evaluate(SCROLL, "")
    return {"ready": found["readyMs"], "nodes": found["nodes"], "scroll": scroll}


def cpu_after_change(instance: Path, program_id: int, repeat: int) -> list[float]:
    """CPU ms (``time.process_time``) of the chart's data after a change, as the server
    computes it: its own column reads, the columns, the JSON, brotli — in this process."""
    from planner import create_app
    from planner.extensions import db
    from planner.models import Program
    from planner.ops.assets import compress
    from planner.services.gantt_data import gantt_payload
    from planner.services.gantt_edit import apply_edit
    from planner.services.plan_view import Filters

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'demo.sqlite'}",
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-123",
            "PLANNER_REQUEST_LOG": False,
            "PLANNER_CACHE_URL": "null",  # every read after a change is a miss anyway
        }
    )
    spent = []
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        item = next(i for i in program.work_items if i.kind == "task" and i.actual_start is None)
        for k in range(repeat):
            edit = {"op": "duration", "item": item.id, "version": item.version}
            apply_edit(program, {**edit, "days": item.duration_days + (1 if k % 2 == 0 else -1)})
            db.session.commit()
            began = time.process_time()
            text = gantt_payload(program, filters=Filters(), baseline_id=None, lang="en")
            compress(text.encode(), "br")
            spent.append((time.process_time() - began) * 1000)
    return spent


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms (max {max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--compare-timeout", type=int, default=90)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    instance = Path(tempfile.mkdtemp(prefix="gantt-bench-"))
    process, base, log = start_server(instance)
    try:
        programs = add_programs(instance, args.sizes)
        print("load average before:", os.getloadavg())
        began = time.process_time()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            sign_in(page, base)
            for n, program in programs.items():
                result = measure_page(page, base, program, args.repeat)
                sizes = payload_bytes(page, f"{base}/programs/{program}/plan/gantt/data")
                scroll = result["scroll"]
                print(f"\n{n} items: interactive {_ms(result['interactive'])}")
                print(
                    f"  payload br {sizes['br'] / 1000:.0f} KB, gzip {sizes['gzip'] / 1000:.0f} KB,"
                    f" raw {sizes['identity'] / 1000:.0f} KB"
                )
                print(
                    f"  scroll {scroll['frames']} frames: max {scroll['max']:.0f} ms, p95 "
                    f"{scroll['p95']:.0f} ms, over 50 ms {scroll['over50']}, redraw max "
                    f"{scroll['renderMax']:.1f} ms (p95 {scroll['renderP95']:.1f}); last names"
                    f" {scroll['lastNames']}"
                )
                if args.compare:
                    other = measure_compare(page, base, program, args.compare_timeout)
                    print(f"  frappe-gantt: {other}")
            small = programs[min(programs)]
            drag = measure_drag(page, base, small, log, args.repeat)
            print(f"\ndrag at {min(programs)}: what moved shown {_ms(drag['shown'])}")
            print(
                f"  server: edit {_ms(drag['edit_server'])}, data after a change "
                f"{_ms(drag['data_after_change'])}, page after a change "
                f"{drag['page_after_change']:.0f} ms"
                f" (then its data {drag['data_after_page']:.0f} ms)"
            )
            browser.close()
        cpu = cpu_after_change(instance, small, args.repeat)
        print(f"  server CPU for the data after a change (in process): {_ms(cpu)}")
        print(
            "\nbench process CPU",
            round(time.process_time() - began, 1),
            "s; load average after:",
            os.getloadavg(),
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
