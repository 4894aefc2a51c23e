"""Writing .xlsx workbooks: list exports, the import template, the weekly briefing.

Every cell is written by core.sheets.write_cell (user text that would start a formula stays
text). One table writer (`write_table`) and one column spec per list; a list export is "these columns
over these rows". Amounts are written as numbers in 万元 (the header says so), dates as dates,
rates as percentages, so the sheet can be summed and sorted.
"""

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.rates import Rate, format_rate
from core.sheets import XLSX_CONTENT_TYPE, template_workbook, write_cell
from dashboards.columns import ISSUE_COLUMNS_BRIEF, MILESTONE_COLUMNS_BRIEF, XColumn, _name
from dashboards.imports import COLUMNS as IMPORT_COLUMNS
from projects.models import Level, Stage

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
FORMATS = {"money": "#,##0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "percent": "0.0%", "int": "0"}


def _cell(value, kind: str):
    if isinstance(value, Rate):
        value = value.value  # a fraction, shown as a percentage by the column's number format
    if value is None or value == "":
        return None
    if kind == "datetime" and isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value if isinstance(value, (int, float, datetime.date)) else str(value)


def write_table(ws, columns: list[XColumn], rows: Iterable, *, title: str = "") -> None:
    """Headers in the first row (or under a title row), one row per item, frozen header,
    auto-filter, number formats and widths."""
    top = 1
    if title:
        write_cell(ws, 1, 1, str(title)).font = Font(bold=True, size=13)
        top = 3
    for index, column in enumerate(columns, start=1):
        cell = write_cell(ws, top, index, str(column.header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    count = 0
    for count, item in enumerate(rows, start=1):
        for index, column in enumerate(columns, start=1):
            cell = write_cell(ws, top + count, index, _cell(column.value(item), column.kind))
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    if columns:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{top + max(count, 1)}"


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An attachment download; the UTF-8 file name (RFC 6266) keeps Chinese names intact."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = "".join("-" if ch in '\\/:*?"<>|' else ch for ch in filename)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


def sheet_title(name) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(name)).strip()
    return cleaned[:31] or "Sheet"


def table_workbook(columns: list[XColumn], rows: Iterable, *, sheet: str, title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(sheet)
    write_table(ws, columns, rows, title=title)
    return workbook_bytes(wb)


# --- The import template -------------------------------------------------------------------


def import_template() -> bytes:
    """The project-list template: the fixed Chinese headers (required ones marked *), drop-down
    lists for level, stage and key flag, and a sheet explaining each column."""
    with override("zh-hans"):
        levels = ",".join(str(label) for _v, label in Level.choices)
        stages = ",".join(str(label) for v, label in Stage.choices if v != Stage.STOPPED)
    explanations = {
        "code": _("Unique; an existing code updates that project."),
        "enterprise": _("A new enterprise is added to the directory with the credit code."),
        "credit_code": _("18 characters, checked (GB 32100-2015)."),
        "park": _("Name or short name of a park in the system."),
        "level": _("Choose from the list."),
        "chain": _("Name of an industry chain in the system."),
        "segment": _("A segment of that chain."),
        "total_investment": _("In 10k yuan, a number."),
        "planned_start": _("A date, e.g. 2026-03-01."),
        "planned_completion": _("A date, e.g. 2027-12-31."),
        "stage": _("Choose from the list; moving back needs the project page."),
        "assigned_leader": _("Name or title of a city leader."),
        "responsible_unit": _("Name or short name of a department."),
        "is_key": _("是 or 否."),
        "parent": _("For a phase: the code of the project it belongs to."),
        "year_plan": _("This year's planned investment, in 10k yuan."),
    }
    return template_workbook(
        IMPORT_COLUMNS,
        sheet="项目清单",
        lists={"level": levels, "stage": stages, "is_key": "是,否"},
        number_formats={
            "total_investment": FORMATS["money"],
            "year_plan": FORMATS["money"],
            "planned_start": FORMATS["date"],
            "planned_completion": FORMATS["date"],
        },
        explanations=explanations,
        notes_sheet=sheet_title(_("How to fill in")),
        notes_headers=(_("Column"), _("Required"), _("How to fill in"), _("Example")),
    )


# --- The weekly briefing -------------------------------------------------------------------


def briefing_workbook(briefing) -> bytes:
    """The briefing as a workbook: a summary sheet, then one sheet per section."""
    wb = Workbook()
    summary = wb.active
    summary.title = sheet_title(_("Summary"))
    inv = briefing.headline["investment"]
    issues = briefing.headline["issues"]
    period = _("%(start)s to %(end)s") % {
        "start": date_format(briefing.week_start, "DATE_FORMAT"),
        "end": date_format(briefing.until, "DATE_FORMAT"),
    }
    colors = {c["color"]: c["count"] for c in briefing.headline["health"]["colors"]}
    lines = [
        (_("Weekly briefing"), period),
        (_("Time-elapsed share of the year"), _pct(briefing.scope.share)),
        (_("Year's planned investment (10k yuan)"), inv["year_plan"]),
        (_("Invested this year (10k yuan)"), inv["year_done_planned"]),
        (_("Investment completion rate"), _pct(inv["completion"].value)),
        (_("Red / yellow / green projects"), f"{colors['red']} / {colors['yellow']} / {colors['green']}"),
        (_("Stage changes"), len(briefing.stage_moves)),
        (_("Monthly reports filed"), len(briefing.reports_filed)),
        (
            _("Monthly reports for %(month)s not filed")
            % {"month": date_format(briefing.report_month, "YEAR_MONTH_FORMAT")},
            len(briefing.reports_missing),
        ),
        (_("Milestones met"), len(briefing.milestones_met)),
        (_("Milestones missed"), len(briefing.milestones_missed)),
        (_("Issues raised"), len(briefing.issues_opened)),
        (_("Issues resolved"), len(briefing.issues_closed)),
        (_("Issues overdue now"), briefing.issues_overdue_count),
        (_("Response rate this year"), _pct(issues.response_rate)),
        (_("On-time resolution rate this year"), _pct(issues.on_time_rate)),
        (_("Satisfaction rate this year"), _pct(issues.satisfaction_rate)),
    ]
    write_table(
        summary,
        [XColumn(_("Item"), lambda r: r[0], width=36), XColumn(_("Value"), lambda r: r[1], width=36)],
        lines,
    )
    sections = [
        (
            _("Stage changes"),
            [
                XColumn(_("Date"), lambda c: c.changed_on, "date", 12),
                XColumn(_("Project"), lambda c: c.project.name, width=30),
                XColumn(_("From"), lambda c: c.get_from_stage_display(), width=12),
                XColumn(_("To"), lambda c: c.get_to_stage_display(), width=12),
                XColumn(_("Reason"), lambda c: c.reason, width=30),
            ],
            briefing.stage_moves,
        ),
        (
            _("Reports filed"),
            [
                XColumn(_("Project"), lambda r: r.project.name, width=30),
                XColumn(_("Month"), lambda r: date_format(r.month, "YEAR_MONTH_FORMAT"), width=12),
                XColumn(_("Investment this month (10k yuan)"), lambda r: r.investment, "money"),
                XColumn(_("Physical progress"), lambda r: r.physical_progress, width=40),
            ],
            briefing.reports_filed,
        ),
        (
            _("Reports missing"),
            [
                XColumn(_("Project"), lambda p: p.name, width=30),
                XColumn(_("Park"), lambda p: _name(p.park), width=16),
                XColumn(_("Responsible unit"), lambda p: _name(p.responsible_unit), width=16),
                XColumn(_("Last reported month"), lambda p: p.last_report_month, "date", 14),
            ],
            briefing.reports_missing,
        ),
        (_("Milestones met"), MILESTONE_COLUMNS_BRIEF, briefing.milestones_met),
        (_("Milestones missed"), MILESTONE_COLUMNS_BRIEF, briefing.milestones_missed),
        (_("Issues raised"), ISSUE_COLUMNS_BRIEF, briefing.issues_opened),
        (_("Issues resolved"), ISSUE_COLUMNS_BRIEF, briefing.issues_closed),
        (_("Issues overdue"), ISSUE_COLUMNS_BRIEF, briefing.issues_overdue),
        (
            _("Top problems"),
            [
                XColumn(_("Category"), lambda r: r["label"], width=20),
                XColumn(pgettext("issues", "Open"), lambda r: r["open"], "int", 8),
                XColumn(pgettext("issues", "Overdue"), lambda r: r["overdue"], "int", 8),
            ],
            briefing.top_categories,
        ),
    ]
    for title, columns, rows in sections:
        write_table(wb.create_sheet(sheet_title(title)), columns, rows)
    return workbook_bytes(wb)


def _pct(value) -> str:
    """A Rate or a 0–1 share as the pages show it ("45.3%"; "—" for an empty denominator)."""
    return format_rate(value)
