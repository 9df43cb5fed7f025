#!/usr/bin/env python3
"""Start-up time and memory of Occupancy Desk beside a bare Tauri 2 window.

Run through bench/startup-memory.sh, which builds both release binaries and runs this inside
scripts/desktop-session.sh (Xvfb, a private D-Bus session, GNOME Keyring). Standard library
only: WebDriver is plain JSON over HTTP to tauri-driver.

For each binary:
  * start-up: launch -> WebDriver finds the main view's element, median of --runs launches;
  * memory: PSS (/proc/PID/smaps_rollup) and RSS of the app and every process it started
    (WebKit's web and network processes), after the window has settled; for the app with
    every view built, then again after rendering --charts charts;
  * a year loaded (the issue's target): the app on demo data with a year of PT1H for one
    building loaded and every tab drawn, PSS of all its processes beside the bare window's
    idle PSS of the same run, as a ratio;
  * two years of PT15M for a floor/site (the largest the demo has): the load's time and rows,
    the table paged to its end with the Next button, then the app process's peak RSS
    (VmHWM), the window's JS heap when WebKit tells it (else the web process's memory), and
    PSS of all processes.

Demo data ends the day before the pinned "today" (OCCUDESK_TODAY, --today), so the ranges of
the last two scenarios are the same whatever the date of the run.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SETTLE_S = 5.0


class WebDriverError(Exception):
    pass


class Session:
    """One app window, over tauri-driver's W3C WebDriver endpoint."""

    def __init__(self, base, application, args):
        self.base = base
        caps = {"browserName": "wry", "tauri:options": {"application": application, "args": args}}
        value = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}}, timeout=120)
        self.id = value["sessionId"]

    @classmethod
    def start(cls, base, application, args):
        return cls(base, application, args)

    def _call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as e:
            raise WebDriverError(f"{method} {path}: {e.read().decode(errors='replace')[:300]}") from None

    def call(self, method, path, body=None):
        # Under load the driver now and then drops a connection without answering; every
        # command used here can safely be sent again.
        for attempt in range(3):
            try:
                return self._call(method, f"/session/{self.id}{path}", body)
            except (OSError, http.client.HTTPException):
                if attempt == 2:
                    raise
                time.sleep(0.2)

    def find(self, css, timeout=30.0, poll=0.02):
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = self.call("POST", "/element", {"using": "css selector", "value": css})
                return next(iter(found.values()))
            except (WebDriverError, OSError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    raise WebDriverError(f"{css} did not appear within {timeout} s") from None
                time.sleep(poll)

    def click(self, css, timeout=30.0):
        # The view redraws its toolbar when data arrives: an element found a moment ago may
        # be gone by the click. Find it again.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.call("POST", f"/element/{self.find(css, timeout)}/click", {})
                return
            except WebDriverError as e:
                if "stale element" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def run(self, script, args=()):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def run_async(self, script, args=()):
        """`script` ends by calling arguments[arguments.length - 1] with its result."""
        return self.call("POST", "/execute/async", {"script": script, "args": list(args)})

    def invoke(self, command, args):
        """A command of the app, from inside the window (what ui/api.js does): a read."""
        found = self.run_async(
            """const done = arguments[arguments.length - 1];
               window.__TAURI__.core.invoke(arguments[0], arguments[1])
                 .then((value) => done({ value }), (e) => done({ error: e?.message ?? String(e) }));""",
            [command, args])
        if "error" in found:
            raise WebDriverError(f"{command}: {found['error']}")
        return found["value"]

    def banner(self):
        """The error banner's message, or None while it is hidden."""
        return self.run("""const b = document.querySelector('[data-testid=error-banner]');
                           return b && !b.hidden ? b.querySelector('.banner-message').textContent : null;""")

    def until(self, script, what, timeout=60.0, poll=0.1, args=()):
        """Polls `script` until it returns something truthy; fails on the error banner."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(script, args)
            if value:
                return value
            message = self.banner()
            if message:
                raise WebDriverError(f"waiting for {what}: the window shows the error: {message}")
            if time.monotonic() > deadline:
                raise WebDriverError(f"{what} did not happen within {timeout:.0f} s")
            time.sleep(poll)

    def pick(self, testid, value, timeout=30.0):
        """Chooses `value` in a select once it is offered (the view redraws its pickers)."""
        self.until(
            """const [id, v] = arguments;
               const el = document.querySelector(`[data-testid=${id}]`);
               if (!el || ![...el.options].some((o) => o.value === v)) return false;
               if (el.value === v) return true;
               el.value = v;
               el.dispatchEvent(new Event('change'));
               return false;""",
            f"{value} picked in {testid}", timeout, args=[testid, value])

    def set_range(self, first, last):
        """A custom range (typed dates), as the e2e tests set it."""
        self.until(
            """const [from, to] = arguments;
               const f = document.querySelector('[data-testid=range-from]');
               const t = document.querySelector('[data-testid=range-to]');
               if (!f || !t) return false;
               if (f.value === from && t.value === to) return true;
               for (const [el, v] of [[f, from], [t, to]]) { el.value = v; el.dispatchEvent(new Event('change')); }
               return false;""",
            f"range {first}..{last} set", args=[first, last])

    def close(self):
        # Closing a window that is still starting can take WebKitWebDriver down with it.
        time.sleep(1.0)
        try:
            self.call("DELETE", "")
        except (WebDriverError, OSError) as e:
            print(f"closing the session failed: {e}", file=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tauri_driver():
    cargo_home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    installed = os.path.join(cargo_home, "bin", "tauri-driver")
    return installed if os.path.exists(installed) else "tauri-driver"


def start_driver(env):
    port, native = free_port(), free_port()
    driver = subprocess.Popen(
        [tauri_driver(), "--port", str(port), "--native-port", str(native)],
        env=env, stdout=subprocess.DEVNULL, stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            # tauri-driver answers before WebKitWebDriver behind it listens; a session asked
            # for too early is dropped (and may still count as active).
            time.sleep(1.0)
            return driver, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("tauri-driver did not start")


def children_of():
    tree = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the parent pid follows the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(pid))
    return tree


def app_roots(driver_pid, binary, tree=None):
    """The app processes under tauri-driver, found by their executable."""
    tree = tree if tree is not None else children_of()
    real = os.path.realpath(binary)
    stack, roots = [driver_pid], []
    while stack:
        pid = stack.pop()
        for child in tree.get(pid, []):
            try:
                exe = os.readlink(f"/proc/{child}/exe")
            except OSError:
                exe = ""
            (roots if exe == real else stack).append(child)
    return roots


def status_kb(pid, *keys):
    """Fields of /proc/PID/status in kB (VmHWM: peak RSS, VmRSS: RSS now)."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return [int(fields[k].split()[0]) for k in keys]


def comm(pid):
    with open(f"/proc/{pid}/comm") as f:
        return f.read().strip()


def app_processes(driver_pid, binary):
    """The app under tauri-driver (found by its executable) and everything it started."""
    tree = children_of()
    found, stack = [], app_roots(driver_pid, binary, tree)
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


QUIET_WAIT_S = 300.0
# Samples taken while WebKit processes of another program were alive (see quiet_memory).
NOT_QUIET = []


def foreign_webkit(ours):
    """Processes outside `ours` that map WebKitGTK: other windows (another test run, a previous
    window still closing). PSS divides shared pages among every process that maps them, so
    while they live ours look smaller than they are."""
    ours, found = set(ours), []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) in ours or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/maps") as f:
                if "libwebkit2gtk" in f.read():
                    found.append(f"{pid} {comm(pid)}")
        except OSError:
            continue
    return found


def quiet_memory(driver_pid, binary, label):
    """memory() of the app's processes taken while no other program's WebKit processes are
    alive, before and after the sample (waits up to QUIET_WAIT_S for that, then lets ours
    settle again; a sample taken with them anyway is listed in NOT_QUIET)."""
    deadline, waited = time.monotonic() + QUIET_WAIT_S, False
    while True:
        pids = app_processes(driver_pid, binary)
        others = foreign_webkit(pids)
        if not others and waited:
            time.sleep(SETTLE_S)
            waited = False
            continue
        if not others:
            sample = memory(pids)
            others = foreign_webkit(pids)
            if not others:
                return sample
        if time.monotonic() > deadline:
            NOT_QUIET.append(f"{label}: {len(others)} other WebKit processes alive ({', '.join(others[:4])})")
            return memory(pids)
        waited = True
        time.sleep(1.0)


def memory(pids):
    """{process name: (pss_kb, rss_kb)}, names made unique, and the totals."""
    per = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        kb = lambda key: int(fields.get(key, "0 kB").split()[0])
        key = name
        while key in per:
            key += "'"
        per[key] = (kb("Pss"), kb("Rss"))
    total = (sum(p for p, _ in per.values()), sum(r for _, r in per.values()))
    return per, total


def build_every_view(s):
    """Insights with demo data loaded and every tab drawn, then Credentials and Settings."""
    open_demo_insights(s, 71)
    s.click("[data-testid=load-insights]")
    for tab in ["timeSeries", "heatmap", "compare", "planning", "table", "timeSeries"]:
        s.click(f"[data-testid=tab-{tab}]")
        s.find(f"[data-testid=panel-{tab}] " + ("[data-testid=insight-row]" if tab == "table" else "[data-testid=chart-image]"), timeout=60)
    s.click("[data-testid=nav-credentials]")
    s.find("[data-testid=connection-card]")
    s.click("[data-testid=nav-settings]")
    s.find("[data-testid=theme-select]")
    s.click("[data-testid=nav-insights]")
    s.find("[data-testid=chart-image]", timeout=60)


def render_charts(s, count):
    """Draws `count` charts by switching between the time series and heatmap tabs."""
    for i in range(count):
        tab = "heatmap" if i % 2 == 0 else "timeSeries"
        s.run("document.querySelectorAll('[data-testid=chart-image]').forEach(e => e.remove());")
        s.click(f"[data-testid=tab-{tab}]")
        s.find(f"[data-testid=panel-{tab}] [data-testid=chart-image]", timeout=60)


def measure(label, binary, args, ready_css, env, runs, charts, memory_runs):
    driver, base = start_driver(env)
    try:
        # One launch first, not timed: it waits for the driver and warms the disk cache, the
        # same for every binary.
        warm = Session.start(base, binary, args)
        warm.find(ready_css)
        warm.close()
        time.sleep(0.5)
        starts = []
        for _ in range(runs):
            t0 = time.monotonic()
            s = Session.start(base, binary, args)
            s.find(ready_css)
            starts.append(time.monotonic() - t0)
            s.close()
            time.sleep(0.5)
        idle, after = [], []
        for _ in range(memory_runs):
            s = Session.start(base, binary, args)
            s.find(ready_css)
            if charts:
                build_every_view(s)
            time.sleep(SETTLE_S)
            idle.append(quiet_memory(driver.pid, binary, f"{label}, idle"))
            if charts:
                render_charts(s, charts)
                time.sleep(SETTLE_S)
                after.append(quiet_memory(driver.pid, binary, f"{label}, after charts"))
            s.close()
            time.sleep(0.5)
    finally:
        driver.terminate()
        driver.wait()
    return {"label": label, "starts": starts, "idle": idle, "after": after}


# --- a year of PT1H loaded, and two years of PT15M paged to the end -------------------------

DEMO_CONNECTION = "demo-innerspace-v2"
PAGE_ROWS = 200  # the table's page (ui/insights.js)


def months_before(day, months):
    """`day` `months` months earlier, clamped to the month's end (as the simulator counts)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in range(day.day, 27, -1):
        try:
            return datetime.date(y, m, d)
        except ValueError:
            continue
    return datetime.date(y, m, min(day.day, 28))


def open_demo_insights(s, building):
    """Insights on the demo InnerSpace v2 connection, `building` picked and its detail shown."""
    s.click("[data-testid=nav-insights]")
    s.pick("pick-connection", DEMO_CONNECTION)
    s.pick("pick-building", str(building))
    # The detail is in once the floor/site picker lists the building's sites.
    s.find("[data-testid=pick-site] option:nth-child(2)", timeout=60)
    s.find("[data-testid=load-insights]:not([disabled])")


def pick_site(s, site_id, zones):
    """Picks a floor/site and waits until the view has found its table (its zone list shows
    the site's `zones` zones: the view redraws once the table and metrics are known)."""
    s.pick("pick-site", str(site_id))
    s.until("return document.querySelectorAll('[data-testid=pick-zone] option').length === arguments[0] + 1;",
            f"the zones of site {site_id}", args=[zones])
    s.find("[data-testid=load-insights]:not([disabled])")


def load(s, granularity, first, last, timeout):
    """Sets granularity and range, presses Load and waits for the result. Returns the
    seconds the load took and the result summary's text (it starts "8,760 rows")."""
    s.pick("pick-granularity", granularity)
    s.set_range(first, last)
    s.find("[data-testid=load-insights]:not([disabled])")
    t0 = time.monotonic()
    s.click("[data-testid=load-insights]")
    summary = s.until(
        """// A failed, cancelled or empty load says so in the body, where the result goes.
           const failed = document.querySelector(
             '[data-testid=load-error], [data-testid=insights-cancelled], [data-testid=insights-empty]');
           if (failed) return 'failed: ' + failed.textContent;
           const el = document.querySelector('[data-testid=result-summary]');
           if (!el || !el.querySelector('strong')) return null;
           const copy = el.cloneNode(true);
           copy.querySelector('.tz')?.remove();
           return copy.textContent;""",
        f"the load of {granularity} {first}..{last}", timeout, poll=0.25)
    seconds = time.monotonic() - t0
    if summary.startswith("failed: "):
        raise WebDriverError(f"the load of {granularity} {first}..{last} {summary}")
    return seconds, " ".join(summary.split())


# Per chart box of the open tab: drawn (an image), failed (its note) or still drawing.
CHARTS_STATE = """
    const panel = document.querySelector(`[data-testid=panel-${arguments[0]}]`);
    if (!panel) return null;
    const unfit = panel.querySelector('[data-testid=tab-unfit]');
    if (unfit) return { errors: [`not drawn: ${unfit.textContent}`] };
    if (arguments[0] === 'table') {
      const note = panel.querySelector('.note');
      if (note) return { errors: [note.textContent] };
      return panel.querySelector('[data-testid=insight-row]') ? { errors: [] } : null;
    }
    // Planning nests its chart box in another with the same test id: the innermost boxes.
    const boxes = [...panel.querySelectorAll('.chart')].filter((b) => !b.querySelector('.chart'));
    if (!boxes.length) return null;
    const errors = [];
    for (const box of boxes) {
      if (box.querySelector('[data-testid=chart-image]')) continue;
      const note = box.querySelector('.note');
      if (note) { errors.push(`${box.dataset.testid}: ${note.textContent}`); continue; }
      return null;
    }
    if (arguments[0] === 'planning') {
      const unusual = panel.querySelector('[data-testid=anomalies]');
      if (!unusual || !unusual.firstChild) return null;
      // Without its heading the list is an error's note.
      if (!unusual.querySelector('h3')) errors.push(`anomalies: ${unusual.textContent}`);
    }
    return { errors };
"""

TABS = ["timeSeries", "heatmap", "compare", "planning", "table"]


def visit_every_tab(s, timeout=120.0):
    """Opens each tab and waits until its charts (or the table's rows) are drawn. Returns
    {tab: seconds} and the charts that showed an error instead of an image."""
    times, problems = {}, []
    for tab in TABS:
        t0 = time.monotonic()
        s.click(f"[data-testid=tab-{tab}]")
        state = s.until(CHARTS_STATE, f"the {tab} tab drawn", timeout, args=[tab])
        times[tab] = time.monotonic() - t0
        problems += [f"{tab}: {e}" for e in state["errors"]]
    return times, problems


def page_to_end(s, max_pages, sample=None, every=250, timeout=60.0):
    """Presses Next until it is disabled (or `max_pages` pages were shown). Returns the pages
    shown, the last page-info text and the seconds each turn took; calls `sample(pages)` on the
    first page and every `every` pages."""
    s.find("[data-testid=page-info]")
    text = s.run("return document.querySelector('[data-testid=page-info]').textContent;")
    pages, turns = 1, []
    while max_pages <= 0 or pages < max_pages:
        if sample and (pages == 1 or pages % every == 0):
            sample(pages)
        if s.run("return document.querySelector('[data-testid=page-next]').disabled;"):
            break
        t0 = time.monotonic()
        s.click("[data-testid=page-next]")
        text = s.until(
            """const el = document.querySelector('[data-testid=page-info]');
               return el && el.textContent !== arguments[0] ? el.textContent : null;""",
            f"page {pages + 1}", timeout, poll=0.01, args=[text])
        turns.append(time.monotonic() - t0)
        pages += 1
    return pages, text, turns


def js_heap(s):
    """performance.memory where the engine has it (Chromium does, WebKit does not)."""
    return s.run("""const m = window.performance && window.performance.memory;
                    return m ? { used: m.usedJSHeapSize, total: m.totalJSHeapSize, limit: m.jsHeapSizeLimit } : null;""")


def largest_site(s):
    """(zones, building id, site id, site name) of the demo's floor/site with most zones."""
    best = None
    for b in s.invoke("buildings", {"connectionId": DEMO_CONNECTION}):
        detail = s.invoke("building_detail", {"connectionId": DEMO_CONNECTION, "buildingId": b["id"]})
        floors = {f["id"]: f.get("name") for f in detail["floors"]}
        for site in detail["sites"]:
            n = sum(1 for z in detail["zones"] if z.get("siteId") == site["id"])
            name = f"{b['name']} / {floors.get(site.get('floorId')) or site.get('code') or site['id']}"
            if best is None or n > best[0]:
                best = (n, b["id"], site["id"], name)
    return best


def with_driver(env, body):
    driver, base = start_driver(env)
    try:
        return body(driver, base)
    finally:
        driver.terminate()
        driver.wait()


def measure_year(app, env, building, today, runs):
    """A year of PT1H for `building` loaded, every tab drawn, then PSS of all processes."""
    first, last = months_before(today, 12).isoformat(), (today - datetime.timedelta(days=1)).isoformat()

    def body(driver, base):
        out = []
        for _ in range(runs):
            s = Session.start(base, app, ["--demo"])
            try:
                s.find("body[data-ready=true] [data-testid=nav-insights]")
                open_demo_insights(s, building)
                seconds, summary = load(s, "PT1H", first, last, timeout=600)
                tabs, problems = visit_every_tab(s)
                time.sleep(SETTLE_S)
                out.append({"memory": quiet_memory(driver.pid, app, "a year loaded"), "load_s": seconds,
                            "summary": summary, "tabs": tabs, "problems": problems})
            finally:
                s.close()
            time.sleep(0.5)
        return out

    return {"range": (first, last), "runs": with_driver(env, body)}


def measure_pt15m(app, env, today, max_pages, site_choice):
    """Two years of PT15M for the largest floor/site, the table paged to its end."""
    first, last = months_before(today, 24).isoformat(), (today - datetime.timedelta(days=1)).isoformat()

    def body(driver, base):
        s = Session.start(base, app, ["--demo"])
        try:
            s.find("body[data-ready=true] [data-testid=nav-insights]")
            s.click("[data-testid=nav-insights]")
            s.pick("pick-connection", DEMO_CONNECTION)
            if site_choice:
                building, site = (site_choice + (None,))[:2]
                detail = s.invoke("building_detail", {"connectionId": DEMO_CONNECTION, "buildingId": building})
                zones = sum(1 for z in detail["zones"] if site is None or z.get("siteId") == site)
                name = f"{detail['building']['name']} ({building}) / " + (
                    "the whole building" if site is None else f"site {site}")
            else:
                zones, building, site, name = largest_site(s)
            open_demo_insights(s, building)
            if site is not None:
                pick_site(s, site, zones)
            seconds, summary = load(s, "PT15M", first, last, timeout=3600)
            rows = int(summary.split()[0].replace(",", ""))
            root = app_roots(driver.pid, app)[0]
            hwm_loaded, rss_loaded = status_kb(root, "VmHWM", "VmRSS")
            t0 = time.monotonic()
            s.click("[data-testid=tab-table]")
            s.until(CHARTS_STATE, "the table tab", 120, args=["table"])
            web_pids = [pid for pid in app_processes(driver.pid, app) if comm(pid).startswith("WebKitWebProces")]
            trend = []

            def sample(pages):
                # RSS of the app and the web process(es) while paging: growth or a plateau.
                trend.append((pages, status_kb(root, "VmRSS")[0], sum(status_kb(p, "VmRSS")[0] for p in web_pids)))

            pages, last_info, turns = page_to_end(s, max_pages, sample)
            paging_s = time.monotonic() - t0
            time.sleep(SETTLE_S)
            sample(pages)
            heap = js_heap(s)
            hwm, rss = status_kb(root, "VmHWM", "VmRSS")
            web = [status_kb(pid, "VmHWM", "VmRSS") for pid in web_pids]
            all_memory = quiet_memory(driver.pid, app, "PT15M after paging")
            return {"range": (first, last), "site": name, "whole": site is None, "zones": zones, "load_s": seconds,
                    "summary": summary, "rows": rows, "pages_total": max(1, math.ceil(rows / PAGE_ROWS)),
                    "pages": pages, "last_info": last_info, "turns": turns, "paging_s": paging_s,
                    "hwm_loaded": hwm_loaded, "rss_loaded": rss_loaded, "hwm": hwm, "rss": rss,
                    "heap": heap, "web": web, "trend": trend, "memory": all_memory}
        finally:
            s.close()

    return with_driver(env, body)


def report_year(year, building):
    runs = year["runs"]
    per, (pss, rss) = median_memory([r["memory"] for r in runs])
    first, last = year["range"]
    print(f"\n## a year of PT1H loaded, every tab drawn (building {building}, {first}..{last})")
    print(f"result: {runs[0]['summary']}")
    print("load: " + ", ".join(f"{r['load_s']:.1f} s" for r in runs) + "; tabs (s): " + ", ".join(
        f"{t} {statistics.median(r['tabs'][t] for r in runs):.1f}" for t in TABS))
    parts = ", ".join(f"{name} {mb(p):.1f}" for name, (p, _) in sorted(per.items(), key=lambda i: -i[1][0]))
    print(f"PSS {mb(pss):.1f} MB, RSS {mb(rss):.1f} MB  (PSS by process: {parts}; n={len(runs)})")
    for problem in sorted({p for r in runs for p in r["problems"]}):
        print(f"PROBLEM: {problem}")
    return pss


def report_pt15m(r):
    first, last = r["range"]
    print(f"\n## two years of PT15M for {'a whole building' if r['whole'] else 'one floor/site'} ({first}..{last})")
    print(f"{'building' if r['whole'] else 'site'}: {r['site']}, {r['zones']} zones")
    if r["zones"] < 40:
        print("NOTE: the demo data has no site of 40 zones (every demo floor/site has 6, "
              "crates/sim/src/data/catalog.rs ZONE_TEMPLATE, and the simulator has no option for more); "
              f"measured on {'this building instead' if r['whole'] else 'the largest site there is'}.")
    print(f"load: {r['load_s']:.1f} s; result: {r['summary']}")
    turns = r["turns"]
    turn_text = (f"; Next to the page shown: median {statistics.median(turns) * 1000:.0f} ms, "
                 f"max {max(turns) * 1000:.0f} ms" if turns else "")
    complete = "to the end" if r["pages"] >= r["pages_total"] else "NOT to the end (--max-pages)"
    print(f"table: {r['rows']:,} rows = {r['pages_total']} pages of {PAGE_ROWS}; paged {complete}: "
          f"{r['pages']} pages shown in {r['paging_s']:.0f} s{turn_text}; last: {r['last_info']}")
    print(f"app process: peak RSS (VmHWM) {mb(r['hwm']):.1f} MB (after the load {mb(r['hwm_loaded']):.1f} MB), "
          f"RSS now {mb(r['rss']):.1f} MB (after the load {mb(r['rss_loaded']):.1f} MB)")
    if r["heap"]:
        h = r["heap"]
        print(f"JS heap (performance.memory): used {h['used'] / 2**20:.1f} MB, total {h['total'] / 2**20:.1f} MB")
    else:
        web = ", ".join(f"RSS {mb(rss):.1f} MB (peak {mb(hwm):.1f} MB)" for hwm, rss in r["web"]) or "not found"
        print(f"JS heap: not available (WebKitGTK has no performance.memory); instead the web process: {web}")
    print("RSS while paging, page: app / web process (MB): " + ", ".join(
        f"{pages}: {mb(app_kb):.0f} / {mb(web_kb):.0f}" for pages, app_kb, web_kb in r["trend"]))
    per, (pss, rss) = r["memory"]
    parts = ", ".join(f"{name} {mb(p):.1f}" for name, (p, _) in sorted(per.items(), key=lambda i: -i[1][0]))
    print(f"all processes after paging: PSS {mb(pss):.1f} MB, RSS {mb(rss):.1f} MB  (PSS by process: {parts})")


def median_memory(samples):
    """The sample whose PSS total is the median (so its breakdown adds up)."""
    ordered = sorted(samples, key=lambda m: m[1][0])
    return ordered[len(ordered) // 2]


def mb(kb):
    return kb / 1024


def report(result, size_lines):
    starts = result["starts"]
    print(f"\n## {result['label']}")
    print(f"start to interactive: median {statistics.median(starts) * 1000:.0f} ms "
          f"(min {min(starts) * 1000:.0f}, max {max(starts) * 1000:.0f}, n={len(starts)})")
    for line in size_lines:
        print(line)
    for title, samples in (("idle", result["idle"]), (f"after charts", result["after"])):
        if not samples:
            continue
        per, (pss, rss) = median_memory(samples)
        parts = ", ".join(f"{name} {mb(p):.1f}" for name, (p, _) in sorted(per.items(), key=lambda i: -i[1][0]))
        print(f"{title}: PSS {mb(pss):.1f} MB, RSS {mb(rss):.1f} MB  (PSS by process: {parts}; "
              f"n={len(samples)})")
    return statistics.median(starts), median_memory(result["idle"])[1][0], (
        median_memory(result["after"])[1][0] if result["after"] else None)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--app", required=True)
    p.add_argument("--bare", required=True)
    p.add_argument("--deb", help="the .deb, for its size")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--memory-runs", type=int, default=3)
    p.add_argument("--charts", type=int, default=50)
    p.add_argument("--webkit-defaults", action="store_true",
                   help="also measure the app with OCCUDESK_WEBKIT_DEFAULTS=1 (no WebKit tuning)")
    p.add_argument("--loaded", choices=["all", "year", "pt15m", "none"], default="all",
                   help="which loaded-data scenarios to run (default: both)")
    p.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2026, 11, 23),
                   help="the pinned calendar (OCCUDESK_TODAY) for them; demo data ends the day before")
    p.add_argument("--year-building", type=int, default=71)
    p.add_argument("--year-runs", type=int, help="launches for the year scenario (default --memory-runs)")
    p.add_argument("--pt15m-site", metavar="BUILDING[:SITE]",
                   help="the floor/site for two years of PT15M (default: the demo's with most zones); "
                        "a building alone: the whole building")
    p.add_argument("--max-pages", type=int, default=0,
                   help="stop paging the PT15M table after this many pages (default 0: to the end)")
    a = p.parse_args()

    data = tempfile.mkdtemp(prefix="occudesk-bench-")
    env = dict(os.environ, OCCUDESK_DATA_DIR=data)
    bare = measure("bare Tauri 2 window", a.bare, [], "#main", env, a.runs, 0, a.memory_runs)
    app = measure("Occupancy Desk (--demo)", a.app, ["--demo"], "body[data-ready=true] [data-testid=nav-insights]",
                  env, a.runs, a.charts, a.memory_runs)

    untuned = None
    if a.webkit_defaults:
        untuned = measure("Occupancy Desk (--demo), OCCUDESK_WEBKIT_DEFAULTS=1", a.app, ["--demo"],
                          "body[data-ready=true] [data-testid=nav-insights]",
                          dict(env, OCCUDESK_WEBKIT_DEFAULTS="1"), a.runs, a.charts, a.memory_runs)

    size = lambda path: f"{os.path.getsize(path) / 1e6:.2f} MB"
    b_start, b_idle, _ = report(bare, [f"binary: {size(a.bare)}"])
    app_sizes = [f"binary: {size(a.app)}"] + ([f".deb: {size(a.deb)}"] if a.deb else [])
    a_start, a_idle, a_after = report(app, app_sizes)
    if untuned:
        u_start, u_idle, u_after = report(untuned, [])

    pinned = dict(env, OCCUDESK_TODAY=a.today.isoformat())
    year_pss = pt15m = None
    if a.loaded in ("all", "year"):
        year = measure_year(a.app, pinned, a.year_building, a.today, a.year_runs or a.memory_runs)
        year_pss = report_year(year, a.year_building)
    if a.loaded in ("all", "pt15m"):
        choice = tuple(int(x) for x in a.pt15m_site.split(":")) if a.pt15m_site else None
        pt15m = measure_pt15m(a.app, pinned, a.today, a.max_pages, choice)
        report_pt15m(pt15m)
    for line in NOT_QUIET:
        print(f"WARNING, PSS understated: {line}")
    print("\n## side by side")
    print(f"start: app {a_start * 1000:.0f} ms vs bare {b_start * 1000:.0f} ms (target < 1000 ms)")
    print(f"idle PSS: app {mb(a_idle):.1f} MB vs bare {mb(b_idle):.1f} MB = {a_idle / b_idle:.2f}x (target <= 1.00x)")
    if a_after:
        print(f"after {a.charts} charts: {mb(a_after):.1f} MB, growth {100 * (a_after - a_idle) / a_idle:+.1f}% (target < 10%)")
    if untuned:
        print(f"WebKit defaults: start {u_start * 1000:.0f} ms, idle PSS {mb(u_idle):.1f} MB = {u_idle / b_idle:.2f}x bare, "
              f"after charts {mb(u_after):.1f} MB ({100 * (u_after - u_idle) / u_idle:+.1f}%)")
    if year_pss:
        print(f"a year of PT1H loaded, every tab drawn: PSS app {mb(year_pss):.1f} MB vs bare idle {mb(b_idle):.1f} MB "
              f"= {year_pss / b_idle:.2f}x, {mb(year_pss - b_idle):+.1f} MB (target <= 1.00x)")
    if pt15m:
        heap = (f"JS heap {pt15m['heap']['used'] / 2**20:.1f} MB" if pt15m["heap"] else
                "JS heap n/a, web process RSS " + "/".join(f"{mb(rss):.1f}" for _, rss in pt15m["web"]) + " MB")
        print(f"two years of PT15M, {pt15m['zones']}-zone {'building' if pt15m['whole'] else 'site'}, {pt15m['rows']:,} rows, {pt15m['pages']} pages: "
              f"app peak RSS {mb(pt15m['hwm']):.1f} MB, {heap}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
