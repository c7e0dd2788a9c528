"""Hedge and attribution rules: what each finds, what it attributes, and what it must leave alone."""

import time

import pytest

from claims.importing import Hedge, find_hedges
from claims.importing.hedges import RULES

KYIV = (
    "According to the Kyiv Post , some Islamist social media accounts said that the Idlib-based rebels "
    "received some training and other support by Ukraine's Main Directorate of Intelligence."
)
INSURGENTS = (
    "The insurgents, led by the Islamist militant group Hayat Tahrir al Sham and including Turkey-backed "
    "fighters, also claim to be in control of all of Idlib province after launching their offensive on Wednesday."
)

CASES = [
    (
        "according_to_with_speaker",
        KYIV,
        [
            Hedge(
                "attributed",
                "According to the Kyiv Post",
                ("the Kyiv Post", "some Islamist social media accounts"),
                "according_to",
            )
        ],
    ),
    (
        "according_to_with_apposition",
        "According to Abu Hassan al-Hamwi, head of HTS's military wing, the offensive had been planned.",
        [Hedge("attributed", "According to Abu Hassan al-Hamwi", ("Abu Hassan al-Hamwi",), "according_to")],
    ),
    (
        "according_to_at_end",
        "Sixty fighters were killed, according to the U.S. military.",
        [Hedge("attributed", "according to the U.S. military", ("the U.S. military",), "according_to")],
    ),
    (
        "state_media",
        "Iranian state media reported that IRGC Brigadier General Kioumars Pourhashemi, who served as a senior "
        "military advisor in Syria, was killed by rebels in Aleppo.",
        [Hedge("reported", "state media reported", ("Iranian state media",), "state_media_reported")],
    ),
    (
        "monitor_reported",
        "The Syrian Observatory for Human Rights reported that 37 Syrian government soldiers were killed.",
        [Hedge("attributed", "reported", ("The Syrian Observatory for Human Rights",), "said_that")],
    ),
    (
        "announced_after_date",
        'On 27 November 2024, HTS announced that it had launched an offensive dubbed "Deterrence of Aggression".',
        [Hedge("attributed", "announced", ("HTS",), "said_that")],
    ),
    (
        "subject_after_conjunction",
        "A mobilization was initiated, as the Syrian rebels reported that they had been preparing for months.",
        [Hedge("attributed", "reported", ("the Syrian rebels",), "said_that")],
    ),
    (
        "stated_with_quote_and_adverb",
        'Al-Hamwi later stated "We had a conviction."',
        [Hedge("attributed", "stated", ("Al-Hamwi",), "said_that")],
    ),
    (
        "told_someone_that",
        "A spokesman told reporters that the town had fallen.",
        [Hedge("attributed", "told", ("A spokesman",), "said_that")],
    ),
    ("pronoun_subject", "He said that the town had fallen.", [Hedge("attributed", "said", (), "said_that")]),
    (
        "also_claim_to",
        INSURGENTS,
        [Hedge("alleged", "also claim to", ("The insurgents",), "claimed_to")],
    ),
    (
        "claimed_to",
        "The group claimed to have downed a jet.",
        [Hedge("alleged", "claimed to", ("The group",), "claimed_to")],
    ),
    (
        "either_or",
        "Four others were killed in either a Syrian or Russian airstrike in Darat Izza.",
        [Hedge("speculative", "either a Syrian or Russian", (), "either_or")],
    ),
    (
        "reportedly",
        "An airstrike, reportedly of Russian origin, killed 16 civilians and injured 20 others in Aleppo city.",
        [Hedge("reported", "reportedly", (), "reportedly")],
    ),
    (
        "allegedly_purportedly",
        "The jet allegedly crashed; a purportedly leaked video showed it.",
        [Hedge("alleged", "allegedly", (), "allegedly"), Hedge("alleged", "purportedly", (), "allegedly")],
    ),
    (
        "passive_reported",
        "Clashes between Turkish backed militias and the SDF were reported in Tell Abyad region.",
        [Hedge("reported", "were reported", (), "passive_reported")],
    ),
    (
        "passive_stated",
        "The offensive was stated to be a response to recent artillery shelling.",
        [Hedge("reported", "was stated", (), "passive_reported")],
    ),
    (
        "speculative_words",
        "Rebels possibly used drones and may have hit an unconfirmed target.",
        [
            Hedge("speculative", "possibly", (), "speculative"),
            Hedge("speculative", "may have", (), "speculative"),
            Hedge("speculative", "unconfirmed", (), "speculative"),
        ],
    ),
    (
        "denied_and_disputed",
        "The ministry denied the strike, and the toll remains disputed.",
        [
            Hedge("disputed", "denied", ("The ministry",), "denied"),
            Hedge("disputed", "disputed", (), "disputed"),
        ],
    ),
    (
        "relative_clause_speaker",
        "It cited the monitor, which said that 20 died.",
        [Hedge("attributed", "said", (), "said_that")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_find_hedges(text, expected):
    assert list(find_hedges(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 2 December, the SDF announced plans to evacuate Kurdish IDPs from Tel Rifaat.",
        "HTS captured the villages of Dadikh, Kafr Batikh and Sheikh Ali.",
        "A Russian special forces unit was ambushed by rebels, who later posted photos of a dead soldier.",
        "In a statement, the Syrian government reasoned its withdrawal from Hama city.",
        "Reports of the offensive spread, and either side could win.",
        "The state of the city worsened after the offensive.",
    ],
)
def test_no_false_positives(text):
    assert find_hedges(text) == ()


def test_hedges_come_in_sentence_order():
    text = "Reportedly the jet crashed, according to SANA, and was possibly shot down."
    assert [h.rule for h in find_hedges(text)] == ["reportedly", "according_to", "speculative"]


def test_overlapping_rules_give_one_hedge():
    # "said" inside "According to X, Y said that" belongs to the according_to hedge, not a second one.
    assert len(find_hedges(KYIV)) == 1


def test_rules_have_unique_names_and_known_kinds():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert {rule.kind for rule in RULES} <= {"reported", "alleged", "attributed", "speculative", "disputed"}
    assert {rule.attribution for rule in RULES} <= {"none", "groups", "subject"}


def test_every_rule_needle_is_lower_case():
    # find_hedges tests needles against the lower-cased sentence.
    assert all(needle == needle.lower() for rule in RULES for needle in rule.needles)


def test_a_sentence_with_thousands_of_verbs_stays_linear():
    # The subject look-back is bounded; unbounded, this took 20 s.
    text = "the army said that rebels, " * 4000
    started = time.perf_counter()
    hedges = find_hedges(text)
    assert time.perf_counter() - started < 2  # measured ~0.1 s
    assert len(hedges) == 4000
    assert hedges[-1].attributed_to == ("the army",)


def test_subject_fallback_needs_a_short_first_clause():
    # "also said" has no subject of its own; the first clause is too far away to be it.
    text = "Supercalifragilistic" * 15 + ", also said that it fell."
    assert find_hedges(text) == (Hedge("attributed", "said", (), "said_that"),)
