"""Seed the time-limit table with the "13710" defaults (routed 1, first response 3, ordinary
problems solved in 7, complex ones in 22 working days; shorter for urgent and critical issues).

The numbers are copied here, not imported, so this migration never changes meaning later.
"""

from django.db import migrations

CATEGORIES = [
    "land", "planning", "approval", "environmental_energy", "electricity", "water_gas",
    "financing", "labour_talent", "logistics", "policy", "safety", "other",
]
COMPLEX = {"land", "planning", "approval", "environmental_energy", "financing", "policy"}
LIMITS = {
    # urgency: (assign, response, resolution ordinary, resolution complex)
    "normal": (1, 3, 7, 22),
    "urgent": (1, 1, 3, 10),
    "critical": (1, 1, 1, 5),
}


def seed(apps, schema_editor):
    TimeLimitRule = apps.get_model("issues", "TimeLimitRule")
    for category in CATEGORIES:
        for urgency, (assign, response, ordinary, complex_) in LIMITS.items():
            TimeLimitRule.objects.get_or_create(
                category=category,
                urgency=urgency,
                defaults={
                    "assign_days": assign,
                    "response_days": response,
                    "resolution_days": complex_ if category in COMPLEX else ordinary,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
