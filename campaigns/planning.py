"""Reading the rows a supervisor pastes from Excel into a campaign's plan, and the template of
milestones copied to many projects. Nothing here writes: the services do, once every row is right.

A pasted row is tab-separated (what Excel puts on the clipboard): project (its code or its exact
name), milestone title, due date, responsible official (optional: the project's own). A first row
of headings (项目 / 节点 / …) is left out. Dates: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日
or an Excel day number (46022).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from core.models import Official
from projects.models import Milestone, Project

MAX_LINE_CHARS = 1000
HEADER_WORDS = {"项目", "项目名称", "项目编号", "project", "project code", "code", "名称"}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(text: str) -> datetime.date | None:
    """A date as people type it in a Chinese spreadsheet, or None."""
    text = (text or "").strip()
    match = _DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    if text.isdigit() and 20000 <= int(text) <= 80000:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    return None


@dataclass
class PlanRow:
    number: int
    cells: list[str]
    project: Project | None = None
    title: str = ""
    due_date: datetime.date | None = None
    responsible: Official | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def project_text(self) -> str:
        return self.cells[0] if self.cells else ""

    @property
    def responsible_text(self) -> str:
        return self.cells[3] if len(self.cells) > 3 else ""


class TooManyRows(ValueError):
    pass


def split_rows(text: str, *, limit: int) -> list[tuple[int, list[str]]]:
    """Non-empty lines as (line number, cells), the heading row left out. Tabs separate cells;
    a line without a tab may use commas (，or ,)."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        line = line[:MAX_LINE_CHARS]
        cells = line.split("\t") if "\t" in line else re.split(r"[,，]", line)
        cells = [c.strip() for c in cells]
        if not rows and cells[0].lower() in HEADER_WORDS:
            continue
        rows.append((number, cells))
        if len(rows) > limit:
            raise TooManyRows(limit)
    return rows


def _officials_by_name(names: set[str]) -> dict[str, list[Official]]:
    found: dict[str, list[Official]] = {}
    if names:
        for official in Official.objects.filter(name__in=names, user__is_active=True).select_related("department"):
            found.setdefault(official.name, []).append(official)
    return found


def _projects_by_key(keys: set[str]) -> tuple[dict[str, Project], dict[str, list[Project]]]:
    by_code: dict[str, Project] = {}
    by_name: dict[str, list[Project]] = {}
    if keys:
        for project in Project.objects.filter(Q(code__in=keys) | Q(name__in=keys)).select_related(
            "responsible_official"
        ):
            if project.code in keys:
                by_code[project.code] = project
            by_name.setdefault(project.name, []).append(project)
    return by_code, by_name


def check_rows(*, campaign, text: str, limit: int) -> list[PlanRow]:
    """Every pasted row with what it means and what is wrong with it. Four queries whatever the size."""
    rows = [PlanRow(number=n, cells=cells) for n, cells in split_rows(text, limit=limit)]
    by_code, by_name = _projects_by_key({r.project_text for r in rows if r.project_text})
    officials = _officials_by_name({r.responsible_text for r in rows if r.responsible_text})
    existing = set(Milestone.objects.filter(campaign=campaign).values_list("project_id", "title"))
    seen: set[tuple[int, str]] = set()
    for row in rows:
        if len(row.cells) < 3:
            row.errors.append(_("A row needs at least three cells: project, milestone, due date."))
            continue
        key = row.project_text
        if not key:
            row.errors.append(_("Name the project (its code or its name)."))
        elif key in by_code:
            row.project = by_code[key]
        elif len(by_name.get(key, [])) == 1:
            row.project = by_name[key][0]
        elif by_name.get(key):
            row.errors.append(_("Several projects have this name: use the project code."))
        else:
            row.errors.append(_("No project with this code or name."))
        row.title = row.cells[1][:200]
        if not row.title:
            row.errors.append(_("Enter the milestone's title."))
        row.due_date = parse_date(row.cells[2])
        if row.due_date is None:
            row.errors.append(_("Write the due date as 2026-12-31."))
        if row.responsible_text:
            matches = officials.get(row.responsible_text, [])
            if len(matches) == 1:
                row.responsible = matches[0]
            elif matches:
                row.errors.append(_("Several officials have this name: leave it empty and assign on the plan."))
            else:
                row.errors.append(_("No active official of this name."))
        elif row.project is not None:
            row.responsible = row.project.responsible_official
        if row.project is not None and row.title:
            pair = (row.project.pk, row.title)
            if pair in existing:
                row.errors.append(_("The project already has this milestone in the campaign."))
            elif pair in seen:
                row.errors.append(_("The same milestone appears twice in the pasted rows."))
            seen.add(pair)
    return rows


def parse_template(text: str, *, limit: int) -> tuple[list[tuple[str, datetime.date]], list[str]]:
    """Template lines "title<TAB or comma>due date" → ([(title, date)], errors by line)."""
    template, errors = [], []
    try:
        rows = split_rows(text, limit=limit)
    except TooManyRows:
        return [], [_("At most %(n)d milestones in a template.") % {"n": limit}]
    titles = set()
    for number, cells in rows:
        if len(cells) == 1 and len(cells[0].split()) > 1:
            cells = cells[0].rsplit(None, 1)
        title = cells[0].strip()[:200]
        day = parse_date(cells[1]) if len(cells) > 1 else None
        if not title or day is None:
            errors.append(_("Line %(n)d: write the title, then the due date, e.g. 开工 2026-12-31.") % {"n": number})
        elif title in titles:
            errors.append(_("Line %(n)d: this title is already in the template.") % {"n": number})
        else:
            titles.add(title)
            template.append((title, day))
    return template, errors
