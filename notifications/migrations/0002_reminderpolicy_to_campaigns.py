# ReminderPolicy moves to the campaigns app (created there, state only, by campaigns/0001): its
# table takes the new app's name with every row (campaign ladders and the default scopes).

from django.db import migrations


def move_content_type(apps, schema_editor):
    """Keep the audit trail's and the admin log's references: the content type follows the model."""
    _relabel(apps, schema_editor, "notifications", "campaigns")


def restore_content_type(apps, schema_editor):
    _relabel(apps, schema_editor, "campaigns", "notifications")


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model="reminderpolicy").exists():
        types.filter(app_label=old, model="reminderpolicy").update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("notifications", "0001_initial"),
    ]
    # The last model referring to projects.Campaign leaves before projects drops it.
    run_before = [("projects", "0003_milestone_campaign")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="reminderpolicy", table="campaigns_reminderpolicy")],
            state_operations=[migrations.DeleteModel(name="ReminderPolicy")],
        ),
        migrations.RunPython(move_content_type, restore_content_type, elidable=False),
    ]
