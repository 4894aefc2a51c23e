"""`python manage.py backup`: write a backup archive of the database and the media (ops.backup).

Once, or with --daily-at HH:MM as a long-running scheduler (the compose `backup` service): it
backs up at that local time every day, and at start-up when the newest archive is older than a
day, so a stopped scheduler catches up.
"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.backup import BackupError, backup_create, newest_archive


def _time_of_day(value: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--daily-at takes a time of day such as 02:30, not {value!r}.") from exc


def next_run(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """The first `at` (local time) strictly after `now`."""
    local = timezone.localtime(now)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=at.second, microsecond=0)
    if candidate <= local:
        candidate = timezone.make_aware(datetime.datetime.combine(local.date() + datetime.timedelta(days=1), at))
    return candidate


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one timestamped archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", help=f"Where to write the archive (default BACKUP_DIR: {settings.BACKUP_DIR})."
        )
        parser.add_argument(
            "--keep",
            type=int,
            help=f"Keep this many newest archives, 0 = all (default BACKUP_KEEP: {settings.BACKUP_KEEP}).",
        )
        parser.add_argument("--daily-at", help="Keep running and back up every day at this local time (HH:MM).")

    def handle(self, *args, output_dir=None, keep=None, daily_at=None, **options):
        if daily_at is None:
            self._backup(output_dir, keep, fail=True)
            return
        at = _time_of_day(daily_at)
        newest = newest_archive(output_dir)
        if newest is None or time.time() - newest.stat().st_mtime > 24 * 3600:
            self._backup(output_dir, keep, fail=False)
        while True:
            due = next_run(timezone.now(), at)
            self.stdout.write(f"Next backup at {due.isoformat()}")
            time.sleep(max((due - timezone.now()).total_seconds(), 0))
            self._backup(output_dir, keep, fail=False)

    def _backup(self, output_dir, keep, *, fail: bool) -> None:
        try:
            result = backup_create(directory=output_dir, keep=keep)
        except BackupError as exc:
            if fail:
                raise CommandError(str(exc)) from exc
            # The scheduler keeps going; the healthcheck (newest archive's age) will say so.
            self.stderr.write(f"Backup failed: {exc}")
            return
        self.stdout.write(f"{result.path} ({result.size} bytes, {result.media_files} media files)")
        for path in result.removed:
            self.stdout.write(f"Removed old archive {path.name}")
