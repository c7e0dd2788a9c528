"""Export speed and memory (issue 7): 1,000,000 synthetic claims exported as CSV through the command and
through the URL, against PostgreSQL's own `COPY (SELECT …) TO STDOUT` of the same columns, in one run.

Run: make bench (or: DATABASE_URL=postgres://… .venv/bin/python bench/export_bench.py [--claims N] [--keep])

- Uses its own database (tracker_bench_exports), created here, filled with INSERT … SELECT generate_series
  (1M claims, ~1.5M claim–citation links, the reviews of the decided ones), dropped at the end unless
  --keep (a kept database is reused when it already holds N claims).
- Baseline: `psql -c "COPY (<the CSV's SELECT, unescaped>) TO STDOUT WITH (FORMAT csv)"`, output read
  from a pipe and counted. Also shown: the same COPY read in Python through psycopg.
- Command: `manage.py export_claims --format csv` in a subprocess, stdout read from a pipe; peak RSS from
  wait4(); growth = peak of the full export − peak of an empty export (same process start-up).
- URL: `manage.py runserver --noreload` (DEBUG off) in a subprocess, GET /exports/claims.csv with a
  session cookie; RSS of the server sampled from /proc every 10 ms; growth = peak during − before.
- Writes the figures under "## Export (issue 7)" in docs/benchmarks.md (other sections untouched).
Targets (issue 7): throughput ≥ 1/3 of COPY's; resident-memory growth < 100 MB.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import socket
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
BENCH_DB = "tracker_bench_exports"
BENCH_URL = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
MB = 1024 * 1024
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
    "DATABASE_URL": BENCH_URL,
    "DEBUG": "0",  # as deployed: no query log
    "SECRET_KEY": "bench-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
}

DECIDED = "('verified','disputed','refuted','unverifiable')"
GENERATE = (
    """
TRUNCATE claims_claimrelation, claims_review, claims_claimcitation, claims_claim, claims_citation,
         claims_articlerevision, claims_article, claims_source RESTART IDENTITY CASCADE;

INSERT INTO claims_source (name, aliases, domain, kind, reliability, grade, party_to_conflict, reliability_basis,
                           created_at, updated_at)
SELECT 'Source ' || i, '[]', 'source' || i || '.example',
       (ARRAY['newspaper','news_agency','monitor','state_media','broadcaster'])[1 + i % 5],
       'generally_reliable', (ARRAY['A','B','C','D','E','F'])[1 + i % 6], false, '', now(), now()
FROM generate_series(1, 50) i;

INSERT INTO claims_article (title, url, language, licence, attribution, created_at, updated_at)
SELECT 'Synthetic offensive ' || i, 'https://example.org/wiki/Synthetic_offensive_' || i, 'en', 'CC BY-SA 4.0', '',
       now(), now()
FROM generate_series(1, $articles) i;

INSERT INTO claims_articlerevision (article_id, text, sha256, imported_at, report)
SELECT id, 'Synthetic offensive ' || id || E'\\nOn 27 November 2024, something happened. [1]\\n',
       encode(sha256(('revision ' || id)::bytea), 'hex'), now(), '{}'
FROM claims_article;
UPDATE claims_article a SET current_revision_id = r.id FROM claims_articlerevision r WHERE r.article_id = a.id;

INSERT INTO claims_citation (article_id, label, kind, url, title, author, publisher, source_id, published, accessed,
                             archive_url, quote, identifiers, created_at, updated_at)
SELECT a.id, g::text, 'reference', 'https://news' || (g % 50) || '.example/' || a.id || '/' || g,
       CASE WHEN g % 97 = 0 THEN '=Report ' ELSE 'Report ' END || g || ' on the fighting near town ' || (g * 7 % 400),
       CASE WHEN g % 3 = 0 THEN 'Doe, Jane' ELSE '' END, '', 1 + g % 50,
       date '2024-11-26' + (g % 14), date '2024-12-20', '', '', '{}', now(), now()
FROM claims_article a CROSS JOIN generate_series(1, $citations) g;

INSERT INTO claims_claim (article_id, text, revision_id, paragraph_index, sentence_index, start, "end", prefix, suffix,
                          anchor_state, event_date, event_date_precision, event_date_origin, event_date_phrase,
                          hedge_kind, hedge_phrase, attributed_to, hedges, tags, status, confidence,
                          confidence_factors, confidence_override, confidence_override_reason, priority, version,
                          decided_at, created_at, updated_at)
SELECT 1 + i % $articles,
       CASE WHEN i % 1000 = 0 THEN '=' ELSE '' END
       || 'On ' || (26 + i % 5) || ' November 2024, opposition forces captured the village of Kafr Batikh' || i
       || ' after heavy fighting, and ' || substr(md5(i::text), 1, 12) || ' units withdrew towards Saraqib.',
       1 + i % $articles, (i / $articles) / 8, (i / $articles) % 8, 0, 150, '', '', 'anchored',
       date '2024-11-26' + (i % 12), 'day', 'explicit', '',
       CASE i % 10 WHEN 0 THEN 'reported' WHEN 1 THEN 'alleged' ELSE '' END,
       CASE i % 10 WHEN 0 THEN 'reportedly' WHEN 1 THEN 'allegedly' ELSE '' END,
       CASE i % 10 WHEN 0 THEN 'the Syrian Observatory for Human Rights' ELSE '' END,
       '[]', CASE WHEN i % 10 = 3 THEN '["citation_needed"]'::jsonb ELSE '[]'::jsonb END,
       (ARRAY['unreviewed','needs_source','in_review','verified','disputed','refuted','unverifiable'])[1 + i % 7],
       i % 101, '[]', CASE WHEN i % 50 = 0 THEN 90 END, '', 0, 1 + i % 3,
       CASE WHEN i % 7 >= 3 THEN now() END, now(), now()
FROM generate_series(1, $claims) i;

INSERT INTO claims_claimcitation (claim_id, citation_id, stance, info_grade, position, quote, note, created_at)
SELECT c.id, ci.id, CASE WHEN c.id % 11 = 0 THEN 'contradicts' ELSE 'supports' END, 1 + c.id % 6, 140, '', '', now()
FROM claims_claim c JOIN claims_citation ci
     ON ci.article_id = c.article_id AND ci.label = (1 + c.id % $citations)::text;
INSERT INTO claims_claimcitation (claim_id, citation_id, stance, info_grade, position, quote, note, created_at)
SELECT c.id, ci.id, 'supports', 3, 141, '', '', now()
FROM claims_claim c JOIN claims_citation ci
     ON ci.article_id = c.article_id AND ci.label = (1 + (c.id * 7) % $citations)::text
WHERE c.id % 2 = 0 AND (c.id * 7) % $citations <> c.id % $citations;

INSERT INTO claims_review (claim_id, reviewer_id, from_status, to_status, note, claim_version, created_at)
SELECT id, $reviewer, 'in_review', status, 'Checked against two sources (' || id || ').', version, now()
FROM claims_claim WHERE status IN """
    + DECIDED
    + """;

INSERT INTO claims_claimrelation (claim_a_id, claim_b_id, kind, state, detector, evidence, resolution,
                                  resolution_note, created_at, updated_at)
SELECT g, g + 1, 'conflicts', 'suggested', 'date_mismatch', 'dates differ', '', '', now(), now()
FROM generate_series(1, least(20000, $claims) - 1, 2) g;
"""
)


# ---- the database -------------------------------------------------------------------------------------------
def ensure_database() -> None:
    import psycopg

    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin_url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def manage(*args: str) -> None:
    subprocess.run([PYTHON, MANAGE, *args], env=ENV, check=True, stdout=subprocess.DEVNULL)


def generate(n_claims: int, reviewer_id: int) -> float:
    from django.db import connection, transaction

    articles = 20
    params = {"claims": n_claims, "articles": articles, "citations": 500, "reviewer": reviewer_id}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for statement in GENERATE.split(";\n"):
            if statement.strip():
                cursor.execute(string.Template(statement).substitute(params))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in ("claims_claim", "claims_claimcitation", "claims_review", "claims_citation"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            out[table] = cursor.fetchone()[0]
    return out


# ---- measurements -------------------------------------------------------------------------------------------
def rate(nbytes: int, seconds: float) -> float:
    return nbytes / MB / seconds


BARE = "SELECT * FROM claims_claim ORDER BY article_id, paragraph_index, sentence_index, id"


def baseline_psql(sql: str | None = None) -> dict:
    """PostgreSQL's own COPY of the CSV's columns (no escaping), through psql, counted from a pipe."""
    from django.db import connection

    from claims.exports import ExportFilter, query

    params: list = []
    if sql is None:
        sql, params = query.csv_columns_select(ExportFilter())
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
    started = time.perf_counter()
    proc = subprocess.Popen(["psql", BENCH_URL, "-X", "-q", "-c", statement], stdout=subprocess.PIPE)
    nbytes = drain(proc.stdout)
    if proc.wait() != 0:
        raise RuntimeError("psql COPY failed")
    seconds = time.perf_counter() - started
    return {"bytes": nbytes, "seconds": seconds, "mb_s": rate(nbytes, seconds)}


def baseline_psycopg() -> dict:
    """The escaped export SELECT through COPY, read row by row in Python (what the export does inside)."""
    from django.db import connection, transaction

    from claims.exports import ExportFilter, query

    sql, params = query.csv_select(ExportFilter())
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
    started = time.perf_counter()
    nbytes = 0
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in copy:
            nbytes += len(row)
    seconds = time.perf_counter() - started
    return {"bytes": nbytes, "seconds": seconds, "mb_s": rate(nbytes, seconds)}


def drain(stream) -> int:
    nbytes = 0
    while block := stream.read(MB):
        nbytes += len(block)
    return nbytes


def command(*args: str) -> dict:
    """export_claims in a subprocess: bytes on stdout, wall time, peak RSS (wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, MANAGE, "export_claims", *args], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    nbytes = drain(proc.stdout)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"export_claims {' '.join(args)} exited {proc.returncode}")
    return {"bytes": nbytes, "seconds": seconds, "mb_s": rate(nbytes, seconds), "peak_rss_mb": usage.ru_maxrss / 1024}


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Viewer"))
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def url(path: str, runs: int = 1) -> dict:
    """GET the export from a real runserver; the server's RSS is sampled while it streams."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cookie = session_cookie()
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        def get(target: str) -> tuple[int, float]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            started = time.perf_counter()
            conn.request("GET", target, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
            response = conn.getresponse()
            if response.status != 200:
                raise RuntimeError(f"GET {target}: {response.status} {response.read()[:300]!r}")
            nbytes = drain(response)
            conn.close()
            return nbytes, time.perf_counter() - started

        get("/exports/claims.csv?q=zzzz-no-such-claim")  # warm up: imports, first connection
        before = rss_mb(server.pid)
        peak = before
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, rss_mb(server.pid))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        nbytes, seconds = get(path)
        stop.set()
        sampler.join()
        return {
            "bytes": nbytes,
            "seconds": seconds,
            "mb_s": rate(nbytes, seconds),
            "rss_before_mb": before,
            "rss_peak_mb": peak,
            "growth_mb": peak - before,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---- report -------------------------------------------------------------------------------------------------
def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    return f"{os.cpu_count()} cores, {memory} GB RAM, PostgreSQL {pg}, Python {platform.python_version()}"


def section(r: dict) -> str:
    copy = r["copy_psql"]["mb_s"]
    cmd, web = r["command"], r["url"]
    cmd_growth = cmd["peak_rss_mb"] - r["command_empty"]["peak_rss_mb"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [
        ("PostgreSQL `COPY (SELECT …) TO STDOUT` via psql (baseline)", r["copy_psql"], "—"),
        ("same COPY, escaped SELECT, read in Python (psycopg)", r["copy_psycopg"], "—"),
        ("`manage.py export_claims --format csv` (stdout → pipe)", cmd, f"{cmd_growth:.0f} MB"),
        ("`GET /exports/claims.csv` (runserver, DEBUG off)", web, f"{web['growth_mb']:.0f} MB"),
    ]
    lines = [
        "## Export (issue 7)",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/export_bench.py` on this machine ({r['machine']}).",
        f"Data: {r['counts']['claims_claim']:,} claims, {r['counts']['claims_claimcitation']:,} claim–citation "
        f"links, {r['counts']['claims_review']:,} reviews, {r['counts']['claims_citation']:,} citations "
        + (
            f"(generated in {r['generate_s']:.0f} s with INSERT … SELECT generate_series). "
            if r["generate_s"]
            else "(generated by an earlier run with INSERT … SELECT generate_series, kept with --keep). "
        )
        + f"CSV of everything: {r['command']['bytes'] / MB:.0f} MB.",
        "",
        "| path | MB | seconds | MB/s | × COPY | RSS growth |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, m, growth in rows:
        lines.append(
            f"| {label} | {m['bytes'] / MB:.0f} | {m['seconds']:.1f} | {m['mb_s']:.1f} "
            f"| {m['mb_s'] / copy:.2f} | {growth} |"
        )
    lines += [
        "",
        f"- Throughput target (≥ 1/3 of COPY): command {cmd['mb_s'] / copy:.2f}× — {verdict(cmd['mb_s'] >= copy / 3)}; "
        f"URL {web['mb_s'] / copy:.2f}× — {verdict(web['mb_s'] >= copy / 3)}.",
        f"- Memory target (growth < 100 MB): command peak {cmd['peak_rss_mb']:.0f} MB vs "
        f"{r['command_empty']['peak_rss_mb']:.0f} MB for an empty export — {verdict(cmd_growth < 100)}; server "
        f"{web['rss_before_mb']:.0f} → {web['rss_peak_mb']:.0f} MB while streaming — "
        f"{verdict(web['growth_mb'] < 100)}.",
        "- The command's wall time includes Django's start-up; the URL's includes HTTP through Django's dev server.",
        "- Both exports run the same `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)` (claims/exports/query.py) with "
        "formula escaping in SQL, streamed in 64 KiB blocks inside `transaction.atomic()`.",
        f"- What bounds the absolute speed is the SELECT itself, not the streaming: per claim it aggregates the "
        f"citations with their sources and finds the last review (about five index probes). For scale, a COPY of "
        f"the bare claim table in the same order ({r['bare']['bytes'] / MB:.0f} MB) ran at "
        f"{r['bare']['mb_s']:.0f} MB/s.",
    ]
    if "jsonl" in r:
        j = r["jsonl"]
        lines.append(
            f"- For comparison, JSON Lines through the row builder (chunks of 2,000 claims, 1 + 3 queries per chunk): "
            f"{j['bytes'] / MB:.0f} MB in {j['seconds']:.0f} s, {j['mb_s']:.1f} MB/s, "
            f"peak RSS {j['peak_rss_mb']:.0f} MB."
        )
    return "\n".join(lines) + "\n"


def write_section(text: str) -> Path:
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Export \(issue 7\)\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(exist_ok=True)
    path.write_text(updated)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database (and reuse it next time)")
    parser.add_argument("--jsonl", action="store_true", help="also time JSON Lines through the command")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave docs/benchmarks.md alone")
    args = parser.parse_args()

    ensure_database()
    os.environ.update(ENV)
    manage("migrate", "--noinput")
    manage("loaddata", "groups")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    results: dict = {"generate_s": 0.0}
    try:
        if counts()["claims_claim"] != args.claims:
            reviewer, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
            print(f"generating {args.claims:,} claims …", flush=True)
            results["generate_s"] = generate(args.claims, reviewer.pk)
        results["counts"] = counts()
        results["machine"] = machine()
        print("COPY baseline (psql) …", flush=True)
        results["copy_psql"] = baseline_psql()
        results["bare"] = baseline_psql(BARE)
        print("COPY in Python (psycopg) …", flush=True)
        results["copy_psycopg"] = baseline_psycopg()
        print("command …", flush=True)
        results["command_empty"] = command("--format", "csv", "--search", "zzzz-no-such-claim")
        results["command"] = command("--format", "csv")
        print("URL …", flush=True)
        results["url"] = url("/exports/claims.csv")
        if args.jsonl:
            print("command, JSON Lines …", flush=True)
            results["jsonl"] = command("--format", "jsonl")
    finally:
        if not args.keep:
            drop_database()
    text = section(results)
    print(text)
    if not args.no_write:
        print(f"written to {write_section(text)}")


if __name__ == "__main__":
    main()
