"""The frame every spreadsheet dataset fits into: columns, row errors, plans, the import run.

An import is two steps. `plan` reads every row, checks it and collects row-level errors
without writing anything; `apply` writes a plan that has no errors, in one transaction.
The preview page shows the plan; the commit re-plans the same file and applies it, so what
is written is exactly what was checked, against the database as it is at that moment.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from profinfo.tabular import (
    ReadLimits,
    Sheet,
    TableError,
    clean_text,
    parse_int_or_none,
    read_tables,
)

if TYPE_CHECKING:  # the frame knows a scope's shape, not the organizations app
    from profinfo.organizations.scoping import Scope

MAX_SHOWN_ERRORS = 500
MAX_ID = 2**63 - 1  # the largest number a database key can hold


def numbers_in(values: Iterable) -> list[int]:
    """The row numbers («№») a file names that could be keys; any other number finds nothing."""
    return sorted({n for n in map(parse_int_or_none, values) if n and n <= MAX_ID})


@dataclass
class SheetColumn:
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    # (value, label) pairs a cell may hold (the reader takes either): the template offers
    # the labels as a drop-down list
    choices: tuple = ()

    def names(self) -> set[str]:
        return {_key(self.header), *(_key(a) for a in self.aliases)}


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"лист «{self.sheet}», строка {self.row}" if self.row else f"лист «{self.sheet}»"
        column = f", столбец «{self.column}»" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportContext:
    scope: Scope
    user: object = None
    # Organizations and resources created earlier in the same file, by the ids and names
    # the file gives them, so that later rows and sheets may refer to them.
    orgs_by_ref: dict = field(default_factory=dict)
    resources_by_ref: dict = field(default_factory=dict)

    @property
    def acting_user(self):
        """The user to record in the edit history; None for the console."""
        user = self.user
        return user if user is not None and getattr(user, "is_authenticated", False) else None


@dataclass
class SheetPlan:
    dataset: Dataset
    sheet: str
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    extra: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    sheets: list[SheetPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_SHOWN_ERRORS:
            self.errors.append(error)

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.sheets)

    def summary(self) -> list[str]:
        return [
            f"«{p.sheet}» ({p.dataset.title.lower()}): новых — {len(p.creates)}, "
            f"изменённых — {len(p.updates)}, без изменений — {p.unchanged}"
            + (f", пропущено повторов — {p.skipped}" if p.skipped else "")
            for p in self.sheets
        ]


class RowProblem(ValueError):
    """Raised while reading one row; carries the column it concerns."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class Dataset:
    key: str = ""
    title: str = ""  # sheet name in exports and the template
    columns: list[SheetColumn] = []
    order: int = 0  # sheets are planned and applied in this order

    @classmethod
    def headers(cls) -> list[str]:
        return [c.header for c in cls.columns]

    @classmethod
    def matches(cls, headers: list[str]) -> bool:
        present = {_key(h) for h in headers}
        required = [c for c in cls.columns if c.required]
        return all(c.names() & present for c in required)

    @classmethod
    def column_map(cls, headers: list[str]) -> dict[str, int]:
        index = {}
        for position, header in enumerate(headers):
            for column in cls.columns:
                if _key(header) in column.names() and column.header not in index:
                    index[column.header] = position
        return index

    # subclasses implement these
    def export_rows(self, scope: Scope, **filters) -> Iterable[list]:
        raise NotImplementedError

    def plan(self, sheet: Sheet, context: ImportContext, plan: ImportPlan) -> SheetPlan:
        raise NotImplementedError

    def apply(self, sheet_plan: SheetPlan, context: ImportContext) -> None:
        raise NotImplementedError


def _key(header: str) -> str:
    return clean_text(header).casefold().replace("ё", "е").rstrip("*").strip()


class RowReader:
    """Reads the cells of one row by column header, raising RowProblem on bad values."""

    def __init__(self, values: list, columns: dict[str, int]):
        self.values = values
        self.columns = columns

    def raw(self, header: str):
        position = self.columns.get(header)
        if position is None or position >= len(self.values):
            return None
        return self.values[position]

    def text(self, header: str, *, required: bool = False, max_length: int = 500) -> str:
        value = clean_text(self.raw(header))
        if required and not value:
            raise RowProblem(header, "не заполнено")
        if len(value) > max_length:
            raise RowProblem(header, f"слишком длинное значение (больше {max_length} символов)")
        return value

    def convert(self, header: str, parser: Callable):
        try:
            return parser(self.raw(header))
        except ValueError as exc:
            raise RowProblem(header, f"{exc} (в ячейке «{clean_text(self.raw(header))[:40]}»)"
                             ) from exc

    def choice(self, header: str, choices, *, required: bool = False) -> str:
        text = self.text(header, required=required)
        if not text:
            return ""
        found = _choice_index(tuple(choices)).get(text.casefold().replace("ё", "е"))
        if found is not None:
            return found
        allowed = ", ".join(f"«{label}»" for _, label in choices)
        raise RowProblem(header, f"значение «{text}» не из списка; допустимо: {allowed}")


YES_NO = (("да", "да"), ("нет", "нет"))  # what a yes/no column offers in the template


@functools.lru_cache(maxsize=64)
def _choice_index(choices: tuple) -> dict[str, str]:
    """Accept a choice by its code or its Russian label, in any case, е or ё."""
    index = {}
    for value, label in choices:
        index[str(value).casefold()] = value
        index[str(label).casefold().replace("ё", "е")] = value
    return index


def plan_file(data: bytes, filename: str, datasets: list[Dataset], context: ImportContext,
              *, limits: ReadLimits | None = None) -> ImportPlan:
    plan = ImportPlan()
    try:
        sheets = read_tables(data, filename, limits=limits)
        recognized = []
        for sheet in sheets:
            dataset = next((d for d in datasets if d.matches(sheet.headers)), None)
            if dataset is None:
                if sheet.name.casefold() not in ("инструкция", "справочники"):
                    plan.warnings.append(_unrecognized(sheet, datasets))
                continue
            recognized.append((dataset, sheet))
        if not recognized:
            plan.add_error(RowError(sheets[0].name if sheets else "", 0, "",
                                    _unrecognized(sheets[0], datasets)))
            return plan
        for dataset, sheet in sorted(recognized, key=lambda pair: pair[0].order):
            plan.sheets.append(dataset.plan(sheet, context, plan))
    except TableError as exc:
        plan.sheets = []
        plan.add_error(RowError(filename or "файл", 0, "", str(exc)))
    return plan


def _unrecognized(sheet: Sheet, datasets: list[Dataset]) -> str:
    best = max(datasets, key=lambda d: len(set(d.column_map(sheet.headers))))
    present = {_key(h) for h in sheet.headers}
    missing = [c.header for c in best.columns if c.required and not (c.names() & present)]
    return (f"Лист «{sheet.name}» не похож ни на одну таблицу ПрофИнфо. Для таблицы "
            f"«{best.title}» не хватает столбцов: " + ", ".join(f"«{m}»" for m in missing)
            + ". Скачайте шаблон и сверьте заголовки.")


def apply_plan(plan: ImportPlan, context: ImportContext) -> None:
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    with transaction.atomic():
        for sheet_plan in plan.sheets:
            sheet_plan.dataset.apply(sheet_plan, context)
