"""One imported article checked against a large database (issue 11): how long conflict detection takes for the
article's claims when the database holds 100k–1M claims with their keys (claims_claimkey).

The background claims are written in SQL (INSERT … SELECT over generate_series), with the keys the extraction would
give them (a village's name word, the actor's, the figures, the date) written alongside, because computing them
through `claims.keys` for a million rows is what `detect_conflicts` over everything measures (bench/conflicts_bench.py);
here the question is the SQL candidate selection and the detection for one article. The article checked is written
and keyed by the real code: `services.relations_suggest(article=…)`, as the import runs it.

Run: DATABASE_URL=postgres://… nice -n 10 .venv/bin/python bench/conflicts_scale_bench.py --sizes 100000,1000000
Uses its own database (tracker_bench_conflicts_scale), created and dropped by the script.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import fresh_database  # noqa: E402

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BENCH_DB = "tracker_bench_conflicts_scale"
ACTORS = ["Wagner", "Azov", "Akhmat", "Kraken", "Sparta", "Somalia", "Vostok", "Pyatnashka", "Rusich", "Dnipro"]

# One event per 4 claims: a village (its own name word), an actor, a day, a figure; claim i tells event i % events.
SQL_CLAIMS = """
INSERT INTO claims_claim (article_id, revision_id, text, paragraph_index, sentence_index, start, "end", prefix,
    suffix, anchor_state, event_date, event_date_precision, event_date_origin, event_date_phrase, hedge_kind,
    hedge_phrase, attributed_to, hedges, tags, status, confidence, confidence_factors, confidence_override_reason,
    priority, created_by_id, version, created_at, updated_at)
SELECT a.id, r.id, t.text, 0, g.i %% 100, 0, length(t.text), '', '', 'anchored', t.day, 'day', 'explicit', '', '',
    '', '', '[]', '[]', 'unreviewed', 0, '[]', '', 0, %(user)s, 1, now(), now()
FROM generate_series(%(start)s, %(stop)s - 1) AS g(i)
JOIN claims_article a ON a.title = 'Scale article ' || (g.i / 100)
JOIN claims_articlerevision r ON r.article_id = a.id
CROSS JOIN LATERAL (
    SELECT (g.i %% %(events)s) AS e,
           (ARRAY%(actors)s)[1 + (g.i %% %(events)s) %% 10] AS actor,
           date '2024-11-20' + ((g.i %% %(events)s) %% 30) AS day,
           2 + ((g.i %% %(events)s) * 7919) %% 899 AS n
) ev
CROSS JOIN LATERAL (
    SELECT ev.day,
        CASE g.i %% 4
        WHEN 0 THEN 'On ' || to_char(ev.day, 'FMDD FMMonth YYYY') || ', ' || ev.actor
            || ' fighters captured the village of Tal Qarya' || ev.e || ' near road ' || ev.n || '.'
        WHEN 1 THEN ev.actor || ' fighters shelled Tal Qarya' || ev.e || ' on '
            || to_char(ev.day, 'FMDD FMMonth YYYY') || ', killing ' || ev.n || ' civilians, report ' || g.i || ' said.'
        WHEN 2 THEN 'A drone strike on Tal Qarya' || ev.e || ' killed ' || ev.n || ' people on '
            || to_char(ev.day, 'FMDD FMMonth YYYY') || '.'
        ELSE 'Residents of Tal Qarya' || ev.e || ' said convoy ' || g.i || ' of ' || ev.actor
            || ' fighters passed through on ' || to_char(ev.day, 'FMDD FMMonth YYYY') || '.'
        END AS text
) t
"""

# The keys claims.keys/claim_keys would store for those sentences.
SQL_KEYS = """
INSERT INTO claims_claimkey (claim_id, key)
SELECT c.id, k.key FROM claims_claim c
CROSS JOIN LATERAL (
    SELECT substring(c.text from 'Tal (Qarya[0-9]+)') AS village,
           substring(c.text from '(?:^|, )([A-Z][a-z]+) fighters') AS actor1,
           substring(c.text from 'of ([A-Z][a-z]+) fighters') AS actor2
) m
CROSS JOIN LATERAL (
    SELECT 'p:' || lower(m.village) AS key
    UNION SELECT 'e:' || lower(coalesce(m.actor1, m.actor2)) WHERE coalesce(m.actor1, m.actor2) IS NOT NULL
    UNION SELECT 'd:' || c.event_date::text
    UNION SELECT 'n:' || x[1] FROM regexp_matches(c.text, '([0-9]{2,})', 'g') AS x
) k
WHERE c.id BETWEEN %(first)s AND %(last)s AND k.key IS NOT NULL
"""


def build(n: int, actor) -> object:
    from django.db import connection

    from claims.models import Article, ArticleRevision

    articles = [Article(title=f"Scale article {k}") for k in range(n // 100)]
    Article.objects.bulk_create(articles, batch_size=5000)
    revisions = [ArticleRevision(article=a, text=a.title, sha256=f"{a.pk:064x}") for a in articles]
    ArticleRevision.objects.bulk_create(revisions, batch_size=5000)
    actors = "[" + ",".join(f"'{a}'" for a in ACTORS) + "]"
    with connection.cursor() as cursor:
        step = 100_000
        for start in range(0, n, step):
            cursor.execute(
                SQL_CLAIMS.replace("%(actors)s", actors),
                {"user": actor.pk, "start": start, "stop": min(n, start + step), "events": max(1, n // 4)},
            )
        cursor.execute("SELECT min(id), max(id) FROM claims_claim")
        first, last = cursor.fetchone()
        for lo in range(first, last + 1, step):
            cursor.execute(SQL_KEYS, {"first": lo, "last": min(last, lo + step - 1)})
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("ANALYZE claims_claimkey")
    return articles[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    fresh_database(BENCH_DB)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from claims import services
    from claims.models import Claim, ClaimKey

    call_command("migrate", verbosity=0)
    call_command("loaddata", "groups", verbosity=0)
    actor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    actor.groups.add(Group.objects.get(name="Editor"))
    actor = get_user_model().objects.get(pk=actor.pk)
    print("| claims in the database | keys | build: s | one article (100 claims): s | queries | candidates | found |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in [int(s) for s in args.sizes.split(",")]:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE claims_claimkey, claims_claim, claims_articlerevision, claims_article CASCADE")
        t0 = time.perf_counter()
        last = build(n, actor)
        built = time.perf_counter() - t0
        # The article checked retells, in its first claim, another article's capture: one duplicate to find.
        other = Claim.objects.filter(article__title="Scale article 0").order_by("pk").first()
        mine = Claim.objects.filter(article=last).order_by("pk").first()
        Claim.objects.filter(pk=mine.pk).update(text=other.text, event_date=other.event_date)  # bench data
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            report = services.relations_suggest(article=last, actor=actor, reason="bench: one article")
            seconds = time.perf_counter() - t0
        print(
            f"| {n:,} | {ClaimKey.objects.count():,} | {built:.0f} | {seconds:.2f} | {len(ctx.captured_queries)} "
            f"| {report.candidates_seen:,} | {report.findings} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
