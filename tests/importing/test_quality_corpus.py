"""The parser's figures on the annotated corpus (bench/quality) must not fall below today's.

Thresholds sit just under the figures measured when they were set (docs/benchmarks.md, "Import quality");
raise them when the figures improve. Speed is measured by `make quality`, never here.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

SCORER = Path(__file__).resolve().parents[2] / "bench" / "quality" / "score_import.py"


@pytest.fixture(scope="module")
def scorer():
    spec = importlib.util.spec_from_file_location("score_import", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_import", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(scorer):
    return scorer.score_corpus()


def test_corpus_has_fourteen_annotated_texts_that_match_their_annotations(corpus):
    scores, total = corpus
    assert len(scores) >= 14
    # An annotation that no longer finds its claim or paragraph is a broken annotation, not a low score.
    assert not [p for p in total.problems if "no claim starts with" in p or "do not cover" in p]


def test_junk_and_titles(corpus):
    _, total = corpus
    assert total.junk_rate <= 0.002  # today 0 of 603 claims
    assert total.junk_caught == total.junk_lines
    assert total.title_right


def test_splits_merges_and_markers(corpus):
    _, total = corpus
    assert total.splits + total.merges <= 0.009 * total.sentences  # today 0 of 139
    assert total.marker_accuracy >= 0.99  # today 100%


def test_hedges_attributions_and_dates(corpus):
    _, total = corpus
    assert total.hedge_recall >= 0.98  # today 100% (99 of 99)
    assert total.hedge_precision >= 0.98  # today 100% (99 of 99)
    assert total.attribution_exact >= 0.98  # today 98.7% (77 of 78)
    assert total.date_accuracy >= 0.98  # today 98.9% (92 of 93)


def test_golden_rules(scorer):
    rules = scorer.golden_rules()
    assert rules["rules"] == 48
    assert rules["splitter"] >= 47
    assert rules["splitter"] >= rules["sentencex"]
