"""The public seed functions restore exactly what the data migrations seed (tests/seeds.py): a
transactional test, which ends with a flush of every table, hands the next one the database as
`migrate` left it. A new data migration whose seed is not listed there fails this test."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.seeds import seed_migrated_data

# Rebuilt by Django itself after a flush (post_migrate), under new ids.
REBUILT = {"contenttypes.ContentType", "auth.Permission"}


def _contents() -> dict[str, list]:
    """Every table's rows, without ids and timestamps, in a stable order."""
    contents = {}
    for model in apps.get_models():
        if model._meta.label in REBUILT:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        ]
        contents[model._meta.label] = sorted(map(repr, model.objects.values_list(*fields)))
    return contents


@pytest.mark.django_db
def test_after_a_flush_the_seed_functions_restore_what_the_migrations_seeded():
    migrated = _contents()
    assert migrated["core.Holiday"] and migrated["issues.TimeLimitRule"]
    assert migrated["dashboards.HealthRule"] and migrated["dashboards.LeagueFormula"]
    # Inside this test's transaction: rolled back afterwards like any other write.
    call_command("flush", interactive=False, verbosity=0)
    assert not any(_contents().values())
    seed_migrated_data()
    assert _contents() == migrated
