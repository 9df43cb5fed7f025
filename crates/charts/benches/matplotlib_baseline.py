"""Baseline for benches/render.rs: the same 35,040 PT15M points drawn to SVG with matplotlib.

    python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib
    /tmp/mpl/bin/python crates/charts/benches/matplotlib_baseline.py

Prints the median time of drawing one 1200x500 SVG (12 x 5 in at 100 dpi).
"""

import io
import math
import statistics
import time
from datetime import datetime, timedelta, timezone

import matplotlib

matplotlib.use("svg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

N = 35_040
START = datetime(2026, 1, 1, 6, 0, tzinfo=timezone.utc)


def year_points():
    xs, ys = [], []
    for i in range(N):
        hour = (i // 4) % 24
        day = (i // 96) % 7
        v = 40.0 + math.sin(i / 13.0) * 25.0 if day < 5 and 8 <= hour < 18 else 2.0
        xs.append(START + timedelta(minutes=15 * i))
        ys.append(v)
    return xs, ys


def render(xs, ys):
    fig, ax = plt.subplots(figsize=(12, 5), dpi=100)
    ax.plot(xs, ys, color="#2f6fde", linewidth=1.5, label="Mean occupancy")
    ax.axhline(80, color="#b91c1c", linestyle="--", linewidth=1, label="Capacity 80")
    ax.set_title("Zone 7 · one year of PT15M")
    ax.set_ylabel("People")
    ax.set_xlabel("Local time (America/Chicago)")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y", tz="America/Chicago"))
    ax.legend(loc="upper right")
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def main():
    xs, ys = year_points()
    render(xs, ys)  # warm-up (font cache, imports)
    times = []
    size = 0
    for _ in range(7):
        t = time.perf_counter()
        svg = render(xs, ys)
        times.append(time.perf_counter() - t)
        size = len(svg)
    print(
        f"matplotlib {matplotlib.__version__}: time series, {N} points, 1200x500 SVG: "
        f"{statistics.median(times) * 1e3:.1f} ms median, SVG {size / 1024:.1f} KB"
    )


if __name__ == "__main__":
    main()
