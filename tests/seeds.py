"""What the data migrations seed, restored through the same public functions they call.

A transactional test (live server, real Celery worker) ends with a flush of every table, which
also removes these rows; `tests/conftest.py` runs `seed_migrated_data` before each such test so
that every test starts from the database as `migrate` leaves it. tests/test_seeds.py proves the
list complete: after a flush, these functions restore exactly what the migrations seeded.
"""

from approvals.defaults import seed_types as approval_types_seed
from core.calendar import holidays_seed_from_library
from dashboards.defaults import seed_defaults
from dashboards.models import HealthRule, LeagueFormula
from issues.defaults import time_limit_rules_seed


def seed_migrated_data() -> None:
    holidays_seed_from_library()  # core 0003: the PRC holiday calendar
    time_limit_rules_seed()  # issues 0002: the "13710" time-limit table
    seed_defaults(HealthRule, LeagueFormula)  # dashboards 0002: health rules and league formulas
    approval_types_seed()  # approvals 0002: the approval item types and project types
