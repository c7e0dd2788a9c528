"""The client's address behind a known number of reverse proxies, for the login lockout (django-axes).

Each proxy appends the address it received the request from to X-Forwarded-For, so the header ends with what
the trusted proxies wrote; anything to the left of that was sent by the client and may be forged. With
TRUSTED_PROXY_COUNT = N, the client is the N-th entry from the right. Without proxies (N = 0), it is the
connecting address. Keying the lockout on the proxy's own address instead would let anyone behind a shared
proxy lock out any user; trusting the left-most entry would let anyone choose an address per attempt.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # the request did not come through every proxy: the connecting address is all we know
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
