"""Behind a reverse proxy: the lockout keys on the real client (a count of trusted proxies), X-Forwarded-Proto
is trusted only by opt-in; every response carries the Content-Security-Policy and Permissions-Policy."""

import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from claims.proxy import client_ip
from tests.test_deploy import ROOT, production_env

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),  # no proxy: the header is anyone's to write
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # a forged left part is ignored
        (2, PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.4", "203.0.113.9"),
        (2, PROXY, "203.0.113.9", PROXY),  # fewer hops than proxies: only the connecting address is known
        (1, PROXY, "not-an-address", PROXY),
    ],
)
def test_client_ip_takes_the_address_the_outermost_trusted_proxy_saw(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(remote, forwarded)) == expected


def attempt(client, username, password, forwarded):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded,
    )  # fmt: skip


def test_one_client_behind_the_proxy_cannot_lock_out_another(client, reviewer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "reviewer", "wrong", "203.0.113.66")
    assert attempt(client, "reviewer", "pw", "203.0.113.66").status_code == 429  # the attacker is locked out
    # …with forged hops too…
    assert attempt(client, "reviewer", "pw", "192.0.2.1, 203.0.113.66").status_code == 429
    # …but the reviewer, behind the same proxy at another address, still signs in.
    assert attempt(client, "reviewer", "pw", "203.0.113.10").status_code == 302


def test_security_headers_on_every_response(client):
    response = client.get(reverse("admin:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def proxy_ssl_header(**env_vars) -> str:
    env = production_env() | env_vars
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, env=env | {"DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip()


def test_x_forwarded_proto_is_trusted_only_when_opted_in():
    assert proxy_ssl_header() == "None"
    assert proxy_ssl_header(TRUST_X_FORWARDED_PROTO="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_direct_client_cannot_claim_https(client, settings):
    from django.http import HttpRequest

    request = HttpRequest()
    request.META = {"HTTP_X_FORWARDED_PROTO": "https", "SERVER_NAME": "x", "SERVER_PORT": "80"}
    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert not request.is_secure()
