"""Linking attributed-to text to registered sources, and what the link does to dates and confidence on import."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, Claim, Source
from claims.services.importing import article_import
from claims.services.source_linking import SourceMatcher, abbreviations, source_for_attribution
from tests.dbrole import load_reference_data
from tests.factories import SourceFactory
from tests.jobs import admin_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    load_reference_data()
    return {source.name: source for source in Source.objects.all()}


SOHR = "Syrian Observatory for Human Rights"


@pytest.mark.parametrize(
    "text",
    [
        "the Syrian Observatory for Human Rights war monitor",  # the name inside a longer noun phrase
        "The Syrian Observatory for Human Rights",
        "SOHR",  # an abbreviation in the registry's aliases
        "the SOHR",
        "the Observatory",  # an alias
        "the Britain-based Syrian Observatory",
    ],
)
def test_name_alias_or_abbreviation_finds_the_source(registry, text):
    assert source_for_attribution(text) == registry[SOHR]


def test_the_longest_name_wins():
    short = SourceFactory(name="Observatory Press", aliases=["the Observatory"])
    long = SourceFactory(name="Syrian Observatory for Human Rights", aliases=[])
    matcher = SourceMatcher([short, long])
    assert matcher.match("the Syrian Observatory for Human Rights monitor") == long
    assert matcher.match("the Observatory") == short


def test_abbreviations_match_in_capitals_only():
    agency = SourceFactory(name="Syrian Arab News Agency", aliases=["SANA"])
    matcher = SourceMatcher([agency])
    assert matcher.match("state news agency SANA") == agency
    assert matcher.match("Sana, a resident") is None  # a person's name, not the agency


@pytest.mark.parametrize("text", ["", "a resident", "him", "the monitoring group"])
def test_nothing_known_is_nothing(registry, text):
    assert source_for_attribution(text) is None


def test_abbreviations_defined_in_the_text():
    text = (
        "Fighting spread, the Syrian Observatory for Human Rights (SOHR) said. "
        "HTS (Hayat Tahrir al-Sham) advanced, and the Ministry of Defence (MoD) denied it."
    )
    assert abbreviations(text) == {
        "SOHR": "Syrian Observatory for Human Rights",
        "HTS": "Hayat Tahrir al-Sham",
        "MoD": "Ministry of Defence",
    }


def test_an_abbreviation_defined_in_the_article_names_its_source():
    monitor = SourceFactory(name="Monitor for Civil Liberties", aliases=[])
    matcher = SourceMatcher([monitor])
    assert matcher.match("the MCL") is None
    learned = matcher.learn("Clashes erupted, the Monitor for Civil Liberties (MCL) reported.")
    assert learned == {"MCL": monitor}
    assert matcher.match("the MCL") == monitor


WIRE = """Town falls to rebels
Rebels captured the town of Morek on Thursday, the Monitor for Civil Liberties (MCL) said.
The MCL said 20 fighters were killed in the fighting on 6–7 December.
Residents said the army had left, according to a local council.
"""


def test_import_links_learned_abbreviations_and_keeps_ranges(editor):
    monitor = SourceFactory(name="Monitor for Civil Liberties", aliases=[], grade="A", party_to_conflict=False)
    report = article_import(text=WIRE, actor=editor, published=datetime.date(2024, 12, 13))
    article = Article.objects.get(pk=report.article_id)
    assert article.published_on == datetime.date(2024, 12, 13)
    first, second, third = Claim.objects.filter(article=article).order_by("paragraph_index", "sentence_index")
    assert (first.attributed_to, first.attributed_source) == ("the Monitor for Civil Liberties (MCL)", monitor)
    assert first.event_date == datetime.date(2024, 12, 12)  # "on Thursday" before Friday 13 December
    assert (second.attributed_to, second.attributed_source) == ("The MCL", monitor)
    assert (second.event_date, second.event_date_end) == (datetime.date(2024, 12, 6), datetime.date(2024, 12, 7))
    assert third.attributed_source is None
    assert report.attributions_linked == 2


def test_a_reimport_without_a_publication_date_uses_the_articles(editor):
    report = article_import(text=WIRE, actor=editor, published=datetime.date(2024, 12, 13))
    article = Article.objects.get(pk=report.article_id)
    article_import(text=WIRE + "On Tuesday, talks resumed.\n", actor=editor, article=article)
    new = Claim.objects.get(article=article, text="On Tuesday, talks resumed.")
    assert new.event_date == datetime.date(2024, 12, 10)


def test_attribution_to_a_registered_source_shows_in_the_confidence_factors(editor):
    SourceFactory(name="Monitor for Civil Liberties", aliases=["MCL"], grade="E", party_to_conflict=False)
    report = article_import(text="Report\nThe MCL said 20 fighters were killed.[1]\n", actor=editor)
    claim = Claim.objects.get(article_id=report.article_id)
    factor = next(f for f in claim.confidence_factors if f["factor"] == "attributed to a registered source")
    assert factor["effect"] == "×0.7"
    assert "Monitor for Civil Liberties" in factor["detail"] and "grade E" in factor["detail"]


def test_import_command_takes_a_publication_date(editor, tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    call_command("import_article", str(path), "--published", "2024-12-13", verbosity=0)
    assert Article.objects.get().published_on == datetime.date(2024, 12, 13)
    with pytest.raises(CommandError, match="--published: '13/12/2024' is not a date"):
        call_command("import_article", str(path), "--published", "13/12/2024")


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_admin_import_form_takes_a_publication_date(client, editor):
    client.force_login(editor)
    page = client.get("/admin/claims/article/import/").content.decode()
    assert 'name="published"' in page
    admin_import(client, {"text": WIRE, "published": "2024-12-13"})
    article = Article.objects.get()
    assert article.published_on == datetime.date(2024, 12, 13)
    first = Claim.objects.filter(article=article).order_by("paragraph_index", "sentence_index").first()
    assert first.event_date == datetime.date(2024, 12, 12)
    response = client.post("/admin/claims/article/import/", {"text": WIRE, "published": "2024-13-45"})
    assert "Enter a valid date" in response.content.decode()
