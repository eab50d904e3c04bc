"""Running the migrations to a given point, for the tests of a data migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate the test database to ``targets``; return the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    # Whatever the test did, later tests get the database as the migrations leave it.
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
