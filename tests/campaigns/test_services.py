"""Campaign writes and figures, and the reminder ladders: who may, bad input, the audit trail,
the statistics and the ranking (one definition each)."""

import datetime
from decimal import Decimal

import pytest

from campaigns.models import ReminderPolicy
from campaigns.selectors import (
    campaign_milestones,
    campaign_ranking,
    campaign_statistics,
    campaigns_visible_to,
    policy_in_force_for_campaign,
    reminder_policies_in_force,
)
from campaigns.services import campaign_create, campaign_update, reminder_policy_set
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Role
from core.rates import Rate
from projects.models import Stage, StageChange
from tests.factories import (
    CampaignFactory,
    DepartmentFactory,
    MilestoneFactory,
    OfficialFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


class TestPolicy:
    def test_supervisor_sets_a_campaign_ladder(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        campaign = CampaignFactory()
        policy = reminder_policy_set(
            by=supervisor, campaign=campaign, days_before=[1, 7, 3], repeat_every_days_overdue=2
        )
        assert policy.days_before == [7, 3, 1]
        assert policy.scope == ReminderPolicy.Scope.CAMPAIGN
        reminder_policy_set(by=supervisor, campaign=campaign, escalate_after_days_overdue=None)
        policy.refresh_from_db()
        assert policy.escalate_after_days_overdue is None
        assert AuditEntry.objects.filter(action__startswith="reminder_policy.").count() == 2

    def test_default_scope_policy(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        reminder_policy_set(by=supervisor, scope=ReminderPolicy.Scope.ISSUES, days_before=[2])
        reminder_policy_set(by=supervisor, scope=ReminderPolicy.Scope.ISSUES, days_before=[2, 1])
        assert ReminderPolicy.objects.get(scope=ReminderPolicy.Scope.ISSUES).days_before == [2, 1]

    @pytest.mark.parametrize("role", [Role.OFFICIAL, Role.LEADER, Role.HANDLER, Role.STAFF])
    def test_others_may_not(self, role):
        with pytest.raises(PermissionDenied):
            reminder_policy_set(by=user_with_role(role), campaign=CampaignFactory(), days_before=[1])
        assert not ReminderPolicy.objects.exists()

    @pytest.mark.parametrize("days", [[0], [400], [3, 3], ["x"]])
    def test_bad_ladder_is_refused_field_by_field(self, days):
        with pytest.raises(ApplicationError) as exc:
            reminder_policy_set(by=user_with_role(Role.SUPERVISOR), campaign=CampaignFactory(), days_before=days)
        assert "days_before" in exc.value.fields
        assert not ReminderPolicy.objects.exists()


class TestCampaigns:
    def test_create_lasts_100_days_by_default(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        project = ProjectFactory()
        campaign = campaign_create(
            by=supervisor, name="百日攻坚", start_date=datetime.date(2026, 9, 1), projects=[project]
        )
        assert campaign.end_date == datetime.date(2026, 12, 9)
        assert (campaign.end_date - campaign.start_date).days + 1 == 100
        assert list(campaign.projects.all()) == [project]
        assert AuditEntry.objects.filter(action="campaign.create").exists()

    def test_bad_input_and_permission(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        with pytest.raises(ApplicationError) as exc:
            campaign_create(
                by=supervisor, name="X", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2026, 8, 1)
            )
        assert exc.value.fields
        with pytest.raises(PermissionDenied):
            campaign_create(by=user_with_role(Role.OFFICIAL), name="X", start_date=datetime.date(2026, 9, 1))
        assert not campaigns_visible_to(supervisor).exists()

    def test_update_records_project_changes(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        campaign = CampaignFactory()
        project = ProjectFactory()
        campaign_update(campaign=campaign, by=supervisor, goals="开工10个", projects=[project])
        entry = AuditEntry.objects.get(action="campaign.update")
        assert entry.changes["projects"] == [[], [project.pk]]
        assert entry.changes["goals"] == ["", "开工10个"]

    def test_statistics_and_ranking(self):
        today = datetime.date(2026, 11, 27)
        campaign = CampaignFactory(
            start_date=datetime.date(2026, 9, 1),
            end_date=datetime.date(2026, 12, 9),
            goal_projects_to_start=4,
            goal_investment=Decimal("1000"),
        )
        unit_a, unit_b = DepartmentFactory(name="甲单位"), DepartmentFactory(name="乙单位")
        park_a, park_b = ParkFactory(name="经开区"), ParkFactory(name="高新区")
        pa = ProjectFactory(park=park_a, responsible_unit=unit_a, stage=Stage.UNDER_CONSTRUCTION)
        pb = ProjectFactory(park=park_b, responsible_unit=unit_b, stage=Stage.SIGNED)
        campaign.projects.set([pa, pb])
        # pa was signed before the campaign and started during it; pb was signed before it began.
        StageChange.objects.create(
            project=pa, from_stage="", to_stage=Stage.SIGNED, changed_on=datetime.date(2026, 7, 1)
        )
        StageChange.objects.create(
            project=pa, from_stage=Stage.SIGNED, to_stage=Stage.STARTED, changed_on=datetime.date(2026, 9, 20)
        )
        StageChange.objects.create(
            project=pb, from_stage="", to_stage=Stage.SIGNED, changed_on=datetime.date(2026, 8, 1)
        )
        ProgressReportFactory(project=pa, month=datetime.date(2026, 9, 1), investment=Decimal("300"))
        ProgressReportFactory(project=pa, month=datetime.date(2026, 8, 1), investment=Decimal("999"))

        def ms(project, due, done=None):
            return MilestoneFactory(project=project, campaign=campaign, due_date=due, completed_on=done)

        ms(pa, datetime.date(2026, 10, 1), done=datetime.date(2026, 9, 30))  # met on time
        ms(pa, datetime.date(2026, 10, 10), done=datetime.date(2026, 10, 20))  # met late
        ms(pa, datetime.date(2026, 12, 1))  # due
        ms(pb, datetime.date(2026, 11, 1))  # overdue
        ms(pb, datetime.date(2026, 11, 20), done=datetime.date(2026, 11, 20))  # met on time
        MilestoneFactory(project=pa, due_date=datetime.date(2026, 11, 1))  # not in the campaign

        stats = campaign_statistics(campaign=campaign, today=today)
        assert (stats.total, stats.met, stats.met_on_time, stats.due, stats.overdue, stats.due_so_far) == (
            5,
            3,
            2,
            1,
            1,
            4,
        )
        assert str(stats.completion_rate) == "60.0%"
        assert str(stats.on_time_rate) == "50.0%"
        assert (stats.days_total, stats.days_elapsed, stats.days_left) == (100, 88, 12)
        assert stats.phase == "running"
        assert stats.goals["projects_to_start"].actual == 1
        assert str(stats.goals["projects_to_start"].rate) == "25.0%"
        assert stats.goals["projects_to_sign"].actual == 0  # signed before the campaign
        assert str(stats.goals["projects_to_sign"].rate) == "—"  # no goal set
        assert stats.goals["investment"].actual == Decimal("300")

        parks = campaign_ranking(campaign=campaign, by="park", today=today)
        assert [(r.name, r.position, r.met_on_time, r.due_so_far, r.on_time_rate) for r in parks] == [
            ("经开区", 1, 1, 2, Rate(1, 2)),
            ("高新区", 2, 1, 2, Rate(1, 2)),  # same rate, but one overdue
        ]
        units = campaign_ranking(campaign=campaign, by="unit", today=datetime.date(2026, 10, 5))
        assert [(r.name, r.position, r.on_time_rate) for r in units] == [
            ("甲单位", 1, Rate(1, 1)),
            ("乙单位", 0, Rate(0, 0)),
        ]

    def test_milestone_list_is_scoped_and_filtered(self):
        campaign = CampaignFactory()
        mine = OfficialFactory()
        own = ProjectFactory(responsible_official=mine)
        other = ProjectFactory()
        a = MilestoneFactory(project=own, campaign=campaign, due_date=datetime.date(2026, 11, 1))
        MilestoneFactory(project=other, campaign=campaign, due_date=datetime.date(2026, 11, 1))
        today = datetime.date(2026, 11, 27)
        assert list(campaign_milestones(campaign=campaign, user=mine.user, today=today)) == [a]
        assert list(campaign_milestones(campaign=campaign, user=mine.user, status="overdue", today=today)) == [a]
        assert list(campaign_milestones(campaign=campaign, user=mine.user, status="met", today=today)) == []
        supervisor = user_with_role(Role.SUPERVISOR)
        assert campaign_milestones(campaign=campaign, user=supervisor, today=today).count() == 2


class TestPoliciesInForce:
    def test_a_campaign_follows_its_own_ladder_else_the_milestones_default(self):
        supervisor = user_with_role(Role.SUPERVISOR)
        own, other = CampaignFactory(), CampaignFactory()
        built_in = policy_in_force_for_campaign(other)
        assert (built_in.pk, built_in.days_before, built_in.escalate_after_days_overdue) == (None, [7, 3, 1], 7)
        default = reminder_policy_set(by=supervisor, scope=ReminderPolicy.Scope.MILESTONES, days_before=[5])
        mine = reminder_policy_set(by=supervisor, campaign=own, days_before=[2, 1])
        assert policy_in_force_for_campaign(own) == mine
        assert policy_in_force_for_campaign(other) == default

    def test_every_ladder_in_force_with_one_query(self, django_assert_num_queries):
        supervisor = user_with_role(Role.SUPERVISOR)
        campaign = CampaignFactory()
        mine = reminder_policy_set(by=supervisor, campaign=campaign, days_before=[2, 1])
        issues = reminder_policy_set(by=supervisor, scope=ReminderPolicy.Scope.ISSUES, days_before=[2])
        with django_assert_num_queries(1):
            policies = reminder_policies_in_force()
        assert policies.by_campaign == {campaign.pk: mine}
        assert policies.defaults[ReminderPolicy.Scope.ISSUES] == issues
        milestones = policies.defaults[ReminderPolicy.Scope.MILESTONES]  # none saved: the built-in one
        assert (milestones.pk, milestones.days_before, milestones.repeat_every_days_overdue) == (None, [7, 3, 1], 3)
