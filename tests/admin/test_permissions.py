"""Each role sees in the admin what it may, and gets 403 for what it may not."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, ArticleRevision, Citation, Claim, ClaimCitation, ClaimRelation, Review, Source
from claims.services.sources import source_update
from tests.factories import ClaimCitationFactory, RelationFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [Source, Article, ArticleRevision, Citation, Claim, ClaimCitation, ClaimRelation, Review]

# What each role may do per model in the admin: v(iew), a(dd), c(hange), d(elete).
EXPECTED = {
    "Viewer": {m: "v" for m in MODELS},
    "Editor": {Source: "vac", Article: "vac", ArticleRevision: "v", Citation: "vacd", Claim: "vac",
               ClaimCitation: "vacd", ClaimRelation: "va", Review: "v"},
    "Reviewer": {m: "v" for m in MODELS},
    "Lead": {Source: "vacd", Article: "vacd", ArticleRevision: "v", Citation: "vacd", Claim: "vac",
             ClaimCitation: "vacd", ClaimRelation: "vacd", Review: "v"},
}  # fmt: skip
# Claims are never deleted (orphans are kept); revisions and reviews are never edited in the admin.


@pytest.fixture
def rows(db):
    link = ClaimCitationFactory()
    relation = RelationFactory(claim_a=link.claim, claim_b__revision=link.claim.revision)
    Review.objects.create(
        claim=link.claim, reviewer=UserFactory(), from_status="in_review", to_status="verified", note="ok",
        claim_version=1,
    )  # fmt: skip
    return {
        Source: SourceFactory(), Article: link.claim.article, ArticleRevision: link.claim.revision,
        Citation: link.citation, Claim: link.claim, ClaimCitation: link, ClaimRelation: relation,
        Review: Review.objects.get(),
    }  # fmt: skip


def url(model, view, obj=None):
    name = f"admin:claims_{model._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_role_matrix(client, role, model, rows):
    user = UserFactory(username=f"{role.lower()}-matrix", role=role)
    client.force_login(user)
    allowed = EXPECTED[role][model]
    obj = rows[model]
    checks = {
        "v": [("changelist", None), ("change", obj)],  # the change page of a view-only user is a read-only view
        "a": [("add", None)],
        "d": [("delete", obj)],
    }
    for letter, pages in checks.items():
        for view, target in pages:
            status = client.get(url(model, view, target)).status_code
            expected = 200 if letter in allowed else 403
            assert status == expected, f"{role} {view} {model.__name__}: {status}"
    # "c": a POST to the change page saves only with the change permission.
    if model in (Review, ArticleRevision):
        assert client.post(url(model, "change", obj), {}).status_code == 403
    change_page = client.get(url(model, "change", obj)).content.decode()
    can_save = 'name="_save"' in change_page
    assert can_save == ("c" in allowed), f"{role} sees save on {model.__name__}: {can_save}"


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_history_page_shows_who_when_why_and_what_changed(client, lead, rows):
    source = rows[Source]
    services.source_update(source=source, actor=lead, reason="WP:RSP discussion of 2024", grade="C")
    client.force_login(lead)
    page = client.get(reverse("admin:claims_source_history", args=[source.pk])).content.decode()
    assert "WP:RSP discussion of 2024" in page
    assert "lead" in page
    assert "grade" in page.lower() and "Changes" in page


def test_an_admin_edit_goes_through_the_service_with_the_default_reason(client, lead, rows):
    source = rows[Source]
    client.force_login(lead)
    data = {
        "name": source.name, "aliases": "[]", "domain": "example.org", "kind": source.kind,
        "reliability": source.reliability, "grade": source.grade, "reliability_basis": "", "change_reason": "",
    }  # fmt: skip
    response = client.post(reverse("admin:claims_source_change", args=[source.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = source.history.order_by("-history_id").first()
    assert latest.history_user == lead
    assert latest.history_change_reason == "edited in admin"
    data["domain"], data["change_reason"] = "example.com", "moved domain"
    client.post(reverse("admin:claims_source_change", args=[source.pk]), data)
    assert source.history.order_by("-history_id").first().history_change_reason == "moved domain"


def test_an_editor_cannot_grade_a_source_in_the_admin(client, editor, rows):
    source = rows[Source]
    client.force_login(editor)
    page = client.get(reverse("admin:claims_source_change", args=[source.pk])).content.decode()
    assert 'name="grade"' not in page  # read-only for editors
    assert 'name="domain"' in page


def test_history_page_shows_an_emptied_foreign_key_as_a_dash(client, lead):
    from tests.factories import ClaimFactory

    reviewer = UserFactory(username="assignee", role="Reviewer")
    claim = ClaimFactory(assigned_to=reviewer)
    services.claim_assign(claim_id=claim.pk, assignee=None, actor=lead, reason="back to the desk")
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "back to the desk" in page
    assert "pk=None" not in page and "Deleted user" not in page


def test_a_user_named_in_the_record_is_not_deleted_but_pointed_to_active(client, superuser):
    """Found by `make fuzz` (run as the app's role): deleting such a user made PostgreSQL null the history rows'
    user, an UPDATE of the append-only record the app role may not run (a 500)."""
    author = UserFactory(username="author", role="Editor")
    source = SourceFactory()
    source_update(source=source, actor=author, reason="typo", name=source.name + " (corrected)")
    client.force_login(superuser)
    url = reverse("admin:auth_user_delete", args=[author.pk])
    page = client.get(url)
    assert page.status_code == 200 and "untick “Active”" in page.content.decode()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200  # the confirmation page again, nothing deleted
    assert type(author).objects.filter(pk=author.pk).exists()
    bystander = UserFactory(username="bystander", role="Viewer")
    client.post(reverse("admin:auth_user_delete", args=[bystander.pk]), {"post": "yes"})
    assert not type(bystander).objects.filter(pk=bystander.pk).exists()  # named nowhere: deleted as usual
