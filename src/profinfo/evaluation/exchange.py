"""The methodology as a spreadsheet: exported to XLSX, edited, imported as a year's version
(checked row by row; nothing is written unless every row is right)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from profinfo.tabular import Table, TableError, read_tables, write_xlsx

from .models import Block, Criterion, CriterionSource, Methodology

HEADERS = ["Блок (код)", "Блок", "Вес блока", "Код", "Критерий", "Баллы", "Как оценивается",
           "Правило", "Порог", "Рекомендация"]
SOURCES = {label: value for value, label in CriterionSource.choices}


def export_xlsx(methodology: Methodology) -> bytes:
    rows = [[c.block.code, c.block.title, c.block.weight, c.code, c.title, c.points,
             c.get_source_display(), c.rule, c.threshold, c.recommendation]
            for c in Criterion.objects.filter(block__methodology=methodology)
            .select_related("block")]
    return write_xlsx([Table(f"Методика {methodology.year}", HEADERS, rows)])


class MethodologyImportError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@transaction.atomic
def import_xlsx(data: bytes, *, year: int, title: str = "") -> Methodology:
    try:
        sheet = read_tables(data, "methodology.xlsx")[0]
    except TableError as exc:
        raise MethodologyImportError([str(exc)]) from exc
    missing = [h for h in HEADERS if h not in sheet.headers]
    if missing:
        raise MethodologyImportError([f"Нет столбцов: {', '.join(missing)}. Возьмите за "
                                      "образец выгрузку методики."])
    existing = Methodology.objects.filter(year=year).first()
    if existing and existing.frozen:
        raise MethodologyImportError([f"Методика {year} года утверждена: её нельзя заменить."])
    if existing:
        existing.delete()
    methodology = Methodology.objects.create(
        year=year, title=title or "Смотр-конкурс на лучшую организацию информационной "
                                  "деятельности")
    errors, blocks = [], {}
    for number, values in sheet.rows:
        row = dict(zip(sheet.headers, values, strict=False))
        try:
            block = blocks.get(row["Блок (код)"])
            if block is None:
                block = Block(methodology=methodology, code=str(row["Блок (код)"] or ""),
                              title=str(row["Блок"] or ""), weight=_number(row["Вес блока"], 1),
                              order=len(blocks))
                block.full_clean(exclude=["methodology"])
                block.save()
                blocks[block.code] = block
            source = SOURCES.get(str(row["Как оценивается"] or "").strip())
            if source is None:
                raise ValidationError({"source": "«Как оценивается»: «измеряется "
                                                 "автоматически» или «оценивает жюри»."})
            criterion = Criterion(block=block, code=str(row["Код"] or ""),
                                  title=str(row["Критерий"] or ""),
                                  points=_number(row["Баллы"], 1), source=source,
                                  rule=str(row["Правило"] or ""),
                                  threshold=_number(row["Порог"], None),
                                  recommendation=str(row["Рекомендация"] or ""),
                                  order=number)
            criterion.full_clean(exclude=["block"])
            criterion.save()
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            errors.append(f"Строка {number}: {' '.join(messages)}")
    if errors:
        transaction.set_rollback(True)
        raise MethodologyImportError(errors)
    return methodology


def _number(value, default):
    if value in (None, ""):
        return default
    try:
        return float(str(value).replace(",", ".").replace("\u00a0", "").strip())
    except ValueError:
        raise ValueError(f"«{value}» — не число.") from None
