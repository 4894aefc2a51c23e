"""Exactly one Celery beat schedules, however many run: leader election on a Redis lock.

Every machine may run a beat (so that losing one loses no reminders); each beat's scheduler
tries to hold the lock `tracker:beat:leader` (SET NX PX: one holder at a time, with a time to
live). The holder — the leader — renews the lock on every tick and sends the due tasks; the
others stand by, retry every few seconds and take over within BEAT_LEADER_TTL_SECONDS after the
leader dies (its lock expires). A leader that cannot renew in time (Redis unreachable, a long
pause) stops sending at once: two leaders never send together. The renewal and the release
check that the lock is still this beat's (a Lua compare-and-set), so a beat never extends or
drops another's lock.

A task sent twice in a hand-over is harmless anyway: the sweeps are idempotent (unique keys).
Without REDIS_URL (the embedded broker of `make run`, one machine) every beat leads.
"""

import contextlib
import glob
import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "tracker:beat:leader"

# Extend the lock only if it is still ours; delete it only if it is still ours.
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class LeaderScheduler(PersistentScheduler):
    """celery beat's persistent scheduler that sends only while it holds the leader lock."""

    def __init__(self, *args, **kwargs):
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.ttl_seconds = max(3, int(getattr(settings, "BEAT_LEADER_TTL_SECONDS", 30)))
        self.is_leader = False
        self._redis = None
        if settings.REDIS_URL:
            import redis

            self._redis = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=self.ttl_seconds / 6, socket_connect_timeout=self.ttl_seconds / 6
            )
        super().__init__(*args, **kwargs)
        # Tick (and so renew) at least three times per time to live.
        self.max_interval = min(self.max_interval, self.ttl_seconds / 3)

    def lead(self) -> bool:
        """Take or keep the lock; True while this beat leads."""
        if self._redis is None:
            return True
        ttl_ms = self.ttl_seconds * 1000
        try:
            if self.is_leader:
                if self._redis.eval(_RENEW, 1, LOCK_KEY, self.identity, ttl_ms):
                    return True
                logger.warning("beat %s lost the leader lock; standing by", self.identity)
                self.is_leader = False
            if self._redis.set(LOCK_KEY, self.identity, nx=True, px=ttl_ms):
                logger.info("beat %s is the leader: it sends the scheduled tasks", self.identity)
                self.is_leader = True
                return True
        except Exception as exc:  # any Redis failure: stop sending, retry later
            if self.is_leader:
                logger.warning("beat %s cannot reach Redis (%s); standing by", self.identity, exc)
            self.is_leader = False
        return False

    def tick(self, *args, **kwargs):
        if self.lead():
            return super().tick(*args, **kwargs)
        self._touch_schedule_file()
        return min(self.max_interval, max(1.0, self.ttl_seconds / 6))

    def _touch_schedule_file(self) -> None:
        # `manage.py healthcheck beat` reads the file's age: a beat standing by is alive too.
        for path in glob.glob(glob.escape(self.schedule_filename) + "*"):
            with contextlib.suppress(OSError):
                os.utime(path)

    def close(self):
        try:
            super().close()
        finally:
            if self._redis is not None and self.is_leader:
                # On failure the lock expires by itself.
                with contextlib.suppress(Exception):
                    self._redis.eval(_RELEASE, 1, LOCK_KEY, self.identity)
                self.is_leader = False
