"""Recompute the stored health of every project (dashboards.services.project_health_refresh).

Run after a bulk load that bypassed the services (e.g. generate_scale_data) or to repair; the
nightly beat task does the same.
"""

import time

from django.core.management.base import BaseCommand

from dashboards.models import ProjectHealth
from dashboards.services import project_health_refresh


class Command(BaseCommand):
    help = "Recompute the stored red/yellow/green health of every project."

    def handle(self, *args, **options):
        started = time.monotonic()
        written = project_health_refresh()
        elapsed = time.monotonic() - started
        total = ProjectHealth.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"{total} projects' health checked, {written} rows written, in {elapsed:.1f} s.")
        )
