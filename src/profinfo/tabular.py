"""Spreadsheets in and out: XLSX (openpyxl), CSV and JSON, hostile input kept at bay.

Reading turns any file into sheets of rows or raises TableError with a Russian message.
Writing makes every text cell inert: in XLSX text is written as an inline string, never a
formula; in CSV a cell that a spreadsheet program would run (= + - @ at the start) gets a
leading apostrophe, which reading removes again, so exports re-import unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the user sees it, cell values)


def read_tables(data: bytes, filename: str = "", *, max_rows: int = 300_000) -> list[Sheet]:
    if not data or not data.strip():
        raise TableError("Файл пустой.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, max_rows)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(
            "Это файл старого формата Excel (.xls). Откройте его в Excel или LibreOffice и "
            "сохраните как «Книга Excel (.xlsx)» или CSV."
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise TableError("Файл называется .xlsx, но таблицей Excel не является или повреждён.")
    return [_read_csv(data, filename, max_rows)]


def _read_xlsx(data: bytes, max_rows: int) -> list[Sheet]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableError("Файл повреждён или не является таблицей Excel (.xlsx).") from exc
    sheets = []
    for worksheet in workbook.worksheets:
        rows = worksheet.iter_rows(values_only=True)
        header_row = _header(enumerate(rows, start=1))
        if header_row is None:
            continue
        number, headers = header_row
        sheets.append(Sheet(worksheet.title, headers,
                            _limited(enumerate(rows, start=number + 1), max_rows)))
    if not sheets:
        raise TableError("В файле нет ни одного заполненного листа.")
    return sheets


def _read_csv(data: bytes, filename: str, max_rows: int) -> Sheet:
    if b"\x00" in data[:4096]:
        raise TableError("Это не таблица: файл двоичный. Загрузите XLSX или CSV.")
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    numbered = ((n, [_uncsv(c) for c in row]) for n, row in enumerate(reader, start=1))
    header_row = _header(numbered)
    if header_row is None:
        raise TableError("Файл пустой: в нём нет строк.")
    number, headers = header_row
    return Sheet(filename.rsplit("/", 1)[-1] or "CSV", headers, _limited(numbered, max_rows))


class _Semicolon(csv.excel):
    delimiter = ";"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("Не удалось прочитать текст файла: сохраните CSV в кодировке UTF-8.")


def _uncsv(cell: str) -> str:
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
        return cell[1:]
    return cell


def _header(numbered: Iterator[tuple[int, Iterable]]) -> tuple[int, list[str]] | None:
    for number, row in numbered:
        cells = [clean_text(c) for c in row]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            return number, cells
    return None


def _limited(numbered, max_rows: int):
    count = 0
    for number, row in numbered:
        values = list(row)
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        count += 1
        if count > max_rows:
            raise TableError(f"В таблице больше {max_rows:,} строк: разделите её на части."
                             .replace(",", " "))
        yield number, values


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# --- writing ----------------------------------------------------------------------------

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


# --- cell parsing used by importers -----------------------------------------------------

TRUE_WORDS = {"да", "1", "true", "yes", "+", "истина", "есть", "x", "х", "✓"}
FALSE_WORDS = {"нет", "0", "false", "no", "-", "ложь", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError("ожидается «да» или «нет»")


def parse_int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("ожидается целое число")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError("ожидается целое число")
        number = int(value)
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
        if not text:
            return None
        if not text.lstrip("-").isdigit():
            raise ValueError("ожидается целое число")
        number = int(text)
    if number < 0:
        raise ValueError("число не может быть отрицательным")
    return number


def parse_int_or_none(value) -> int | None:
    """For looking rows up before checking them: a bad number is simply no number."""
    try:
        return parse_int(value)
    except ValueError:
        return None


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(value)
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("ожидается дата вида ДД.ММ.ГГГГ")
