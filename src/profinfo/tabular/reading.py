"""Reading any uploaded table (XLSX or CSV) into sheets of rows, hostile input kept at bay.

Every limit is counted as the file is read: bytes, rows (empty ones too), columns, cells and
seconds. A file over a limit, or one that cannot be read, raises TableError with a Russian
sentence for the user; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass

from .cells import FORMULA_START, clean_text


class TableError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int = 200_000  # rows read, empty ones included
    max_columns: int = 200  # the last filled column of any row
    max_cells: int = 3_000_000  # cells read, empty ones included
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_seconds: float = 60.0
    # XLSX is a zip archive: what it may unpack to
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_part_bytes: int = 100 * 1024 * 1024  # one sheet
    max_strings_bytes: int = 32 * 1024 * 1024  # the shared strings of all sheets
    max_ratio: int = 100  # unpacked size / packed size of one part (a zip bomb is > 1000)
    max_parts: int = 2_000
    # CSV
    max_line_chars: int = 100_000


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: Iterator[tuple[int, list]]  # (row number as the user sees it, cell values)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class Budget:
    """What is left of the limits while one file is read; every reader charges it."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.deadline = time.monotonic() + limits.max_seconds

    def row(self, cells: int) -> None:
        """A row read, with the cells it brings (a reader that charged them one by one as
        they came passes 0)."""
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise TableError(f"В таблице больше {_number(self.limits.max_rows)} строк "
                             "(считая пустые): разделите её на части.")
        self.cell(cells)
        if self.rows % 256 == 0:
            self.check_time()

    def cell(self, count: int = 1) -> None:
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise TableError(f"В таблице больше {_number(self.limits.max_cells)} ячеек "
                             "(считая пустые): разделите её на части или удалите лишнее.")
        if self.cells % 65536 == 0:
            self.check_time()

    def column(self, index: int) -> None:
        if index > self.limits.max_columns:
            raise TableError(f"В таблице заполнен столбец № {_number(index)}, а больше "
                             f"{self.limits.max_columns} столбцов не читается: удалите "
                             "лишние столбцы.")

    def text(self, text: str) -> str:
        if len(text) > self.limits.max_cell_chars:
            raise TableError(f"В ячейке больше {_number(self.limits.max_cell_chars)} "
                             "символов: такие таблицы не читаются.")
        return text

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TableError(f"Таблица читается дольше {int(self.limits.max_seconds)} с: "
                             "разделите её на части.")


def read_tables(data: bytes, filename: str = "", *, limits: ReadLimits | None = None
                ) -> list[Sheet]:
    budget = Budget(limits or ReadLimits())
    if not data or not data.strip():
        raise TableError("Файл пустой.")
    if data[:4] == b"PK\x03\x04":
        from .xlsx import read_xlsx

        return read_xlsx(data, budget)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError(
            "Это файл старого формата Excel (.xls). Откройте его в Excel или LibreOffice и "
            "сохраните как «Книга Excel (.xlsx)» или CSV."
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise TableError("Файл называется .xlsx, но таблицей Excel не является или повреждён.")
    return [_read_csv(data, filename, budget)]


def sheet_from_rows(name: str, numbered: Iterator[tuple[int, list]]) -> Sheet | None:
    """The first row with anything in it is the header; None for a sheet with no such row."""
    for _, row in numbered:
        cells = [clean_text(c) for c in row]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            return Sheet(name, cells, _filled(numbered))
    return None


def _filled(numbered: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    for number, values in numbered:
        if any(v not in (None, "") and str(v).strip() for v in values):
            yield number, values


# --- CSV --------------------------------------------------------------------------------

def _read_csv(data: bytes, filename: str, budget: Budget) -> Sheet:
    if b"\x00" in data[:4096]:
        raise TableError("Это не таблица: файл двоичный. Загрузите XLSX или CSV.")
    text = _decode(data)
    _check_lines(text, budget.limits)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    sheet = sheet_from_rows(filename.rsplit("/", 1)[-1] or "CSV", _csv_rows(reader, budget))
    if sheet is None:
        raise TableError("Файл пустой: в нём нет строк.")
    return sheet


def _check_lines(text: str, limits: ReadLimits) -> None:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.max_line_chars:
            raise TableError(f"Строка {number} длиннее {_number(limits.max_line_chars)} "
                             "символов: это не похоже на таблицу.")


def _csv_rows(reader, budget: Budget) -> Iterator[tuple[int, list]]:
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            budget.row(len(row))
            last = len(row)
            while last and not row[last - 1].strip():
                last -= 1
            budget.column(last)
            yield number, [_uncsv(budget.text(c)) for c in row[:last]]
    except csv.Error as exc:
        raise TableError(f"CSV-файл не читается (строка {number + 1}): проверьте "
                         "кавычки и разделители.") from exc


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
