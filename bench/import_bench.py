"""Import speed: the sample article, and a synthetic article 100× its size, on PostgreSQL.

Run: make bench (or: DATABASE_URL=postgres://… .venv/bin/python bench/import_bench.py)
Uses its own database (tracker_bench_import), created and dropped by the script. The baseline is raw
PostgreSQL COPY of the same number of claim rows into a scratch table, measured in the same run.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
BENCH_DB = "tracker_bench_import"


def use_bench_database() -> None:
    import psycopg

    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB


def synthetic(text: str, times: int) -> str:
    """An article `times` the sample's size, in its style (bench/corpus.py)."""
    from corpus import article

    target = len(text.encode()) * times
    n = 100
    while len(article(n).encode()) < target:
        n *= 2
    return article(int(n * target / len(article(n).encode())))


def main() -> None:
    use_bench_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Claim
    from claims.services.importing import article_import

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("create_demo_users", verbosity=0)
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="editor")
    sample = (ROOT / "fixtures" / "articles" / "northwestern_syria_offensive.txt").read_text(encoding="utf-8")
    results = []
    for label, text in [("sample", sample), ("100× synthetic", synthetic(sample, 100))]:
        start = time.perf_counter()
        report = article_import(text=text, actor=editor, title=f"bench {label}")
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = article_import(text=text, actor=editor, title=f"bench {label}")
        noop = time.perf_counter() - start
        assert again.noop
        n = Claim.objects.filter(article_id=report.article_id).count()
        # Baseline: COPY the same number of claim-sized rows into a scratch table.
        rows = io.StringIO("".join(f"{i}\tHTS captured village number {i} in the countryside.\n" for i in range(n)))
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE copy_baseline (id int, text text)")
            start = time.perf_counter()
            with cursor.copy("COPY copy_baseline FROM STDIN") as copy:
                copy.write(rows.getvalue())
            copy_s = time.perf_counter() - start
            cursor.execute("DROP TABLE copy_baseline")
        results.append((label, len(text.encode()), n, elapsed, noop, copy_s, report.relations_suggested))
    print("| article | size | claims | import | claims/s | re-import (no-op) | raw COPY of as many rows | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for label, size, n, elapsed, noop, copy_s, _ in results:
        print(
            f"| {label} | {size / 1024:.0f} KiB | {n:,} | {elapsed:.2f} s | {n / elapsed:,.0f} | {noop:.2f} s "
            f"| {copy_s * 1000:.0f} ms | {copy_s / elapsed:.3f}× |"
        )


if __name__ == "__main__":
    main()
