"""The scale benchmark's harness runs at a tiny size: every target answers, the numbers are there.
(The benchmark itself is `make bench`; it is never run by the test suite.)"""

import datetime

import pytest
import time_machine

from scale import bench
from scale.generators import ScaleConfig, generate

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 27)


def test_every_list_endpoint_of_the_router_is_measured():
    urls = bench.api_list_urls()
    assert "/api/v1/projects/" in urls and "/api/v1/issues/" in urls and "/api/v1/issues/queue/" in urls
    assert len(urls) >= 20


def test_the_harness_measures_every_target_at_a_tiny_size():
    generate(ScaleConfig(projects=6, issues=30, users=15, enterprises=4, campaigns=1, seed=2, today=TODAY))
    run = bench.Run()
    lines = []
    with time_machine.travel(datetime.datetime(2026, 11, 27, 2, tzinfo=datetime.UTC), tick=False):
        run.measure(6, bench.targets(today=TODAY), repeat=1, log=lines.append)
        run.measure(6, bench.sweep_targets(), repeat=1, log=lines.append)
    names = {m.what for m in run.results}
    assert any("cockpit" in n for n in names)
    assert any(n.startswith("export ") for n in names)
    assert any("league" in n for n in names)
    assert any("oc4ids" in n for n in names)
    assert "reminders_sweep (re-run, nothing new)" in names
    for m in run.results:
        assert m.median_ms > 0 and m.p95_ms >= m.median_ms * 0 and m.queries != 0, m
        assert m.floor_ms is not None, m.what
    assert all(m.peak_mib for m in run.results if m.what.startswith("export "))
    assert len(lines) == len(run.results)
    # The second size reports the growth from the first.
    run.measure(7, bench.sweep_targets()[1:], repeat=1, log=lines.append)
    assert run.results[-1].growth is not None
