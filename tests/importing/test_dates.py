"""Event dates: leading phrases, relative days, inheritance in chronology paragraphs, the article year."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.importing import EventDate, parse_article
from claims.importing.dates import date_paragraph, dateline_date, heading_reference, infer_year


def _one(text: str, year: int | None = 2024) -> EventDate | None:
    return date_paragraph([text], article_year=year).dates[0]


D = datetime.date


@pytest.mark.parametrize(
    ("text", "value", "precision", "phrase"),
    [
        ("On 28 November, HTS launched an offensive.", D(2024, 11, 28), "day", "On 28 November"),
        ("On 27 November 2024, a coalition launched it.", D(2024, 11, 27), "day", "On 27 November 2024"),
        ("On the evening of 30 November 2024, HTS advanced.", D(2024, 11, 30), "day",
         "On the evening of 30 November 2024"),
        ("On the evening of 1 December, the SNA attacked.", D(2024, 12, 1), "day", "On the evening of 1 December"),
        ("In the early hours of 30 November, rebels entered.", D(2024, 11, 30), "day",
         "In the early hours of 30 November"),
        ("Concurrently on 30 November, the SNA announced it.", D(2024, 11, 30), "day", "Concurrently on 30 November"),
        ("By 8 December 2024, rebel forces entered.", D(2024, 12, 8), "day", "By 8 December 2024"),
        ("On November 28, 2024, the town fell.", D(2024, 11, 28), "day", "On November 28, 2024"),
        ("On 5 Dec. 2023, the town fell.", D(2023, 12, 5), "day", "On 5 Dec. 2023"),
        ("In October 2024, a mobilization began.", D(2024, 10, 1), "month", "In October 2024"),
        ("In mid-November 2024, fighting grew.", D(2024, 11, 1), "month", "In mid-November 2024"),
        ("Starting in late 2022, HTS launched attacks.", D(2022, 1, 1), "year", "Starting in late 2022"),
        ("Beginning in 2019, HTS developed a doctrine.", D(2019, 1, 1), "year", "Beginning in 2019"),
        ("In 2016, the regime took Aleppo.", D(2016, 1, 1), "year", "In 2016"),
    ],
)  # fmt: skip
def test_leading_explicit_dates(text, value, precision, phrase):
    assert _one(text) == EventDate(value, precision, "explicit", phrase)


@pytest.mark.parametrize(
    "text",
    [
        "Since the March 2020 Idlib ceasefire agreement, large scale operations ceased.",
        "Aleppo had been controlled by the government since the Aleppo offensive in 2016.",
        "2000 fighters were killed.",
        "The rapid fall of Aleppo, which took the regime four years to capture in 2016, surprised HTS.",
        "It may march on 5 towns.",  # "may" and "march" are verbs, not months
        "On 31 February, nothing happened.",  # not a date
    ],
)
def test_not_an_event_date(text):
    assert _one(text) is None


def test_day_month_without_year_and_no_article_year_is_undated():
    assert _one("On 28 November, HTS launched an offensive.", year=None) is None


def test_day_month_takes_the_year_of_the_paragraph_before_the_article_year():
    dates = date_paragraph(["On 5 March 2023, X happened.", "On 6 March, Y happened."], article_year=2024).dates
    assert dates[1] == EventDate(D(2023, 3, 6), "day", "explicit", "On 6 March")


def test_relative_days_resolve_from_the_current_date():
    dates = date_paragraph(
        [
            "On 29 November 2024, HTS entered Aleppo.",
            "The next day, opposition forces made rapid advances.",
            "By afternoon on the next day, the SNA had captured the towns.",
            "That day, clashes continued.",
            "Two days later, the town fell.",
            "The previous day, nothing happened.",
        ],
        article_year=2024,
    ).dates
    assert [(d.value, d.origin, d.phrase) for d in dates[1:]] == [
        (D(2024, 11, 30), "relative", "The next day"),
        (D(2024, 12, 1), "relative", "By afternoon on the next day"),
        (D(2024, 12, 1), "relative", "That day"),
        (D(2024, 12, 3), "relative", "Two days later"),
        (D(2024, 12, 2), "relative", "The previous day"),
    ]


def test_relative_day_needs_a_day_precise_base():
    dates = date_paragraph(["In October 2024, mobilization began.", "The next day, it stopped."], article_year=2024)
    assert dates.dates[1] is None


def test_relative_day_at_paragraph_start_uses_the_previous_paragraph():
    previous = EventDate(D(2024, 11, 29), "day", "explicit", "On 29 November")
    sentences = ["That day, revolutionaries entered.", "HTS captured five districts."]
    dated = date_paragraph(sentences, article_year=2024, previous=previous)
    assert dated.dates == (
        EventDate(D(2024, 11, 29), "day", "relative", "That day"),
        EventDate(D(2024, 11, 29), "day", "inherited", ""),
    )
    assert dated.chronology


def test_chronology_paragraph_inherits_and_follows_the_current_date():
    dated = date_paragraph(
        [
            "On 28 November, HTS launched an offensive.",
            "This advance brought them near the M5 highway.",
            "On 29 November, HTS captured more villages.",
            "Strong fighting continued.",
        ],
        article_year=2024,
    )
    assert dated.chronology
    assert [(d.value, d.origin) for d in dated.dates] == [
        (D(2024, 11, 28), "explicit"),
        (D(2024, 11, 28), "inherited"),
        (D(2024, 11, 29), "explicit"),
        (D(2024, 11, 29), "inherited"),
    ]
    assert dated.last == dated.dates[2]


def test_month_precision_is_inherited_with_its_precision():
    dated = date_paragraph(["In October 2024, mobilization began.", "Rebels prepared."], article_year=2024)
    assert dated.dates[1] == EventDate(D(2024, 10, 1), "month", "inherited", "")


def test_non_chronology_paragraph_leaves_undated_sentences_undated():
    dated = date_paragraph(
        ["A Russian airstrike killed fifteen civilians.", "Starting in late 2022, HTS attacked.", "Shelling followed."],
        article_year=2024,
    )
    assert not dated.chronology
    assert dated.dates[0] is None
    assert dated.dates[1].value == D(2022, 1, 1)
    assert dated.dates[2] is None


def test_inner_date_is_used_only_without_a_leading_one_and_is_what_the_next_day_counts_from():
    dated = date_paragraph(
        [
            "On 4 December, the opposition advanced.",
            "Rebels captured the town on 5 December.",
            "The next day, fighting stopped.",
            "Fighting moved on 6 December and on 7 December.",
        ],
        article_year=2024,
    )
    assert dated.dates[1] == EventDate(D(2024, 12, 5), "day", "explicit", "on 5 December")
    # "The next day" counts from the latest date the text gave, even inside a sentence: 5 December + 1.
    assert dated.dates[2].value == D(2024, 12, 6)
    assert dated.dates[3] == EventDate(D(2024, 12, 6), "day", "inherited", "")  # two inner dates: ambiguous


def test_leading_relative_wins_over_an_inner_date():
    dated = date_paragraph(
        ["On 29 November 2024, HTS entered Aleppo.", "The next day, they advanced, capturing it on 5 December."],
        article_year=2024,
    )
    assert dated.dates[1] == EventDate(D(2024, 11, 30), "day", "relative", "The next day")


def test_infer_year_counts_full_dates_most_frequent_then_latest():
    assert infer_year(["On 27 November 2024 and 29 November 2024.", "Since March 2020 and 1 Jan 2023."]) == 2024
    assert infer_year(["On 1 May 2023.", "On 2 May 2024."]) == 2024
    assert infer_year(["In March 2020 and March 2020 and 2016."]) == 2020  # no full date: month-and-year
    assert infer_year(["No dates at all, only 2016."]) is None


# --- Years that move with the text, ranges, wire copy (issue #10) --------------------------------------------


def test_a_new_year_in_the_text_moves_the_year_forward_across_paragraphs():
    text = "\n".join(
        [
            "Battle of Somewhere",
            "The battle began on 12 May 2022 when troops crossed the river.",
            "On 1 August, the army started a second assault.",
            "On 9 December, the defenders withdrew from the town centre.",
            "On 3 January, a counter-attack retook the station.",  # December → January: the next year
            "The battle ended on 20 May 2023 with the fall of the town.",
            "On 21 May 2023, both sides claimed victory.",
        ]
    )
    article = parse_article(text)
    assert article.year == 2023  # the most frequent year: what the old rule applied to every date
    dates = [p.sentences[0].event_date.value for p in article.paragraphs]
    assert dates == [D(2022, 5, 12), D(2022, 8, 1), D(2022, 12, 9), D(2023, 1, 3), D(2023, 5, 20), D(2023, 5, 21)]


def test_the_nearest_full_date_before_wins_over_the_article_year():
    dated = date_paragraph(
        ["Fighting resumed on 4 March 2021 in the south.", "On 6 March, the town fell."],
        article_year=2024,
    )
    assert dated.dates[1].value == D(2021, 3, 6)
    assert dated.reference == D(2021, 3, 6)


def test_a_date_before_the_reference_in_early_january_stays_in_the_old_year():
    dated = date_paragraph(["On 28 December, the talks had failed."], article_year=2023, reference=D(2023, 1, 5))
    assert dated.dates[0].value == D(2022, 12, 28)


def test_without_a_reference_the_article_year_is_used():
    assert _one("On 28 November, HTS launched an offensive.", year=2024).value == D(2024, 11, 28)


@pytest.mark.parametrize(
    ("text", "start", "end", "phrase"),
    [
        ("On 6–7 December, rebels shelled the airport.", D(2024, 12, 6), D(2024, 12, 7), "On 6–7 December"),
        ("On 6-7 December 2023, rebels shelled it.", D(2023, 12, 6), D(2023, 12, 7), "On 6-7 December 2023"),
        ("Between 3 and 5 May, the town changed hands.", D(2024, 5, 3), D(2024, 5, 5), "Between 3 and 5 May"),
        ("From 3 to 5 May, the town was besieged.", D(2024, 5, 3), D(2024, 5, 5), "From 3 to 5 May"),
        ("From 28 November to 2 December, HTS advanced.", D(2024, 11, 28), D(2024, 12, 2),
         "From 28 November to 2 December"),
        ("Between 28 December 2023 and 3 January 2024, it snowed.", D(2023, 12, 28), D(2024, 1, 3),
         "Between 28 December 2023 and 3 January 2024"),
        ("From 28 December to 3 January 2025, talks stalled.", D(2024, 12, 28), D(2025, 1, 3),
         "From 28 December to 3 January 2025"),
    ],
)  # fmt: skip
def test_leading_ranges_keep_start_and_end(text, start, end, phrase):
    assert _one(text) == EventDate(start, "day", "explicit", phrase, end=end)


def test_an_inner_range_dates_the_sentence():
    found = _one("The town was besieged from 3 to 5 May.")
    assert (found.value, found.end, found.phrase) == (D(2024, 5, 3), D(2024, 5, 5), "from 3 to 5 May")


def test_an_inner_from_without_a_range_is_not_a_date():
    assert _one("Supplies came from 3 May onwards.") is None


def test_a_range_is_inherited_and_the_next_day_counts_from_its_end():
    dated = date_paragraph(
        ["On 6–7 December, rebels shelled the airport.", "Many fled.", "The next day, the army withdrew."],
        article_year=2024,
    )
    assert dated.dates[1] == EventDate(D(2024, 12, 6), "day", "inherited", "", end=D(2024, 12, 7))
    assert dated.dates[2].value == D(2024, 12, 8)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("In late 2018, the group rebranded.", D(2018, 1, 1), "year"),
        ("In early 2019, talks began.", D(2019, 1, 1), "year"),
        ("In December 2024, the regime fell.", D(2024, 12, 1), "month"),
        ("In mid-2021, a truce held.", D(2021, 1, 1), "year"),
    ],
)
def test_year_and_month_precision(text, value, precision):
    found = _one(text)
    assert (found.value, found.precision) == (value, precision)


PUBLISHED = D(2024, 11, 29)  # a Friday


@pytest.mark.parametrize(
    ("text", "value", "end", "precision", "phrase"),
    [
        ("Rebels captured the town on Thursday after heavy fighting.", D(2024, 11, 28), None, "day", "on Thursday"),
        ("The army withdrew late Wednesday, a monitor said.", D(2024, 11, 27), None, "day", "late Wednesday"),
        ("On Friday, the ministry announced a curfew.", D(2024, 11, 29), None, "day", "On Friday"),
        ("On Saturday night, the convoy left.", D(2024, 11, 23), None, "day", "On Saturday night"),
        ("Shelling killed five people yesterday.", D(2024, 11, 28), None, "day", "yesterday"),
        ("The offensive began last week.", D(2024, 11, 18), D(2024, 11, 24), "day", "last week"),
        ("Talks collapsed last month.", D(2024, 10, 1), None, "month", "last month"),
        ("A mortar hit the base this morning in the north.", D(2024, 11, 29), None, "day", "this morning"),
    ],
)
def test_wire_copy_dates_count_back_from_the_publication_date(text, value, end, precision, phrase):
    found = date_paragraph([text], article_year=2024, published=PUBLISHED).dates[0]
    assert found == EventDate(value, precision, "relative", phrase, end=end)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Peace talks will resume on Tuesday in Geneva.", D(2024, 12, 3)),
        ("The parliament is due to vote on the budget on Wednesday.", D(2024, 12, 4)),
        ("The convoy is expected to reach the city late Sunday.", D(2024, 12, 1)),
        ("Ministers meet again next Thursday.", D(2024, 12, 5)),
        ("The council will announce its decision on Friday.", D(2024, 11, 29)),  # wire style: today by its weekday
        # Past clauses keep counting back, whatever comes after the weekday or far before it.
        ("The ministry said on Monday that troops will withdraw.", D(2024, 11, 25)),
        ("A shell hit the building next to the mosque on Tuesday.", D(2024, 11, 26)),
        ("Officials, who will meet again soon, said the town fell on Wednesday.", D(2024, 11, 27)),
    ],
)
def test_a_weekday_in_a_clause_about_the_future_counts_forward(text, value):
    found = date_paragraph([text], article_year=2024, published=PUBLISHED).dates[0]
    assert found.value == value


def test_weekdays_are_not_dates_without_a_publication_date():
    assert _one("Rebels captured the town on Thursday after heavy fighting.") is None


def test_two_different_weekdays_are_ambiguous():
    dated = date_paragraph(
        ["Fighting on Monday gave way to a truce on Tuesday."], article_year=2024, published=PUBLISHED
    )
    assert dated.dates[0] is None


def test_parse_article_passes_the_publication_date_on():
    article = parse_article("Town falls\nRebels captured the town on Thursday, the monitor said.", published=PUBLISHED)
    assert article.paragraphs[0].sentences[0].event_date.value == D(2024, 11, 28)


@pytest.mark.parametrize(
    ("lead", "published"),
    [
        ("EXAMPLE CITY, Nov. 29, 2024 \u2013 ", PUBLISHED),
        ("EXAMPLE, Okla., November 29, 2024 \u2014 ", PUBLISHED),
        ("EXAMPLE, 29 November 2024 (Wire) - ", PUBLISHED),
        ("In Example, Nov. 29, 2024 \u2013 ", None),  # not a dateline: the place is not in capitals
        ("EXAMPLE (Wire) - ", None),  # a dateline without a date
    ],
)
def test_a_dateline_that_opens_the_text_is_its_publication_date(lead, published):
    article = parse_article(f"Town falls\n{lead}Rebels captured the town yesterday, the monitor said.\nIt rained.")
    found = article.paragraphs[0].sentences[0].event_date
    assert (found and found.value) == (published and published - datetime.timedelta(days=1))
    assert dateline_date(lead + "Rebels") == published


def test_a_given_publication_date_wins_over_the_dateline():
    text = "Town falls\nEXAMPLE, Nov. 29, 2024 \u2013 Rebels captured the town yesterday.\n"
    article = parse_article(text, published=D(2024, 12, 2))
    assert article.paragraphs[0].sentences[0].event_date.value == D(2024, 12, 1)


def test_a_month_without_a_year_takes_the_nearest_one():
    dated = date_paragraph(["In December, the regime fell."], article_year=2020, reference=D(2024, 11, 20))
    assert dated.dates[0] == EventDate(D(2024, 12, 1), "month", "explicit", "In December")
    assert dated.reference == D(2024, 12, 1)


@pytest.mark.parametrize("text", ["March on Damascus was the plan.", "May Day parades were cancelled."])
def test_a_month_alone_without_a_preposition_is_no_date(text):
    assert _one(text) is None


def test_a_day_takes_its_year_from_a_month_written_before_it_in_the_sentence():
    text = "While the shelling began in May 2022, the main assault started on 1 August after the withdrawal."
    found = _one(text, year=2023)  # the article's most frequent year would say 2023
    assert (found.value, found.phrase) == (D(2022, 8, 1), "on 1 August")


def test_an_inner_month_and_year_dates_the_sentence():
    found = _one("Attacks on the city intensified in November 2022, as reinforcements arrived.")
    assert found == EventDate(D(2022, 11, 1), "month", "explicit", "in November 2022")


def test_an_attributive_month_does_not_move_the_year():
    dated = date_paragraph(
        ["Since the March 2020 ceasefire, fighting had been rare.", "On 27 November, rebels attacked."],
        article_year=2024,
        reference=D(2024, 11, 20),
    )
    assert dated.dates[1].value == D(2024, 11, 27)


def test_an_inner_range_after_on_dates_the_sentence():
    found = _one("Twenty fighters were killed in the fighting on 6–7 December.")
    assert (found.value, found.end, found.phrase) == (D(2024, 12, 6), D(2024, 12, 7), "on 6–7 December")


_DATE_WORDS = (
    "On", "on", "in", "In", "between", "Between", "from", "From", "to", "and", "late", "early", "mid-", "the",
    "next", "day", "That", "Two", "days", "later", "1", "6", "7", "28", "31", "29", "–", "-", ",", ".",
    "December", "January", "February", "May", "Dec.", "2018", "2022", "2024", "Thursday", "yesterday",
    "last", "week", "month", "year", "this", "morning", "of", "rebels", "attacked",
)  # fmt: skip


@given(
    st.lists(st.lists(st.sampled_from(_DATE_WORDS), max_size=14).map(" ".join), min_size=1, max_size=4),
    st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))),
    st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))),
)
def test_property_dating_never_raises_and_ranges_are_ordered(sentences, published, reference):
    dated = date_paragraph(sentences, article_year=2024, reference=reference, published=published)
    for found in dated.dates:
        assert found is None or found.precision in ("day", "month", "year")
        assert found is None or found.end is None or found.end > found.value


def test_a_relative_day_counts_from_a_date_inside_the_sentence_before():
    dated = date_paragraph(
        [
            "Militias shelled the port on 14 March 2019, damaging two ships.",
            "Later in the same day, the navy withdrew.",
            "The following day, the harbour master said the port was closed.",
        ],
        article_year=2019,
    )
    assert dated.dates[1] == EventDate(D(2019, 3, 14), "day", "relative", "Later in the same day")
    assert dated.dates[2].value == D(2019, 3, 15)


def test_the_following_month_counts_from_the_date_before_with_month_precision():
    dated = date_paragraph(
        ["The siege began on 20 October 1916.", "The following month, the garrison surrendered."],
        article_year=1916,
    )
    assert dated.dates[1] == EventDate(D(1916, 11, 1), "month", "relative", "The following month")
    rollover = date_paragraph(
        ["Talks failed in December 2019.", "A month later, the truce collapsed."], article_year=None
    )
    assert rollover.dates[1] == EventDate(D(2020, 1, 1), "month", "relative", "A month later")


def test_a_day_inside_a_sentence_opened_by_a_relative_month_is_the_finer_date():
    dated = date_paragraph(
        ["The port fell on 2 May 2018.", "In the next month two ferries were sunk on June 9 near the coast."],
        article_year=2018,
    )
    assert dated.dates[1].value == D(2018, 6, 9) and dated.dates[1].precision == "day"


def test_a_part_of_a_month_dates_the_sentence_to_that_month():
    dated = date_paragraph(
        ["Shelling resumed in the last days of August 2014.", "In the first week of September, the town fell."],
        article_year=2014,
    )
    assert dated.dates[0] == EventDate(D(2014, 8, 1), "month", "explicit", "in the last days of August 2014")
    assert dated.dates[1].value == D(2014, 9, 1) and dated.dates[1].precision == "month"


def test_a_dated_report_dates_the_sentence_but_a_dated_event_name_does_not():
    dated = date_paragraph(
        [
            "In its 4 February update, the ministry counted 300 strikes.",
            "In their June 2 report, the monitors listed the dead.",
        ],
        article_year=2021,
    )
    assert dated.dates[0].value == D(2021, 2, 4)
    assert dated.dates[1].value == D(2021, 6, 2)
    named = date_paragraph(["In the March 2020 ceasefire agreement, both sides kept their lines."], article_year=2021)
    assert named.dates[0] is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The new customs code came into effect from 1 January 2015 across the union.", D(2015, 1, 1)),
        ("The curfew took effect on 3 April 2020 in the capital.", D(2020, 4, 3)),
        ("The sanctions regime was effective from 12 March 2022 after a vote.", D(2022, 3, 12)),
    ],
)
def test_a_start_of_validity_dates_the_sentence(sentence, expected):
    assert date_paragraph([sentence], article_year=None).dates[0].value == expected


def test_from_a_single_day_without_a_beginning_verb_dates_nothing():
    assert date_paragraph(["Aid flowed from 3 May onwards through the crossing."], article_year=2021).dates[0] is None


def test_a_heading_with_a_year_sets_the_year_of_its_section():
    assert heading_reference("Winter escalation (November–December 2022)") == D(2022, 11, 1)
    assert heading_reference("Aftermath (1941)") == D(1941, 7, 1)
    assert heading_reference("Background") is None
    text = (
        "Siege of Example\n"
        "On 20 May 2023, the city had mostly fallen to the attackers after a long siege.\n"
        "Winter fighting (December 2022)\n"
        "On 9 December, the defenders blew up the last bridge over the river.\n"
        "Fall of the city (January 2023)\n"
        "On 3 January, the attackers entered the central square of the city.\n"
    )
    dates = [s.event_date.value for p in parse_article(text).paragraphs for s in p.sentences]
    assert dates == [D(2023, 5, 20), D(2022, 12, 9), D(2023, 1, 3)]


def test_a_month_day_year_date_without_its_comma_keeps_its_year():
    # "on March 4 2022": without the comma the year was left out and the article's year taken instead.
    assert _one("Russian forces captured the town on March 4 2022, the mayor said.", year=2023) == EventDate(
        D(2022, 3, 4), "day", "explicit", "on March 4 2022"
    )
    # A bare number after the day that is no year of this era is a count, not the year.
    found = _one("On March 4 1500 soldiers crossed the river.", year=2023)
    assert (found.value, found.phrase) == (D(2023, 3, 4), "On March 4")
