"""Seed the approval item types and project types (approvals.defaults); existing rows are kept."""

from django.db import migrations


def seed(apps, schema_editor):
    from approvals.defaults import seed_types

    seed_types(
        apps.get_model("approvals", "ProjectType"),
        apps.get_model("approvals", "ItemType"),
        apps.get_model("core", "Department"),
    )


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
