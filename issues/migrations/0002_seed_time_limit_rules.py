"""Seed the time-limit table with the "13710" defaults (issues.defaults: routed 1, first response
3, ordinary problems solved in 7, complex ones in 22 working days; shorter for urgent and critical
issues). The same public seed function restores them in tests after a database flush.
"""

from django.db import migrations

from issues.defaults import time_limit_rules_seed


def seed(apps, schema_editor):
    time_limit_rules_seed(model=apps.get_model("issues", "TimeLimitRule"))


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
