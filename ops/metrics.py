"""/metrics: figures for operators in Prometheus' text format, computed from the database at
each scrape (so every gunicorn worker answers the same, and nothing is lost on a restart).

An app contributes figures in its own `metrics.py` (autodiscovered by ops.apps):

    from ops.metrics import GaugeMetricFamily, collector

    @collector("issues")
    def issue_figures():
        yield GaugeMetricFamily("tracker_issues_open", "…", value=…)

A collector that fails (say, the database is down) costs only its own figures:
`tracker_scrape_collector_success{collector="issues"}` turns 0 and the error is logged.
"""

import logging
from collections.abc import Callable, Iterable

from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

import projects_tracker

__all__ = ["GaugeMetricFamily", "collector", "render"]

logger = logging.getLogger(__name__)
_collectors: dict[str, Callable[[], Iterable[Metric]]] = {}


def collector(name: str):
    """Register a function yielding metric families under `name` (one per app or topic)."""

    def decorate(function: Callable[[], Iterable[Metric]]):
        _collectors[name] = function
        return function

    return decorate


class _Collected:
    """Runs every registered collector; one failing does not empty the scrape."""

    def collect(self) -> Iterable[Metric]:
        success = GaugeMetricFamily(
            "tracker_scrape_collector_success", "1 if the collector's figures are in this scrape.", labels=["collector"]
        )
        for name, function in sorted(_collectors.items()):
            try:
                families = list(function())
            except Exception:
                logger.exception("Metrics collector %s failed", name)
                success.add_metric([name], 0)
                continue
            success.add_metric([name], 1)
            yield from families
        yield success


def render() -> tuple[bytes, str]:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collected())
    return generate_latest(registry), CONTENT_TYPE_PLAIN_0_0_4


@collector("ops")
def _ops_figures() -> Iterable[Metric]:
    from ops.selectors import periodic_task_lags

    yield InfoMetricFamily(
        "tracker_build", "Version of the running application.", value={"version": projects_tracker.__version__}
    )
    last = GaugeMetricFamily(
        "tracker_periodic_task_last_success_timestamp_seconds",
        "When each periodic task last succeeded (Unix time).",
        labels=["task"],
    )
    lag = GaugeMetricFamily(
        "tracker_periodic_task_lag_seconds",
        "Seconds since each periodic task last succeeded, e.g. the reminder sweep "
        "(task=notifications.sweep_due_reminders). Absent for a task that never succeeded.",
        labels=["task"],
    )
    interval = GaugeMetricFamily(
        "tracker_periodic_task_interval_seconds", "How often beat sends each periodic task.", labels=["task"]
    )
    for task in periodic_task_lags(now=timezone.now()):
        if task.interval_seconds is not None:
            interval.add_metric([task.name], task.interval_seconds)
        if task.last_success_at is not None:
            last.add_metric([task.name], task.last_success_at.timestamp())
            lag.add_metric([task.name], task.lag_seconds)
    yield from (last, lag, interval)
