"""The visualizer in a real browser: Debian's Chromium driven by Playwright.

Starts ``cogov viz`` on a free 127.0.0.1 port in a subprocess and checks: the page loads with no
console errors and without any request leaving the machine (offline assets), Step changes the
plots, the scenario picker switches scenarios, comparison mode shows two runs, playing reaches
at least 10 simulated days per second with 2,000 residents, and ten sessions at once each get
their own model. Screenshots go to test-artifacts/.

Skipped, with the reason printed, when Chromium (/usr/bin/chromium: ``apt-get install
chromium``), Playwright, the viz extra or the offline assets (scripts/fetch_solara_assets.sh) are
missing. Never downloads a browser.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--headless"]
LOAD_TIMEOUT_MS = 60_000


def _skip(reason: str):
    print(f"\ntest_viz_browser: skipped: {reason}", file=sys.stderr)
    pytest.skip(reason, allow_module_level=True)


if importlib.util.find_spec("solara") is None:
    _skip("the viz extra (solara) is not installed: pip install -e '.[viz]'")
if importlib.util.find_spec("playwright") is None:
    _skip("playwright (Python) is not installed: pip install playwright")
if not os.access(CHROMIUM, os.X_OK):
    _skip(f"{CHROMIUM} not found: apt-get install -y chromium")

from cogov.viz.assets import assets_dir, missing_assets  # noqa: E402

if missing_assets():
    _skip(f"Solara's browser assets are missing in {assets_dir()} "
          f"({missing_assets()[0]} …): run scripts/fetch_solara_assets.sh")

from playwright.sync_api import sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", SOLARA_ASSETS_PROXY_CACHE_DIR=str(assets_dir()))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cogov.viz.cli", "--port", str(port), "--lang", "en",
         "--residents", "2000"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"cogov viz did not start:\n{proc.stdout.read()}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Visit:
    """One browser tab on the visualizer, recording console errors and every request."""

    def __init__(self, browser, url: str):
        self.url = url
        self.context = browser.new_context(viewport={"width": 1500, "height": 1150})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console",
                     lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def load(self) -> Visit:
        self.page.goto(self.url, timeout=LOAD_TIMEOUT_MS)
        self.page.wait_for_selector("img.cogov-network", timeout=LOAD_TIMEOUT_MS)
        self.page.wait_for_selector("img.cogov-series", timeout=LOAD_TIMEOUT_MS)
        return self

    def day(self) -> int:
        return int(re.search(r"\d+", self.page.inner_text(".cogov-day")).group())

    def wait_day(self, day: int, timeout: float = 20.0) -> None:
        deadline = time.time() + timeout
        while self.day() != day:
            assert time.time() < deadline, f"day stays {self.day()}, expected {day}"
            time.sleep(0.05)

    def src(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(selector, "els => els.map(e => e.src)")

    def choose(self, select_class: str, text: str) -> None:
        """Pick an entry of a v-select (retried: a re-render may close a menu just opened)."""
        item = f".menuable__content__active .v-list-item:has-text('{text}')"
        for attempt in range(4):
            self.page.click(f".{select_class} .v-select__slot")
            try:
                self.page.click(item, timeout=3000)
                return
            except Exception:
                if attempt == 3:
                    raise
                self.page.keyboard.press("Escape")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server):
    v = Visit(browser, server).load()
    yield v
    v.close()


def test_page_loads_offline_without_console_errors(visit):
    visit.page.wait_for_timeout(500)
    visit.shot("viz-loaded.png")
    assert visit.errors == []
    outside = [u for u in visit.requests
               if not u.startswith((visit.url, "data:", "blob:"))]
    assert outside == [], f"requests leaving the machine: {outside}"
    cdn = [u for u in visit.requests if "/_solara/cdn/" in u]
    assert any("solara-vuetify-app" in u for u in cdn)  # served by the local asset proxy
    assert visit.day() == 0


def test_step_changes_the_plots_and_language_switch(visit):
    page = visit.page
    page.click(".cogov-step")
    visit.wait_day(1)
    series, network = visit.src("img.cogov-series"), visit.src("img.cogov-network")
    page.click(".cogov-step")
    visit.wait_day(2)
    # Each image is replaced when its new rendering arrives; under load they arrive apart.
    page.wait_for_function(
        "old => document.querySelector('img.cogov-series').src !== old", arg=series[0])
    page.wait_for_function(
        "old => document.querySelector('img.cogov-network').src !== old", arg=network[0])
    page.click(".cogov-lang")
    page.wait_for_selector(".cogov-step:has-text('单步')")
    assert "第 2 天" in page.inner_text(".cogov-day")
    visit.shot("viz-zh.png")
    assert visit.errors == []


def test_scenario_picker_switches_scenarios(visit):
    visit.page.click(".cogov-step")
    visit.wait_day(1)
    visit.choose("cogov-scenario", "fengqiao")
    visit.page.wait_for_selector(".cogov-info:has-text('枫桥经验')")
    visit.wait_day(0)  # a new run
    visit.choose("cogov-scenario", "government-led")
    visit.page.wait_for_selector(".cogov-info:has-text('大包大揽')")
    assert visit.errors == []


def test_comparison_mode_shows_two_runs(visit):
    page = visit.page
    page.click(".cogov-compare")
    page.wait_for_function("() => document.querySelectorAll('img.cogov-network').length == 2")
    page.wait_for_selector(".cogov-baseline")
    assert "baseline" in page.inner_text(".cogov-kpis")
    visit.choose("cogov-speed", "max")
    page.click(".cogov-play")
    page.wait_for_function(
        "() => parseInt(document.querySelector('.cogov-day').innerText.match(/\\d+/)[0]) >= 240",
        timeout=60_000)
    page.click(".cogov-play")
    page.wait_for_timeout(800)  # the network redraws on pause
    visit.shot("viz-compare.png")
    assert visit.errors == []


def test_playing_reaches_ten_days_per_second(visit):
    """2,000 residents: the curves and cards redraw on every frame, the network every 30
    days. Measured at the default pace (30 days/s) and flat out."""
    page = visit.page
    rates = {}
    for speed in ("30", "max"):
        page.click(".cogov-reset")
        visit.wait_day(0)
        visit.choose("cogov-speed", speed)
        page.click(".cogov-play")
        page.wait_for_timeout(600)
        d0, t0 = visit.day(), time.perf_counter()
        page.wait_for_timeout(2500)
        d1, t1 = visit.day(), time.perf_counter()
        rates[speed] = (d1 - d0) / (t1 - t0)
        if page.is_enabled(".cogov-play"):  # still playing: pause
            page.click(".cogov-play")
    print("\ndays per second in the browser (2,000 residents): "
          + ", ".join(f"speed {k}: {v:.1f}" for k, v in rates.items()), file=sys.stderr)
    page.click(".cogov-lang")
    page.wait_for_selector(".cogov-step:has-text('单步')")
    page.wait_for_timeout(1000)
    visit.shot("viz-played-zh.png")
    assert min(rates.values()) >= 10.0
    assert visit.errors == []


def test_ten_sessions_at_once_each_own_their_model(browser, server):
    n = 10
    visits = [Visit(browser, server) for _ in range(n)]
    try:
        t = time.perf_counter()
        # Playwright's sync API is single-threaded: start all navigations, then wait for each
        for v in visits:
            v.page.goto(server, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        for v in visits:
            v.page.wait_for_selector("img.cogov-network", timeout=LOAD_TIMEOUT_MS)
        loaded = time.perf_counter() - t
        for k, v in enumerate(visits[:3]):  # sessions step independently
            for _ in range(k + 1):
                v.page.click(".cogov-step")
            v.wait_day(k + 1)
        t = time.perf_counter()
        visits[5].page.click(".cogov-step")
        visits[5].wait_day(1)
        step_latency = time.perf_counter() - t
        print(f"\n{n} sessions loaded in {loaded:.1f} s; a Step then answered in "
              f"{step_latency:.2f} s", file=sys.stderr)
        assert [v.day() for v in visits] == [1, 2, 3, 0, 0, 1, 0, 0, 0, 0]
        assert step_latency < 5.0
        assert all(v.errors == [] for v in visits)
    finally:
        for v in visits:
            v.close()
