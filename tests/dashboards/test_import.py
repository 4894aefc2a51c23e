"""Importing the city's project list from .xlsx: dry run, all-or-nothing commit, every error
named by row and column, refused files."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import ApplicationError, Conflict, PermissionDenied
from core.models import AuditEntry
from dashboards.excel import import_template
from dashboards.imports import COLUMNS
from dashboards.models import ProjectImport
from dashboards.services import ImportFailed, project_import_check, project_import_commit
from enterprises.models import Enterprise
from projects.models import AnnualTarget, Project, Stage, StageChange
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]
GOOD_CODE = make_credit_code(777001)
GOOD_CODE_2 = make_credit_code(777002)


def row(**values) -> dict:
    base = {
        "项目编号": "XY-2026-9001",
        "项目名称": "水性超纤新材料项目",
        "业主企业": "江苏水性超纤科技有限公司",
        "统一社会信用代码": GOOD_CODE,
        "所在园区": "经开区",
        "项目级别": "省重大项目",
        "总投资（万元）": 1000000,
        "计划开工日期": "2026-03-01",
        "计划竣工日期": "2027-12-31",
        "项目阶段": "在建",
        "包挂领导": "市委书记",
        "重点项目": "是",
        "重点标签": "1号产业",
        "本年计划投资（万元）": 60000,
        "产业链": "钢铁",
        "产业链环节": "特钢",
    }
    base.update(values)
    return base


def xlsx(rows: list[dict], name: str = "projects.xlsx", headers=None) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    headers = headers or HEADERS
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def errors_by_cell(batch_or_errors) -> dict:
    errors = batch_or_errors.errors if hasattr(batch_or_errors, "errors") else batch_or_errors
    return {(e["row"], e["column"]): e["message"] for e in errors}


def test_the_template_has_the_chinese_headers_and_reads_back_empty(city):
    wb = load_workbook(io.BytesIO(import_template()))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "项目编号*" and "总投资（万元）*" in headers and "计划开工日期" in headers
    assert len(wb.worksheets) == 2  # and a sheet explaining each column
    upload = SimpleUploadedFile("template.xlsx", import_template())
    with pytest.raises(ApplicationError) as exc:
        project_import_check(upload=upload, by=city.supervisor)
    assert exc.value.code == "empty"


def test_a_valid_file_is_checked_without_saving_then_imported(city):
    projects_before, enterprises_before = Project.objects.count(), Enterprise.objects.count()
    upload = xlsx(
        [
            row(),
            row(
                **{
                    "项目编号": "XY-2026-9002",
                    "项目名称": "水性超纤二期",
                    "上级项目编号": "XY-2026-9001",
                    "分期": "二期",
                    "项目阶段": "签约",
                    "所在园区": "新沂经济开发区",
                    "责任单位": "自然资源局",
                    "总投资（万元）": "25,000.5",
                }
            ),
        ]
    )
    batch = project_import_check(upload=upload, by=city.supervisor)
    assert batch.errors == [] and batch.row_count == 2
    assert (batch.created_count, batch.updated_count) == (2, 0)
    assert batch.can_commit
    assert Project.objects.count() == projects_before  # the dry run saved nothing
    assert Enterprise.objects.count() == enterprises_before

    batch = project_import_commit(batch=batch, by=city.supervisor)
    assert batch.status == ProjectImport.Status.COMMITTED
    first = Project.objects.get(code="XY-2026-9001")
    assert first.stage == Stage.UNDER_CONSTRUCTION and first.level == "provincial_major"
    assert first.assigned_leader == city.leader.official and first.is_key and first.key_label == "1号产业"
    assert first.total_investment == Decimal("1000000.00")
    assert first.segment == city.segments["steel"]
    assert first.enterprise.credit_code == GOOD_CODE and first.park == city.park_a
    assert AnnualTarget.objects.get(project=first, year=2026).planned_investment == Decimal("60000.00")
    second = Project.objects.get(code="XY-2026-9002")
    assert second.parent == first and second.stage == Stage.SIGNED
    assert second.responsible_unit == city.d1 and second.total_investment == Decimal("25000.50")
    assert Enterprise.objects.count() == enterprises_before + 1  # one new owner, used twice
    assert AuditEntry.objects.filter(action="project.create").count() == 2
    assert AuditEntry.objects.filter(action="project_import.commit").count() == 1
    with pytest.raises(Conflict):
        project_import_commit(batch=batch, by=city.supervisor)


def test_an_existing_code_updates_the_project_and_moves_its_stage(city):
    p3 = city.projects["P3"]
    upload = xlsx(
        [
            row(
                **{
                    "项目编号": "P3",
                    "项目名称": "项目P3（更名）",
                    "所在园区": "高新区",
                    "项目阶段": "在谈",
                    "统一社会信用代码": p3.enterprise.credit_code,
                    "业主企业": p3.enterprise.name,
                    "产业链": None,
                    "产业链环节": None,
                }
            )
        ]
    )
    batch = project_import_commit(batch=project_import_check(upload=upload, by=city.supervisor), by=city.supervisor)
    assert (batch.created_count, batch.updated_count) == (0, 1)
    p3.refresh_from_db()
    assert p3.name == "项目P3（更名）" and p3.stage == Stage.NEGOTIATING
    assert StageChange.objects.filter(project=p3, to_stage=Stage.NEGOTIATING).exists()


def test_bad_rows_save_nothing_and_each_error_names_row_and_column(city):
    projects_before, enterprises_before = Project.objects.count(), Enterprise.objects.count()
    bad_code = GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")
    upload = xlsx(
        [
            row(),  # row 2: valid on its own
            row(**{"项目编号": "XY-2026-9003", "所在园区": "不存在园区"}),  # row 3
            row(**{"项目编号": "XY-2026-9004", "统一社会信用代码": bad_code}),  # row 4
            row(**{"项目编号": "XY-2026-9005", "总投资（万元）": "约十亿"}),  # row 5
            row(**{"项目编号": "XY-2026-9001", "统一社会信用代码": GOOD_CODE_2, "业主企业": "另一家公司"}),  # row 6
            row(**{"项目编号": "XY-2026-9006", "计划开工日期": "明年春天", "项目级别": "县级"}),  # row 7
        ]
    )
    batch = project_import_check(upload=upload, by=city.supervisor)
    cells = errors_by_cell(batch)
    assert "不存在园区" in cells[(3, "所在园区")]
    assert "check character" in cells[(4, "统一社会信用代码")] or "校验" in cells[(4, "统一社会信用代码")]
    assert (5, "总投资（万元）") in cells
    assert "2" in cells[(6, "项目编号")]  # "also in row 2"
    assert (7, "计划开工日期") in cells and (7, "项目级别") in cells
    assert {r for r, _c in cells} == {3, 4, 5, 6, 7}
    assert not batch.can_commit
    assert Project.objects.count() == projects_before
    assert Enterprise.objects.count() == enterprises_before
    with pytest.raises(ApplicationError):
        project_import_commit(batch=batch, by=city.supervisor)
    assert Project.objects.count() == projects_before


def test_a_commit_that_now_fails_saves_nothing(city):
    """Checked clean, but before the commit a project took one of the codes' parent away (P2: a parent takes no report
    of its own, so the parent is one without reports): every row
    is rolled back and the errors are reported."""
    upload = xlsx(
        [
            row(),
            row(
                **{
                    "项目编号": "XY-2026-9002",
                    "上级项目编号": "P2",
                    "统一社会信用代码": GOOD_CODE_2,
                    "业主企业": "乙公司",
                }
            ),
        ]
    )
    batch = project_import_check(upload=upload, by=city.supervisor)
    assert batch.can_commit
    Project.objects.filter(code="P2").update(code="P2-renamed")
    before = Project.objects.count()
    with pytest.raises(ImportFailed) as exc:
        project_import_commit(batch=batch, by=city.supervisor)
    assert errors_by_cell(exc.value.errors).keys() == {(3, "上级项目编号")}
    assert Project.objects.count() == before
    assert not Project.objects.filter(code="XY-2026-9001").exists()


def test_a_file_that_is_not_excel_is_refused(city):
    for upload in (
        SimpleUploadedFile("projects.xlsx", "项目编号,项目名称\nA,B\n".encode()),
        SimpleUploadedFile("projects.csv", "项目编号,项目名称\nA,B\n".encode()),
        SimpleUploadedFile("projects.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100),
    ):
        with pytest.raises(ApplicationError) as exc:
            project_import_check(upload=upload, by=city.supervisor)
        assert "file" in exc.value.fields
        assert ".xlsx" in exc.value.message
    assert ProjectImport.objects.count() == 0


def test_a_workbook_without_the_headers_is_refused(city):
    with pytest.raises(ApplicationError) as exc:
        project_import_check(upload=xlsx([{"A": 1}], headers=["A", "B"]), by=city.supervisor)
    assert "项目编号" in exc.value.message


def test_an_oversized_file_is_refused(city, settings):
    settings.IMPORT_MAX_BYTES = 2048
    upload = xlsx([row(**{"项目编号": f"XY-{i}"}) for i in range(200)])
    assert upload.size > 2048
    with pytest.raises(ApplicationError) as exc:
        project_import_check(upload=upload, by=city.supervisor)
    assert "file" in exc.value.fields
    assert ProjectImport.objects.count() == 0


def test_only_supervisors_import(city):
    with pytest.raises(PermissionDenied):
        project_import_check(upload=xlsx([row()]), by=city.leader)
    with pytest.raises(PermissionDenied):
        project_import_check(upload=xlsx([row()]), by=city.official_b)
