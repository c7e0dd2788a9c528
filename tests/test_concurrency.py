"""Races on real PostgreSQL: threads, each with its own database connection, released together by a barrier.

- N reviewers decide the same claim on the version they all saw: exactly one decision lands, every other one
  fails as stale and writes nothing.
- Reviewers pressing "Take next" at once never get the same claim (FOR NO KEY UPDATE … SKIP LOCKED), and a
  claim locked by one reviewer is skipped by the others instead of making them wait.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from claims import services
from claims.models import Claim, ClaimStatus, Review
from tests.factories import ClaimCitationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

S = ClaimStatus


def run_together(jobs, *, timeout: float = 20):
    """Run each job in its own thread (own connection), all released at once; return results or exceptions."""
    barrier = threading.Barrier(len(jobs))

    def wrapped(job):
        try:
            barrier.wait(timeout=timeout)
            return job()
        except Exception as err:  # noqa: BLE001 - the test inspects what each thread got
            return err
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result(timeout=timeout) for f in [pool.submit(wrapped, job) for job in jobs]]


def reviewers(n: int):
    return [UserFactory(username=f"racer{i}", role="Reviewer") for i in range(n)]


def test_racing_decisions_exactly_one_lands():
    claim = ClaimCitationFactory(claim__status=S.IN_REVIEW).claim
    seen = claim.version
    racers = reviewers(6)
    decisions = [S.VERIFIED, S.REFUTED, S.DISPUTED, S.UNVERIFIABLE, S.VERIFIED, S.REFUTED]

    def decide(user, status):
        return lambda: services.claim_decide(
            claim_id=claim.pk, status=status, note=f"{user.username} says {status}", seen_version=seen, actor=user
        )

    results = run_together([decide(u, s) for u, s in zip(racers, decisions, strict=True)])

    landed = [r for r in results if isinstance(r, Claim)]
    stale = [r for r in results if isinstance(r, services.StaleClaim)]
    assert len(landed) == 1, results
    assert len(stale) == len(racers) - 1, results
    winner = landed[0]
    assert all("this claim changed since you opened it (by racer" in str(err) for err in stale)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (winner.status, seen + 1)
    review = Review.objects.get(claim=claim)  # one row, the winner's
    assert review.reviewer == winner.history.latest().history_user
    assert claim.history.filter(history_change_reason__contains=" says ").count() == 1


def test_racing_edit_and_decision_on_the_same_version_one_wins():
    claim = ClaimCitationFactory(claim__status=S.IN_REVIEW).claim
    lead = UserFactory(username="racing-lead", role="Lead")
    (reviewer,) = reviewers(1)
    seen = claim.version

    results = run_together(
        [
            lambda: services.claim_update(
                claim_id=claim.pk, seen_version=seen, actor=lead, reason="reworded", text="Reworded claim."
            ),
            lambda: services.claim_decide(
                claim_id=claim.pk, status=S.VERIFIED, note="ok", seen_version=seen, actor=reviewer
            ),
        ]
    )
    assert sum(isinstance(r, Claim) for r in results) == 1, results
    assert sum(isinstance(r, services.StaleClaim) for r in results) == 1, results
    claim.refresh_from_db()
    assert claim.version == seen + 1
    # Either the text changed and nobody decided, or it was decided on the text the reviewer read.
    assert (claim.text == "Reworded claim.") != (claim.status == S.VERIFIED)
    assert Review.objects.filter(claim=claim).count() == (1 if claim.status == S.VERIFIED else 0)


def test_racing_take_next_never_hands_out_the_same_claim_twice():
    claims = [ClaimCitationFactory().claim for _ in range(12)]
    racers = reviewers(4)

    def take_three(user):
        def job():
            got = []
            for _ in range(3):
                claim = services.claim_take_next(actor=user)
                got.append(claim.pk if claim else None)
            return got

        return job

    results = run_together([take_three(u) for u in racers])
    assert not [r for r in results if isinstance(r, Exception)], results
    taken = [pk for got in results for pk in got]
    assert None not in taken
    assert sorted(taken) == sorted(c.pk for c in claims)  # each claim exactly once
    assigned = dict(Claim.objects.values_list("pk", "assigned_to"))
    for user, got in zip(racers, results, strict=True):
        assert all(assigned[pk] == user.pk for pk in got)
    assert set(Claim.objects.values_list("status", flat=True)) == {S.IN_REVIEW}


def test_take_next_skips_a_claim_another_reviewer_holds_instead_of_waiting():
    first, second = (ClaimCitationFactory().claim for _ in range(2))
    holder, taker = reviewers(2)
    locked, release = threading.Event(), threading.Event()

    def hold():
        """Reviewer one is inside "take next" on the first claim and has not committed yet."""
        try:
            with transaction.atomic():
                row = Claim.objects.select_for_update(no_key=True).get(pk=first.pk)
                locked.set()
                release.wait(timeout=10)
                return row.pk
        finally:
            connection.close()

    def take():
        try:
            assert locked.wait(timeout=10)
            claim = services.claim_take_next(actor=taker)
            return claim.pk
        finally:
            release.set()
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        held, took = pool.submit(hold), pool.submit(take)
        assert took.result(timeout=10) == second.pk  # it did not wait for the lock: it skipped to the next claim
        assert held.result(timeout=10) == first.pk
    assert Claim.objects.get(pk=first.pk).assigned_to is None
