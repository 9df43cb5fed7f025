#!/usr/bin/env python3
"""Start-up time and memory of Occupancy Desk beside a bare Tauri 2 window.

Run through bench/startup-memory.sh, which builds both release binaries and runs this inside
scripts/desktop-session.sh (Xvfb, a private D-Bus session, GNOME Keyring). Standard library
only: WebDriver is plain JSON over HTTP to tauri-driver.

For each binary:
  * start-up: launch -> WebDriver finds the main view's element, median of --runs launches;
  * memory: PSS (/proc/PID/smaps_rollup) and RSS of the app and every process it started
    (WebKit's web and network processes), after the window has settled; for the app with
    every view built, then again after rendering --charts charts.
"""

import argparse
import http.client
import json
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

    def click(self, css):
        self.call("POST", f"/element/{self.find(css)}/click", {})

    def run(self, script):
        return self.call("POST", "/execute/sync", {"script": script, "args": []})

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


def app_processes(driver_pid, binary):
    """The app under tauri-driver (found by its executable) and everything it started."""
    tree = children_of()
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
    found, stack = [], list(roots)
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


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
    s.click("[data-testid=nav-insights]")
    s.find("[data-testid=pick-connection] option[value=demo-innerspace-v2]")
    s.run("""const pick = (id, v) => { const el = document.querySelector(`[data-testid=${id}]`);
             el.value = v; el.dispatchEvent(new Event('change')); };
             pick('pick-connection', 'demo-innerspace-v2');""")
    s.find("[data-testid=pick-building] option[value='71']")
    s.run("""const el = document.querySelector('[data-testid=pick-building]');
             el.value = '71'; el.dispatchEvent(new Event('change'));""")
    s.find("[data-testid=load-insights]:not([disabled])")
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
            idle.append(memory(app_processes(driver.pid, binary)))
            if charts:
                render_charts(s, charts)
                time.sleep(SETTLE_S)
                after.append(memory(app_processes(driver.pid, binary)))
            s.close()
            time.sleep(0.5)
    finally:
        driver.terminate()
        driver.wait()
    return {"label": label, "starts": starts, "idle": idle, "after": after}


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
    print("\n## side by side")
    print(f"start: app {a_start * 1000:.0f} ms vs bare {b_start * 1000:.0f} ms (target < 1000 ms)")
    print(f"idle PSS: app {mb(a_idle):.1f} MB vs bare {mb(b_idle):.1f} MB = {a_idle / b_idle:.2f}x (target <= 1.00x)")
    if a_after:
        print(f"after {a.charts} charts: {mb(a_after):.1f} MB, growth {100 * (a_after - a_idle) / a_idle:+.1f}% (target < 10%)")
    if untuned:
        print(f"WebKit defaults: start {u_start * 1000:.0f} ms, idle PSS {mb(u_idle):.1f} MB = {u_idle / b_idle:.2f}x bare, "
              f"after charts {mb(u_after):.1f} MB ({100 * (u_after - u_idle) / u_idle:+.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
