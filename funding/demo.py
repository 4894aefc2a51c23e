"""Demo funding (see core/demo.py for how steps run): 水性超纤's sources of funds for this year
with what is in place, one policy fund sought for it, and the special-steel line's plan.
Through funding.services; idempotent (a line or a policy is written only when absent, so what a
user changed stays).
"""

from decimal import Decimal

from core import demo
from funding.models import FundingLine, PolicyLevel, PolicyStatus, PolicySupport, Source
from funding.services import funding_line_set, policy_support_create
from projects import demo as projects_demo

LINES = [
    # project, source, planned, received (万元, this year)
    (projects_demo.PROJECT_SXCX, Source.SELF_RAISED, "200000", "168000"),
    (projects_demo.PROJECT_SXCX, Source.BANK_LOAN, "130000", "82000"),
    (projects_demo.PROJECT_SXCX, Source.PROVINCIAL_SPECIAL, "20000", "10000"),
    (projects_demo.PROJECT_SXCX, Source.LOCAL_MATCHING, "10000", "6000"),
    (projects_demo.PROJECT_ZXGT2_STEEL, Source.SELF_RAISED, "80000", "70000"),
    (projects_demo.PROJECT_ZXGT2_STEEL, Source.BANK_LOAN, "40000", "25000"),
    (projects_demo.PROJECT_ZXGT2_EMISSIONS, Source.SPECIAL_BOND, "10000", "0"),
]
POLICY = "国家先进制造业集群发展专项（水性超纤）"


def build_funding(ctx: demo.DemoContext) -> None:
    official = ctx.users["demo-official"]
    for code, source, planned, received in LINES:
        project = ctx.projects[code]
        if FundingLine.objects.filter(project=project, year=ctx.year, source=source).exists():
            continue
        funding_line_set(
            project=project,
            year=ctx.year,
            source=source,
            by=official,
            planned=Decimal(planned),
            received=Decimal(received),
        )
    project = ctx.projects[projects_demo.PROJECT_SXCX]
    if not PolicySupport.objects.filter(project=project, name=POLICY).exists():
        policy_support_create(
            project=project,
            by=official,
            name=POLICY,
            level=PolicyLevel.NATIONAL,
            amount_sought=Decimal("30000"),
            status=PolicyStatus.APPLYING,
            applied_on=ctx.days(-45),
            note="已通过省发改委初审，报国家发改委。",
        )


STEPS = [build_funding]
