"""Run a command against PostgreSQL, starting a throwaway cluster when none answers.

Usage: python scripts/ensure_postgres.py COMMAND [ARGS...]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/test. When nothing answers there, a
temporary cluster is created with initdb (PostgreSQL's server binaries: Debian package
postgresql-15, or any /usr/lib/postgresql/*/bin) on a free port, used for the command and removed
afterwards. initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pg_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return os.path.dirname(found[0])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    sys.exit(
        "No PostgreSQL answers at DATABASE_URL and no initdb was found to start a throwaway one: "
        "install the server binaries (Debian: apt-get install postgresql-15) or set DATABASE_URL."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def throwaway_cluster(command: list[str]) -> int:
    bindir = pg_bin()
    workdir = tempfile.mkdtemp(prefix="tracker-pg-")
    datadir = os.path.join(workdir, "data")
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    port = free_port()
    run = subprocess.run
    run(as_postgres([f"{bindir}/initdb", "-D", datadir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
        check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    opts = f"-c listen_addresses=127.0.0.1 -c port={port} -k {workdir} -c fsync=off"
    run(as_postgres([f"{bindir}/pg_ctl", "-D", datadir, "-o", opts, "-l", f"{workdir}/log", "-w", "start"]),
        check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(50):
            if answers("127.0.0.1", port):
                break
            time.sleep(0.1)
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        print(f"ensure_postgres: started a throwaway PostgreSQL on port {port}", file=sys.stderr)
        return subprocess.call(command, env=env)  # noqa: S603 - the command is the Makefile's own
    finally:
        run(as_postgres([f"{bindir}/pg_ctl", "-D", datadir, "-m", "immediate", "stop"]), stdout=subprocess.DEVNULL)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    command = sys.argv[1:]
    if not command:
        sys.exit(__doc__)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL={url!r}: the test suite runs on PostgreSQL")
    if answers(parsed.hostname or "127.0.0.1", parsed.port or 5432):
        return subprocess.call(command)  # noqa: S603 - the command is the Makefile's own
    print(f"ensure_postgres: nothing answers at {parsed.hostname}:{parsed.port}", file=sys.stderr)
    return throwaway_cluster(command)


if __name__ == "__main__":
    sys.exit(main())
