"""Reading the city's project list from an .xlsx workbook (the template's Chinese headers).

`read_workbook` checks the file (size, really an .xlsx, the header row) and yields its rows;
`RowImporter.apply` turns one row into calls of the owning services — enterprises.services
(new owner enterprises), projects.services (project_create / project_update /
project_change_stage / annual_target_set) — so an import obeys exactly the rules of the forms.
Every problem is reported as {"row", "column", "message"}, with the spreadsheet's row number
and the column's header. Transactions (dry run, all-or-nothing) are dashboards.services' job.

The headers are the exchange format agreed with the units filling the sheet, so they are fixed
Chinese text, not translated.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import ApplicationError
from core.models import Department, Official, Park, Role
from enterprises.models import ChainSegment, Enterprise, IndustryChain
from enterprises.services import enterprise_create
from enterprises.validators import validate_credit_code
from projects.models import Level, Project, Stage
from projects.services import annual_target_set, project_change_stage, project_create, project_update

MAX_ROWS = 3000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    example: object = ""


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
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def _file_error(message: str) -> ApplicationError:
    return ApplicationError(message, fields={"file": [message]}, code="bad_file")


def check_upload(upload) -> None:
    """Refuse what is not an .xlsx workbook within the size limit, before reading it."""
    if upload is None:
        raise _file_error(_("Choose an Excel file (.xlsx)."))
    if upload.size > max_bytes():
        raise _file_error(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())}
        )
    name = (upload.name or "").lower()
    upload.seek(0)
    is_zip = zipfile.is_zipfile(upload)
    upload.seek(0)
    if not name.endswith(".xlsx") or not is_zip:
        raise _file_error(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."))


@dataclass
class SheetRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict  # column key → raw cell value


def read_workbook(file) -> list[SheetRow]:
    """The data rows of the first sheet, keyed by column; blank rows skipped.

    Raises ApplicationError (field "file") when the workbook cannot be read, a required header
    is missing or there are too many rows.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _file_error(_("This is not an Excel workbook (.xlsx). Download the template and fill it in.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions = {}
        for index, title in enumerate(header):
            text = re.sub(r"[\s*＊]", "", str(title or ""))
            for column in COLUMNS:
                if text == column.header.replace(" ", ""):
                    positions[column.key] = index
        missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
        if missing:
            raise _file_error(
                _("The first row must hold the template's headers; missing: %(headers)s.")
                % {"headers": "、".join(missing)}
            )
        result = []
        for number, cells in enumerate(rows, start=2):
            values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            if len(result) >= MAX_ROWS:
                raise _file_error(_("At most %(n)d projects per file.") % {"n": MAX_ROWS})
            result.append(SheetRow(number, values))
        return result
    finally:
        workbook.close()


# --- Cell parsing ---------------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _money(value) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter an amount in 10k yuan, e.g. 12500.5."))
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise CellError(_("Enter an amount in 10k yuan, e.g. 12500.5.")) from exc
    if not amount.is_finite():
        raise CellError(_("Enter an amount in 10k yuan, e.g. 12500.5."))
    if amount < 0:
        raise CellError(_("The amount cannot be negative."))
    return amount.quantize(Decimal("0.01"))


def _date(value) -> datetime.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("Enter a date such as 2026-03-01."))


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("Enter 是 or 否."))


def _choice_lookup(choices) -> dict[str, str]:
    """Value, English label and Chinese label of each choice → value."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("en", "zh-hans"):
            with override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


# --- Rows -----------------------------------------------------------------------------------


class RowErrors(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


class RowImporter:
    """Applies rows one by one through the services. Reference data (parks, departments,
    leaders, chains, segments) is read once up front; codes seen earlier in the file are kept to
    refuse duplicates."""

    def __init__(self, *, by, rows: list[SheetRow]):
        self.by = by
        self.year = timezone.localdate().year
        self.parks = _by_names(Park.objects.all())
        self.departments = _by_names(Department.objects.all())
        leaders: dict[str, dict] = {}
        for official in Official.objects.filter(role=Role.LEADER):
            for key in {official.name, official.title} - {""}:
                leaders.setdefault(key, {})[official.pk] = official
        self.leaders = {key: list(found.values()) for key, found in leaders.items()}
        self.chains = {c.name: c for c in IndustryChain.objects.all()}
        self.segments = {(s.chain_id, s.name): s for s in ChainSegment.objects.all()}
        self.levels = _choice_lookup(Level.choices)
        self.stages = _choice_lookup(Stage.choices)
        codes = {_text(r.values.get("code")) for r in rows}
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
            if column.required and column.key in v and _text(v.get(column.key)) == "":
                self._error(errors, row, column.key, _("This column is required."))
        code = _text(v.get("code"))
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
                data[key] = _text(v.get(key))
        data["enterprise_name"] = _text(v.get("enterprise"))
        credit_code = _text(v.get("credit_code")).upper()
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
            text = _text(v.get(key))
            if text:
                if text.lower() in lookup:
                    data[key] = lookup[text.lower()]
                else:
                    self._error(errors, row, key, message % {"name": text})
        for key, parse in (
            ("total_investment", _money),
            ("year_plan", _money),
            ("planned_start", _date),
            ("planned_completion", _date),
            ("is_key", _bool),
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
        parent = _text(v.get("parent"))
        if parent:
            found = self.existing.get(parent) or Project.objects.filter(code=parent).first()
            if found is None:
                self._error(errors, row, "parent", _("Unknown project code: %(name)s.") % {"name": parent})
            else:
                data["parent"] = found
        return data, errors

    def _lookup(self, errors, row, data, key, table, message, required=False) -> None:
        name = _text(row.values.get(key))
        if not name:
            if not required and key in row.values:
                data[key] = None
            return
        if name in table:
            data[key] = table[name]
        else:
            self._error(errors, row, key, message % {"name": name})

    def _leader(self, errors, row, data) -> None:
        name = _text(row.values.get("assigned_leader"))
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
        chain_name = _text(row.values.get("chain"))
        segment_name = _text(row.values.get("segment"))
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


def _by_names(qs) -> dict:
    table = {}
    for obj in qs:
        table[obj.name] = obj
        if obj.short_name:
            table.setdefault(obj.short_name, obj)
    return table


def _service_errors(row_number: int, exc: ApplicationError) -> list[dict]:
    errors = []
    for field_name, messages in exc.fields.items():
        key = FIELD_COLUMNS.get(field_name)
        if field_name == "credit_code":
            key = "credit_code"
        column = BY_KEY[key].header if key else "—"
        errors.extend({"row": row_number, "column": column, "message": str(m)} for m in messages)
    if not errors:
        errors.append({"row": row_number, "column": "—", "message": exc.message})
    return errors
