"""Fetch an article page from a URL without letting the URL reach inside our own network (SSRF).

Only http and https; a timeout over the whole fetch; a size limit (CLAIMS_IMPORT_MAX_BYTES) enforced while
reading, not trusted from Content-Length; redirects followed by hand up to CLAIMS_FETCH_MAX_REDIRECTS. Each
hop's host name is resolved first and every address it resolves to must be a public one: private,
loopback, link-local, multicast and reserved addresses are refused (so a public name pointing at 10.0.0.5
or 127.0.0.1 is refused too), and the connection is then made to the address that was checked, not to a
second lookup that could answer differently (DNS rebinding). A Wikipedia article URL fetches the page's
Parsoid HTML from the same wiki, which carries its references.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils import timezone

from ._common import require_perm
from .importing import ImportRefused, ImportReport, article_import, decode_article

USER_AGENT = "ClaimTracker/1.0 (article import; +https://example.org/)"
_WIKIPEDIA = re.compile(r"^(?P<lang>[a-z][a-z0-9-]*)(?:\.m)?\.wikipedia\.org$")


class FetchRefused(ImportRefused):
    """The URL was not fetched, or its answer not accepted; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for (after the Wikipedia rewrite), for the article
    final_url: str  # where the last redirect led
    content: bytes
    content_type: str
    format: str | None  # "html" for a Wikipedia page, else None (detected from the content)

    def text(self) -> str:
        charset = re.search(r"charset=([\w-]+)", self.content_type, re.I)
        encoding = charset.group(1) if charset else "utf-8"
        try:
            return self.content.decode(encoding, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


def wikipedia_source(url: str) -> tuple[str, str] | None:
    """(article URL, URL of its Parsoid HTML) for a Wikipedia article URL, else None."""
    parts = urlsplit(url)
    match = _WIKIPEDIA.match((parts.hostname or "").lower())
    if not match or not parts.path.startswith("/wiki/") or len(parts.path) <= len("/wiki/"):
        return None
    title = parts.path[len("/wiki/") :]
    host = f"{match.group('lang')}.wikipedia.org"
    safe_title = quote(title, safe="%()_,:'!-.")
    return f"https://{host}/wiki/{safe_title}", f"https://{host}/api/rest_v1/page/html/{safe_title}"


def _allowed(address: str, allow) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow is True:
        return True
    if allow:  # a list of networks a test server lives in
        if any(ip in ipaddress.ip_network(network) for network in allow):
            return True
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int, allow, *, url: str) -> str:
    """The first address of host, after checking that every address it resolves to may be fetched."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchRefused(f"{url}: the host name {host} does not resolve ({err})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not _allowed(a, allow)]
    if refused or not addresses:
        raise FetchRefused(
            f"{url}: {host} resolves to {', '.join(refused) or 'nothing'}, a private, loopback or link-local "
            "address: such addresses are never fetched"
        )
    return addresses[0]


def fetch_url(url: str, *, accept: str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5") -> Fetched:
    """GET the URL under the limits above. Raises FetchRefused with one clear message."""
    url = (url or "").strip()
    article_url, target, fmt = url, url, None
    if wiki := wikipedia_source(url):
        article_url, target = wiki
        fmt = "html"
    timeout = settings.CLAIMS_FETCH_TIMEOUT
    limit = settings.CLAIMS_IMPORT_MAX_BYTES
    allow = settings.CLAIMS_FETCH_ALLOW_PRIVATE
    deadline = time.monotonic() + timeout
    for _hop in range(settings.CLAIMS_FETCH_MAX_REDIRECTS + 1):
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(f"{target}: only http and https addresses can be imported")
        if not parts.hostname:
            raise FetchRefused(f"{target}: no host name in the address")
        if parts.username or parts.password:
            raise FetchRefused(f"{target}: addresses with a user name or password are not fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchRefused(f"{target}: the port is not a number") from None
        address = _resolve(parts.hostname, port, allow, url=target)
        response = _get(parts, address, port, accept=accept, deadline=deadline)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"{target}: redirect ({response.status}) without a Location")
                target = urljoin(target, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"{target}: the server answered {response.status} {response.reason or ''}".strip())
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchRefused(
                    f"{target}: the page is {int(declared):,} bytes, over the import limit of {limit:,} bytes"
                )
            content = _read(response, limit=limit, deadline=deadline, url=target)
            return Fetched(article_url, target, content, response.headers.get("Content-Type", ""), fmt)
        finally:
            response.release_conn()
    raise FetchRefused(f"{url}: more than {settings.CLAIMS_FETCH_MAX_REDIRECTS} redirects")


def _get(parts, address: str, port: int, *, accept: str, deadline: float):
    remaining = max(0.1, deadline - time.monotonic())
    timeout = urllib3.Timeout(connect=min(remaining, 10), read=remaining)
    host_header = parts.hostname if port in (80, 443) else f"{parts.hostname}:{port}"
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1, server_hostname=parts.hostname,
            assert_hostname=parts.hostname, cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(),
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        return pool.urlopen(
            "GET", path, headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": accept},
            redirect=False, preload_content=False, retries=False,
        )  # fmt: skip
    except urllib3.exceptions.HTTPError as err:
        raise FetchRefused(f"{parts.geturl()}: could not fetch ({type(err).__name__}: {err})") from None


def _read(response, *, limit: int, deadline: float, url: str) -> bytes:
    chunks, total = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            total += len(chunk)
            if total > limit:
                raise FetchRefused(f"{url}: the page is larger than the import limit of {limit:,} bytes")
            if time.monotonic() > deadline:
                raise FetchRefused(f"{url}: took longer than {settings.CLAIMS_FETCH_TIMEOUT} s")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as err:
        raise FetchRefused(f"{url}: the download failed ({type(err).__name__})") from None
    return b"".join(chunks)


def article_import_url(*, url: str, actor, format: str = "auto", title: str | None = None, dry_run: bool = False,
                       progress=None, published=None, new_revision: bool = False,
                       suggest_relations: bool = True) -> ImportReport:  # fmt: skip
    """Fetch the page at `url` and import it (one transaction, after the fetch: a refused fetch writes nothing)."""
    require_perm(actor, "claims.import_article", "import articles")
    fetched = fetch_url(url)
    charset = re.search(r"charset=([\w-]+)", fetched.content_type, re.I)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        text = fetched.text()
    else:
        text = decode_article(fetched.content, name=url)
    return article_import(
        text=text, actor=actor, url=fetched.url, name=url, format=fetched.format or format, title=title,
        dry_run=dry_run, retrieved_at=timezone.now(), progress=progress, published=published,
        new_revision=new_revision, suggest_relations=suggest_relations,
    )  # fmt: skip
