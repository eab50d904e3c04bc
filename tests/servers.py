"""Real processes for the tests that need one: the app as production serves it (deploy/serve.py,
granian), always stopped afterwards; plain HTTP to it; and what a test does when a program it
needs is missing."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.postgres import free_port

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["app_server", "free_port", "request", "skip_or_fail"]


def skip_or_fail(message):
    """Skip on a developer's machine; fail under CI, where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def request(url, *, method="GET", headers=None, timeout=15):
    """Send one request; return (status, headers, body), whatever the status."""
    sent = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextlib.contextmanager
def app_server(env, log_path, *, seconds=90):
    """Run deploy/serve.py with this environment on a free port; yield its URL once it answers.

    Granian listens before its workers have loaded the site, so it is ready once /healthz
    (answered by the site itself, whatever the database's state) says so.
    """
    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "deploy/serve.py"],
            cwd=ROOT,
            # Requests still open when the test ends are not waited for long.
            env={**env, "GRANIAN_PORT": str(port), "GRANIAN_WORKERS_KILL_TIMEOUT": "5"},
            stdout=log,
            stderr=subprocess.STDOUT,
            # A session of its own: stopping it stops its workers too, even one its main
            # process left behind.
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            if server.poll() is not None:
                text = log_path.read_text()
                if "in use" in text or "Permission denied" in text:
                    pytest.skip(f"the server could not bind 127.0.0.1:{port}: {text[-300:]}")
                pytest.fail(f"the server stopped with {server.returncode}:\n{text}")
            try:
                request(url + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the server did not answer in {seconds} s:\n{log_path.read_text()}"
                    )
                time.sleep(0.2)
        yield url
    finally:
        _stop(server)


def _stop(server):
    """Stop the server's whole process group: politely, then not."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()
