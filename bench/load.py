"""A bounded load run against the app served by gunicorn: reviewers take and decide, editors import, viewers
export — all at once, over real HTTP on 127.0.0.1 (standard library client, one thread per simulated user).

Used by tests/hardening/test_load.py: a short run in `make test`, the full one (20 reviewers, 5 editors,
5 viewers, 60 s) by `make load`, which also writes its figures to docs/benchmarks.md.
"""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

SEEN_VERSION = re.compile(r'name="seen_version" value="(\d+)"')
TAKEN = re.compile(r"/admin/claims/claim/(\d+)/change/")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    taken: list[tuple[int, str]] = field(default_factory=list)  # (claim id, reviewer) per take-next
    decided: list[tuple[int, int, str]] = field(default_factory=list)  # (claim id, seen version, reviewer)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.statuses[action].append(status)

    def server_errors(self) -> dict[str, int]:
        return {a: sum(s >= 500 for s in codes) for a, codes in self.statuses.items() if any(s >= 500 for s in codes)}

    def table(self) -> str:
        lines = ["| action | requests | req/s | p50 ms | p95 ms | max ms | 5xx |", "|---|---|---|---|---|---|---|"]
        for action in sorted(self.latencies):
            times = sorted(self.latencies[action])
            n = len(times)
            lines.append(
                f"| {action} | {n} | {n / self.seconds:.1f} | {_pct(times, 50) * 1000:.0f} | "
                f"{_pct(times, 95) * 1000:.0f} | {times[-1] * 1000:.0f} | "
                f"{sum(s >= 500 for s in self.statuses[action])} |"
            )
        total = sum(len(t) for t in self.latencies.values())
        lines.append(f"| **all** | {total} | {total / self.seconds:.1f} | | | | |")
        return "\n".join(lines)


def _pct(sorted_times: list[float], p: int) -> float:
    if not sorted_times:
        return 0.0
    return sorted_times[min(len(sorted_times) - 1, math.ceil(p / 100 * len(sorted_times)) - 1)]


class Session:
    """One signed-in person: a session cookie made by the caller, the CSRF cookie fetched on first use."""

    def __init__(self, host: str, port: int, session_key: str, results: Results, name: str):
        self.host, self.port, self.results, self.name = host, port, results, name
        self.cookies = {"sessionid": session_key}
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def request(self, action: str, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": f"{self.host}:{self.port}"}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{self.host}:{self.port}/admin/"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as err:
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            with self.results.lock:
                self.results.errors.append(f"{self.name} {action}: {err!r}")
            return 0, {}, b""
        self.results.record(action, response.status, time.perf_counter() - started)
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), data

    def csrf(self) -> None:
        if "csrftoken" not in self.cookies:
            self.request("admin index", "GET", "/admin/")


def reviewer(s: Session, stop: float) -> None:
    s.csrf()
    while time.monotonic() < stop:
        status, headers, _ = s.request("take next", "POST", "/admin/claims/claim/take-next/", {})
        match = TAKEN.search(headers.get("Location", ""))
        if status != 302 or not match:
            time.sleep(0.2)  # the queue is empty for now: editors are importing more
            continue
        claim_id = int(match.group(1))
        with s.results.lock:
            s.results.taken.append((claim_id, s.name))
        status, _, page = s.request("claim page", "GET", f"/admin/claims/claim/{claim_id}/change/")
        version = SEEN_VERSION.search(page.decode("utf-8", "replace"))
        if status != 200 or not version:
            continue
        form = {
            "action": "decide",
            "status": "disputed",  # verifying needs a supporting citation; a load needs no evidence
            "note": f"checked by {s.name}",
            "seen_version": version.group(1),
        }
        status, headers, _ = s.request("decide", "POST", f"/admin/claims/claim/{claim_id}/workflow/", form)
        if status == 302:
            with s.results.lock:
                s.results.decided.append((claim_id, int(version.group(1)), s.name))


def editor(s: Session, stop: float, text_for) -> None:
    s.csrf()
    n = 0
    while time.monotonic() < stop:
        n += 1
        s.request("import", "POST", "/admin/claims/article/import/", {"text": text_for(s.name, n)})


def viewer(s: Session, stop: float) -> None:
    s.csrf()
    paths = ["/exports/claims.csv?status=verified", "/exports/claims.jsonl", "/exports/claims.markdown?decided=1"]
    n = 0
    while time.monotonic() < stop:
        s.request("export", "GET", paths[n % len(paths)])
        n += 1


def run(*, host: str, port: int, seconds: float, reviewers: list, editors: list, viewers: list, text_for) -> Results:
    """`reviewers`, `editors`, `viewers`: (name, session key) pairs. Runs for `seconds`, then waits for the
    requests in flight."""
    results = Results()
    stop = time.monotonic() + seconds
    threads = []
    for name, key in reviewers:
        threads.append(threading.Thread(target=reviewer, args=(Session(host, port, key, results, name), stop)))
    for name, key in editors:
        threads.append(threading.Thread(target=editor, args=(Session(host, port, key, results, name), stop, text_for)))
    for name, key in viewers:
        threads.append(threading.Thread(target=viewer, args=(Session(host, port, key, results, name), stop)))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.seconds = time.perf_counter() - started
    return results
