"""Edit history for pages: who changed what and when, with before and after values."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""


ACTIONS = {"+": "создание", "~": "изменение", "-": "удаление"}
HIDDEN = {"path", "updated_at", "created_at"}


def _display(model, name: str, value) -> str:
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


def history_rows(obj, limit: int = 50) -> list[HistoryRow]:
    records = list(obj.history.select_related("history_user").order_by("-history_date")[:limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        row = HistoryRow(
            when=record.history_date,
            who=(record.history_user.get_full_name() or record.history_user.username)
            if record.history_user else "система",
            action=ACTIONS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN:
                    continue
                label = str(type(obj)._meta.get_field(change.field).verbose_name)
                row.changes.append((label, _display(type(obj), change.field, change.old),
                                    _display(type(obj), change.field, change.new)))
        if record.history_type == "~" and not row.changes and not row.reason:
            continue
        rows.append(row)
    return rows
