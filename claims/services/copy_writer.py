"""Bulk inserts at COPY speed, history included.

`create_with_history(objs, Model, actor=..., reason=...)` writes new rows and their "+" history rows the way
`simple_history.utils.bulk_create_with_history` does, but with PostgreSQL's `COPY … FROM STDIN` (psycopg 3's
`cursor.copy`) instead of `INSERT` statements that Django has to build as text. On any other database
(SQLite under `make run`) it is `bulk_create_with_history` itself.

What keeps the rows the same as the ORM path writes them:
- ids are reserved from the table's own sequence (`nextval` for the whole batch in one query), so the objects
  carry their pk like after `bulk_create` and the history rows can point at them;
- auto_now / auto_now_add fields go through their `pre_save`, JSON and other non-plain fields through
  `get_db_prep_save`, as `Model.save()` would (plain values — text, numbers, dates, keys — go as they are);
- history rows follow the rule of simple-history's `bulk_history_create` (every tracked column as the object
  has it, the acting user, the change reason, type "+"). When the batch shares one user, reason and date (an
  import's does), PostgreSQL builds them itself from the rows just written, with one `INSERT … SELECT`: the
  values are those the COPY stored, and Python neither builds nor sends them a second time. Objects with their
  own `_history_user`, `_history_date` or change reason get rows built from their own prepared values;
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
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)

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
    history = get_history_manager_for_model(model).model
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        _link_parents(model, objs)
        missing = [obj for obj in objs if obj.pk is None]
        for obj, pk in zip(missing, _next_ids(cursor, model, len(missing)), strict=True):
            obj.pk = pk
        fields = _columns(model)
        plan = _plan(fields)
        rows = [_row(obj, plan, connection) for obj in objs]
        _copy_rows(cursor, model, fields, rows)
        for obj in objs:
            obj._state.adding, obj._state.db = False, using
        history_fields = _columns(history)
        if _shared_history(objs):
            _history_from_table(cursor, model, history, history_fields, objs, actor=actor, reason=reason)
        else:
            history_rows = _history_rows(history, history_fields, objs, rows, fields, actor=actor, reason=reason,
                                         ids=_next_ids(cursor, history, len(objs)))  # fmt: skip
            _copy_rows(cursor, history, history_fields, history_rows)
    _analyze_after_commit(using, {model._meta.db_table: len(objs), history._meta.db_table: len(objs)})
    return objs


def update_with_history(objs: list[models.Model], model: type[models.Model], fields: list[str], *, actor,
                        reason: str) -> int:  # fmt: skip
    """Write `fields` of `objs` and one "~" history row each naming `actor` and `reason`, as simple-history's
    `bulk_update_with_history` does; returns the rows updated. On PostgreSQL, one `UPDATE … FROM unnest(…)`
    writes the values (Django's bulk_update builds a CASE per field and row) and PostgreSQL builds the history
    rows from the rows as updated (`INSERT … SELECT`); objects with a history user, date or reason of their own,
    and other databases, go through simple-history."""
    if not objs:
        return 0
    using = router.db_for_write(model)
    if not copy_enabled(using) or not _shared_history(objs):
        return bulk_update_with_history(objs, model, fields, batch_size=BATCH, default_user=actor,
                                        default_change_reason=reason)  # fmt: skip
    connection = connections[using]
    history = get_history_manager_for_model(model).model
    quote = connection.ops.quote_name
    pk = model._meta.pk
    targets = [model._meta.get_field(name) for name in fields]
    arrays = [[obj.pk for obj in objs]]
    arrays += [[f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in objs] for f in targets]
    types = ", ".join(f"%s::{f.db_type(connection)}[]" for f in [pk, *targets])
    names = ", ".join(quote(f.column) for f in [pk, *targets])
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in targets)
    # Table and column names are the models' own, quoted; the values are parameters.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} t SET {assignments} "  # noqa: S608
        f"FROM unnest({types}) AS v({names}) WHERE t.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, arrays)
        updated = cursor.rowcount
        _history_from_table(cursor, model, history, _columns(history), objs, actor=actor, reason=reason,
                            history_type="~")  # fmt: skip
    return updated


# Field types whose Python value psycopg adapts as it is: preparing them through Django's per-field
# `get_db_prep_save` is the larger part of the cost of building rows, and changes nothing for these values
# (the comparison test with the ORM path, tests/test_copy_writer.py, holds that true). Other fields (JSON …) are
# prepared by Django.
PLAIN = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "BooleanField",
    "CharField", "TextField", "SlugField", "EmailField", "URLField", "DateField", "DateTimeField",
    "ForeignKey", "OneToOneField",
}  # fmt: skip


def _columns(model: type[models.Model]) -> list[models.Field]:
    # A search vector is the trigger's to fill (migration 0005): COPY fires row triggers as INSERT does.
    return [f for f in model._meta.concrete_fields if not isinstance(f, SearchVectorField)]


def _link_parents(model, objs) -> None:
    """A link built with an unsaved claim takes the claim's pk now (what bulk_create's preparation does)."""
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    for obj in objs:
        for field in relations:
            parent = field.get_cached_value(obj, None)
            if parent is not None and getattr(obj, field.attname) != parent.pk:
                if parent.pk is None:
                    raise ValueError(f"{model.__name__}.{field.name}: the related object is not saved")
                setattr(obj, field.attname, parent.pk)


def _next_ids(cursor, model, n: int) -> list[int]:
    """`n` ids from the table's own sequence, in one query."""
    if not n:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [cursor.db.ops.quote_name(model._meta.db_table), model._meta.pk.column, n],
    )
    return [value for (value,) in cursor.fetchall()]


AS_IS, PRE_SAVE, PREPARE = 0, 1, 2


def _plan(fields) -> list[tuple[models.Field, int]]:
    """How each column's value is read: as it is, through `pre_save` (auto_now…), or prepared by Django."""
    plan = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((field, PRE_SAVE))
        else:
            plan.append((field, AS_IS if field.get_internal_type() in PLAIN else PREPARE))
    return plan


def _row(obj, plan, connection) -> list:
    values = []
    for field, how in plan:
        if how == AS_IS:
            values.append(getattr(obj, field.attname))
        elif how == PRE_SAVE:
            values.append(field.pre_save(obj, True))
        else:
            values.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
    return values


def _history_rows(history, history_fields, objs, rows, fields, *, actor, reason: str, ids: list[int]) -> list[list]:
    """The rows simple-history's `bulk_history_create` writes for these objects: every tracked column as the
    object has it, then the history's own (user, change reason, type "+", date), one timestamp per batch."""
    now = timezone.now()
    position = {field.column: i for i, field in enumerate(fields)}
    tracked = {f.column for f in history.tracked_fields}
    out = []
    for obj, row, history_id in zip(objs, rows, ids, strict=True):
        user = getattr(obj, "_history_user", actor)
        own = {
            "history_id": history_id,
            "history_date": getattr(obj, "_history_date", now),
            "history_change_reason": get_change_reason_from_object(obj) or reason,
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
            "history_relation_id": obj.pk,
        }
        out.append([
            row[position[f.column]] if f.column in tracked and f.column in position else own[f.column]
            for f in history_fields
        ])  # fmt: skip
    return out


def _shared_history(objs) -> bool:
    """No object carries a history user, date or change reason of its own: one set for the whole batch."""
    return not any(
        hasattr(obj, "_history_user") or hasattr(obj, "_history_date") or get_change_reason_from_object(obj)
        for obj in objs
    )


def _history_from_table(
    cursor, model, history, history_fields, objs, *, actor, reason: str, history_type: str = "+"
) -> None:
    """The history rows of `objs` ("+" created, "~" changed), built by PostgreSQL from the rows just written
    (same columns as `_history_rows` writes; history ids from the history table's own sequence, in pk order)."""
    quote = cursor.db.ops.quote_name
    tracked = {f.column for f in history.tracked_fields}
    own = {
        "history_date": "%(now)s",
        "history_change_reason": "%(reason)s",
        "history_type": "%(type)s",
        "history_user_id": "%(user)s",
        "history_relation_id": "t." + quote(model._meta.pk.column),
    }
    columns = [f for f in history_fields if f.column != "history_id"]
    names = ", ".join(quote(f.column) for f in columns)
    values = ", ".join("t." + quote(f.column) if f.column in tracked else own[f.column] for f in columns)
    pk = quote(model._meta.pk.column)
    # Table and column names are the models' own, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({names}) SELECT {values} "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} t WHERE t.{pk} = ANY(%(ids)s) ORDER BY t.{pk}"
    )
    cursor.execute(
        sql,
        {"now": timezone.now(), "reason": reason, "user": actor.pk if actor is not None else None,
         "ids": [obj.pk for obj in objs], "type": history_type},
    )  # fmt: skip


def _copy_rows(cursor, model, fields, rows) -> None:
    quote = cursor.db.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# ---- keeping the planner's statistics current ------------------------------------------------------


def _analyze_after_commit(using: str, written: dict[str, int]) -> None:
    """Count the rows this transaction wrote per table; once it commits, ANALYZE the tables gone stale."""
    connection = connections[using]
    pending = getattr(connection, "_claims_copy_written", None)
    # A transaction that rolled back took its on-commit callback with it: its counts are void, and a new
    # callback is needed (else no later import on this connection would ever ANALYZE).
    if pending is not None and not any(func is pending[1] for _, func, _ in connection.run_on_commit):
        pending = None
    if pending is None:

        def run() -> None:
            counts = dict(connection._claims_copy_written[0])
            del connection._claims_copy_written
            analyze_if_stale(using, counts)

        pending = connection._claims_copy_written = (Counter(written), run)
        transaction.on_commit(run, using=using)  # outside a transaction this runs at once: count first
    else:
        pending[0].update(written)


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
                # Through migration 0015's function: the app's role owns no table, and only an owner may ANALYZE.
                cursor.execute("SELECT claims_analyze(%s::regclass)", [table])
                stale.append(table)
    return stale
