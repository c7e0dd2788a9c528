"""A bounded load run on gunicorn, connected to PostgreSQL as the least-privilege app role: reviewers take and
decide, editors import, viewers export, all at once. No 5xx, no claim decided twice on one version, and
take-next never hands one claim to two people.

`make test` runs a short version; `make load` the full one (LOAD_FULL=1: 20 reviewers, 5 editors, 5 viewers
for 50 s, at most 60 s with the requests in flight), which writes its figures to docs/benchmarks.md.
"""

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from bench import load
from claims.job_models import Job
from claims.models import Claim, Review
from claims.services.importing import article_import
from tests.dbrole import as_superuser
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "fixtures" / "articles" / "northwestern_syria_offensive.txt").read_text(encoding="utf-8")
FULL = os.environ.get("LOAD_FULL") == "1"
SECONDS = float(os.environ.get("LOAD_SECONDS", "50" if FULL else "6"))  # + the requests in flight: <= 60 s
REVIEWERS, EDITORS, VIEWERS = (20, 5, 5) if FULL else (4, 2, 2)
APP_ROLE = "claims_app_test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    """gunicorn on 127.0.0.1 with production settings, as the app role, on the test database."""
    with as_superuser():  # the operator's set-up step; the suite itself already runs as this role
        call_command("db_roles", "--app-role", APP_ROLE, "--create", verbosity=0)
    db = connection.settings_dict
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DATABASE_URL=f"postgres://{APP_ROLE}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        DEBUG="0", SECRET_KEY=settings.SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own app
        [str(gunicorn), "tracker.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "3",
         "--worker-class", "gthread", "--threads", "4", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    # Imports from the admin run as background jobs: a real worker next to gunicorn, as `make run` starts one.
    worker = subprocess.Popen(  # noqa: S603 - our own app
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"], cwd=ROOT, env=env
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=60)
        connection.close()  # the app role's sessions are gone; the runner's own connection flushes


def signed_in(user) -> tuple[str, str]:
    """A session for `user`, as a login would make it (no password hashing, no lockout bookkeeping)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user.username, session.session_key


def small_article(name: str, n: int) -> str:
    lines = [f"Load article {name} {n}"]
    lines += [f"On {d} November, HTS captured the village of {name}-{n}-{d} near Aleppo.[{d}]" for d in range(1, 6)]
    return "\n".join(lines) + "\n"


def test_reviewers_editors_and_viewers_at_once(server):
    importer = UserFactory(username="load-importer", role="Editor")
    for copy in range(3):  # a queue that lasts: the sample under three titles
        article_import(text=SAMPLE, title=f"Sample copy {copy}", actor=importer, suggest_relations=False)
    reviewers = [signed_in(UserFactory(username=f"rev{i}", role="Reviewer")) for i in range(REVIEWERS)]
    editors = [signed_in(UserFactory(username=f"ed{i}", role="Editor")) for i in range(EDITORS)]
    viewers = [signed_in(UserFactory(username=f"view{i}", role="Viewer")) for i in range(VIEWERS)]

    results = load.run(
        host="127.0.0.1", port=server, seconds=SECONDS, reviewers=reviewers, editors=editors, viewers=viewers,
        text_for=small_article,
    )  # fmt: skip

    assert results.errors == [] and results.server_errors() == {}
    assert all(code in (200, 302) for codes in results.statuses.values() for code in codes), results.statuses
    assert results.decided and results.latencies["import"] and results.latencies["export"]
    taken = Counter(claim for claim, _ in results.taken)
    assert [claim for claim, n in taken.items() if n > 1] == []  # take-next never gave a claim to two people
    twice = Review.objects.values("claim", "claim_version").annotate(n=Count("id")).filter(n__gt=1)
    assert list(twice) == []  # no claim decided twice on one version
    assert 0 < Claim.objects.filter(status="disputed").count() <= len(results.decided)
    # The editors' imports ran as jobs in the worker; the last ones may still be running when the load stops.
    deadline = time.monotonic() + 120
    while Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).exists():
        assert time.monotonic() < deadline, "the worker did not finish the queued imports within 120 s"
        time.sleep(0.5)
    assert not Job.objects.filter(state=Job.State.FAILED).exists(), Job.objects.values_list("error", flat=True)
    assert Claim.objects.filter(article__title__startswith="Load article").exists()

    if FULL and os.environ.get("LOAD_WRITE_DOCS") == "1":
        from bench.benchdb import write_section

        write_section(
            "Load: reviewers, editors and viewers at once (issue 15)",
            f"`make load`: gunicorn (3 gthread workers × 4 threads, production settings, connected as the "
            f"least-privilege app role) on 127.0.0.1, {REVIEWERS} reviewers taking and deciding claims, {EDITORS} "
            f"editors importing small articles through the admin form, {VIEWERS} viewers streaming CSV, JSON Lines "
            f"and Markdown exports, for {results.seconds:.0f} s on the 2-core development machine (client and "
            f"server on the same cores). {len(results.decided)} claims decided, {len(results.taken)} taken; "
            "no 5xx, no claim taken by two reviewers, none decided twice on one version "
            f"(tests/hardening/test_load.py). Load average at the end: {os.getloadavg()[0]:.1f} — other jobs "
            "share these two cores, so read the latencies as an upper bound.\n\n" + results.table(),
        )
    print("\n" + results.table())
