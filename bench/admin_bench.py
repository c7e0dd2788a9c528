"""The admin at 100k and 1M claims: every claim-list view, the claim page, the dashboard, the relations list, the
exports' first byte and the article report page, each against the raw SQL of the same page in the same run.

Run: make bench (or: DATABASE_URL=postgres://… .venv/bin/python bench/admin_bench.py [--claims 100000 1000000])
Uses its own database (<your database>_admin_bench), created by the script and left for inspection. The rows are
written with raw COPY (psycopg's `copy`), not the importer: this measures reading, bench/import_bench.py writing.
The machine is shared: run it under `nice -n 10`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import BASE_URL, fresh_database, write_section  # noqa: E402

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BENCH_DB = BASE_URL.rsplit("/", 1)[1].split("?")[0] + "_admin_bench"
# Measured as production runs: DEBUG off (no query log kept per request), served over plain HTTP by the test client.
PRODUCTION_LIKE = {"DEBUG": "0", "SECRET_KEY": "bench-only-" + "x" * 40, "ALLOWED_HOSTS": "localhost",
                   "SECURE_SSL_REDIRECT": "0"}  # fmt: skip

BIG_ARTICLE_CLAIMS = 15_000  # the report page's article, as in the issue (a 14.5k-claim article)
CLAIMS_PER_ARTICLE = 2_000
CITATIONS_PER_ARTICLE = 100
N_RELATIONS = 30_000
N_SOURCES = 60
N_REVIEWERS = 20
HEAVY_CITATIONS, HEAVY_RELATIONS = 60, 40  # the big claim page (paginated past 50)

STATUSES = (
    ["unreviewed"] * 50
    + ["needs_source"] * 10
    + ["in_review"] * 5
    + (["verified"] * 15 + ["disputed"] * 7 + ["refuted"] * 6 + ["unverifiable"] * 7)
)
HEDGES = ["", "", "", "reported", "attributed", "alleged", "speculative", "disputed"]
ACTORS = ["HTS", "the SNA", "the SDF", "pro-government forces", "opposition forces", "Russian forces"]
PLACES = ["Kafr", "Tal", "Ain", "Deir", "Khan", "Abu", "Sheikh", "Maarat"]
NAMES = ["Batikh", "Nabl", "Rifaat", "Hasel", "Zayn", "Qubtan", "Saloum", "Anaz", "Hawr", "Dabaa"]
ARTICLE_TEXT = (
    "Synthetic offensive\n\nOn 28 November 2024, HTS captured the village of Kafr Batikh after heavy fighting.\n"
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def claim_text(i: int, rnd: random.Random) -> str:
    near = " near Aleppo International Airport" if i % 1000 == 0 else " after heavy fighting"
    return (
        f"On {1 + i % 28} November 2024, {ACTORS[i % 6]} captured the village of {rnd.choice(PLACES)} "
        f"{rnd.choice(NAMES)}{rnd.randrange(4096)}{near}."
    )


def drop_indexes(cursor, table: str) -> list[str]:
    """Drop the table's plain indexes (not the primary key or constraint-backed ones); return how to rebuild."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [table],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def build(n_claims: int) -> dict:
    """Write the synthetic desk with COPY; return the ids the measurements need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    rnd = random.Random(14)
    call_command("loaddata", "groups", verbosity=0)
    User = get_user_model()
    lead = User.objects.create_superuser("bench-lead", "lead@example.org", "x")
    editor = User.objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    reviewers = []
    for k in range(N_REVIEWERS):
        user = User.objects.create_user(f"bench-reviewer{k}", is_staff=True)
        user.groups.add(Group.objects.get(name="Reviewer"))
        reviewers.append(user.pk)
    n_articles = 1 + max(1, (n_claims - BIG_ARTICLE_CLAIMS) // CLAIMS_PER_ARTICLE)
    stamp = now()
    pg = connection.connection  # psycopg 3
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        claim_indexes = drop_indexes(cursor, "claims_claim")
        link_indexes = drop_indexes(cursor, "claims_claimcitation")
    with pg.cursor() as cur:
        with cur.copy("COPY claims_source (name, aliases, domain, kind, reliability, grade, party_to_conflict, "
                      "reliability_basis, created_at, updated_at) FROM STDIN") as copy:  # fmt: skip
            for s in range(N_SOURCES):
                copy.write_row((f"Outlet {s}", "[]", f"outlet{s}.example", "newspaper", "no_consensus",
                                "ABCDEF"[s % 6], False, "", stamp, stamp))  # fmt: skip
        with cur.copy("COPY claims_article (id, title, url, language, licence, attribution, created_at, updated_at) "
                      "FROM STDIN") as copy:  # fmt: skip
            for a in range(1, n_articles + 1):
                copy.write_row((a, f"Synthetic offensive {a}", f"https://example.org/{a}", "en", "", "", stamp, stamp))
        with cur.copy("COPY claims_articlerevision (id, article_id, text, sha256, imported_at, report, imported_by_id, "
                      "format, source) FROM STDIN") as copy:  # fmt: skip
            for a in range(1, n_articles + 1):
                sha = f"{a:064x}"
                copy.write_row((a, a, ARTICLE_TEXT, sha, stamp, "{}", editor.pk, "text", ""))
        cur.execute("UPDATE claims_article SET current_revision_id = id")
        cur.execute("SELECT min(id) FROM claims_source")
        first_source = cur.fetchone()[0]
        with cur.copy("COPY claims_citation (id, article_id, label, kind, url, title, author, publisher, source_id, "
                      "archive_url, quote, identifiers, created_at, updated_at) FROM STDIN") as copy:  # fmt: skip
            for a in range(1, n_articles + 1):
                for c in range(CITATIONS_PER_ARTICLE):
                    cid = (a - 1) * CITATIONS_PER_ARTICLE + c + 1
                    source = first_source + (cid % N_SOURCES) if c % 10 < 7 else None
                    copy.write_row((cid, a, str(c + 1), "reference", f"https://news.example/{cid}", f"Report {cid}",
                                    "", "", source, "", "", "{}", stamp, stamp))  # fmt: skip
        started = time.perf_counter()
        reopened_ids: list[int] = []
        with cur.copy("COPY claims_claim (id, article_id, text, revision_id, paragraph_index, sentence_index, start, "
                      '"end", prefix, suffix, anchor_state, event_date, event_date_precision, event_date_origin, '
                      "event_date_phrase, hedge_kind, hedge_phrase, attributed_to, hedges, tags, status, confidence, "
                      "confidence_factors, confidence_override_reason, assigned_to_id, priority, created_by_id, "
                      "version, decided_at, reopened, created_at, updated_at, section) "
                      "FROM STDIN") as copy:  # fmt: skip
            for i in range(1, n_claims + 1):
                if i <= BIG_ARTICLE_CLAIMS:
                    article, position = 1, i
                else:
                    article = 2 + (i - BIG_ARTICLE_CLAIMS) % (n_articles - 1)
                    position = (i - BIG_ARTICLE_CLAIMS) // (n_articles - 1)
                status = STATUSES[rnd.randrange(len(STATUSES))]
                reopened = status == "in_review" and rnd.random() < 0.05
                if reopened:
                    reopened_ids.append(i)
                hedge = HEDGES[i % len(HEDGES)]
                is_open = status in ("unreviewed", "needs_source", "in_review")
                assignee = reviewers[i % N_REVIEWERS] if (status == "in_review" or rnd.random() < 0.03) else None
                event = dt.date(2024, 11, 1 + i % 28) if i % 3 else None
                copy.write_row((
                    i, article, claim_text(i, rnd), article, position // 5, position % 5, 0, 120, "", "",
                    "anchored" if i % 50 else "moved", event, "day" if event else "", "explicit" if event else "",
                    "", hedge, "reportedly" if hedge else "",
                    "the Syrian Observatory for Human Rights" if i % 20 == 0 else "", "[]",
                    '["dubious"]' if i % 20 == 7 else "[]", status, (i * 37) % 101, "[]", "", assignee,
                    rnd.randrange(4) if is_open else 0, editor.pk, 1, None if is_open else stamp, reopened,
                    stamp - dt.timedelta(seconds=n_claims - i), stamp - dt.timedelta(seconds=rnd.randrange(10**6)), "",
                ))  # fmt: skip
        with cur.copy("COPY claims_claimcitation (claim_id, citation_id, stance, info_grade, position, quote, note, "
                      "created_at) FROM STDIN") as copy:  # fmt: skip
            for i in range(1, n_claims + 1):
                article = 1 if i <= BIG_ARTICLE_CLAIMS else 2 + (i - BIG_ARTICLE_CLAIMS) % (n_articles - 1)
                base = (article - 1) * CITATIONS_PER_ARTICLE + 1
                n_links = HEAVY_CITATIONS if i == 1 else (2 if i == 2 else 1 + (i % 5 < 2))
                for k in range(n_links):
                    copy.write_row((i, base + (i + k * 7) % CITATIONS_PER_ARTICLE, "supports", 6, k, "", "", stamp))
        with cur.copy("COPY claims_claimrelation (claim_a_id, claim_b_id, kind, state, detector, evidence, score, "
                      "resolution, resolution_note, created_at, updated_at) FROM STDIN") as copy:  # fmt: skip
            pairs = {(1, 1 + k) for k in range(1, HEAVY_RELATIONS + 1)}
            while len(pairs) < N_RELATIONS:
                a = rnd.randrange(3, n_claims)
                pairs.add((a, a + 1 + rnd.randrange(20)) if a + 21 < n_claims else (a - 21, a))
            for a, b in pairs:
                copy.write_row((a, b, "conflicts", rnd.choice(["suggested", "confirmed", "dismissed"]),
                                "date_mismatch", "dates differ", 80, "", "", stamp - dt.timedelta(seconds=a),
                                stamp))  # fmt: skip
        with cur.copy("COPY claims_review (claim_id, reviewer_id, from_status, to_status, note, claim_version, "
                      "created_at, override_reason) FROM STDIN") as copy:  # fmt: skip
            for i in reopened_ids:
                copy.write_row((i, reviewers[i % N_REVIEWERS], "in_review", "verified", "checked", 1, stamp, ""))
        copied = time.perf_counter() - started
        started = time.perf_counter()
        for definition in claim_indexes + link_indexes:
            cur.execute(definition)
        for table in ("claims_claim", "claims_article", "claims_articlerevision", "claims_citation",
                      "claims_claimcitation", "claims_claimrelation", "claims_review", "claims_source"):  # fmt: skip
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    indexed = time.perf_counter() - started
    # This server runs with autovacuum off: after a bulk load the statistics and the visibility map must be made
    # current by hand, as an import job would (docs/benchmarks.md says so next to the figures).
    started = time.perf_counter()
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter() - started
    return {
        "lead": lead.pk,
        "reviewer": reviewers[0],
        "articles": n_articles,
        "copy_s": copied,
        "index_s": indexed,
        "vacuum_s": vacuumed,
        "heavy_claim": 1,
        "light_claim": 2,
        "source": first_source + 1,
        "far_page": min(500, n_claims // 100),  # page 500 where there is one (the admin numbers pages from 1)
    }


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_page(client, url: str, runs: int) -> dict:
    """p50/p95 of the whole request (Django test client), its query count, and the same SQL run raw."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    queries = [q["sql"] for q in ctx.captured_queries]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        samples.append(1000 * (time.perf_counter() - start))
    raw = []
    with connection.cursor() as cursor:
        for _ in range(max(3, runs // 2)):
            start = time.perf_counter()
            for sql in queries:
                if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "FETCH", "CLOSE")):
                    continue
                if sql.startswith("DECLARE"):  # a server-side cursor: run its query whole
                    sql = sql.split(" FOR ", 1)[1]
                cursor.execute(sql.replace("%", "%%"))
                if cursor.description:
                    cursor.fetchall()
            raw.append(1000 * (time.perf_counter() - start))
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "queries": len(queries),
        "sql": statistics.median(raw),
    }


def first_byte(client, url: str) -> float:
    """Seconds to the first byte of a streamed export; the rest is not read (closing the stream ends the query)."""
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    stream = iter(response.streaming_content)
    next(stream)
    first = time.perf_counter() - start
    response.close()
    return first


def list_views(ids: dict) -> list[tuple[str, str]]:
    from claims.admin.claim import ClaimAdmin

    views = [
        ("default (article, paragraph, sentence)", ""),
        (f"page {ids['far_page']}", f"?p={ids['far_page']}"),
        ("queue: mine", "?queue=mine"),
        ("queue: desk (unassigned)", "?queue=desk"),
        ("queue: all open", "?queue=open"),
        ("status = unreviewed", "?status__exact=unreviewed"),
        ("status = refuted", "?status__exact=refuted"),
        ("hedge = reported", "?hedge_kind__exact=reported"),
        ("confidence band: low", "?band=low"),
        ("tag: dubious", "?tag=dubious"),
        ("cited source", f"?source={ids['source']}"),
        ("anchor state: moved", "?anchor_state__exact=moved"),
        ("reopened", "?reopened=1"),
        ("reopened: mine", "?reopened=mine"),
        ("article", "?article__id__exact=7"),
        ('search "observatory"', "?q=observatory"),
        ('search "heavy fighting"', "?q=%22heavy+fighting%22"),
        ('search "aleppo airport"', "?q=aleppo+airport"),
    ]
    columns = ["action_checkbox", *ClaimAdmin.list_display]
    admin = ClaimAdmin.__dict__
    for index, name in enumerate(columns):
        method = admin.get(name)
        order = getattr(method, "admin_order_field", None) if method else (name if name != "action_checkbox" else None)
        if order:
            views.append((f"sort by {order}", f"?o={index}"))
            views.append((f"sort by {order}, descending", f"?o=-{index}"))
    return views


def report_rss(article_id: int) -> None:
    """Child process: render the big article's report page once, print seconds and the peak RSS it added (MB)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    def hwm_kb() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-lead"))
    client.get("/admin/")  # warm the imports, the session and the templates
    before = hwm_kb()
    start = time.perf_counter()
    response = client.get(f"/articles/{article_id}/report/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - start
    print(json.dumps({"s": seconds, "rss_mb": (hwm_kb() - before) / 1024, "bytes": len(body),
                      "status": response.status_code}))  # fmt: skip


def run(n_claims: int, runs: int) -> dict:
    fresh_database(BENCH_DB)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True, env=os.environ)  # noqa: S603
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from claims.exports import formats

    connection.close()
    started = time.perf_counter()
    ids = build(n_claims)
    built = time.perf_counter() - started
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(pk=ids["lead"]))
    pages = []
    for label, query in list_views(ids):
        url = "/admin/claims/claim/" + query
        pages.append(("claim list: " + label, url, measure_page(client, url, runs)))
    for label, pk in (("claim page: 60 citations, 40 relations", ids["heavy_claim"]),
                      ("claim page: 2 citations", ids["light_claim"])):  # fmt: skip
        url = f"/admin/claims/claim/{pk}/change/"
        pages.append((label, url, measure_page(client, url, runs)))
    pages.append(("dashboard (admin index)", "/admin/", measure_page(client, "/admin/", runs)))
    url = "/admin/claims/claimrelation/"
    pages.append((f"relations list ({N_RELATIONS:,} relations)", url, measure_page(client, url, runs)))
    exports = []
    for fmt in formats.FORMATS:
        url = f"/exports/claims.{fmt}"
        samples = sorted(first_byte(client, url) for _ in range(3))
        exports.append((fmt, samples[1], samples[-1]))
    connection.close()
    child = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--report-only", "1"], capture_output=True, text=True, env=os.environ, check=True
    )
    report = json.loads(child.stdout.strip().splitlines()[-1])
    return {"n": n_claims, "ids": ids, "built": built, "pages": pages, "exports": exports, "report": report}


TARGETS = {"claim list": (100, 250), "claim page": (150, None), "dashboard": (100, None), "relations": (150, None)}


def target_of(label: str) -> tuple[int | None, int | None]:
    for prefix, target in TARGETS.items():
        if label.startswith(prefix):
            return target
    return None, None


def render(results: list[dict]) -> str:
    sizes = " and ".join(f"{r['n']:,}" for r in results)
    out = [
        f"`bench/admin_bench.py`: synthetic desks of {sizes} claims written with raw `COPY` (claims, 1.4 citation "
        f"links per claim, {N_RELATIONS:,} relations, {N_SOURCES} sources, {CITATIONS_PER_ARTICLE} citations per "
        f"article, one {BIG_ARTICLE_CLAIMS:,}-claim article), then `VACUUM ANALYZE` (this server runs with "
        "autovacuum off). Pages through Django's test client signed in as a superuser, warm cache, PostgreSQL 15, "
        "2 cores shared with other work, under `nice -n 10`. *SQL* is the same page's captured queries run raw in "
        "the same run (the baseline): the rest of a page's time is Django rendering it.",
        "",
    ]
    for r in results:
        ids = r["ids"]
        out += [
            f"### {r['n']:,} claims",
            "",
            f"Built in {r['built']:.0f} s (COPY {ids['copy_s']:.0f} s, indexes {ids['index_s']:.0f} s, VACUUM ANALYZE "
            f"{ids['vacuum_s']:.0f} s), {ids['articles']} articles.",
            "",
            "| page | p50 | p95 | queries | SQL (baseline) | page / SQL | target p50 / p95 |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, _url, m in r["pages"]:
            p50_target, p95_target = target_of(label)
            target = (
                "" if p50_target is None else f"≤ {p50_target} ms" + (f" / ≤ {p95_target} ms" if p95_target else "")
            )
            ok = ""
            if p50_target is not None:
                ok = " ✓" if m["p50"] <= p50_target and (p95_target is None or m["p95"] <= p95_target) else " ✗"
            out.append(
                f"| {label} | {m['p50']:.0f} ms | {m['p95']:.0f} ms | {m['queries']} | {m['sql']:.1f} ms "
                f"| {m['p50'] / max(m['sql'], 0.1):.1f}× | {target}{ok} |"
            )
        out += ["", "| export (unfiltered, all claims) | first byte, median of 3 | slowest of 3 | target |",
                "|---|---|---|---|"]  # fmt: skip
        for fmt, first, slowest in r["exports"]:
            out.append(f"| {fmt} | {first:.2f} s | {slowest:.2f} s | ≤ 1 s{' ✓' if slowest <= 1 else ' ✗'} |")
        rep = r["report"]
        out += [
            "",
            f"Article report page of the {BIG_ARTICLE_CLAIMS:,}-claim article: {rep['s']:.2f} s, "
            f"{rep['bytes'] / 1e6:.1f} MB of HTML, peak RSS +{rep['rss_mb']:.0f} MB (targets ≤ 2 s, ≤ 50 MB).",
            "",
        ]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--report-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report_only:  # DATABASE_URL already names the bench database here
        report_rss(args.report_only)
        return
    os.environ.update({k: v for k, v in PRODUCTION_LIKE.items() if k not in os.environ})
    results = []
    for n in args.claims:
        # Each size in its own process: Django's connection and settings are set up once per process.
        child = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--size-only", str(n), "--runs", str(args.runs)],
            capture_output=True, text=True, env=os.environ,
        )  # fmt: skip
        if child.returncode:
            sys.stderr.write(child.stdout + child.stderr)
            raise SystemExit(child.returncode)
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    text = render(results)
    print(text)
    write_section("Admin, exports and the report page at 100k and 1M claims", text)


def size_only() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-only", type=int)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(run(args.size_only, args.runs)))


if __name__ == "__main__":
    if "--size-only" in sys.argv:
        size_only()
    else:
        main()
