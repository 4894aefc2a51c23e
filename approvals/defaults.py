"""The approval item types and project types the app starts with (seeded by a data migration;
the supervision office edits them in the admin afterwards). Time limits are the promised limits
in working days (承诺时限) common in Jiangsu's 项目审批 reforms; departments are matched by name.
"""

PROJECT_TYPES = [
    # name, description, order
    ("新建工业项目", "新增用地的工业项目：全部前期手续", 10),
    ("技术改造项目", "利用现有厂房、土地的技改扩能项目：不需用地与规划手续", 20),
    ("政府投资项目", "政府投资的基础设施、公共服务项目：审批制", 30),
]

ALL = ("新建工业项目", "技术改造项目", "政府投资项目")
NEW_LAND = ("新建工业项目", "政府投资项目")

ITEM_TYPES = [
    # name, order, department name, time limit (working days), project types, legal basis
    ("立项/备案", 10, "发展和改革委员会", 3, ALL, "《企业投资项目核准和备案管理条例》"),
    ("用地预审与选址", 20, "自然资源和规划局", 20, NEW_LAND, "《建设项目用地预审管理办法》"),
    ("规划许可", 30, "自然资源和规划局", 20, NEW_LAND, "《城乡规划法》第三十七、四十条"),
    ("环评", 40, "生态环境局", 30, ALL, "《环境影响评价法》第二十二条"),
    ("能评/节能审查", 50, "发展和改革委员会", 15, ALL, "《固定资产投资项目节能审查办法》"),
    ("施工许可", 60, "住房和城乡建设局", 7, NEW_LAND, "《建筑工程施工许可管理办法》"),
    ("消防", 70, "住房和城乡建设局", 15, ALL, "《建设工程消防设计审查验收管理暂行规定》"),
    ("安评", 80, "应急管理局", 20, ("新建工业项目", "技术改造项目"), "《建设项目安全设施“三同时”监督管理办法》"),
]


def seed_types(project_type_model=None, item_type_model=None, department_model=None) -> None:
    """Create the default project types and item types that are missing (by name); rows that
    exist are left as the supervision office edited them. Models may be a migration's."""
    if project_type_model is None:
        from approvals.models import ItemType, ProjectType
        from core.models import Department

        project_type_model, item_type_model, department_model = ProjectType, ItemType, Department
    types = {}
    for name, description, order in PROJECT_TYPES:
        types[name], _created = project_type_model.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    for name, order, department, days, needed_by, basis in ITEM_TYPES:
        item_type, created = item_type_model.objects.get_or_create(
            name=name,
            defaults={
                "sort_order": order,
                "time_limit_days": days,
                "basis": basis,
                "department": department_model.objects.filter(name=department).first(),
            },
        )
        if created:
            item_type.project_types.set([types[t] for t in needed_by])
