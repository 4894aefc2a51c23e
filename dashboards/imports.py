"""Reading the city's project list from an .xlsx workbook (the template's Chinese headers).

`read_workbook` checks the file (size, really an .xlsx, the header row) and yields its rows
with core.sheets, the machinery every import shares (cell parsers, row errors, transactions);
`RowImporter.apply` turns one row into calls of the owning services — enterprises.services
(new owner enterprises), projects.services (project_create / project_update /
project_change_stage / annual_target_set) — so an import obeys exactly the rules of the forms.
Every problem is reported as {"row", "column", "message"}, with the spreadsheet's row number
and the column's header. Transactions (dry run, all-or-nothing) are core.sheets.run_rows, called by dashboards.services.

The headers are the exchange format agreed with the units filling the sheet, so they are fixed
Chinese text, not translated.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import sheets
from core.errors import ApplicationError
from core.models import Department, Official, Park, Role
from core.sheets import XLSX_CONTENT_TYPE, CellError, Column, RowErrors, SheetRow, check_upload
from enterprises.models import ChainSegment, Enterprise, IndustryChain
from enterprises.services import enterprise_create
from enterprises.validators import validate_credit_code
from projects.models import Level, Project, Stage
from projects.services import annual_target_set, project_change_stage, project_create, project_update

__all__ = ["COLUMNS", "XLSX_CONTENT_TYPE", "RowErrors", "RowImporter", "check_upload", "read_workbook"]

MAX_ROWS = 3000


COLUMNS = [
    Column("项目编号", "code", True, "XY-2026-0001"),
    Column("项目名称", "name", True, "中新钢铁二期特钢项目"),
    Column("业主企业", "enterprise", True, "江苏中新钢铁有限公司"),
    Column("统一社会信用代码", "credit_code", True, "91320381MA1Q2W3E4N"),
    Column("所在园区", "park", True, "新沂经济开发区"),
    Column("项目级别", "level", False, "省重大项目"),
    Column("产业链", "chain", False, "钢铁"),
    Column("产业链环节", "segment", False, "特钢"),
    Column("总投资（万元）", "total_investment", True, 500000),
    Column("计划开工日期", "planned_start", False, "2026-03-01"),
    Column("计划竣工日期", "planned_completion", False, "2027-12-31"),
    Column("项目阶段", "stage", False, "在建"),
    Column("建设内容", "construction_content", False, ""),
    Column("包挂领导", "assigned_leader", False, ""),
    Column("责任单位", "responsible_unit", False, ""),
    Column("重点项目", "is_key", False, "是"),
    Column("重点标签", "key_label", False, ""),
    Column("分期", "phase_label", False, "二期"),
    Column("上级项目编号", "parent", False, ""),
    Column("本年计划投资（万元）", "year_plan", False, 60000),
]
BY_KEY = {c.key: c for c in COLUMNS}
# Service field names → the column that holds them (for errors raised by the services).
FIELD_COLUMNS = {
    "name": "name",
    "code": "code",
    "park": "park",
    "segment": "segment",
    "level": "level",
    "total_investment": "total_investment",
    "planned_start": "planned_start",
    "planned_completion": "planned_completion",
    "construction_content": "construction_content",
    "assigned_leader": "assigned_leader",
    "responsible_unit": "responsible_unit",
    "is_key": "is_key",
    "key_label": "key_label",
    "phase_label": "phase_label",
    "parent": "parent",
    "enterprise": "enterprise",
    "to_stage": "stage",
    "reason": "stage",
    "changed_on": "stage",
    "planned_investment": "year_plan",
}


def read_workbook(file) -> list[SheetRow]:
    """The project rows of the first sheet (core.sheets.read_workbook with these columns)."""
    return sheets.read_workbook(
        file, COLUMNS, max_rows=MAX_ROWS, too_many=_("At most %(n)d projects per file.") % {"n": MAX_ROWS}
    )


class RowImporter:
    """Applies rows one by one through the services. Reference data (parks, departments,
    leaders, chains, segments) is read once up front; codes seen earlier in the file are kept to
    refuse duplicates."""

    def __init__(self, *, by, rows: list[SheetRow]):
        self.by = by
        self.year = timezone.localdate().year
        self.parks = sheets.by_names(Park.objects.all())
        self.departments = sheets.by_names(Department.objects.all())
        leaders: dict[str, dict] = {}
        for official in Official.objects.filter(role=Role.LEADER):
            for key in {official.name, official.title} - {""}:
                leaders.setdefault(key, {})[official.pk] = official
        self.leaders = {key: list(found.values()) for key, found in leaders.items()}
        self.chains = {c.name: c for c in IndustryChain.objects.all()}
        self.segments = {(s.chain_id, s.name): s for s in ChainSegment.objects.all()}
        self.levels = sheets.choice_lookup(Level.choices)
        self.stages = sheets.choice_lookup(Stage.choices)
        codes = {sheets.text(r.values.get("code")) for r in rows}
        self.existing = {p.code: p for p in Project.objects.filter(code__in=codes).select_related("park")}
        self.seen: dict[str, int] = {}
        self.created = 0
        self.updated = 0

    def apply(self, row: SheetRow) -> None:
        """Create or update the row's project (and its owner enterprise, stage and year plan).
        Raises RowErrors with every problem of the row found before calling a service, or the
        first one a service reports."""
        data, errors = self._parse(row)
        if errors:
            raise RowErrors(errors)
        try:
            enterprise = self._enterprise(data)
            project = self.existing.get(data["code"])
            fields = {k: data[k] for k in _PROJECT_KEYS if k in data}
            fields["enterprise"] = enterprise
            if project is None:
                project = project_create(by=self.by, stage=data.get("stage") or Stage.PLANNED, **fields)
                self.created += 1
            else:
                project = project_update(project=project, by=self.by, **fields)
                if data.get("stage") and data["stage"] != project.stage:
                    project_change_stage(project=project, to_stage=data["stage"], by=self.by)
                self.updated += 1
            self.existing[data["code"]] = project
            if data.get("year_plan") is not None:
                annual_target_set(project=project, year=self.year, by=self.by, planned_investment=data["year_plan"])
        except ApplicationError as exc:
            raise RowErrors(_service_errors(row.number, exc)) from exc

    def _error(self, errors: list, row: SheetRow, key: str, message: str) -> None:
        errors.append({"row": row.number, "column": BY_KEY[key].header, "message": str(message)})

    def _parse(self, row: SheetRow) -> tuple[dict, list]:
        v, errors, data = row.values, [], {}
        for column in COLUMNS:
            if column.required and column.key in v and sheets.text(v.get(column.key)) == "":
                self._error(errors, row, column.key, _("This column is required."))
        code = sheets.text(v.get("code"))
        if code:
            if code in self.seen:
                self._error(
                    errors, row, "code", _("Duplicate project code: also in row %(row)d.") % {"row": self.seen[code]}
                )
            else:
                self.seen[code] = row.number
            data["code"] = code
        for key in ("name", "construction_content", "key_label", "phase_label"):
            if key in v:
                data[key] = sheets.text(v.get(key))
        data["enterprise_name"] = sheets.text(v.get("enterprise"))
        credit_code = sheets.text(v.get("credit_code")).upper()
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                self._error(errors, row, "credit_code", " ".join(exc.messages))
        data["credit_code"] = credit_code
        self._lookup(errors, row, data, "park", self.parks, _("Unknown park: %(name)s."), required=True)
        self._lookup(errors, row, data, "responsible_unit", self.departments, _("Unknown department: %(name)s."))
        self._leader(errors, row, data)
        self._segment(errors, row, data)
        for key, lookup, message in (
            ("level", self.levels, _("Unknown level: %(name)s.")),
            ("stage", self.stages, _("Unknown stage: %(name)s.")),
        ):
            text = sheets.text(v.get(key))
            if text:
                if text.lower() in lookup:
                    data[key] = lookup[text.lower()]
                else:
                    self._error(errors, row, key, message % {"name": text})
        for key, parse in (
            ("total_investment", sheets.money),
            ("year_plan", sheets.money),
            ("planned_start", sheets.date),
            ("planned_completion", sheets.date),
            ("is_key", sheets.boolean),
        ):
            if key not in v:
                continue
            try:
                value = parse(v.get(key))
            except CellError as exc:
                self._error(errors, row, key, str(exc))
                continue
            if value is not None or key not in ("total_investment", "year_plan"):
                data[key] = value
        parent = sheets.text(v.get("parent"))
        if parent:
            found = self.existing.get(parent) or Project.objects.filter(code=parent).first()
            if found is None:
                self._error(errors, row, "parent", _("Unknown project code: %(name)s.") % {"name": parent})
            else:
                data["parent"] = found
        return data, errors

    def _lookup(self, errors, row, data, key, table, message, required=False) -> None:
        name = sheets.text(row.values.get(key))
        if not name:
            if not required and key in row.values:
                data[key] = None
            return
        if name in table:
            data[key] = table[name]
        else:
            self._error(errors, row, key, message % {"name": name})

    def _leader(self, errors, row, data) -> None:
        name = sheets.text(row.values.get("assigned_leader"))
        if "assigned_leader" not in row.values:
            return
        if not name:
            data["assigned_leader"] = None
            return
        found = self.leaders.get(name, [])
        if len(found) == 1:
            data["assigned_leader"] = found[0]
        elif not found:
            self._error(errors, row, "assigned_leader", _("No city leader is called %(name)s.") % {"name": name})
        else:
            self._error(errors, row, "assigned_leader", _("Several city leaders are called %(name)s.") % {"name": name})

    def _segment(self, errors, row, data) -> None:
        chain_name = sheets.text(row.values.get("chain"))
        segment_name = sheets.text(row.values.get("segment"))
        if not chain_name and not segment_name:
            if "segment" in row.values:
                data["segment"] = None
            return
        chain = self.chains.get(chain_name)
        if chain is None:
            self._error(errors, row, "chain", _("Unknown industry chain: %(name)s.") % {"name": chain_name or "—"})
            return
        if not segment_name:
            self._error(errors, row, "segment", _("Name the segment of the chain."))
            return
        segment = self.segments.get((chain.pk, segment_name))
        if segment is None:
            self._error(
                errors,
                row,
                "segment",
                _("The chain %(chain)s has no segment %(name)s.") % {"chain": chain.name, "name": segment_name},
            )
        else:
            data["segment"] = segment

    def _enterprise(self, data: dict) -> Enterprise:
        enterprise = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
        if enterprise is not None:
            return enterprise
        try:
            return enterprise_create(
                by=self.by, name=data["enterprise_name"], credit_code=data["credit_code"], park=data["park"]
            )
        except ApplicationError as exc:
            fields = {("enterprise" if f == "name" else f): m for f, m in exc.fields.items()}
            raise ApplicationError(exc.message, fields=fields) from exc


_PROJECT_KEYS = [
    "code",
    "name",
    "park",
    "segment",
    "level",
    "total_investment",
    "planned_start",
    "planned_completion",
    "construction_content",
    "assigned_leader",
    "responsible_unit",
    "is_key",
    "key_label",
    "phase_label",
    "parent",
]


def _service_errors(row_number: int, exc: ApplicationError) -> list[dict]:
    columns = {field: BY_KEY[key] for field, key in FIELD_COLUMNS.items()}
    columns["credit_code"] = BY_KEY["credit_code"]
    return sheets.service_errors(row_number, exc, columns)
