"""Fast inserts for imports of 100,000 rows: plain `executemany` instead of the ORM.

Django's bulk_create prepares every value of every row through its field machinery; for a
wide table that costs far more than reading the spreadsheet. Here ids are reserved from the
database first (a sequence on PostgreSQL; on SQLite the write lock that the import's
transaction already holds), values need preparing only for date/time and JSON columns, and
the edit-history rows (django-simple-history's table) are written the same way.
"""

from __future__ import annotations

import functools

from django.db import connection, models
from django.utils import timezone

from profinfo.caching import registry_changed

BATCH = 2000
ANALYZE_AFTER = 10_000  # rows; below that autovacuum's statistics are close enough


def _converter(field):
    if isinstance(field, models.DateTimeField | models.DateField):
        # Imports stamp one moment on every row: prepare each distinct value once.
        return functools.lru_cache(maxsize=4096)(
            lambda value: field.get_db_prep_save(value, connection))
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.FileField):
        return lambda value: str(value or "")
    return None


def reserve_ids(model, count: int, *, above: int = 0) -> list[int]:
    """Reserve `count` new primary keys, all greater than `above` and than any in use."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if above:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)})))",
                    [table, above],
                )
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = max(cursor.fetchone()[0], above)
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(start, row[0] if row else 0)
        return list(range(start + 1, start + 1 + count))


def insert(model, objects: list[models.Model]) -> None:
    """Insert model instances. Those without a primary key get a reserved one first; those
    with one keep it (an export re-imported into another database keeps its numbers)."""
    if not objects:
        return
    explicit = [o.pk for o in objects if o.pk is not None]
    missing = [o for o in objects if o.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing), above=max(explicit, default=0)),
                       strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    _executemany(model, fields, ([getattr(o, f.attname) for f in fields] for o in objects))
    registry_changed()  # rows written past the ORM send no signals


def insert_values(model, names: list[str], rows, *, analyze: bool = True) -> None:
    """Insert rows given as values of the fields `names` (attribute names; the primary key
    reserved here), without building a model instance per row: for a federation's results,
    written in one go. `analyze=False` leaves the table's statistics to autovacuum."""
    rows = list(rows)
    if not rows:
        return
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    ids = reserve_ids(model, len(rows))
    _executemany(model, fields, ([pk, *row] for pk, row in zip(ids, rows, strict=True)),
                 analyze=analyze)
    registry_changed()


def insert_history(model, objects: list[models.Model], *, user=None, reason: str = "",
                   history_type: str = "+") -> None:
    """Write django-simple-history rows for objects just created or changed."""
    history_model = model.history.model
    now = timezone.now()
    tracked = [f for f in history_model._meta.concrete_fields
               if f.attname not in {"history_id", "history_date", "history_change_reason",
                                    "history_type", "history_user_id"}]
    extra = {"history_date": now, "history_change_reason": reason or None,
             "history_type": history_type, "history_user_id": getattr(user, "pk", None)}
    extra_fields = [history_model._meta.get_field(name) for name in extra]
    rows = ([*(getattr(o, f.attname) for f in tracked), *extra.values()] for o in objects)
    # Values come from the tracked model, so they are prepared as its fields prepare them.
    value_fields = [_source_field(model, f) for f in tracked] + extra_fields
    _executemany(history_model, tracked + extra_fields, rows, value_fields=value_fields)


def _source_field(model, history_field):
    try:
        return model._meta.get_field(history_field.name)
    except Exception:
        return history_field


def _executemany(model, fields, rows, value_fields=None, analyze: bool = True) -> None:
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    converters = [_converter(f) for f in (value_fields or fields)]
    prepared = ([c(v) if c else v for c, v in zip(converters, row, strict=True)] for row in rows)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERTs, even batched ones.
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
                    count += 1
            if analyze and count >= ANALYZE_AFTER:
                cursor.execute(f"ANALYZE {quote(table)}")  # plans need the new row counts
            return
        sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch: list[list] = []
        for row in prepared:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def stamp_timestamps(objects, *names: str) -> None:
    now = timezone.now()
    for obj in objects:
        for name in names:
            setattr(obj, name, now)
