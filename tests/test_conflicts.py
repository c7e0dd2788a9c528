"""Conflict detectors on the sample's real pairs and on pairs that must not match; the suggest service, the
relation workflow with its permissions, and the detectors' cost."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from claims import conflicts, services
from claims.models import Claim, ClaimRelation
from claims.services.importing import article_import
from tests.factories import ArticleFactory, ClaimFactory, RevisionFactory, UserFactory

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
R = ClaimRelation

# The sample's real sentences (markers removed, as the importer stores them).
AIRPORT_SDF = (
    "In the afternoon, the SDF captured Aleppo International Airport and the towns of Nubbul and Al-Zahraa, "
    "following the withdrawal of pro-government forces."
)
AIRPORT_HTS = (
    "On 30 November, the HTS-led opposition reportedly took control of Aleppo airport after the local SDF troops "
    "opted to withdraw."
)
AIRPORT_WITHDRAW = (
    "In Aleppo region, pro-government forces withdrew to Aleppo airport, Maskanah, As Safirah and Khanaser road."
)
IDLIB_ALL = (
    "The insurgents, led by the Islamist militant group Hayat Tahrir al Sham and including Turkey-backed fighters, "
    "also claim to be in control of all of Idlib province after launching their offensive on Wednesday."
)
IDLIB_MOST = (
    "Pro-government forces retreated from most of the Idlib Governorate, with the exception of Khan Shaykhun and "
    "Kafranbel."
)
KAFR_BASIN_27 = (
    "During the first ten hours of the offensive, HTS captured 20 towns and villages from pro-government forces, "
    "including the towns of Urm al-Kubra, Anjara, Urum al-Sughra, Sheikh Aqil, Bara, Ajil, Awijil, al-Hawtah, "
    "Tal al-Dabaa, Hayr Darkal, Qubtan al-Jabal, al-Saloum, al-Qasimiyah, Kafr Basin, Hawr, Anaz and Basratoun."
)
KAFR_BASIN_28 = (
    "In the latter half of the day, HTS captured the villages of Kafr Basin, Arnaz and Al-Zarba in the western "
    "Aleppo countryside, and cut off the M5 highway."
)
ALEPPO_29 = (
    "On 29 November 2024, HTS entered Aleppo and captured most of the city, as the Syrian Arab Army (SAA) collapsed."
)
ALEPPO_30 = "By morning, revolutionary forces had seized control of most of Aleppo, forcing pro-government troops to retreat toward as-Safirah."  # noqa: E501
ALEPPO_AIM = (
    "On 29 November, opposition forces launched a large-scale offensive in Aleppo Governorate aimed at capturing the "
    "city of Aleppo and surrounding areas."
)
ALEPPO_HALF = (
    "In the early hours of 30 November, revolutionary forces captured the Citadel of Aleppo, the government "
    'headquarters in the city, as well as "more than half of Aleppo city".'
)
RUSSIA_CAPTURED_BY = (
    "Additionally, Russia launched airstrikes on towns recently captured by rebels in the Idlib and Hama regions."
)
ATARIB = "A Russian airstrike killed fifteen civilians in Atarib in the western Aleppo countryside."
FREE_ARMY = (
    "Concurrently with the advance towards Damascus, HTS launched an offensive into Homs, while the Syrian Free Army "
    "advanced into the capital from the southeast."
)
DADIKH = (
    "On 28 November, HTS launched an offensive on the eastern Idlib countryside, capturing the villages of Dadikh, "
    "Kafr Batikh and Sheikh Ali as well as a neighborhood in the city of Saraqib."
)

# A second small article, written for the cross-article test: it tells the Damascus advance with another actor.
SECOND_ARTICLE = (
    "Fall of Damascus (test article)\n"
    "On 7 December 2024, the Revolutionary Commando Army advanced into the capital from the southeast. [1] "
    "On 8 December 2024, rebel forces entered the Barzeh neighbourhood of Damascus. [2]\n"
)

NOV28, NOV29, NOV30, DEC7 = date(2024, 11, 28), date(2024, 11, 29), date(2024, 11, 30), date(2024, 12, 7)


def row(pk, text, event_date=None, article=1):
    return {"id": pk, "article_id": article, "text": text, "event_date": event_date}


def detect(*rows, **options):
    return conflicts.detect(rows, options=conflicts.Options(**options))


def only(findings) -> conflicts.Finding:
    assert len(findings) == 1, [f.evidence for f in findings]
    return findings[0]


# --- the gazetteer ---------------------------------------------------------------------------------------


def test_gazetteer_brings_aliases_together():
    gz = conflicts.gazetteer()
    keys = [m.key for m in gz.mentions("Aleppo airport, Aleppo International Airport, Hay'at Tahrir al-Sham, HTS")]
    assert keys == ["aleppo_airport", "aleppo_airport", "hts", "hts"]
    assert [m.key for m in gz.mentions("Tahrir al-Sham’s fighters and the HTS-led opposition")] == [
        "hts",
        "military_operations_command",
    ]


def test_gazetteer_acronyms_match_only_in_capitals():
    gz = conflicts.gazetteer()
    assert [m.key for m in gz.mentions("the SNA and the SDF")] == ["sna", "sdf"]
    assert gz.mentions("the sna and the sdf") == []


def test_gazetteer_sides_make_actors_compatible():
    gz = conflicts.gazetteer()
    assert gz.compatible("hts", "syrian_opposition")
    assert gz.compatible("military_operations_command", "hts")
    assert not gz.compatible("sdf", "military_operations_command")
    assert not gz.compatible("hts", "sna")  # siblings on one side are still different actors


def test_gazetteer_is_read_once():
    assert conflicts.gazetteer() is conflicts.gazetteer()


# --- same object, different actor ------------------------------------------------------------------------


def test_airport_taken_by_sdf_and_by_hts_on_30_november():
    finding = only(detect(row(57, AIRPORT_SDF, NOV30), row(63, AIRPORT_HTS, NOV30)))
    assert (finding.claim_a, finding.claim_b, finding.kind, finding.detector) == (57, 63, "conflicts", "actor_mismatch")
    assert finding.rule == "same_object_different_actor"
    assert "Aleppo International Airport on 30 November 2024" in finding.evidence
    assert "Syrian Democratic Forces" in finding.evidence and "HTS-led opposition" in finding.evidence
    assert "gazetteer: Aleppo International Airport = Aleppo airport" in finding.evidence


@pytest.mark.parametrize(
    "text,event_date",
    [
        (AIRPORT_SDF, date(2024, 12, 3)),  # another day: control changing hands is no contradiction
        (AIRPORT_WITHDRAW, NOV29),  # withdrew *to* the airport: nobody took it
        ("On 30 November, HTS fighters captured Aleppo International Airport.", NOV30),  # HTS is part of the coalition
        ("On 30 November, the SDF captured the towns of Nubbul and Al-Zahraa.", NOV30),  # another object
    ],
)
def test_airport_pairs_that_must_not_match(text, event_date):
    assert detect(row(1, AIRPORT_HTS, NOV30), row(2, text, event_date)) == []


# --- same event, different date --------------------------------------------------------------------------


def test_kafr_basin_captured_on_27_and_on_28_november():
    finding = only(detect(row(23, KAFR_BASIN_27, date(2024, 11, 27)), row(32, KAFR_BASIN_28, NOV28)))
    assert (finding.kind, finding.detector, finding.rule) == ("conflicts", "date_mismatch", "same_event_different_date")
    assert "Hay'at Tahrir al-Sham took Kafr Basin on 27 November 2024 in #23" in finding.evidence
    assert "on 28 November 2024 in #32" in finding.evidence


def test_most_of_aleppo_on_29_and_on_30_november_by_hts_and_the_rebels_it_leads():
    finding = only(detect(row(3, ALEPPO_29, NOV29), row(55, ALEPPO_30, NOV30)))
    assert finding.detector == "date_mismatch"
    assert "took parts of Aleppo on 29 November 2024 in #3" in finding.evidence


@pytest.mark.parametrize(
    "text,event_date",
    [
        (KAFR_BASIN_28, date(2024, 11, 27)),  # the same date
        ("On 4 December, pro-government forces retook Kafr Basin.", date(2024, 12, 4)),  # another side: retaken
        (KAFR_BASIN_28, None),  # undated: nothing to compare
    ],
)
def test_date_pairs_that_must_not_match(text, event_date):
    assert detect(row(1, KAFR_BASIN_27, date(2024, 11, 27)), row(2, text, event_date)) == []


def test_extent_must_agree_for_a_date_mismatch():
    """A neighbourhood of Saraqib on 28 November, the town on 29 November: progress, not a contradiction."""
    town = "On 29 November, revolutionaries captured 50 towns and villages, including the town of Saraqib."
    assert detect(row(1, DADIKH, NOV28), row(2, town, NOV29)) == []


def test_intentions_and_passives_are_not_events():
    assert conflicts.read_claim(row(1, ALEPPO_AIM, NOV29)).frames == []
    assert all(f.action != "control" for f in conflicts.read_claim(row(1, RUSSIA_CAPTURED_BY, NOV30)).frames)


# --- quantifier or number mismatch -----------------------------------------------------------------------


def test_all_of_idlib_province_against_most_of_the_idlib_governorate():
    finding = only(detect(row(51, IDLIB_MOST), row(93, IDLIB_ALL)))
    assert (finding.kind, finding.detector, finding.rule) == ("conflicts", "quantifier_mismatch", "quantifier_mismatch")
    assert "“most of the Idlib Governorate, with the exception of Khan Shaykhun and Kafranbel”" in finding.evidence
    assert "“all of Idlib province”" in finding.evidence
    assert "gazetteer: Idlib Governorate = Idlib province" in finding.evidence


@pytest.mark.parametrize(
    "other",
    [
        ALEPPO_HALF,  # "more than half of Aleppo city" and "most of Aleppo": both partial
        "Russia launched airstrikes on towns in the Idlib and Hama regions.",  # no extent said
    ],
)
def test_quantifier_pairs_that_must_not_match(other):
    assert detect(row(1, ALEPPO_30, NOV30), row(2, other, NOV30)) == []


def test_quantifier_mismatch_needs_dates_that_can_meet():
    assert detect(row(1, IDLIB_MOST, NOV29), row(2, IDLIB_ALL, date(2025, 3, 1))) == []


def test_casualty_figures_that_differ_for_the_same_airstrike():
    other = "On 28 November, a Russian airstrike on Atarib killed 12 civilians."
    finding = only(detect(row(34, ATARIB, NOV28), row(40, other, NOV28, article=2)))
    assert (finding.kind, finding.detector, finding.rule) == ("conflicts", "number_mismatch", "number_mismatch")
    assert "civilians killed by airstrike in Atarib on 28 November 2024" in finding.evidence
    assert "“fifteen civilians”" in finding.evidence and "“12 civilians”" in finding.evidence


@pytest.mark.parametrize(
    "other,event_date",
    [
        ("On 28 November, at least 14 civilians were killed in a Russian airstrike on Atarib.", NOV28),  # 15 ≥ 14
        ("On 28 November, Syrian shelling killed 3 civilians in Atarib.", NOV28),  # shelling, not the airstrike
        ("On 2 December, a Russian airstrike on Atarib killed 12 civilians.", date(2024, 12, 2)),  # another day
        ("On 28 November, a Russian airstrike on Darat Izza killed four civilians.", NOV28),  # another place
        ("On 28 November, a Russian airstrike on Atarib killed 15 civilians and injured 20 others.", NOV28),  # same
    ],
)
def test_casualty_pairs_that_must_not_match(other, event_date):
    assert detect(row(1, ATARIB, NOV28), row(2, other, event_date, article=2)) == []


# --- near duplicates -------------------------------------------------------------------------------------


def test_near_duplicate_is_a_duplicate_not_a_conflict():
    british = DADIKH.replace("neighborhood", "neighbourhood")
    finding = only(detect(row(1, DADIKH, NOV28), row(2, british, NOV28, article=2)))
    assert (finding.kind, finding.detector) == ("duplicates", "near_duplicate")
    assert finding.score >= 90 and "in two articles" in finding.evidence


def test_near_duplicate_threshold_is_configurable():
    shorter = DADIKH.replace(" as well as a neighborhood in the city of Saraqib", "")
    assert detect(row(1, DADIKH, NOV28), row(2, shorter, NOV28)) == []
    assert only(detect(row(1, DADIKH, NOV28), row(2, shorter, NOV28), duplicate_threshold=75)).kind == "duplicates"


@pytest.mark.parametrize(
    "a,b",
    [
        ("On 28 November, HTS captured village number 1.", "On 28 November, HTS captured village number 2."),
        (ATARIB, ATARIB.replace("fifteen civilians", "fourteen civilians")),  # a number differs: not a duplicate
        (AIRPORT_SDF, AIRPORT_HTS),
    ],
)
def test_duplicate_pairs_that_must_not_match(a, b):
    assert [f for f in detect(row(1, a, NOV28), row(2, b, NOV28)) if f.kind == "duplicates"] == []


def test_settings_threshold_is_used(settings):
    settings.CLAIMS_DUPLICATE_THRESHOLD = 70
    assert conflicts.Options.from_settings().duplicate_threshold == 70


# --- across articles -------------------------------------------------------------------------------------


def test_same_sentence_different_actor_across_articles():
    other = "On 7 December 2024, the Revolutionary Commando Army advanced into the capital from the southeast."
    finding = only(detect(row(88, FREE_ARMY, DEC7, article=1), row(200, other, DEC7, article=2)))
    assert (finding.kind, finding.detector, finding.rule) == (
        "conflicts",
        "cross_article",
        "same_sentence_different_actor",
    )
    assert "Syrian Free Army" in finding.evidence and "Revolutionary Commando Army" in finding.evidence
    assert finding.score >= 85
    assert "renamed itself the Syrian Free Army" in finding.evidence  # the gazetteer's caution is shown


@pytest.mark.parametrize(
    "other,article,event_date",
    [
        ("On 7 December 2024, rebel forces advanced into the capital from the southeast.", 2, DEC7),  # its side
        ("On 7 December 2024, the Revolutionary Commando Army advanced into the capital from the southeast.", 1, DEC7),
        ("On 9 December 2024, the Revolutionary Commando Army advanced into the capital from the southeast.", 2,
         date(2024, 12, 9)),  # another event
        ("On 7 December 2024, the Revolutionary Commando Army was seen near Homs.", 2, DEC7),  # another sentence
    ],
)  # fmt: skip
def test_cross_article_pairs_that_must_not_match(other, article, event_date):
    assert detect(row(88, FREE_ARMY, DEC7, article=1), row(200, other, event_date, article=article)) == []


# --- blocking keeps the cost near-linear -----------------------------------------------------------------


def test_blocks_too_common_to_compare_are_skipped_and_reported():
    rows = [row(i, f"On 30 November, the SDF captured Aleppo International Airport ({i}).", NOV30) for i in range(6)]
    run = conflicts.Run()
    assert conflicts.detect(rows, options=conflicts.Options(max_block=5), run=run) == []
    assert any("aleppo_airport: 6 claims" in b for b in run.skipped_blocks)


def test_comparisons_grow_linearly_not_quadratically():
    def comparisons(n):
        rows = [row(i, f"On 28 November, shelling hit village {i} near road {i * 7}.", NOV28) for i in range(n)]
        rows += [row(n + 1, AIRPORT_SDF, NOV30), row(n + 2, AIRPORT_HTS, NOV30)]
        run = conflicts.Run()
        found = conflicts.detect(rows, run=run)
        assert [(f.claim_a, f.claim_b) for f in found] == [(n + 1, n + 2)]
        return run.comparisons

    at_1k, at_2k, at_4k = comparisons(1000), comparisons(2000), comparisons(4000)
    assert at_2k <= 2.2 * at_1k and at_4k <= 2.2 * at_2k  # all pairs would be 4× per doubling
    assert at_4k < 4000 * 5


# --- the service: suggestions written, idempotent, dismissed never again ---------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def sample(db, editor):
    report = article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=editor, url="https://example.org/nw-syria")
    return report


def relation_between(text_a: str, text_b: str) -> ClaimRelation:
    a = Claim.objects.get(text=text_a)
    b = Claim.objects.get(text=text_b)
    low, high = sorted((a.pk, b.pk))
    return ClaimRelation.objects.get(claim_a_id=low, claim_b_id=high)


@pytestmark_db
def test_import_of_the_sample_suggests_the_airport_and_idlib_conflicts(sample, editor):
    airport = relation_between(AIRPORT_SDF, AIRPORT_HTS)
    assert (airport.kind, airport.state, airport.detector) == ("conflicts", "suggested", "actor_mismatch")
    assert "Same object, different actor: Aleppo International Airport on 30 November 2024" in airport.evidence
    idlib = relation_between(IDLIB_MOST, IDLIB_ALL)
    assert (idlib.kind, idlib.state, idlib.detector) == ("conflicts", "suggested", "quantifier_mismatch")
    assert "all of Idlib province" in idlib.evidence
    assert airport.created_by == editor
    history = airport.history.first()
    assert history.history_user == editor and history.history_change_reason.startswith("suggested: imported from")
    # Both claims carry the open conflict among their confidence factors.
    sdf = Claim.objects.get(text=AIRPORT_SDF)
    assert any(f["factor"] == "suggested conflict" for f in sdf.confidence_factors)
    assert sample.relations_suggested == ClaimRelation.objects.count()


@pytestmark_db
def test_import_of_the_sample_suggests_its_four_findings_and_no_other(sample):
    # Two dates for HTS in Aleppo, all/most of Idlib, the airport taken by the SDF / the HTS-led opposition.
    assert sorted(ClaimRelation.objects.values_list("detector", flat=True)) == [
        "actor_mismatch",
        "date_mismatch",
        "date_mismatch",
        "quantifier_mismatch",
    ]


@pytestmark_db
def test_detection_is_idempotent(sample, editor):
    before = ClaimRelation.objects.count()
    report = services.relations_suggest(article=Claim.objects.first().article, actor=editor, reason="again")
    assert report.created == 0 and report.already_related == before
    assert ClaimRelation.objects.count() == before


@pytestmark_db
def test_dismissed_suggestions_are_never_proposed_again(sample, editor, reviewer):
    airport = relation_between(AIRPORT_SDF, AIRPORT_HTS)
    services.relation_dismiss(relation=airport, actor=reviewer, note="the SDF withdrew, then HTS took it")
    article = Claim.objects.get(text=AIRPORT_SDF).article
    # Over everything, and on a re-import of a new revision of the article.
    services.relations_suggest(actor=editor, reason="nightly run")
    revised = SAMPLE.read_text(encoding="utf-8") + "The offensive ended on 8 December 2024.\n"
    article_import(text=revised, actor=editor, article=article)
    airport.refresh_from_db()
    assert airport.state == "dismissed"
    assert ClaimRelation.objects.filter(pk=airport.pk).count() == 1
    sdf = Claim.objects.get(text=AIRPORT_SDF)
    assert not any("conflict" in f["factor"] for f in sdf.confidence_factors)


@pytestmark_db
def test_cross_article_import_suggests_the_other_actor(sample, editor):
    report = article_import(text=SECOND_ARTICLE, actor=editor)
    assert report.relations_suggested >= 1
    relation = relation_between(FREE_ARMY, SECOND_ARTICLE.splitlines()[1].split(" [1]")[0])
    assert (relation.kind, relation.state, relation.detector) == ("conflicts", "suggested", "cross_article")
    assert "Same sentence in two articles, different actor" in relation.evidence


@pytestmark_db
def test_suggesting_needs_the_editor_permission(viewer):
    with pytest.raises(PermissionDenied):
        services.relations_suggest(actor=viewer)


@pytestmark_db
def test_detect_conflicts_command(sample):
    from io import StringIO

    out = StringIO()
    call_command("detect_conflicts", "--user", "editor", stdout=out)
    assert "Conflict detection over all claims" in out.getvalue()
    assert "0 new suggestion(s)" in out.getvalue()
    with pytest.raises(CommandError, match="no article with id 999999"):
        call_command("detect_conflicts", "--article", "999999")
    with pytest.raises(CommandError, match="unknown user"):
        call_command("detect_conflicts", "--user", "nobody")
    UserFactory(username="onlyviewer", role="Viewer")
    with pytest.raises(
        CommandError, match="may not suggest relations between claims: that takes the Editor or Lead role"
    ):
        call_command("detect_conflicts", "--user", "onlyviewer")


# --- the workflow: confirm, dismiss, resolve; each with permissions and a reason in history ---------------


@pytest.fixture
def airport_conflict(db, editor):
    a = ClaimFactory(text=AIRPORT_SDF, event_date=NOV30)
    b = ClaimFactory(text=AIRPORT_HTS, event_date=NOV30, revision=a.revision)
    report = services.relations_suggest(claims=[a.pk, b.pk], actor=editor, reason="test run")
    assert report.created == 1
    return ClaimRelation.objects.get()


@pytestmark_db
def test_resolution_workflow_with_permissions(airport_conflict, editor, reviewer, lead):
    relation = airport_conflict
    with pytest.raises(PermissionDenied):
        services.relation_confirm(relation=relation, actor=editor, note="editors may not confirm")
    with pytest.raises(services.ServiceError):
        services.relation_confirm(relation=relation, actor=reviewer, note="  ")
    with pytest.raises(services.ServiceError, match="only a confirmed conflict"):
        services.relation_resolve(relation=relation, resolution="b_stands", note="too early", actor=lead)
    services.relation_confirm(relation=relation, actor=reviewer, note="both cannot be true at the same time")
    with pytest.raises(PermissionDenied):
        services.relation_resolve(relation=relation, resolution="b_stands", note="a reviewer tries", actor=reviewer)
    with pytest.raises(services.ServiceError, match="not a resolution"):
        services.relation_resolve(relation=relation, resolution="maybe", note="?", actor=lead)
    services.relation_resolve(
        relation=relation, resolution="both_partly", note="SDF took it, then withdrew; HTS took it", actor=lead
    )
    relation.refresh_from_db()
    assert (relation.state, relation.resolution, relation.resolved_by) == ("resolved", "both_partly", lead)
    reasons = list(
        relation.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", "history_user__username"
        )
    )  # noqa: E501
    assert reasons == [
        ("suggested: test run", "editor"),
        ("confirmed: both cannot be true at the same time", "reviewer"),
        ("resolved (both partly): SDF took it, then withdrew; HTS took it", "lead"),
    ]


@pytestmark_db
def test_resolving_with_unresolved_keeps_the_note(airport_conflict, reviewer, lead):
    services.relation_confirm(relation=airport_conflict, actor=reviewer, note="real")
    services.relation_resolve(relation=airport_conflict, resolution="unresolved", note="sources disagree", actor=lead)
    airport_conflict.refresh_from_db()
    assert airport_conflict.resolution_note == "sources disagree"


@pytestmark_db
def test_only_conflicts_are_resolved(editor, reviewer, lead):
    a = ClaimFactory(text=DADIKH)
    b = ClaimFactory(text=DADIKH, revision=a.revision)
    relation = services.relation_create(claim_a=a, claim_b=b, kind="duplicates", actor=editor, reason="same words")
    with pytest.raises(services.ServiceError, match="only conflicts"):
        services.relation_resolve(relation=relation, resolution="a_stands", note="dup", actor=lead)


@pytestmark_db
def test_manual_relation_from_an_editor_not_a_reviewer(editor, reviewer):
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_WITHDRAW, revision=a.revision)
    with pytest.raises(PermissionDenied):
        services.relation_create(claim_a=a, claim_b=b, kind="conflicts", actor=reviewer, reason="no")
    relation = services.relation_create(claim_a=b, claim_b=a, kind="conflicts", actor=editor, reason="who held it?")
    assert (relation.claim_a_id, relation.claim_b_id) == tuple(sorted((a.pk, b.pk)))
    # Confirming belongs to reviewers (issue #15): an editor's relation waits for one as a suggestion.
    assert (relation.state, relation.detector, relation.evidence) == ("suggested", "manual", "who held it?")


# --- cost: the query count does not grow with the number of claims ---------------------------------------


def _background(n: int, editor, *, offset: int = 0) -> None:
    """n claims in other articles, dated near the focus article's, that conflict with nothing."""
    per_article = 1000
    for start in range(offset, offset + n, per_article):
        revision = RevisionFactory()
        claims = [
            Claim(
                article_id=revision.article_id, revision=revision, text=f"On 30 November, shelling hit village {i} "
                f"near road {i * 7}.", paragraph_index=0, sentence_index=i, start=0, end=40, event_date=NOV30,
                created_by=editor,
            )
            for i in range(start, min(offset + n, start + per_article))
        ]  # fmt: skip
        bulk_create_with_history(claims, Claim, batch_size=1000, default_user=editor, default_change_reason="bench")


def _suggest_queries(article, editor) -> int:
    ClaimRelation.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        report = services.relations_suggest(article=article, actor=editor, reason="cost")
    assert report.created == 1
    return len(ctx.captured_queries)


@pytestmark_db
def test_query_count_does_not_grow_with_claims(editor, django_assert_max_num_queries):
    article = ArticleFactory()
    revision = RevisionFactory(article=article)
    ClaimFactory(revision=revision, text=AIRPORT_SDF, event_date=NOV30)
    ClaimFactory(revision=revision, text=AIRPORT_HTS, event_date=NOV30)
    _background(1_000, editor)
    at_1k = _suggest_queries(article, editor)
    _background(9_000, editor, offset=1_000)
    assert Claim.objects.count() == 10_002
    with django_assert_max_num_queries(at_1k):
        _suggest_queries(article, editor)
    assert at_1k <= 20


@pytestmark_db
def test_query_count_over_everything_does_not_grow_with_claims(editor):
    revision = RevisionFactory()
    ClaimFactory(revision=revision, text=AIRPORT_SDF, event_date=NOV30)
    ClaimFactory(revision=revision, text=AIRPORT_HTS, event_date=NOV30)

    def queries() -> int:
        ClaimRelation.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert services.relations_suggest(actor=editor, reason="all").created == 1
        return len(ctx.captured_queries)

    _background(1_000, editor)
    at_1k = queries()
    _background(9_000, editor, offset=1_000)
    assert queries() <= at_1k
