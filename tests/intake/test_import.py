"""Importing a candidate list (core.sheets machinery): the dry run names row and column of every
error and saves nothing; the commit is all or nothing; broken files are refused cleanly."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import ApplicationError, Conflict, PermissionDenied
from core.sheets import ImportFailed
from intake import imports
from intake.models import Candidate, CandidateImport, Status
from intake.services import candidate_import_check, candidate_import_commit
from tests.factories import make_credit_code

HEADERS = [c.header for c in imports.COLUMNS]


def row(**values) -> dict:
    base = {
        "项目名称": "新材料一期项目",
        "企业名称": "新沂新材料有限公司",
        "统一社会信用代码": make_credit_code(990001),
        "所在园区": "经开区",
        "建设内容": "新建生产线",
        "总投资（万元）": 50000,
        "用地需求（亩）": 80,
        "能耗需求（吨标准煤）": "12,000",
        "预计开工日期": "2027-03-01",
    }
    base.update(values)
    return base


def xlsx(rows, headers=HEADERS, name="candidates.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_dry_run_then_commit_submits_every_row(world):
    upload = xlsx([row(), row(项目名称="新材料二期项目", 统一社会信用代码=world.enterprise.credit_code)])
    batch = candidate_import_check(upload=upload, by=world.users["official"])
    assert batch.errors == [] and batch.row_count == 2 and batch.created_count == 2
    assert not Candidate.objects.exists()  # the dry run saved nothing
    batch = candidate_import_commit(batch=batch, by=world.users["official"])
    assert batch.status == CandidateImport.Status.COMMITTED
    candidates = Candidate.objects.order_by("name")
    assert [c.status for c in candidates] == [Status.SUBMITTED, Status.SUBMITTED]
    assert {c.unit for c in candidates} == {world.committee}
    second = Candidate.objects.get(name="新材料二期项目")
    assert second.enterprise == world.enterprise  # a known credit code is that enterprise
    first = Candidate.objects.get(name="新材料一期项目")
    assert first.energy_tce == Decimal("12000.00") and first.land_area == Decimal("80.00")
    with pytest.raises(Conflict):
        candidate_import_commit(batch=batch, by=world.users["official"])


def test_every_error_is_named_by_row_and_column(world):
    upload = xlsx(
        [
            row(所在园区="火星园区"),
            row(项目名称="B", **{"总投资（万元）": "很多"}),
            row(项目名称="C", 统一社会信用代码="91320381000000000X", 预计开工日期="明年"),
            row(项目名称="C"),
            row(项目名称="D", 产业链="不存在的链", 建设内容=""),
            row(项目名称="E", 申报单位="高新区管委会"),
        ]
    )
    batch = candidate_import_check(upload=upload, by=world.users["official"])
    cells = {(e["row"], e["column"]) for e in batch.errors}
    assert (2, "所在园区") in cells
    assert (3, "总投资（万元）") in cells
    assert (4, "统一社会信用代码") in cells and (4, "预计开工日期") in cells
    assert (5, "项目名称") in cells  # a duplicate of row 4
    assert (6, "产业链") in cells and (6, "建设内容") in cells
    assert any(e["row"] == 7 for e in batch.errors)  # another unit: refused by the service
    assert not Candidate.objects.exists()
    with pytest.raises(ApplicationError):
        candidate_import_commit(batch=batch, by=world.users["official"])


def test_commit_is_all_or_nothing_when_the_data_changed_since_the_dry_run(world):
    batch = candidate_import_check(upload=xlsx([row(), row(项目名称="第二个")]), by=world.users["official"])
    # Meanwhile someone submits the second one by hand: the commit now fails for that row.
    from intake.services import candidate_create

    candidate_create(
        by=world.users["official"],
        submit=True,
        name="第二个",
        enterprise=world.enterprise,
        park=world.park,
        content="x",
        total_investment=Decimal("1"),
    )
    with pytest.raises(ImportFailed) as exc:
        candidate_import_commit(batch=batch, by=world.users["official"])
    assert exc.value.errors[0]["row"] == 3 and exc.value.errors[0]["column"] == "项目名称"
    assert Candidate.objects.count() == 1  # nothing of the file


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("list.xlsx", b"PK\x03\x04 not really a zip"), "bad_file"),
        (SimpleUploadedFile("list.csv", b"a,b,c\n"), "bad_file"),
        (SimpleUploadedFile("list.xlsx", b""), "bad_file"),
    ],
)
def test_broken_files_are_refused(world, upload, code):
    with pytest.raises(ApplicationError) as exc:
        candidate_import_check(upload=upload, by=world.users["official"])
    assert exc.value.code == code and "file" in exc.value.fields
    assert not CandidateImport.objects.exists()


def test_missing_headers_empty_files_and_too_many_rows(world, monkeypatch):
    with pytest.raises(ApplicationError) as exc:
        candidate_import_check(upload=xlsx([row()], headers=["项目名称", "备注"]), by=world.users["official"])
    assert "统一社会信用代码" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        candidate_import_check(upload=xlsx([]), by=world.users["official"])
    assert exc.value.code == "empty"
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(ApplicationError) as exc:
        candidate_import_check(upload=xlsx([row(项目名称=f"P{i}") for i in range(3)]), by=world.users["official"])
    assert "2" in exc.value.message


def test_the_template_reads_back_and_roles_are_checked(world):
    wb = load_workbook(io.BytesIO(imports.template()))
    assert wb.worksheets[0]["A1"].value == "项目名称*"
    with pytest.raises(PermissionDenied):
        candidate_import_check(upload=xlsx([row()]), by=world.users["staff"])
