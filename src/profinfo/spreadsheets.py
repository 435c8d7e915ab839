"""Spreadsheet import and export across the registry's datasets (organizations, resources,
statistics): one workbook may hold any of them, each on its own sheet."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from profinfo.exchange import ImportContext, ImportPlan, apply_plan, plan_file
from profinfo.monitoring.exchange import ObservationsDataset
from profinfo.organizations.exchange import OrganizationsDataset
from profinfo.organizations.scoping import Scope
from profinfo.registry.exchange import ResourcesDataset
from profinfo.tabular import (
    FormSheet,
    ReadLimits,
    Table,
    write_csv,
    write_form,
    write_json,
    write_xlsx,
)

DATASETS = {d.key: d for d in (OrganizationsDataset(), ResourcesDataset(),
                               ObservationsDataset())}
EXPORT_FORMATS = ("xlsx", "csv", "json")


class ImportBusy(Exception):
    """The same person's previous table is still being read; the message is for them."""


@contextmanager
def import_slot(user_id) -> Iterator[None]:
    """One import at a time per person: a second one is refused, not queued (each reads a
    whole table into memory). The slot frees itself after the longest a read may take."""
    key, mine = f"profinfo:import-slot:{user_id}", uuid.uuid4().hex
    if not cache.add(key, mine, timeout=int(settings.PROFINFO_IMPORT_MAX_SECONDS) + 60):
        raise ImportBusy("Предыдущая таблица ещё проверяется или загружается: дождитесь, пока "
                         "она закончится, и попробуйте снова.")
    try:
        yield
    finally:
        if cache.get(key) == mine:  # a slot that timed out and went to the next is not ours
            cache.delete(key)


# --- files checked and waiting for the person's «Загрузить» ---------------------------------

STAGED_LIFETIME_SECONDS = 24 * 3600  # a file checked but never committed is removed then
STAGED_PER_PERSON = 3  # files of one person waiting at once; older ones are removed


def _staging() -> Path:
    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_stage(*, user_id: int, chunks: Iterable[bytes], filename: str) -> tuple[str, Path]:
    """Keep an uploaded file until its person commits it: (its token, where it is)."""
    _forget_abandoned()
    waiting = sorted(_staging().glob(f"{user_id}-*"), key=lambda p: p.stat().st_mtime)
    for old in waiting[:max(0, len(waiting) - STAGED_PER_PERSON + 1)]:
        old.unlink(missing_ok=True)
    token = str(uuid.uuid4())
    suffix = Path(filename).suffix.lower()[:6] or ".bin"
    path = _staging() / f"{user_id}-{token}{suffix}"
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return token, path


def upload_staged(*, user_id: int, token: str) -> Path | None:
    """The file this person staged under `token`; None for any other token."""
    try:
        uuid.UUID(token)
    except ValueError:
        return None
    return next(iter(_staging().glob(f"{user_id}-{token}.*")), None)


def _forget_abandoned() -> None:
    cutoff = time.time() - STAGED_LIFETIME_SECONDS
    for path in _staging().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another request's file, gone since the folder was listed


def plan_import(data: bytes, filename: str, *, scope: Scope, user=None
                ) -> tuple[ImportPlan, ImportContext]:
    context = ImportContext(scope=scope, user=user)
    if len(data) > settings.PROFINFO_IMPORT_MAX_BYTES:
        plan = ImportPlan()
        limit = settings.PROFINFO_IMPORT_MAX_BYTES // (1024 * 1024)
        from profinfo.exchange import RowError

        plan.add_error(RowError(filename, 0, "", f"Файл больше {limit} МБ: разделите его."))
        return plan, context
    plan = plan_file(data, filename, list(DATASETS.values()), context, limits=import_limits())
    return plan, context


def import_limits() -> ReadLimits:
    return ReadLimits(max_rows=settings.PROFINFO_IMPORT_MAX_ROWS,
                      max_cells=settings.PROFINFO_IMPORT_MAX_CELLS,
                      max_seconds=settings.PROFINFO_IMPORT_MAX_SECONDS,
                      max_unzipped_bytes=settings.PROFINFO_IMPORT_MAX_UNZIPPED_BYTES)


def import_file(data: bytes, filename: str, *, scope: Scope, user=None) -> ImportPlan:
    """Check the whole file and, only if no row has an error, write it in one transaction."""
    plan, context = plan_import(data, filename, scope=scope, user=user)
    if plan.ok:
        apply_plan(plan, context)
    return plan


def export(dataset_key: str, fmt: str, *, scope: Scope, queryset=None, **filters) -> bytes:
    """One dataset in one format; `queryset` narrows resources to a filtered list."""
    dataset = DATASETS[dataset_key]
    rows = (dataset.export_rows(scope, queryset=queryset, **filters) if queryset is not None
            else dataset.export_rows(scope, **filters))
    table = Table(dataset.title, dataset.headers(), rows)
    if fmt == "xlsx":
        return write_xlsx([table])
    if fmt == "csv":
        return write_csv(table)
    if fmt == "json":
        return write_json(table)
    raise ValueError(fmt)


# One filled row per sheet, shown on the instruction sheet (never on the sheets themselves,
# where a forgotten example would be imported).
EXAMPLES = {
    "orgs": {"Полное название": "Первичная профсоюзная организация АО «Уралмаш»",
             "Краткое название": "ППО АО «Уралмаш»", "Уровень": "ППО", "Вид": "Первичная",
             "Регион": "Свердловская область", "Число членов профсоюза": "1250",
             "Вышестоящая организация": "Свердловская областная"},
    "resources": {"Организация": "ППО АО «Уралмаш»", "Вид ресурса": "Сайт",
                  "Название": "Сайт профкома «Уралмаша»", "Адрес": "profkom-uralmash.ru",
                  "Официальная страница": "да", "Открытый": "да"},
    "observations": {"Ресурс": "Сайт профкома «Уралмаша»", "Адрес": "profkom-uralmash.ru",
                     "Показатель": "Посетителей", "Значение": "5400",
                     "Начало периода": "01.01.2024", "Конец периода или дата": "31.12.2024",
                     "Источник": "Ручной ввод", "Примечание": "по данным хостинга"},
}


def template_workbook() -> bytes:
    """The workbook to fill in: an instruction sheet (allowed values, an example row per
    sheet), then every sheet's headers with drop-down lists for each choice column."""
    sheets = []
    for dataset in DATASETS.values():
        headers = dataset.headers()
        sheets.append(FormSheet(
            dataset.title, headers,
            {index: [label for _, label in column.choices]
             for index, column in enumerate(dataset.columns) if column.choices},
            {index for index, column in enumerate(dataset.columns) if column.required}))
    lines = [
        ["Как заполнить таблицу для ПрофИнфо"],
        ["Каждый лист — отдельная таблица: «Организации», «Ресурсы», «Показатели». "
         "Ненужные листы можно удалить."],
        ["Заголовки первой строки не меняйте. Обязательные столбцы отмечены звёздочкой ниже "
         "и жёлтым заголовком на листах."],
        ["В столбцах со списком значение выбирается из выпадающего списка (стрелка справа от "
         "ячейки); допустимые значения перечислены ниже."],
        ["Столбец «№» оставьте пустым для новых записей; заполненный номер обновляет "
         "существующую запись."],
        ["Даты — в виде ДД.ММ.ГГГГ, «да»/«нет» — словами, адреса — в любом виде "
         "(www, http и косая черта в конце не важны)."],
        ["Если хотя бы в одной строке ошибка, ничего не загружается: исправьте строки, "
         "указанные при проверке, и загрузите файл снова."],
        [""],
    ]
    for dataset in DATASETS.values():
        lines.append([f"Лист «{dataset.title}»:"])
        for column in dataset.columns:
            mark = " *" if column.required else ""
            about = [column.help] if column.help else []
            if column.choices:
                about.append("допустимо: " + ", ".join(f"«{label}»"
                                                       for _, label in column.choices))
            lines.append([f"  {column.header}{mark}" + (" — " + "; ".join(about)
                                                        if about else "")])
        example = EXAMPLES.get(dataset.key)
        if example:
            lines.append(["  Пример строки: " + "; ".join(
                f"{header} — {value}" for header, value in example.items())])
        lines.append([""])
    return write_form(sheets, Table("Инструкция", ["ПрофИнфо"], lines))
