"""Conflict detection cost (issue 6): the detectors in memory at 10k and 100k claims, and the suggest service
over a PostgreSQL database of 10k and 100k claims (after an article import, and over everything).

Run: make bench (or: DATABASE_URL=postgres://… .venv/bin/python bench/conflicts_bench.py [--sizes 10000,100000])
Uses its own database (tracker_bench_conflicts), created and dropped by the script. The corpus uses the
gazetteer's real actor and place names, so the detectors' blocks fill as they would on real articles, with a
known number of planted conflicts (an airport taken by two actors on one day, a village taken on two dates).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import fresh_database  # noqa: E402

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BENCH_DB = "tracker_bench_conflicts"

TEMPLATES = [
    "On {day}, {actor} captured the village of {place} after heavy fighting near road {n}.",
    "{actor} shelled {place} on {day}, killing {n} civilians, a local monitor said in report {m}.",
    "By the evening of {day}, {actor} had advanced towards {place} and cut supply route {m}.",
    "A drone strike on {place} killed {n} people and injured {m} others on {day}.",
    "On {day}, {actor} withdrew from positions {m} around {place} after losing {n} vehicles.",
    "Residents of {place} said convoy {m} of {actor} passed through on {day}.",
]


def corpus(n: int, *, seed: int = 11) -> list[dict]:
    """n claim rows (id, article_id, text, event_date) over 100-claim articles.

    The claims retell n / 4 events (an actor, a place, a date), each event consistently, so that only the
    planted pairs disagree: per 5,000 claims, Aleppo airport taken by two actors on one day and Kafr Basin taken
    on two dates. One place in five is a gazetteer name (the detectors read it), the rest are made-up villages
    (as unknown to the gazetteer as most villages of a real corpus).
    """
    from claims.conflicts import gazetteer

    gz = gazetteer()
    rng = random.Random(seed)
    actors = [e.name for e in gz.entities.values() if e.type == "actor"]
    known = [e.name for e in gz.entities.values() if e.type == "place" and e.kind in ("town", "district")]
    start = date(2024, 11, 20)
    events = []
    for e in range(max(1, n // 4)):
        place = rng.choice(known) if rng.random() < 0.2 else f"{rng.choice(['Tal', 'Kafr', 'Ain', 'Deir'])} Qarya{e}"
        events.append((rng.choice(actors), place, start + timedelta(days=rng.randint(0, 30)), rng.randint(2, 900)))
    rows = []
    for i in range(n):
        actor, place, day, count = rng.choice(events)
        text = rng.choice(TEMPLATES).format(
            day=f"{day.day} {day.strftime('%B')} {day.year}", actor=actor, place=place, n=count, m=i
        )
        rows.append({"id": i + 1, "article_id": i // 100 + 1, "text": text, "event_date": day})
    for k in range(0, n, 5000):  # planted: the airport taken by two actors, a village taken on two dates
        if k + 4 > n:
            break
        d = start + timedelta(days=k % 30)
        when = f"{d.day} {d.strftime('%B')} {d.year}"
        rows[k].update(text=f"On {when}, the SDF captured Aleppo International Airport ({k}).", event_date=d)
        rows[k + 1].update(text=f"On {when}, HTS took control of Aleppo airport ({k}).", event_date=d)
        later = d + timedelta(days=1)
        rows[k + 2].update(text=f"On {when}, HTS captured Kafr Basin (ref {k}).", event_date=d)
        rows[k + 3].update(text=f"HTS captured Kafr Basin (ref {k + 3}).", event_date=later)
    return rows


def bench_memory(n: int) -> dict:
    from claims import conflicts

    rows = corpus(n)
    run = conflicts.Run()
    t0 = time.perf_counter()
    found = conflicts.detect(rows, run=run)
    seconds = time.perf_counter() - t0
    return {"claims": n, "seconds": seconds, "findings": len(found), "comparisons": run.comparisons,
            "skipped_blocks": len(run.skipped_blocks)}  # fmt: skip


def bench_database(n: int, actor) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from simple_history.utils import bulk_create_with_history

    from claims import services
    from claims.models import Article, ArticleRevision, Claim, ClaimKey, ClaimRelation

    ClaimRelation.history.all().delete()
    ClaimRelation.objects.all().delete()
    Claim.history.all().delete()
    Claim.objects.all().delete()
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    rows = corpus(n)
    articles, revisions = {}, {}
    for article_id in sorted({r["article_id"] for r in rows}):
        article = Article.objects.create(title=f"Bench article {article_id}")
        articles[article_id] = article
        revisions[article_id] = ArticleRevision.objects.create(
            article=article, text=str(article_id), sha256=f"{article_id:064x}"
        )
    claims = [
        Claim(article=articles[r["article_id"]], revision=revisions[r["article_id"]], text=r["text"],
              event_date=r["event_date"], paragraph_index=0, sentence_index=i, start=0, end=len(r["text"]),
              created_by=actor)
        for i, r in enumerate(rows)
    ]  # fmt: skip
    for start in range(0, len(claims), 5000):
        bulk_create_with_history(claims[start : start + 5000], Claim, batch_size=5000, default_user=actor)
    last = articles[max(articles)]
    result = {"claims": n}
    # Everything first: it also writes every claim's keys (claims_claimkey), which one article's check joins on.
    reset_queries()  # the query log keeps 9,000 entries: start each measure from an empty one
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        report = services.relations_suggest(actor=actor, reason="bench: everything")
        result["all_seconds"] = time.perf_counter() - t0
    result["all_queries"], result["all_created"] = len(ctx.captured_queries), report.created
    result["keys"] = ClaimKey.objects.count()
    ClaimRelation.history.all().delete()
    ClaimRelation.objects.all().delete()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        report = services.relations_suggest(article=last, actor=actor, reason="bench: one article")
        result["article_seconds"] = time.perf_counter() - t0
    result["article_queries"], result["article_created"] = len(ctx.captured_queries), report.created
    result["article_read"], result["article_nearby"] = report.claims, report.candidates_seen
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--no-db", action="store_true", help="only the in-memory detectors")
    parser.add_argument("--db-only", action="store_true", help="only the service on PostgreSQL")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if not args.no_db:
        fresh_database(BENCH_DB)
    import django

    django.setup()
    print("## Conflict detection (issue 6)\n")
    print("In memory (`claims.conflicts.detect`, one process, the corpus of bench/conflicts_bench.py):\n")
    print("| claims | seconds | claims/s | pairs compared | findings | blocks skipped |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in [] if args.db_only else sizes:
        r = bench_memory(n)
        print(f"| {n:,} | {r['seconds']:.2f} | {n / r['seconds']:,.0f} | {r['comparisons']:,} | {r['findings']:,} "
              f"| {r['skipped_blocks']} |")  # fmt: skip
    if args.no_db:
        return
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "groups", verbosity=0)
    from django.contrib.auth.models import Group

    actor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    actor.groups.add(Group.objects.get(name="Editor"))
    actor = get_user_model().objects.get(pk=actor.pk)
    print("\n`services.relations_suggest` on PostgreSQL (reads, detection, bulk writes with history, rescoring):\n")
    print("| claims | keys | everything: s | queries | created | one article: s | queries | candidates | created |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        r = bench_database(n, actor)
        print(f"| {n:,} | {r['keys']:,} | {r['all_seconds']:.2f} | {r['all_queries']} | {r['all_created']} "
              f"| {r['article_seconds']:.2f} | {r['article_queries']} | {r['article_nearby']:,} "
              f"| {r['article_created']} |")  # fmt: skip


if __name__ == "__main__":
    main()
