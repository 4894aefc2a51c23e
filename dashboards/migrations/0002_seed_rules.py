"""Seed the default health rules (issue 5, point 8) and the league-table formulas
(dashboards.defaults); supervisors tune them afterwards in the admin."""

from django.db import migrations

from dashboards.defaults import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(apps.get_model("dashboards", "HealthRule"), apps.get_model("dashboards", "LeagueFormula"))


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
