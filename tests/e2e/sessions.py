"""A signed-in browser page of its own for each person in a browser test (one context each, as separate people)."""

from playwright.sync_api import expect

PASSWORD = "pw"  # tests.factories.UserFactory's


def signed_in(browser, live_server, username: str, width: int = 1440, height: int = 900):
    """A new browser context at width × height, signed in as `username` through the real login form."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Welcome")
    return page
