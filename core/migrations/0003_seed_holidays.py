"""Seed the holiday calendar from the pinned chinesecalendar library (years 2004–2026), with
`core.calendar.holidays_seed_from_library` — the function `manage.py seed_holidays` runs after a
library upgrade and the tests run after a database flush. Later years are added by supervisors in
the admin or by that command.
"""

from django.db import migrations

from core.calendar import holidays_seed_from_library


def seed(apps, schema_editor):
    holidays_seed_from_library(model=apps.get_model("core", "Holiday"))


def unseed(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday")]

    operations = [migrations.RunPython(seed, unseed)]
