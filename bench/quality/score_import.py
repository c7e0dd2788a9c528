"""Score the importer's parser on the annotated corpus (bench/quality/corpus + annotations).

Prints, per article and overall: junk rate, wrong splits and merges, marker attachment accuracy, hedge
recall and precision, attributed-to exact matches, event-date accuracy; then the English Golden Rules for
the project's splitter and for plain sentencex, and the splitter's speed against sentencex on ~300 KB of
the corpus's prose. The annotation format is described in bench/quality/README.md.

    python bench/quality/score_import.py            # the report
    python bench/quality/score_import.py --json     # the same figures as JSON

Pure Python (the parser has no Django import), so it runs in a second or two; tests/importing/
test_quality_corpus.py runs ``score_corpus`` and ``golden_rules`` with regression thresholds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the project root, for claims.importing

from sentencex import segment  # noqa: E402

from claims.importing import ParsedArticle, Sentence, parse_article, split_sentences  # noqa: E402

CORPUS = HERE / "corpus"
ANNOTATIONS = HERE / "annotations"
GOLDEN_RULES = HERE / "golden_rules_en.json"


@dataclass
class Score:
    """Counts for one article (or the sum over the corpus); rates are computed from them."""

    name: str
    claims: int = 0
    junk_claims: int = 0  # claims made from a line annotated as junk
    junk_lines: int = 0  # annotated junk lines
    junk_caught: int = 0  # of them, lines the parser skipped
    sentences: int = 0  # sentences in the paragraphs whose split was annotated
    splits: int = 0  # cuts the parser made that the annotation does not have
    merges: int = 0  # cuts the annotation has that the parser did not make
    markers: int = 0
    markers_right: int = 0
    hedged: int = 0  # annotated as hedged
    hedged_found: int = 0  # of them, the parser found a hedge
    flagged: int = 0  # annotated sentences (hedged or not) where the parser found a hedge
    flagged_right: int = 0  # of them, annotated as hedged
    attributions: int = 0  # annotated attributed-to texts
    attributions_exact: int = 0
    dates: int = 0
    dates_right: int = 0
    title_right: bool = True
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in other.__dict__.items():
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self, name, getattr(self, name) + value)
        self.title_right = self.title_right and other.title_right
        self.problems += [f"{other.name}: {p}" for p in other.problems]

    # Rates; None when there is nothing to measure.
    @property
    def junk_rate(self) -> float:
        return self.junk_claims / self.claims if self.claims else 0.0

    @property
    def split_merge_rate(self) -> float | None:
        return (self.splits + self.merges) / self.sentences if self.sentences else None

    @property
    def marker_accuracy(self) -> float | None:
        return self.markers_right / self.markers if self.markers else None

    @property
    def hedge_recall(self) -> float | None:
        return self.hedged_found / self.hedged if self.hedged else None

    @property
    def hedge_precision(self) -> float | None:
        return self.flagged_right / self.flagged if self.flagged else None

    @property
    def attribution_exact(self) -> float | None:
        return self.attributions_exact / self.attributions if self.attributions else None

    @property
    def date_accuracy(self) -> float | None:
        return self.dates_right / self.dates if self.dates else None

    def figures(self) -> dict:
        return {
            "claims": self.claims,
            "junk_rate": self.junk_rate,
            "junk_lines_caught": f"{self.junk_caught}/{self.junk_lines}",
            "wrong_splits": self.splits,
            "wrong_merges": self.merges,
            "checked_sentences": self.sentences,
            "split_merge_rate": self.split_merge_rate,
            "marker_accuracy": self.marker_accuracy,
            "hedge_recall": self.hedge_recall,
            "hedge_precision": self.hedge_precision,
            "attribution_exact": self.attribution_exact,
            "date_accuracy": self.date_accuracy,
            "title_right": self.title_right,
        }


def _squash(text: str) -> str:
    """Text without whitespace: split points compare the same however spaces were normalised."""
    return "".join(text.split())


def _cuts(pieces: list[str]) -> set[int]:
    total, cuts = 0, set()
    for piece in pieces[:-1]:
        total += len(_squash(piece))
        cuts.add(total)
    return cuts


def _claims(parsed: ParsedArticle) -> list[tuple[int, Sentence]]:
    """(line number of the paragraph, sentence) of every sentence that becomes a claim."""
    return [(p.line_no, s) for p in parsed.paragraphs for s in p.sentences if s.text]


def _find(claims: list[tuple[int, Sentence]], start: str, score: Score) -> Sentence | None:
    for _, sentence in claims:
        if sentence.text.startswith(start):
            return sentence
    score.problems.append(f"no claim starts with {start!r}")
    return None


def score_article(text: str, annotation: dict) -> Score:
    score = Score(annotation["text"])
    parsed = parse_article(text)
    claims = _claims(parsed)
    score.claims = len(claims)

    expected_title = annotation.get("title")
    score.title_right = (parsed.title_line is not None) == (expected_title is not None) and (
        expected_title is None or parsed.title == expected_title
    )
    if not score.title_right:
        score.problems.append(f"title: got {parsed.title!r} (line {parsed.title_line}), expected {expected_title!r}")

    junk = set(annotation.get("junk_lines", []))
    skipped = {line.line_no for line in parsed.junk}
    score.junk_lines = len(junk)
    score.junk_caught = len(junk & skipped)
    junk_claims = [s for line, s in claims if line in junk]
    score.junk_claims = len(junk_claims)
    score.problems += [f"junk became a claim: {s.text[:70]!r}" for s in junk_claims]

    for paragraph in annotation.get("paragraphs", []):
        found = [p for p in parsed.paragraphs if p.text.lstrip().startswith(paragraph["starts"])]
        expected = paragraph["claims"]
        score.sentences += len(expected)
        if not found:
            score.problems.append(f"no paragraph starts with {paragraph['starts']!r}")
            score.merges += len(expected) - 1
            continue
        got = [s.text for s in found[0].sentences if s.text]
        if _squash(" ".join(got)) != _squash(" ".join(expected)):
            score.problems.append(f"paragraph {paragraph['starts']!r}: the annotated claims do not cover its text")
            continue
        extra, missing = _cuts(got) - _cuts(expected), _cuts(expected) - _cuts(got)
        score.splits += len(extra)
        score.merges += len(missing)
        if extra or missing:
            score.problems.append(f"paragraph {paragraph['starts']!r}: {len(extra)} split(s), {len(missing)} merge(s)")

    for marker in annotation.get("markers", []):
        score.markers += 1
        sentence = _find(claims, marker["claim"], score)
        labels = [m.label for m in sentence.markers] if sentence else None
        if labels == marker["labels"]:
            score.markers_right += 1
        elif sentence:
            score.problems.append(f"markers of {marker['claim']!r}: got {labels}, expected {marker['labels']}")

    for hedge in annotation.get("hedges", []):
        sentence = _find(claims, hedge["claim"], score)
        if sentence is None:
            continue
        found = bool(sentence.hedges)
        score.hedged += hedge["hedged"]
        score.hedged_found += hedge["hedged"] and found
        score.flagged += found
        score.flagged_right += found and hedge["hedged"]
        if found != hedge["hedged"]:
            score.problems.append(f"hedge of {hedge['claim']!r}: found {found}, expected {hedge['hedged']}")
        if hedge.get("attributed_to"):
            score.attributions += 1
            names = [name for h in sentence.hedges for name in h.attributed_to]
            if hedge["attributed_to"].casefold() in [n.casefold() for n in names]:
                score.attributions_exact += 1
            else:
                score.problems.append(f"attributed-to of {hedge['claim']!r}: got {names}, expected "
                                      f"{hedge['attributed_to']!r}")  # fmt: skip

    for expected in annotation.get("dates", []):
        sentence = _find(claims, expected["claim"], score)
        if sentence is None:
            continue
        score.dates += 1
        when = sentence.event_date
        got = (when.value.isoformat(), when.precision) if when else (None, None)
        want = (expected["date"], expected.get("precision") if expected["date"] else None)
        if got == want:
            score.dates_right += 1
        else:
            score.problems.append(f"date of {expected['claim']!r}: got {got}, expected {want}")
    return score


def annotations() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(ANNOTATIONS.glob("*.json"))]


def score_corpus() -> tuple[list[Score], Score]:
    """Every annotated article's score and their sum."""
    scores = []
    for annotation in annotations():
        text = (CORPUS / annotation["text"]).read_text(encoding="utf-8")
        scores.append(score_article(text, annotation))
    total = Score("overall")
    for score in scores:
        total.add(score)
    return scores, total


# --- The English Golden Rules (pySBD's golden_rules_en, MIT) and speed ------------------------------------------


def golden_rules() -> dict:
    rules = json.loads(GOLDEN_RULES.read_text(encoding="utf-8"))
    ours = plain = 0
    failed = []
    for rule in rules:
        text, expected = rule["text"], rule["sentences"]
        got = [text[start:end] for start, end in split_sentences(text)]
        ours += got == expected
        plain += [piece.strip() for piece in segment("en", text) if piece.strip()] == expected
        if got != expected:
            failed.append(text)
    return {"rules": len(rules), "splitter": ours, "sentencex": plain, "splitter_failed": failed}


def prose_sample(size: int = 300_000) -> list[str]:
    """~``size`` characters of the corpus's prose paragraphs (repeated), as the parser hands them over."""
    paragraphs = []
    for annotation in annotations():
        parsed = parse_article((CORPUS / annotation["text"]).read_text(encoding="utf-8"))
        paragraphs += [p.text for p in parsed.paragraphs]
    sample, total = [], 0
    while total < size:
        for paragraph in paragraphs:
            sample.append(paragraph)
            total += len(paragraph)
    return sample


def _best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def speed(runs: int = 7) -> dict:
    sample = prose_sample()
    size = sum(len(p) for p in sample)
    plain = _best_of(runs, lambda: [list(segment("en", p)) for p in sample])
    ours = _best_of(runs, lambda: [split_sentences(p) for p in sample])
    return {
        "characters": size,
        "paragraphs": len(sample),
        "sentencex_ms": round(plain * 1000, 2),
        "splitter_ms": round(ours * 1000, 2),
        "speed_vs_sentencex": round(plain / ours, 3),
    }


# --- Report -----------------------------------------------------------------------------------------------------


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


COLUMNS = (
    ("claims", 7, lambda s: str(s.claims)),
    ("junk", 7, lambda s: _pct(s.junk_rate)),
    ("junk lines", 11, lambda s: f"{s.junk_caught}/{s.junk_lines}"),
    ("split+merge", 12, lambda s: f"{s.splits}+{s.merges}/{s.sentences}"),
    ("markers", 8, lambda s: _pct(s.marker_accuracy)),
    ("hedge R", 8, lambda s: _pct(s.hedge_recall)),
    ("hedge P", 8, lambda s: _pct(s.hedge_precision)),
    ("attrib.", 8, lambda s: _pct(s.attribution_exact)),
    ("dates", 7, lambda s: _pct(s.date_accuracy)),
    ("title", 6, lambda s: "ok" if s.title_right else "WRONG"),
)


def report(scores: list[Score], total: Score, rules: dict, timing: dict | None, *, verbose: bool) -> str:
    width = max(len(s.name) for s in [*scores, total])
    lines = ["Import quality on the annotated corpus (bench/quality)", ""]
    lines.append(" ".join([f"{'article':<{width}}", *(f"{title:>{w}}" for title, w, _ in COLUMNS)]))
    for score in [*scores, total]:
        if score is total:
            lines.append("-" * len(lines[-1]))
        lines.append(" ".join([f"{score.name:<{width}}", *(f"{show(score):>{w}}" for _, w, show in COLUMNS)]))
    lines += [
        "",
        f"wrong splits + merges: {_pct(total.split_merge_rate)} of {total.sentences} checked sentences",
        f"English Golden Rules: splitter {rules['splitter']}/{rules['rules']}, "
        f"plain sentencex {rules['sentencex']}/{rules['rules']}",
    ]
    if timing:
        lines.append(
            f"speed on {timing['characters'] / 1000:.0f} KB of prose ({timing['paragraphs']} paragraphs): "
            f"splitter {timing['splitter_ms']} ms, sentencex {timing['sentencex_ms']} ms "
            f"-> {timing['speed_vs_sentencex']}x of sentencex's speed"
        )
    if verbose:
        lines += ["", "What the parser got wrong:"]
        lines += [f"  {problem}" for problem in total.problems] or ["  nothing"]
        lines += [f"  Golden Rule failed: {text!r}" for text in rules["splitter_failed"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quiet", action="store_true", help="leave out the list of what went wrong")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = parser.parse_args(argv)
    scores, total = score_corpus()
    rules = golden_rules()
    timing = None if args.no_speed else speed()
    if args.json:
        data = {s.name: s.figures() for s in [*scores, total]}
        data["golden_rules"] = {k: v for k, v in rules.items() if k != "splitter_failed"}
        data["speed"] = timing
        print(json.dumps(data, indent=2, default=str))
    else:
        print(report(scores, total, rules, timing, verbose=not args.quiet))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
