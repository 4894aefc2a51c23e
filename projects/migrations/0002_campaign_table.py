# The campaign moves to the campaigns app (campaigns/migrations/0001_initial.py). First its table
# and the table of its projects take the new app's names, rows kept; projects/0003 then points
# Milestone.campaign at campaigns.Campaign and drops the model from this app's state.

from django.db import migrations


def move_content_type(apps, schema_editor):
    """Keep the audit trail's and the admin log's references: the content type follows the model."""
    _relabel(apps, schema_editor, "projects", "campaigns")


def restore_content_type(apps, schema_editor):
    _relabel(apps, schema_editor, "campaigns", "projects")


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="campaign").exists():
        types.filter(app_label=old, model="campaign").update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="campaign", table="campaigns_campaign"),
        migrations.RunPython(move_content_type, restore_content_type, elidable=False),
    ]
