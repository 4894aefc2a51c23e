"""Campaign (from projects) and ReminderPolicy (from notifications) moved to the campaigns app
with their data: build the old schema with rows, migrate forward, find every row under the new
app — the campaign, its projects, the milestones' campaign, the ladders of every scope — and the
audit trail still pointing at them. Then back again, and forward once more."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

#: The last state before the move (campaigns not yet installed).
OLD = [("projects", "0001_initial"), ("notifications", "0001_initial")]
BEFORE_THE_MOVE = [*OLD, ("campaigns", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_world(apps) -> dict:
    Department = apps.get_model("core", "Department")
    Park = apps.get_model("core", "Park")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Project = apps.get_model("projects", "Project")
    Campaign = apps.get_model("projects", "Campaign")
    Milestone = apps.get_model("projects", "Milestone")
    ReminderPolicy = apps.get_model("notifications", "ReminderPolicy")
    ContentType_ = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")

    unit = Department.objects.create(name="经开区管委会")
    park = Park.objects.create(name="新沂经济开发区", committee=unit)
    enterprise = Enterprise.objects.create(name="新沂水性超纤新材料有限公司", credit_code="91320381MA1W8K3P60")
    projects = [
        Project.objects.create(
            code=f"XY-{n}",
            name=f"项目{n}",
            enterprise=enterprise,
            park=park,
            total_investment=Decimal("1000"),
            stage="signed",
            stage_changed_on=datetime.date(2026, 9, 1),
        )
        for n in (1, 2, 3)
    ]
    campaign = Campaign.objects.create(
        name="百日攻坚",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 12, 9),
        goal_investment=Decimal("300000"),
    )
    campaign.projects.set(projects[:2])
    milestone = Milestone.objects.create(
        project=projects[0], campaign=campaign, title="主体封顶", due_date=datetime.date(2026, 10, 1)
    )
    outside = Milestone.objects.create(project=projects[2], title="开工", due_date=datetime.date(2026, 10, 1))
    ReminderPolicy.objects.create(scope="campaign", campaign=campaign, days_before=[5, 1], webhook_url="https://r/c")
    ReminderPolicy.objects.create(scope="issues", days_before=[2], escalate_after_days_overdue=None)
    campaign_type, _created = ContentType_.objects.get_or_create(app_label="projects", model="campaign")
    policy_type, _created = ContentType_.objects.get_or_create(app_label="notifications", model="reminderpolicy")
    AuditEntry.objects.create(
        action="campaign.create", content_type=campaign_type, object_id=str(campaign.pk), object_repr="百日攻坚"
    )
    return {
        "campaign": campaign.pk,
        "projects": sorted(p.pk for p in projects[:2]),
        "milestone": milestone.pk,
        "outside": outside.pk,
        "campaign_type": campaign_type.pk,
        "policy_type": policy_type.pk,
    }


def _assert_moved(apps, old: dict) -> None:
    Campaign = apps.get_model("campaigns", "Campaign")
    ReminderPolicy = apps.get_model("campaigns", "ReminderPolicy")
    Milestone = apps.get_model("projects", "Milestone")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType_ = apps.get_model("contenttypes", "ContentType")

    campaign = Campaign.objects.get(pk=old["campaign"])
    assert (campaign.name, campaign.end_date, campaign.goal_investment) == (
        "百日攻坚",
        datetime.date(2026, 12, 9),
        Decimal("300000.00"),
    )
    assert sorted(campaign.projects.values_list("pk", flat=True)) == old["projects"]
    assert Milestone.objects.get(pk=old["milestone"]).campaign_id == campaign.pk
    assert Milestone.objects.get(pk=old["outside"]).campaign_id is None
    assert list(campaign.milestones.values_list("pk", flat=True)) == [old["milestone"]]
    own = ReminderPolicy.objects.get(campaign=campaign)
    assert (own.scope, own.days_before, own.webhook_url) == ("campaign", [5, 1], "https://r/c")
    issues = ReminderPolicy.objects.get(scope="issues")
    assert (issues.campaign_id, issues.days_before, issues.escalate_after_days_overdue) == (None, [2], None)
    # The content types follow the models (same rows), so the audit trail still finds the campaign.
    campaign_type = ContentType_.objects.get(pk=old["campaign_type"])
    assert (campaign_type.app_label, campaign_type.model) == ("campaigns", "campaign")
    policy_type = ContentType_.objects.get(pk=old["policy_type"])
    assert (policy_type.app_label, policy_type.model) == ("campaigns", "reminderpolicy")
    entry = AuditEntry.objects.get(action="campaign.create")
    assert (entry.content_type_id, entry.object_id) == (campaign_type.pk, str(campaign.pk))
    # New rows get new keys after the moved ones (the sequences came along with the tables).
    added = Campaign.objects.create(name="冬季攻坚", start_date=campaign.start_date, end_date=campaign.end_date)
    assert added.pk > campaign.pk
    added.delete()


def test_campaigns_and_policies_keep_their_rows_across_the_move():
    try:
        loader = _migrate(BEFORE_THE_MOVE)
        ContentType.objects.clear_cache()
        old = _old_world(loader.project_state(OLD).apps)

        loader = _migrate(_latest())
        _assert_moved(loader.project_state(loader.graph.leaf_nodes()).apps, old)

        # And back: the old apps own their rows again (a rollback of a deployment).
        loader = _migrate(BEFORE_THE_MOVE)
        apps = loader.project_state(OLD).apps
        campaign = apps.get_model("projects", "Campaign").objects.get(pk=old["campaign"])
        assert sorted(campaign.projects.values_list("pk", flat=True)) == old["projects"]
        assert apps.get_model("notifications", "ReminderPolicy").objects.filter(campaign=campaign).exists()
        assert apps.get_model("contenttypes", "ContentType").objects.get(pk=old["campaign_type"]).app_label == (
            "projects"
        )
    finally:
        loader = _migrate(_latest())
        ContentType.objects.clear_cache()
    # The forward migration runs again on the rolled-back data.
    _assert_moved(loader.project_state(loader.graph.leaf_nodes()).apps, old)
