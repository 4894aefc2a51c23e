"""Celery tasks of core: thin wrappers around one service each, idempotent."""

from celery import shared_task

from core import services


@shared_task(name="core.purge_expired_audit", ignore_result=True)
def purge_expired_audit() -> int:
    return services.audit_purge_expired()
