"""Periodic upkeep of the uploaded files (beat: settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="core.remove_orphaned_uploads", ignore_result=True)
def remove_orphaned_uploads() -> int:
    """Expire pending uploads (core.pending), then remove files no row references
    (core.files.remove_orphans)."""
    from core.files import remove_orphans
    from core.pending import pending_uploads_expire

    pending_uploads_expire()

    return len(remove_orphans().removed)
