"""PostgreSQL clusters of a run's own: a primary, and streaming replicas of it.

initdb (or pg_basebackup, for a replica) into a folder of the caller's, on a free loopback port,
so that stopping, pausing or killing one disturbs nothing else on the machine. Used by the
benchmarks (bench/load.py, bench/cluster.py) and the replica tests (tests/replicas/).

The server binaries are found in $NEWSROOM_PG_BIN, beside the `initdb` on the PATH, or in
Debian's /usr/lib/postgresql/<version>/bin. As root they run as the postgres user, since initdb
and postgres refuse to run as root.
"""

import os
import shutil
import socket
import subprocess
from pathlib import Path

AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def server_binaries():
    """Return the folder of PostgreSQL's server programs, or None if they are not here."""
    candidates = []
    if configured := os.environ.get("NEWSROOM_PG_BIN"):
        candidates.append(Path(configured))
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if all((folder / program).is_file() for program in PROGRAMS):
            return folder
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    """One cluster: a primary made by initdb, or a streaming replica of ``primary``."""

    def __init__(self, folder, *, database, port=None, primary=None, binaries=None):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = port or free_port()
        self.database = database
        self.primary = primary
        self.binaries = binaries or server_binaries()
        if self.binaries is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) were not found")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _pg(self, program, *arguments):
        return subprocess.run(
            [*AS_POSTGRES, str(self.binaries / program), *arguments],
            capture_output=True,
            text=True,
            cwd="/",  # the postgres user may not be allowed into the current folder
        )

    def _pg_checked(self, program, *arguments):
        done = self._pg(program, *arguments)
        if done.returncode:
            raise RuntimeError(f"{program} failed:\n{done.stdout}{done.stderr}")
        return done

    def create(self):
        """Make the cluster's files: a new primary, or a copy of the running primary."""
        self.folder.mkdir(parents=True)
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")
        if self.primary is None:
            self._pg_checked(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8",
            )  # fmt: skip
        else:
            # -R writes standby.signal and how to reach the primary: it starts as a replica.
            self._pg_checked(
                "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port),
                "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast",
            )  # fmt: skip

    def start(self):
        # PostgreSQL's defaults already let replicas stream: wal_level=replica, WAL senders.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._pg_checked(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
            "-l", str(self.folder / "server.log"), "-o", options,
        )  # fmt: skip
        if self.primary is None and not self.has_database():
            self._pg_checked("createdb", "-h", "127.0.0.1", "-p", str(self.port), self.database)

    def stop(self, mode="fast"):
        self._pg_checked("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data))

    def is_running(self):
        return self._pg("pg_ctl", "status", "-D", str(self.data)).returncode == 0

    def remove(self):
        """Stop the cluster at once, if it runs, and delete its files."""
        if self.data.exists() and self.is_running():
            self._pg("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.folder, ignore_errors=True)

    def has_database(self):
        done = self._pg(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-XAtqc",
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'", "postgres",
        )  # fmt: skip
        return done.stdout.strip() == "1"

    def query(self, sql, *params):
        """Run one statement in autocommit and return its rows (None for no result)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    # WAL positions, in bytes since 0/0

    def written(self):
        """Return how far the primary has written its WAL."""
        return int(self.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")[0][0])

    def replayed(self):
        """Return how far the replica has replayed the primary's WAL."""
        return int(self.query("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")[0][0])

    def pause_replay(self):
        self.query("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self.query("SELECT pg_wal_replay_resume()")
