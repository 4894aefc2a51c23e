"""Demo data of projects (run by `load_demo` after core's and enterprises' steps; see
core/demo.py): the report's projects with their stage history, this year's targets, the monthly
reports (米尔化工 is late) and the milestones (due soon, overdue, met on time and late).

Everything goes through projects.services, so the demo has the history and audit trail the
product would have recorded: the supervision office creates each project (at its first stage,
on its date) and sets the targets; the responsible official moves the stage, files the reports
and marks milestones done. Idempotent: projects are looked up by code, milestones by project
and title, reports by month; what a user may change (stage, completions, filed reports) is
written only when the row is first created, descriptive fields are kept up to date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.demo import PARK_GX, PARK_JK, PARK_WL, DemoContext
from enterprises.demo import CHAIN_MICROFIBER, CHAIN_STEEL
from projects.models import Level, Milestone, ProgressReport, Project, Stage
from projects.services import (
    annual_target_set,
    milestone_complete,
    milestone_create,
    milestone_update,
    progress_report_submit,
    project_change_stage,
    project_create,
    project_update,
    stage_move_kind,
)

PROJECT_SXCX = "XY-JK-001"  # 水性超纤新材料产业园项目, 1号产业
PROJECT_ZXGT2 = "XY-JK-002"  # 中新钢铁二期项目 (parent of the three sub-items)
PROJECT_ZXGT2_STEEL = "XY-JK-002-1"  # 特钢精品线
PROJECT_ZXGT2_HEAT = "XY-JK-002-2"  # 余热发电
PROJECT_ZXGT2_EMISSIONS = "XY-JK-002-3"  # 超低排放改造
PROJECT_MIER = "XY-JK-003"  # 米尔化工水性聚氨酯树脂项目
PROJECT_INSTITUTE = "XY-JK-004"  # 国家级水性超纤研究院建设项目
PROJECT_LITHIUM = "XY-GX-001"  # 锂电新能源材料项目 (negotiating, moved back once)
PROJECT_EQUIPMENT = "XY-GX-002"  # 智能装备制造产业园项目 (planned / reserve)
PROJECT_LOGISTICS = "XY-WL-001"  # 物流园项目 (stopped)


@dataclass
class DemoProject:
    code: str
    name: str
    enterprise: str
    park: str
    segment: tuple[str, str] | None
    level: str
    total: str
    leader: str
    unit: str
    official: str
    team: str | None
    content: str
    #: (stage, days before today), oldest first; the last one is the current stage.
    history: list[tuple[str, int]]
    completion_in_days: int
    parent: str | None = None
    phase: str = ""
    is_key: bool = False
    key_label: str = ""
    #: reasons for moves backwards or to 终止, by target stage
    reasons: dict = field(default_factory=dict)


P, N, SG, ST, UC = Stage.PLANNED, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION

PROJECTS = [
    DemoProject(
        code=PROJECT_SXCX,
        name="水性超纤新材料产业园项目",
        enterprise="水性超纤",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "水性超纤革"),
        level=Level.PROVINCIAL_MAJOR,
        total="1050000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="水性超纤项目服务专班",
        content="总投资超百亿元，建设水性超纤生产线12条及研发中心、仓储物流等配套设施，达产后年产水性超纤材料1.2亿米。",
        history=[(P, 900), (N, 800), (SG, 680), (ST, 520), (UC, 450)],
        completion_in_days=400,
        is_key=True,
        key_label="1号产业",
    ),
    DemoProject(
        code=PROJECT_ZXGT2,
        name="中新钢铁二期项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "炼铁炼钢"),
        level=Level.PROVINCIAL_MAJOR,
        total="850000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="实现从普钢向优钢、特钢转型：特钢精品线、余热发电、超低排放改造三个子项，"
        "推进钢化联产，建设现代钢铁企业。",
        history=[(P, 700), (SG, 620), (ST, 540), (UC, 500)],
        completion_in_days=550,
        phase="二期",
        is_key=True,
    ),
    DemoProject(
        code=PROJECT_ZXGT2_STEEL,
        name="中新钢铁二期特钢精品线",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "特钢与精深加工"),
        level=Level.PROVINCIAL_MAJOR,
        total="520000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="新建特钢冶炼及精品棒线材轧制生产线，年产优特钢200万吨。",
        history=[(P, 700), (SG, 620), (ST, 540), (UC, 480)],
        completion_in_days=300,
        parent=PROJECT_ZXGT2,
        phase="二期·特钢",
    ),
    DemoProject(
        code=PROJECT_ZXGT2_HEAT,
        name="中新钢铁二期余热发电项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "节能环保与余热利用"),
        level=Level.CITY_MAJOR,
        total="90000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="利用烧结、转炉余热建设2×50兆瓦高温超高压发电机组，加大新能源利用力度，持续减碳降耗。",
        history=[(P, 600), (SG, 400), (ST, 250)],
        completion_in_days=120,
        parent=PROJECT_ZXGT2,
        phase="二期·余热发电",
    ),
    DemoProject(
        code=PROJECT_ZXGT2_EMISSIONS,
        name="中新钢铁超低排放改造项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "节能环保与余热利用"),
        level=Level.CITY_MAJOR,
        total="60000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="烧结机、高炉、转炉全流程超低排放改造，实现超超低排放，树立循环经济标杆。",
        history=[(P, 300), (SG, 150)],
        completion_in_days=420,
        parent=PROJECT_ZXGT2,
        phase="二期·超低排放",
    ),
    DemoProject(
        code=PROJECT_MIER,
        name="米尔化工水性聚氨酯树脂项目",
        enterprise="米尔化工",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "水性聚氨酯树脂"),
        level=Level.CITY_MAJOR,
        total="120000",
        leader="demo-executive-vice-mayor",
        unit="新沂经济开发区管委会",
        official="demo-park-economy",
        team="超纤产业链上下游项目服务专班",
        content="年产20万吨水性聚氨酯树脂，为水性超纤就近配套上游原料。",
        history=[(P, 420), (N, 380), (SG, 250), (ST, 130)],
        completion_in_days=500,
    ),
    DemoProject(
        code=PROJECT_INSTITUTE,
        name="国家级水性超纤研究院建设项目",
        enterprise="水性超纤研究院",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "研发与检测"),
        level=Level.CITY_KEY,
        total="50000",
        leader="demo-mayor",
        unit="新沂经济开发区管委会",
        official="demo-park-economy",
        team="水性超纤项目服务专班",
        content="建设研发楼、中试基地和检测中心，积极争取创新政策和资金支持。",
        history=[(P, 500), (SG, 400), (ST, 220), (UC, 200)],
        completion_in_days=240,
    ),
    DemoProject(
        code=PROJECT_LITHIUM,
        name="锂电新能源材料项目",
        enterprise="锂源新能源",
        park=PARK_GX,
        segment=None,
        level=Level.CITY_MAJOR,
        total="300000",
        leader="demo-vice-mayor",
        unit="新沂高新技术产业开发区管委会",
        official="demo-hitech-official",
        team=None,
        content="年产5万吨锂电池正极材料。",
        history=[(P, 200), (N, 150), (SG, 90), (N, 60)],
        completion_in_days=900,
        reasons={N: "投资方调整股权结构，合同需重新商谈。"},
    ),
    DemoProject(
        code=PROJECT_EQUIPMENT,
        name="智能装备制造产业园项目",
        enterprise="精工装备",
        park=PARK_GX,
        segment=None,
        level=Level.CITY_KEY,
        total="80000",
        leader="demo-vice-mayor",
        unit="新沂高新技术产业开发区管委会",
        official="demo-hitech-official",
        team=None,
        content="谋划建设智能装备整机及关键零部件生产基地。",
        history=[(P, 60)],
        completion_in_days=1100,
    ),
    DemoProject(
        code=PROJECT_LOGISTICS,
        name="钢铁物流园项目",
        enterprise="嘉通物流",
        park=PARK_WL,
        segment=(CHAIN_STEEL, "物流仓储"),
        level=Level.CITY_KEY,
        total="45000",
        leader="demo-executive-vice-mayor",
        unit="新沂现代物流园管委会",
        official="demo-logistics-official",
        team=None,
        content="建设钢材仓储及公铁联运物流设施。",
        history=[(P, 400), (N, 300), (Stage.STOPPED, 100)],
        completion_in_days=600,
        reasons={Stage.STOPPED: "投资方经营战略调整，项目终止。"},
    ),
]


PLANNED_START_IN_DAYS = 30  # projects that have not broken ground plan to start in a month


def _fields(ctx: DemoContext, spec: DemoProject) -> dict:
    """The descriptive fields (kept up to date on every run)."""
    started_on = next((ctx.days(-days) for stage, days in spec.history if stage == ST), None)
    return {
        "name": spec.name,
        "enterprise": ctx.enterprises[spec.enterprise],
        "park": ctx.parks[spec.park],
        "segment": ctx.segments[spec.segment] if spec.segment else None,
        "level": spec.level,
        "total_investment": Decimal(spec.total),
        "planned_start": started_on or ctx.days(PLANNED_START_IN_DAYS),
        "planned_completion": ctx.days(spec.completion_in_days),
        "parent": ctx.projects[spec.parent] if spec.parent else None,
        "phase_label": spec.phase,
        "construction_content": spec.content,
        "assigned_leader": ctx.officials[spec.leader],
        "responsible_unit": ctx.departments[spec.unit],
        "responsible_official": ctx.officials[spec.official],
        "service_team": ctx.teams[spec.team] if spec.team else None,
        "is_key": spec.is_key,
        "key_label": spec.key_label,
    }


def _create_with_history(ctx: DemoContext, spec: DemoProject, fields: dict) -> Project:
    """The supervision office adds the project at its first stage; its official moves it on."""
    (first, first_days), *moves = spec.history
    project = project_create(by=ctx.supervisor, code=spec.code, stage=first, changed_on=ctx.days(-first_days), **fields)
    previous = first
    for stage, days in moves:
        project_change_stage(
            project=project,
            to_stage=stage,
            by=ctx.users[spec.official],
            changed_on=ctx.days(-days),
            reason=spec.reasons.get(stage, "") if stage_move_kind(previous, stage) else "",
        )
        previous = stage
    project.refresh_from_db()
    return project


def build_projects(ctx: DemoContext) -> None:
    existing = {p.code: p for p in Project.objects.filter(code__in=[spec.code for spec in PROJECTS])}
    for spec in PROJECTS:
        fields = _fields(ctx, spec)
        project = existing.get(spec.code)
        if project is None:
            project = _create_with_history(ctx, spec, fields)
        else:
            # The stage and its history are the users' from here on.
            project = project_update(project=project, by=ctx.supervisor, **fields)
        ctx.projects[spec.code] = project


TARGETS = [
    # project, planned, first half, target start, target completion, target production, output value
    (PROJECT_SXCX, "360000", "150000", None, None, (12, 31), "200000"),
    (PROJECT_ZXGT2_STEEL, "120000", "50000", None, None, None, None),
    (PROJECT_ZXGT2_HEAT, "30000", "10000", None, (12, 25), None, None),
    (PROJECT_ZXGT2_EMISSIONS, "15000", "0", (12, 20), None, None, None),
    (PROJECT_MIER, "40000", "10000", (7, 31), None, None, None),
    (PROJECT_INSTITUTE, "12000", "5000", None, None, None, None),
]


def build_targets(ctx: DemoContext) -> None:
    def day(month_day):
        return datetime.date(ctx.year, *month_day) if month_day else None

    for code, planned, first_half, start, completion, production, output in TARGETS:
        annual_target_set(
            project=ctx.projects[code],
            year=ctx.year,
            by=ctx.supervisor,
            planned_investment=Decimal(planned),
            first_half_investment=Decimal(first_half),
            target_start=day(start),
            target_completion=day(completion),
            target_production=day(production),
            output_value_target=Decimal(output) if output else None,
        )


REPORTS = {
    PROJECT_SXCX: [
        (10, "22000", 38, "厂区场地平整完成，主体厂房桩基施工。"),
        (9, "18000", 41, "1#、2#厂房桩基完成，承台施工。"),
        (8, "30000", 45, "主体厂房基础施工，研发楼桩基施工。"),
        (7, "32000", 49, "1#厂房主体结构施工至二层。"),
        (6, "35000", 53, "1#厂房主体封顶，2#厂房主体施工。"),
        (5, "36000", 57, "2#厂房主体封顶，钢结构屋面安装。"),
        (4, "38000", 61, "厂房围护施工，水电安装队伍进场。"),
        (3, "34000", 65, "生产线设备基础施工，进口设备订货完成。"),
        (2, "33000", 68, "首批生产线设备到货，开始安装。"),
        (1, "31000", 71, "生产线设备安装，110千伏专用变电站土建完成。"),
        (0, "29000", 74, "设备安装调试，变电站电气设备安装。"),
    ],
    PROJECT_ZXGT2_STEEL: [
        (10, "8000", 30, "炼钢车间桩基施工。"),
        (9, "6000", 32, "炼钢车间基础施工。"),
        (8, "10000", 36, "轧钢车间桩基施工，炼钢车间柱吊装。"),
        (7, "11000", 40, "炼钢车间钢结构吊装。"),
        (6, "12000", 44, "轧钢车间基础施工。"),
        (5, "12500", 48, "轧钢车间钢结构吊装。"),
        (4, "11000", 52, "炼钢设备基础施工。"),
        (3, "9000", 55, "轧钢车间钢结构吊装完成，屋面施工。"),
        (2, "9500", 58, "转炉设备安装。"),
        (1, "8000", 61, "精品棒线材轧机安装。"),
    ],
    PROJECT_ZXGT2_HEAT: [
        (8, "1500", 8, "汽机房桩基施工。"),
        (7, "2500", 14, "汽机房基础施工。"),
        (6, "3000", 22, "汽机房主体施工。"),
        (5, "3500", 30, "余热锅炉基础施工。"),
        (4, "3000", 37, "汽机房主体封顶。"),
        (3, "4000", 45, "余热锅炉钢架吊装。"),
        (2, "3500", 52, "汽轮发电机组到货。"),
        (1, "3000", 58, "汽轮发电机组安装。"),
    ],
    PROJECT_MIER: [
        (4, "3000", 4, "场地平整，桩基施工。"),
        (3, "5000", 9, "桩基施工。"),
        (2, "6000", 14, "桩基工程完成，承台施工。"),
    ],
    PROJECT_INSTITUTE: [
        (6, "800", 5, "研发楼桩基施工。"),
        (5, "1200", 12, "研发楼基础施工。"),
        (4, "1500", 22, "研发楼主体施工至三层。"),
        (3, "1800", 33, "研发楼主体施工至六层。"),
        (2, "1600", 42, "研发楼主体封顶，中试基地基础施工。"),
        (1, "1500", 48, "研发楼砌体施工，中试基地主体施工。"),
    ],
}

NEXT_STEPS = "倒排工期、挂图作战，确保按既定计划推进。"


def build_reports(ctx: DemoContext) -> None:
    filed = set(ProgressReport.objects.filter(project__code__in=list(REPORTS)).values_list("project__code", "month"))
    for code, rows in REPORTS.items():
        project = ctx.projects[code]
        for back, investment, percent, progress in rows:
            month = ctx.month(back)
            if (code, month) in filed:
                continue  # a filed report is the official's
            progress_report_submit(
                project=project,
                month=month,
                investment=Decimal(investment),
                physical_progress=progress,
                percent_complete=percent,
                next_steps=NEXT_STEPS,
                by=project.responsible_official.user,
            )


# --- Milestones ----------------------------------------------------------------------------------

MILESTONES = [
    # project, title, due (days from today), completed (days from today) or None
    (PROJECT_SXCX, "主体厂房全面封顶", -75, -78),
    (PROJECT_SXCX, "首批生产线设备到货", -40, -38),
    (PROJECT_SXCX, "110千伏专用变电站送电", -3, None),
    (PROJECT_SXCX, "生产线设备安装完成", 5, None),
    (PROJECT_SXCX, "一期试生产", 35, None),
    (PROJECT_ZXGT2_STEEL, "轧钢车间钢结构吊装完成", -20, -22),
    (PROJECT_ZXGT2_STEEL, "特钢生产线热负荷试车", 25, None),
    (PROJECT_ZXGT2_HEAT, "汽轮发电机组安装就位", 2, None),
    (PROJECT_ZXGT2_HEAT, "余热发电机组并网发电", 60, None),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造环评批复", -10, None),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造开工", 20, None),
    (PROJECT_MIER, "桩基工程完成", -30, -27),
    (PROJECT_MIER, "建设工程规划许可证办理", -8, None),
    (PROJECT_MIER, "主体结构出正负零", 7, None),
    (PROJECT_INSTITUTE, "研发楼主体封顶", -15, -16),
    (PROJECT_INSTITUTE, "省级创新平台申报材料报送", 12, None),
    (PROJECT_LITHIUM, "项目投资合同签约", 30, None),
]


EVIDENCE = "现场核验照片及监理确认单已归档。"


def build_milestones(ctx: DemoContext) -> None:
    """Planned by the supervision office, marked done (when done) by the responsible official.
    Which of them belong to the campaign is the campaign's demo (campaigns/demo.py)."""
    existing = {
        (m.project_id, m.title): m
        for m in Milestone.objects.filter(project__code__in=[code for code, *_rest in MILESTONES])
    }
    for order, (code, title, due, done) in enumerate(MILESTONES, start=1):
        project = ctx.projects[code]
        responsible = project.responsible_official
        fields = {"due_date": ctx.days(due), "responsible": responsible, "sort_order": order * 10}
        milestone = existing.get((project.pk, title))
        if milestone is not None:
            milestone_update(milestone=milestone, by=ctx.supervisor, **fields)
            continue  # its completion is the user's from here on
        milestone = milestone_create(project=project, by=ctx.supervisor, title=title, **fields)
        if done is not None:
            milestone_complete(milestone=milestone, by=responsible.user, completed_on=ctx.days(done), evidence=EVIDENCE)


STEPS = [build_projects, build_targets, build_reports, build_milestones]
