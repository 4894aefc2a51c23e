"""`python manage.py restore ARCHIVE`: restore a backup archive into this (empty) instance."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive (manage.py backup) into this instance: its database and media folder. "
        "Refuses an instance that has user accounts or media files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of a tracker-backup-*.tar.gz archive.")
        parser.add_argument(
            "--force", action="store_true", help="Replace this instance's database and media even if they hold data."
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            result = backup_restore(archive=archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {result.created_at} (version {result.version}): "
            f"{result.media_files} media files, {result.migrations_applied} migrations applied afterwards."
        )
