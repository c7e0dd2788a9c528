"""The wikitext, Wikipedia HTML and news readers on real saved pages: references on the right sentence,
citations with a URL, URLs matched to a source, import time; news pages' title, date, publisher, clean text.

Run: make bench (or: DATABASE_URL=postgres://… nice -n 10 .venv/bin/python bench/readers_bench.py)
Uses its own database (tracker_bench_readers), created by the script.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import fresh_database, write_section  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BENCH_DB = "tracker_bench_readers"

WIKI_PAGES = [
    ("United Kingdom (wikitext)", "fixtures/articles/united_kingdom.wikitext", "wikitext", "United Kingdom"),
    ("Toronto Star (wikitext)", "fixtures/articles/toronto_star.wikitext", "wikitext", "Toronto Star"),
    ("Mozilla (desktop HTML)", "fixtures/articles/mozilla.wikipedia.html", "html", ""),
]
NEWS_PAGES = ["bbc-1", "cnn", "nytimes-1", "telegraph", "wapo-1"]
FURNITURE = re.compile(
    r"continue reading|advertisement|share this|sign up|newsletter|most popular|comments|cookie|skip to", re.I
)
MARKER = re.compile(r"\[(\d{1,4}|[a-z]|note \d+)\]")


def marker_placement(parsed) -> tuple[int, int]:
    """(markers whose preceding words are in the sentence they were attached to, markers in the text).

    The words right before a marker in the page (up to 40 characters of prose, other markers removed) must be
    in the sentence the parser attached the marker to: a marker attached to the next sentence, or to a
    sentence cut in the wrong place, fails."""
    right = total = 0
    for paragraph in parsed.paragraphs:
        owners = {}
        for sentence in paragraph.sentences:
            for marker in sentence.markers:
                owners.setdefault(marker.label, []).append(sentence)
        for match in MARKER.finditer(paragraph.text):
            total += 1
            before = MARKER.sub("", paragraph.text[: match.start()])
            before = re.sub(r"\[[^\]]*\]", "", before)  # cleanup tags
            words = " ".join(before.split()[-6:])[-40:].strip()
            for sentence in owners.get(match.group(1), []):
                if sentence.start <= match.start() < sentence.end + 1 and (not words or words in sentence.text):
                    right += 1
                    break
    return right, total


def main() -> int:
    fresh_database(BENCH_DB)
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from claims.importing.detect import read_article
    from claims.importing.news import parse_news
    from claims.models import Citation
    from claims.services.importing import article_import

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    editor = User.objects.create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Editor"))

    rows = []
    for name, path, fmt, title in WIKI_PAGES:
        text = (ROOT / path).read_text(encoding="utf-8")
        parsed = read_article(text, format=fmt, title=title)
        right, total = marker_placement(parsed)
        times, cpu = [], []
        for _ in range(3):  # dry runs: the whole import, rolled back
            started, started_cpu = time.perf_counter(), time.process_time()
            article_import(text=text, title=title or None, actor=editor, format=fmt, dry_run=True)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        report = article_import(text=text, title=title or None, actor=editor, format=fmt)
        citations = Citation.objects.filter(article_id=report.article_id, kind="reference")
        with_url = citations.exclude(url="", archive_url="")
        matched = with_url.filter(source__isnull=False)
        n_refs = citations.count()
        rows.append(
            f"| {name} | {len(text.encode()) // 1024} KiB | {n_refs} | {right}/{total} = {100 * right / total:.1f}% "
            f"| {with_url.count()}/{n_refs} = {100 * with_url.count() / n_refs:.1f}% "
            f"| {matched.count()}/{with_url.count()} = {100 * matched.count() / max(1, with_url.count()):.1f}% "
            f"| {len(report.sources_created)} | {report.created} | {statistics.median(times):.2f} s "
            f"({min(times):.2f} s) | {statistics.median(cpu):.2f} s |"
        )
        print(rows[-1], flush=True)

    news_rows = []
    for page in NEWS_PAGES:
        html = (ROOT / "tests/importing/pages" / f"news-{page}.html").read_text(encoding="utf-8")
        started = time.perf_counter()
        parsed = parse_news(html)
        elapsed = time.perf_counter() - started
        dirty = [p.text[:40] for p in parsed.paragraphs if FURNITURE.search(p.text[:60])]
        meta = parsed.meta
        news_rows.append(
            f"| {page} | {parsed.title[:48]} | {meta.published or '—'} | {meta.publisher or '—'} "
            f"| {meta.author or '—'} | {len(parsed.paragraphs)} | {len(parsed.references)} "
            f"| {len(dirty)} | {elapsed * 1000:.0f} ms |"
        )
        print(news_rows[-1], flush=True)

    write_section(
        "Readers: wikitext, Wikipedia HTML and news pages (issue 13)",
        ABOUT.format(
            wiki="\n".join(rows), news="\n".join(news_rows), load=", ".join(f"{x:.1f}" for x in os.getloadavg())
        ),
    )
    return 0


ABOUT = """\
`bench/readers_bench.py` (`make bench`, run under `nice -n 10`), 2 cores, PostgreSQL 15, in its own database
with the source registry loaded. Real pages shipped in `fixtures/articles/` (see ATTRIBUTION.md).

- **right sentence**: of the citation markers the reader placed in the text, those whose preceding words
  (up to 40 characters of prose) are in the sentence the marker was attached to. Targets: ≥ 99%.
- **with a URL**: citations of kind reference (lettered notes such as `[a]` excluded: they are the article's
  own remarks) with a URL or an archive URL. Target ≥ 95%.
- **matched**: of those, the ones linked to a Source: in the registry by domain (subdomains and `www.` folded,
  archive.org / archive.today unwrapped), by publisher name, or a new source created for an unknown domain
  (reliability unknown). Target ≥ 90%.
- **import**: the whole import (read, parse, citations and sources, claims with confidence, conflict
  detection): median (and fastest) of three dry runs, rolled back. Target for a 300 KB wikitext page with ~400
  references: under 3 s. The machine is shared: load average when this table was written: {load} (2 cores),
  so wall times are inflated by the other work; **CPU** is the importing process's own CPU time (median),
  which excludes PostgreSQL's share of the work but not the contention.

| page | size | references | right sentence | with a URL | matched | new sources | claims | import (fastest) | CPU |
|---|---|---|---|---|---|---|---|---|---|
{wiki}

- The United Kingdom page (2017 wikitext) misses the 95% URL target: the references without a URL are printed
  books and papers cited with an ISBN only (`{{{{cite book}}}}` without `url=`) and plain-text notes. A DOI becomes
  its doi.org URL; nothing else is invented. Every citation that has a URL is linked to a source.
- Where an import's time goes (UK page, profiled at load average ~5): reading the wikitext 0.3–0.4 s, parsing the
  rendered text into sentences ~0.1 s, citations and new sources ~0.3 s (bulk inserts with history), claims with
  their history rows and confidence ~0.6 s, conflict detection over the new claims ~0.5–0.9 s. Un-niced at load
  average ~5 the whole import took 1.3 s (no detection) to 2.0 s (with it).

News pages (`tests/importing/pages/`, from Mozilla Readability's test pages): title, publication date and
publisher from the page's metadata; "furniture" counts paragraphs that start with navigation, advertising,
sharing, newsletter or comment text (target 0).

| page | title | published | publisher | byline | paragraphs | links → citations | furniture | read |
|---|---|---|---|---|---|---|---|---|
{news}
"""

if __name__ == "__main__":
    sys.exit(main())
