"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live server.

Mark browser tests with @pytest.mark.browser. They need a transactional database (the live server runs in
another thread), which `live_server` provides. Screenshots go under pytest-playwright's per-test
`output_path` (test-results/ by default, `--output DIR` to change it).
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told this is deliberate (it is: the test drives the browser and the ORM in turn).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
FACTORY_PASSWORD = "pw"  # tests.factories.UserFactory's


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def log_in(page, live_server):
    """Sign a user in through the real admin login form; returns a function taking (username, password)."""

    def sign_in(username: str, password: str | None = None) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password or FACTORY_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/**")

    return sign_in
