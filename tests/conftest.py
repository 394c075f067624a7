import os

import pytest

from tests.world import make_world


@pytest.fixture
def world(db):
    return make_world()


def pytest_report_header(config):
    import os

    url = os.environ.get("WEIJIAN_DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default PBKDF2 costs ~0.3 s per user; tests create several users each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_form_cells_cached_from_an_earlier_test():
    # The cache lives in the process: each test starts empty, so the query counts it pins do
    # not depend on which tests ran before it.
    from weijian.reporting import form_cells_cache

    form_cells_cache.clear()


# Under scripts/with-replica-postgres (WEIJIAN_REPLICA_TESTS=1) the suite's database tests
# commit for real (transactional), so the synchronous replica replica1 — which applies each
# commit before it returns — holds what they wrote, and analytics reads go there: the same
# tests, answered by a streaming replica. The summary says how many queries it served.
REPLICA_QUERIES: list[str] = []

if os.environ.get("WEIJIAN_REPLICA_TESTS"):

    @pytest.fixture
    def db(transactional_db):
        return transactional_db

    @pytest.fixture(autouse=True)
    def read_from_the_synchronous_replica(settings, request):
        from django.db import connections

        from weijian import replicas

        settings.READ_REPLICAS = ["replica1"]
        replicas.forget_health()

        def count(execute, sql, params, many, context):
            REPLICA_QUERIES.append(sql)
            return execute(sql, params, many, context)

        with connections["replica1"].execute_wrapper(count):
            yield

    def pytest_collection_modifyitems(items):
        # Every test may use the replica aliases, and commits for real.
        for item in items:
            item.add_marker(pytest.mark.django_db(transaction=True, databases="__all__"), False)

    def pytest_terminal_summary(terminalreporter):
        terminalreporter.write_line(
            f"replica1 (streaming replica) answered {len(REPLICA_QUERIES)} queries"
        )
