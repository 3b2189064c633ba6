"""A throwaway PostgreSQL server for the tests: a fresh cluster in a temporary directory.

Why not a configured server: the store must be tested against a REAL PostgreSQL, on any machine that
has the binaries (Debian's ``postgresql`` package; ``scripts/install-postgres.sh`` installs it for
``make test``), without touching a server the user may run. The cluster listens only on a Unix socket
inside its own directory, trusts local connections, runs without fsync (it is thrown away) and is
stopped and deleted at the end of the session. ``initdb`` refuses to run as root, so as root the
cluster runs as the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be started here; the message says why (used as the skip reason)."""


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = candidates[0] if candidates else shutil.which("initdb")
    if not found:
        raise PostgresUnavailable("PostgreSQL server binaries (initdb) not found: apt-get install postgresql")
    return Path(found).parent


class PostgresCluster:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.user_prefix: list[str] = []
        self.dir = Path(tempfile.mkdtemp(prefix="narrascope-pg-"))
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as err:
                shutil.rmtree(self.dir)
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run initdb") from err
            os.chown(self.dir, account.pw_uid, account.pw_gid)
            self.user_prefix = ["runuser", "-u", "postgres", "--"]
        self.data = self.dir / "data"
        self.started = False

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.user_prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{Path(args[0]).name} failed: {(result.stderr or result.stdout).strip()[-500:]}")

    def start(self) -> PostgresCluster:
        try:
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--no-sync")
            options = f"-k {self.dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
                      "-o", options, "start")
        except (PostgresUnavailable, OSError, subprocess.TimeoutExpired):
            self.stop()
            raise
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.dir}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.dir), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.started:
            subprocess.run([*self.user_prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)
