"""A throwaway PostgreSQL cluster for tests and benchmarks (Debian's postgresql package).

``python -m communique.store.pgtemp`` starts one, prints its DSN and stops it on Ctrl-C. Used by the
test suite when ``COMMUNIQUE_TEST_PG`` is not set. initdb refuses to run as root, so as root the
cluster is created and run as the ``postgres`` system user (via runuser), in a private temp dir,
listening on loopback only with trust authentication for that one port.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TEST_DSN_ENV = "COMMUNIQUE_TEST_PG"


class Unavailable(RuntimeError):
    """No way to start PostgreSQL here; the message says why (used as a pytest skip reason)."""


def find_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise Unavailable(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): apt-get install -y postgresql, "
        f"or set {TEST_DSN_ENV} to a DSN"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TempCluster:
    directory: Path
    port: int
    bindir: Path
    prefix: list[str]

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster() -> TempCluster:
    """initdb + pg_ctl start on a free loopback port; raises Unavailable with the reason."""
    bindir = find_bindir()
    prefix: list[str] = []
    directory = Path(tempfile.mkdtemp(prefix="communique-pg-"))
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no 'postgres' user to run initdb as") from None
        if not runuser:
            raise Unavailable("running as root and runuser is missing (initdb refuses root)")
        prefix = [runuser, "-u", "postgres", "--"]
        os.chown(directory, account.pw_uid, account.pw_gid)
    port = _free_port()
    data = directory / "data"
    steps = [
        [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
        [
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-w", "-t", "60",
            "-o", f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        ],
    ]  # fmt: skip
    for step in steps:
        result = subprocess.run([*prefix, *step], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = directory / "server.log"
            detail = (result.stderr or result.stdout).strip().splitlines()
            if log.exists():
                detail += log.read_text(errors="replace").strip().splitlines()[-3:]
            shutil.rmtree(directory, ignore_errors=True)
            raise Unavailable(f"{Path(step[0]).name} failed: {' | '.join(detail[-3:])}")
    return TempCluster(directory, port, bindir, prefix)


def wait_ready(dsn: str, seconds: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(dsn, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def server_for_tests() -> Iterator[str]:
    """An admin DSN: $COMMUNIQUE_TEST_PG when set, else a throwaway cluster (Unavailable if impossible)."""
    configured = os.environ.get(TEST_DSN_ENV)
    if configured:
        yield configured
        return
    cluster = start_cluster()
    try:
        wait_ready(cluster.dsn)
        yield cluster.dsn
    finally:
        cluster.stop()


@contextlib.contextmanager
def fresh_database(admin_dsn: str) -> Iterator[str]:
    """A new empty database on the server (dropped afterwards); the admin role needs CREATEDB."""
    import psycopg
    from psycopg import sql

    name = f"communique_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(admin_dsn)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main() -> None:
    # SIGTERM (timeout, kill) must run the cleanup below, or the server outlives us.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    signal.signal(signal.SIGHUP, _exit_on_sigterm)
    try:
        cluster = start_cluster()
    except Unavailable as exc:
        print(f"pgtemp: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        wait_ready(cluster.dsn)
        print(cluster.dsn, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
