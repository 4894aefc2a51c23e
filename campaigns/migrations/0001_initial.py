# Campaign (from projects) and ReminderPolicy (from notifications) join this app. Nothing is
# created in the database here: projects/0002 and notifications/0002 rename the existing tables
# to this app's names, so every row (campaigns, their projects, milestones' campaigns, policies)
# is kept.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal

import campaigns.models
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("projects", "0002_campaign_table"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Campaign",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                        ("start_date", models.DateField(verbose_name="start date")),
                        ("end_date", models.DateField(verbose_name="end date")),
                        ("goals", models.TextField(blank=True, verbose_name="goals")),
                        ("goal_projects_to_start", models.PositiveIntegerField(blank=True, null=True, verbose_name="projects to start")),
                        ("goal_projects_to_sign", models.PositiveIntegerField(blank=True, null=True, verbose_name="projects to sign")),
                        ("goal_investment", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal("0"))], verbose_name="investment to complete (10k yuan)")),
                        ("projects", models.ManyToManyField(blank=True, related_name="campaigns", to="projects.project", verbose_name="projects")),
                    ],
                    options={
                        "verbose_name": "campaign",
                        "verbose_name_plural": "campaigns",
                        "ordering": ["-start_date"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("end_date__gte", models.F("start_date"))), name="campaign_end_after_start", violation_error_message="The end date cannot be before the start date."),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReminderPolicy",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("scope", models.CharField(choices=[("campaign", "One campaign"), ("milestones", "Milestones outside campaigns"), ("issues", "Issue time limits")], default="campaign", max_length=20, verbose_name="applies to")),
                        ("days_before", models.JSONField(blank=True, default=campaigns.models.default_days_before, help_text="A reminder this many days before the due date, e.g. 7, 3, 1.", validators=[campaigns.models.validate_days_before], verbose_name="days before the due date")),
                        ("on_the_day", models.BooleanField(default=True, verbose_name="remind on the day")),
                        ("repeat_every_days_overdue", models.PositiveSmallIntegerField(default=3, help_text="0: a single reminder on the first day overdue, no repeats.", verbose_name="repeat every … days while overdue")),
                        ("escalate_after_days_overdue", models.PositiveSmallIntegerField(blank=True, default=7, help_text="Notify the project's assigned leader and the responsible unit's head and open a supervision item. Empty: never.", null=True, verbose_name="escalate after … days overdue")),
                        ("webhook_url", models.URLField(blank=True, help_text="WeCom/DingTalk group robot for this campaign; otherwise each recipient's department's.", verbose_name="group-robot webhook")),
                        ("webhook_style", models.CharField(choices=[("text", "Plain text (WeCom and DingTalk)"), ("wecom_markdown", "WeCom markdown"), ("dingtalk_markdown", "DingTalk markdown")], default="text", max_length=20, verbose_name="webhook message style")),
                        ("campaign", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="reminder_policy", to="campaigns.campaign", verbose_name="campaign")),
                    ],
                    options={
                        "verbose_name": "reminder policy",
                        "verbose_name_plural": "reminder policies",
                        "ordering": ["scope", "id"],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(models.Q(("scope", "campaign"), ("campaign__isnull", False)), models.Q(models.Q(("scope", "campaign"), _negated=True), ("campaign__isnull", True)), _connector="OR"), name="reminder_policy_campaign_iff_scope", violation_error_message="A campaign policy names its campaign; the others name none."),
                            models.UniqueConstraint(condition=models.Q(("scope", "campaign"), _negated=True), fields=("scope",), name="reminder_policy_one_default_per_scope", violation_error_message="There is already a policy for this scope."),
                        ],
                    },
                ),
            ],
        ),
    ]
