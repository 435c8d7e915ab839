"""Writing tables to XLSX, CSV and JSON with every text cell inert.

In XLSX text is written as an inline string, never a formula; in CSV a cell that a
spreadsheet program would run (= + - @ at the start) gets a leading apostrophe, which reading
removes again, so exports re-import unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .cells import FORMULA_START


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: Iterable[list]
    formats: list[str | None] | None = None  # Excel number format per column, e.g. "0.00%"


def write_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        worksheet = workbook.create_sheet(title=table.name[:31])
        header = []
        for title in table.headers:
            cell = WriteOnlyCell(worksheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        worksheet.append(header)
        worksheet.freeze_panes = "A2"
        for index, title in enumerate(table.headers):
            letter = _column_letter(index)
            worksheet.column_dimensions[letter].width = min(60, max(12, len(title) + 2))
        formats = table.formats or []
        for row in table.rows:
            cells = [_xlsx_cell(worksheet, value) for value in row]
            for index, number_format in enumerate(formats):
                if number_format and isinstance(row[index], int | float) \
                        and not isinstance(row[index], bool):
                    cells[index] = WriteOnlyCell(worksheet, value=row[index])
                    cells[index].number_format = number_format
            worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


