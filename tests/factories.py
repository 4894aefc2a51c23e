"""factory_boy factories shared by the whole suite. Each app's helper adds its own below."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from core.models import Department, Official, Park, Role
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.validators import CHARSET, credit_code_check_char
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage

PASSWORD = "pw-for-tests-123"


def make_credit_code(n: int) -> str:
    body = f"91320381{n:09d}"
    body = "".join(ch if ch in CHARSET else "0" for ch in body)
    return body + credit_code_check_char(body)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"部门{n}")


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"园区{n}")
    committee = factory.SubFactory(DepartmentFactory, kind=Department.Kind.PARK_COMMITTEE)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    title = "科员"
    department = factory.SubFactory(DepartmentFactory)
    role = Role.OFFICIAL


def user_with_role(role: str, *, department=None, **kwargs):
    """A login user with an Official profile of `role` (and a department, new unless given)."""
    official_kwargs = {"role": role, **kwargs}
    if department is not None:
        official_kwargs["department"] = department
    return OfficialFactory(**official_kwargs).user


class IndustryChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"产业链{n}")


class ChainSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainSegment

    chain = factory.SubFactory(IndustryChainFactory)
    name = factory.Sequence(lambda n: f"环节{n}")
    position = ChainSegment.Position.MIDSTREAM


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    park = factory.SubFactory(ParkFactory)


class ServiceTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTeam

    name = factory.Sequence(lambda n: f"服务专班{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"XY-2026-{n:04d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    park = factory.SubFactory(ParkFactory)
    total_investment = Decimal("10000.00")
    planned_start = datetime.date(2026, 3, 1)
    planned_completion = datetime.date(2027, 12, 31)
    stage = Stage.UNDER_CONSTRUCTION
    stage_changed_on = datetime.date(2026, 3, 1)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    month = datetime.date(2026, 10, 1)
    investment = Decimal("500.00")
    physical_progress = "主体结构施工"


class AnnualTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualTarget

    project = factory.SubFactory(ProjectFactory)
    year = 2026
    planned_investment = Decimal("6000.00")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"

    name = factory.Sequence(lambda n: f"百日攻坚{n}")
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2026, 12, 9)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"节点{n}")
    due_date = datetime.date(2026, 12, 15)


# --- issues (helper "issues") -------------------------------------------------------------------


def _now():
    from django.utils import timezone

    return timezone.now()


def _raised_on(issue):
    from core.calendar import local_date

    return local_date(issue.raised_at)


def _issue_deadline(days: int):
    def compute(issue):
        from core.calendar import add_working_days, end_of_day

        return end_of_day(add_working_days(_raised_on(issue), days)[0])

    return factory.LazyAttribute(compute)


class IssueFactory(factory.django.DjangoModelFactory):
    """An issue row as raised now (status new), deadlines by the real calendar. For other states
    go through issues.services, or pass the fields of the state explicitly (status,
    lead_department, acknowledged_at, resolved_at, outcome …)."""

    class Meta:
        model = "issues.Issue"

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = "approval"
    urgency = "normal"
    title = factory.Sequence(lambda n: f"问题{n}")
    description = "施工许可办理进度慢"
    raised_by = factory.SubFactory(UserFactory)
    raised_at = factory.LazyFunction(_now)
    assign_days = 1
    response_days = 3
    resolution_days = 7
    resolution_counted_from = factory.LazyAttribute(_raised_on)
    assign_deadline = _issue_deadline(1)
    response_deadline = _issue_deadline(3)
    resolution_deadline = _issue_deadline(7)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "issues.Visit"

    date = datetime.date(2026, 11, 20)
    location = "新沂经济开发区"
    summary = "现场办公"
