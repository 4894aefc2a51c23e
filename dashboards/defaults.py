"""The default rules kept as data: issue 5, point 8 (health) and the league-table formulas.

Seeded by migration 0002 (`seed_defaults` with the historical models), by the demo data, and in
tests again after a transactional test has flushed the tables (tests/seeds.py). Never overwrites
a rule supervisors changed: rows are matched on their natural key and only created when missing.
"""

from decimal import Decimal

HEALTH_RULES = [
    # kind, colour, threshold, inclusive, note
    ("start_late", "yellow", Decimal("0"), True, "计划开工日期已过而未开工"),
    ("start_late", "red", Decimal("3"), True, "计划开工三个月后仍未开工"),
    ("investment_lag", "yellow", Decimal("10"), True, "年度投资完成率落后序时进度10至30个百分点"),
    ("investment_lag", "red", Decimal("30"), False, "年度投资完成率落后序时进度超过30个百分点"),
    ("milestone_overdue", "red", Decimal("0"), False, "有逾期未完成的节点"),
    ("blocking_issue_overdue", "red", Decimal("0"), False, "有逾期未办结且卡住节点的问题"),
]

LEAGUE_FORMULAS = [
    # kind, milestones, investment, response, resolution, satisfaction, red places, black places
    ("park", 30, 30, 15, 15, 10, 3, 3),
    ("department", 25, 15, 25, 25, 10, 3, 3),
]


def seed_defaults(health_rule_model, league_formula_model) -> None:
    for kind, color, threshold, inclusive, note in HEALTH_RULES:
        health_rule_model.objects.get_or_create(
            kind=kind, color=color, defaults={"threshold": threshold, "inclusive": inclusive, "note": note}
        )
    for kind, milestones, investment, response, resolution, satisfaction, red, black in LEAGUE_FORMULAS:
        league_formula_model.objects.get_or_create(
            kind=kind,
            defaults={
                "weight_milestones": milestones,
                "weight_investment": investment,
                "weight_response": response,
                "weight_resolution": resolution,
                "weight_satisfaction": satisfaction,
                "red_count": red,
                "black_count": black,
            },
        )
