"""Load the PRC holiday schedule from the pinned chinesecalendar library into core.Holiday.

Idempotent: rows entered by hand are never touched; library rows are added or corrected.
The deadlines that count days of every changed year are recomputed afterwards. Run it after
upgrading chinesecalendar to a release that knows a new year.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.calendar import holidays_changed, holidays_seed_from_library, years_missing_holiday_data
from issues.services import issue_deadlines_recompute


class Command(BaseCommand):
    help = "Seed the holiday calendar from chinesecalendar and recompute the deadlines it changes."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="Only this year (repeatable).")

    def handle(self, *args, years=None, **options):
        with transaction.atomic():
            changed_years = holidays_seed_from_library(years=years)
            recomputed = sum(issue_deadlines_recompute(year=year) for year in sorted(changed_years))
            holidays_changed(years=changed_years)  # the other apps' working-day dates (approvals …)
        self.stdout.write(
            f"Holiday rows changed for years: {', '.join(map(str, sorted(changed_years))) or 'none'}; "
            f"issues with recomputed deadlines: {recomputed}."
        )
        missing = years_missing_holiday_data()
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"No holiday data for {', '.join(map(str, missing))}: deadlines there are provisional "
                    "(weekends only) until a supervisor enters the schedule in the admin."
                )
            )
