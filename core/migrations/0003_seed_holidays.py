"""Seed the holiday calendar from the pinned chinesecalendar library (years 2004–2026).

Self-contained on purpose: a migration must not depend on application code that may change.
Later years are added by supervisors in the admin or by `manage.py seed_holidays` after a
library upgrade.
"""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar.constants import Holiday as LibraryHoliday

    Holiday = apps.get_model("core", "Holiday")
    names = {h.value: h.chinese for h in LibraryHoliday}
    existing = set(Holiday.objects.values_list("date", flat=True))
    rows = [
        Holiday(date=day, kind="holiday", name=names.get(name, name or ""), source="chinesecalendar")
        for day, name in chinese_calendar.holidays.items()
        if day not in existing
    ] + [
        Holiday(date=day, kind="makeup_workday", name=names.get(name, name or ""), source="chinesecalendar")
        for day, name in chinese_calendar.workdays.items()
        if day.weekday() >= 5 and day not in existing
    ]
    Holiday.objects.bulk_create(rows, batch_size=500)


def unseed(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holiday")]

    operations = [migrations.RunPython(seed, unseed)]
