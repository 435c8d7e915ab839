"""Writing tables to XLSX, CSV and JSON with every text cell inert.

In XLSX text is written as an inline string, never a formula; in CSV a cell that a
spreadsheet program would run (= + - @ at the start) gets a leading apostrophe, which reading
removes again, so exports re-import unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from .cells import FORMULA_START


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: Iterable[list]
    formats: list[str | None] | None = None  # Excel number format per column, e.g. "0.00%"
    # Lines above the header in XLSX (a report's title, period, filters, when it was made);
    # none for the data exports, which are read back by the import.
    caption: list[str] | None = None


WIDTH_SAMPLE = 200  # rows read ahead to size the columns
WIDTH_MIN, WIDTH_MAX = 8, 60


SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in ':\\/?*[]'})


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts, made from any text (an organization's name may hold
    «:» or «/»): the forbidden characters become spaces, at most 31 characters, not blank,
    no apostrophe at either end, unique in the workbook whatever the letter case."""
    title = " ".join(name.translate(SHEET_TITLE_FORBIDDEN).split())
    title = title.strip("' ")[:SHEET_TITLE_MAX].strip("' ") or "Лист"
    candidate, number = title, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = title[:SHEET_TITLE_MAX - len(suffix)].rstrip("' ") + suffix
    taken.add(candidate.casefold())
    return candidate


def write_xlsx(tables: list[Table]) -> bytes:
    """Each table on its sheet: its caption lines, the header (bold, frozen, with filters),
    columns as wide as their first rows need, numbers with their formats."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        worksheet = workbook.create_sheet(title=sheet_title(table.name, taken))
        rows = iter(table.rows)
        ahead = list(itertools.islice(rows, WIDTH_SAMPLE))
        widths = _widths(table.headers, ahead)
        for index, width in enumerate(widths):
            worksheet.column_dimensions[_column_letter(index)].width = width
        caption = table.caption or []
        header_row = len(caption) + (2 if caption else 1)  # a blank line after the caption
        lines = max((math.ceil(len(str(title)) / (width - 1))
                     for title, width in zip(table.headers, widths, strict=True)), default=1)
        worksheet.row_dimensions[header_row].height = 15 * max(1, lines)  # programs that
        # do not grow a wrapped row themselves (LibreOffice printing) show all of it
        worksheet.freeze_panes = f"A{header_row + 1}"
        _fit_the_page(worksheet, len(table.headers), header_row)
        for number, line in enumerate(caption):
            cell = WriteOnlyCell(worksheet, value=line)
            cell.data_type = "s"
            cell.font = Font(bold=True, size=14) if number == 0 else Font(italic=True)
            worksheet.append([cell])
        if caption:
            worksheet.append([])
        header = []
        for title in table.headers:
            cell = WriteOnlyCell(worksheet, value=title)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")  # long headers wrap
            header.append(cell)
        worksheet.append(header)
        written = 0
        for row in itertools.chain(ahead, rows):
            worksheet.append(_xlsx_row(worksheet, row, table.formats or []))
            written += 1
        if table.headers:
            last = _column_letter(len(table.headers) - 1)
            worksheet.auto_filter.ref = f"A{header_row}:{last}{header_row + written}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class FormSheet:
    """A sheet to fill in: its headers, and per column the values a cell may take."""

    name: str
    headers: list[str]
    lists: dict[int, list[str]]  # column index → allowed values, offered as a drop-down
    required: set[int] = field(default_factory=set)  # column indexes, headers marked


LISTS_SHEET = "Справочники"
FORM_ROWS = 5000  # rows the drop-down lists cover


def write_form(sheets: list[FormSheet], instructions: Table) -> bytes:
    """A workbook to fill in and import: the instructions first, then each sheet with its
    header (bold, frozen, required ones marked by colour) and drop-down lists read from a
    hidden sheet «Справочники» (a list of any length, commas allowed in values)."""
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    guide = workbook.active
    taken: set[str] = {LISTS_SHEET.casefold()}
    guide.title = sheet_title(instructions.name, taken)
    guide.column_dimensions["A"].width = 110
    for number, row in enumerate(instructions.rows, start=1):
        for index, value in enumerate(row, start=1):
            _text_cell(guide, number, index, value)
    guide["A1"].font = Font(bold=True, size=14)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    column = 0
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.name, taken))
        worksheet.append(sheet.headers)
        worksheet.freeze_panes = "A2"
        for index, header in enumerate(sheet.headers):
            cell = worksheet.cell(row=1, column=index + 1)
            cell.font = Font(bold=True)
            if index in sheet.required:
                cell.fill = required_fill
            worksheet.column_dimensions[_column_letter(index)].width = min(
                WIDTH_MAX, max(WIDTH_MIN + 4, len(header) + 4,
                               *(len(v) + 4 for v in sheet.lists.get(index, []))))
        for index, values in sheet.lists.items():
            column += 1
            source = _column_letter(column - 1)
            lists.cell(row=1, column=column, value=f"{sheet.name}: {sheet.headers[index]}")
            for number, value in enumerate(values, start=2):
                _text_cell(lists, number, column, value)
            rule = DataValidation(
                type="list", allow_blank=True, showErrorMessage=True,
                formula1=f"'{LISTS_SHEET}'!${source}$2:${source}${len(values) + 1}",
                errorTitle="Значение не из списка",
                error=f"«{sheet.headers[index]}»: выберите значение из списка.")
            target = _column_letter(index)
            rule.add(f"{target}2:{target}{FORM_ROWS}")
            worksheet.add_data_validation(rule)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(worksheet, row: int, column: int, value) -> None:
    """A cell whose text is text, never a formula, whatever it starts with."""
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def _fit_the_page(worksheet, columns: int, header_row: int) -> None:
    """Printed: as wide as the page (landscape for wide tables), the header on every page."""
    if columns > 5:
        worksheet.page_setup.orientation = "landscape"
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
    worksheet.print_title_rows = f"{header_row}:{header_row}"


def _xlsx_row(worksheet, row, formats) -> list:
    cells = [_xlsx_cell(worksheet, value) for value in row]
    for index, number_format in enumerate(formats):
        if number_format and isinstance(row[index], int | float) \
                and not isinstance(row[index], bool):
            cells[index] = WriteOnlyCell(worksheet, value=row[index])
            cells[index].number_format = number_format
    return cells


def _widths(headers: list[str], rows: list[list]) -> list[float]:
    """A column's width in characters: its longest header word or first rows' value."""
    widths = []
    for index, title in enumerate(headers):
        longest = max((len(word) for word in str(title).split()), default=0)
        for row in rows:
            if index < len(row) and row[index] is not None:
                longest = max(longest, len(_shown(row[index])))
        widths.append(min(WIDTH_MAX, max(WIDTH_MIN, longest + 2)))
    return widths


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return "00.00.0000"
    return str(value)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_cell(worksheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    return value


def write_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_json(table: Table) -> bytes:
    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    rows = [{h: plain(v) for h, v in zip(table.headers, row, strict=True)} for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


