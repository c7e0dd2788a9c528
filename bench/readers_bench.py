"""The wikitext, Wikipedia HTML and news readers on real saved pages: references on the right sentence,
URL recall (the links the page's source gives that the citations keep), citations with a URL, URLs matched to a
source, import time; news pages' title, date, publisher, clean text. The same figures on held-out pages
(tests/importing/pages/heldout/) that the readers' rules were not written against.

Run: make bench (or: DATABASE_URL=postgres://… nice -n 10 .venv/bin/python bench/readers_bench.py)
Uses its own database (tracker_bench_readers, or $READERS_BENCH_DB), created by the script.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from benchdb import fresh_database, write_section  # noqa: E402
from source_links import url_recall  # noqa: E402

from claims.importing.segment import find_annotations  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
BENCH_DB = os.environ.get("READERS_BENCH_DB", "tracker_bench_readers")

WIKI_PAGES = [
    ("United Kingdom (wikitext)", "fixtures/articles/united_kingdom.wikitext", "wikitext", "United Kingdom"),
    ("Toronto Star (wikitext)", "fixtures/articles/toronto_star.wikitext", "wikitext", "Toronto Star"),
    ("Mozilla (desktop HTML)", "fixtures/articles/mozilla.wikipedia.html", "html", ""),
    ("Dog (Parsoid HTML)", "fixtures/articles/dog.parsoid.html", "html", ""),
]
HELDOUT = "tests/importing/pages/heldout"
HELDOUT_PAGES = [
    ("Anarchism (wikitext)", f"{HELDOUT}/anarchism.wikitext", "wikitext", "Anarchism"),
    ("Ibn al-Haytham (wikitext, {{harvnb}})", f"{HELDOUT}/ibn_al_haytham.wikitext", "wikitext", "Ibn al-Haytham"),
    ("Harry McPherson (wikitext)", f"{HELDOUT}/harry_mcpherson.wikitext", "wikitext", "Harry McPherson"),
    ("New Zealand (desktop HTML)", f"{HELDOUT}/new_zealand.wikipedia.html", "html", ""),
    ("United States (Parsoid HTML)", f"{HELDOUT}/united_states.parsoid.html", "html", ""),
]
NEWS_PAGES = ["bbc-1", "cnn", "nytimes-1", "telegraph", "wapo-1"]
# A marker as the page prints it; a letter glued to the word after it is a quotation's "[t]he", not a marker.
MARKER = re.compile(r"\[(\d{1,4}|[a-z]|(?:note|nb|n) \d+)\](?![a-z])")
# A full stop, question or exclamation mark (closing quotes allowed) before a capital: where a sentence ends.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(]?[A-Z])")
FURNITURE = re.compile(
    r"continue reading|advertisement|share this|sign up|newsletter|most popular|comments|cookie|skip to", re.I
)


def marker_placement(parsed) -> tuple[int, int]:
    """(markers whose preceding words are in the sentence they were attached to, markers in the text).

    The words right before a marker in the page (up to 40 characters of prose, other markers removed, from the
    last sentence end among them on: "… or harmful. While anti-statism is central,[11]" checks "While
    anti-statism is central,") must be in the sentence the parser attached the marker to: a marker attached to
    the next sentence, or to a sentence cut in the wrong place, fails."""
    right = total = 0
    for paragraph in parsed.paragraphs:
        owners = {}
        for sentence in paragraph.sentences:
            for marker in sentence.markers:
                owners.setdefault(marker.label, []).append(sentence)
        for match in MARKER.finditer(paragraph.text):
            total += 1
            before = paragraph.text[: match.start()]
            for annotation in reversed(find_annotations(before)):  # markers and cleanup tags, not "[sic]"
                before = before[: annotation.start] + before[annotation.end :]
            words = " ".join(before.split()[-6:])[-40:].strip()
            words = SENTENCE_END.split(words)[-1].strip()
            for sentence in owners.get(match.group(1), []):
                if sentence.start <= match.start() < sentence.end + 1 and (not words or words in sentence.text):
                    right += 1
                    break
    return right, total


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / max(1, whole):.1f}%"


def main() -> int:
    fresh_database(BENCH_DB)
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db.models import Q

    from claims.importing.detect import read_article
    from claims.importing.news import parse_news
    from claims.models import Citation
    from claims.services.importing import article_import

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    editor = User.objects.create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="Editor"))

    def measure(pages) -> list[str]:
        rows, totals = [], Counter()
        for name, path, fmt, title in pages:
            text = (ROOT / path).read_text(encoding="utf-8")
            parsed = read_article(text, format=fmt, title=title)
            right, total = marker_placement(parsed)
            kept, given = url_recall(text, fmt, parsed.references)
            times, cpu = [], []
            for _ in range(3):  # dry runs: the whole import, rolled back
                started, started_cpu = time.perf_counter(), time.process_time()
                article_import(text=text, title=title or None, actor=editor, format=fmt, dry_run=True)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            report = article_import(text=text, title=title or None, actor=editor, format=fmt)
            citations = Citation.objects.filter(article_id=report.article_id, kind="reference")
            with_url = citations.exclude(url="", archive_url="")
            url_or_isbn = citations.filter(~Q(url="", archive_url="") | Q(identifiers__has_key="isbn"))
            matched = with_url.filter(source__isnull=False)
            n = {"refs": citations.count(), "url": with_url.count(), "isbn": url_or_isbn.count()}
            n.update(matched=matched.count(), kept=kept, given=given)
            totals.update(n)
            rows.append(
                f"| {name} | {len(text.encode()) // 1024} KiB | {n['refs']} | {share(right, total)} "
                f"| {share(kept, given)} | {share(n['url'], n['refs'])} | {share(n['isbn'], n['refs'])} "
                f"| {share(n['matched'], n['url'])} | {len(report.sources_created)} | {report.created} "
                f"| {statistics.median(times):.2f} s ({min(times):.2f} s) | {statistics.median(cpu):.2f} s |"
            )
            print(rows[-1], flush=True)
        rows.append(
            f"| **all {len(pages)} pages** | | {totals['refs']} | | {share(totals['kept'], totals['given'])} "
            f"| {share(totals['url'], totals['refs'])} | {share(totals['isbn'], totals['refs'])} "
            f"| {share(totals['matched'], totals['url'])} | | | | |"
        )
        print(rows[-1], flush=True)
        return rows

    rows = measure(WIKI_PAGES)
    heldout_rows = measure(HELDOUT_PAGES)

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
            wiki="\n".join(rows),
            heldout="\n".join(heldout_rows),
            news="\n".join(news_rows),
            load=", ".join(f"{x:.1f}" for x in os.getloadavg()),
        ),
    )
    return 0


ABOUT = """\
`bench/readers_bench.py` (`make bench`, run under `nice -n 10`), 2 cores, PostgreSQL 15, in its own database
with the source registry loaded. Real pages shipped in `fixtures/articles/` (see ATTRIBUTION.md): two wikitext
pages, a desktop *Save page as…* HTML page and a Parsoid (REST API) HTML page; the readers' rules were written
while looking at them. The second table measures the same on **held-out pages**
(`tests/importing/pages/heldout/`, see SOURCES.md) that were not looked at when the rules were written.

- **right sentence**: of the citation markers the reader placed in the text, those whose preceding words
  (up to 40 characters of prose, markers and cleanup tags removed, taken from the last sentence end among them
  on) are in the sentence the marker was attached to. Target: ≥ 99%.
- **URL recall**: of the references whose page source gives a link (an http(s) address, an archive address or
  an identifier: DOI, ISBN, PMID, OCLC, JSTOR…, its own or that of the full citation a short footnote such as
  `{{{{harvnb|Smith|2001}}}}`, `[[#anchor|Smith]]` or a rendered `#CITEREF…` link points to), the share whose
  citation carries one of them. The source side is read by `bench/source_links.py` with plain regular
  expressions, not by the readers: wikitext references of the prose (infoboxes, navboxes, tables, pictures
  left out) are each matched to a citation of their own; HTML references by their label. This is what the
  reader controls; "with a URL" below also depends on what the page gives. Target ≥ 99%.
- **with a URL**: citations of kind reference (lettered notes such as `[a]` excluded: they are the article's
  own remarks) with a URL or an archive URL. A citation without `url=` that has an identifier Wikipedia prints
  as a link gets that link: DOI (doi.org) first, then PMC, PubMed, arXiv, handle, JSTOR, bibcode, … OCLC
  (WorldCat) last (`claims/importing/identifiers.py`). Target ≥ 95%.
- **URL or ISBN**: the same, counting also the citations whose only identifier is an ISBN (kept in
  `Citation.identifiers`; Wikipedia links an ISBN to its own list of booksellers, not to the book, so no URL is
  made of it).
- **matched**: of the citations with a URL, the ones linked to a Source: in the registry by domain (subdomains
  and `www.` folded, archive.org / archive.today unwrapped), by publisher name, or a new source created for an
  unknown domain (reliability unknown). Behind a resolver (doi.org, PubMed, WorldCat…) the source is the
  journal or publisher the citation names, never the resolver. Target ≥ 90%.
- **import**: the whole import (read, parse, citations and sources, claims with confidence, conflict
  detection): median (and best) of three dry runs, rolled back. Target for a 300 KB wikitext page with ~400
  references: under 3 s. The machine is shared: load average when this table was written: {load} (2 cores),
  so wall times are inflated by the other work; **CPU** is the importing process's own CPU time (median),
  which excludes PostgreSQL's share of the work but not the contention.

| page | size | refs | right sentence | URL recall | with a URL | URL or ISBN | matched | new sources | claims \
| import (best) | CPU|
|---|---|---|---|---|---|---|---|---|---|---|---|
{wiki}

- **Which pages reach 95% with a URL**: Toronto Star and Mozilla do. United Kingdom does not (about 89%) and
  Dog does not (about 76%): their references without a URL are printed books cited by ISBN alone
  (`{{{{cite book}}}}` without `url=`, often with a page number) and free-text references ("Porter, p. 332.",
  "Boitani, L., 1983. Wolf and dog competition in Italy. Acta Zool. Fennica 174, 259–264"). A book has no
  address of its own to link: the only link Wikipedia prints for an ISBN is Special:BookSources, a list of
  shops and libraries, and a URL made up from an ISBN (a bookseller's, a search) would be a link the article
  never gave. So a book-heavy page cannot reach 95% without inventing links; counting the ISBN as an
  identifier, United Kingdom is above 95% and Dog near 88% (the rest of Dog is free text with no identifier
  at all, from a 2018 revision). An ISSN is not counted either: it names the journal, not the article. URL
  recall says the same from the other side: every reference of these pages whose source gives a link or an
  identifier keeps one.
- The two citations with a URL and no source are free-text references whose only link is a resolver's (a
  WorldCat record on United Kingdom, a DOI on Dog) and that name no publisher the reader can tell apart: no
  source is made up for worldcat.org or doi.org, whose grade would then pass to every work behind them.
- Dog's import time is mostly its 339 claims and 125 new sources (one per journal and site it cites); reading
  the 854 KiB page takes ~0.2 s.
- Where an import's time goes (UK page, profiled in December 2026 on a machine about twice as slow per core as
  the one of the earlier figures: the same commit's import took 2.1–2.5 s of CPU here against 0.85 s there):
  reading the wikitext ~0.8–1.0 s (mwparserfromhell's C tokenizer and the tree walk), citations and new sources
  ~0.5 s (bulk inserts with history), claims with their history rows and confidence, and conflict detection
  over the new claims, the rest.

**Held-out pages** (three wikitext pages from 2015–2017 and two 2019 HTML pages, one of each kind; one page cites
with `{{{{harvnb}}}}` short footnotes and a bibliography, the HTML pages with `#CITEREF` short footnotes):

| page | size | refs | right sentence | URL recall | with a URL | URL or ISBN | matched | new sources | claims \
| import (best) | CPU|
|---|---|---|---|---|---|---|---|---|---|---|---|
{heldout}

- What the held-out pages found, and was fixed in general (each with a unit test on a small snippet):
  short references that link to a full citation in the same page (New Zealand's "King 2003, p. 41." to
  `#CITEREFKing2003`, Ibn al-Haytham's `{{{{harvnb|Wade|1998}}}}`, the wikitext form `[[#refOHBEv3|Porter]]`) now
  carry that citation's URL, identifiers, title and author, keeping their own text with the page (URL recall
  before: New Zealand 334/348 = 96.0%, Ibn al-Haytham 88/94 = 93.6%); a single line break inside a wikitext
  paragraph no longer splits it in two (MediaWiki joins such lines; 3–4 broken paragraphs per page);
  subsections of "Further reading" or "References" ("=== Secondary ===") are no longer read as prose;
  `{{{{harvtxt|Smith|2010}}}} has noted…` keeps its subject ("Smith (2010) has noted…"); `{{{{quote}}}}` blocks are
  read as the HTML reader reads `<blockquote>`, their references included (Anarchism's, Toronto Star's one
  missing reference); a page saved without its COinS metadata (New Zealand) gets the authors and date CS1
  prints ("Wilson, John (21 December 2007).": 0 → 160 authors, 0 → 42 dates of 352); wikitext copied from a
  dump, with its markup escaped (`&lt;ref&gt;`), is unescaped once; markup the wikitext parser gives up on
  (after a stray `''` it printed one of Anarchism's `<ref>`s as text, "Verso. 2007. p. 125</ref>", three
  would-be claims) is dropped and counted in the import report instead of read as prose. The marker check now
  also covers notes labelled `[n 7]` (New Zealand's) and no longer fails a marker whose preceding 40
  characters run back over a sentence end ("…or harmful. While anti-statism is central,[11]").
- What is left: New Zealand's other dates are a year or a month only, or the citation names none (CS1 prints
  "Retrieved …", which is the access date); a reference to several works at once keeps the first that has a link
  (the others stay in its text); a URL longer than the model's 1,000 characters is stored cut (one IMF query on
  United States). "with a URL" under 95% on Anarchism (about 56%), Ibn al-Haytham and Harry McPherson is the
  page's own: free-text book references ("Robert Graham, Anarchism – A Documentary History…") with no link or
  identifier to keep. United States' citations with a URL and no source are mostly links to book scans at
  archive.org/details/…, which source matching unwraps as a web archive and finds no page behind; their
  publisher (Rowman & Littlefield, Greenwood Press…) is named but not in the registry: a matter for source
  matching, not for the reader.

News pages (`tests/importing/pages/`, from Mozilla Readability's test pages): title, publication date and
publisher from the page's metadata; the byline from the page's own metadata (JSON-LD, author meta tags,
schema.org `itemprop=author`, the byline element) before trafilatura's guess, with placeholders and UI words
("Username", "Sign in") and the outlet's own name rejected (the BBC story names no author: its metadata's
author is "BBC News"); "furniture" counts paragraphs that start with navigation, advertising, sharing,
newsletter or comment text (target 0).

| page | title | published | publisher | byline | paragraphs | links → citations | furniture | read |
|---|---|---|---|---|---|---|---|---|
{news}
"""


if __name__ == "__main__":
    sys.exit(main())
