"""Demo data of the enterprise directory (run by `load_demo` after core's steps; see core/demo.py):
the two industry chains of the report with their segments (the empty ones are the gaps for
chain-based attraction), the enterprises with valid credit codes, and the service teams.

Written through enterprises.services by the supervision office's login; idempotent: each row is
looked up by its name and updated only where it differs.
"""

from core.demo import PARK_GX, PARK_JK, PARK_WL, DemoContext
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.services import (
    chain_create,
    chain_segment_create,
    chain_segment_update,
    chain_update,
    enterprise_create,
    enterprise_update,
    service_team_create,
    service_team_update,
)
from enterprises.validators import CHARSET, credit_code_check_char

CHAIN_STEEL = "钢铁"
CHAIN_MICROFIBER = "超纤材料"


def credit_code(first17: str) -> str:
    """A unified social credit code with its GB 32100-2015 check character."""
    assert len(first17) == 17 and all(ch in CHARSET for ch in first17), first17
    return first17 + credit_code_check_char(first17)


UP, MID, DOWN, SUP = (
    ChainSegment.Position.UPSTREAM,
    ChainSegment.Position.MIDSTREAM,
    ChainSegment.Position.DOWNSTREAM,
    ChainSegment.Position.SUPPORTING,
)

CHAINS = [
    # name, chief (username), description, segments (name, position); segments no enterprise
    # maps to are the gaps for chain-based investment attraction (延链补链).
    (
        CHAIN_MICROFIBER,
        "demo-leader",
        "以水性超纤为龙头，聚链成园：上游树脂与基布，中游水性超纤革，下游汽车内饰与鞋服箱包。",
        [
            ("水性聚氨酯树脂", UP),
            ("超细纤维与基布", UP),
            ("水性超纤革", MID),
            ("汽车内饰", DOWN),
            ("鞋服箱包", DOWN),
            ("研发与检测", SUP),
        ],
    ),
    (
        CHAIN_STEEL,
        "demo-mayor",
        "从普钢向优钢、特钢转型，延长加粗产业链，发展循环经济、钢化联产。",
        [
            ("铁矿石与焦煤供应", UP),
            ("炼铁炼钢", MID),
            ("特钢与精深加工", DOWN),
            ("金属制品与装备", DOWN),
            ("节能环保与余热利用", SUP),
            ("钢化联产", SUP),
            ("物流仓储", SUP),
        ],
    ),
]

ENTERPRISES = [
    # short name, name, first 17 characters of the credit code, park, industry, key, segments, address
    (
        "中新钢铁",
        "中新钢铁集团有限公司",
        "91320381738245H1K",
        PARK_JK,
        "黑色金属冶炼和压延加工业",
        True,
        [(CHAIN_STEEL, "炼铁炼钢"), (CHAIN_STEEL, "特钢与精深加工"), (CHAIN_STEEL, "节能环保与余热利用")],
        "新沂经济开发区钢铁大道1号",
    ),
    (
        "水性超纤",
        "新沂水性超纤新材料有限公司",
        "91320381MA1W8K3P6",
        PARK_JK,
        "化学纤维制造业",
        True,
        [(CHAIN_MICROFIBER, "水性超纤革")],
        "新沂经济开发区超纤路8号",
    ),
    (
        "米尔化工",
        "新沂米尔化工科技有限公司",
        "91320381MA20C7LQ4",
        PARK_JK,
        "化学原料和化学制品制造业",
        False,
        [(CHAIN_MICROFIBER, "水性聚氨酯树脂")],
        "新沂经济开发区化工路16号",
    ),
    (
        "水性超纤研究院",
        "国家级水性超纤研究院",
        "52320381MJ5X2T7R0",
        PARK_JK,
        "研究和试验发展",
        True,
        [(CHAIN_MICROFIBER, "研发与检测")],
        "新沂经济开发区超纤路9号",
    ),
    (
        "嘉通物流",
        "新沂嘉通物流有限公司",
        "91320381MA1Y4N2E3",
        PARK_WL,
        "道路货物运输",
        False,
        [(CHAIN_STEEL, "物流仓储")],
        "新沂现代物流园通港路5号",
    ),
    (
        "锂源新能源",
        "新沂锂源新能源科技有限公司",
        "91320381MA27G5HU1",
        PARK_GX,
        "电池制造",
        False,
        [],
        "新沂高新区创新大道20号",
    ),
    (
        "精工装备",
        "新沂精工智能装备有限公司",
        "91320381MA25RB8X9",
        PARK_GX,
        "专用设备制造业",
        False,
        [],
        "新沂高新区智造路3号",
    ),
]


def build_chains(ctx: DemoContext) -> None:
    by = ctx.supervisor
    existing = {c.name: c for c in IndustryChain.objects.prefetch_related("segments")}
    for order, (name, chief, description, segments) in enumerate(CHAINS, start=1):
        fields = {"chief": ctx.officials[chief], "description": description, "sort_order": order * 10}
        chain = existing.get(name)
        if chain is None:
            chain = chain_create(by=by, name=name, **fields)
        else:
            chain = chain_update(chain=chain, by=by, **fields)
        ctx.chains[name] = chain
        have = {s.name: s for s in chain.segments.all()}
        for seg_order, (segment_name, position) in enumerate(segments, start=1):
            fields = {"position": position, "sort_order": seg_order * 10}
            segment = have.get(segment_name)
            if segment is None:
                segment = chain_segment_create(chain=chain, by=by, name=segment_name, **fields)
            else:
                segment = chain_segment_update(segment=segment, by=by, **fields)
            ctx.segments[(name, segment_name)] = segment


def build_enterprises(ctx: DemoContext) -> None:
    by = ctx.supervisor
    existing = {e.name: e for e in Enterprise.objects.all()}
    for short, name, code17, park, industry, is_key, segments, address in ENTERPRISES:
        fields = {
            "short_name": short,
            "credit_code": credit_code(code17),
            "park": ctx.parks[park],
            "industry": industry,
            "is_key": is_key,
            "contact_name": "企业办公室主任",
            "contact_phone": "",
            "address": address,
            "segments": [ctx.segments[key] for key in segments],
        }
        enterprise = existing.get(name)
        if enterprise is None:
            enterprise = enterprise_create(by=by, name=name, **fields)
        else:
            enterprise = enterprise_update(enterprise=enterprise, by=by, **fields)
        ctx.enterprises[short] = enterprise


TEAMS = [
    # name, lead, members, enterprises, stationed, notes
    (
        "水性超纤项目服务专班",
        "demo-park-deputy",
        ["demo-staff", "demo-park-deputy"],
        ["水性超纤", "水性超纤研究院"],
        True,
        "按“1号产业”骨干企业标准服务，24小时驻企、服务不打烊，建立全生命周期服务机制。",
    ),
    (
        "中新钢铁项目服务专班",
        "demo-park-director",
        ["demo-steel-staff"],
        ["中新钢铁"],
        True,
        "结合“千人助千企”行动，24小时驻企服务，推进二期项目建设。",
    ),
    (
        "超纤产业链上下游项目服务专班",
        "demo-park-economy",
        ["demo-chain-staff"],
        ["米尔化工"],
        False,
        "对米尔化工等水性超纤上下游产业项目加快服务保障，促进超纤材料产业聚链成园。",
    ),
]


def build_service_teams(ctx: DemoContext) -> None:
    by = ctx.supervisor
    existing = {t.name: t for t in ServiceTeam.objects.all()}
    for name, lead, members, enterprises, stationed, notes in TEAMS:
        fields = {
            "lead": ctx.officials[lead],
            "stationed": stationed,
            "notes": notes,
            "members": [ctx.officials[m] for m in members],
            "enterprises": [ctx.enterprises[e] for e in enterprises],
        }
        team = existing.get(name)
        if team is None:
            team = service_team_create(by=by, name=name, **fields)
        else:
            team = service_team_update(team=team, by=by, **fields)
        ctx.teams[name] = team


STEPS = [build_chains, build_enterprises, build_service_teams]
