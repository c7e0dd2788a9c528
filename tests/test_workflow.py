"""The review workflow through its services: the transition table by role, four-eyes, frozen claims, stale versions.

Every refusal must name what is wrong and write nothing: no status change, no version bump, no Review row, no
history row.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services, workflow
from claims.models import DECIDED_STATUSES, Claim, ClaimCitation, ClaimStatus, Review
from tests.factories import CitationFactory, ClaimCitationFactory, ClaimFactory

pytestmark = pytest.mark.django_db

S = ClaimStatus
ROLES = ("viewer", "editor", "reviewer", "lead")


@pytest.fixture
def users(viewer, editor, reviewer, lead):
    return {"viewer": viewer, "editor": editor, "reviewer": reviewer, "lead": lead}


def make_claim(status: str, *, cited: bool = True, **fields) -> Claim:
    claim = ClaimFactory(status=status, **fields)
    if cited:
        ClaimCitationFactory(claim=claim)
    return claim


def snapshot(claim: Claim) -> dict:
    """Everything a refused write must leave as it was."""
    row = Claim.objects.values().get(pk=claim.pk)
    return {
        "row": row,
        "reviews": Review.objects.filter(claim=claim).count(),
        "history": claim.history.count(),
        "links": list(ClaimCitation.objects.filter(claim=claim).values()),
        "link_history": ClaimCitation.history.filter(claim_id=claim.pk).count(),
    }


def last_reason(claim: Claim) -> str:
    return claim.history.order_by("-history_date", "-history_id").first().history_change_reason


# ---- the table itself --------------------------------------------------------------------------------------


def test_the_table_is_the_documented_graph():
    """unreviewed/needs_source → in_review → a decision; decided → in_review only by reopening."""
    assert set(workflow.allowed_targets(S.UNREVIEWED)) == {S.IN_REVIEW, S.NEEDS_SOURCE}
    assert set(workflow.allowed_targets(S.NEEDS_SOURCE)) == {S.IN_REVIEW, S.UNREVIEWED}
    assert set(workflow.allowed_targets(S.IN_REVIEW)) == {*DECIDED_STATUSES, S.UNREVIEWED, S.NEEDS_SOURCE}
    for decided in DECIDED_STATUSES:
        assert workflow.allowed_targets(decided) == [S.IN_REVIEW]
        assert workflow.TRANSITIONS[(decided, S.IN_REVIEW)].action == "reopen"
        assert workflow.TRANSITIONS[(S.IN_REVIEW, decided)].needs_note
        assert workflow.TRANSITIONS[(S.IN_REVIEW, decided)].four_eyes
    assert workflow.TRANSITIONS[(S.VERIFIED, S.IN_REVIEW)].needs_note


# ---- every allowed move, for every role: a parametrized matrix ----------------------------------------------


def do_start(claim, actor):
    return services.claim_start_review(claim_id=claim.pk, actor=actor, seen_version=claim.version)


def do_decide(to):
    def run(claim, actor):
        return services.claim_decide(
            claim_id=claim.pk, status=to, note=f"checked: {to}", seen_version=claim.version, actor=actor
        )

    return run


def do_reopen(claim, actor):
    return services.claim_reopen(claim_id=claim.pk, note="new evidence", seen_version=claim.version, actor=actor)


def do_release(claim, actor):
    return services.claim_release(claim_id=claim.pk, actor=actor, seen_version=claim.version)


def do_add_source(claim, actor):
    citation = CitationFactory(article=claim.article)
    services.claim_citation_add(
        claim_id=claim.pk, citation=citation, actor=actor, reason="found the source", seen_version=claim.version
    )
    return Claim.objects.get(pk=claim.pk)


def do_remove_source(claim, actor):
    link = claim.claim_citations.get()
    return services.claim_citation_remove(
        claim_citation=link, actor=actor, reason="wrong source", seen_version=claim.version
    )


def do_assign_self(claim, actor):
    return services.claim_assign(claim_id=claim.pk, assignee=actor, actor=actor, seen_version=claim.version)


def do_assign_other(claim, actor):
    from tests.factories import UserFactory

    other = UserFactory(username="other-reviewer", role="Reviewer")
    return services.claim_assign(claim_id=claim.pk, assignee=other, actor=actor, seen_version=claim.version)


# How a refusal names who may (the roles, never a permission codename).
BY_REVIEWERS, BY_EDITORS, BY_LEADS = (
    "takes the Reviewer or Lead role",
    "takes the Editor or Lead role",
    "takes the Lead role",
)

# (name, from status, cited, call, expected status, roles allowed, a phrase of the refusal for the others)
MOVES = [
    ("start from unreviewed", S.UNREVIEWED, True, do_start, S.IN_REVIEW, {"reviewer", "lead"}, BY_REVIEWERS),
    ("start from needs_source", S.NEEDS_SOURCE, False, do_start, S.IN_REVIEW, {"reviewer", "lead"}, BY_REVIEWERS),
    *[
        (f"decide {to}", S.IN_REVIEW, True, do_decide(to), to, {"reviewer", "lead"}, BY_REVIEWERS)
        for to in DECIDED_STATUSES
    ],
    *[(f"reopen {frm}", frm, True, do_reopen, S.IN_REVIEW, {"lead"}, BY_LEADS) for frm in DECIDED_STATUSES],
    ("release cited", S.IN_REVIEW, True, do_release, S.UNREVIEWED, {"reviewer", "lead"}, BY_REVIEWERS),
    ("release uncited", S.IN_REVIEW, False, do_release, S.NEEDS_SOURCE, {"reviewer", "lead"}, BY_REVIEWERS),
    ("source added", S.NEEDS_SOURCE, False, do_add_source, S.UNREVIEWED, {"editor", "lead"}, BY_EDITORS),
    ("source removed", S.UNREVIEWED, True, do_remove_source, S.NEEDS_SOURCE, {"editor", "lead"}, BY_EDITORS),
    ("take for oneself", S.UNREVIEWED, True, do_assign_self, S.UNREVIEWED, {"reviewer", "lead"}, BY_REVIEWERS),
    ("assign to another", S.UNREVIEWED, True, do_assign_other, S.UNREVIEWED, {"lead"}, BY_LEADS),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "frm", "cited", "call", "to", "allowed", "refusal"), MOVES, ids=[m[0] for m in MOVES])
def test_role_by_transition(users, role, name, frm, cited, call, to, allowed, refusal):
    actor = users[role]
    claim = make_claim(frm, cited=cited)
    before = snapshot(claim)
    if role in allowed:
        result = call(claim, actor)
        claim.refresh_from_db()
        assert claim.status == to
        assert result.pk == claim.pk
        assert claim.version > before["row"]["version"]
        assert claim.history.count() > before["history"]
        assert claim.history.order_by("-history_date", "-history_id").first().history_user == actor
        if workflow.is_decided(to) or workflow.is_decided(frm):  # decisions and reopenings are logged
            review = Review.objects.get(claim=claim)
            assert (review.reviewer, review.from_status, review.to_status) == (actor, frm, to)
            assert review.claim_version == claim.version
            assert review.note in last_reason(claim)
        else:
            assert not Review.objects.filter(claim=claim).exists()
    else:
        with pytest.raises(PermissionDenied) as err:
            call(claim, actor)
        assert refusal in str(err.value)
        assert snapshot(claim) == before


# ---- moves not in the table: refused for everybody, even a Lead or a superuser --------------------------


NOT_IN_TABLE = [
    (S.UNREVIEWED, S.VERIFIED),
    (S.NEEDS_SOURCE, S.REFUTED),
    (S.VERIFIED, S.REFUTED),
    (S.DISPUTED, S.VERIFIED),
    (S.REFUTED, S.UNVERIFIABLE),
]


@pytest.mark.parametrize(("frm", "to"), NOT_IN_TABLE)
@pytest.mark.parametrize("who", ["lead", "superuser"])
def test_decision_outside_the_table_is_refused(request, frm, to, who):
    actor = request.getfixturevalue(who)
    claim = make_claim(frm)
    before = snapshot(claim)
    with pytest.raises(workflow.TransitionRefused, match=r"so it cannot become .* now; "):
        services.claim_decide(claim_id=claim.pk, status=to, note="n", seen_version=claim.version, actor=actor)
    assert snapshot(claim) == before


@pytest.mark.parametrize(
    ("frm", "call"),
    [
        (S.IN_REVIEW, do_start),
        (S.VERIFIED, do_start),
        (S.UNREVIEWED, do_reopen),
        (S.IN_REVIEW, do_reopen),
        (S.UNREVIEWED, do_release),
        (S.REFUTED, do_release),
    ],
)
def test_other_moves_outside_the_table_are_refused(lead, frm, call):
    claim = make_claim(frm)
    before = snapshot(claim)
    with pytest.raises(workflow.TransitionRefused, match="so it cannot .* now"):
        call(claim, lead)
    assert snapshot(claim) == before


def test_not_a_decision_is_refused(reviewer):
    claim = make_claim(S.IN_REVIEW)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="'in_review' is not a decision"):
        services.claim_decide(claim_id=claim.pk, status=S.IN_REVIEW, note="n", seen_version=1, actor=reviewer)
    assert snapshot(claim) == before


def test_assigning_a_decided_claim_is_refused(lead, reviewer):
    claim = make_claim(S.VERIFIED)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="already verified: reopen it first"):
        services.claim_assign(claim_id=claim.pk, assignee=reviewer, actor=lead)
    assert snapshot(claim) == before


def test_inactive_reviewer_may_not_decide(reviewer):
    reviewer.is_active = False
    reviewer.save()
    claim = make_claim(S.IN_REVIEW)
    with pytest.raises(PermissionDenied, match=BY_REVIEWERS):
        do_decide(S.VERIFIED)(claim, reviewer)


# ---- notes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_a_decision_needs_a_note(reviewer, note):
    claim = make_claim(S.IN_REVIEW)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="you must write a note"):
        services.claim_decide(claim_id=claim.pk, status=S.VERIFIED, note=note, seen_version=1, actor=reviewer)
    assert snapshot(claim) == before


@pytest.mark.parametrize("note", ["", "  "])
def test_reopening_needs_a_note(lead, note):
    claim = make_claim(S.REFUTED)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="to reopen claim .* you must write a note"):
        services.claim_reopen(claim_id=claim.pk, note=note, seen_version=claim.version, actor=lead)
    assert snapshot(claim) == before


def test_decision_review_and_history_carry_the_note(reviewer):
    claim = make_claim(S.IN_REVIEW)
    services.claim_decide(
        claim_id=claim.pk, status=S.DISPUTED, note="  Two sources disagree on the date.  ", seen_version=1,
        actor=reviewer,
    )  # fmt: skip
    claim.refresh_from_db()
    review = Review.objects.get(claim=claim)
    assert review.note == "Two sources disagree on the date."
    assert last_reason(claim) == "Two sources disagree on the date."
    assert claim.decided_at is not None
    assert claim.priority == 0  # out of the queue


def test_reopen_clears_the_decision_and_logs_it(reviewer, lead):
    claim = make_claim(S.IN_REVIEW)
    claim = do_decide(S.VERIFIED)(claim, reviewer)
    claim = services.claim_reopen(claim_id=claim.pk, note="the source was retracted", seen_version=2, actor=lead)
    claim.refresh_from_db()
    assert (claim.status, claim.decided_at, claim.version) == (S.IN_REVIEW, None, 3)
    assert last_reason(claim) == "reopened: the source was retracted"
    log = list(Review.objects.filter(claim=claim).values_list("from_status", "to_status", "reviewer__username"))
    assert log == [(S.IN_REVIEW, S.VERIFIED, "reviewer"), (S.VERIFIED, S.IN_REVIEW, "lead")]


# ---- four-eyes ---------------------------------------------------------------------------------------------


def test_creator_may_not_decide_even_as_lead(lead):
    claim = make_claim(S.IN_REVIEW, created_by=lead, last_edited_by=None)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match=r"four-eyes rule: Lena Lead created claim #\d+ and may not decide it"):
        do_decide(S.VERIFIED)(claim, lead)
    assert snapshot(claim) == before


def test_creator_may_not_decide_even_as_superuser(superuser):
    claim = make_claim(S.IN_REVIEW, created_by=superuser, last_edited_by=None)
    with pytest.raises(PermissionDenied, match="four-eyes rule"):
        do_decide(S.REFUTED)(claim, superuser)


def test_editor_may_not_decide_own_claim_and_is_told_four_eyes(editor):
    claim = make_claim(S.IN_REVIEW, created_by=editor)
    with pytest.raises(PermissionDenied, match="four-eyes rule: Eddie Editor created claim"):
        do_decide(S.VERIFIED)(claim, editor)


def test_last_editor_of_the_text_may_not_decide(lead, reviewer):
    claim = make_claim(S.IN_REVIEW)
    claim = services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="typo", text=claim.text + " (sic)"
    )
    assert claim.last_edited_by == lead
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="four-eyes rule: Lena Lead last edited the text or citations"):
        do_decide(S.VERIFIED)(claim, lead)
    assert snapshot(claim) == before
    do_decide(S.VERIFIED)(claim, reviewer)  # somebody else may


def test_last_editor_of_the_citations_may_not_decide(lead):
    claim = make_claim(S.IN_REVIEW)
    link = claim.claim_citations.get()
    services.claim_citation_update(claim_citation=link, actor=lead, reason="graded", info_grade=2)
    claim.refresh_from_db()
    with pytest.raises(PermissionDenied, match="last edited the text or citations"):
        do_decide(S.VERIFIED)(claim, lead)


def test_editing_what_the_article_says_keeps_the_last_editor(lead, reviewer):
    """Only the text and citations make someone an editor in the four-eyes sense, not the event date."""
    claim = make_claim(S.IN_REVIEW)
    editor_before = claim.last_edited_by_id
    claim = services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="date", event_date="2024-11-28"
    )
    assert claim.last_edited_by_id == editor_before
    do_decide(S.VERIFIED)(claim, lead)


def test_creator_may_not_start_reviewing(lead):
    claim = make_claim(S.UNREVIEWED, created_by=lead)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="four-eyes rule: Lena Lead created claim #\\d+ and may not review it"):
        do_start(claim, lead)
    assert snapshot(claim) == before


def test_creator_may_not_be_assigned(lead, reviewer):
    claim = make_claim(S.UNREVIEWED, created_by=reviewer)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="four-eyes rule: Rita Reviewer created or last edited"):
        services.claim_assign(claim_id=claim.pk, assignee=reviewer, actor=lead)
    assert snapshot(claim) == before


def test_non_reviewer_may_not_be_assigned(lead, editor):
    claim = make_claim(S.UNREVIEWED)
    with pytest.raises(ValidationError, match="Eddie Editor is not a reviewer"):
        services.claim_assign(claim_id=claim.pk, assignee=editor, actor=lead)


# ---- a claim in someone's hands ----------------------------------------------------------------------------


def test_another_reviewer_may_not_decide_an_assigned_claim(reviewer, reviewer2, lead):
    claim = make_claim(S.IN_REVIEW, assigned_to=reviewer)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="is assigned to Rita Reviewer: only they or a Lead may decide it"):
        do_decide(S.VERIFIED)(claim, reviewer2)
    with pytest.raises(PermissionDenied, match="assigned to Rita Reviewer"):
        do_release(claim, reviewer2)
    assert snapshot(claim) == before
    do_decide(S.VERIFIED)(claim, lead)  # a Lead may


def test_another_reviewer_may_not_take_an_assigned_claim(reviewer, reviewer2, lead):
    claim = make_claim(S.UNREVIEWED, assigned_to=reviewer)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="takes the Lead role"):
        do_assign_self(claim, reviewer2)
    with pytest.raises(PermissionDenied, match="assigned to Rita Reviewer"):
        do_start(claim, reviewer2)
    assert snapshot(claim) == before


def test_starting_a_claim_a_lead_assigned_keeps_the_assignee(reviewer, lead):
    claim = make_claim(S.UNREVIEWED)
    services.claim_assign(claim_id=claim.pk, assignee=reviewer, actor=lead)
    claim = services.claim_start_review(claim_id=claim.pk, actor=reviewer)
    assert (claim.status, claim.assigned_to) == (S.IN_REVIEW, reviewer)
    assert last_reason(claim) == "review started"


def test_release_unassigns(reviewer):
    claim = make_claim(S.UNREVIEWED)
    claim = do_start(claim, reviewer)
    assert claim.assigned_to == reviewer
    claim = services.claim_release(claim_id=claim.pk, actor=reviewer, note="not my field")
    assert (claim.status, claim.assigned_to) == (S.UNREVIEWED, None)
    assert last_reason(claim) == "not my field"


# ---- frozen once decided -----------------------------------------------------------------------------------


@pytest.fixture
def decided(reviewer):
    claim = make_claim(S.IN_REVIEW)
    return do_decide(S.VERIFIED)(claim, reviewer)


@pytest.mark.parametrize(
    ("changes", "what"),
    [
        ({"text": "A different statement."}, "its text and anchor cannot change"),
        ({"start": 3}, "its anchor cannot change"),
        ({"paragraph_index": 7}, "its anchor cannot change"),
        ({"prefix": "other words"}, "its anchor cannot change"),
        ({"anchor_state": "moved"}, "its anchor cannot change"),
    ],
)
def test_decided_text_and_anchor_are_frozen(decided, lead, changes, what):
    before = snapshot(decided)
    with pytest.raises(services.FrozenClaim, match=f"claim #{decided.pk} is verified: {what} until a Lead reopens"):
        services.claim_update(claim_id=decided.pk, seen_version=decided.version, actor=lead, reason="x", **changes)
    assert snapshot(decided) == before


def test_decided_citations_are_frozen(decided, lead):
    before = snapshot(decided)
    link = decided.claim_citations.get()
    with pytest.raises(services.FrozenClaim, match="its citations cannot change"):
        services.claim_citation_add(
            claim_id=decided.pk, citation=CitationFactory(article=decided.article), actor=lead, reason="x"
        )
    with pytest.raises(services.FrozenClaim, match="its citations cannot change"):
        services.claim_citation_update(claim_citation=link, actor=lead, reason="x", stance="contradicts")
    with pytest.raises(services.FrozenClaim, match="its citations cannot change"):
        services.claim_citation_remove(claim_citation=link, actor=lead, reason="x")
    assert snapshot(decided) == before


def test_removing_a_citation_twice_says_it_is_gone(editor):
    claim = make_claim(S.UNREVIEWED)
    link = claim.claim_citations.get()
    services.claim_citation_remove(claim_citation=link, actor=editor, reason="wrong source")
    assert link.pk is not None  # the caller's object is left alone
    claim.refresh_from_db()
    before = snapshot(claim)
    with pytest.raises(ValidationError, match=r"no longer cites \["):
        services.claim_citation_remove(claim_citation=link, actor=editor, reason="again")
    assert snapshot(claim) == before


def test_unchanged_values_on_a_decided_claim_are_no_change(decided, lead):
    same = services.claim_update(
        claim_id=decided.pk, seen_version=decided.version, actor=lead, reason="x", text=decided.text
    )
    assert same.version == decided.version


def test_reopened_claim_can_be_edited_again(decided, lead):
    claim = services.claim_reopen(claim_id=decided.pk, note="typo in text", seen_version=decided.version, actor=lead)
    claim = services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="typo", text="Fixed text."
    )
    assert claim.text == "Fixed text."


def test_a_new_claim_cannot_start_decided(lead):
    claim = make_claim(S.UNREVIEWED)
    with pytest.raises(ValidationError, match="a new claim starts unreviewed or needing a source"):
        services.claim_create(
            article=claim.article, revision=claim.revision, text="x", actor=lead, reason="r", status=S.VERIFIED
        )


# ---- optimistic locking ------------------------------------------------------------------------------------


def test_stale_decision_fails_naming_who_and_when_and_writes_nothing(lead, reviewer):
    claim = make_claim(S.IN_REVIEW)
    seen = claim.version
    services.claim_update(claim_id=claim.pk, seen_version=seen, actor=lead, reason="typo", event_date="2024-11-28")
    claim.refresh_from_db()
    before = snapshot(claim)
    with pytest.raises(
        services.StaleClaim,
        match=r"this claim changed since you opened it \(by Lena Lead at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)",
    ):
        services.claim_decide(claim_id=claim.pk, status=S.VERIFIED, note="ok", seen_version=seen, actor=reviewer)
    assert snapshot(claim) == before


def test_stale_edit_fails_and_writes_nothing(lead, editor):
    claim = make_claim(S.UNREVIEWED)
    seen = claim.version
    services.claim_update(claim_id=claim.pk, seen_version=seen, actor=lead, reason="one", text="First edit.")
    claim.refresh_from_db()
    before = snapshot(claim)
    with pytest.raises(services.StaleClaim, match="by Lena Lead"):
        services.claim_update(claim_id=claim.pk, seen_version=seen, actor=editor, reason="two", text="Second edit.")
    with pytest.raises(services.StaleClaim):
        services.claim_citation_add(
            claim_id=claim.pk, citation=CitationFactory(article=claim.article), actor=editor, reason="r",
            seen_version=seen,
        )  # fmt: skip
    assert snapshot(claim) == before


def test_a_decision_must_name_the_version_it_was_made_on(reviewer):
    claim = make_claim(S.IN_REVIEW)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match="which version"):
        services.claim_decide(claim_id=claim.pk, status=S.VERIFIED, note="ok", seen_version=None, actor=reviewer)
    assert snapshot(claim) == before


def test_every_write_raises_the_version(reviewer, lead):
    claim = make_claim(S.UNREVIEWED)
    versions = [claim.version]
    claim = do_start(claim, reviewer)
    versions.append(claim.version)
    claim = do_decide(S.VERIFIED)(claim, reviewer)
    versions.append(claim.version)
    claim = do_reopen(claim, lead)
    versions.append(claim.version)
    assert versions == [1, 2, 3, 4]


def test_unknown_claim_is_a_clear_error(reviewer):
    with pytest.raises(ValidationError, match="claim #999999 does not exist"):
        services.claim_decide(claim_id=999999, status=S.VERIFIED, note="n", seen_version=1, actor=reviewer)
