"""The default time limits ("13710"), kept as data in TimeLimitRule; supervisors tune them.

"13710": routed within 1 working day, first response within 3, ordinary problems solved within
7, complex ones within about a month (22 working days). Urgent and critical issues shorten the
limits. Seeded by migration 0002 (`time_limit_rules_seed` with the historical model); the table
wins over these numbers wherever both exist.
"""

from issues.models import Category, Urgency

COMPLEX_CATEGORIES = frozenset(
    {
        Category.LAND,
        Category.PLANNING,
        Category.APPROVAL,
        Category.ENVIRONMENTAL_ENERGY,
        Category.FINANCING,
        Category.POLICY,
    }
)
DEFAULT_LIMITS = {
    # urgency: (assign, response, resolution ordinary, resolution complex)
    Urgency.NORMAL: (1, 3, 7, 22),
    Urgency.URGENT: (1, 1, 3, 10),
    Urgency.CRITICAL: (1, 1, 1, 5),
}


def default_time_limits(category: str, urgency: str) -> tuple[int, int, int]:
    """(routing, response, resolution) working days by default for a category and urgency."""
    assign, response, ordinary, complex_ = DEFAULT_LIMITS[urgency]
    return assign, response, complex_ if category in COMPLEX_CATEGORIES else ordinary


def time_limit_rules_seed(*, model=None) -> int:
    """Create the missing rows of the time-limit table (never changes a row supervisors edited).
    Idempotent; `model` lets a data migration pass its historical model. Returns rows created."""
    if model is None:
        from issues.models import TimeLimitRule

        model = TimeLimitRule
    existing = set(model.objects.values_list("category", "urgency"))
    rows = []
    for category in Category.values:
        for urgency in Urgency.values:
            if (category, urgency) in existing:
                continue
            assign, response, resolution = default_time_limits(category, urgency)
            rows.append(
                model(
                    category=category,
                    urgency=urgency,
                    assign_days=assign,
                    response_days=response,
                    resolution_days=resolution,
                )
            )
    model.objects.bulk_create(rows)
    return len(rows)
