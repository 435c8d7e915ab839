"""The methodology as a spreadsheet: exported to XLSX, edited, imported into a year's version
(checked row by row; nothing is written unless every row is right). An import updates the
year's methodology in place and never deletes a score: a criterion that anything refers to
cannot be left out of the file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from simple_history.models import HistoricalChanges

from profinfo.tabular import Table, TableError, read_tables, write_xlsx

from .models import Block, Criterion, CriterionSource, JuryScore, Methodology

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
    """The year's methodology brought to what the file says, in place: blocks matched by
    their code, criteria by block and criterion code, so the jury's scores and everything
    else that refers to a criterion stay attached to it. A criterion left out of the file is
    removed only when nothing refers to it; otherwise the whole file is refused."""
    try:
        sheet = read_tables(data, "methodology.xlsx")[0]
    except TableError as exc:
        raise MethodologyImportError([str(exc)]) from exc
    missing = [h for h in HEADERS if h not in sheet.headers]
    if missing:
        raise MethodologyImportError([f"Нет столбцов: {', '.join(missing)}. Возьмите за "
                                      "образец выгрузку методики."])
    methodology = Methodology.objects.select_for_update().filter(year=year).first()
    if methodology and methodology.frozen:
        raise MethodologyImportError([f"Методика {year} года утверждена: её нельзя заменить."])
    if methodology is None:
        methodology = Methodology.objects.create(year=year, title=title or DEFAULT_TITLE)
    elif title and title != methodology.title:
        methodology.title = title
        _save(methodology)
    blocks = {b.code: b for b in methodology.blocks.all()}
    criteria = {(c.block.code, c.code): c for c in Criterion.objects.filter(
        block__methodology=methodology).select_related("block")}
    errors, placed, seen = [], {}, {}  # placed: blocks of the file; seen: criteria → row
    positions: dict[str, int] = {}  # criteria placed in each block so far
    for number, values in sheet.rows:
        row = dict(zip(sheet.headers, values, strict=False))
        try:
            block_code = _code(row["Блок (код)"])
            block = placed.get(block_code)
            if block is None:
                block = blocks.get(block_code) or Block(methodology=methodology,
                                                        code=block_code)
                changed = _assign(block, title=_text(row["Блок"]),
                                  weight=_number(row["Вес блока"], 1), order=len(placed))
                block.full_clean(exclude=["methodology"])
                if changed:
                    _save(block)
                placed[block_code] = block
            code = _code(row["Код"])
            if (block_code, code) in seen:
                raise ValueError(f"Критерий с кодом «{code}» в блоке «{block_code}» уже "
                                 f"есть в строке {seen[block_code, code]}.")
            source = SOURCES.get(_text(row["Как оценивается"]).strip())
            if source is None:
                raise ValidationError({"source": "«Как оценивается»: «измеряется "
                                                 "автоматически» или «оценивает жюри»."})
            criterion = criteria.get((block_code, code)) or Criterion(block=block, code=code)
            changed = _assign(criterion, title=_text(row["Критерий"]),
                              points=_number(row["Баллы"], 1), source=source,
                              rule=_text(row["Правило"]), threshold=_number(row["Порог"], None),
                              recommendation=_text(row["Рекомендация"]),
                              order=positions.get(block_code, 0))
            criterion.full_clean(exclude=["block"])
            if changed:
                _save(criterion)
            seen[block_code, code] = number
            positions[block_code] = positions.get(block_code, 0) + 1
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            errors.append(f"Строка {number}: {' '.join(messages)}")
    if errors:
        transaction.set_rollback(True)
        raise MethodologyImportError(errors)
    dropped = [c for key, c in criteria.items() if key not in seen]
    for criterion in dropped:
        if message := _in_use(criterion, f"Критерий «{criterion.title}» "
                                         f"({criterion.block.code}/{criterion.code})"):
            errors.append(message + " Оставьте строку в файле.")
    for block in (b for code, b in blocks.items() if code not in placed):
        # its criteria are all among the dropped ones; what else refers to the block?
        if message := _in_use(block, f"Блок «{block.title}» ({block.code})",
                              ignore=Criterion):
            errors.append(message + " Оставьте в файле хотя бы одну его строку.")
    try:
        if not errors:
            for obj in [*dropped, *(b for code, b in blocks.items() if code not in placed)]:
                obj._change_reason = REASON
                obj.delete()
    except (ProtectedError, RestrictedError) as exc:  # a reference _in_use cannot see
        errors.append(f"Методику нельзя изменить: из неё удаляется то, на что ссылаются "
                      f"другие записи ({_names(exc)}). Оставьте эти строки в файле.")
    if errors:
        transaction.set_rollback(True)
        raise MethodologyImportError(errors)
    return methodology


DEFAULT_TITLE = "Смотр-конкурс на лучшую организацию информационной деятельности"
REASON = "Загрузка методики из файла"  # the edit history's reason for what an import changed


def _save(obj) -> None:
    obj._change_reason = REASON
    obj.save()


def _in_use(obj, name: str, ignore=None) -> str:
    """Why `obj` cannot be removed from the methodology: the records of other tables that
    refer to it (every reverse relation, whatever app declares it; the edit history aside,
    it keeps removed rows by design), or an empty string."""
    uses = []
    for relation in obj._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not (relation.auto_created and not relation.concrete) or model is None \
                or model is ignore or issubclass(model, HistoricalChanges) \
                or model._meta.auto_created:  # a many-to-many's own table: its field counts
            continue
        count = model._base_manager.filter(**{relation.field.name: obj}).count()
        if count:
            uses.append((model, count))
    if not uses:
        return ""
    if any(model is JuryScore for model, _ in uses):
        return f"{name} уже оценён жюри: удалить его из методики нельзя."
    listed = ", ".join(f"{model._meta.verbose_name_plural}: {count}" for model, count in uses)
    return f"{name} используется ({listed}): удалить его из методики нельзя."


def _names(exc: ProtectedError | RestrictedError) -> str:
    objects = exc.protected_objects if isinstance(exc, ProtectedError) \
        else exc.restricted_objects
    return ", ".join(sorted({str(o._meta.verbose_name_plural) for o in objects}))


def _assign(obj, **values) -> bool:
    """Set the fields; whether any of them changed (an unchanged row is not saved, so the
    edit history holds real changes only)."""
    changed = obj.pk is None
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


def _text(value) -> str:
    return "" if value is None else str(value)


def _code(value) -> str:
    return _text(value).strip()


def _number(value, default):
    if value in (None, ""):
        return default
    try:
        return float(str(value).replace(",", ".").replace("\u00a0", "").strip())
    except ValueError:
        raise ValueError(f"«{value}» — не число.") from None
