"""Real servers for the operators' tests: the app as production serves it (deploy/serve.py,
granian), and a PostgreSQL cluster of a test's own, to stop and start."""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_production import BASE_DIR, _free_port, _production_env

PG_BIN = Path(os.environ.get("NEWSROOM_PG_BIN", "/usr/lib/postgresql/15/bin"))
# initdb and pg_ctl refuse to run as root.
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def skip_or_fail(message):
    """Skip on a developer's machine; fail under CI, where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    return _free_port()


def request(url, *, method="GET", headers=None, timeout=15):
    """Send one request; return (status, headers, body), whatever the status."""
    sent = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextlib.contextmanager
def app_server(log_path, **environment):
    """Run deploy/serve.py with the production settings and these variables; yield its URL.

    Nothing is migrated: the operators' addresses must answer whatever state the database is in.
    """
    port = free_port()
    env = _production_env(GRANIAN_PORT=str(port), GRANIAN_WORKERS="1", **environment)
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "deploy/serve.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server stopped with {server.returncode}:\n{log_path.read_text()}")
            try:  # granian listens before its worker has loaded the site
                request(url + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer within 90 s:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class PrivatePostgres:
    """A PostgreSQL cluster in a folder of its own under the system's temporary folder (which
    the postgres user can reach, unlike pytest's), on a free loopback port."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def available(cls):
        return (PG_BIN / "initdb").exists() and (not AS_POSTGRES or shutil.which("runuser"))

    def _run(self, program, *arguments):
        done = subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / program), *arguments],
            capture_output=True,
            text=True,
            cwd="/",  # the postgres user may not be allowed into the test's folder
            timeout=120,
        )
        if done.returncode:
            pytest.fail(f"{program} failed:\n{done.stdout}{done.stderr}")

    def create(self):
        self.folder.chmod(0o755)
        if AS_POSTGRES:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "server.log")
        self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", log, "-o", options
        )

    def stop(self):
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def remove(self):
        subprocess.run(
            [
                *AS_POSTGRES,
                str(PG_BIN / "pg_ctl"),
                "stop",
                "-w",
                "-m",
                "immediate",
                "-D",
                str(self.data),
            ],
            capture_output=True,
            cwd="/",
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
