"""Conflict detection quality: recall and precision of the detectors on real article pairs (bench/quality/conflicts).

Imports every article of bench/quality/conflicts/<topic>/ with the real importer (which runs the detectors after
each import, as in production), then compares the suggested relations with the hand-made list of true
disagreements and duplicates in bench/quality/conflicts/truth.json. Prints recall and precision per detector and
overall, suggestions per 1,000 claims, and the duplicates that pair sentences differing in a name, number or date
(there must be none).

Run: make quality-conflicts (or: DATABASE_URL=postgres://… .venv/bin/python bench/quality/score_conflicts.py)
Uses its own database (tracker_quality_conflicts, or --database NAME), created and dropped by the script.
`--only TOPIC_OR_FILE` (repeatable: `--only makiivka_2023 --only saky_2022/wikipedia_invasion.txt`) still imports
every article, as production would, but scores only the listed pairs and the suggestions that involve a claim of
the named articles: the figures of a subset (held-out texts), counting its false pairings with the rest.
`evaluate` is also called by tests/test_conflicts_quality.py on the test database, with thresholds just under the
figures measured here.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "conflicts"
QUALITY_DB = "tracker_quality_conflicts"
DUPLICATE_KINDS = ("duplicates", "refines")


@dataclass
class Result:
    claims: int = 0
    articles: int = 0
    suggestions: int = 0
    truth: int = 0
    found: int = 0  # true pairs suggested with the right kind
    correct: int = 0  # suggestions that are true pairs
    by_detector: dict = field(default_factory=dict)  # detector → {"suggested", "correct", "truth", "found"}
    by_class: dict = field(default_factory=dict)  # class → {"truth", "found"}
    missed: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    bad_duplicates: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.suggestions if self.suggestions else 1.0

    @property
    def per_1000(self) -> float:
        return 1000 * self.suggestions / self.claims if self.claims else 0.0


def articles() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*.txt"))


def selects(patterns: list[str] | None, name: str) -> bool:
    """Is article `name` ("topic/file.txt") one of `patterns` (a topic, a file, or a glob)? No patterns: every one."""
    if not patterns:
        return True
    return any(name == p or name.startswith(p.rstrip("/") + "/") or fnmatch.fnmatch(name, p) for p in patterns)


def _kind_matches(truth_kind: str, kind: str) -> bool:
    return kind == truth_kind or (truth_kind == "duplicates" and kind in DUPLICATE_KINDS)


def evaluate(actor, only: list[str] | None = None) -> Result:
    """Import the corpus into the current database as `actor` and score the relations suggested.

    With `only` (topics, files or globs, see `selects`), every article is still imported but only the pairs and
    suggestions that involve a claim of those articles are scored."""
    from claims import conflicts
    from claims.models import Article, Claim, ClaimRelation
    from claims.services.importing import article_import

    paths = articles()
    sources = json.loads((CORPUS / "sources.json").read_text(encoding="utf-8"))
    article_of: dict[str, int] = {}
    for path in paths:
        name = f"{path.parent.name}/{path.name}"
        url = sources[name]["url"]
        article_import(text=path.read_text(encoding="utf-8"), actor=actor, name=name, url=url)
        article_of[name] = Article.objects.get(url=url).pk

    def claim(ref: list[str]) -> int:
        name, words = ref
        matching = Claim.objects.filter(article_id=article_of[name], text__contains=words)
        found = list(matching.values_list("pk", flat=True))
        if len(found) != 1:
            raise SystemExit(f"truth.json: {len(found)} claims of {name} contain {words!r} (need exactly one)")
        return found[0]

    chosen = {pk for name, pk in article_of.items() if selects(only, name)}
    if not chosen:
        raise SystemExit(f"--only {only}: no article of {CORPUS} matches")
    truth_items = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))["pairs"]
    truth: dict[tuple[int, int], dict] = {}
    for item in truth_items:
        a, b = claim(item["a"]), claim(item["b"])
        if selects(only, item["a"][0]) or selects(only, item["b"][0]):
            truth[(min(a, b), max(a, b))] = item

    result = Result(claims=Claim.objects.filter(article_id__in=chosen).count(), articles=len(chosen), truth=len(truth))
    relations = [
        rel
        for rel in ClaimRelation.objects.select_related("claim_a", "claim_b").order_by("pk")
        if rel.claim_a.article_id in chosen or rel.claim_b.article_id in chosen
    ]
    result.suggestions = len(relations)
    per_detector: dict[str, Counter] = {}
    per_class: dict[str, Counter] = {}
    suggested: dict[tuple[int, int], ClaimRelation] = {}
    for rel in relations:
        pair = (rel.claim_a_id, rel.claim_b_id)
        suggested[pair] = rel
        stats = per_detector.setdefault(rel.detector, Counter())
        stats["suggested"] += 1
        item = truth.get(pair)
        if item is not None and _kind_matches(item["kind"], rel.kind):
            result.correct += 1
            stats["correct"] += 1
        else:
            result.wrong.append(f"[{rel.detector}] {rel.evidence.splitlines()[0][:300]}")
        if rel.kind in DUPLICATE_KINDS:
            a = conflicts.read_claim({"id": 1, "text": rel.claim_a.text, "event_date": rel.claim_a.event_date})
            b = conflicts.read_claim({"id": 2, "text": rel.claim_b.text, "event_date": rel.claim_b.event_date})
            if a.numbers != b.numbers or a.dates != b.dates or not (a.names <= b.names or b.names <= a.names):
                result.bad_duplicates.append(f"#{rel.claim_a_id} / #{rel.claim_b_id}")
    for pair, item in truth.items():
        cls = per_class.setdefault(item["class"], Counter())
        cls["truth"] += 1
        expected = per_detector.setdefault(item["detector"], Counter())
        expected["truth"] += 1
        rel = suggested.get(pair)
        if rel is not None and _kind_matches(item["kind"], rel.kind):
            result.found += 1
            cls["found"] += 1
            expected["found"] += 1
        else:
            result.missed.append(f"[{item['class']}] {item['a'][0]} “{item['a'][1]}” / {item['b'][0]} “{item['b'][1]}”")
    result.by_detector = {k: dict(v) for k, v in sorted(per_detector.items())}
    result.by_class = {k: dict(v) for k, v in sorted(per_class.items())}
    return result


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "–"


def as_markdown(r: Result, only: list[str] | None = None) -> str:
    topics = {p.parent.name for p in articles() if selects(only, f"{p.parent.name}/{p.name}")}
    lines = [
        f"{r.articles} articles on {len(topics)} topics, {r.claims} claims, "
        f"{r.truth} true pairs listed, {r.suggestions} suggestions ({r.per_1000:.1f} per 1,000 claims).",
        "",
        "| detector | suggested | correct | precision | listed | found | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in r.by_detector.items():
        sug, cor, tru, fnd = (s.get(k, 0) for k in ("suggested", "correct", "truth", "found"))
        lines.append(f"| {name} | {sug} | {cor} | {_pct(cor, sug)} | {tru} | {fnd} | {_pct(fnd, tru)} |")
    lines.append(
        f"| **all** | {r.suggestions} | {r.correct} | **{_pct(r.correct, r.suggestions)}** | {r.truth} | {r.found} "
        f"| **{_pct(r.found, r.truth)}** |"
    )
    lines += ["", "| class of disagreement | listed | found |", "| --- | ---: | ---: |"]
    lines += [f"| {k} | {v.get('truth', 0)} | {v.get('found', 0)} |" for k, v in r.by_class.items()]
    lines += ["", f"Duplicates between sentences that differ in a name, number or date: {len(r.bad_duplicates)}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list the missed pairs and the wrong suggestions")
    parser.add_argument(
        "--only",
        action="append",
        metavar="TOPIC_OR_FILE",
        help="score only the pairs and suggestions involving these articles (a topic directory, a file or a glob)",
    )
    parser.add_argument("--database", default=QUALITY_DB, help=f"the throwaway database to use (default {QUALITY_DB})")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    from benchdb import fresh_database

    fresh_database(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "groups", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username="quality-editor")
    user.groups.add(Group.objects.get(name="Editor"))
    user = get_user_model().objects.get(pk=user.pk)
    result = evaluate(user, only=args.only)
    print("## Conflict detection quality" + (f" (only {', '.join(args.only)})" if args.only else "") + "\n")
    print(as_markdown(result, only=args.only))
    if args.verbose or result.missed or result.wrong:
        print("\nMissed:" if result.missed else "")
        for line in result.missed:
            print("  " + line)
        print("\nSuggested but not listed:" if result.wrong else "")
        for line in result.wrong:
            print("  " + line)
    ok = result.recall >= 0.70 and result.precision >= 0.85 and not result.bad_duplicates
    targets = "recall ≥ 70%, precision ≥ 85%, no duplicate across names/numbers/dates"
    if args.only:
        print(f"\nTargets ({targets}) are for the whole set: not checked on a subset.")
        sys.exit(0)
    print(f"\nTargets ({targets}): {'met' if ok else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
