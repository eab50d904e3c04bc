"""A site with a real streaming replica: a private PostgreSQL primary (initdb), a replica of it
(pg_basebackup), Redis, and the app server (deploy/serve.py) reading from both.

Made once for the session. Skipped, with a message, where PostgreSQL's server programs or
Redis are missing; under CI (``CI`` set) it fails instead, since CI must run these tests.
"""

import http.cookiejar
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bench.postgres import PrivatePostgres, server_binaries
from tests.servers import app_server, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "newsroom_replicas"
PASSWORD = "a-long-test-passphrase"
# A lag the tests never reach, but where they ask for less (tests/replicas/): a test machine
# under load may take seconds between two steps.
MAX_LAG_SECONDS = 60

# Made on the primary once migrated: a section, a published story open to comments, an editor.
CONTENT = """
import json
from django.utils import timezone
from tests.factories import make_article, make_section, make_user
section = make_section(name="World", slug="world")
article = make_article(
    section=section, headline="Talks begin", published_at=timezone.now(), comments_open=True
)
editor = make_user(username="ines", group="Editors")
print(json.dumps({"article": article.pk, "url": article.get_absolute_url()}))
"""
READY_SHELL = "import sys; print('ready', flush=True); exec(sys.stdin.read())"


def _redis_url():
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        skip_or_fail(f"the replica tests need Redis ({url}: {error}); set REDIS_URL")
    return url


@dataclass
class ReplicaSite:
    url: str
    primary: PrivatePostgres
    replica: PrivatePostgres
    env: dict
    work: Path
    log: Path
    article: int = 0
    article_url: str = ""

    def manage(self, *args):
        """Run a manage.py command against the primary, as another app server would."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def shell(self, code):
        return self.manage("shell", "-v0", "-c", code)

    def shell_ready(self):
        """Start a Django shell on the primary; return a function that runs code in it at once
        (Django takes seconds to start, and a paused replica's lag grows meanwhile)."""
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v0", "-c", READY_SHELL],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "ready", process.stderr.read()

        def run(code):
            output, errors = process.communicate(code, timeout=120)
            assert process.returncode == 0, errors
            return output

        return run

    def caught_up(self, timeout=30):
        """Commit a transaction on the primary and wait until the replica has replayed it.

        The replica's lag is then counted from now: how long ago the last transaction it
        replayed committed, while it has more to replay.
        """
        self.primary.query("SELECT txid_current()")  # a transaction that commits a record
        written = self.primary.written()
        deadline = time.monotonic() + timeout
        while self.replica.replayed() < written:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.02)

    @contextmanager
    def replay_paused(self):
        """Pause the replica's replay once it holds everything so far; resume it after.

        While paused, what the primary writes does not reach the replica's tables: a reader
        shown the old text was read from the replica.
        """
        self.caught_up()
        self.replica.pause_replay()
        try:
            yield self
        finally:
            self.replica.resume_replay()
            self.caught_up()

    def headline(self, text):
        """Change the story's headline with a plain UPDATE: no signal, no page dropped."""
        self.primary.query(
            "UPDATE articles_article SET headline = %s WHERE id = %s", text, self.article
        )

    def server_log(self):
        return self.log.read_text(errors="replace")

    @contextmanager
    def serving(self, **settings):
        """Run another app server on these databases, with other settings; yield a copy of
        the site that points at it."""
        env = {**self.env, **settings}
        log = self.work / f"server-{secrets.token_hex(3)}.log"
        with app_server(env, log) as url:
            yield replace(self, url=url, env=env, log=log)


@pytest.fixture(scope="session")
def replica_site():
    binaries = server_binaries()
    if binaries is None:
        skip_or_fail(
            "the replica tests need PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup;"
            " Debian: apt-get install postgresql, or set NEWSROOM_PG_BIN)"
        )
    redis_url = _redis_url()
    work = Path(tempfile.mkdtemp(prefix="newsroom-replicas-"))
    work.chmod(0o755)  # the postgres user keeps its clusters inside
    primary = PrivatePostgres(work / "primary", database=DATABASE, binaries=binaries)
    replica = PrivatePostgres(
        work / "replica", database=DATABASE, primary=primary, binaries=binaries
    )
    prefix = f"test-replicas-{secrets.token_hex(4)}"
    env = {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GRANIAN_", "PAGE_CACHE"))
        },
        "DATABASE_URL": primary.url,
        "DATABASE_REPLICA_URLS": replica.url,
        "DATABASE_REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
        # Checked at almost every request, so that the tests wait little for a change of state.
        "DATABASE_REPLICA_CHECK_SECONDS": "0.05",
        "DATABASE_REPLICA_RETRY_SECONDS": "0.5",
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_KEY_PREFIX": prefix,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PAGE_CACHE_ENABLED": "1",
        "PAGE_CACHE_LOCAL_BYTES": "0",
        "NEWSROOM_FRONT_CACHES": "",
        "COMMENTS_PREMODERATE": "1",
        "DJANGO_TASKS_IMMEDIATE": "1",
        # One process, so that the replica's state the tests wait for is that process's.
        "GRANIAN_WORKERS": "1",
        "GRANIAN_LOG_ACCESS_ENABLED": "false",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    site = ReplicaSite("", primary, replica, env, work, work / "manage.log")
    try:
        primary.create()
        primary.start()
        site.manage("migrate", "-v0")
        made = json.loads(site.shell(CONTENT))
        site.article, site.article_url = made["article"], made["url"]
        replica.create()
        replica.start()
        with site.serving() as served:
            yield served
    finally:
        replica.remove()
        primary.remove()
        _forget_keys(redis_url, prefix)
        shutil.rmtree(work, ignore_errors=True)


def _forget_keys(url, prefix):
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: object  # an email.message.Message: names in any case
    text: str


class Visitor:
    """A browser of its own: cookies kept between requests, redirects not followed."""

    def __init__(self, site):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def get(self, path, **headers):
        return self._open(urllib.request.Request(self.site.url + path, headers=headers))

    def post(self, path, data, **headers):
        request = urllib.request.Request(
            self.site.url + path,
            data=urlencode(data).encode(),
            headers={"Sec-Fetch-Site": "same-origin", **headers},
            method="POST",
        )
        return self._open(request)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=20) as response:
                return Answer(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read().decode())

    def cookie(self, name):
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def forget_cookies_but(self, name):
        for cookie in list(self.cookies):
            if cookie.name != name:
                self.cookies.clear(cookie.domain, cookie.path, cookie.name)

    def log_in(self, username):
        login = "/admin/login/?next=/admin/"
        page = self.get(login)
        token = self.cookie("csrftoken")
        assert page.status == 200 and token
        answer = self.post(
            login,
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            Referer=self.site.url + login,
        )
        assert answer.status == 302, answer.text[:500]


@pytest.fixture
def visitor(replica_site):
    return Visitor(replica_site)


@pytest.fixture
def replay_paused(replica_site):
    with replica_site.replay_paused() as site:
        yield site
