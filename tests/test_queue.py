"""The review queue: priority order, "take next", bulk actions and the counts on the admin index."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import selectors, services
from claims.models import Claim, ClaimRelation, ClaimStatus, Review
from claims.services.importing import article_import
from tests.factories import CitationFactory, ClaimCitationFactory, RevisionFactory

pytestmark = pytest.mark.django_db

S = ClaimStatus
SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "northwestern_syria_offensive.txt"


@pytest.fixture
def revision():
    return RevisionFactory()


@pytest.fixture
def new_claim(editor, revision):
    """A claim made the way the product makes them (so its stored priority is computed), by the editor."""

    def make(text: str, *, status=S.UNREVIEWED, cited=False, actor=None, **fields) -> Claim:
        actor = actor or editor
        claim = services.claim_create(
            article=revision.article, revision=revision, text=text, actor=actor, reason="test", status=status, **fields
        )
        if cited:
            citation = CitationFactory(article=revision.article)
            services.claim_citation_add(claim_id=claim.pk, citation=citation, actor=actor, reason="test")
            claim.refresh_from_db()
        return claim

    return make


def queue_texts(**kwargs) -> list[str]:
    return list(selectors.review_queue(**kwargs).values_list("text", flat=True))


# ---- priority ----------------------------------------------------------------------------------------------


def test_queue_puts_needs_source_hedged_and_conflicting_claims_first_then_oldest(new_claim, lead, reviewer):
    old_plain = new_claim("Plain and oldest.", cited=True)
    new_claim("Tagged.", cited=True, tags=["dubious"])
    new_claim("Hedged.", cited=True, hedge_kind="reported", hedge_phrase="reportedly")
    new_claim("Needs a source.", status=S.NEEDS_SOURCE)
    new_claim("Needs a source and hedged.", status=S.NEEDS_SOURCE, hedge_kind="alleged", hedge_phrase="allegedly")
    in_conflict = new_claim("In an open conflict.", cited=True)
    other = new_claim("Says the opposite.", cited=True)
    services.relation_create(claim_a=in_conflict, claim_b=other, kind="conflicts", actor=lead, reason="dates")
    new_claim("Plain and newest.", cited=True)
    decided = new_claim("Decided: not in the queue.", cited=True)
    services.claim_start_review(claim_id=decided.pk, actor=reviewer)
    services.claim_decide(claim_id=decided.pk, status=S.VERIFIED, note="ok", seen_version=3, actor=reviewer)

    assert queue_texts() == [
        "Needs a source and hedged.",  # 40 + 20
        "Needs a source.",  # 40
        "In an open conflict.",  # 30, the older of the pair
        "Says the opposite.",  # 30
        "Hedged.",  # 20
        "Tagged.",  # 10
        "Plain and oldest.",  # 0, oldest first
        "Plain and newest.",
    ]
    assert Claim.objects.get(pk=old_plain.pk).priority == 0


def test_settling_a_conflict_drops_its_claims_back(new_claim, lead, reviewer):
    a = new_claim("Captured on 27 November.", cited=True)
    b = new_claim("Captured on 28 November.", cited=True)
    relation = services.relation_create(
        claim_a=a, claim_b=b, kind="conflicts", actor=lead, reason="dates", state=ClaimRelation.State.SUGGESTED
    )
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("priority", flat=True)) == {30}
    services.relation_dismiss(relation=relation, actor=reviewer, note="same event, two time zones")
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("priority", flat=True)) == {0}


def test_a_claim_taken_without_any_citation_still_counts_as_needing_a_source(new_claim, reviewer):
    claim = new_claim("Nothing backs this.", status=S.NEEDS_SOURCE)
    claim = services.claim_start_review(claim_id=claim.pk, actor=reviewer)
    assert (claim.status, claim.priority) == (S.IN_REVIEW, 40)


def test_the_sample_article_queues_in_priority_order(editor):
    article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=editor, url="https://example.org/nws")
    queue = list(selectors.review_queue().values("priority", "created_at", "id", "status", "hedge_kind", "tags"))
    assert len(queue) == Claim.objects.count() > 50
    keys = [(-c["priority"], c["created_at"], c["id"]) for c in queue]
    assert keys == sorted(keys)
    top = queue[0]
    assert top["status"] == S.NEEDS_SOURCE and top["hedge_kind"]  # uncited and hedged comes first
    # every claim that needs a source, is hedged or flagged, or stands in an open conflict comes before the plain ones
    conflicts = ClaimRelation.objects.filter(kind="conflicts", state__in=["suggested", "confirmed"])
    in_conflict = {*conflicts.values_list("claim_a", flat=True), *conflicts.values_list("claim_b", flat=True)}

    def urgent(c):
        return c["status"] == S.NEEDS_SOURCE or bool(c["hedge_kind"] or c["tags"]) or c["id"] in in_conflict

    first_plain = next(i for i, c in enumerate(queue) if c["priority"] == 0)
    assert all(urgent(c) for c in queue[:first_plain])
    assert not any(urgent(c) for c in queue[first_plain:])


def test_my_queue_is_mine(new_claim, reviewer, reviewer2):
    mine = new_claim("Mine.", cited=True)
    theirs = new_claim("Theirs.", cited=True)
    services.claim_start_review(claim_id=mine.pk, actor=reviewer)
    services.claim_start_review(claim_id=theirs.pk, actor=reviewer2)
    assert queue_texts(user=reviewer) == ["Mine."]


# ---- take next ---------------------------------------------------------------------------------------------


def test_take_next_gives_the_most_urgent_unassigned_claim(new_claim, reviewer, reviewer2):
    new_claim("Plain.", cited=True)
    urgent = new_claim("Urgent.", status=S.NEEDS_SOURCE)
    taken_by_other = new_claim("Even more urgent, but taken.", status=S.NEEDS_SOURCE, hedge_kind="alleged")
    services.claim_assign(claim_id=taken_by_other.pk, assignee=reviewer2, actor=reviewer2)

    claim = services.claim_take_next(actor=reviewer)
    assert claim.pk == urgent.pk
    claim.refresh_from_db()
    assert (claim.status, claim.assigned_to) == (S.IN_REVIEW, reviewer)
    last = claim.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (reviewer, "taken from the queue")
    assert services.claim_take_next(actor=reviewer).text == "Plain."
    assert services.claim_take_next(actor=reviewer) is None


def test_take_next_never_hands_out_a_claim_the_reviewer_created_or_edited(new_claim, lead, editor):
    new_claim("Created by the lead.", status=S.NEEDS_SOURCE, actor=lead)
    edited = new_claim("Edited by the lead.", cited=True)
    services.claim_update(claim_id=edited.pk, seen_version=edited.version, actor=lead, reason="r", text="Edited!")
    fine = new_claim("Somebody else's.", cited=True)
    assert services.claim_take_next(actor=lead).pk == fine.pk
    assert services.claim_take_next(actor=lead) is None


def test_take_next_picks_up_an_unassigned_claim_already_in_review(new_claim, reviewer, reviewer2, lead):
    claim = new_claim("Reopened and handed back.", cited=True)
    services.claim_start_review(claim_id=claim.pk, actor=reviewer2)
    services.claim_assign(claim_id=claim.pk, assignee=None, actor=lead)
    taken = services.claim_take_next(actor=reviewer)
    assert (taken.pk, taken.status, taken.assigned_to) == (claim.pk, S.IN_REVIEW, reviewer)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_take_next_needs_the_reviewer_role(request, new_claim, role):
    new_claim("Waiting.", cited=True)
    with pytest.raises(PermissionDenied, match="may not take claims from the queue"):
        services.claim_take_next(actor=request.getfixturevalue(role))


def test_take_next_locks_with_skip_locked_on_the_claim_row_only(new_claim, reviewer):
    new_claim("Waiting.", cited=True)
    with CaptureQueriesContext(connection) as ctx:
        services.claim_take_next(actor=reviewer)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR NO KEY UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert 'FOR NO KEY UPDATE OF "claims_claim" SKIP LOCKED' in locking[0]
    assert "JOIN" not in locking[0]  # no outer join to lock: PostgreSQL refuses FOR UPDATE on a nullable side


def test_take_next_is_served_by_the_partial_index_on_unassigned_open_claims(new_claim, reviewer):
    """The query "take next" locks with can be answered by walking the partial index of unassigned open claims in
    order (no sort, no scan of decided claims, no assigned claims read and skipped). The planner is told to avoid
    the alternatives so that the answer does not depend on how
    few rows a test table holds."""
    for i in range(5):
        new_claim(f"Waiting {i}.", cited=True)
    qs = selectors.review_queue().filter(assigned_to__isnull=True).exclude(created_by=reviewer).select_related(None)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {knob} = off")
        cursor.execute(f"EXPLAIN {sql} LIMIT 1", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using claim_desk_queue_idx" in plan, plan
    assert "Sort" not in plan, plan
    assert "assigned_to_id IS NULL" not in plan, plan  # the index holds only unassigned claims: no filter for it


# ---- bulk actions ------------------------------------------------------------------------------------------


def snapshot(pk):
    return Claim.objects.values().get(pk=pk), Review.objects.filter(claim_id=pk).count()


def test_bulk_decide_applies_per_claim_and_says_why_each_refusal(new_claim, reviewer, reviewer2):
    ok = new_claim("Ready.", cited=True)
    services.claim_start_review(claim_id=ok.pk, actor=reviewer)
    not_started = new_claim("Not in review yet.", cited=True)
    own = ClaimCitationFactory(claim__status=S.IN_REVIEW, claim__created_by=reviewer).claim
    theirs = new_claim("In someone else's hands.", cited=True)
    services.claim_start_review(claim_id=theirs.pk, actor=reviewer2)
    refused = [not_started.pk, own.pk, theirs.pk]
    before = {pk: snapshot(pk) for pk in refused}

    result = services.claims_decide(
        claim_ids=[ok.pk, not_started.pk, own.pk, theirs.pk, 999999], status=S.VERIFIED, note="checked the wires",
        actor=reviewer,
    )  # fmt: skip
    assert result.done == [ok.pk]
    assert "cannot become verified now; start its review first" in result.refused[not_started.pk]
    assert "four-eyes rule: Rita Reviewer created" in result.refused[own.pk]
    assert "assigned to reviewer2" in result.refused[theirs.pk]
    assert result.refused[999999] == "no such claim"
    assert {pk: snapshot(pk) for pk in refused} == before
    assert Review.objects.get(claim=ok).note == "checked the wires"
    summary = result.summary("decided")
    assert summary.startswith("1 claim(s) decided; 4 refused — ")
    assert f"#{theirs.pk}: claim #{theirs.pk} is assigned to reviewer2" in summary


def test_bulk_decide_needs_one_note_and_a_real_decision(new_claim, reviewer):
    claim = new_claim("Ready.", cited=True)
    with pytest.raises(services.ServiceError, match="a decision needs a reason"):
        services.claims_decide(claim_ids=[claim.pk], status=S.VERIFIED, note=" ", actor=reviewer)
    with pytest.raises(services.ServiceError, match="not a decision"):
        services.claims_decide(claim_ids=[claim.pk], status=S.UNREVIEWED, note="n", actor=reviewer)


def test_bulk_start_and_four_eyes(new_claim, lead, reviewer):
    by_lead = new_claim("The lead's own.", cited=True, actor=lead)
    other = new_claim("Somebody else's.", cited=True)
    result = services.claims_start_review(claim_ids=[by_lead.pk, other.pk], actor=lead)
    assert result.done == [other.pk]
    assert "four-eyes rule: Lena Lead created claim" in result.refused[by_lead.pk]
    assert Claim.objects.get(pk=by_lead.pk).status == S.UNREVIEWED


def test_bulk_assign_is_for_leads(new_claim, lead, reviewer, reviewer2):
    a = new_claim("A.", cited=True)
    b = new_claim("B.", cited=True, actor=lead)
    result = services.claims_assign(claim_ids=[a.pk, b.pk], assignee=reviewer, actor=lead)
    assert result.done == [a.pk, b.pk]
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("assigned_to", flat=True)) == {reviewer.pk}
    result = services.claims_assign(claim_ids=[a.pk], assignee=reviewer2, actor=reviewer)
    assert "takes the Lead role" in result.refused[a.pk]
    assert Claim.objects.get(pk=a.pk).assigned_to == reviewer


# ---- the counts on the admin index --------------------------------------------------------------------------


def test_dashboard_counts(new_claim, reviewer, reviewer2, lead, django_assert_num_queries):
    taken = new_claim("Taken and in review.", cited=True)
    services.claim_start_review(claim_id=taken.pk, actor=reviewer)
    assigned = new_claim("Assigned, not started.", cited=True)
    services.claim_assign(claim_id=assigned.pk, assignee=reviewer, actor=lead)
    reopened = new_claim("Decided by me, then reopened.", cited=True)
    services.claim_start_review(claim_id=reopened.pk, actor=reviewer)
    services.claim_decide(claim_id=reopened.pk, status=S.REFUTED, note="no", seen_version=3, actor=reviewer)
    services.claim_reopen(claim_id=reopened.pk, note="new source", seen_version=4, actor=lead)
    services.claim_assign(claim_id=reopened.pk, assignee=reviewer2, actor=lead)
    new_claim("On the desk.", cited=True)
    new_claim("Also on the desk.", status=S.NEEDS_SOURCE)

    with django_assert_num_queries(3):
        counts = selectors.dashboard_counts(reviewer)
    assert counts == {"assigned": 2, "waiting": 1, "reopened": 1, "desk": 2}
    assert selectors.dashboard_counts(reviewer2) == {"assigned": 1, "waiting": 1, "reopened": 1, "desk": 2}
    assert selectors.dashboard_counts(lead)["reopened"] == 0


# ---- the stored "reopened" flag ---------------------------------------------------------------------------


def test_reopened_flag_follows_the_claims_decisions(new_claim, reviewer, reviewer2, lead):
    claim = new_claim("Decided, reopened, released, taken again, decided again.", cited=True)
    services.claim_start_review(claim_id=claim.pk, actor=reviewer)
    services.claim_decide(claim_id=claim.pk, status=S.VERIFIED, note="ok", seen_version=3, actor=reviewer)
    claim.refresh_from_db()
    assert not claim.reopened and not selectors.reopened_claims().exists()
    services.claim_reopen(claim_id=claim.pk, note="new source", seen_version=claim.version, actor=lead)
    claim.refresh_from_db()
    assert claim.reopened and list(selectors.reopened_claims()) == [claim]
    assert claim.history.order_by("-history_id").first().reopened  # the flag is in the history too
    services.claim_release(claim_id=claim.pk, actor=reviewer)  # assigned to the reviewer who started it
    claim.refresh_from_db()
    assert claim.reopened and not selectors.reopened_claims().exists()  # out of review: not listed
    services.claim_start_review(claim_id=claim.pk, actor=reviewer2)
    assert list(selectors.reopened_claims()) == [claim]  # back in review after a decision: listed again
    assert list(selectors.reopened_claims(user=reviewer)) == [claim]  # decided it before
    assert list(selectors.reopened_claims(user=reviewer2)) == [claim]  # assigned to it now
    assert not selectors.reopened_claims(user=lead).exists()
    claim.refresh_from_db()
    services.claim_decide(claim_id=claim.pk, status=S.REFUTED, note="no", seen_version=claim.version, actor=reviewer2)
    claim.refresh_from_db()
    assert not claim.reopened and not selectors.reopened_claims().exists()


def test_reopened_claims_are_read_from_their_partial_index(new_claim):
    for i in range(3):
        new_claim(f"Open {i}.", cited=True)
    sql, params = selectors.reopened_claims().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        for knob in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {knob} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_reopened_idx" in plan, plan
    assert "claims_review" not in plan  # no join to the review log any more


# ---- bulk actions: a fixed number of queries per batch -------------------------------------------------------


def bulk_queries(run) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("action", ["start", "decide", "assign", "release"])
def test_bulk_actions_cost_the_same_queries_for_3_or_30_claims(new_claim, lead, reviewer, action):
    def prepared(n):
        claims = [new_claim(f"Claim {action} {n}-{i}.", cited=True) for i in range(n)]
        ids = [c.pk for c in claims]
        if action in ("decide", "release"):
            assert services.claims_start_review(claim_ids=ids, actor=reviewer).done == ids
        return ids

    def run(ids):
        if action == "start":
            return services.claims_start_review(claim_ids=ids, actor=reviewer)
        if action == "decide":
            return services.claims_decide(claim_ids=ids, status=S.VERIFIED, note="wires agree", actor=reviewer)
        if action == "assign":
            return services.claims_assign(claim_ids=ids, assignee=reviewer, actor=lead)
        return services.claims_release(claim_ids=ids, actor=reviewer, note="back to the desk")

    small, large = prepared(3), prepared(30)
    reviewer.has_perm("claims.review_claim"), lead.has_perm("claims.assign_claim")  # permissions cached
    results = {}
    few = bulk_queries(lambda: results.setdefault("few", run(small)))
    many = bulk_queries(lambda: results.setdefault("many", run(large)))
    assert results["few"].done == small and results["many"].done == large
    # Fixed per batch: the read and lock, the four-eyes and evidence facts of the whole batch (six queries, since
    # verification needs evidence and four-eyes covers every contributor), one UPDATE, history and review INSERTs.
    assert many == few <= 16, (few, many)


def test_bulk_decide_writes_each_claim_as_the_one_claim_service_would(new_claim, reviewer):
    claims = [new_claim(f"Decided together {i}.", cited=True) for i in range(3)]
    ids = [c.pk for c in claims]
    services.claims_start_review(claim_ids=ids, actor=reviewer)
    versions = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "version"))
    result = services.claims_decide(claim_ids=ids, status=S.DISPUTED, note="two sources disagree", actor=reviewer)
    assert result.done == ids
    for claim in Claim.objects.filter(pk__in=ids):
        assert claim.status == S.DISPUTED and claim.decided_at is not None and not claim.reopened
        assert claim.version == versions[claim.pk] + 1
        latest = claim.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason, latest.status, latest.version) == (
            reviewer, "two sources disagree", S.DISPUTED, claim.version,
        )  # fmt: skip
        review = Review.objects.get(claim=claim)
        assert (review.reviewer, review.from_status, review.to_status, review.claim_version) == (
            reviewer, S.IN_REVIEW, S.DISPUTED, claim.version,
        )  # fmt: skip


def test_bulk_batches_split_a_large_selection(new_claim, reviewer):
    ids = [new_claim(f"Batched {i}.", cited=True).pk for i in range(5)]
    with CaptureQueriesContext(connection) as ctx:
        result = services.review.claims_batch(ids, services.review._start(reviewer), actor=reviewer, batch_size=2)
    assert result.done == ids
    locks = [q for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 3  # batches of 2, 2 and 1
    assert set(Claim.objects.filter(pk__in=ids).values_list("status", flat=True)) == {S.IN_REVIEW}


def test_a_large_desk_queue_is_estimated_on_the_dashboard(new_claim, reviewer, client, monkeypatch):
    for i in range(4):
        new_claim(f"On the desk {i}.", cited=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    assert selectors.dashboard_counts(reviewer)["desk"] == 4 and "desk_estimated" not in selectors.dashboard_counts(
        reviewer
    )
    monkeypatch.setattr(selectors, "EXACT_BELOW", 2)  # as if the desk held more than a page's worth
    counts = selectors.dashboard_counts(reviewer)
    assert counts["desk_estimated"] and counts["desk"] >= 3  # at least what was counted before estimating
    client.force_login(reviewer)
    page = client.get("/admin/").content.decode()
    assert f"≈{counts['desk']:,}" in page
