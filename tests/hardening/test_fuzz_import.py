"""Fuzzed imports: any article text or references CSV ends in a successful import or the project's own
refusal (ImportRefused, worded for a person) — never another exception — and a refusal changes nothing.

Texts mix prose with what broke imports before: every kind of Unicode, control characters and NUL anywhere,
huge lines, thousands of markers, unbalanced brackets, digits from other scripts, right-to-left text.
"""

import csv
import io

from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from claims.services.importing import (
    REFERENCE_COLUMNS,
    ImportRefused,
    ImportReport,
    ReferencesReport,
    article_import,
    citations_import_csv,
    decode_article,
)
from tests.factories import ArticleFactory, CitationFactory, UserFactory
from tests.hardening.fuzz import EXAMPLES, TALLY

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 500,  # `make test` runs the same examples every time; `make fuzz` explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

ODD_DIGITS = "¹²³⁴⁰١٢٣٤٥۱۲۳߁१२३๑๒௧"
RTL = "\u200f\u202e\u202b\u05e9\u05dc\u05d5\u05dd \u0627\u0644\u0633\u0644\u0627\u0645"
CONTROLS = "".join(chr(c) for c in range(0, 32)) + "\x7f\x85\u2028\u2029\ufeff"

words = st.sampled_from(
    ["The", "airport", "was", "captured", "on", "30", "November", "reportedly", "according to", "the SDF", "HTS",
     "Dr.", "U.S.", "3.5", "either", "or", "said", "\"quoted.\"", "Aleppo", "(", ")", ",", "—"]
)  # fmt: skip
markers = st.one_of(
    st.integers(1, 9999).map(lambda n: f"[{n}]"),
    st.sampled_from(["[note 3]", "[a]", "[]", "[citation needed]", "[ better source needed ]", "[dubious – discuss]"]),
    st.text(ODD_DIGITS, min_size=1, max_size=3).map(lambda d: f"[{d}]"),
    st.sampled_from(["[", "]", "[[", "]]", "[12", "note 3]", "[[1]", "[1]]"]),  # unbalanced
)
odd_bits = st.one_of(
    st.text(CONTROLS, min_size=1, max_size=3),
    st.just("\x00"),
    st.text(RTL, min_size=1, max_size=12),
    st.text(ODD_DIGITS, min_size=1, max_size=6),
    st.text(min_size=1, max_size=20),  # any Unicode at all
)
piece = st.one_of(words, words, words, markers, odd_bits)
sentence = st.lists(piece, min_size=1, max_size=25).map(" ".join).map(lambda s: s + ".")
line = st.one_of(
    st.lists(sentence, min_size=1, max_size=6).map(" ".join),
    st.integers(1, 3000).map(lambda n: "Markers everywhere." + "[1]" * n + " Done."),  # thousands of markers
    st.integers(1, 40_000).map(lambda n: "Long " + "word " * (n // 5) + "end."),  # a huge line
    st.sampled_from(["| --- | --- |", "![]() | |", "Belligerents", ""]),
)
title = st.one_of(st.text(max_size=40), st.text(min_size=490, max_size=620), st.text(RTL + ODD_DIGITS, max_size=30))
article_text = st.builds(lambda t, lines: "\n".join([t, *lines]) + "\n", title, st.lists(line, max_size=8))


def table_counts() -> dict[str, int]:
    """Rows per table of the claims app (history included): what a refusal must leave as it was."""
    return {m._meta.db_table: m.objects.count() for m in apps.get_app_config("claims").get_models()}


class ArticleImportFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = UserFactory(username="fuzz-editor", role="Editor")

    @FUZZ
    @given(text=article_text, as_file=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-8", "utf-16"]))
    def test_an_import_succeeds_or_is_refused_and_a_refusal_changes_nothing(self, text, as_file, encoding):
        TALLY["article import"] += 1
        before = table_counts()
        try:
            if as_file:
                data = text.encode(encoding, "surrogatepass") if encoding != "utf-16" else text.encode("utf-16")
                text = decode_article(data, name="fuzz.txt")
            report = article_import(text=text, actor=self.editor, name="fuzz.txt", suggest_relations=False)
        except ImportRefused as err:
            assert err.messages and all(m.startswith("fuzz.txt") or "fuzz.txt" in m for m in err.messages)
            assert table_counts() == before
        except UnicodeEncodeError:
            pass  # lone surrogates cannot be written as a file at all; nothing reached the importer
        else:
            assert isinstance(report, ImportReport) and report.article_id


def csv_field():
    return st.one_of(
        st.text(max_size=30),
        st.sampled_from(["https://example.org/a", "http://x.y/", "ftp://no", "2024-11-30", "30/11/2024", ""]),
        st.text(ODD_DIGITS + RTL + CONTROLS, max_size=10),
        st.integers(400, 1300).map(lambda n: "https://example.org/" + "p" * n),  # over-long URL / title
        st.just("x" * 140_000),  # over the csv module's field limit
        st.just('"unbalanced'),
    )


label = st.one_of(st.sampled_from(["1", "2", "note 1", "[1]", " 2 "]), st.text(max_size=6))
row = st.tuples(label, *[csv_field() for _ in REFERENCE_COLUMNS[1:]])
header = st.one_of(
    st.just(list(REFERENCE_COLUMNS)),
    st.permutations(list(REFERENCE_COLUMNS)),
    st.lists(st.sampled_from([*REFERENCE_COLUMNS, "extra", ""]), max_size=10),
)


def as_csv(head, rows, raw_tail) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    for r in rows:
        writer.writerow(r)
    return out.getvalue() + raw_tail


class ReferencesCsvFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.lead = UserFactory(username="fuzz-lead", role="Lead")
        cls.article = ArticleFactory()
        for lab in ("1", "2", "note 1"):
            CitationFactory(article=cls.article, label=lab)

    @FUZZ
    @given(
        head=header,
        rows=st.lists(row, max_size=5),
        raw_tail=st.one_of(st.just(""), st.text(max_size=20), st.just("1,\x00,\n")),
        as_bytes=st.booleans(),
    )
    def test_a_references_csv_completes_or_is_refused_and_a_refusal_changes_nothing(
        self, head, rows, raw_tail, as_bytes
    ):
        TALLY["references CSV"] += 1
        text = as_csv(head, rows, raw_tail)
        data = text.encode("utf-8", "surrogatepass") if as_bytes else text
        before = table_counts()
        try:
            report = citations_import_csv(article=self.article, data=data, actor=self.lead, name="refs.csv")
        except ImportRefused as err:
            assert all("refs.csv" in m for m in err.messages)
            assert table_counts() == before
        else:
            assert isinstance(report, ReferencesReport)
