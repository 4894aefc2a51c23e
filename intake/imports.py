"""Reading a candidate list from an .xlsx workbook (the template's fixed Chinese headers) with
core.sheets, the machinery every import shares. Each row becomes a candidate submitted for
review through intake.services.candidate_create (passed in as `create`, so that this module and
the services do not import each other), so an import obeys exactly the rules of the form.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import sheets
from core.errors import ApplicationError
from core.models import Department, Park
from core.sheets import CellError, Column, RowErrors, SheetRow
from enterprises.models import ChainSegment, IndustryChain
from enterprises.validators import validate_credit_code

MAX_ROWS = 1000

COLUMNS = [
    Column("项目名称", "name", True, "米尔化工三期水性树脂扩能项目"),
    Column("企业名称", "enterprise_name", True, "新沂米尔化工科技有限公司"),
    Column("统一社会信用代码", "credit_code", True, "91320381MA20C7LQ4F"),
    Column("所在园区", "park", True, "新沂经济开发区"),
    Column("产业链", "chain", False, "超纤材料"),
    Column("产业链环节", "segment", False, "水性聚氨酯树脂"),
    Column("建设内容", "content", True, "新建年产10万吨水性聚氨酯树脂生产线"),
    Column("总投资（万元）", "total_investment", True, 80000),
    Column("用地需求（亩）", "land_area", False, 120),
    Column("能耗需求（吨标准煤）", "energy_tce", False, 15000),
    Column("预计开工日期", "expected_start", False, "2027-03-01"),
    Column("申报单位", "unit", False, "新沂经济开发区管委会"),
    Column("联系人", "contact_name", False, "项目服务局"),
    Column("联系电话", "contact_phone", False, ""),
]
BY_KEY = {c.key: c for c in COLUMNS}
# Service field names → the column that holds them.
FIELD_COLUMNS = {
    "name": BY_KEY["name"],
    "enterprise": BY_KEY["enterprise_name"],
    "enterprise_name": BY_KEY["enterprise_name"],
    "credit_code": BY_KEY["credit_code"],
    "park": BY_KEY["park"],
    "segment": BY_KEY["segment"],
    "content": BY_KEY["content"],
    "total_investment": BY_KEY["total_investment"],
    "land_area": BY_KEY["land_area"],
    "energy_tce": BY_KEY["energy_tce"],
    "expected_start": BY_KEY["expected_start"],
    "unit": BY_KEY["unit"],
    "contact_name": BY_KEY["contact_name"],
    "contact_phone": BY_KEY["contact_phone"],
}


def read_candidates(file) -> list[SheetRow]:
    return sheets.read_workbook(
        file, COLUMNS, max_rows=MAX_ROWS, too_many=_("At most %(n)d projects per file.") % {"n": MAX_ROWS}
    )


class CandidateRowImporter:
    """Applies rows through `create` (intake.services.candidate_create, submitting each).
    Reference data (parks, departments, chains, segments) is read once; names seen earlier in
    the file are kept to refuse duplicates."""

    def __init__(self, *, by, rows: list[SheetRow], create):
        self.by = by
        self.create = create
        self.parks = sheets.by_names(Park.objects.all())
        self.departments = sheets.by_names(Department.objects.all())
        self.chains = {c.name: c for c in IndustryChain.objects.all()}
        self.segments = {(s.chain_id, s.name): s for s in ChainSegment.objects.all()}
        self.seen: dict[tuple, int] = {}
        self.created = 0

    def apply(self, row: SheetRow) -> None:
        data, errors = self._parse(row)
        if errors:
            raise RowErrors(errors)
        try:
            self.create(by=self.by, submit=True, **data)
        except ApplicationError as exc:
            raise RowErrors(sheets.service_errors(row.number, exc, FIELD_COLUMNS)) from exc
        self.created += 1

    def _error(self, errors: list, row: SheetRow, key: str, message) -> None:
        errors.append(sheets.cell_error(row, BY_KEY[key], message))

    def _parse(self, row: SheetRow) -> tuple[dict, list]:
        v, errors, data = row.values, [], {}
        for column in COLUMNS:
            if column.required and sheets.text(v.get(column.key)) == "":
                self._error(errors, row, column.key, _("This column is required."))
        for key in ("name", "enterprise_name", "content", "contact_name", "contact_phone"):
            data[key] = sheets.text(v.get(key))
        credit_code = sheets.text(v.get("credit_code")).upper()
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                self._error(errors, row, "credit_code", " ".join(exc.messages))
        data["credit_code"] = credit_code
        for key, table, message in (
            ("park", self.parks, _("Unknown park: %(name)s.")),
            ("unit", self.departments, _("Unknown department: %(name)s.")),
        ):
            name = sheets.text(v.get(key))
            if name:
                if name in table:
                    data[key] = table[name]
                else:
                    self._error(errors, row, key, message % {"name": name})
        self._segment(errors, row, data)
        for key, parse in (
            ("total_investment", sheets.money),
            ("land_area", sheets.quantity),
            ("energy_tce", sheets.quantity),
            ("expected_start", sheets.date),
        ):
            try:
                data[key] = parse(v.get(key))
            except CellError as exc:
                self._error(errors, row, key, str(exc))
        key = (data["name"], getattr(data.get("park"), "pk", None))
        if data["name"]:
            if key in self.seen:
                self._error(errors, row, "name", _("Duplicate project: also in row %(row)d.") % {"row": self.seen[key]})
            else:
                self.seen[key] = row.number
        return data, errors

    def _segment(self, errors, row, data) -> None:
        chain_name = sheets.text(row.values.get("chain"))
        segment_name = sheets.text(row.values.get("segment"))
        if not chain_name and not segment_name:
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


def template() -> bytes:
    """The candidate-list template: headers (required ones marked *) and how to fill each."""
    explanations = {
        "name": _("Unique in its park among the candidates under way."),
        "enterprise_name": _("An enterprise of the directory is recognised by its credit code."),
        "credit_code": _("18 characters, checked (GB 32100-2015)."),
        "park": _("Name or short name of a park in the system."),
        "chain": _("Name of an industry chain in the system."),
        "segment": _("A segment of that chain."),
        "total_investment": _("In 10k yuan, a number."),
        "land_area": _("Land needed, in mu."),
        "energy_tce": _("Energy needed a year, in tonnes of standard coal."),
        "expected_start": _("A date, e.g. 2026-03-01."),
        "unit": _("Default: your own unit. Only the supervision office may name another."),
    }
    return sheets.template_workbook(
        COLUMNS,
        sheet="申报项目清单",
        number_formats={
            "total_investment": "#,##0.00",
            "land_area": "#,##0.00",
            "energy_tce": "#,##0.00",
            "expected_start": "yyyy-mm-dd",
        },
        explanations=explanations,
        notes_sheet=str(_("How to fill in")),
        notes_headers=(_("Column"), _("Required"), _("How to fill in"), _("Example")),
    )
