"""Demo approvals (see core/demo.py for how steps run): 水性超纤's checklist as a new industrial
project, mostly approved, its 能评 applied for two months ago, overdue and blocked by the issue
of its energy quota (issues.demo). Through approvals.services; idempotent (a project's approvals are built only when it has no
checklist yet, so what a user changed stays).
"""

from approvals.defaults import ITEM_TYPES
from approvals.models import ApprovalChecklist, ApprovalItem, ProjectType
from approvals.services import checklist_generate, item_transition, item_types_fill_departments, item_update
from core import demo
from projects import demo as projects_demo

# item name: (applied, approved) in days from today; None: not applied / not approved.
SXCX = {
    "立项/备案": (-200, -198),
    "用地预审与选址": (-190, -168),
    "规划许可": (-160, -139),
    "环评": (-150, -112),
    "能评/节能审查": (-60, None),
    "施工许可": (-100, -95),
    "消防": (-90, -76),
    "安评": (-80, -61),
}
SXCX_BLOCKED = "能评/节能审查"
ENERGY_QUOTA_ISSUE = "二期能耗指标落实"  # issues.demo.ENERGY_QUOTA_ISSUE


def build_approvals(ctx: demo.DemoContext) -> None:
    supervisor, official = ctx.users["demo-supervisor"], ctx.users["demo-official"]
    item_types_fill_departments(
        by=supervisor,
        departments={name: ctx.departments[dept] for name, _o, dept, *_rest in ITEM_TYPES if dept in ctx.departments},
    )
    project = ctx.projects[projects_demo.PROJECT_SXCX]
    if ApprovalChecklist.objects.filter(project=project).exists():
        return
    checklist_generate(project=project, project_type=ProjectType.objects.get(name="新建工业项目"), by=official)
    items = {i.name: i for i in ApprovalItem.objects.filter(project=project)}
    for name, (applied, approved) in SXCX.items():
        item = items.get(name)
        if item is None:
            continue
        item = item_transition(item=item, action="start", by=official, applied_on=ctx.days(applied))
        if approved is not None:
            item_transition(
                item=item,
                action="approve",
                by=official,
                approved_on=ctx.days(approved),
                approval_number=f"新审批〔{ctx.days(approved).year}〕{item.sort_order}号",
            )
    blocked = items.get(SXCX_BLOCKED)
    issue_model = ApprovalItem._meta.get_field("blocking_issue").related_model
    issue = issue_model.objects.filter(project=project, title=ENERGY_QUOTA_ISSUE).first()
    if blocked is not None and issue is not None:
        item_update(
            item=blocked,
            by=official,
            blocking_issue=issue,
            note="能耗指标来源未落实，发改委暂缓出具节能审查意见。",
        )


STEPS = [build_approvals]
