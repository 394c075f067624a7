import pytest

from tests.world import make_world


@pytest.fixture
def world(db):
    return make_world()


def pytest_report_header(config):
    import os

    url = os.environ.get("WEIJIAN_DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"
