"""The claim list's autocomplete filters in Chromium: type part of a source's name, choose it, and the list
is filtered by it, keeping the filters already chosen; the page reports no CSP violation."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.e2e.sessions import signed_in
from tests.factories import ClaimCitationFactory, ClaimFactory, RevisionFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_source_in_the_autocomplete_filters_the_list(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="lead", role="Lead")
    reuters, other = SourceFactory(name="Reuters"), SourceFactory(name="Kyiv Post")
    revision = RevisionFactory()
    for i in range(6):
        claim = ClaimFactory(revision=revision, text=f"Claim number {i} says something.", hedge_kind="")
        source = reuters if i < 2 else other
        ClaimCitationFactory(claim=claim, citation__article=revision.article, citation__source=source)
    page = signed_in(browser, live_server, "lead")
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto("/admin/claims/claim/?hedge_kind__exact=")
    box = page.locator("#filter-source + .select2")
    expect(box).to_be_visible()
    box.click()
    page.locator(".select2-search__field").fill("reut")
    option = page.locator(".select2-results__option", has_text="Reuters")
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(f"**source={reuters.pk}**")
    assert "hedge_kind__exact=" in page.url  # the filter already chosen is kept
    expect(page.locator("#result_list tbody tr")).to_have_count(
        Claim.objects.filter(claim_citations__citation__source=reuters).count()
    )
    expect(page.locator("#changelist-filter details[data-filter-title='cited source'] li.selected")).to_have_text(
        "Reuters"
    )
    assert not violations
