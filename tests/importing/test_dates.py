"""Event dates: leading phrases, relative days, inheritance in chronology paragraphs, the article year."""

import datetime

import pytest

from claims.importing import EventDate
from claims.importing.dates import date_paragraph, infer_year


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


def test_inner_date_is_used_only_without_a_leading_one_and_does_not_move_the_current_date():
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
    assert dated.dates[2].value == D(2024, 12, 5)  # 4 December + 1: the inner date did not move "current"
    assert dated.dates[3] == EventDate(D(2024, 12, 5), "day", "inherited", "")  # two inner dates: ambiguous


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
