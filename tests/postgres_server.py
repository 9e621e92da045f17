"""A throwaway PostgreSQL server for the tests: a cluster in a temporary folder (initdb), started with pg_ctl on
a free port of 127.0.0.1 and removed afterwards. Uses the server programs of Debian's ``postgresql`` package
(or any on PATH); initdb refuses to run as root, so as root the cluster runs as the ``postgres`` user.

Not pytest-postgresql: its process fixture runs initdb as the current user, which fails as root (CI), and it
offers nothing here beyond the ~80 lines below.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.ports import free_port

INSTALL_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) were not found: install Debian's postgresql "
                "package (apt-get install postgresql), as .ci/run does, or put pg_ctl on PATH")


def find_bindir() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(versions[-1]).parent if versions else None



class PostgresServer:
    """One cluster; :meth:`new_database` gives each test a database of its own (a URL)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="dol-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "dol", "-E", "UTF8", "--no-locale")
        self.start()

    def _run(self, program: str, *args: str, timeout: float = 120) -> None:
        done = subprocess.run([*self._as, str(self.bindir / program), *args], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n"
                               f"{done.stderr}\n{log}")

    def start(self) -> None:
        # No fsync: a test cluster need not survive a power cut, and the note tests' thousands of commits were
        # waiting on the disk (a clean stop, as the restart test does, still writes everything).
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "120", "stop")

    def restart(self) -> None:
        """Stop (fast: open connections are cut) and start again, as a database server restart does."""
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://dol@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(self.url(), autocommit=True) as db:
                    db.execute(f'CREATE DATABASE "{name}"')
                return self.url(name)
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
