"""Planning a campaign in the browser (issue 12 item 5): projects found by name, pinyin initials,
park or chain; milestones added one by one, pasted from Excel (preview with row errors, all or
nothing) or copied from a template; responsible officials assigned. Supervisors only, audited."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.planning import TooManyRows, check_rows, parse_date, parse_template, split_rows
from campaigns.selectors import campaign_project_candidates
from campaigns.services import (
    campaign_add_projects,
    campaign_assign_responsible,
    campaign_milestone_add,
    campaign_milestone_edit,
    campaign_milestones_import,
    campaign_remove_project,
    campaign_template_apply,
)
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Role
from projects.models import Milestone
from tests.factories import (
    CampaignFactory,
    ChainSegmentFactory,
    DepartmentFactory,
    IndustryChainFactory,
    MilestoneFactory,
    OfficialFactory,
    ParkFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def world():
    unit = DepartmentFactory(name="经开区管委会")
    owner = OfficialFactory(name="项目专员", department=unit)
    park = ParkFactory(name="新沂经济开发区", short_name="经开区")
    other_park = ParkFactory(name="高新区")
    chain = IndustryChainFactory(name="新材料")
    segment = ChainSegmentFactory(chain=chain)
    steel = ProjectFactory(
        code="JK-001", name="中新钢铁二期", park=park, responsible_unit=unit, responsible_official=owner
    )
    fibre = ProjectFactory(code="JK-002", name="水性超纤", park=park, segment=segment, responsible_unit=unit)
    lonely = ProjectFactory(code="GX-009", name="光伏组件", park=other_park)
    campaign = CampaignFactory(
        name="冬季攻坚", start_date=datetime.date(2026, 11, 1), end_date=datetime.date(2027, 2, 8)
    )
    return {
        "unit": unit,
        "owner": owner,
        "park": park,
        "chain": chain,
        "steel": steel,
        "fibre": fibre,
        "lonely": lonely,
        "campaign": campaign,
        "supervisor": user_with_role(Role.SUPERVISOR),
    }


# --- Finding projects --------------------------------------------------------------------------------


class TestCandidates:
    def test_by_name_code_pinyin_park_and_chain(self, world):
        c = world["campaign"]
        assert campaign_project_candidates(campaign=c, q="钢铁") == [world["steel"]]
        assert campaign_project_candidates(campaign=c, q="zxgt") == [world["steel"]]
        assert campaign_project_candidates(campaign=c, q="ZXGT") == [world["steel"]]
        assert campaign_project_candidates(campaign=c, q="gx-0") == [world["lonely"]]
        assert set(campaign_project_candidates(campaign=c, park=world["park"])) == {world["steel"], world["fibre"]}
        assert campaign_project_candidates(campaign=c, chain=world["chain"]) == [world["fibre"]]
        assert campaign_project_candidates(campaign=c) == []  # no criterion, no list of everything

    def test_projects_already_in_are_left_out_and_the_list_is_bounded(self, world):
        c = world["campaign"]
        c.projects.add(world["steel"])
        assert campaign_project_candidates(campaign=c, q="zxgt") == []
        assert len(campaign_project_candidates(campaign=c, park=world["park"], limit=1)) == 1

    def test_hostile_text_is_only_text(self, world):
        c = world["campaign"]
        for q in ["%", "_", "' OR 1=1 --", "\\", "钢铁%"]:
            assert world["lonely"] not in campaign_project_candidates(campaign=c, q=q)


# --- Services -----------------------------------------------------------------------------------------


class TestServices:
    @pytest.mark.parametrize("role", [Role.OFFICIAL, Role.LEADER, Role.STAFF, Role.HANDLER])
    def test_only_supervisors_plan(self, world, role):
        user = user_with_role(role)
        c = world["campaign"]
        with pytest.raises(PermissionDenied):
            campaign_add_projects(campaign=c, by=user, projects=[world["steel"]])
        with pytest.raises(PermissionDenied):
            campaign_milestone_add(campaign=c, by=user, project=world["steel"], title="开工", due_date=TODAY)
        with pytest.raises(PermissionDenied):
            campaign_template_apply(campaign=c, by=user, template=[("开工", TODAY)], projects=[world["steel"]])
        assert not c.projects.exists() and not Milestone.objects.exists()

    def test_add_projects_is_idempotent_and_audited(self, world):
        c, sup = world["campaign"], world["supervisor"]
        assert campaign_add_projects(campaign=c, by=sup, projects=[world["steel"], world["steel"]]) == [world["steel"]]
        assert campaign_add_projects(campaign=c, by=sup, projects=[world["steel"]]) == []
        entries = AuditEntry.objects.filter(action="campaign.projects_add")
        assert entries.count() == 1 and entries.get().changes == {"projects": [world["steel"].pk]}

    def test_milestone_joins_the_project_and_defaults_to_its_official(self, world):
        c, sup = world["campaign"], world["supervisor"]
        m = campaign_milestone_add(campaign=c, by=sup, project=world["steel"], title=" 开工 ", due_date=TODAY)
        assert m.campaign == c and m.title == "开工" and m.responsible == world["owner"]
        assert list(c.projects.all()) == [world["steel"]]
        assert AuditEntry.objects.filter(action="milestone.create", object_id=str(m.pk)).exists()
        with pytest.raises(ApplicationError) as exc:
            campaign_milestone_add(campaign=c, by=sup, project=world["steel"], title="开工", due_date=TODAY)
        assert "title" in exc.value.fields
        with pytest.raises(ApplicationError):
            campaign_milestone_add(campaign=c, by=sup, project=world["steel"], title="  ", due_date=TODAY)

    def test_edit_and_assign(self, world):
        c, sup = world["campaign"], world["supervisor"]
        m = campaign_milestone_add(campaign=c, by=sup, project=world["fibre"], title="开工", due_date=TODAY)
        assert m.responsible is None
        other = OfficialFactory(name="环保局科长")
        campaign_milestone_edit(campaign=c, milestone=m, by=sup, title="正式开工", due_date=TODAY, responsible=other)
        m.refresh_from_db()
        assert (m.title, m.responsible) == ("正式开工", other)
        stranger = MilestoneFactory(project=world["fibre"])
        with pytest.raises(ApplicationError):
            campaign_milestone_edit(campaign=c, milestone=stranger, by=sup, title="x")
        assert campaign_assign_responsible(campaign=c, by=sup, milestones=[m], responsible=world["owner"]) == 1
        assert campaign_assign_responsible(campaign=c, by=sup, milestones=[m], responsible=world["owner"]) == 0

    def test_remove_project_detaches_its_milestones(self, world):
        c, sup = world["campaign"], world["supervisor"]
        m = campaign_milestone_add(campaign=c, by=sup, project=world["steel"], title="开工", due_date=TODAY)
        assert campaign_remove_project(campaign=c, by=sup, project=world["steel"]) == 1
        m.refresh_from_db()
        assert m.campaign is None and not c.projects.exists()
        with pytest.raises(ApplicationError):
            campaign_remove_project(campaign=c, by=sup, project=world["steel"])

    def test_template_copies_to_many_and_keeps_existing(self, world):
        c, sup = world["campaign"], world["supervisor"]
        campaign_milestone_add(campaign=c, by=sup, project=world["steel"], title="开工", due_date=TODAY)
        template = [("开工", TODAY), ("主体封顶", TODAY + datetime.timedelta(days=60))]
        created, skipped = campaign_template_apply(
            campaign=c, by=sup, template=template, projects=[world["steel"], world["fibre"]]
        )
        assert (len(created), skipped) == (3, 1)
        assert Milestone.objects.filter(campaign=c).count() == 4
        assert AuditEntry.objects.filter(action="campaign.template_apply").count() == 1
        with pytest.raises(ApplicationError):
            campaign_template_apply(campaign=c, by=sup, template=[], projects=[world["steel"]])
        with pytest.raises(ApplicationError):
            campaign_template_apply(campaign=c, by=sup, template=template, projects=[])


# --- Pasted rows -----------------------------------------------------------------------------------


class TestPaste:
    def test_dates_as_people_type_them(self):
        day = datetime.date(2026, 12, 31)
        for text in ["2026-12-31", "2026/12/31", "2026.12.31", "2026年12月31日", " 2026-12-31 ", "46387"]:
            assert parse_date(text) == day, text
        for text in ["", "31/12/2026", "2026-02-30", "明天", "99999999", "1e5"]:
            assert parse_date(text) is None, text

    def test_rows_are_read_with_their_errors(self, world):
        OfficialFactory(name="同名")
        OfficialFactory(name="同名")
        ProjectFactory(name="重名项目")
        ProjectFactory(name="重名项目")
        c = world["campaign"]
        text = "\n".join(
            [
                "项目\t节点\t完成时限\t责任人",
                "JK-001\t开工\t2026-12-20\t",
                "水性超纤\t主体封顶\t2027/1/31\t项目专员",
                "",
                "不存在的项目\t开工\t2026-12-20",
                "重名项目\t开工\t2026-12-20",
                "JK-001\t\t明天\t同名",
                "JK-001\t开工\t2026-12-21",
                "JK-002",
            ]
        )
        rows = check_rows(campaign=c, text=text, limit=100)
        assert [r.number for r in rows] == [2, 3, 5, 6, 7, 8, 9]
        ok, ok2, missing, ambiguous, bad, twice, short = rows
        assert not ok.errors and ok.project == world["steel"] and ok.responsible == world["owner"]
        assert not ok2.errors and ok2.due_date == datetime.date(2027, 1, 31) and ok2.responsible == world["owner"]
        assert missing.errors and ambiguous.errors and short.errors
        assert len(bad.errors) == 3  # no title, bad date, two officials of that name
        assert twice.errors
        assert "2026-12-31" in " ".join(bad.errors)

    def test_existing_milestones_and_limits(self, world):
        c = world["campaign"]
        campaign_milestone_add(campaign=c, by=world["supervisor"], project=world["steel"], title="开工", due_date=TODAY)
        (row,) = check_rows(campaign=c, text="JK-001,开工,2026-12-20", limit=10)
        assert row.errors
        with pytest.raises(TooManyRows):
            split_rows("a\tb\tc\n" * 11, limit=10)

    def test_import_is_all_or_nothing(self, world):
        c, sup = world["campaign"], world["supervisor"]
        rows = check_rows(campaign=c, text="JK-001\t开工\t2026-12-20\nnope\t开工\t2026-12-20", limit=10)
        with pytest.raises(ApplicationError):
            campaign_milestones_import(campaign=c, by=sup, rows=rows)
        assert not Milestone.objects.exists()
        rows = check_rows(campaign=c, text="JK-001\t开工\t2026-12-20\nJK-002\t开工\t2026-12-22", limit=10)
        assert len(campaign_milestones_import(campaign=c, by=sup, rows=rows)) == 2
        assert set(c.projects.all()) == {world["steel"], world["fibre"]}

    def test_template_lines(self):
        template, errors = parse_template("开工 2026-12-20\n主体封顶\t2027-03-31\n\n开工,2027-01-01\n坏行", limit=10)
        assert template == [("开工", datetime.date(2026, 12, 20)), ("主体封顶", datetime.date(2027, 3, 31))]
        assert len(errors) == 2


# --- Pages ----------------------------------------------------------------------------------------------


class TestPages:
    @pytest.mark.parametrize("role", [Role.OFFICIAL, Role.LEADER, Role.STAFF, Role.HANDLER])
    def test_others_get_403_everywhere(self, client, world, role):
        client.force_login(user_with_role(role))
        c = world["campaign"]
        m = MilestoneFactory(project=world["steel"], campaign=c)
        c.projects.add(world["steel"])
        assert client.get(reverse("campaigns:plan", args=[c.pk])).status_code == 403
        assert client.get(reverse("campaigns:plan_milestone_edit", args=[c.pk, m.pk])).status_code == 403
        posts = [
            (reverse("campaigns:plan_add_projects", args=[c.pk]), {"projects": [world["fibre"].pk]}),
            (reverse("campaigns:plan_remove", args=[c.pk, world["steel"].pk]), {}),
            (reverse("campaigns:plan_paste", args=[c.pk]), {"rows": "JK-002\t开工\t2026-12-20", "save": "1"}),
            (reverse("campaigns:plan_template", args=[c.pk]), {"template": "开工 2026-12-20"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        assert c.projects.count() == 1 and Milestone.objects.count() == 1

    def test_empty_campaign_says_what_to_do_next(self, client, world):
        c = world["campaign"]
        client.force_login(world["supervisor"])
        page = client.get(reverse("campaigns:detail", args=[c.pk])).content.decode()
        assert "没有您可查看" not in page and reverse("campaigns:plan", args=[c.pk]) in page
        client.force_login(user_with_role(Role.OFFICIAL))
        page = client.get(reverse("campaigns:detail", args=[c.pk])).content.decode()
        assert reverse("campaigns:plan", args=[c.pk]) not in page

    def test_supervisor_searches_adds_and_plans(self, client, world):
        c = world["campaign"]
        client.force_login(world["supervisor"])
        url = reverse("campaigns:plan", args=[c.pk])
        page = client.get(url, {"q": "zxgt"})
        assert page.status_code == 200 and page.context["candidates"] == [world["steel"]]
        response = client.post(reverse("campaigns:plan_add_projects", args=[c.pk]), {"projects": [world["steel"].pk]})
        assert response.status_code == 302 and list(c.projects.all()) == [world["steel"]]
        assert client.post(reverse("campaigns:plan_add_projects", args=[c.pk]), {}).status_code == 400
        response = client.post(
            reverse("campaigns:plan_milestone_add", args=[c.pk]),
            {"project": world["steel"].pk, "title": "开工", "due_date": "2026-12-20"},
        )
        assert response.status_code == 302
        m = Milestone.objects.get(campaign=c)
        bad = client.post(
            reverse("campaigns:plan_milestone_add", args=[c.pk]),
            {"project": world["lonely"].pk, "title": "", "due_date": "x"},
        )
        assert bad.status_code == 400 and set(bad.context["milestone_form"].errors) == {"project", "title", "due_date"}
        edit = reverse("campaigns:plan_milestone_edit", args=[c.pk, m.pk])
        assert client.get(edit).status_code == 200
        assert client.post(edit, {"title": "正式开工", "due_date": "2026-12-21", "responsible": ""}).status_code == 302
        m.refresh_from_db()
        assert (m.title, m.due_date, m.responsible) == ("正式开工", datetime.date(2026, 12, 21), None)
        assign = client.post(
            reverse("campaigns:plan_assign", args=[c.pk, world["steel"].pk]), {"responsible": world["owner"].pk}
        )
        assert assign.status_code == 302
        m.refresh_from_db()
        assert m.responsible == world["owner"]

    def test_paste_preview_then_save(self, client, world):
        c = world["campaign"]
        client.force_login(world["supervisor"])
        url = reverse("campaigns:plan_paste", args=[c.pk])
        rows = "JK-001\t开工\t2026-12-20\nnope\t开工\t2026-12-20"
        preview = client.post(url, {"rows": rows, "preview": "1"})
        assert preview.status_code == 400 and len(preview.context["preview"]) == 2
        assert "row--error" in preview.content.decode()
        assert client.post(url, {"rows": rows, "save": "1"}).status_code == 400
        assert not Milestone.objects.exists()
        good = "JK-001\t开工\t2026-12-20\nJK-002\t开工\t2026-12-22"
        assert client.post(url, {"rows": good, "preview": "1"}).status_code == 200
        assert not Milestone.objects.exists()
        assert client.post(url, {"rows": good, "save": "1"}).status_code == 302
        assert Milestone.objects.filter(campaign=c).count() == 2
        assert client.post(url, {"rows": "a\tb\tc\n" * 501, "preview": "1"}).status_code == 400

    def test_template_page(self, client, world):
        c = world["campaign"]
        c.projects.add(world["steel"], world["fibre"])
        client.force_login(world["supervisor"])
        url = reverse("campaigns:plan_template", args=[c.pk])
        bad = client.post(url, {"template": "坏行", "projects": [world["steel"].pk]})
        assert bad.status_code == 400 and bad.context["template_form"].errors["template"]
        outsider = client.post(url, {"template": "开工 2026-12-20", "projects": [world["lonely"].pk]})
        assert outsider.status_code == 400
        ok = client.post(url, {"template": "开工 2026-12-20", "projects": [world["steel"].pk, world["fibre"].pk]})
        assert ok.status_code == 302 and Milestone.objects.filter(campaign=c).count() == 2

    def test_plan_page_queries_do_not_grow_with_projects(self, client, world):
        c = world["campaign"]
        client.force_login(world["supervisor"])
        url = reverse("campaigns:plan", args=[c.pk])

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"q": "项目"}).status_code == 200
            return len(ctx.captured_queries)

        c.projects.add(world["steel"])
        MilestoneFactory(project=world["steel"], campaign=c, responsible=world["owner"])
        few = count()
        for _ in range(5):
            p = ProjectFactory(responsible_official=OfficialFactory())
            c.projects.add(p)
            MilestoneFactory(project=p, campaign=c, responsible=OfficialFactory())
        assert count() == few


class TestHostileInput:
    HUGE = str(2**70)

    def test_out_of_range_ids_are_refused_not_500(self, client, world):
        c = world["campaign"]
        client.force_login(world["supervisor"])
        plan = reverse("campaigns:plan", args=[c.pk])
        for params in [{"park": self.HUGE}, {"chain": "-1"}, {"park": "x"}, {"q": "a" * 500}]:
            assert client.get(plan, params).status_code == 200, params
        posts = [
            (reverse("campaigns:plan_add_projects", args=[c.pk]), {"projects": [self.HUGE]}),
            (reverse("campaigns:plan_milestone_add", args=[c.pk]), {"project": self.HUGE, "title": "x"}),
            (reverse("campaigns:plan_template", args=[c.pk]), {"template": "开工 2026-12-20", "projects": ["x"]}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 400, url
        assert client.get(reverse("campaigns:plan", args=[int(self.HUGE)])).status_code == 404
        assert client.get(reverse("campaigns:plan_milestone_edit", args=[c.pk, int(self.HUGE)])).status_code == 404
        assign = client.post(
            reverse("campaigns:plan_assign", args=[c.pk, world["steel"].pk]), {"responsible": self.HUGE}
        )
        assert assign.status_code == 404  # not in the campaign
