"""`python manage.py load_demo`: build the demo world, idempotently.

Runs the STEPS of every installed app that has a `demo` module (core.demo first, then
enterprises, projects, campaigns, issues, notifications … in INSTALLED_APPS order), in one
transaction. The modules are found by name: core imports no other app. Refuses to run with
DEBUG off unless --force: the demo logins share one known password.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from core.demo import LOGINS, DemoContext


def demo_steps() -> list:
    """Every app's demo steps, core first, then the other apps in INSTALLED_APPS order."""
    steps = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "demo"):
            continue
        module = import_module(f"{config.name}.demo")
        steps.extend(getattr(module, "STEPS", []))
    return steps


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo logins share one known password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to load demo data (its logins share one known password). "
                "Use --force to load it anyway."
            )
        ctx = DemoContext(
            today=timezone.localdate(),
            password=settings.DEMO_PASSWORD,
            log=lambda message: self.stdout.write(message),
        )
        steps = demo_steps()
        with transaction.atomic():
            for step in steps:
                step(ctx)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({len(steps)} steps, as of {ctx.today:%Y-%m-%d}): "
                f"{len(ctx.projects)} projects, {len(ctx.enterprises)} enterprises, {len(ctx.officials)} officials."
            )
        )
        self.stdout.write(f"Demo logins (password: DEMO_PASSWORD = {settings.DEMO_PASSWORD}):")
        for username in LOGINS:
            official = ctx.officials[username]
            self.stdout.write(f"  {username:<16} {official.get_role_display()} · {official.title}")
