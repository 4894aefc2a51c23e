"""Celery tasks of core: housekeeping that beat runs, thin wrappers around one function each."""

from celery import shared_task

from core import services
from core.idempotency import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records", ignore_result=True)
def purge_idempotency_records() -> int:
    """Delete Idempotency-Key records older than IDEMPOTENCY_TTL_HOURS."""
    return idempotency_records_purge()


@shared_task(name="core.purge_expired_audit", ignore_result=True)
def purge_expired_audit() -> int:
    return services.audit_purge_expired()


@shared_task(name="core.remove_orphaned_uploads", ignore_result=True)
def remove_orphaned_uploads() -> int:
    """Expire pending uploads (core.pending), then remove files no row references
    (core.files.remove_orphans)."""
    from core.files import remove_orphans
    from core.pending import pending_uploads_expire

    pending_uploads_expire()

    return len(remove_orphans().removed)
