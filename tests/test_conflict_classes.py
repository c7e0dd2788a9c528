"""One test group per class of disagreement the detectors look for, on made-up sentences about other wars than the
sample (the names come from the text, not from fixtures/gazetteer.json), and the pairs that must not match."""

import math
from datetime import date

import pytest

from claims import conflicts

MAY20, MAY21 = date(2023, 5, 20), date(2023, 5, 21)


def row(pk, text, event_date=None, article=1):
    return {"id": pk, "article_id": article, "text": text, "event_date": event_date}


def detect(*rows):
    return conflicts.detect(rows)


def rules(*rows):
    return [(f.rule, f.kind) for f in detect(*rows)]


# --- numbers: the same count, other figures ---------------------------------------------------------------

HOSPITAL_8 = "An airstrike on the Al-Nasr Hospital in Khan Younis killed eight civilians on 3 May 2024."


def test_death_tolls_that_differ_for_one_strike():
    other = "The airstrike that hit the Al-Nasr Hospital in Khan Younis on 3 May 2024 killed 12 people, medics said."
    (finding,) = detect(row(1, HOSPITAL_8), row(2, other, article=2))
    assert (finding.rule, finding.kind) == ("number_mismatch", "conflicts")
    assert "“eight civilians”" in finding.evidence and "“12 people”" in finding.evidence


@pytest.mark.parametrize(
    "other",
    [
        "An airstrike on the Al-Nasr Hospital in Khan Younis killed at least 8 people on 3 May 2024.",  # agrees
        "An airstrike on the Al-Nasr Hospital in Khan Younis killed at least five civilians on 3 May 2024.",  # too
        "An airstrike on the Al-Nasr Hospital in Khan Younis killed eight civilians and wounded 30 on 3 May 2024.",
        "Shelling of the Al-Nasr Hospital in Khan Younis killed 12 people on 3 May 2024.",  # other means
        "An airstrike on the Al-Nasr Hospital in Khan Younis killed 12 people on 9 May 2024.",  # another day
        "An airstrike on the Al-Awda Hospital in Jabalia killed 12 people on 3 May 2024.",  # another place
        "The war has killed more than 30,000 people in Khan Younis since October 2023.",  # a running total
    ],
)
def test_death_tolls_that_can_both_be_true(other):
    assert [f for f in detect(row(1, HOSPITAL_8), row(2, other, article=2)) if f.kind == "conflicts"] == []


def test_injured_and_displaced_are_counts_of_their_own():
    a = "Strikes on Kharkiv on 25 May 2024 injured 40 people, the governor said."
    b = "Strikes on Kharkiv on 25 May 2024 wounded 16 people."
    assert rules(row(1, a), row(2, b, article=2)) == [("number_mismatch", "conflicts")]
    c = "The fighting in Kharkiv on 25 May 2024 killed 16 people."  # killed, not injured: no disagreement
    assert detect(row(1, a), row(3, c, article=2)) == []
    d = "Fighting around Rafah displaced 450,000 people in May 2024, the UN said."
    e = "Fighting around Rafah displaced some 800,000 people in May 2024."
    assert rules(row(4, d), row(5, e, article=2)) == [("number_mismatch", "conflicts")]


def test_casualty_ratios_respect_their_units():
    a = "Ukrainian commanders put the casualty ratio in the battle of Vuhledar at 5:1."
    b = "Russian bloggers said the casualty ratio at Vuhledar was 7:1."
    (finding,) = detect(row(1, a), row(2, b, article=2))
    assert "casualty ratio" in finding.evidence and "5:1" in finding.evidence and "7:1" in finding.evidence
    c = "The casualty ratio at Vuhledar was five to one by another count, or 5 to 1."
    assert detect(row(1, a), row(3, c, article=2)) == []


# --- control: captured against still held, repelled or not taken --------------------------------------------

WAGNER = "Wagner fighters captured Bakhmut on 20 May 2023."


@pytest.mark.parametrize(
    "other",
    [
        "Ukrainian troops still held a district of Bakhmut on 20 May 2023.",
        "On 20 May 2023 the Ukrainian army said Bakhmut was not captured.",
        "Ukrainian forces repelled the assault on Bakhmut on 20 May 2023.",
    ],
)
def test_captured_against_still_held_on_the_same_day(other):
    (finding,) = detect(row(1, WAGNER, MAY20), row(2, other, MAY20, article=2))
    assert (finding.rule, finding.kind) == ("control_contradiction", "conflicts")
    assert "Control contradiction over Bakhmut" in finding.evidence and "Wagner" in finding.evidence


def test_control_pairs_that_must_not_match():
    later = "Ukrainian troops still held a district of Bakhmut on 2 May 2023."  # before the capture
    assert detect(row(1, WAGNER, MAY20), row(2, later, date(2023, 5, 2), article=2)) == []
    same_side = "Wagner fighters still held Bakhmut on 20 May 2023."
    assert detect(row(1, WAGNER, MAY20), row(3, same_side, MAY20, article=2)) == []
    elsewhere = "Ukrainian troops still held Chasiv Yar on 20 May 2023."
    assert detect(row(1, WAGNER, MAY20), row(4, elsewhere, MAY20, article=2)) == []


def test_passive_capture_names_the_place_before_the_verb():
    facts = conflicts.read_claim(row(1, "El Fasher fell to the Rapid Support Forces on 26 October 2025."))
    (frame,) = facts.frames
    assert (frame.action, frame.actor, [p.key for p in frame.places]) == ("control", "rapid support", ["fasher"])


# --- actors: the same act by someone else --------------------------------------------------------------------


def test_the_same_town_taken_by_two_actors_on_one_day():
    a = "On 20 May 2023, Wagner fighters captured Klishchiivka."
    b = "On 20 May 2023, Ukrainian forces captured Klishchiivka."
    (finding,) = detect(row(1, a, MAY20), row(2, b, MAY20, article=2))
    assert finding.rule == "same_object_different_actor" and "Klishchiivka" in finding.evidence


# --- dates: one act, two dates ----------------------------------------------------------------------------


def test_one_capture_on_two_dates():
    a = "Russian forces captured Avdiivka on 17 February 2024."
    b = "Russian forces captured Avdiivka on 19 February 2024, the ministry said."
    (finding,) = detect(row(1, a, date(2024, 2, 17)), row(2, b, date(2024, 2, 19), article=2))
    assert finding.rule == "same_event_different_date"
    assert "17 February 2024" in finding.evidence and "19 February 2024" in finding.evidence


# --- quantifiers ------------------------------------------------------------------------------------------


def test_all_of_against_most_of():
    a = "On 20 May 2023, Wagner said it had taken control of all of Bakhmut."
    b = "On 20 May 2023, Wagner controlled most of Bakhmut."
    (finding,) = detect(row(1, a, MAY20), row(2, b, MAY20, article=2))
    assert finding.rule == "quantifier_mismatch" and "“all of Bakhmut”" in finding.evidence


# --- duplicates respect names, numbers and dates ----------------------------------------------------------


@pytest.mark.parametrize(
    "a,b",
    [
        (
            "The 2024 Hama offensive was a military operation launched by opposition forces in northern Syria.",
            "The 2024 Homs offensive was a military operation launched by opposition forces in northern Syria.",
        ),
        (
            "Wagner fighters captured Soledar on 13 January 2023.",
            "Wagner fighters captured Soledar on 16 January 2023.",
        ),
        ("Shelling of Kherson killed 7 people overnight.", "Shelling of Kherson killed 9 people overnight."),
    ],
)
def test_sentences_that_differ_in_a_name_number_or_date_are_never_duplicates(a, b):
    assert [f for f in detect(row(1, a), row(2, b)) if f.kind in ("duplicates", "refines")] == []


def test_a_paraphrase_in_another_article_refines():
    a = (
        "The capture of El Fasher gives the Rapid Support Forces control over all five state capitals in Darfur, "
        "consolidating its parallel administration in Nyala."
    )
    b = "This capture gives the Rapid Support Forces control over all five state capitals in Darfur."
    (finding,) = detect(row(1, a), row(2, b, article=2))
    assert (finding.kind, finding.rule) == ("refines", "paraphrase")
    assert detect(row(1, a), row(2, b, article=1)) == []  # the same article saying it twice: its style


# --- aliases learned from the text -------------------------------------------------------------------------


def test_an_abbreviation_defined_in_one_claim_names_the_same_actor_in_another():
    define = "The Rapid Support Forces (RSF) besieged El Fasher for 18 months."
    a = "On 26 October 2025, the RSF captured El Fasher."
    b = "On 26 October 2025, the Sudanese army captured El Fasher."
    findings = detect(
        row(1, define, article=7), row(2, a, date(2025, 10, 26), article=7), row(3, b, date(2025, 10, 26), article=8)
    )
    (finding,) = [f for f in findings if {f.claim_a, f.claim_b} == {2, 3}]
    assert "Rapid Support" in finding.evidence


# --- actors: the same act against one site, another agent ---------------------------------------------------

FEB15 = date(2016, 2, 15)
RUSSIAN_JETS = "Russian aircraft struck the Al-Nasr Hospital in Maarat al-Numan on 15 February 2016."


@pytest.mark.parametrize(
    "other",
    [
        "A Syrian government air strike hit the Al-Nasr Hospital on 15 February 2016, killing nine people.",
        "The Al-Nasr Hospital was destroyed by the Syrian Arab Army on 15 February 2016, a monitor said.",
        "The Syrian ambassador accused the United States of bombing the Al-Nasr Hospital.",
        "Activists blamed the Al-Nasr Hospital attack on Turkey's air strike that day.",
    ],
)
def test_different_agents_for_one_strike(other):
    (finding,) = detect(row(1, RUSSIAN_JETS, FEB15), row(2, other, FEB15, article=2))
    assert (finding.rule, finding.kind, finding.detector) == ("same_act_different_actor", "conflicts", "actor_mismatch")
    # The reviewer reads both claims' words at a glance.
    assert "“Russian aircraft struck”" in finding.evidence and "Nasr Hospital" in finding.evidence


def test_an_agent_and_its_denial_of_the_same_strike():
    denial = "The Russian Defence Ministry denied striking the Al-Nasr Hospital."
    (finding,) = detect(row(1, RUSSIAN_JETS, FEB15), row(2, denial, FEB15, article=2))
    assert finding.rule == "same_act_different_actor"
    assert "says it did not" in finding.evidence and "“Russian Defence Ministry denied striking”" in finding.evidence


MAR16 = date(2022, 3, 16)


def test_the_hospital_is_the_one_hospital_the_article_names():
    rows = [
        row(1, "The Donetsk Regional Drama Theatre was hit by a Russian airstrike on 16 March 2022.", MAR16),
        row(2, "Russia's Defence Ministry later accused the Azov Regiment of blowing up the theatre.", MAR16),
    ]
    (finding,) = detect(*rows)
    assert finding.rule == "same_act_different_actor"
    assert "Azov Regiment" in finding.evidence and "Russia" in finding.evidence


@pytest.mark.parametrize(
    "other",
    [
        # The same agent (a country and its state body, an alias of the gazetteer, a part of a side).
        "Russian warplanes bombed the Al-Nasr Hospital on 15 February 2016, killing nine.",
        "Russia's air force hit the Al-Nasr Hospital on 15 February 2016.",
        # A generic agent, capitalised only because it starts the sentence: not set against a named one.
        "Government forces shelled the Al-Nasr Hospital on 15 February 2016.",
        "Warplanes struck the Al-Nasr Hospital on 15 February 2016.",
        # A speaker is not the agent.
        "The Syrian Observatory for Human Rights said Russian jets struck the Al-Nasr Hospital.",
        # Another site, another day.
        "A Syrian government air strike hit the Al-Quds Hospital on 15 February 2016.",
        "A Syrian government air strike hit the Al-Nasr Hospital on 3 March 2016.",
        # Who published a picture of the attack is not who did it.
        "Images of the Al-Nasr Hospital after the attack released by satellite group Maxar show it intact.",
        # Another agent denying it agrees with the blame.
        "Turkey denied striking the Al-Nasr Hospital.",
    ],
)
def test_not_a_different_actor(other):
    # Undated but for its own words, so that "3 March 2016" is the only date it gives.
    assert detect(row(1, RUSSIAN_JETS, FEB15), row(2, other, article=2)) == []


def test_a_site_not_named_anywhere_pairs_nothing():
    # "the hospital" with no hospital named in the article: which one is unknown.
    rows = [
        row(1, "Russian aircraft struck the hospital on 15 February 2016.", FEB15),
        row(2, "A Syrian government air strike hit the hospital on 15 February 2016.", FEB15, article=2),
    ]
    assert detect(*rows) == []


# --- control: how a capture, a hold and a denial are told -------------------------------------------------

MAY24 = date(2017, 5, 24)
MAUTE = "Maute fighters captured Marawi on 24 May 2017."


def test_a_capture_told_in_the_passive_without_its_agent():
    facts = conflicts.read_claim(row(1, "On 24 May 2017, the militants said Marawi had been captured."))
    (frame,) = facts.frames
    assert (frame.action, frame.actor, [p.key for p in frame.places], frame.perfect) == (
        "control",
        None,
        ["marawi"],
        True,
    )
    held = "Philippine troops still held parts of Marawi on 24 May 2017."
    (finding,) = detect(row(1, "The militants said Marawi had been captured.", MAY24), row(2, held, MAY24, article=2))
    assert finding.rule == "control_contradiction"
    # A person taken prisoner is no place taken.
    assert conflicts.read_claim(row(3, "A Maute commander was captured near the river.")).frames == []


def test_holding_on_to_a_place_after_its_capture():
    holding = "Philippine troops were holding on to a sector of Marawi on 25 May 2017."
    (finding,) = detect(row(1, MAUTE, MAY24), row(2, holding, date(2017, 5, 25), article=2))
    assert finding.rule == "control_contradiction"
    # Held the day before it fell: both can be true …
    before = "Philippine troops were holding on to a sector of Marawi on 23 May 2017."
    assert detect(row(1, MAUTE, MAY24), row(3, before, date(2017, 5, 23), article=2)) == []
    # … unless the capture is told as a state at its date, which may be a day old.
    state = "On 24 May 2017, the militants insisted all of Marawi had been captured."
    assert [f.rule for f in detect(row(4, state, MAY24), row(3, before, date(2017, 5, 23), article=2))] == [
        "control_contradiction"
    ]


def test_the_defending_side_speaks_of_the_place_the_report_is_about():
    report = [
        row(1, "The battle for Marawi began when militants attacked the city.", article=1),
        row(2, "Thousands of residents fled Marawi in the first days.", article=1),
        row(3, '"Our soldiers control the bridges and the city hall in the area," a general said.', article=1),
    ]
    (finding,) = detect(*report, row(4, MAUTE, MAY24, article=2))
    assert (finding.claim_a, finding.claim_b, finding.rule) == (3, 4, "control_contradiction")
    # Without a place the report is about, "the area" is nowhere in particular.
    assert detect(report[2], row(4, MAUTE, MAY24, article=2)) == []


@pytest.mark.parametrize(
    "denial",
    [
        "Claims of a Maute victory in Marawi were denied by the army.",
        "The army rejected the militants' claim that they had captured Marawi.",
    ],
)
def test_a_denied_claim_of_capture_says_the_place_was_not_taken(denial):
    facts = conflicts.read_claim(row(1, denial))
    assert [(f.action, [p.key for p in f.places]) for f in facts.frames] == [("hold", ["marawi"])]
    (finding,) = detect(row(1, MAUTE, MAY24), row(2, denial, MAY24, article=2))
    assert finding.rule == "control_contradiction"


def test_a_sentence_that_tells_both_sides_contradicts_neither():
    both = "Maute said its fighters had seized Marawi, but the army said Marawi was not occupied."
    held = "Philippine troops still held Marawi on 24 May 2017."
    assert detect(row(1, MAUTE, MAY24), row(2, both, MAY24, article=2)) == []
    assert detect(row(3, held, MAY24), row(2, both, MAY24, article=2)) == []
    # Each side alone is still set against the other.
    assert [f.rule for f in detect(row(1, MAUTE, MAY24), row(3, held, MAY24, article=2))] == ["control_contradiction"]


# --- numbers: what a sentence counts, and of what ---------------------------------------------------------

MARKET = "At least 180 people were killed in the Togoga market strike, doctors said."


def test_figures_a_sentence_sets_against_each_other_are_no_side():
    both = (
        "Officials estimated 40 to 60 people were killed in the Togoga market strike, far fewer than the 200 deaths "
        "that doctors described."
    )
    assert detect(row(1, MARKET), row(2, both, article=2)) == []
    one = "Officials estimated 40 to 60 people were killed in the Togoga market strike."
    assert [f.rule for f in detect(row(1, MARKET), row(2, one, article=2))] == ["number_mismatch"]


def test_a_figure_the_sentence_itself_retracts_is_not_its_figure():
    retracted = (
        "Early reports said 300 people were killed in the Togoga market strike, but this was an error in a report "
        "that counted 300 victims, including injured."
    )
    officials = "Officials said 64 people were killed in the Togoga market strike."
    assert conflicts.read_claim(row(1, retracted)).counts == []
    assert detect(row(1, retracted), row(2, officials, article=2)) == []


def test_a_figure_of_n_killed_is_read():
    facts = conflicts.read_claim(row(1, "The bureau later reported a figure of 51 killed and 90 wounded."))
    assert sorted((c.measure, c.low) for c in facts.counts) == [("injured", 90.0), ("killed", 51.0)]


def test_counts_are_about_the_one_site_the_article_names():
    article_1 = [
        row(1, "An air strike hit the Ayder Referral Hospital in Mekelle on 22 June 2021.", article=1),
        row(2, "The regional health bureau later said 51 people were killed.", article=1),
    ]
    article_2 = [
        row(3, "The Ayder Referral Hospital treated the wounded from the strike.", article=2),
        row(4, "Doctors at the hospital said 12 people were killed in the blast.", article=2),
    ]
    (finding,) = detect(*article_1, *article_2)
    assert (finding.claim_a, finding.claim_b, finding.rule) == (2, 4, "number_mismatch")


def test_an_explosion_is_no_means_of_its_own():
    # The blast is what the air strike did: one event, two figures.
    a = "An explosion at the Ayder Referral Hospital in Mekelle killed 12 people."
    b = "An airstrike on the Ayder Referral Hospital in Mekelle killed 51 people."
    assert [f.rule for f in detect(row(1, a), row(2, b, article=2))] == ["number_mismatch"]


def test_patients_are_a_part_of_the_dead():
    everyone = "At least 30 people were killed at the Ayder Referral Hospital on 22 June 2021."
    patients = "Doctors said 9 patients were killed at the Ayder Referral Hospital on 22 June 2021."
    assert detect(row(1, everyone), row(2, patients, article=2)) == []
    twelve = "Twelve people were killed at the Ayder Referral Hospital on 22 June 2021."
    more_patients = "Doctors said 20 patients were killed at the Ayder Referral Hospital on 22 June 2021."
    assert [f.rule for f in detect(row(1, twelve), row(2, more_patients, article=2))] == ["number_mismatch"]


# --- actors: who did it, said after a hedge or as responsibility -------------------------------------------

APR4 = date(2019, 4, 4)
DRONE = "A Turkish drone strike hit the Al-Shifa Clinic in Sirte on 4 April 2019."
CLINIC_REPORT = row(10, "Staff of the Al-Shifa Clinic counted the damage.", APR4, article=2)


def test_an_agent_named_after_a_hedge():
    hedged = row(
        11,
        "Investigators said the blast was caused by a mortar round fired from the south, probably by the Libyan "
        "National Army.",
        article=2,
    )
    (finding,) = detect(row(1, DRONE, APR4), CLINIC_REPORT, hedged)
    assert (finding.claim_a, finding.claim_b, finding.rule) == (1, 11, "same_act_different_actor")
    assert "Libyan National" in finding.evidence and "Turkey" in finding.evidence


def test_responsibility_said_without_the_act():
    cleared = row(11, '"We judge that Turkey was not responsible," the panel said.', article=2)
    (finding,) = detect(row(1, DRONE, APR4), CLINIC_REPORT, cleared)
    assert (finding.claim_a, finding.claim_b) == (1, 11) and "Same act, denied" in finding.evidence
    nobody = row(12, "No one claimed responsibility for the attack.", article=2)
    assert detect(row(1, DRONE, APR4), CLINIC_REPORT, nobody) == []


def test_a_sentence_that_gives_both_blames_is_no_side():
    both = row(
        11,
        "The clinic's director blamed a Turkish drone strike, while the Turkish ministry said the blast was caused "
        "by a mortar fired by the Libyan National Army.",
        article=2,
    )
    assert conflicts.read_claim(both).attacks == []
    assert detect(row(1, DRONE, APR4), CLINIC_REPORT, both) == []


def test_a_shorter_name_is_the_same_agent():
    long = "Iraqi Popular Mobilization Forces shelled the Al-Shifa Clinic on 4 April 2019."
    short = "Popular Mobilization Forces artillery shelled the Al-Shifa Clinic on 4 April 2019."
    assert detect(row(1, long, APR4), row(2, short, APR4, article=2)) == []
    other = "Turkish drones struck the Al-Shifa Clinic on 4 April 2019."
    assert [f.rule for f in detect(row(1, long, APR4), row(3, other, APR4, article=2))] == ["same_act_different_actor"]


# --- control and dates as the held-out texts tell them (December 2026) -------------------------------------

LYMAN_CLAIM = "On 28 April 2022, the Russian Ministry of Defence announced that its forces had captured Lyman."


def test_a_denial_that_the_town_had_been_captured_answers_the_claim():
    denial = row(2, "However, the mayor of Lyman denied that the town had been captured.", article=2)
    (finding,) = detect(row(1, LYMAN_CLAIM, date(2022, 4, 28)), denial)
    assert finding.rule == "control_contradiction" and "denied that the town had been captured" in finding.evidence
    # Undated, it answers claims of a capture: not a capture the article tells as fact, nor who held it later.
    told = row(3, "Russian troops seized Lyman on 6 May 2022 after a week of fighting.", date(2022, 5, 6))
    later = row(4, "On 10 May 2022, officials confirmed that Lyman was under Russian control.", date(2022, 5, 10))
    assert detect(denial, told) == [] and detect(denial, later) == []


def test_what_a_side_no_longer_holds_it_lost():
    split = "On 14 May 2022, analysts said Ukrainian units still held villages near Lyman but no longer held Lyman."
    (hold, lost) = conflicts.read_claim(row(1, split)).frames
    assert (hold.action, hold.actor, lost.action, lost.actor) == ("hold", "ukraine", "control", None)
    # Telling both, it takes neither side against a capture.
    capture = row(2, "Russian forces captured Lyman on 12 May 2022.", date(2022, 5, 12), article=2)
    assert detect(row(1, split, date(2022, 5, 14)), capture) == []


def test_the_second_verb_of_a_sentence_has_the_first_ones_subject():
    text = "On 3 March 2022, Russian forces engaged Ukrainian troops at the bridge and took control of Lyman."
    (frame,) = conflicts.read_claim(row(1, text)).frames
    assert (frame.actor, [p.key for p in frame.places]) == ("russia", ["lyman"])
    participle = "Russian forces took control of the bridge, seizing Lyman the same day."
    assert [f.actor for f in conflicts.read_claim(row(2, participle)).frames] == ["russia", "russia"]


def test_a_state_body_and_two_sides_named_together_are_their_country():
    ministry = row(1, LYMAN_CLAIM, date(2022, 4, 28))
    hold = row(2, "Russian troops still held Lyman on 29 April 2022.", date(2022, 4, 29), article=2)
    assert detect(ministry, hold) == []
    joint = row(3, "Russian and DPR forces captured Lyman on 28 April 2022.", date(2022, 4, 28), article=2)
    assert detect(ministry, joint) == []


@pytest.mark.parametrize(
    "other, event_date",
    [
        ("Russian forces had captured Lyman by 16 May 2022.", date(2022, 5, 16)),  # on that day or before
        ("On 16 May 2022, Russian forces had full control of Lyman.", date(2022, 5, 16)),  # a state at that date
        ("On 16 May 2022, Lyman was under the control of Russian forces.", date(2022, 5, 16)),
        ("In early May 2022, Russian forces captured Lyman.", date(2022, 5, 1)),  # a month, not its first day
        (
            "Between 10 and 13 May 2022, Russia repeatedly claimed it had fully captured Lyman, however Ukraine said "
            "its troops still held the western part of Lyman.",  # both sides: nobody's date
            date(2022, 5, 10),
        ),
    ],
)
def test_capture_dates_that_can_be_one_capture(other, event_date):
    told = row(1, "Russian forces captured Lyman on 11 May 2022.", date(2022, 5, 11))
    assert [f.rule for f in detect(told, row(2, other, event_date, article=2))] == []


def test_a_capture_after_the_day_it_had_already_fallen():
    told = row(1, "Russian forces captured Lyman on 20 May 2022.", date(2022, 5, 20))
    bound = row(2, "Russian forces had captured Lyman by 16 May 2022.", date(2022, 5, 16), article=2)
    assert [f.rule for f in detect(told, bound)] == ["same_event_different_date"]


def test_days_without_a_year_take_the_articles():
    rows = [
        row(1, "The battle for Lyman began in the spring of 2022."),
        row(2, "On 28 April, the Russian Ministry of Defence announced that its forces had captured Lyman."),
        row(3, "Russian forces seized Lyman on May 4 2022, after heavy fighting."),
    ]
    assert conflicts.read_claim(rows[2]).dates == {date(2022, 5, 4)}  # "May 4 2022", without a comma
    (finding,) = detect(*rows)
    assert finding.rule == "same_event_different_date" and "28 April 2022" in finding.evidence


@pytest.mark.parametrize(
    "other",
    [
        "Russian forces claimed to have captured Zarichne, a village 9 km southwest of Lyman, on 20 May 2022.",
        "Russian forces captured Lyman's railway station on 20 May 2022.",  # a part of the town, not the town
        "On 20 May 2022, the centre of Lyman was under the control of local volunteers.",  # whose side: not said
    ],
)
def test_captures_of_somewhere_else_than_the_town(other):
    hold = row(1, "Ukrainian troops still held Lyman on 20 May 2022.", date(2022, 5, 20))
    assert detect(hold, row(2, other, date(2022, 5, 20), article=2)) == []


def test_still_occupied_is_a_hold():
    (frame,) = conflicts.read_claim(row(1, "Russian troops still occupied the centre of Lyman on 16 May 2022.")).frames
    assert (frame.action, frame.actor, [p.key for p in frame.places]) == ("hold", "russia", ["lyman"])


# --- numbers as the held-out texts tell them (December 2026) ----------------------------------------------

BARRACKS = "On 1 January 2023, a missile strike hit the Ostriv barracks."


def counts(text, event_date=None):
    return [(c.measure, c.victims, c.low, c.high) for c in conflicts.read_claim(row(1, text, event_date)).counts]


def test_figures_said_as_an_order_of_magnitude():
    assert counts('Officials confirmed "dozens" of dead in the strike.') == [("killed", "people", 24, 99)]
    assert counts("Channels reported the deaths of hundreds of mobilized troops.") == [("killed", "soldiers", 200, 999)]
    # One article about the strike on the barracks: "the strike" is that one.
    hundreds = row(2, "Channels reported the deaths of hundreds of mobilized troops in the strike.")
    dozens = row(3, 'Officials confirmed "dozens" of dead in the strike.')
    three_hundred = row(4, "The strike killed 300 soldiers.")
    site = row(1, BARRACKS, date(2023, 1, 1))
    assert [f.rule for f in detect(site, hundreds, dozens)] == ["number_mismatch"]
    assert [f for f in detect(site, hundreds, three_hundred) if f.claim_b == 4 and f.claim_a == 2] == []


def test_a_count_of_what_was_documented_is_a_lower_bound():
    assert counts("The BBC documented the deaths of 101 soldiers in the attack.") == [
        ("killed", "soldiers", 101, math.inf)
    ]
    assert counts("They updated the confirmed number of dead to 139.") == [("killed", "people", 139, math.inf)]


def test_a_sentence_that_tells_both_tolls_gives_none():
    both = (
        "Ukrainian officials said the strike killed 400 troops, while Russian officials said 63 troops were killed, "
        "and later raised the death toll to 89."
    )
    assert [c for c in counts(both) if c[0] == "killed"] == []


def test_counts_given_as_the_number_they_reached():
    assert counts("The number of people injured had increased to 13, and one person had died.") == [
        ("injured", "people", 13, 13),
        ("killed", "people", 1, 1),
    ]
    assert counts("The strike killed 2,439 people.") == [("killed", "people", 2439, 2439)]


def test_a_figure_the_sentence_calls_exaggerated_is_not_its_figure():
    text = 'A source confirmed "dozens" of dead, calling reports of a death toll above 100 exaggerated.'
    assert counts(text) == [("killed", "people", 24, 99)]


def test_others_that_count_something_else():
    text = "Between 35 and 40 soldiers were killed and 134 others were injured."
    assert counts(text) == [("killed", "soldiers", 35, 40), ("injured", "people", 134, 134)]
    assert counts("The strike killed 12 people and 5 others.") == [("killed", "people", 12, 12)]


def test_the_day_a_toll_was_reported_is_not_the_day_of_the_deaths():
    site = row(1, BARRACKS, date(2023, 1, 1))
    russia = row(2, "The strike on 1 January 2023 killed 63 soldiers, Russia said.", date(2023, 1, 1))
    later = row(3, "On 3 February 2023, the governor said 300 soldiers had died in the strike.", date(2023, 2, 3))
    assert [f.rule for f in detect(site, russia, later)] == ["number_mismatch"]
    another = row(4, "A strike on the Ostriv barracks killed 300 soldiers on 3 February 2023.", date(2023, 2, 3))
    assert detect(site, russia, another) == []


def test_who_told_a_figure_is_not_where_it_is():
    a = row(1, "Officials told Reuters that 300 people were killed in Kovel on 1 January 2023.", date(2023, 1, 1))
    b = row(2, "Reuters reported that 20 people were killed in Lutsk on 1 January 2023.", date(2023, 1, 1), 2)
    assert detect(a, b) == []


def test_a_military_base_is_a_site_and_its_explosions_are_its_event():
    rows = [
        row(1, "Several explosions hit the Novo air base in Crimea on 9 August 2022.", date(2022, 8, 9)),
        row(2, "Russian authorities said one person was killed and 13 injured in the explosions."),
        row(3, "An adviser claimed that 60 pilots had been killed and 100 people wounded in the explosions."),
    ]
    (finding,) = detect(*rows)
    assert (finding.claim_a, finding.claim_b, finding.rule) == (2, 3, "number_mismatch")


# --- actors as the held-out texts tell them (December 2026) -----------------------------------------------

STRIKE = row(
    1, "On 1 January 2023, Ukrainian forces launched a rocket strike on the Ostriv barracks.", date(2023, 1, 1)
)


@pytest.mark.parametrize(
    "other",
    [
        "The attack was carried out using HIMARS rockets.",  # the weapon, not who used it
        "Russia initially acknowledged 63 soldiers had died in the attack.",  # a speaker, and "the attack" a noun
        "Russian aircraft were destroyed in the attack, the ministry said.",  # what was hit
        "Officials said the explosions were possibly caused by a Belarusian attack.",  # a possibility
        "Russia said it would continue attacks on the base.",  # an intention
        "The cause of the explosions is unknown, but may have been missiles or an accident.",  # no side
    ],
)
def test_words_about_the_strike_that_name_no_other_agent(other):
    assert detect(STRIKE, row(2, other, article=1)) == []


def test_blamed_for_the_attack():
    blamed = row(2, "The Russian military blamed Ukrainian saboteurs for the attack.", article=2)
    (attack,) = conflicts.read_claim(row(2, blamed["text"])).attacks or [None]
    assert attack is None  # no site named and no site of the article: nothing to set against
    other = row(3, "The regional governor blamed Belarus for the attack on the Ostriv barracks.", article=3)
    (finding,) = detect(STRIKE, other)
    assert finding.rule == "same_act_different_actor" and "Belarus" in finding.evidence


def test_an_accident_is_set_against_an_attack():
    rows = [
        row(1, "Explosions hit the Novo air base in Crimea on 9 August 2022.", date(2022, 8, 9)),
        row(2, "Russian authorities claimed the explosions were the result of an accident."),
        row(3, "A month later, the commander said that it had been a Ukrainian missile strike."),
    ]
    (finding,) = detect(*rows)
    assert (finding.claim_a, finding.claim_b) == (2, 3) and "an accident" in finding.evidence


def test_an_air_strike_on_a_city_in_an_article_that_names_no_site():
    rows = [
        row(1, "The 2017 Raqqa airstrike was an American bombing in western Raqqa that killed 40 civilians."),
        row(2, "The Iraqi military blamed ISIL for the attack, saying a booby-trapped house had collapsed."),
        row(3, "A second raid hit western Raqqa the same week."),
    ]
    (finding,) = detect(*rows)
    assert (finding.claim_a, finding.claim_b, finding.rule) == (1, 2, "same_act_different_actor")


def test_a_toll_told_as_the_first_and_one_told_as_what_it_later_became():
    site = row(1, BARRACKS, date(2023, 1, 1))
    first = row(2, "Initial reports said 40 soldiers were killed and 134 others injured in the strike.")
    later = row(3, "Later, the police confirmed 61 people were killed and 160 were injured in the strike.")
    assert detect(site, first, later) == []
    lower = row(4, "Later, the police confirmed 20 people were killed in the strike.")  # lower: not a rise
    assert [f.rule for f in detect(site, first, lower)] == ["number_mismatch"]


# --- how a site was struck: from outside, from inside, by accident (December 2026) ------------------------

THEATRE = "On 16 March 2022, the Kalmius Drama Theatre was struck and largely destroyed by an airstrike."


def test_struck_from_outside_against_blown_up_from_inside():
    blown = row(2, "The ministry denied attacking the building and accused the Azov Regiment of blowing it up.")
    (finding,) = detect(row(1, THEATRE, date(2022, 3, 16)), blown)
    assert "Same act, another means" in finding.evidence and "an air strike" in finding.evidence
    # An agent who says nothing of the means agrees with an air strike by someone not named.
    accused = row(3, "The city council accused Russia of targeting the drama theatre.")
    assert [f for f in detect(row(1, THEATRE, date(2022, 3, 16)), accused)] == []


def test_an_air_strike_denied_without_an_agent():
    rows = [
        row(1, "The 2017 Raqqa airstrike was an American bombing in western Raqqa that killed 40 civilians."),
        row(2, "The statement added that there was no indication of an air strike."),
        row(3, "A second raid hit western Raqqa the same week."),
    ]
    (finding,) = detect(*rows)
    assert (finding.claim_a, finding.claim_b) == (1, 2) and "Same act, denied" in finding.evidence
    # An agent's denial says nothing of the means: "a rocket" and "Israel was not responsible" agree.
    rocket = row(4, "The Al-Nasr Hospital blast was likely caused by a failed rocket launch, analysts said.")
    cleared = row(5, '"We judge that Israel was not responsible for the blast at the Al-Nasr Hospital," they said.')
    assert detect(rocket, cleared) == []


def test_saboteurs_and_an_accident_against_a_missile_strike():
    rows = [
        row(1, "Explosions hit the Novo air base in Crimea on 9 August 2022.", date(2022, 8, 9)),
        row(2, "Within a day of the explosions, an official said that special forces and partisans were responsible."),
        row(3, "A month later, the commander said that it had been a missile strike."),
        row(4, "Russian authorities claimed the explosions were the result of an accident."),
    ]
    assert sorted((f.claim_a, f.claim_b) for f in detect(*rows)) == [(2, 3), (2, 4), (3, 4)]


def test_what_had_been_taken_so_far_is_a_state_not_a_capture():
    text = "On 7 May 2022, officials stated that Russian forces had thus far captured the towns of Lyman and Izium."
    (frame,) = conflicts.read_claim(row(1, text, date(2022, 5, 7))).frames
    assert frame.perfect
    denial = row(2, "However, the mayor of Lyman denied that the town had been captured.", article=2)
    assert detect(row(1, text, date(2022, 5, 7)), denial) == []


def test_a_side_said_to_have_left_and_to_still_hold_the_town():
    left = row(
        1, "The governor stated on 5 May 2022 that Russian forces had left Lyman after looting it.", date(2022, 5, 5)
    )
    held = row(2, "However, the mayor said that Russian forces still occupied the centre of Lyman.", article=2)
    (finding,) = detect(left, held)
    assert finding.rule == "control_contradiction" and "withdrew from it" in finding.evidence
    other_side = row(3, "Ukrainian troops still held Lyman on 6 May 2022.", date(2022, 5, 6), article=3)
    before = row(4, "Russian forces still occupied Lyman on 1 May 2022.", date(2022, 5, 1), article=4)
    assert detect(left, other_side) == [] and detect(left, before) == []


def test_a_claim_the_sentence_does_not_tell_disputed_in_a_report_about_one_town():
    rows = [
        row(1, "Wagner says it has taken Lyman; the fighting for Lyman goes on."),
        row(2, "On 20 May 2023, their commander said that Wagner fighters had captured Lyman.", MAY20),
        row(3, "CNN could not verify the commander's claim, but the Ukrainian side disputed it."),
    ]
    assert ("control_contradiction", "conflicts") in rules(*rows)
    figure = row(3, "The ministry's claim of 300 dead was disputed by Kyiv, which disputed it again later.")
    assert [f for f in detect(rows[0], rows[1], figure) if f.claim_b == 3] == []


def test_a_city_is_struck_many_times():
    # An article about a city names no site: two strikes on the city by two sides are two acts, not one disputed.
    rows = [
        row(1, "Russian artillery shelled Lyman on 3 May 2022, the governor said.", date(2022, 5, 3)),
        row(2, "Ukrainian drones struck Lyman on 3 May 2022.", date(2022, 5, 3)),
        row(3, "Lyman had about 20,000 inhabitants before the war."),
    ]
    assert [f for f in detect(*rows) if f.rule == "same_act_different_actor"] == []


def test_others_are_of_the_strike_their_count_follows():
    text = (
        "This includes one strike on a refugee camp in Idlib city that killed nine civilians and injured 62 others, "
        "and another airstrike targeting Aleppo university hospital killed eight civilians."
    )
    injured = [c for c in conflicts.read_claim(row(1, text)).counts if c.measure == "injured"]
    assert [sorted(c.places) for c in injured] == [["idlib_city"]]  # the gazetteer's key
    aleppo = row(2, "An airstrike killed 16 civilians and injured 20 others in Aleppo city.", article=2)
    assert [f for f in detect(row(1, text), aleppo) if "injured" in f.evidence] == []


# --- what a probe on unseen Wikipedia war articles showed (December 2026) ----------------------------------


@pytest.mark.parametrize(
    "other",
    [
        "On 3 July 2022, an adviser conceded that Lyman was in danger of being captured by the Russians.",
        "On 3 July 2022, the president vowed to retake Lyman.",
        "On 3 July 2022, Russia announced its forces had seized Lyman, although Ukraine denied the city's capture.",
    ],
)
def test_no_capture_said(other):
    hold = row(1, "Ukrainian troops still held Lyman on 3 July 2022.", date(2022, 7, 3))
    assert detect(hold, row(2, other, date(2022, 7, 3), article=2)) == []


def test_a_capture_told_as_a_noun():
    text = (
        "Later, the Ukrainians claimed to have killed 1,500 Russian soldiers during the retaking of the city of Lyman."
    )
    (frame,) = [f for f in conflicts.read_claim(row(1, text)).frames if f.action == "control"]
    assert (frame.actor, frame.nominal) == ("ukrainians", True)  # not the Russian soldiers killed
    by = conflicts.read_claim(row(2, "Prigozhin claimed the capture of Bakhmut city by Wagner forces.")).frames
    assert [f.actor for f in by] == ["wagner"]
    # "On 19 March, after the capture of Lyman": it had been taken by that day.
    after = row(3, "On 19 March 2022, after the capture of Lyman by Russian forces, the ministry protested.")
    yesterday = row(4, "Lyman was captured by Russian forces on 18 March 2022.", date(2022, 3, 18), article=2)
    assert detect(row(3, after["text"], date(2022, 3, 19)), yesterday) == []


def test_a_loss_agrees_with_the_other_side_holding_the_place():
    lost = row(1, "On 1 October 2022, Russia confirmed that it had lost control of Lyman.", date(2022, 10, 1))
    ukraine = row(2, "Ukrainian troops still held Lyman on 2 October 2022.", date(2022, 10, 2), article=2)
    russia = row(3, "Russian troops still held Lyman on 2 October 2022.", date(2022, 10, 2), article=3)
    assert detect(lost, ukraine) == []
    assert [f.rule for f in detect(lost, russia)] == ["control_contradiction"]


def test_a_month_and_a_direction_are_not_names():
    facts = conflicts.read_claim(
        row(1, "South of Lyman, fighting went on in mid-May 2022, with Ukraine repelling attacks.")
    )
    assert [(m.key, m.type) for m in facts.mentions if m.type != "actor"] == [("lyman", "place")]


def test_a_tally_by_group_is_a_total():
    tally = "Pro-government sources reported the deaths of 318 fighters, 58 soldiers and 9 civilians in the operation."
    assert {c.measure for c in conflicts.read_claim(row(1, tally)).counts} == {"killed:total"}


def test_an_air_strike_denied_by_its_verb_not_by_a_nearby_no():
    rows = [
        row(1, "On 26 March 2017, US aircraft dropped three bombs on the Tabqa Dam, causing the dam to stop working."),
        row(2, "The coalition stated that the Tabqa Dam had not been targeted by any airstrikes."),
    ]
    (finding,) = detect(*rows)
    assert "Same act, denied" in finding.evidence
    nobody = row(3, "No one claimed responsibility for the airstrike on the Tabqa Dam.")
    assert detect(rows[0], nobody) == []
