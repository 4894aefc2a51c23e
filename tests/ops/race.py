"""Two handlers resolve the same issue at the same moment through the API, round after round.

Used in-process on the configured test database (tests/ops/test_concurrency.py) and, as
`python -m tests.ops.race <sqlite file>`, in a subprocess whose default database is a fresh
SQLite file (the embedded default of `make run`), so that variant runs whatever DATABASE_URL
the suite itself uses.
"""

import json
import os
import sys
import threading

ROUNDS = 6


def race(rounds: int = ROUNDS) -> list[dict]:
    """Each round: a fresh issue in progress, two handlers of its department POST resolve with
    the version they both saw, released together by a barrier. Returns per round the two status
    codes (sorted), the error codes and how many resolve events the issue ended with."""
    from django.db import connection
    from rest_framework.test import APIClient

    from issues.models import Status
    from tests.issues.conftest import build_world, issue_in_state

    world = build_world()
    results = []
    for _ in range(rounds):
        issue = issue_in_state(world, Status.IN_PROGRESS)
        barrier = threading.Barrier(2)
        answers: dict[str, tuple[int, str]] = {}

        def resolve(user, name, issue=issue, barrier=barrier, answers=answers):
            client = APIClient()
            client.force_authenticate(user)
            try:
                barrier.wait(timeout=20)
                response = client.post(
                    f"/api/v1/issues/{issue.pk}/resolve/",
                    {"version": issue.version, "note": f"{name} 已办结", "outcome": "solved"},
                    format="json",
                )
                body = response.json() if response["Content-Type"].startswith("application/json") else {}
                answers[name] = (response.status_code, body.get("code", ""))
            except Exception as exc:  # reported, and failed, by the caller
                answers[name] = (0, repr(exc))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=resolve, args=(world.handler, "a")),
            threading.Thread(target=resolve, args=(world.handler_colleague, "b")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        issue.refresh_from_db()
        codes = sorted(answers.values())
        results.append(
            {
                "statuses": [status for status, _ in codes],
                "codes": [code for _, code in codes],
                "resolve_events": issue.events.filter(action="resolve").count(),
                "status": issue.status,
            }
        )
    return results


def main(database: str) -> None:
    """Migrate a fresh SQLite file and race on it; prints the results as JSON on the last line."""
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projects_tracker.test_settings")
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.db import connection

    from tests.issues.conftest import NOW

    call_command("migrate", interactive=False, verbosity=0)
    journal_mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    with time_machine.travel(NOW, tick=False):
        results = race()
    print(json.dumps({"journal_mode": journal_mode, "rounds": results}))


if __name__ == "__main__":
    main(sys.argv[1])
