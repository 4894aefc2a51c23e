"""Shared set-up for the benchmarks: a scratch database, seeded at a chosen size.

The database is BENCH_DATABASE_URL if set (e.g. a PostgreSQL database you may drop), else a
fresh SQLite file under var/bench/. It is migrated from scratch on every run, so figures are
comparable between runs on the same machine.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure() -> None:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        db_file = bench_dir / "bench.sqlite3"
        db_file.unlink(missing_ok=True)
        url = f"sqlite:///{db_file}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_tracker.test_settings")
    os.environ["MEDIA_ROOT"] = str(bench_dir / "media")
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def timed(fn, *, repeat: int = 15, warmup: int = 2) -> dict:
    """Median and 95th percentile wall time (ms) and the query count of one call of `fn`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    samples = []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
        "queries": queries,
    }


def print_table(title: str, rows: list[tuple[str, int, dict]]) -> None:
    print(f"\n{title}")
    print(f"{'what':<42}{'rows':>7}{'median ms':>12}{'p95 ms':>10}{'queries':>9}")
    for name, n, r in rows:
        print(f"{name:<42}{n:>7}{r['median_ms']:>12}{r['p95_ms']:>10}{r['queries']:>9}")


TODAY = datetime.date(2026, 11, 27)
