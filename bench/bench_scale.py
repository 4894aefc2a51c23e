"""Every list, page, export, the cockpit, the chain map, OC4IDS, the league and the reminder sweep
at province scale: 1,000 and 10,000 projects (10 issues each), 100,000 opt-in.

Each size is generated from scratch by `scale.generators` (seed 1, 12 monthly reports and 5
milestones a project) into the scratch database, then measured with time frozen at
2026-11-27 10:00 Asia/Shanghai. Prints median / p95 / query count, the floor measured in the same
run and the ratio to it, the growth from the previous size, the peak memory of the exports.
Results also go to bench/results/scale.json. Harness: scale/bench.py.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench make bench
    BENCH_SCALE_SIZES=1000 BENCH_REPEAT=5 .venv/bin/python bench/bench_scale.py
    BENCH_SCALE_100K=1 …        # adds 100,000 projects / 1,000,000 issues (tens of minutes)
    BENCH_SKIP=export,briefing …  # leaves out the targets whose name contains one of the words
"""

import datetime
import json
import os
import sys
import time

import _setup

_setup.configure()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402

from scale import bench  # noqa: E402
from scale.generators import ScaleConfig, generate  # noqa: E402
from tests.seeds import seed_migrated_data  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SCALE_SIZES", "1000,10000").split(",") if n.strip()]
if os.environ.get("BENCH_SCALE_100K"):
    SIZES.append(100_000)
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
# Comma-separated words: targets whose name contains one are skipped (e.g. "export,briefing").
SKIP = os.environ.get("BENCH_SKIP", "")


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    run = bench.Run()
    print(bench.HEADER)
    for size in SIZES:
        call_command("flush", interactive=False, verbosity=0)
        seed_migrated_data()
        started = time.perf_counter()
        generate(ScaleConfig(projects=size, issues=size * 10, seed=1, today=_setup.TODAY))
        print(f"-- {size} projects, {size * 10} issues generated in {time.perf_counter() - started:.0f} s")
        with time_machine.travel(datetime.datetime(2026, 11, 27, 2, tzinfo=datetime.UTC), tick=False):
            run.measure(size, bench.targets(today=_setup.TODAY), repeat=REPEAT, skip=SKIP)
            run.measure(size, bench.sweep_targets(), repeat=REPEAT, skip=SKIP)
        # Written after every size, so a long run interrupted keeps what it measured.
        out = _setup.ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "scale.json").write_text(json.dumps([m.as_dict() for m in run.results], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
