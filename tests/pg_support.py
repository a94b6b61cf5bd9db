"""A real PostgreSQL server for the tests: a cluster of its own in a temporary folder (initdb, pg_ctl), on a
unix socket there and on 127.0.0.1 at a free port, stopped and removed at the end.

initdb and postgres refuse to run as root, and CI runs as root: the cluster then runs as the ``postgres``
system user (Debian's package creates it), in a folder handed to it. Users: ``briefgen`` (superuser, trusted),
``clerk`` (trusted, no rights: for permission errors) and ``secret`` (password ``s3cr3t-pw``: for
authentication). A test may skip only where no server can start; with ``BRIEFGEN_REQUIRE_PG=1`` (``.ci/run``)
that is a failure instead, so CI cannot pass without running them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PASSWORD = "s3cr3t-pw"
HBA = """\
local all secret scram-sha-256
host  all secret 127.0.0.1/32 scram-sha-256
local all all trust
host  all all 127.0.0.1/32 trust
"""


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable(reason: str) -> None:
    """Skip, or fail where the server is required (CI)."""
    if os.environ.get("BRIEFGEN_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL tests are required here (BRIEFGEN_REQUIRE_PG=1) but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One running server. ``url(db, user)`` addresses it through its socket; ``tcp_url`` through TCP."""

    def __init__(self) -> None:
        bins = bindir()
        if bins is None:
            unavailable("no PostgreSQL server is installed (make setup installs Debian's postgresql)")
        self.bin = bins
        self.run_as: list[str] = []
        # mkdtemp, not pytest's tmp_path: that one sits in a root-only folder the postgres user cannot enter
        self.home = Path(tempfile.mkdtemp(prefix="briefgen-pg-"))
        if os.geteuid() == 0:
            import pwd

            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.home)
                unavailable("running as root and there is no 'postgres' user to run the server as")
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self.data = self.home / "data"
        self.port = free_port()
        self.started = False
        try:
            self._initdb()
            self.start()
        except (subprocess.CalledProcessError, OSError) as exc:
            log = self.home / "log"
            detail = log.read_text(errors="replace")[-500:] if log.exists() else getattr(exc, "stderr", "")
            self.remove()
            unavailable(f"the test server did not start ({exc}): {detail}")
        self.sql("CREATE ROLE clerk LOGIN")
        self.sql(f"CREATE ROLE secret LOGIN PASSWORD '{PASSWORD}'")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, text=True, timeout=120)

    def _initdb(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "briefgen", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        (self.data / "pg_hba.conf").write_text(HBA)
        with (self.data / "postgresql.conf").open("a") as conf:
            # speed over durability: a test cluster is thrown away
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = "
                       f"'{self.home}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "shared_buffers = 16MB\nmax_connections = 60\npassword_encryption = 'scram-sha-256'\n")

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.home / "log"), "-w", "-t", "60",
                  "start")
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        if self.started:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
            self.started = False

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)

    def url(self, db: str = "postgres", user: str = "briefgen", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@/{db}?host={self.home}&port={self.port}"

    def tcp_url(self, db: str = "postgres", user: str = "briefgen", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchall() if cur.description else []

    def new_database(self) -> str:
        name = f"tm_{uuid.uuid4().hex[:10]}"
        self.sql(f"CREATE DATABASE {name}")
        return name
