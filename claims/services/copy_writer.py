"""Bulk inserts at COPY speed, history included.

`create_with_history(objs, Model, actor=..., reason=...)` writes new rows and their "+" history rows the way
`simple_history.utils.bulk_create_with_history` does, but with PostgreSQL's `COPY … FROM STDIN` (psycopg 3's
`cursor.copy`) instead of `INSERT` statements that Django has to build as text. On any other database
(SQLite under `make run`) it is `bulk_create_with_history` itself.

What keeps the rows the same as the ORM path writes them:
- ids are reserved from the table's own sequence (`nextval` for the whole batch in one query), so the objects
  carry their pk like after `bulk_create` and the history rows can point at them;
- every field goes through its own `pre_save` (auto_now / auto_now_add) and `get_db_prep_save` (JSON,
  dates), as `Model.save()` would;
- history rows are built by the same rule simple-history's `bulk_history_create` uses (user, change reason,
  type "+", every tracked field);
- trigger-maintained columns (the claim's `search_document`, migration 0005) are left out of the column list:
  COPY fires the table's row triggers like INSERT does, so the trigger fills them.

Tables written by a large load are ANALYZEd after the transaction commits when their statistics went stale
(autovacuum may be off, and the admin's page count reads `pg_class.reltuples`).
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object, get_history_manager_for_model

BATCH = 500  # the ORM fallback's batch size (simple-history holds each batch in memory)
# Statistics count as stale, as autovacuum judges them, when this share of the table changed since the last
# ANALYZE (PostgreSQL's autovacuum_analyze_scale_factor and _threshold defaults).
ANALYZE_SCALE_FACTOR = 0.1
ANALYZE_THRESHOLD = 50


def copy_enabled(using: str) -> bool:
    return connections[using].vendor == "postgresql" and getattr(settings, "CLAIMS_IMPORT_COPY", True)


def create_with_history(objs: list[models.Model], model: type[models.Model], *, actor, reason: str) -> list:
    """Insert new `objs` of `model` and one "+" history row each naming `actor` and `reason`; pks are set."""
    if not objs:
        return objs
    using = router.db_for_write(model)
    if not copy_enabled(using):
        return bulk_create_with_history(objs, model, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    with transaction.atomic(using=using, savepoint=False):
        _copy(model, objs, using=using)
        history = get_history_manager_for_model(model).model
        _copy(history, _history_rows(history, objs, actor=actor, reason=reason), using=using)
    _analyze_after_commit(using, {model._meta.db_table: len(objs), history._meta.db_table: len(objs)})
    return objs


def _history_rows(history: type[models.Model], objs: list[models.Model], *, actor, reason: str) -> list:
    """The rows simple-history's `bulk_history_create` would build for these objects (one timestamp)."""
    now = timezone.now()
    rows = []
    for obj in objs:
        row = history(
            history_date=getattr(obj, "_history_date", now),
            history_user=getattr(obj, "_history_user", actor),
            history_change_reason=get_change_reason_from_object(obj) or reason,
            history_type="+",
            **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields},
        )
        if hasattr(history, "history_relation"):
            row.history_relation_id = obj.pk
        rows.append(row)
    return rows


def _columns(model: type[models.Model]) -> list[models.Field]:
    # A search vector is the trigger's to fill (migration 0005); writing NULL would be overwritten anyway.
    return [f for f in model._meta.concrete_fields if not isinstance(f, SearchVectorField)]


def _copy(model: type[models.Model], objs: list[models.Model], *, using: str) -> None:
    connection = connections[using]
    pk = model._meta.pk
    table = model._meta.db_table
    for obj in objs:  # a link built with an unsaved claim takes the claim's pk now, as bulk_create does
        obj._prepare_related_fields_for_save(operation_name="create_with_history")
    missing = [obj for obj in objs if obj.pk is None]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk.column, len(missing)],
            )
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, value)
        fields = _columns(model)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using


# ---- keeping the planner's statistics current ------------------------------------------------------


def _analyze_after_commit(using: str, written: dict[str, int]) -> None:
    """Count the rows this transaction wrote per table; once it commits, ANALYZE the tables gone stale."""
    connection = connections[using]
    pending = getattr(connection, "_claims_copy_written", None)
    if pending is None:
        pending = connection._claims_copy_written = Counter()

        def run() -> None:
            counts = dict(connection._claims_copy_written)
            del connection._claims_copy_written
            analyze_if_stale(using, counts)

        transaction.on_commit(run, using=using)
    pending.update(written)


def analyze_if_stale(using: str, written: dict[str, int]) -> list[str]:
    """ANALYZE each table whose rows changed since its last ANALYZE (these `written` rows included) by more
    than autovacuum's default share; returns the tables analysed."""
    stale = []
    with connections[using].cursor() as cursor:
        for table, rows in sorted(written.items()):
            cursor.execute(
                "SELECT c.reltuples, coalesce(s.n_mod_since_analyze, 0) FROM pg_class c "
                "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = %s::regclass",
                [table],
            )
            reltuples, modified = cursor.fetchone()
            # reltuples is -1 for a table never analysed: then any load makes it stale.
            if reltuples < 0 or max(modified, rows) > ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR * reltuples:
                cursor.execute(f"ANALYZE {connections[using].ops.quote_name(table)}")
                stale.append(table)
    return stale
