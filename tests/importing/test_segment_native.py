"""The splitter's C accelerator (claims/importing/_segment.c) against segment.py's Python reference.

The two must give identical annotations and spans on every input: the corpus texts, the Golden Rules and
arbitrary unicode text (Hypothesis; ``make fuzz`` runs more examples). The suite also fails when the
accelerator is not built or disagrees with the Python rules, so a green run proves the fast path is in use.
"""

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.importing import parse_article, segment
from claims.importing.html import parse_html
from claims.importing.wikitext import parse_wikitext

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "bench" / "quality" / "corpus").glob("*.txt"))
FIXTURES = sorted(p for p in (ROOT / "fixtures" / "articles").iterdir() if p.suffix in (".txt", ".html", ".wikitext"))
GOLDEN_RULES = ROOT / "bench" / "quality" / "golden_rules_en.json"

native = pytest.mark.skipif(segment._native is None, reason="the accelerator is not built (see the first test)")


def test_the_native_accelerator_is_built_and_in_use():
    assert segment._native is not None, "claims/importing/_segment.c is not built: run python scripts/build_native.py"
    assert not segment.native_disagreements(), "_segment.c implements other rules than segment.py; update it"
    assert segment.NATIVE
    assert segment.split_sentences is segment._native.split_sentences
    assert segment.split_with is segment._native.split_with
    assert segment.find_annotations is segment._native.find_annotations


@native
def test_a_rule_changed_in_python_only_switches_the_accelerator_off(monkeypatch):
    monkeypatch.setattr(segment, "_TITLES", segment._TITLES | {"Sir."})
    monkeypatch.setattr(segment, "CLEANUP_TAGS", (*segment.CLEANUP_TAGS, ("disputed", "disputed")))
    assert segment.native_disagreements() == ["_TITLES", "CLEANUP_TAGS"]


def assert_same(text: str) -> None:
    found = segment._native.find_annotations(text)
    expected = segment.find_annotations_py(text)
    assert found == expected
    assert all(type(note) is segment.Annotation for note in found)
    assert segment._native.split_sentences(text) == segment.split_sentences_py(text)
    assert segment._native.split_with(text, expected) == segment.split_with_py(text, expected)


def outcome(function, *args):
    try:
        return function(*args)
    except Exception as error:  # the same error as the reference's is the expected outcome
        return type(error)


# --- The corpus texts and the Golden Rules -------------------------------------------------------------------


@cache
def paragraphs(path: Path) -> list[str]:
    """The file whole, each of its lines, and each paragraph its reader hands the splitter."""
    text = path.read_text(encoding="utf-8")
    reader = {".html": parse_html, ".wikitext": parse_wikitext}.get(path.suffix, parse_article)
    return [text, *text.split("\n"), *(p.text for p in reader(text).paragraphs)]


@native
@pytest.mark.parametrize("path", CORPUS + FIXTURES, ids=lambda p: p.name)
def test_native_matches_python_on_the_corpus(path):
    for text in paragraphs(path):
        assert_same(text)


@native
def test_native_matches_python_on_the_golden_rules():
    rules = json.loads(GOLDEN_RULES.read_text(encoding="utf-8"))
    assert len(rules) == 48
    for rule in rules:
        assert_same(rule["text"])


@native
def test_split_with_takes_annotations_out_of_order_as_the_reference_does():
    text = "One [1] two. Three [a] four."
    first, second = segment.find_annotations_py(text)
    for annotations in ([second, first], [first, first], [segment.Annotation(2, 99, "empty", "")], (first,)):
        assert outcome(segment._native.split_with, text, annotations) == outcome(
            segment.split_with_py, text, annotations
        )
    assert outcome(segment._native.split_with, text, [object()]) is AttributeError
    assert outcome(segment._native.split_sentences, None) is outcome(segment.split_sentences_py, None) is TypeError


# --- Arbitrary text (Hypothesis) -------------------------------------------------------------------------------

FRAGMENTS = [
    # annotations and near misses: every tag, case and spacing, the letters re's IGNORECASE folds (ſ İ ı K),
    # other scripts' digits, image stubs
    "[", "]", "[1]", "[54]", "[12345]", "[ 7 ]", "[note 3]", "[Note\n12]", "[NB 4]", "[n5]", "[N 1234]", "[n]",
    "[a]", "[ b ]", "[A]", "[a\n]", "[\nc]", "[ab]", "[citation needed]", "[Citation\u00a0 NEEDED]",
    "[better sources needed]", "[better source needed ]", "[better ſources needed]", "[ dubious ]",
    "[dubious \u2013 discuss]", "[Dubious\u2014Discuss]", "[dubious - discussion]", "[dubious -]",
    "[failed verification]", "[according to whom?]", "[according to whom ? ]", "[according to whom]",
    "[when?]", "[When ?]", "[when]", "[cİtation needed]", "[cıtation needed]", "[dubıous]", "[\u212a]",
    "[\u0663]", "[note \u0661\u0662]", "[]", "[ ]", "[\n]", "![]()", "![](", "!", "[sic]", "[the city]",
    # quotes, brackets and terminals
    '"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "'", "\u2018", "\u2019", "(", ")", "{", "/", ":",
    ".", "?", "!", "\u2026", ". ", "? ", "! ", ".) ", '.") ', ".\u201d ", "!) ", "...", '" ', ' "',
    # inline lists
    "1. ", "2. ", "3. ", "1) ", "2) ", "1.) ", "2.) ", "a. ", "b. ", "c) ", "z. ", "\u2022 ", "- ", "* ",
    "\u2013 ", "\u2022 9. ", "\u2022 10. ", "10. ", "99. ", "999. ", "1000. ", "01. ", "\u0661. ", "\u0662. ",
    # abbreviations and the vetoes' words
    "Dr. ", "Mr. ", "(Dr. ", "\u201cMrs. ", "No. ", "pp. ", "Vol. ", "a.m. ", "p.m. ", "ET", "ET.", "UTC,", "CEST;",
    "me. ", "OK. ", "ok. ", "ill. ", "May. ", "may. ", "art. ", "miss. ", "_me. ", ".me. ", "Ill. ", "U.S. ",
    # words and scripts
    "The", "the", "He", "he", "Aleppo", "I", "A", "x", "5", "$5", "\u20ac", "\u00a3", "\u65e5\u672c",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u200f", "\u202e", "\u00c4rger", "\u00e9clair",
    "\u0130stanbul", "\u01c5", "\u00df", "\u00b2", "\u2167",
    # whitespace of every kind, NUL, surrogates, the replacement character, astral
    " ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\x00", "\ud800", "\udfff",
    "\ufffd", "\U0001f600", "_",
]  # fmt: skip

fragment = st.sampled_from(FRAGMENTS)
any_character = st.characters(exclude_categories=())  # surrogates included
huge_run = st.tuples(st.one_of(fragment, any_character), st.integers(100, 3000)).map(lambda pair: pair[0] * pair[1])
text = st.one_of(
    st.lists(st.one_of(fragment, fragment.map(" ".__add__), any_character), max_size=80).map("".join),
    st.lists(st.one_of(fragment, any_character, huge_run), max_size=6).map("".join),
    st.text(st.characters(exclude_categories=()), max_size=300),
)


@native
@given(text)
def test_property_native_matches_python(text):
    assert_same(text)
