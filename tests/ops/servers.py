"""Real servers for the operators' tests: the app as production serves it, on whatever database
a test gives it."""

import contextlib

from tests import servers
from tests.test_production import _production_env


@contextlib.contextmanager
def app_server(log_path, **environment):
    """Run deploy/serve.py with the production settings and these variables; yield its URL.

    Nothing is migrated: the operators' addresses must answer whatever state the database is in.
    """
    with servers.app_server(_production_env(GRANIAN_WORKERS="1", **environment), log_path) as url:
        yield url
