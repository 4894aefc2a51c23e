"""Helpers for the reminder tests."""

import json
import time
from collections import Counter

import pytest


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.1, message: str = "condition"):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def delivered_counts(smtp, robot) -> tuple[Counter, Counter]:
    """How many times each distinct e-mail (recipient, subject, text) and post (path, JSON) arrived."""
    mails = Counter((tuple(m["to"]), m["subject"], m["body"]) for m in smtp.snapshot())
    posts = Counter((path, json.dumps(body, sort_keys=True, ensure_ascii=False)) for path, body in robot.snapshot())
    return mails, posts
