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


SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in ':\\/?*[]'})


def sheet_title(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts, made from any text (an organization's name may hold
    «:» or «/»): the forbidden characters become spaces, at most 31 characters, not blank,
    no apostrophe at either end, unique in the workbook whatever the letter case."""
    title = " ".join(name.translate(SHEET_TITLE_FORBIDDEN).split()).strip("'").strip()
    title = title[:SHEET_TITLE_MAX].strip() or "Лист"
    candidate, number = title, 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = title[:SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
    taken.add(candidate.casefold())
    return candidate


def write_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        worksheet = workbook.create_sheet(title=sheet_title(table.name, taken))
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


