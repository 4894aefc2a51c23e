"""`manage.py healthcheck beat`: a real `celery beat` keeps its schedule file fresh; a stopped
one lets it age past the limit. (The backup scheduler's check: tests/ops/test_backup.py.)"""

import io
import os
import subprocess
import time

import pytest
from django.core.management import CommandError, call_command

from tests.ops.conftest import BIN, ROOT, server_environment


def test_beat_is_healthy_while_it_runs_and_not_once_its_file_goes_stale(tmp_path, settings):
    env = server_environment(tmp_path)
    schedule = tmp_path / "var" / "celerybeat-schedule"
    settings.CELERY_BEAT_SCHEDULE_FILENAME = str(schedule)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("healthcheck", "beat")

    beat = subprocess.Popen(
        [str(BIN / "celery"), "-A", "projects_tracker", "beat", "--loglevel=INFO", f"--schedule={schedule}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                call_command("healthcheck", "beat", stdout=io.StringIO())
                break
            except CommandError:
                if time.monotonic() > deadline or beat.poll() is not None:
                    pytest.fail("beat never wrote its schedule file")
                time.sleep(0.5)
    finally:
        os.killpg(beat.pid, 9)
        beat.wait(timeout=10)

    # Three sweep intervals (3 × 60 s, at least 180 s) without a write: beat is stuck or gone.
    for path in tmp_path.joinpath("var").glob("celerybeat-schedule*"):
        old = time.time() - 181
        os.utime(path, (old, old))
    with pytest.raises(CommandError, match=r"Unhealthy: beat's schedule file is 18[12] s old"):
        call_command("healthcheck", "beat")
    call_command("healthcheck", "beat", "--max-age=600", stdout=io.StringIO())
