"""The Content-Security-Policy does not break the admin: the main pages load with no violation reported,
and the admin's own scripts still run (select-all on a list, the inline formset, the report's Print link)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.models import Article, Claim, ClaimRelation
from claims.services.importing import article_import
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"

# Collects every securitypolicyviolation event of every page (init scripts run before the page's own).
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


def test_main_admin_pages_report_no_csp_violation(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    lead = UserFactory(username="lead", role="Lead", is_superuser=True)
    report = article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=UserFactory(username="ed", role="Editor"))
    article = Article.objects.get(pk=report.article_id)
    claim = article.claims.order_by("pk").first()
    relation = ClaimRelation.objects.order_by("pk").first()

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)
    context.add_init_script(WATCH)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)

    response = page.goto("/admin/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["permissions-policy"]
    page.fill("#id_username", lead.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Welcome")

    pages = [
        "/admin/",
        "/admin/claims/claim/",
        "/admin/claims/claim/?queue=open&status__exact=unreviewed",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claimrelation/",
        f"/admin/claims/claimrelation/{relation.pk}/change/" if relation else "/admin/claims/claimrelation/",
        "/admin/claims/article/",
        f"/admin/claims/article/{article.pk}/change/",
        "/admin/claims/article/import/",
        f"/admin/claims/article/{article.pk}/references/",
        "/admin/claims/source/",
        "/admin/claims/source/add/",
        "/admin/claims/citation/",
        "/admin/auth/user/",
        f"/articles/{article.pk}/report/",
    ]
    violations = {}
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        found = page.evaluate("window.__cspViolations")
        if found:
            violations[url] = found
    assert violations == {} and console == []

    # The admin's scripts run: "select all" on the claim list ticks every row (actions.js).
    page.goto("/admin/claims/claim/")
    page.click("#action-toggle")
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() > 0
    # The claim page's inline formset script adds a citation row.
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    before = page.locator("#claim_citations-group tbody tr.form-row").count()
    page.locator("#claim_citations-group .add-row a").click()
    assert page.locator("#claim_citations-group tbody tr.form-row").count() == before + 1
    assert page.evaluate("window.__cspViolations") == []
    assert Claim.objects.filter(pk=claim.pk).exists()

    # The watcher does see a violation: an injected inline script is blocked and reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.x") is None
