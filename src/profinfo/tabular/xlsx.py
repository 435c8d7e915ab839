"""XLSX read within limits by construction.

The zip archive is judged by its directory before anything is unpacked (parts, unpacked
size, compression ratio). Each XML part is unpacked in chunks and fed to a pull parser that
takes it as UTF-8 and refuses DTDs and entities; rows and cells are charged to the budget as
they arrive, so a lie in the sheet's <dimension> (never read) or a million empty rows cost
nothing but an error. openpyxl is used only for what it knows best: number formats and dates.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .reading import Budget, ReadLimits, Sheet, TableError, _number, sheet_from_rows

CHUNK = 64 * 1024
SMALL_PART = 8 * 1024 * 1024  # workbook, relationships, styles
MAX_CELLS_IN_ROW = 16_384  # XFD, the last column Excel has
MAX_ROW_NUMBER = 1_048_576
RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress well; the ratio counts above this
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
IN_CELL = {"c", "v", "f", "is", "t", "r", "rPr", "rPh", "phoneticPr"}
DAMAGED = "Файл повреждён или не является таблицей Excel (.xlsx)."


def read_xlsx(data: bytes, budget: Budget) -> list[Sheet]:
    book = _Workbook(_open_archive(data, budget.limits), budget)
    sheets = []
    for name, part in book.sheets:  # (name, part) of each worksheet, in the book's order
        sheet = sheet_from_rows(name, book.rows(part))
        if sheet is not None:
            sheets.append(sheet)
    if not sheets:
        raise TableError("В файле нет ни одного заполненного листа.")
    return sheets


def _open_archive(data: bytes, limits: ReadLimits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise TableError(DAMAGED) from exc
    if len(parts) > limits.max_parts:
        raise TableError(f"В архиве таблицы больше {_number(limits.max_parts)} частей: "
                         "это не похоже на таблицу Excel.")
    unzipped = sum(part.file_size for part in parts)
    if unzipped > limits.max_unzipped_bytes:
        raise TableError(f"Таблица распаковывается в {_megabytes(unzipped)} МБ, а допустимо "
                         f"не больше {_megabytes(limits.max_unzipped_bytes)} МБ: разделите "
                         "её на части.")
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and \
                part.file_size > limits.max_ratio * max(part.compress_size, 1):
            raise TableError("Таблица сжата подозрительно сильно (в "
                             f"{_number(part.file_size // max(part.compress_size, 1))} раз): "
                             "такие файлы не читаются. Сохраните таблицу заново в Excel или "
                             "LibreOffice.")
    return archive


def _megabytes(size: int) -> str:
    return _number(max(1, round(size / (1024 * 1024))))


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, budget: Budget):
        self.archive = archive
        self.budget = budget
        self.names = set(archive.namelist())
        self.book_part = self._office_document()
        self.relations = self._relations(self.book_part)
        self.date1904 = False
        self.sheets: list[tuple[str, str]] = []
        self._read_book()
        self.strings = self._shared_strings()
        self.date_styles = self._date_styles()

    # --- parts ------------------------------------------------------------------------------
    def elements(self, part: str, max_bytes: int) -> Iterator[etree._Element]:
        """Elements of one part as each ends, unpacked and parsed chunk by chunk."""
        parser = etree.XMLPullParser(
            events=("end",), encoding="utf-8", resolve_entities=False, no_network=True,
            load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
        read, tail = 0, b""
        try:
            with self.archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    if read > max_bytes:
                        raise TableError(f"Часть таблицы «{part}» больше "
                                         f"{_megabytes(max_bytes)} МБ: разделите таблицу.")
                    window = tail + chunk
                    if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                        raise TableError("В таблице есть объявления DTD или сущностей XML: "
                                         "такие файлы не читаются. Сохраните таблицу заново "
                                         "в Excel или LibreOffice.")
                    tail = chunk[-16:]
                    parser.feed(chunk)
                    for _, element in parser.read_events():
                        yield element
                    self.budget.check_time()
                parser.close()
            for _, element in parser.read_events():
                yield element
        except etree.XMLSyntaxError as exc:
            raise TableError(f"{DAMAGED} Часть «{part}» не читается как XML.") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                NotImplementedError) as exc:
            raise TableError(DAMAGED) from exc

    def _resolve(self, base: str, target: str) -> str:
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name) of one part."""
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part)
                              + ".rels")
        found = {}
        if rels not in self.names:
            return found
        for element in self.elements(rels, SMALL_PART):
            if _local(element.tag) == "Relationship" and element.get("TargetMode") != "External":
                found[element.get("Id", "")] = (element.get("Type", "").rsplit("/", 1)[-1],
                                                self._resolve(part, element.get("Target", "")))
                if len(found) > self.budget.limits.max_parts:
                    raise TableError(DAMAGED)
            _forget(element)
        return found

    def _office_document(self) -> str:
        for kind, part in self._relations("").values():
            if kind == "officeDocument" and part in self.names:
                return part
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise TableError(DAMAGED)

    def _read_book(self) -> None:
        for element in self.elements(self.book_part, SMALL_PART):
            name = _local(element.tag)
            if name == "workbookPr":
                self.date1904 = element.get("date1904", "") in ("1", "true")
            elif name == "sheet":
                rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                kind, part = self.relations.get(rel_id, ("", ""))
                if kind == "worksheet":
                    if part not in self.names:
                        raise TableError(f"{DAMAGED} В нём нет листа «{element.get('name')}».")
                    self.sheets.append((self.budget.text(element.get("name", "")), part))
                    if len(self.sheets) > self.budget.limits.max_parts:
                        raise TableError(DAMAGED)
            _forget(element)

    def _part_of(self, kind: str, fallback: str) -> str | None:
        for rel_kind, part in self.relations.values():
            if rel_kind == kind and part in self.names:
                return part
        return fallback if fallback in self.names else None

    def _shared_strings(self) -> list[str]:
        part = self._part_of("sharedStrings", "xl/sharedStrings.xml")
        if part is None:
            return []
        strings = []
        for element in self.elements(part, self.budget.limits.max_strings_bytes):
            if _local(element.tag) == "si":
                strings.append(self.budget.text(_rich_text(element)))
                _forget(element)
                if len(strings) > self.budget.limits.max_cells:
                    raise TableError("В таблице слишком много разных строк: разделите её.")
        return strings

    def _date_styles(self) -> set[int]:
        part = self._part_of("styles", "xl/styles.xml")
        if part is None:
            return set()
        formats = dict(BUILTIN_FORMATS)
        cell_formats: list[int] = []
        for element in self.elements(part, SMALL_PART):
            name = _local(element.tag)
            if name == "numFmt":
                formats[_int(element.get("numFmtId"))] = element.get("formatCode", "")[:256]
            elif name == "xf" and _local(element.getparent().tag) == "cellXfs":
                cell_formats.append(_int(element.get("numFmtId")))
            if len(formats) + len(cell_formats) > self.budget.limits.max_cells:
                raise TableError(DAMAGED)
            _forget(element)
        return {index for index, fmt in enumerate(cell_formats)
                if is_date_format(formats.get(fmt)) or 14 <= fmt <= 22 or 45 <= fmt <= 47}

    # --- rows -------------------------------------------------------------------------------
    def rows(self, part: str) -> Iterator[tuple[int, list]]:
        number = 0
        cells: dict[int, object] = {}
        column = in_row = 0
        for element in self.elements(part, self.budget.limits.max_part_bytes):
            name = _local(element.tag)
            if name == "c":  # charged and freed as it arrives, inside a row or not
                self.budget.cell()
                in_row += 1
                column = _column(element.get("r"), column + 1)
                if in_row > MAX_CELLS_IN_ROW or column > MAX_CELLS_IN_ROW:
                    raise TableError(f"{DAMAGED} В строке {_number(number + 1)} больше "
                                     f"{_number(MAX_CELLS_IN_ROW)} ячеек.")
                value = self._value(element)
                if value is not None and value != "":
                    self.budget.column(column)
                    cells[column] = value
                _forget(element)
            elif name == "row":
                number = _row_number(element.get("r"), number + 1)
                self.budget.row(0)
                values = [None] * (max(cells) if cells else 0)
                for index, value in cells.items():
                    values[index - 1] = value
                cells, column, in_row = {}, 0, 0
                _forget(element)
                yield number, values
            elif name not in IN_CELL:
                _forget(element)  # columns, merged cells, hyperlinks: nothing to keep

    def _value(self, cell: etree._Element):
        kind = cell.get("t", "n")
        raw = None
        for child in cell:
            name = _local(child.tag)
            if name == "v":
                raw = child.text
            elif name == "is" and kind == "inlineStr":
                return self.budget.text(_rich_text(child))
        if raw is None:
            return None
        if kind == "s":
            index = _int(raw, -1)
            if not 0 <= index < len(self.strings):
                raise TableError(f"{DAMAGED} Ячейка ссылается на строку, которой нет.")
            return self.strings[index]
        if kind in ("str", "inlineStr"):
            return self.budget.text(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return None  # #N/A, #DIV/0! and the like: no value
        if kind == "d":
            return self.budget.text(raw)
        return self._number(raw, _int(cell.get("s"), 0))

    def _number(self, raw: str, style: int):
        text = raw.strip()
        try:
            number = float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError as exc:
            raise TableError(f"{DAMAGED} В ячейке не число: «{text[:20]}».") from exc
        if style in self.date_styles and isinstance(number, int | float) \
                and 0 <= number < 2_958_466:  # up to 31.12.9999
            epoch = CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900
            return from_excel(number, epoch=epoch)
        return number


def _forget(element: etree._Element) -> None:
    """Free a handled element and the siblings before it, so memory stays flat."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _rich_text(element: etree._Element) -> str:
    """The text of a string item: its <t>, or the <t> of its runs, never phonetic hints."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _int(text, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _column(reference: str | None, default: int) -> int:
    if not reference:
        return default
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            index = index * 26 + ord(char) - 96
        else:
            break
        if index > MAX_CELLS_IN_ROW:
            break
    return index or default


def _row_number(text: str | None, default: int) -> int:
    number = _int(text, default) if text else default
    if not 1 <= number <= MAX_ROW_NUMBER:
        raise TableError(f"{DAMAGED} Номер строки {_number(number)} вне пределов Excel.")
    return number
