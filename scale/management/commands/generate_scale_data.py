"""`manage.py generate_scale_data --projects N --issues M --seed S`: province-scale data in bulk."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from projects.models import Project
from scale.generators import GenerationRefused, ScaleConfig, generate


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = _(
        "Generate realistic, reproducible data at any scale (parks, departments, officials, enterprises, "
        "projects with stage histories, reports, milestones, campaigns, issues in every state, notifications) "
        "with bulk inserts. For test and benchmark databases: refuses a production or non-empty database "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=_positive, default=1000)
        parser.add_argument("--issues", type=_positive, default=10000)
        parser.add_argument("--seed", type=_positive, default=1)
        parser.add_argument("--reports-per-project", type=_positive, default=12)
        parser.add_argument("--milestones-per-project", type=_positive, default=5)
        parser.add_argument("--users", type=_positive, default=None)
        parser.add_argument("--enterprises", type=_positive, default=None)
        parser.add_argument("--campaigns", type=_positive, default=4)
        parser.add_argument("--batch-size", type=_positive, default=2000)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--password", default=None, help=_("Password of every generated login (default: none)."))
        parser.add_argument(
            "--force", action="store_true", help=_("Run even on a production database or one that holds projects.")
        )

    def handle(self, *args, **options):
        if options["projects"] < 1:
            raise CommandError(_("--projects must be at least 1."))
        if not options["force"]:
            if not settings.DEBUG:
                raise CommandError(
                    _(
                        "Refusing to generate data: DEBUG is off, so this looks like a production database "
                        "(%(name)s). Use --force on a database you may fill."
                    )
                    % {"name": connection.settings_dict.get("NAME")}
                )
            if Project.objects.exists():
                raise CommandError(
                    _("Refusing to generate data: the database already holds projects. Use --force to add to them.")
                )
        config = ScaleConfig(
            projects=options["projects"],
            issues=options["issues"],
            seed=options["seed"],
            reports_per_project=options["reports_per_project"],
            milestones_per_project=options["milestones_per_project"],
            users=options["users"],
            enterprises=options["enterprises"],
            campaigns=options["campaigns"],
            batch_size=options["batch_size"],
            password=options["password"],
            **({"today": options["today"]} if options["today"] else {}),
        )
        try:
            report = generate(config, log=lambda msg: self.stdout.write(msg) if options["verbosity"] > 1 else None)
        except GenerationRefused as exc:
            raise CommandError(str(exc)) from exc
        for name, count in sorted(report.counts.items()):
            self.stdout.write(f"{name:<36}{count:>10}")
        self.stdout.write(_("Done in %(s).1f s.") % {"s": sum(report.seconds.values())})
