"""`python manage.py healthcheck beat|backup`: exit 0 when the process behind it is alive.

For container healthchecks of processes that serve no HTTP:
- beat: its schedule file (CELERY_BEAT_SCHEDULE_FILENAME, written after every task it sends)
  changed within --max-age seconds (default: three times the shortest schedule interval, at
  least 180).
- backup: the newest archive in BACKUP_DIR is at most --max-age seconds old (default 26 hours).
"""

import glob
import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import newest_archive
from ops.selectors import schedule_interval


def _beat_default_age() -> float:
    intervals = [i for i in (schedule_interval(e) for e in settings.CELERY_BEAT_SCHEDULE.values()) if i]
    return max(3 * min(intervals, default=60), 180)


class Command(BaseCommand):
    help = "Exit 0 if beat (schedule file fresh) or the backup scheduler (newest archive recent) is healthy."

    def add_arguments(self, parser):
        parser.add_argument("component", choices=["beat", "backup"])
        parser.add_argument("--max-age", type=float, help="Seconds (see the command's description for defaults).")

    def handle(self, *args, component, max_age=None, **options):
        if component == "beat":
            # dbm may add a suffix to the file name (.db, or .dat/.dir/.bak).
            paths = glob.glob(glob.escape(settings.CELERY_BEAT_SCHEDULE_FILENAME) + "*")
            newest = max((os.stat(p).st_mtime for p in paths), default=None)
            limit = max_age or _beat_default_age()
            what = "beat's schedule file"
        else:
            archive = newest_archive()
            newest = archive.stat().st_mtime if archive else None
            limit = max_age or 26 * 3600
            what = "the newest backup archive"
        if newest is None:
            raise CommandError(f"Unhealthy: {what} does not exist.")
        age = time.time() - newest
        if age > limit:
            raise CommandError(f"Unhealthy: {what} is {age:.0f} s old (limit {limit:.0f} s).")
        self.stdout.write(f"OK: {what} is {age:.0f} s old.")
