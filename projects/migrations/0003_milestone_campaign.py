# Milestone.campaign now refers to campaigns.Campaign (the same table, renamed by 0002); the
# campaign leaves this app's state. notifications/0002 runs before this one, so no model refers
# to projects.Campaign any more when it is dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("projects", "0002_campaign_table"),
    ]

    operations = [
        migrations.AlterField(
            model_name="milestone",
            name="campaign",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="milestones",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Campaign")]),
    ]
