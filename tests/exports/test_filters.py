"""ExportFilter: one parser for the URL, the command and the changelist; bad values name their parameter."""

import datetime as dt

import pytest
from django.http import QueryDict

from claims.exports import BANDS, ExportFilter, FilterError, band_of, query
from tests.exports.util import run

pytestmark = pytest.mark.django_db


def ids(data_filter: ExportFilter) -> list[int]:
    return list(query.claims(data_filter).values_list("pk", flat=True))


def test_bands_cover_0_to_100_without_gaps():
    covered = [n for low, high in BANDS.values() for n in range(low, high + 1)]
    assert covered == list(range(101))
    bands = [band_of(v) for v in (0, 1, 39, 40, 69, 70, 100)]
    assert bands == ["none", "low", "low", "medium", "medium", "high", "high"]


@pytest.mark.parametrize(
    ("query_string", "param", "words"),
    [
        ("status=bogus", "status", "'bogus' is not one of"),
        ("band=abc", "band", "'abc' is not one of none, low, medium, high"),
        ("from=2024-13-01", "from", "'2024-13-01' is not a date"),
        ("to=28/11/2024", "to", "not a date (YYYY-MM-DD)"),
        ("from=2024-12-01&to=2024-11-01", "from", "is after"),
        ("article=abc", "article", "'abc' is not a whole number"),
        ("article=999999", "article", "no article with id 999999"),
        ("source=Nobody+Times", "source", "no source 'Nobody Times'"),
        ("hedge=maybe", "hedge", "'maybe' is not one of none, reported"),
        ("tag=%3Cscript%3E", "tag", "is not a tag slug"),
        ("decided=perhaps", "decided", "not a yes/no value"),
        ("colour=red", "colour", "unknown filter"),
        ("q=" + "x" * 201, "q", "longer than 200"),
    ],
)
def test_bad_values_name_the_parameter(sample, query_string, param, words):
    with pytest.raises(FilterError) as err:
        ExportFilter.from_params(QueryDict(query_string))
    assert err.value.param == param
    assert str(err.value).startswith(f"{param}: ")
    assert words in str(err.value)


def test_parses_repeated_and_comma_separated_values(sample):
    f = ExportFilter.from_params(QueryDict("status=verified,refuted&status=disputed&band=high&hedge=none"))
    assert f.statuses == ("disputed", "refuted", "verified")
    assert f.bands == ("high",)
    assert f.hedges == ("",)
    assert f.to_params() == {"status": ["disputed", "refuted", "verified"], "band": ["high"], "hedge": ["none"]}
    assert ExportFilter.from_params(QueryDict(f.querystring())) == f


def test_source_by_id_name_or_alias(sample):
    by_id = ExportFilter.from_params({"source": str(sample.kyiv.pk)})
    by_name = ExportFilter.from_params({"source": "kyiv post"})
    by_alias = ExportFilter.from_params({"source": "SOHR"})
    assert by_id.sources == by_name.sources == (sample.kyiv.pk,)
    assert by_alias.sources == (sample.sohr.pk,)
    assert by_name.describe() == "source Kyiv Post"


def test_each_filter_selects_the_right_claims(sample):
    c = sample.claims
    assert ids(ExportFilter.from_params({"status": "verified"})) == [c["attack"].pk]
    assert ids(ExportFilter.from_params({"decided": "1"})) == [c["attack"].pk, c["sdf"].pk, c["hts"].pk]
    assert ids(ExportFilter.from_params({"source": "Kyiv Post"})) == [c["attack"].pk, c["withdrew"].pk]
    assert ids(ExportFilter.from_params({"source": "SOHR"})) == [c["withdrew"].pk, c["hts"].pk]
    # Bands use the effective confidence: the override 80 puts "hts" (computed 30) in high.
    assert ids(ExportFilter.from_params({"band": "high"})) == [c["attack"].pk, c["hts"].pk]
    assert ids(ExportFilter.from_params({"band": "none"})) == [c["nobody"].pk]
    assert ids(ExportFilter.from_params({"band": "low,medium"})) == [c["withdrew"].pk, c["sdf"].pk]
    assert ids(ExportFilter.from_params({"hedge": "reported"})) == [c["withdrew"].pk]
    assert ids(ExportFilter.from_params({"tag": "citation needed"})) == [c["sdf"].pk]
    assert ids(ExportFilter.from_params({"from": "2024-11-28", "to": "2024-11-29"})) == [c["sdf"].pk, c["hts"].pk]
    assert ids(ExportFilter.from_params({"q": "airport HTS"})) == [c["hts"].pk]
    assert ids(ExportFilter.from_params({"q": '"kyiv post"'})) == [c["withdrew"].pk]  # attributed_to or text
    assert ids(ExportFilter.from_params({"q": "100%_"})) == []  # LIKE wildcards are literal
    assert ids(ExportFilter.from_params({"article": str(sample.article.pk), "status": "refuted"})) == [c["sdf"].pk]


def test_tag_matching_is_exact_on_the_slug(sample, hostile):
    # "dubious" must not match a tag that merely contains it, nor "_" act as a wildcard.
    assert ids(ExportFilter.from_params({"tag": "dubious"})) == [claim.pk for claim in hostile.claims]
    assert ids(ExportFilter.from_params({"tag": "citation_neede"})) == []


def test_every_format_applies_the_same_filter(sample):
    filt = ExportFilter.from_params({"source": "Kyiv Post"})
    rows = {name: run(name, filt)[1]["rows"] for name in ("csv", "json", "jsonl", "markdown", "claimreview", "csl")}
    assert rows == {"csv": 2, "json": 2, "jsonl": 2, "markdown": 2, "claimreview": 1, "csl": 3}


def test_changelist_query_maps_to_export_filters(sample):
    f, not_applied = ExportFilter.from_changelist(
        QueryDict(
            f"status__exact=refuted&article__id__exact={sample.article.pk}&hedge_kind__exact=&tag=citation_needed"
            f"&source={sample.sohr.pk}&q=airport&o=2&p=1&queue=mine&anchor_state__exact=moved"
        )
    )
    assert f.statuses == ("refuted",)
    assert f.articles == (sample.article.pk,)
    assert f.hedges == ("",)
    assert f.tags == ("citation_needed",)
    assert f.sources == (sample.sohr.pk,)
    assert f.search == "airport"
    assert not_applied == ["anchor_state__exact", "queue"]


def test_changelist_date_hierarchy_becomes_a_range(sample):
    f, _ = ExportFilter.from_changelist(QueryDict("event_date__year=2024&event_date__month=11"))
    assert (f.date_from, f.date_to) == (dt.date(2024, 11, 1), dt.date(2024, 11, 30))
    f, _ = ExportFilter.from_changelist(QueryDict("event_date__year=2024&event_date__month=2&event_date__day=29"))
    assert f.date_from == f.date_to == dt.date(2024, 2, 29)


def test_command_options_map_to_the_same_filter(sample):
    f = ExportFilter.from_options(
        {"status": ["verified"], "date_from": "2024-11-01", "search": "city", "decided": True, "article": None}
    )
    assert f == ExportFilter.from_params({"status": "verified", "from": "2024-11-01", "q": "city", "decided": "yes"})
