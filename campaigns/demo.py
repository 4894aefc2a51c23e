"""Demo data of campaigns (run by `load_demo` after the projects' steps; see core/demo.py): the
招商引资和项目建设“百日攻坚”行动, on its 60th day of 100, with its projects, the milestones that
belong to it, and its reminder ladder (7/3/1 days before, on the day, every 3 days overdue,
escalation after 7 days).

Written through campaigns.services (and projects.services for the milestones' campaign) by the
supervision office's login. Idempotent: the campaign is looked up by name and updated only where
it differs; the ladder is set only when the campaign has none (a supervisor may have tuned it).
"""

import datetime
from decimal import Decimal

from campaigns.models import Campaign
from campaigns.selectors import policy_for_campaign
from campaigns.services import campaign_create, campaign_update, reminder_policy_set
from core.demo import DemoContext
from projects.demo import (
    PROJECT_INSTITUTE,
    PROJECT_LITHIUM,
    PROJECT_MIER,
    PROJECT_SXCX,
    PROJECT_ZXGT2_EMISSIONS,
    PROJECT_ZXGT2_HEAT,
    PROJECT_ZXGT2_STEEL,
)
from projects.models import Milestone
from projects.services import milestone_update

CAMPAIGN_NAME = "招商引资和项目建设“百日攻坚”行动"
CAMPAIGN_DAYS = 100
CAMPAIGN_ELAPSED = 59  # today is day 60 of 100: the countdown shows 40 days left
CAMPAIGN_PROJECTS = [
    PROJECT_SXCX,
    PROJECT_ZXGT2_STEEL,
    PROJECT_ZXGT2_HEAT,
    PROJECT_ZXGT2_EMISSIONS,
    PROJECT_MIER,
    PROJECT_INSTITUTE,
    PROJECT_LITHIUM,
]
#: The milestones (project, title: projects.demo.MILESTONES) pushed by the campaign.
CAMPAIGN_MILESTONES = [
    (PROJECT_SXCX, "首批生产线设备到货"),
    (PROJECT_SXCX, "110千伏专用变电站送电"),
    (PROJECT_SXCX, "生产线设备安装完成"),
    (PROJECT_SXCX, "一期试生产"),
    (PROJECT_ZXGT2_STEEL, "轧钢车间钢结构吊装完成"),
    (PROJECT_ZXGT2_STEEL, "特钢生产线热负荷试车"),
    (PROJECT_ZXGT2_HEAT, "汽轮发电机组安装就位"),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造环评批复"),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造开工"),
    (PROJECT_MIER, "建设工程规划许可证办理"),
    (PROJECT_MIER, "主体结构出正负零"),
    (PROJECT_INSTITUTE, "研发楼主体封顶"),
    (PROJECT_INSTITUTE, "省级创新平台申报材料报送"),
    (PROJECT_LITHIUM, "项目投资合同签约"),
]
LADDER = {
    "days_before": [7, 3, 1],
    "on_the_day": True,
    "repeat_every_days_overdue": 3,
    "escalate_after_days_overdue": 7,
}


def build_campaign(ctx: DemoContext) -> None:
    start = ctx.days(-CAMPAIGN_ELAPSED)
    fields = {
        "start_date": start,
        "end_date": start + datetime.timedelta(days=CAMPAIGN_DAYS - 1),
        "goals": "为在手项目扫清建设障碍，为在谈项目营造落地环境：新开工项目3个、签约项目2个、完成投资30亿元。",
        "goal_projects_to_start": 3,
        "goal_projects_to_sign": 2,
        "goal_investment": Decimal("300000"),
        "projects": [ctx.projects[code] for code in CAMPAIGN_PROJECTS],
    }
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        campaign = campaign_create(by=ctx.supervisor, name=CAMPAIGN_NAME, **fields)
    else:
        campaign = campaign_update(campaign=campaign, by=ctx.supervisor, **fields)
    ctx.campaigns[CAMPAIGN_NAME] = campaign


def build_campaign_milestones(ctx: DemoContext) -> None:
    campaign = ctx.campaigns[CAMPAIGN_NAME]
    wanted = {(ctx.projects[code].pk, title) for code, title in CAMPAIGN_MILESTONES}
    candidates = Milestone.objects.filter(project__in=[ctx.projects[code] for code, _title in CAMPAIGN_MILESTONES])
    for milestone in candidates.select_related("project__park"):
        if (milestone.project_id, milestone.title) in wanted and milestone.campaign_id != campaign.pk:
            milestone_update(milestone=milestone, by=ctx.supervisor, campaign=campaign)


def build_reminder_policy(ctx: DemoContext) -> None:
    campaign = ctx.campaigns[CAMPAIGN_NAME]
    if policy_for_campaign(campaign) is None:
        reminder_policy_set(by=ctx.supervisor, campaign=campaign, **LADDER)


STEPS = [build_campaign, build_campaign_milestones, build_reminder_policy]
