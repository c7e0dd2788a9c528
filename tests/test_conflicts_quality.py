"""The conflict scorer (bench/quality/score_conflicts.py) as a regression test: the real importer and detectors on
the evaluation set of real reports, with thresholds just under the figures in docs/benchmarks.md."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "quality"))
from score_conflicts import evaluate  # noqa: E402


@pytest.mark.django_db
def test_detectors_on_the_evaluation_set(editor):
    result = evaluate(editor)
    assert result.articles >= 30 and result.truth >= 144
    assert result.recall >= 0.85, result.missed
    assert result.precision >= 0.95, result.wrong
    assert result.bad_duplicates == []
    assert result.per_1000 <= 800  # a small, dense set: 30 short texts about eleven disputed events
    # Each class the detectors claim to read is found at least once on real text.
    found = {cls for cls, stats in result.by_class.items() if stats.get("found")}
    assert {"control", "number", "actor", "date", "paraphrase"} <= found
