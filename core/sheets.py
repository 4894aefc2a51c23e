"""Reading lists from .xlsx workbooks: the machinery every import shares (projects, candidates).

- `check_upload` refuses what is not an .xlsx within IMPORT_MAX_BYTES before it is read;
- `read_workbook` finds the template's header row, checks the required headers and the row
  limit, and yields the data rows keyed by column;
- the cell parsers (`text`, `money`, `date`, `boolean`, `choice_lookup`) raise `CellError` with
  a message for the user;
- `run_rows` applies every row through an importer (the owning app's services) in one
  transaction, each row in its own savepoint, and rolls everything back unless committing and
  no row failed: the dry run and the all-or-nothing commit;
- `service_errors` names the column of each field error a service raised.

Every problem is reported as {"row", "column", "message"}, with the spreadsheet's row number
and the column's header. The headers are the exchange format agreed with the units filling
the sheet, so they are fixed Chinese text, not translated.
"""

import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import ApplicationError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    example: object = ""


@dataclass
class SheetRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict  # column key → raw cell value


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def file_error(message: str, code: str = "bad_file") -> ApplicationError:
    return ApplicationError(message, fields={"file": [message]}, code=code)


def _not_a_workbook() -> ApplicationError:
    return file_error(_("This is not an Excel workbook (.xlsx). Download the template and fill it in."))


# Whatever the data limit of an import, a sheet is refused beyond these (blank rows and cells
# count: a million empty rows cost a worker minutes to walk), and a workbook whose parts unpack
# to more than this many bytes (a zip bomb) is refused before it is opened.
MAX_SHEET_COLUMNS = 100
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


def _zip_members(upload) -> list[zipfile.ZipInfo] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def check_upload(upload) -> None:
    """Refuse what is not an .xlsx workbook within the size limit, before reading it: the name,
    the zip structure, the unpacked size of its parts (zip bombs)."""
    if upload is None:
        raise file_error(_("Choose an Excel file (.xlsx)."))
    if upload.size > max_bytes():
        raise file_error(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())}
        )
    name = (upload.name or "").lower()
    if "\x00" in name or not name.endswith(".xlsx"):
        raise _not_a_workbook()
    members = _zip_members(upload)
    if members is None or not any(m.filename == "[Content_Types].xml" for m in members):
        raise _not_a_workbook()
    _check_unpacked_size(members)


def _check_unpacked_size(members) -> None:
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise file_error(
            _(
                "The workbook unpacks to %(size)s, far more than its data can need: it cannot be read. "
                "Copy the rows into the template and save it again."
            )
            % {"size": filesizeformat(unpacked)},
            code="too_large",
        )


def _header_key(title) -> str:
    return re.sub(r"[\s*＊]", "", str(title or ""))


def _too_many_rows(max_rows: int, number: int) -> ApplicationError:
    return file_error(
        _(
            "The sheet goes on to row %(row)d (blank rows count); at most %(limit)d rows are read. "
            "Delete the empty rows below your data (select them, Delete rows) and save again."
        )
        % {"row": number, "limit": max_rows + 1},
        code="too_many_rows",
    )


def _too_many_columns(number: int) -> ApplicationError:
    return file_error(
        _(
            "Row %(row)d has cells beyond column %(limit)d (blank cells count); the template has far fewer "
            "columns. Delete the columns right of your data and save again."
        )
        % {"row": number, "limit": MAX_SHEET_COLUMNS},
        code="too_many_columns",
    )


def _column_number(reference: str) -> int:
    number = 0
    for ch in reference:
        if "A" <= ch <= "Z":
            number = number * 26 + ord(ch) - 64
        else:
            break
    return number


def _scan_sheets(file, members, *, row_limit: int) -> None:
    """Walk the XML of every worksheet as a stream and stop at the first row or cell beyond the
    limits (blank ones count, also when the sheet declares no or a false dimension), or at
    damaged XML. openpyxl would walk a whole sheet without a dimension just to size it."""
    from xml.etree.ElementTree import ParseError, iterparse

    sheets = [m.filename for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        for name in sheets:
            rows = 0
            cells_in_row = 0
            try:
                with archive.open(name) as head:
                    if b"<!DOCTYPE" in head.read(4096).upper():
                        raise _not_a_workbook()  # no DTDs or entities in a worksheet
                with archive.open(name) as stream:
                    # DTDs refused above; expat itself limits entity expansion.
                    for _event, element in iterparse(stream, events=("start",)):  # noqa: S314
                        tag = element.tag.rsplit("}", 1)[-1]
                        if tag == "row":
                            rows += 1
                            cells_in_row = 0
                            reference = element.get("r", "")
                            number = int(reference) if reference.isdigit() else rows
                            if rows > row_limit or number > row_limit:
                                raise _too_many_rows(row_limit - 1, max(rows, number))
                        elif tag == "c":
                            cells_in_row += 1
                            column = _column_number(element.get("r", "").upper())
                            if cells_in_row > MAX_SHEET_COLUMNS or column > MAX_SHEET_COLUMNS:
                                raise _too_many_columns(max(rows, 1))
                        elif tag == "dimension":
                            bounds = element.get("ref", "").upper().split(":")[-1]
                            digits = "".join(ch for ch in bounds if ch.isdigit())
                            if digits and int(digits) > row_limit:
                                raise _too_many_rows(row_limit - 1, int(digits))
                            if _column_number(bounds) > MAX_SHEET_COLUMNS:
                                raise _too_many_columns(1)
            except ApplicationError:
                raise
            except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as exc:
                raise _not_a_workbook() from exc
    file.seek(0)


def read_workbook(file, columns: list[Column], *, max_rows: int, too_many: str) -> list[SheetRow]:
    """The data rows of the first sheet, keyed by column; blank rows skipped.

    Raises ApplicationError (field "file") when the workbook cannot be read (damaged archive or
    XML, not a workbook), a required header is missing, there are more than `max_rows` data rows
    (`too_many` is the message), or the sheet is larger than any import can need: its declared
    dimension, or, when it lies, the rows and cells met while reading (blank ones count), are
    checked before and during the read, so a huge sheet is refused within a second.
    """
    from openpyxl import load_workbook

    members = _zip_members(file)
    if members is None:
        raise _not_a_workbook()
    _check_unpacked_size(members)
    # Data rows plus the header and some slack for blank rows between the data.
    row_limit = max_rows * 2 + 1
    _scan_sheets(file, members, row_limit=row_limit)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except ApplicationError:
        raise
    except Exception as exc:  # any damage (zip, zlib, XML) is "not a workbook"
        raise _not_a_workbook() from exc
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > row_limit:
            raise _too_many_rows(row_limit - 1, declared_rows)
        if declared_columns > MAX_SHEET_COLUMNS:
            raise _too_many_columns(1)
        # Read as declared: rows past the dimension (a sheet that lies) are counted below.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        if len(header) > MAX_SHEET_COLUMNS:
            raise _too_many_columns(1)
        positions = {}
        for index, title in enumerate(header):
            text = _header_key(title)
            for column in columns:
                if text == column.header.replace(" ", ""):
                    positions[column.key] = index
        missing = [c.header for c in columns if c.required and c.key not in positions]
        if missing:
            raise file_error(
                _("The first row must hold the template's headers; missing: %(headers)s.")
                % {"headers": "、".join(missing)}
            )
        result = []
        for number, cells in enumerate(rows, start=2):
            if number > row_limit:
                raise _too_many_rows(row_limit - 1, number)
            if len(cells) > MAX_SHEET_COLUMNS:
                raise _too_many_columns(number)
            values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            if len(result) >= max_rows:
                raise file_error(too_many)
            result.append(SheetRow(number, values))
        return result
    except ApplicationError:
        raise
    except Exception as exc:
        # A damaged part inside an otherwise valid archive (zlib.error, XML syntax) shows only
        # while reading.
        raise _not_a_workbook() from exc
    finally:
        workbook.close()


# --- Writing cells --------------------------------------------------------------------------

# A text beginning with one of these is a formula (or becomes one when the cell is edited) in
# Excel, WPS and LibreOffice: user text such as an issue title "=HYPERLINK(...)" must stay text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Characters the xlsx format cannot hold (openpyxl refuses them with IllegalCharacterError).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_cell(ws, row: int, column: int, value):
    """Put `value` in a cell of `ws` (openpyxl) as data, never as a formula: every workbook the
    product writes goes through here. Text that would start a formula is stored as a string cell
    with Excel's quote prefix (shown as typed, not evaluated, also after editing); characters the
    format cannot hold are dropped. Returns the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


# --- Cell parsing ---------------------------------------------------------------------------


class CellError(Exception):
    pass


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value, invalid: str) -> Decimal | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, bool):
        raise CellError(invalid)
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation as exc:
        raise CellError(invalid) from exc
    if not amount.is_finite():
        raise CellError(invalid)
    if amount < 0:
        raise CellError(_("The amount cannot be negative."))
    return amount.quantize(Decimal("0.01"))


def money(value) -> Decimal | None:
    """An amount in 万元: a non-negative number, rounded to two places."""
    return _decimal(value, _("Enter an amount in 10k yuan, e.g. 12500.5."))


def quantity(value) -> Decimal | None:
    """A non-negative quantity (亩, 吨标准煤), rounded to two places."""
    return _decimal(value, _("Enter a number, e.g. 120.5."))


def date(value) -> datetime.date | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text(value))
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("Enter a date such as 2026-03-01."))


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Enter 是 or 否."))


def choice_lookup(choices) -> dict[str, str]:
    """Value, English label and Chinese label of each choice → value."""
    lookup = {}
    for value, label in choices:
        lookup[value.lower()] = value
        for language in ("en", "zh-hans"):
            with override(language):
                lookup[str(label).strip().lower()] = value
    return lookup


def by_names(qs) -> dict:
    """Objects by name and by short name (the name wins)."""
    table = {}
    for obj in qs:
        table[obj.name] = obj
        if getattr(obj, "short_name", ""):
            table.setdefault(obj.short_name, obj)
    return table


# --- Rows -----------------------------------------------------------------------------------


class RowErrors(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


class RowImporter(Protocol):
    def apply(self, row: SheetRow) -> None:
        """Apply one row through the services; raise RowErrors with its problems."""


def cell_error(row: SheetRow, column: Column, message) -> dict:
    return {"row": row.number, "column": column.header, "message": str(message)}


def service_errors(row_number: int, exc: ApplicationError, field_columns: dict[str, Column]) -> list[dict]:
    """A service's field errors as row errors, each under the column that holds the field."""
    errors = []
    for field_name, messages in exc.fields.items():
        column = field_columns.get(field_name)
        header = column.header if column else "—"
        errors.extend({"row": row_number, "column": header, "message": str(m)} for m in messages)
    if not errors:
        errors.append({"row": row_number, "column": "—", "message": exc.message})
    return errors


def run_rows(rows: Iterable[SheetRow], importer: RowImporter, *, commit: bool) -> list[dict]:
    """Run every row through `importer` in one transaction, each row in its own savepoint so
    that one bad row does not hide the errors of the next. Rolled back unless `commit` and no
    row failed. Returns the errors."""
    errors: list[dict] = []
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    importer.apply(row)
            except RowErrors as exc:
                errors.extend(exc.errors)
        if errors or not commit:
            transaction.set_rollback(True)
    return errors


class ImportFailed(ApplicationError):
    """The commit found errors: nothing was saved. `errors` lists them row by row."""

    def __init__(self, message: str, *, errors: list[dict]):
        super().__init__(message, fields={"file": [message]}, code="import_failed")
        self.errors = errors


# --- The template -----------------------------------------------------------------------------


def template_workbook(
    columns: list[Column],
    *,
    sheet: str,
    lists: dict[str, str] | None = None,
    number_formats: dict[str, str] | None = None,
    explanations: dict | None = None,
    notes_sheet: str = "",
    notes_headers: tuple[str, str, str, str] = ("", "", "", ""),
) -> bytes:
    """A template to fill in: the fixed headers (required ones marked *), drop-down lists
    (`lists`: key → comma-separated values), number formats by key, and a sheet explaining each
    column (`notes_headers`: column, required, how to fill in, example)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    bold, grey = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    lists, number_formats, explanations = lists or {}, number_formats or {}, explanations or {}
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    for index, column in enumerate(columns, start=1):
        cell = write_cell(ws, 1, index, column.header + ("*" if column.required else ""))
        cell.font, cell.fill = bold, grey
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.key in lists:
            validation = DataValidation(type="list", formula1=f'"{lists[column.key]}"', allow_blank=True)
            validation.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(validation)
        if column.key in number_formats:
            for row in range(2, 201):
                ws.cell(row=row, column=index).number_format = number_formats[column.key]
    ws.freeze_panes = "A2"
    if notes_sheet:
        notes = wb.create_sheet(notes_sheet[:31])
        for index, (header, width) in enumerate(zip(notes_headers, (22, 8, 50, 26), strict=True), start=1):
            cell = write_cell(notes, 1, index, str(header))
            cell.font, cell.fill = bold, grey
            notes.column_dimensions[get_column_letter(index)].width = width
        yes, no = _("Yes"), _("No")
        for row, column in enumerate(columns, start=2):
            values = (column.header, yes if column.required else no, str(explanations.get(column.key, "")))
            for index, value in enumerate((*values, column.example), start=1):
                write_cell(notes, row, index, value if value != "" else None)
        notes.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
